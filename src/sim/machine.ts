// Models: one x86-64 processor in 64-bit mode with its RAM (Intel SDM Vol. 3A): the fetch–decode–
// execute loop, interrupts taken between instructions, exceptions delivered through the IDT.
// Simplifies: one CPU; instruction bytes are decoded once per physical address (and shared
// between machines by address and bytes) and re-decoded when their frame is written; a machine is
// driven step by step, never by a clock.
import { decode } from './cpu/decode';
import type { Instruction } from './cpu/instruction';
import { CpuFault, NotModelled, ud } from './cpu/fault';
import { cpuStateFromData, cpuStateToData, initialCpuState, type CpuStateData, type U64 } from './cpu/state';
import { PhysicalMemory, PAGE_SIZE } from './mem/physical';
import { Mmu } from './cpu/mmu';
import { handlerFor, type Handler } from './cpu/execute';
import { deliver, takeInterrupt } from './cpu/interrupts';
import type { SimEvent } from './events';
import { Apic } from './cpu/apic';
import { REG_NAMES } from './cpu/state';
import { Hle } from './kernel/hle';

export interface MachineConfig {
  /** RAM size in bytes (default 32 MiB). */
  memoryBytes?: number;
}

export type StopReason = Extract<SimEvent, { kind: 'cpu/stopped' }>['reason'];

/** Decoded instructions by address (then checked against their bytes), shared by all machines (see shared); bounded. */
const SHARED_DECODED = new Map<number, Decoded[]>();
const SHARED_LIMIT = 1 << 14;
let sharedCount = 0;

const NO_PREFIXES = { lock: false, rep: false, repne: false, opsize: false, addrsize: false, segment: null, rex: 0 } as const;

interface Decoded {
  insn: Instruction;
  exec: Handler;
  ripLo: number;
  ripHi: number;
  /** The address after it, computed once. */
  nextLo: number;
  nextHi: number;
  /** Its bytes, for the trace (empty for an HLE entry point, which is not an instruction). */
  bytes: number[];
}

/** Port I/O: a device model answers in, and sees out. Unclaimed ports read as all ones. */
export interface PortBus {
  in(port: number, size: 1 | 2 | 4): number | undefined;
  out(port: number, size: 1 | 2 | 4, value: number): boolean;
}

export class Machine {
  s: CpuStateData;
  mem: PhysicalMemory;
  readonly mmu: Mmu;
  /** Kernel functions emulated in TypeScript, entered when RIP reaches their address. */
  readonly hle: Hle;
  readonly apic = new Apic(() => (this.attention = true));
  ports: PortBus | undefined;
  /** When false, nothing is recorded and the log stays empty (the no-op probe). */
  trace = false;
  readonly log: SimEvent[] = [];
  stopped: { reason: StopReason; detail: string } | undefined;
  /** Instructions retired so far. */
  retired = 0;
  /** Address of the instruction after the current one; control transfers change it. */
  nextLo = 0;
  nextHi = 0;
  /**
   * Set when the untraced fast loop must hand over to step(): a halt, an interrupt shadow, a
   * requested interrupt or a stop. Cleared by run() when it resumes.
   */
  attention = false;
  /** Decoded instructions by physical frame, then by offset in the frame. */
  private decoded = new Map<number, (Decoded | undefined)[]>();
  private fetchBuffer = new Uint8Array(15);
  /** The page the last instruction came from: valid while RIP's page, CPL and the TLB are unchanged. */
  private code = { vpn: -1, hi: -1, cpl: -1, generation: -1, slots: undefined as (Decoded | undefined)[] | undefined };

  constructor(config: MachineConfig = {}) {
    this.s = initialCpuState();
    this.mem = new PhysicalMemory(config.memoryBytes ?? 32 << 20);
    this.mmu = new Mmu(this);
    this.hle = new Hle(this);
    this.watchCode();
  }

  get cpl(): number {
    return this.s.cs & 3;
  }

  emit(event: SimEvent) {
    if (this.trace) this.log.push(event);
  }

  // ---- registers -------------------------------------------------------------------------

