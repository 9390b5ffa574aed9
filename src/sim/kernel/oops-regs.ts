// Models: the register dumps of a Linux 6.1 oops on x86-64: struct pt_regs as the exception entry
// or entry_SYSCALL_64 saves it, show_ip()/show_iret_regs() and show_opcodes() with copy_code()
// (arch/x86/kernel/dumpstack.c), __show_regs() in its SHOW_REGS_ALL and SHOW_REGS_SHORT forms
// (arch/x86/kernel/process_64.c), and %pS/%pB naming an address (lib/vsprintf.c, kallsyms).
// Reading the opcode bytes is done as the kernel does it, so it has the kernel's side effect: a
// read that faults (copy_from_kernel_nofault(), 8 bytes at a time) leaves its address in CR2,
// which is why the real oops prints "CR2: <the Code: address>" in its register block.
// Simplifies: no debug registers are ever set and the modelled CPU has no PKE, so the DR and PKRU
// lines never print; a user-space copy (copy_from_user_nmi()) that faults sets CR2 to the first
// byte it could not read (the real copy loop's exact faulting word is not modelled); kernel
// addresses outside modules have no symbols in the model, so %pS prints them as 0x….
import type { Kernel } from './kernel';
import { moduleSymbolName } from './loader/kallsyms';
import { showOpcodes as showUserOpcodes } from './traps';
import { split } from './layout';
import { walk } from '../mem/paging';

/** struct pt_regs (arch/x86/include/asm/ptrace.h), the fields __show_regs() prints. */
export interface PtRegs {
  ax: bigint; bx: bigint; cx: bigint; dx: bigint; si: bigint; di: bigint; bp: bigint;
  r8: bigint; r9: bigint; r10: bigint; r11: bigint; r12: bigint; r13: bigint; r14: bigint; r15: bigint;
  ip: bigint; cs: bigint; flags: bigint; sp: bigint; ss: bigint;
  /** The system call number, or -1 (all ones) for an exception: no " ORIG_RAX:" then. */
  orig_ax: bigint;
}

const x16 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
const x8 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(8, '0');
const x4 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(4, '0');
export const userMode = (regs: PtRegs) => (regs.cs & 3n) === 3n;

/** A line of the dump and the level printk gives it (KERN_DEFAULT: 4). */
export type OopsLine = { level: number; text: string };
const line = (text: string, level = 4): OopsLine => ({ level, text });

/** %pS: "name+0xoff/0xsize [module]" for module text, else the bare address as 0x…. */
export function symbolName(k: Kernel, address: bigint): string {
  for (const mod of k.modules.values()) {
    const name = moduleSymbolName(mod, address);
    if (name) return name;
  }
  return `0x${address.toString(16)}`;
}

/** %pB (sprint_backtrace): a return address is looked up one byte back, then printed with its own offset. */
export function backtraceName(k: Kernel, address: bigint): string {
  const name = symbolName(k, address - 1n);
  const m = /^(.*)\+0x([0-9a-f]+)(\/.*)$/.exec(name);
  return m ? `${m[1]}+0x${(BigInt('0x' + m[2]) + 1n).toString(16)}${m[3]}` : `0x${address.toString(16)}`;
}

const TASK_SIZE_MAX = 0x00007ffffffff000n;

/** Is this byte readable by the kernel now (present in the current page tables)? */
function present(k: Kernel, address: bigint): boolean {
  const v = split(address);
  return walk(k.m.mem, { cr3: k.m.s.cr3, wp: false, nxe: true, smep: false, smap: false }, v.lo, v.hi, 'read', false, false, false).ok;
}

/**
 * copy_from_kernel_nofault(buf, ip - 42, 64): refused below TASK_SIZE_MAX + PAGE_SIZE; copies
 * 8 bytes at a time and stops at the first word it cannot read, whose fault sets CR2.
 */
