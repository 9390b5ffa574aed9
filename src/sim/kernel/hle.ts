// Models: the boundary between real machine code and the kernel functions that are emulated at a
// high level (architecture §1 "HLE"): when RIP reaches an HLE function's address at CPL 0, its
// TypeScript body runs with the arguments of the calling convention in force, then returns as
// `ret` would. A body that must call back into guest code (mod->init, f_op->read) is a generator
// that yields guest calls; the guest returns to a trampoline and the generator resumes with RAX.
// Both directions follow the function's calling convention: System V AMD64 (Linux: rdi, rsi, rdx,
// rcx, r8, r9, then the stack) or Microsoft x64 (Windows: rcx, rdx, r8, r9, then the stack above a
// 32-byte shadow space the caller reserves); a guest call pushes its stack arguments and aligns
// RSP to 16 bytes before the return address, as a compiled caller would.
// Simplifies: an HLE function is a point, not a body of instructions; its bytes in kernel text are
// int3 (0xcc) filler that never executes. Snapshots are refused while a guest call is in progress.
import type { Machine } from '../machine';
import { NotModelled } from '../cpu/fault';
import { RAX, RCX, RDI, RDX, RSI, RSP, type U64 } from '../cpu/state';

export type CallingConvention = 'sysv' | 'ms64';

/** A call from HLE code into guest code: the address and its arguments. */
export interface GuestCall {
  address: U64;
  args: U64[];
  /** The callee's convention; by default the calling HLE function's own. */
  convention?: CallingConvention;
}

export type HleResult = U64 | number | void;
export type HleBody = (call: HleCall) => HleResult | Generator<GuestCall, HleResult, U64>;

export interface HleFunction {
  /** The kernel's own name: `_printk`, `__register_chrdev`, … */
  name: string;
  /** Where the real function lives in Linux 6.1 (or the Windows equivalent), for readers. */
  source: string;
  convention: CallingConvention;
  /** Absent for a function the kernel exports but the model does not implement. */
  body?: HleBody;
  /**
   * How control leaves it: 'ret' (a called function) or a custom exit, such as the system-call
   * entry's return to user space, which runs after the result is in RAX.
   */
  exit?: (m: Machine) => void;
}

/** What a body sees: its arguments (by the convention) and the machine. */
export interface HleCall {
  m: Machine;
  fn: HleFunction;
  /** Argument i (0-based) as 64-bit halves. */
  arg(i: number): U64;
}

const SYSV_ARGS = [RDI, RSI, RDX, RCX, 8, 9];
const MS64_ARGS = [RCX, RDX, 8, 9];
/** Register arguments, and the bytes between the return address and the first stack argument. */
const CONVENTIONS: Record<CallingConvention, { regs: number[]; shadow: number }> = {
  sysv: { regs: SYSV_ARGS, shadow: 0 },
  ms64: { regs: MS64_ARGS, shadow: 32 },
};

function readStack(m: Machine, byteOffset: number): U64 {
  const lo = (m.lo(RSP) + byteOffset) >>> 0;
  const hi = lo < m.lo(RSP) ? (m.hi(RSP) + 1) >>> 0 : m.hi(RSP);
  m.mmu.read(lo, hi, 8, false, true);
  return { lo: m.mmu.vLo, hi: m.mmu.vHi };
}

function argument(m: Machine, convention: CallingConvention, i: number): U64 {
  const { regs, shadow } = CONVENTIONS[convention];
  if (i < regs.length) return m.get64(regs[i]!);
  // Past the registers: on the stack above the return address (and, for ms64, the 32-byte shadow space).
  return readStack(m, 8 + shadow + (i - regs.length) * 8);
}

const asU64 = (r: HleResult): U64 => (r === undefined ? { lo: 0, hi: 0 } : typeof r === 'number' ? { lo: r >>> 0, hi: r < 0 ? 0xffffffff : Math.floor(r / 0x100000000) >>> 0 } : r);

/** A guest call in progress: the generator to resume and the HLE function it belongs to. */
interface Pending {
  fn: HleFunction;
  gen: Generator<GuestCall, HleResult, U64>;
  /** Bytes the call pushed below the HLE function's return address (padding, stack arguments, shadow space). */
  pushed: number;
}

/** The HLE state of one machine: registered functions by physical address, calls in progress. */
export class Hle {
  readonly byAddress = new Map<number, HleFunction>();
  readonly pending: Pending[] = [];
  /** Physical address of the trampoline guest code returns to; set by the kernel model. */
  trampoline: { pa: number; va: U64 } | undefined;

  constructor(private readonly m: Machine) {}

  register(pa: number, fn: HleFunction) {
    this.byAddress.set(pa, fn);
  }

