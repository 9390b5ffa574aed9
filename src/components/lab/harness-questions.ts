// The question the predict harness page (/lab/predict/) opens on: RingSwitcher on user-cli-gp,
// paused where the program is back in ring 3 just before its cli. Step 151 is the iretq into the
// program (the e2e test checks that from the run); the answer is read from the run's end.
import type { Predict } from '../../lab/predict';

export const CLI_QUESTION: Predict = {
  question: 'The program is back in ring 3 and its next instruction is cli (clear the interrupt flag). What does the CPU do?',
  attr: 'last-change',
  at: 151,
  reveal: 'end',
  choices: [
    { value: 'iretq', text: 'It clears IF: interrupts are off for the whole machine, and the program carries on.', feedback: 'If ring 3 could clear IF, any program could stop the timer and keep the CPU for ever. cli is privileged: with CPL 3 above IOPL 0 the CPU does not carry it out, so the last crossing stays where it was only in this wrong picture.' },
    { value: 'syscall', text: 'It asks the kernel for permission with a system call.', feedback: 'A system call happens only when a program executes syscall; the CPU never turns another instruction into one. A privileged instruction in ring 3 faults instead.' },
    { value: '#GP', text: 'It refuses with a general-protection fault (#GP) and enters ring 0.', feedback: 'cli needs CPL ≤ IOPL; in ring 3 it raises #GP(0), and the CPU switches to ring 0 to run the kernel’s handler, which ends the program with SIGSEGV.' },
  ],
};
