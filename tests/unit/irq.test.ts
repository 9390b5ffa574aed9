import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { insmodTool, mknodTool, programTool, rmmodTool } from '../../src/sim/kernel/user-tools';
import { freeIrq, irqState, procInterrupts, pulseLine, requestIrq, runIdle } from '../../src/sim/kernel/irq';
import { withDeviceClock } from '../../src/sim/scenarios/device-steps';
import { IF } from '../../src/sim/cpu/flags';
import { NotModelled } from '../../src/sim/cpu/fault';
import { join } from '../../src/sim/kernel/layout';
import type { Kernel } from '../../src/sim/kernel/kernel';
import type { SimEvent } from '../../src/sim/events';

// Device interrupts on the emulated kernel: irqcount.ko's handler, reached from a ring-3 program
// through the IDT, the entry stub and __common_interrupt, with the EOI and the iretq back.
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));

function loaded(): Kernel {
  const k = bootKernel();
  expect(insmodTool(k, 'irqcount.ko', sample('irqcount.ko'), '').status).toBe(0);
  expect(mknodTool(k, '/dev/irqcount', 246, 0).status).toBe(0);
  return k;
}

/** Runs irq-watch with the device pulsing line 3 when the program has retired `after` instructions. */
function watch(k: Kernel, after: number, fire: () => void = () => pulseLine(k, 3)) {
  return withDeviceClock(k.m, [{ at: k.m.retired + after, fire }], () => programTool(k, 'irq-watch', sample('irq-watch')));
}

const seenAddress = (k: Kernel) => k.modules.get('irqcount')!.kallsyms.find((s) => s.name === 'irqcount_seen')!.value;
const index = (log: SimEvent[], kind: SimEvent['kind'], from = 0) => log.findIndex((e, i) => i >= from && e.kind === kind);

