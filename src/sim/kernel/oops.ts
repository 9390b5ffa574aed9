// Models: what Linux 6.1 does when code in ring 0 faults (an oops), line by line as 6.1.192 prints
// it: the page-fault path (exc_page_fault → do_user_addr_fault/do_kern_addr_fault → bad_area →
// kernelmode_fixup_or_oops → page_fault_oops, arch/x86/mm/fault.c) with show_fault_oops() (the
// "BUG:" line and the two "#PF:" lines) and dump_pagetable() over the task's own page tables;
// die()/die_addr() for #GP, #UD and #DE (arch/x86/kernel/traps.c); then oops_begin(), __die()
// (the "Oops: 0000 [#1] PREEMPT SMP NOPTI" header, show_regs() with dump_stack_print_info()'s
// "CPU: … Comm: … Tainted: …" and "Hardware name:" lines, the registers, the call trace,
// print_modules()), "CR2:", and oops_end(): taint D (TAINT_DIE), the "---[ end trace … ]---"
// marker, the executive summary (the first oops's registers again) and make_task_dead(): after a
// page fault the task dies by SIGKILL (the shell says "Killed", status 137), after die() by
// SIGSEGV ("Segmentation fault", 139). The kernel goes on.
// The registers printed are those the assembled entry stub saved in struct pt_regs (entry.ts).
// Simplifies: one CPU, no panic_on_oops, kexec, KASAN or KFENCE; fixup_exception() searches the
// kernel's own __ex_table (extable.ts, called first by traps.ts) but not modules' (no sample module
// has an exception table; one that has stops the machine as not modelled); a
// BUG()/WARN() (a ud2 in a module with a __bug_table) stops the machine as not modelled; the dying
// task's open files are dropped without calling their f_op->release. Register values, addresses
// and PIDs are the model's own; the formats are 6.1's.
import { releaseHeld } from './char-open';
import type { Kernel } from './kernel';
import { NotModelled } from '../cpu/fault';
import { CR4_SMAP, CR4_SMEP } from '../cpu/state';
import { decode } from '../cpu/decode';
import type { MemOperand } from '../cpu/instruction';
import { PTE_P } from '../mem/paging';
import { join, split } from './layout';
import { TAINT } from './loader/symbols';
import { moduleFlags } from './loader/module-flags';
import { oopsState } from './oops-state';
import { showRegs, symbolName, userMode, type OopsLine, type PtRegs } from './oops-regs';
import { callTrace, moduleAt } from './oops-trace';

const X86_PF_PROT = 1n, X86_PF_WRITE = 2n, X86_PF_USER = 4n, X86_PF_RSVD = 8n, X86_PF_INSTR = 0x10n, X86_PF_PK = 0x20n;
const TASK_SIZE_MAX = 0x00007ffffffff000n;
const X86_EFLAGS_AC = 1n << 18n;
const x16 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');

/** taint_flags[] of kernel/panic.c: (c_true, c_false) for each bit, TAINT_FLAGS_COUNT = 19. */
const TAINT_FLAGS: [string, string][] = [
  ['P', 'G'], ['F', ' '], ['S', ' '], ['R', ' '], ['M', ' '], ['B', ' '], ['U', ' '], ['D', ' '], ['A', ' '], ['W', ' '],
  ['C', ' '], ['I', ' '], ['O', ' '], ['E', ' '], ['L', ' '], ['K', ' '], ['X', ' '], ['T', ' '], ['N', ' '],
];

/** print_tainted(). */
export function printTainted(mask: number): string {
  if (!mask) return 'Not tainted';
  return 'Tainted: ' + TAINT_FLAGS.map(([t, f], i) => (mask & (1 << i) ? t : f)).join('');
}

/**
 * A fault taken in ring 0 that neither a page-in nor the kernel's exception table handled
 * (traps.ts tries both first). `regs` is the struct pt_regs the entry stub saved on the kernel
 * stack (the live registers were clobbered by the stub), `error` the error code (0 for vectors
 * without one). Returns 'resume' when the kernel handled it (a user page brought in for a kernel
 * access the rules allow), else prints the oops and kills the task: 'killed'.
 */