  lo(r: number): number {
    return this.s.regs[r * 2]!;
  }
  hi(r: number): number {
    return this.s.regs[r * 2 + 1]!;
  }
  /** Writes a register as an instruction does: 32-bit writes zero the upper half, 8/16-bit keep it. */
  setReg(r: number, size: 1 | 2 | 4 | 8, high8: boolean, lo: number, hi: number) {
    const regs = this.s.regs;
    const i = r * 2;
    if (size === 8) (regs[i] = lo), (regs[i + 1] = hi);
    else if (size === 4) (regs[i] = lo >>> 0), (regs[i + 1] = 0);
    else if (size === 2) regs[i] = ((regs[i]! & 0xffff0000) | (lo & 0xffff)) >>> 0;
    else if (high8) regs[i] = ((regs[i]! & 0xffff00ff) | ((lo & 0xff) << 8)) >>> 0;
    else regs[i] = ((regs[i]! & 0xffffff00) | (lo & 0xff)) >>> 0;
  }
  set64(r: number, v: U64) {
    this.setReg(r, 8, false, v.lo, v.hi);
  }
  get64(r: number): U64 {
    return { lo: this.lo(r), hi: this.hi(r) };
  }

  // ---- the loop ---------------------------------------------------------------------------

  /** Runs at most `limit` steps; returns the number taken. Stops early when the machine stops. */
  run(limit: number): number {
    let n = 0;
    if (this.trace) {
      while (n < limit && !this.stopped) this.step(), n++;
      return n;
    }
    // Untraced: the same steps as step(), without its per-instruction bookkeeping.
    while (n < limit && !this.stopped) {
      if (this.s.halted || this.s.interruptShadow || this.apic.requested) {
        this.step();
        n++;
        continue;
      }
      this.attention = false;
      try {
        while (n < limit) {
          const d = this.fetch();
          d.exec(this, d.insn);
          this.s.rip.lo = this.nextLo;
          this.s.rip.hi = this.nextHi;
          this.retired++;
          n++;
          if (this.attention) break;
        }
      } catch (e) {
        n++;
        this.recover(e);
      }
    }
    return n;
  }

  /** A fault or a stop raised while executing: deliver it, or stop the machine. */
  private recover(e: unknown) {
    this.s.interruptShadow = false;
    if (e instanceof CpuFault) deliver(this, e.vector, e.errorCode, 'exception', e);
    else if (e instanceof NotModelled) this.stop('not-modelled', e.reason);
    else throw e;
  }

  /** One step: take a pending interrupt, or execute one instruction (delivering its fault). */
  step(): void {
    if (this.stopped) return;
    if (takeInterrupt(this)) return;
    if (this.s.halted) {
      this.stop('halted', 'the processor is halted and no interrupt can wake it');
      return;
    }
    const mark = this.log.length;
    try {
      const d = this.fetch();
      const insn = d.insn;
      this.s.interruptShadow = false;
      const before = this.trace ? this.traceBefore(d.bytes) : undefined;
      d.exec(this, insn);
      this.s.rip.lo = this.nextLo;
      this.s.rip.hi = this.nextHi;
      this.retired++;
      if (before) this.traceAfter(before, mark);
    } catch (e) {
      this.recover(e);
    }
  }

  stop(reason: StopReason, detail: string) {
    this.stopped = { reason, detail };
    this.attention = true;
    this.emit({ kind: 'cpu/stopped', reason, detail });
  }

  // ---- fetch and decode ----------------------------------------------------------------------

