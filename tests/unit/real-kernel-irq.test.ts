import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { catTool, insmodTool, mknodTool, rmmodTool } from '../../src/sim/kernel/user-tools';
import { BOOT_VECTORS_IN_USE, BOOT_VECTORS_SHUTDOWN, irqState, procInterrupts, pulseLine, runIdle } from '../../src/sim/kernel/irq';
import { KernelLog } from '../../src/sim/kernel/printk';
import type { Kernel } from '../../src/sim/kernel/kernel';

// The real Debian 6.1 kernel's irqcount boot (samples/oracle/run.sh: QEMU with a second UART,
// COM2, on ISA IRQ 3, raised by writing its interrupt-enable register through /dev/port), replayed
// on the emulated kernel case by case: every kernel line, every read of /dev/irqcount, every
// /proc/interrupts row, and CPU 0's vector_irq[] as the real kernel's memory held it. Each COM2
// raise becomes one pulse of line 3 by the model's device, taken while the CPU idles, as it was.
const DIR = 'tests/fixtures/real-kernel';
const text = (name: string) => readFileSync(`${DIR}/${name}.txt`, 'utf8').split('\n');
const normalise = (line: string) => line.replace(/^\[\s*\d+\.\d+\] /, '');
const dmesgOf = (lines: string[]) => lines.slice(lines.indexOf('--- dmesg -c ---') + 1, lines.indexOf('--- end dmesg ---')).map(normalise);
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const logSince = (k: Kernel, n: number) => k.log.records.slice(n).map((r) => normalise(KernelLog.line(r)));

/** Output lines of the command `# cmd` (the lines up to its "[exit status N]"). */
function outputs(lines: string[]): { command: string; out: string[] }[] {
  const result: { command: string; out: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('# ')) result.push({ command: line.slice(2), out: [] });
    else if (/^\[exit status \d+\]$/.test(line) || line.startsWith('--- ') || line.startsWith('#####')) result.at(-1) && (result.at(-1)!.out = [...result.at(-1)!.out, '\u0000']);
    else if (result.length && !result.at(-1)!.out.includes('\u0000') && !/^\[\s*\d+\.\d+\] /.test(line)) result.at(-1)!.out.push(line);
  }
  return result.map((r) => ({ command: r.command, out: r.out.filter((l) => l !== '\u0000') }));
}

/** The vectors of a vector_irq[] dump that hold a descriptor, and those that hold VECTOR_SHUTDOWN. */
function vectorTable(lines: string[]) {
  const from = lines.findIndex((l) => l.startsWith('--- vector_irq of CPU 0'));
  const to = lines.indexOf('--- end vector_irq ---');
  const bytes: number[] = [];
  for (const l of lines.slice(from + 1, to)) {
    const row = /^([0-9a-f]{8}): ((?:[0-9a-f]{2} ?){16})$/.exec(l);
    if (row) bytes.push(...row[2]!.trim().split(' ').map((h) => parseInt(h, 16)));
  }
  expect(bytes.length).toBe(256 * 8);
  const used: number[] = [], shutdown: number[] = [];
  for (let v = 0; v < 256; v++) {
    const word = bytes.slice(v * 8, v * 8 + 8);
    if (word.every((b) => b === 0xff)) shutdown.push(v); // VECTOR_SHUTDOWN, (void *)-1
    else if (word.some((b) => b !== 0)) used.push(v); // a struct irq_desc *
  }
  return { used, shutdown };
}

function modelTable(k: Kernel) {
  const t = irqState(k).vectorIrq;
  return { used: t.flatMap((e, v) => (typeof e === 'object' || e === 'boot' ? [v] : [])), shutdown: t.flatMap((e, v) => (e === 'shutdown' ? [v] : [])) };
}