export function kernelFault(k: Kernel, vector: number, regs: PtRegs, error: bigint): 'resume' | 'killed' {
  if (vector === 14) {
    const address = join(k.m.s.cr2);
    if (address < TASK_SIZE_MAX) {
      // do_user_addr_fault(): ring 0 executing user memory, or touching it outside stac/clac
      // with SMAP on, oopses at once (no exception table is consulted).
      if ((error & (X86_PF_USER | X86_PF_INSTR)) === X86_PF_INSTR) return pageFaultOops(k, regs, error, address);
      if (error & X86_PF_RSVD) throw new NotModelled('pgtable_bad(): reserved bits in a user page-table entry');
      if ((k.m.s.cr4 & CR4_SMAP) !== 0 && !(error & X86_PF_USER) && !(regs.flags & X86_EFLAGS_AC)) return pageFaultOops(k, regs, error, address);
      // handle_mm_fault() for a page of the task's VMAs; otherwise bad_area().
      const access = error & X86_PF_WRITE ? 'write' : 'read';
      if (!(error & X86_PF_PROT) && k.process?.faultIn(address, access)) return 'resume';
    }
    // bad_area_nosemaphore() / do_kern_addr_fault() → kernelmode_fixup_or_oops().
    fixupException(k, regs);
    return pageFaultOops(k, regs, error, address);
  }
  fixupException(k, regs);
  if (vector === 13) return dieAddr(k, gpDescription(k, regs, error), regs, error);
  if (vector === 6) {
    // handle_bug(): a ud2 may be a BUG() or WARN() listed in a __bug_table (report_bug); without one it is a plain #UD.
    const insn = k.read64(regs.ip);
    const bugTable = moduleAt(k, regs.ip)?.sections.some((s) => s.name === '__bug_table' && s.size > 0);
    if (insn !== undefined && (insn & 0xffffn) === 0x0b0fn && bugTable) throw new NotModelled('handle_bug(): BUG() and WARN() (report_bug over a module\'s __bug_table) are not modelled yet');
    return die(k, 'invalid opcode', regs, 0n);
  }
  return die(k, 'divide error', regs, 0n);
}

/**
 * fixup_exception() for module text: the kernel's own __ex_table (extable.ts) was searched before
 * (traps.ts); the model does not search modules' tables, and refuses to guess for one that has one.
 */
function fixupException(k: Kernel, regs: PtRegs) {
  const mod = moduleAt(k, regs.ip);
  if (mod?.sections.some((s) => s.name === '__ex_table' && s.size > 0)) {
    throw new NotModelled(`fixup_exception(): ${mod.name} has an exception table, which the model does not search yet`);
  }
}

/** page_fault_oops(): show_fault_oops(), __die("Oops"), "CR2:", oops_end(SIGKILL). */
function pageFaultOops(k: Kernel, regs: PtRegs, error: bigint, address: bigint): 'killed' {
  oopsBegin(k);
  const out: OopsLine[] = [];
  const alert = (text: string) => out.push({ level: 1, text });
  if (error & X86_PF_INSTR) {
    // pr_crit; the model's tasks all run as root (uid 0).
    const entries = tableEntries(k, address);
    const pte = entries.length === 4 ? entries[3]! : undefined;
    const present = pte !== undefined && (pte & 1n) === 1n, exec = pte !== undefined && !(pte >> 63n);
    if (present && !exec) out.push({ level: 2, text: 'kernel tried to execute NX-protected page - exploit attempt? (uid: 0)' });
    if (present && exec && entries[0]! & 4n && k.m.s.cr4 & CR4_SMEP) out.push({ level: 2, text: 'unable to execute userspace code (SMEP?) (uid: 0)' });
  }
  if (address < 4096n && !userMode(regs)) alert(`BUG: kernel NULL pointer dereference, address: ${x16(address)}`);
  else alert(`BUG: unable to handle page fault for address: ${x16(address)}`);
  const what = error & X86_PF_INSTR ? 'instruction fetch' : error & X86_PF_WRITE ? 'write access' : 'read access';
  alert(`#PF: ${error & X86_PF_USER ? 'user' : 'supervisor'} ${what} in ${userMode(regs) ? 'user' : 'kernel'} mode`);
  const why = !(error & X86_PF_PROT) ? 'not-present page' : error & X86_PF_RSVD ? 'reserved bit violation' : error & X86_PF_PK ? 'protection keys violation' : 'permissions violation';
  alert(`#PF: error_code(0x${error.toString(16).padStart(4, '0')}) - ${why}`);
  out.push({ level: 6, text: dumpPagetable(k, address) });
  emit(k, out);
  dieBody(k, 'Oops', regs, error);
  emit(k, [{ level: 4, text: `CR2: ${x16(address)}` }]); // the executive summary of the address
  return oopsEnd(k, regs, 9); // SIGKILL
}