  private fetch(): Decoded {
    const { lo, hi } = this.s.rip;
    const c = this.code;
    if ((lo >>> 12) === c.vpn && hi === c.hi && this.cpl === c.cpl && this.mmu.generation === c.generation) {
      const d = c.slots![lo & (PAGE_SIZE - 1)];
      if (d && d.ripLo === lo && d.ripHi === hi) return this.advance(d);
    }
    const pa = this.mmu.translate(lo, hi, 'fetch', false);
    const frame = Math.floor(pa / PAGE_SIZE);
    let slots = this.decoded.get(frame);
    if (!slots) this.decoded.set(frame, (slots = []));
    Object.assign(c, { vpn: lo >>> 12, hi, cpl: this.cpl, generation: this.mmu.generation, slots });
    const cached = slots[pa % PAGE_SIZE];
    if (cached && cached.ripLo === lo && cached.ripHi === hi) return this.advance(cached);
    const special = this.hleEntry(pa, lo, hi);
    if (special) return this.advance((slots[pa % PAGE_SIZE] = special));
    const known = this.shared(lo, hi, pa);
    if (known) return this.advance((slots[pa % PAGE_SIZE] = known));
    const insn = this.decodeAt(lo, hi, pa);
    const nextLo = (lo + insn.length) >>> 0;
    const bytes = Array.from(this.fetchBuffer.subarray(0, insn.length));
    const d: Decoded = { insn, exec: handlerFor(insn), ripLo: lo, ripHi: hi, nextLo, nextHi: nextLo < lo >>> 0 ? (hi + 1) >>> 0 : hi, bytes };
    if ((pa % PAGE_SIZE) + insn.length <= PAGE_SIZE) {
      slots[pa % PAGE_SIZE] = d;
      if (sharedCount >= SHARED_LIMIT) (SHARED_DECODED.clear(), (sharedCount = 0));
      const list = SHARED_DECODED.get(lo);
      if (list) list.push(d);
      else SHARED_DECODED.set(lo, [d]);
      sharedCount++;
    }
    return this.advance(d);
  }

  /**
   * An instruction another machine (or this one, on another frame) decoded at this address from
   * the same bytes: decoding depends on nothing else (the decoder reads no byte past the
   * instruction's end), so every machine can share the result (a freshly booted kernel then does
   * not decode its entry code again). Compared byte by byte, without building a key.
   */
  private shared(lo: number, hi: number, pa: number): Decoded | undefined {
    const list = SHARED_DECODED.get(lo);
    if (!list) return undefined;
    const frame = this.mem.frameForRead(Math.floor(pa / PAGE_SIZE));
    if (!frame) return undefined;
    const o = pa % PAGE_SIZE;
    next: for (const d of list) {
      const b = d.bytes;
      if (d.ripHi !== hi || o + b.length > PAGE_SIZE) continue;
      for (let i = 0; i < b.length; i++) if (frame[o + i] !== b[i]) continue next;
      return d;
    }
    return undefined;
  }

  /** An HLE function or the guest-call trampoline at this physical address, as a pseudo-instruction. */
  private hleEntry(pa: number, lo: number, hi: number): Decoded | undefined {
    const fn = this.hle.byAddress.get(pa);
    const isTrampoline = this.hle.trampoline?.pa === pa;
    if (!fn && !isTrampoline) return undefined;
    const insn = { length: 0, op: 'hle', mnemonic: fn ? `(${fn.name})` : '(return to the kernel)', operands: [], opsize: 8, cond: -1, prefixes: NO_PREFIXES } as Instruction;
    // Looked up when run, not when cached: the function at an address may be registered again.
    const exec: Handler = fn ? (m) => m.hle.enter(m.hle.byAddress.get(pa)!) : (m) => m.hle.resume();
    return { insn, exec, ripLo: lo, ripHi: hi, nextLo: lo, nextHi: hi, bytes: [] };
  }

  private advance(d: Decoded): Decoded {
    this.nextLo = d.nextLo;
    this.nextHi = d.nextHi;
    return d;
  }

