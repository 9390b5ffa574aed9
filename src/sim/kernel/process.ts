// Models: a user process as Linux 6.1 starts and ends it — load_elf_binary() (fs/binfmt_elf.c)
// mapping each PT_LOAD segment with its p_flags, a user stack below 0x7ffffffff000
// (STACK_TOP with randomize_va_space=0), a PID, RIP at e_entry in ring 3; and its end by
// exit_group() or by a fatal signal.
// Simplifies: one process at a time in the kernel's own page tables (no fork, no separate mm);
// argc/argv/envp/auxv are not built; PIDs count up from PID_BASE.
import { readElf, isElfError } from '../elf';
import { RSP } from '../cpu/state';
import type { Kernel } from './kernel';
import { split } from './layout';

export const PID_BASE = 100;
const STACK_TOP = 0x7ffffffff000n;
const STACK_PAGES = 8;

export interface ProcessResult {
  pid: number;
  /** Exit status as the shell shows it: the exit code, or 128 + the signal number. */
  status: number;
  signal?: 'SIGSEGV';
  stdout: string;
  /** Why the run ended, if not by exit or signal (a machine stop). */
  stopped?: string;
}

export function runProgram(k: Kernel, comm: string, file: Uint8Array, maxSteps = 5_000_000): ProcessResult | { error: string } {
  const elf = readElf(file);
  if (isElfError(elf)) return { error: `${comm}: ${elf.message}` };
  if (elf.header.e_type !== 2) return { error: `${comm}: not a static executable (ET_EXEC)` };
  const pid = k.nextPid++;
  for (const ph of elf.segmentsToLoad()) {
    const start = ph.vaddr - (ph.vaddr % 4096n);
    const size = Number(ph.vaddr + ph.memsz - start);
    k.mapRange(start, size, { writable: ph.writable, executable: ph.executable, user: true });
    k.writeBytes(ph.vaddr, ph.data);
  }
  k.mapRange(STACK_TOP - BigInt(STACK_PAGES * 4096), STACK_PAGES * 4096, { writable: true, executable: false, user: true });
  const m = k.m;
  k.process = { pid, comm, stdout: '', exitStatus: undefined, signal: undefined, mappings: elf.segmentsToLoad().map((p) => ({ start: p.vaddr, end: p.vaddr + p.memsz })) };
  m.set64(RSP, split(STACK_TOP - 8n));
  m.s.rip = split(elf.header.e_entry);
  m.s.cs = 0x33;
  m.s.ss = 0x2b;
  m.s.rflags = 0x202;
  m.s.halted = false;
  m.stopped = undefined;
  k.currentComm = comm;
  m.run(maxSteps);
  const p = k.process;
  k.process = undefined;
  const stopped = m.stopped as { reason: string; detail: string } | undefined;
  if (p.exitStatus === undefined) return { pid, status: -1, stdout: p.stdout, stopped: stopped?.detail ?? 'the step limit was reached' };
  return { pid, status: p.exitStatus, stdout: p.stdout, ...(p.signal ? { signal: p.signal } : {}) };
}