/** die(): oops_begin(), __die(str), oops_end(SIGSEGV). */
function die(k: Kernel, str: string, regs: PtRegs, error: bigint): 'killed' {
  oopsBegin(k);
  dieBody(k, str, regs, error);
  return oopsEnd(k, regs, 11); // SIGSEGV
}
const dieAddr = die; // die_addr() differs only by KASAN's non-canonical hook, which this kernel has not

/** exc_general_protection()'s description: segment-related, or with get_kernel_gp_address()'s hint. */
function gpDescription(k: Kernel, regs: PtRegs, error: bigint): string {
  const GPFSTR = 'general protection fault';
  if (error) return `segment-related ${GPFSTR}`;
  let bytes: number[];
  try {
    bytes = k.readBytes(regs.ip, 15);
  } catch {
    return GPFSTR;
  }
  const r = decode(bytes, 0, split(regs.ip).lo, split(regs.ip).hi);
  if (!r.ok) return GPFSTR;
  const mem = r.insn.operands.find((o) => o.kind === 'mem') as MemOperand | undefined;
  if (!mem) return GPFSTR;
  const reg = (i: number) => [regs.ax, regs.cx, regs.dx, regs.bx, regs.sp, regs.bp, regs.si, regs.di, regs.r8, regs.r9, regs.r10, regs.r11, regs.r12, regs.r13, regs.r14, regs.r15][i]!;
  let addr = mem.ripRelative ? regs.ip + BigInt(r.insn.length) : mem.base >= 0 ? reg(mem.base) : 0n;
  if (mem.index >= 0) addr += reg(mem.index) * BigInt(mem.scale);
  addr = BigInt.asUintN(64, addr + BigInt(mem.disp));
  if (mem.addr32) addr &= 0xffffffffn;
  if (mem.segment === 'fs') addr = BigInt.asUintN(64, addr + join(k.m.s.fsBase));
  if (mem.segment === 'gs') addr = BigInt.asUintN(64, addr + join(k.m.s.gsBase));
  const VIRTUAL_MASK = (1n << 47n) - 1n; // __VIRTUAL_MASK with 4-level paging (CONFIG_X86_5LEVEL kernel on a 4-level CPU)
  const nonCanonical = addr < BigInt.asUintN(64, ~VIRTUAL_MASK) && addr + BigInt(r.insn.opsize) - 1n > VIRTUAL_MASK;
  return `${GPFSTR}, ${nonCanonical ? 'probably for non-canonical address' : 'maybe for address'} 0x${addr.toString(16)}`;
}

/** oops_begin() → oops_enter(): debug_locks_off() silently (so add_taint(D) later says nothing). */
function oopsBegin(k: Kernel) {
  k.once.add('debug_locks_off');
}

/** __die(): __die_header() then __die_body() (show_regs + print_modules). */
function dieBody(k: Kernel, str: string, regs: PtRegs, error: bigint) {
  const s = oopsState(k);
  if (s.dieCounter === 0) s.execSummary = { ...regs };
  s.dieCounter++;
  // CONFIG_PREEMPTION (Debian's PREEMPT_DYNAMIC), CONFIG_SMP, and CONFIG_PAGE_TABLE_ISOLATION on a
  // CPU that does not need it (the QEMU PC's AMD CPU: X86_FEATURE_PTI is off), as the real header.
  const out: OopsLine[] = [{ level: 4, text: `${str}: ${(error & 0xffffn).toString(16).padStart(4, '0')} [#${s.dieCounter}] PREEMPT SMP NOPTI` }];
  // show_regs(): dump_stack_print_info(KERN_DEFAULT), __show_regs(SHOW_REGS_ALL), the call trace.
  const pid = k.process?.pid ?? k.nextPid - 1;
  const comm = (k.process?.comm ?? k.currentComm).slice(0, 15);
  // "%sCPU: %d PID: %d Comm: %.20s %s%s %s %.*s %s": the version up to its first space ("#1"), then
  // Debian's LINUX_PACKAGE_ID, " Debian <package version>" (the version string names it too).
  const uts = k.uts;
  const packageId = /Debian (\S+)/.exec(uts.version)?.[1];
  const linuxPackageId = packageId ? ` Debian ${packageId}` : '';
  out.push({ level: 4, text: `CPU: 0 PID: ${pid} Comm: ${comm} ${printTainted(k.taint)} ${uts.release} ${uts.version.split(' ')[0]} ${linuxPackageId}` });
  if (k.callSites?.hardwareName) out.push({ level: 4, text: `Hardware name: ${k.callSites.hardwareName.text}` });
  k.m.emit({ kind: 'kernel/oops', number: s.dieCounter, description: str, pid, comm, rip: split(regs.ip), where: symbolName(k, regs.ip) });
  emit(k, out);
  emit(k, showRegs(k, regs, true));
  if (!userMode(regs)) emit(k, callTrace(k, regs));
  emit(k, [{ level: 4, text: printModules(k) }]);
}