describe('a device interrupt reaching a driver', () => {
  it('request_irq gives line 3 the vector 0x26, programs and unmasks I/O APIC pin 3, and fills vector_irq', () => {
    const k = loaded();
    const st = irqState(k);
    const desc = st.descs.get(3)!;
    expect(desc.vector).toBe(0x26);
    expect(st.vectorIrq[0x26]).toBe(desc);
    expect(st.ioapic.entries[3]).toEqual({ vector: 0x26, masked: false });
    expect(desc.actions.map((a) => [a.name, a.devId])).toEqual([['irqcount', seenAddress(k)]]);
    // The gate of vector 0x26 is an interrupt gate (type 0xe, DPL 0) in the IDT the CPU reads.
    const gate = k.readBytes(join(k.m.s.idtr.base) + 0x26n * 16n, 16);
    expect(gate[5]).toBe(0x8e);
  });

  it('runs the handler in ring 0 with irq 3 and the driver\'s dev_id, after the EOI, and returns to ring 3 with iretq', () => {
    const k = loaded();
    k.m.trace = true;
    const r = watch(k, 500);
    expect(r.stdout).toBe('before: 0\nafter:  1\n');
    const log = k.m.log;
    const raised = index(log, 'irq/line-raised');
    const entered = log.findIndex((e, i) => i > raised && e.kind === 'cpu/ring-changed');
    expect(log[entered]).toEqual({ kind: 'cpu/ring-changed', from: 3, to: 0, cause: 'interrupt', vector: 0x26 });
    const eoi = index(log, 'irq/eoi-written', entered), called = index(log, 'irq/handler-called', entered), handled = index(log, 'irq/handled', entered);
    expect(eoi).toBeGreaterThan(entered);
    expect(called).toBeGreaterThan(eoi); // handle_edge_irq acknowledges the edge before the handlers run
    const call = log[called] as Extract<SimEvent, { kind: 'irq/handler-called' }>;
    expect(call.irq).toBe(3);
    expect(join(call.devId)).toBe(seenAddress(k));
    const between = log.slice(called, handled);
    const executed = between.filter((e): e is Extract<SimEvent, { kind: 'cpu/executed' }> => e.kind === 'cpu/executed');
    expect(executed.length).toBeGreaterThan(0);
    expect(executed.every((e) => e.cpl === 0)).toBe(true);
    // The handler counted through its second argument: a 4-byte write at dev_id (atomic_inc).
    expect(between).toContainEqual({ kind: 'mem/written', address: call.devId, size: 4, value: { lo: 1, hi: 0 } });
    expect(log[handled]).toEqual({ kind: 'irq/handled', irq: 3, name: 'irqcount', result: 1 });
    const back = log.findIndex((e, i) => i > handled && e.kind === 'cpu/ring-changed');
    expect(log[back]).toEqual({ kind: 'cpu/ring-changed', from: 0, to: 3, cause: 'iret' });
    expect(k.m.apic.snapshot()).toEqual({ irr: [], isr: [] }); // nothing pending, nothing in service
    expect(irqState(k).descs.get(3)!.kstat).toBe(1);
  });

  it('resumes the interrupted program exactly: every register, RFLAGS, RIP, CS, SS and RSP as they were', () => {
    const k = loaded();
    const m = k.m;
    let before: unknown, after: unknown, steps = 0;
    const state = () => ({ regs: Array.from(m.s.regs), rflags: m.s.rflags, rip: { ...m.s.rip }, cs: m.s.cs, ss: m.s.ss });
    const r = watch(k, 500, () => {
      pulseLine(k, 3);
      before = state();
      expect(m.cpl).toBe(3);
      do m.step(), steps++;
      while (m.cpl !== 3 && steps < 1000); // the interrupt, the handler, the iretq
      after = state();
    });
    expect(r.status).toBe(0);
    expect(steps).toBeGreaterThan(5);
    expect(after).toEqual(before);
  });

  it('waits while IF = 0: a line raised during a system call is taken after sysretq restores IF', () => {
    const k = loaded();
    k.m.trace = true;
    const start = k.m.retired;
    let raisedIn: { cpl: number; rflags: number } | undefined;
    // Probe each instruction boundary; raise the line at the first one inside the kernel (IF = 0
    // there: the model's system calls run with interrupts off, as FMASK leaves them).
    const probes = Array.from({ length: 400 }, (_, i) => ({
      at: start + i,
      fire: () => {
        const inModule = k.m.s.rip.hi === 0xffffffff && k.m.s.rip.lo >>> 0 >= 0xc0000000; // irqcount_read's own code
        if (raisedIn || k.m.cpl !== 0 || !inModule) return;
        raisedIn = { cpl: k.m.cpl, rflags: k.m.s.rflags };
        pulseLine(k, 3);
      },
    }));
    const r = withDeviceClock(k.m, probes, () => programTool(k, 'irq-watch', sample('irq-watch')));
    expect(r.status).toBe(0);
    expect(raisedIn!.rflags & IF).toBe(0);
    const log = k.m.log;
    const raised = index(log, 'irq/line-raised');
    const taken = index(log, 'cpu/interrupted', raised);
    const ringChanges = log.slice(raised, taken).filter((e) => e.kind === 'cpu/ring-changed');
    expect(log.slice(raised, taken).some((e) => e.kind === 'cpu/executed' && e.cpl === 0)).toBe(true); // ring-0 code ran meanwhile
    expect(ringChanges.at(-1)).toEqual({ kind: 'cpu/ring-changed', from: 0, to: 3, cause: 'sysret' });
    expect(log.slice(ringChanges.length ? log.indexOf(ringChanges.at(-1)!) : raised, taken).some((e) => e.kind === 'cpu/executed')).toBe(false); // taken at once after sysretq
  });

  it('takes an interrupt in the idle task without a ring change, then halts again', () => {
    const k = loaded();
    k.m.trace = true;
    const tracedFrom = k.m.retired;
    runIdle(k, () => pulseLine(k, 3));
    const traced = k.m.retired - tracedFrom;
    const log = k.m.log;
    expect(log.some((e) => e.kind === 'cpu/ring-changed')).toBe(false);
    expect(index(log, 'irq/handled')).toBeGreaterThan(index(log, 'cpu/interrupted'));
    expect(log.at(-1)).toMatchObject({ kind: 'cpu/stopped', reason: 'halted' });
    expect(procInterrupts(k)).toEqual(['           CPU0       ', '  3:          1   IO-APIC   3-edge      irqcount']);
    // Untraced, the same: the fast run loop sees the halt and stops at once.
    k.m.trace = false;
    const retired = k.m.retired;
    runIdle(k, () => pulseLine(k, 3));
    expect(k.m.stopped?.reason).toBe('halted');
    expect(k.m.retired - retired).toBe(traced); // the stub, common_interrupt, the handler, iretq: no spinning
    expect(traced).toBeLessThan(200);
    expect(irqState(k).descs.get(3)!.kstat).toBe(2);
  });

  it('stops delivery after free_irq: the masked pin ignores the edge; a stray vector gets 6.1\'s line the second time', () => {
    const k = loaded();
    expect(rmmodTool(k, 'irqcount').status).toBe(0);
    k.m.trace = true;
    expect(pulseLine(k, 3)).toEqual({ delivered: false });
    expect(k.m.log).toContainEqual({ kind: 'irq/line-raised', line: 3, pin: 3, delivered: false, why: 'the pin is masked: the edge is ignored' });
    expect(k.m.apic.snapshot().irr).toEqual([]);
    // A vector arriving anyway: VECTOR_SHUTDOWN is cleared silently, then VECTOR_UNUSED is reported.
    const before = k.log.records.length;
    runIdle(k, () => k.m.apic.raise(0x26));
    expect(k.log.records.slice(before)).toEqual([]);
    runIdle(k, () => k.m.apic.raise(0x26));
    expect(k.log.records.slice(before).map((r) => [r.level, r.text])).toEqual([[0, '__common_interrupt: 0.38 No irq handler for vector']]);
    expect(k.m.apic.snapshot()).toEqual({ irr: [], isr: [] }); // acknowledged both times
  });

  it('answers request_irq and free_irq as 6.1 does for bad arguments', () => {
    const k = bootKernel();
    const args = { irq: 3, handler: 0xffffffffc0201000n, threadFn: 0n, flags: 0, name: 'x', namePointer: 0n, devId: 1n };
    expect(requestIrq(k, { ...args, irq: 16 })).toBe(-22); // no descriptor
    expect(requestIrq(k, { ...args, flags: 0x80, devId: 0n })).toBe(-22); // IRQF_SHARED needs a dev_id
    expect(requestIrq(k, { ...args, handler: 0n })).toBe(-22); // neither handler nor thread
    expect(requestIrq(k, { ...args, irq: 0x80000000 })).toBe(-107); // IRQ_NOTCONNECTED
    expect(requestIrq(k, args)).toBe(0);
    expect(requestIrq(k, { ...args, name: 'y' })).toBe(-16);
    expect(k.log.records.at(-1)!.text).toBe('genirq: Flags mismatch irq 3. 00000000 (y) vs. 00000000 (x)');
    expect(freeIrq(k, 16, 1n)).toBe(0n);
    let caught: unknown;
    try {
      freeIrq(k, 3, 2n);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NotModelled); // a WARN with a stack dump: said, not faked
    expect((caught as NotModelled).reason).toMatch(/Trying to free already-free IRQ 3/);
  });
});