function copyFromKernelNofault(k: Kernel, start: bigint, n: number): number[] | undefined {
  if (start < TASK_SIZE_MAX + 4096n || start + BigInt(n) > 0xffffffffffffffffn) return undefined;
  for (let i = 0; i < n; i += 8) {
    const word = start + BigInt(i);
    for (let b = 0n; b < 8n; b++) {
      if (present(k, word + b)) continue;
      k.m.s.cr2 = split(word + b); // the word's first byte, or the first byte of the page it runs into
      return undefined;
    }
  }
  return k.readBytes(start, n);
}

/** show_opcodes(): 42 bytes before RIP, the byte at RIP in <>, 21 after; or why not. */
export function showOpcodes(k: Kernel, regs: PtRegs): OopsLine {
  const prologue = regs.ip - 42n;
  if (userMode(regs)) {
    const text = showUserOpcodes(k, regs.ip);
    if (text.startsWith('Code: Unable')) markUserFault(k, prologue);
    return line(text);
  }
  const bytes = copyFromKernelNofault(k, prologue, 64);
  if (!bytes) return line(`Code: Unable to access opcode bytes at 0x${prologue.toString(16)}.`);
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0'));
  return line(`Code: ${hex.slice(0, 42).join(' ')} <${hex[42]}> ${hex.slice(43).join(' ')}`);
}

/** copy_from_user_nmi() stopped at a page the task has not touched: CR2 holds its first byte. */
function markUserFault(k: Kernel, start: bigint) {
  for (let page = start - (start % 4096n); page < start + 64n; page += 4096n) {
    if (!k.userPages.has(page)) {
      k.m.s.cr2 = split(page > start ? page : start);
      return;
    }
  }
}

/** show_iret_regs() + __show_regs(): the SHOW_REGS_SHORT lines, and with `all` the segment and CR lines. */
export function showRegs(k: Kernel, regs: PtRegs, all: boolean): OopsLine[] {
  const out: OopsLine[] = [line(`RIP: ${x4(regs.cs)}:${symbolName(k, regs.ip)}`), showOpcodes(k, regs)];
  const orig = BigInt.asIntN(64, regs.orig_ax) === -1n ? '' : ` ORIG_RAX: ${x16(regs.orig_ax)}`;
  out.push(line(`RSP: ${x4(regs.ss)}:${x16(regs.sp)} EFLAGS: ${x8(regs.flags)}${orig}`));
  out.push(line(`RAX: ${x16(regs.ax)} RBX: ${x16(regs.bx)} RCX: ${x16(regs.cx)}`));
  out.push(line(`RDX: ${x16(regs.dx)} RSI: ${x16(regs.si)} RDI: ${x16(regs.di)}`));
  out.push(line(`RBP: ${x16(regs.bp)} R08: ${x16(regs.r8)} R09: ${x16(regs.r9)}`));
  out.push(line(`R10: ${x16(regs.r10)} R11: ${x16(regs.r11)} R12: ${x16(regs.r12)}`));
  out.push(line(`R13: ${x16(regs.r13)} R14: ${x16(regs.r14)} R15: ${x16(regs.r15)}`));
  if (!all) return out;
  const s = k.m.s;
  const big = (v: { lo: number; hi: number }) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
  out.push(line(`FS:  ${x16(big(s.fsBase))}(${x4(BigInt(s.fs))}) GS:${x16(big(s.gsBase))}(${x4(BigInt(s.gs))}) knlGS:${x16(big(s.kernelGsBase))}`));
  out.push(line(`CS:  ${x4(regs.cs)} DS: ${x4(BigInt(s.ds))} ES: ${x4(BigInt(s.es))} CR0: ${x16(BigInt(s.cr0 >>> 0))}`));
  out.push(line(`CR2: ${x16(big(s.cr2))} CR3: ${x16(BigInt(s.cr3))} CR4: ${x16(BigInt(s.cr4 >>> 0))}`));
  return out;
}