/** print_modules(): every module not UNFORMED, newest first, with module_flags(mod, buf, true). */
function printModules(k: Kernel): string {
  let text = 'Modules linked in:';
  for (const mod of [...k.modules.values()].reverse()) if (mod.state !== 'MODULE_STATE_UNFORMED') text += ` ${mod.name}${moduleFlags(mod, true)}`;
  const last = oopsState(k).lastUnloaded;
  if (last) text += ` [last unloaded: ${last.name}${last.taints}]`;
  return text;
}

/**
 * oops_end(): add_taint(TAINT_DIE), oops_exit()'s end marker, the executive summary of the first
 * oops's registers, then rewind_stack_and_make_dead(signr): the task dies, the kernel goes on.
 */
function oopsEnd(k: Kernel, regs: PtRegs, signr: number): 'killed' {
  k.taint |= 1 << TAINT.DIE;
  emit(k, [{ level: 4, text: '---[ end trace 0000000000000000 ]---' }]);
  emit(k, showRegs(k, oopsState(k).execSummary ?? regs, true));
  makeTaskDead(k, signr);
  return 'killed';
}

/** make_task_dead() → do_exit(): the kernel functions in progress are abandoned with the task's stack. */
function makeTaskDead(k: Kernel, signr: number) {
  const s = oopsState(k);
  const m = k.m;
  m.hle.pending.length = 0;
  const pid = k.process?.pid ?? k.nextPid - 1;
  // exit_files(): the task's descriptors go; a file with no other reference drops the module
  // references it held (the real __fput also runs f_op->release, through task work: not modelled).
  for (const [fd, f] of k.openFiles) {
    if (f.pid !== pid) continue;
    k.openFiles.delete(fd);
    f.count = (f.count ?? 1) - 1;
    if (f.count <= 0) releaseHeld(k, f.held ?? []);
  }
  s.syscall = undefined;
  s.killed = signr;
  const comm = k.process?.comm ?? k.currentComm;
  if (k.process) {
    k.process.exitStatus = 128 + signr;
    k.process.signal = signr === 9 ? 'SIGKILL' : 'SIGSEGV';
  }
  m.stop('exited', `${comm}[${pid}] was killed by ${signr === 9 ? 'SIGKILL' : 'SIGSEGV'} after an oops in ring 0`);
}

function emit(k: Kernel, lines: OopsLine[]) {
  for (const l of lines) k.printk(l.level, l.text);
}

/** The page-table entry at each level for an address, from CR3, as dump_pagetable() reads them. */
function tableEntries(k: Kernel, address: bigint): bigint[] {
  const mem = k.m.mem;
  const entries: bigint[] = [];
  let table = k.m.s.cr3 - (k.m.s.cr3 % 4096);
  for (const shift of [39n, 30n, 21n, 12n]) {
    const at = table + Number((address >> shift) & 0x1ffn) * 8;
    const e = (BigInt(mem.read32(at + 4) >>> 0) << 32n) | BigInt(mem.read32(at) >>> 0);
    entries.push(e);
    if (!(e & BigInt(PTE_P)) || (shift !== 12n && shift !== 39n && e & 0x80n)) break;
    table = Number(e & 0x000ffffffffff000n);
  }
  return entries;
}

/**
 * dump_pagetable() with 4-level paging: the P4D level is folded into the PGD, so both print the
 * PML4 entry (pgd_present() is always true then); it stops after the first entry that is not
 * present or maps a large page.
 */
function dumpPagetable(k: Kernel, address: bigint): string {
  const [pml4, pdpt, pd, pt] = tableEntries(k, address);
  const hx = (v: bigint) => v.toString(16);
  let text = `PGD ${hx(pml4!)} P4D ${hx(pml4!)} `;
  if (!(pml4! & 1n) || pdpt === undefined) return text;
  text += `PUD ${hx(pdpt)} `;
  if (!(pdpt & 1n) || pdpt & 0x80n || pd === undefined) return text;
  text += `PMD ${hx(pd)} `;
  if (!(pd & 1n) || pd & 0x80n || pt === undefined) return text;
  return text + `PTE ${hx(pt)}`;
}
