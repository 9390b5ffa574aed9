// Models: the "Call Trace:" of a Linux 6.1 oops (show_trace_log_lvl() in
// arch/x86/kernel/dumpstack.c with the ORC unwinder of arch/x86/kernel/unwind_orc.c): the
// driver's own frames, found with the module's ORC tables (orc_find → __orc_find over the sorted
// .orc_unwind_ip/.orc_unwind, then the CALL-type step of unwind_next_frame()), printed with %pBb;
// then the frames of the kernel functions in progress; then, at the bottom of the task stack, the
// user registers entry_SYSCALL_64 saved (show_regs_if_on_stack() → __show_regs(SHOW_REGS_SHORT)),
// between " <TASK>" and " </TASK>".
// The kernel's own functions here are emulated (HLE): they run as TypeScript and leave no return
// address on the emulated stack. For each one in progress the trace prints the return address of
// its real call into the next function, from the real Debian kernel (src/sim/data/call-sites.json,
// made by samples/gen-call-sites.py from /boot/vmlinuz-6.1.0-56-amd64): which functions are in
// progress follows from the system call the task is in (read → ksys_read → vfs_read → f_op->read;
// finit_module → __do_sys_finit_module → load_module → do_init_module → do_one_initcall → init …).
// The last frame is different: the entry code is the model's own machine code (entry.ts, from
// samples/kernel/entry_64.S), so the frame below do_syscall_64 is the return address its `call
// do_syscall_64` really left on the kernel stack, just below the pt_regs it built, named as
// kallsyms names it (entrySymbolAt): entry_SYSCALL_64_after_hwframe, like the real kernel's, but
// at a smaller offset in a shorter function (+0x46/0xab here, +0x6e/0xd8 in 6.1's longer code,
// which also has PTI, IBRS and the entry trampoline stack), so the call-sites.json value for that
// frame is not printed.
// Simplifies: only the reliable frames are printed. The real trace also prints "? name+off/size"
// lines: stale return addresses left on the stack by earlier calls, which the scan meets between
// the real frames; the model's stack holds no such words, so it prints none. The ORC step handles
// CALL entries based on SP or BP (what compiled driver code has); any other entry ends the walk.
// A driver called from a kernel thread (the ring-0 loader stub of insmod.ts) shows only the
// loader's frames, without the kthread frames below them.
import type { Kernel } from './kernel';
import { backtraceName, showRegs, type OopsLine, type PtRegs } from './oops-regs';
import { readPtRegs } from './pt-regs';
import { entrySymbolAt } from './entry';
import { oopsState } from './oops-state';
import type { LoadedModule } from './loader/module';
import { NR } from './syscalls';
import { join } from './layout';

/** One frame of a path into driver code (call-sites.json). */
export interface CallSite {
  function: string;
  size: number;
  /** Offset of the return address in the function. */
  offset: number;
}

/** src/sim/data/call-sites.json (format ring0-call-sites/1), the parts the model reads. */
export interface CallSiteData {
  chains: Record<string, { frames: CallSite[] }>;
  hardwareName?: { text: string };
}

const line = (text: string): OopsLine => ({ level: 4, text });

/** The module whose core or init memory holds the address (__module_address). */
export function moduleAt(k: Kernel, address: bigint): LoadedModule | undefined {
  for (const mod of k.modules.values()) {
    for (const l of [mod.core_layout, mod.init_layout]) if (l.size && address >= l.base && address < l.base + BigInt(l.size)) return mod;
  }
  return undefined;
}

interface OrcEntry { spOffset: number; bpOffset: number; spReg: number; bpReg: number; type: number; end: boolean }
const ORC_REG_UNDEFINED = 0, ORC_REG_PREV_SP = 1, ORC_REG_BP = 4, ORC_REG_SP = 5, ORC_TYPE_CALL = 0;

/** orc_find() for module text: the entry of the last .orc_unwind_ip address at or below ip. */
function orcFind(k: Kernel, ip: bigint): OrcEntry | undefined {
  const mod = moduleAt(k, ip);
  const ipSec = mod?.sections.find((s) => s.name === '.orc_unwind_ip');
  const orcSec = mod?.sections.find((s) => s.name === '.orc_unwind');
  if (!ipSec || !orcSec) return undefined;
  const n = Math.floor(ipSec.size / 4);
  if (n === 0) return undefined;
  const at = (i: number) => {
    const raw = k.readBytes(ipSec.address + BigInt(i * 4), 4);
    const rel = BigInt.asIntN(32, BigInt(raw[0]! | (raw[1]! << 8) | (raw[2]! << 16)) | (BigInt(raw[3]!) << 24n));
    return ipSec.address + BigInt(i * 4) + rel;
  };
  let first = 0, last = n - 1, found = 0;
  while (first <= last) {
    const mid = first + Math.floor((last - first) / 2);
    if (at(mid) <= ip) (found = mid), (first = mid + 1);
    else last = mid - 1;
  }
  const b = k.readBytes(orcSec.address + BigInt(found * 6), 6);
  const s16 = (lo: number, hi: number) => ((hi << 8) | lo) << 16 >> 16;
  return { spOffset: s16(b[0]!, b[1]!), bpOffset: s16(b[2]!, b[3]!), spReg: b[4]! & 0xf, bpReg: b[4]! >> 4, type: b[5]! & 3, end: (b[5]! & 4) !== 0 };
}