  /** Copies up to 15 bytes, crossing into the next page only if the instruction needs it, and decodes. */
  private decodeAt(lo: number, hi: number, pa: number): Instruction {
    const inPage = Math.min(15, PAGE_SIZE - (pa % PAGE_SIZE));
    const buf = this.fetchBuffer;
    for (let i = 0; i < inPage; i++) buf[i] = this.mem.read8(pa + i);
    let result = decode(buf.subarray(0, inPage), 0, lo, hi);
    if (!result.ok && result.failure.kind === 'truncated' && inPage < 15) {
      const nLo = (lo + inPage) >>> 0;
      const nHi = nLo < lo >>> 0 ? (hi + 1) >>> 0 : hi;
      const pa2 = this.mmu.translate(nLo, nHi, 'fetch', false);
      for (let i = inPage; i < 15; i++) buf[i] = this.mem.read8(pa2 + i - inPage);
      result = decode(buf, 0, lo, hi);
    }
    if (result.ok) return result.insn;
    const f = result.failure;
    const bytes = Array.from(buf.subarray(0, Math.max(1, Math.min(15, f.length))), (b) => b.toString(16).padStart(2, '0')).join(' ');
    if (f.kind === 'unmodelled') throw new NotModelled(`the instruction ${bytes} is valid x86-64 but not modelled (${f.reason})`);
    throw ud(f.kind === 'invalid' ? `${bytes} is not a valid instruction (${f.reason})` : `${bytes} is cut off`);
  }

  /** Any write to a frame holding decoded instructions drops them (code patched at run time). */
  private watchCode() {
    this.mem.onWrite = (frame) => {
      if (!this.decoded.delete(frame)) return;
      this.code.vpn = -1;
    };
  }

  // ---- tracing --------------------------------------------------------------------------

  /** Registers before the traced instruction (reused: allocating typed arrays is slow). */
  private before = { regs: new Uint32Array(32), rflags: 0, ripLo: 0, ripHi: 0, cpl: 0, bytes: [] as number[] };

  private traceBefore(bytes: number[]) {
    const b = this.before;
    b.regs.set(this.s.regs);
    b.rflags = this.s.rflags;
    b.ripLo = this.s.rip.lo;
    b.ripHi = this.s.rip.hi;
    b.cpl = this.cpl;
    b.bytes = bytes;
    return b;
  }

  /** Puts 'executed' before the events the instruction caused (walks, writes), then the register changes. */
  private traceAfter(before: ReturnType<Machine['traceBefore']>, mark: number) {
    if (before.bytes.length === 0) return this.traceRegisters(before); // an HLE entry: its own events tell it
    const executed: SimEvent = { kind: 'cpu/executed', rip: { lo: before.ripLo, hi: before.ripHi }, bytes: before.bytes, cpl: before.cpl };
    if (mark === this.log.length) this.log.push(executed);
    else this.log.splice(mark, 0, executed);
    this.traceRegisters(before);
  }

  private traceRegisters(before: ReturnType<Machine['traceBefore']>) {
    for (let r = 0; r < 16; r++) {
      const bl = before.regs[r * 2]!, bh = before.regs[r * 2 + 1]!;
      if (bl !== this.s.regs[r * 2] || bh !== this.s.regs[r * 2 + 1])
        this.log.push({ kind: 'cpu/register-written', reg: REG_NAMES[r]!, before: { lo: bl, hi: bh }, after: this.get64(r) });
    }
    if (before.rflags !== this.s.rflags)
      this.log.push({ kind: 'cpu/register-written', reg: 'rflags', before: { lo: before.rflags, hi: 0 }, after: { lo: this.s.rflags, hi: 0 } });
  }

  // ---- snapshots -------------------------------------------------------------------------

  snapshot() {
    if (this.hle.pending.length) throw new Error('a snapshot cannot be taken while a kernel function waits for guest code');
    return {
      cpu: cpuStateToData(this.s),
      memory: this.mem.snapshot(),
      apic: this.apic.snapshot(),
      retired: this.retired,
      stopped: this.stopped ? { ...this.stopped } : undefined,
    };
  }

  restore(snap: ReturnType<Machine['snapshot']>) {
    this.s = cpuStateFromData(snap.cpu);
    this.mem = PhysicalMemory.fromSnapshot(snap.memory);
    this.watchCode();
    this.apic.restore(snap.apic);
    this.retired = snap.retired;
    this.stopped = snap.stopped ? { ...snap.stopped } : undefined;
    this.decoded.clear();
    this.code.vpn = -1;
    this.mmu.flush();
    this.log.length = 0;
  }
}