  /** Runs the HLE function at the current RIP; the caller's `ret` is performed here. */
  enter(fn: HleFunction) {
    const m = this.m;
    if (m.cpl !== 0) throw new NotModelled(`${fn.name} reached from ring ${m.cpl}`);
    if (!fn.body) throw new NotModelled(`${fn.name} is exported by the kernel but not modelled here (${fn.source})`);
    const args: U64[] = [];
    const call: HleCall = { m, fn, arg: (i) => (args[i] ??= argument(m, fn.convention, i)) };
    m.emit({ kind: 'kernel/hle-entered', name: fn.name, source: fn.source });
    const result = fn.body(call);
    if (isGenerator(result)) this.step({ fn, gen: result, pushed: 0 }, { lo: 0, hi: 0 }, true);
    else this.finish(fn, asU64(result));
  }

  /** Guest code returned to the trampoline: resume the innermost generator with RAX. */
  resume() {
    const m = this.m;
    const p = this.pending.pop();
    if (!p) throw new NotModelled('a return to the HLE trampoline with no call in progress');
    // Drop what the call pushed below the original return address (its `ret` popped the trampoline).
    const rsp = (m.lo(RSP) + p.pushed) >>> 0;
    m.setReg(RSP, 8, false, rsp, rsp < m.lo(RSP) ? (m.hi(RSP) + 1) >>> 0 : m.hi(RSP));
    this.step(p, m.get64(RAX), false);
  }

  private step(p: Pending, value: U64, first: boolean) {
    const r = first ? p.gen.next() : p.gen.next(value);
    if (r.done) this.finish(p.fn, asU64(r.value));
    else this.callGuest(p, r.value);
  }

  /**
   * Sets up a call from ring 0 in the callee's convention: register arguments, then the stack
   * arguments (last first) and the shadow space, RSP 16-byte aligned at the call (so RSP ≡ 8 mod 16
   * at the callee's first instruction), and the trampoline as the return address.
   */
  private callGuest(p: Pending, call: GuestCall) {
    const m = this.m;
    if (!this.trampoline) throw new NotModelled(`${p.fn.name} calls guest code, but no trampoline is mapped`);
    const { regs, shadow } = CONVENTIONS[call.convention ?? p.fn.convention];
    call.args.slice(0, regs.length).forEach((a, i) => m.set64(regs[i]!, a));
    const onStack = call.args.slice(regs.length);
    const below = onStack.length * 8 + shadow;
    const pad = (m.lo(RSP) - below) & 15 ? 8 : 0; // the stack must be 16-byte aligned at the call
    if (pad) pushValue(m, { lo: 0, hi: 0 });
    for (let i = onStack.length - 1; i >= 0; i--) pushValue(m, onStack[i]!);
    for (let i = 0; i < shadow; i += 8) pushValue(m, { lo: 0, hi: 0 }); // the callee's home for its register arguments
    p.pushed = pad + below;
    pushValue(m, this.trampoline.va);
    this.pending.push(p);
    m.emit({ kind: 'kernel/guest-called', from: p.fn.name, address: { ...call.address } });
    m.nextLo = call.address.lo;
    m.nextHi = call.address.hi;
  }

  /**
   * Returns from the HLE function: RAX = result, RIP = the popped return address. A body that
   * stopped the machine does not return: the task exited (exit_group), was killed (a fatal signal,
   * an oops) or is blocked, so nothing runs after it and the CPU stays at the function.
   */
  private finish(fn: HleFunction, result: U64) {
    const m = this.m;
    if (m.stopped) return;
    m.set64(RAX, result);
    if (fn.exit) {
      m.emit({ kind: 'kernel/hle-returned', name: fn.name, result: { ...result } });
      fn.exit(m);
      return;
    }
    const ret = readStack(m, 0);
    const rsp = (m.lo(RSP) + 8) >>> 0;
    m.setReg(RSP, 8, false, rsp, rsp < m.lo(RSP) ? (m.hi(RSP) + 1) >>> 0 : m.hi(RSP));
    m.nextLo = ret.lo;
    m.nextHi = ret.hi;
    m.emit({ kind: 'kernel/hle-returned', name: fn.name, result: { ...result } });
  }
}

function pushValue(m: Machine, v: U64) {
  const lo = (m.lo(RSP) - 8) >>> 0;
  const hi = lo > m.lo(RSP) ? (m.hi(RSP) - 1) >>> 0 : m.hi(RSP);
  m.mmu.write(lo, hi, 8, v.lo, v.hi, false, true);
  m.setReg(RSP, 8, false, lo, hi);
}

function isGenerator(x: unknown): x is Generator<GuestCall, HleResult, U64> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function';
}