/**
 * The driver's frames above the fault: return addresses in module text found by ORC, until one
 * is the emulated kernel's guest-call trampoline (the driver was called by an HLE function).
 */
export function moduleFrames(k: Kernel, regs: PtRegs): { frames: bigint[]; reachedKernel: boolean } {
  const trampoline = k.m.hle.trampoline ? join(k.m.hle.trampoline.va) : undefined;
  const frames: bigint[] = [];
  let ip = regs.ip, sp = regs.sp, bp = regs.bp, signal = true;
  for (let depth = 0; depth < 64; depth++) {
    const orc = orcFind(k, signal ? ip : ip - 1n);
    if (!orc || orc.spReg === ORC_REG_UNDEFINED || orc.type !== ORC_TYPE_CALL) break;
    const cfa = orc.spReg === ORC_REG_SP ? sp + BigInt(orc.spOffset) : orc.spReg === ORC_REG_BP ? bp + BigInt(orc.spOffset) : undefined;
    if (cfa === undefined) break;
    const ret = k.read64(cfa - 8n);
    if (ret === undefined) break;
    if (orc.bpReg === ORC_REG_PREV_SP) bp = k.read64(cfa + BigInt(orc.bpOffset)) ?? bp;
    else if (orc.bpReg === ORC_REG_BP) bp = k.read64(bp + BigInt(orc.bpOffset)) ?? bp;
    else if (orc.bpReg !== ORC_REG_UNDEFINED) break;
    ip = ret;
    sp = cfa;
    signal = false;
    if (ip === trampoline) return { frames, reachedKernel: true };
    if (!moduleAt(k, ip)) break;
    frames.push(ip);
  }
  return { frames, reachedKernel: false };
}

/** The path of the system call in progress, named as in call-sites.json. */
function chainOf(nr: number, misc: boolean): string | undefined {
  switch (nr) {
    case NR.read: return 'read';
    case NR.write: return 'write';
    case NR.ioctl: return 'ioctl';
    case NR.openat: return misc ? 'open-misc' : 'open';
    case NR.close: return 'release';
    case NR.finit_module: return 'finit_module';
    case NR.init_module: return 'init_module';
    case NR.delete_module: return 'delete_module';
    default: return undefined;
  }
}

/**
 * The return address entry_SYSCALL_64's `call do_syscall_64` left on the kernel stack (the word
 * below pt_regs), printed with %pB: the symbol of the byte before it, then its own offset.
 */
function entryFrame(k: Kernel, regsAt: bigint): string | undefined {
  const ret = k.read64(regsAt - 8n);
  const name = ret === undefined ? undefined : entrySymbolAt(ret - 1n);
  const m = name && /^(.*)\+0x([0-9a-f]+)(\/.*)$/.exec(name);
  return m ? `${m[1]}+0x${(BigInt('0x' + m[2]) + 1n).toString(16)}${m[3]}` : undefined;
}

/** The emulated kernel functions in progress below the driver, innermost first, and the user registers. */
function kernelFrames(k: Kernel): { frames: CallSite[]; entry?: string; user?: PtRegs } {
  const pending = k.m.hle.pending;
  const inner = pending[pending.length - 1];
  const chains = k.callSites?.chains;
  if (!inner || !chains) return { frames: [] };
  const sc = oopsState(k).syscall;
  if (sc && inner.fn === sc.fn) {
    const name = chainOf(sc.nr, sc.misc);
    const frames = ((name && chains[name]?.frames) || []).filter((f) => f.function !== 'entry_SYSCALL_64_after_hwframe');
    return { frames, entry: entryFrame(k, sc.regsAt), user: readPtRegs(k, sc.regsAt) };
  }
  // The ring-0 loader stub (insmod.ts): load_module and delete_module called from a kernel thread.
  if (inner.fn.name === 'load_module') return { frames: (chains['finit_module']?.frames ?? []).filter((f) => f.function === 'do_one_initcall' || f.function === 'do_init_module') };
  if (inner.fn.name === 'delete_module') return { frames: (chains['delete_module']?.frames ?? []).filter((f) => f.function === '__do_sys_delete_module') };
  return { frames: [] };
}

/** show_trace_log_lvl(current, regs, NULL, KERN_DEFAULT) for a fault in driver code. */
export function callTrace(k: Kernel, regs: PtRegs): OopsLine[] {
  const out = [line('Call Trace:'), line(' <TASK>')];
  const walked = moduleFrames(k, regs);
  for (const ip of walked.frames) out.push(line(` ${backtraceName(k, ip)}`));
  const below = kernelFrames(k);
  for (const f of below.frames) out.push(line(` ${f.function}+0x${f.offset.toString(16)}/0x${f.size.toString(16)}`));
  if (below.entry) out.push(line(` ${below.entry}`));
  if (below.user) out.push(...showRegs(k, below.user, false));
  out.push(line(' </TASK>'));
  return out;
}