describe('interrupts on the emulated kernel against the real Debian 6.1 kernel', () => {
  it('replays the irqcount boot: load, three reads around two interrupts, /proc/interrupts, vector_irq, unload, a masked line', () => {
    const k = bootKernel();
    const differences: string[] = [];
    const check = (what: string, got: unknown, want: unknown) => {
      if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${what}\n    emulator: ${JSON.stringify(got)}\n    real:     ${JSON.stringify(want)}`);
    };

    // The lines the real boot's drivers hold are not the model's to print, but none is line 3.
    expect(outputs(text('irqcount-lines-boot'))[0]!.out.some((l) => /^\s+3:/.test(l))).toBe(false);

    let n = k.log.records.length;
    const load = insmodTool(k, 'irqcount.ko', sample('irqcount.ko'), '');
    check('insmod irqcount.ko: kernel log', logSince(k, n), dmesgOf(text('irqcount-insmod')));
    check('insmod irqcount.ko: status', load.status, 0);

    const use = text('irqcount-use');
    for (const { command, out } of outputs(use)) {
      if (command.startsWith('mknod ')) {
        const [, path, , major, minor] = command.split(' ');
        check(command, mknodTool(k, path!, Number(major), Number(minor)).status, 0);
      } else if (command === 'cat /dev/irqcount') {
        check(command, catTool(k, '/dev/irqcount').stdout.split('\n').filter(Boolean), out);
      } else if (command === 'grep irqcount /proc/interrupts') {
        check(command, procInterrupts(k).filter((l) => l.includes('irqcount')), out);
      } else if (command.startsWith('COM2 IER = 0x02') || command.startsWith('COM2 IER = 0, then 0x02')) {
        runIdle(k, () => pulseLine(k, 3)); // one rising edge on line 3
      } else {
        differences.push(`the replay does not know the command "${command}"`);
      }
    }
    check('vector_irq[] with irqcount loaded', modelTable(k), vectorTable(use));
    check('irqcount-use: kernel log', [], dmesgOf(use));

    n = k.log.records.length;
    rmmodTool(k, 'irqcount');
    check('rmmod irqcount: kernel log', logSince(k, n), dmesgOf(text('irqcount-rmmod')));

    // irqcount-after-free raises the line once more (com2_ier 2, first thing in the case).
    const after = text('irqcount-after-free');
    n = k.log.records.length;
    runIdle(k, () => pulseLine(k, 3));
    check('after free_irq: kernel log', logSince(k, n), dmesgOf(after));
    const row = outputs(after).find((c) => c.command.startsWith('grep -E'))!;
    check('after free_irq: /proc/interrupts row of line 3', procInterrupts(k).filter((l) => /^\s+3:/.test(l)), row.out);
    check('vector_irq[] after free_irq', modelTable(k), vectorTable(after));
    expect(differences).toEqual([]);
  });

  it('requests the lines the boot holds, the cascade line and line 16 as the real kernel answers them', () => {
    const k = bootKernel();
    insmodTool(k, 'hello.ko', sample('hello.ko'), ''); // the first out-of-tree load's taint lines, out of the way
    rmmodTool(k, 'hello');
    const differences: string[] = [];
    for (const line of [0, 1, 2, 4, 8, 9, 12, 16]) {
      const c = text(`irqcount-irq-${line}`);
      const n = k.log.records.length;
      const r = insmodTool(k, 'irqcount.ko', sample('irqcount.ko'), `irq=${line}`);
      const want = { log: dmesgOf(c), status: Number(/\[exit status (\d+)\]/.exec(c.join('\n'))![1]), error: c.find((l) => l.startsWith('insmod: ')) };
      const got = { log: logSince(k, n), status: r.status, error: r.stderr[0] };
      if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`irq=${line}\n    emulator: ${JSON.stringify(got)}\n    real:     ${JSON.stringify(want)}`);
      if (r.status === 0) {
        const m = k.log.records.length;
        rmmodTool(k, 'irqcount');
        const rm = text(`irqcount-irq-${line}-rmmod`);
        if (JSON.stringify(logSince(k, m)) !== JSON.stringify(dmesgOf(rm))) differences.push(`rmmod after irq=${line}: ${JSON.stringify(logSince(k, m))}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it("takes its boot vectors from the real kernel's vector_irq[]: the descriptors left after free_irq, and the shut-down legacy vectors", () => {
    const { used, shutdown } = vectorTable(text('irqcount-after-free'));
    expect(used).toEqual(BOOT_VECTORS_IN_USE);
    expect(shutdown).toEqual([0x26, ...BOOT_VECTORS_SHUTDOWN].sort((a, b) => a - b));
  });
});
