// Models: what Linux 6.1 sets up so that a fault reaches the kernel (cpu_init, trap_init: the GDT
// with Linux's selectors, the TSS with RSP0, the IDT gates of arch/x86/kernel/idt.c), and what
// the handlers do with a fault in user mode: exc_general_protection → show_signal() (traps.c) and
// exc_page_fault → show_signal_msg() with show_opcodes() (arch/x86/mm/fault.c, dumpstack.c), then
// SIGSEGV, which kills the process (status 128 + 11 as the shell reports it).
// The gates point at the real entry stubs (entry.ts: asm_exc_*, irq_entries_start), which save
// pt_regs, swapgs from ring 3, call the C handler — exc_page_fault(regs, error_code) and the others,
// emulated here — and leave with iretq. A kernel-mode #PF on a user address is paged in or fixed
// up through the exception table (extable.ts), as do_user_addr_fault() and
// kernelmode_fixup_or_oops() do; any other fault in ring 0 goes to oops.ts with the registers the
// stub saved in pt_regs.
// Simplifies: the tables are written by TypeScript at boot instead of lgdt/lidt/ltr being executed;
// the TSS has RSP0 = the task stack (6.1 uses the entry trampoline stack) and IST1 for #DF only;
// handlers of the other exceptions say they are not modelled.
import type { Kernel } from './kernel';
import type { HleCall } from './hle';
import { NotModelled } from '../cpu/fault';
import { CR4_SMAP } from '../cpu/state';
import { join, split } from './layout';
import { defineEntryHle, entrySymbol, irqEntry, perCpu, FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR } from './entry';
import { readPtRegs, type PtRegs } from './pt-regs';
import { fixupException } from './extable';
import { subsystem } from './subsystems';

const GDT_AT = 0xffffffff84008000n, IDT_AT = 0xffffffff84009000n;
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
const hex = (v: bigint) => v.toString(16);

/** arch/x86/include/asm/page_64_types.h, 4-level paging: the end of user space. */
const TASK_SIZE_MAX = (1n << 47n) - 4096n;

/**
 * The gates 6.1's idt.c installs (def_idts, early_pf_idts), for the exceptions the entry code has
 * stubs for: INTG is an interrupt gate with DPL 0, SYSG one with DPL 3 (int3 from user space),
 * ISTG one on an IST stack. cfunc is the C handler the stub calls.
 */
const GATES: Record<number, { stub: string; cfunc: string; dpl: 0 | 3; ist: number; errorCode: boolean }> = {
  0: { stub: 'asm_exc_divide_error', cfunc: 'exc_divide_error', dpl: 0, ist: 0, errorCode: false },
  3: { stub: 'asm_exc_int3', cfunc: 'exc_int3', dpl: 3, ist: 0, errorCode: false },
  6: { stub: 'asm_exc_invalid_op', cfunc: 'exc_invalid_op', dpl: 0, ist: 0, errorCode: false },
  8: { stub: 'asm_exc_double_fault', cfunc: 'exc_double_fault', dpl: 0, ist: 1, errorCode: true },
  10: { stub: 'asm_exc_invalid_tss', cfunc: 'exc_invalid_tss', dpl: 0, ist: 0, errorCode: true },
  11: { stub: 'asm_exc_segment_not_present', cfunc: 'exc_segment_not_present', dpl: 0, ist: 0, errorCode: true },
  12: { stub: 'asm_exc_stack_segment', cfunc: 'exc_stack_segment', dpl: 0, ist: 0, errorCode: true },
  13: { stub: 'asm_exc_general_protection', cfunc: 'exc_general_protection', dpl: 0, ist: 0, errorCode: true },
  14: { stub: 'asm_exc_page_fault', cfunc: 'exc_page_fault', dpl: 0, ist: 0, errorCode: true },
  17: { stub: 'asm_exc_alignment_check', cfunc: 'exc_alignment_check', dpl: 0, ist: 0, errorCode: true },
};
/** The handlers with 6.1's behaviour for a fault in user mode; the others are not modelled. */
const MODELLED = new Set([0, 6, 13, 14]);

export function setUpTraps(k: Kernel, kernelStackTop: bigint) {
  const m = k.m;
  const tssAt = perCpu('cpu_tss_rw'); // DEFINE_PER_CPU_PAGE_ALIGNED(struct tss_struct, cpu_tss_rw)
  // GDT: Linux's layout (arch/x86/include/asm/segment.h), TSS descriptor at 0x40.
  const gdt = [0n, 0n, 0x00af9b000000ffffn, 0x00cf93000000ffffn, 0x00cffb000000ffffn, 0x00cff3000000ffffn, 0x00affb000000ffffn, 0n];
  const tssLow = 103n | ((tssAt & 0xffffffn) << 16n) | (0x89n << 40n) | (((tssAt >> 24n) & 0xffn) << 56n);
  k.writeBytes(GDT_AT, [...gdt.flatMap((d) => le(d, 8)), ...le(tssLow, 8), ...le(tssAt >> 32n, 8)]);
  m.s.gdtr = { base: split(GDT_AT), limit: 0x4f };
  // TSS: RSP0 = the kernel stack; IST1 = the top of the #DF stack; no I/O bitmap (base beyond the limit).
  const dfStackTop = perCpu('exception_stacks') + 4096n;
  k.writeBytes(tssAt, [...le(0n, 4), ...le(kernelStackTop, 8), ...new Array(16).fill(0), ...le(0n, 8), ...le(dfStackTop, 8), ...new Array(56).fill(0), ...le(0n, 2), ...le(104n, 2)]);
  m.s.tr = 0x40;
  m.s.tssBase = split(tssAt);
  m.s.tssLimit = 103;
  // IDT: interrupt gates (type 0xe) to the entry stubs; the external vectors to irq_entries_start.
  const idt = new Array(256 * 16).fill(0);
  const gate = (v: number, entry: bigint, dpl: number, ist: number) =>
    [...le(entry & 0xffffn, 2), 0x10, 0, ist, 0x8e | (dpl << 5), ...le((entry >> 16n) & 0xffffn, 2), ...le(entry >> 32n, 4), 0, 0, 0, 0].forEach((b, i) => (idt[v * 16 + i] = b));
  for (const [v, g] of Object.entries(GATES)) {
    gate(Number(v), entrySymbol(g.stub), g.dpl, g.ist);
    defineEntryHle(k, g.cfunc, g.cfunc === 'exc_page_fault' ? 'arch/x86/mm/fault.c' : 'arch/x86/kernel/traps.c', (call) => exceptionHandler(k, Number(v), g.cfunc, g.errorCode, call));
  }
  // idt_setup_apic_and_irq_gates(): every external vector that is not a system vector. The first,
  // IRQ_MOVE_CLEANUP_VECTOR (= FIRST_EXTERNAL_VECTOR), is a system vector in 6.1 with its own stub
  // (asm_sysvec_irq_move_cleanup), which the model has not: its gate stays not present.
  for (let v = FIRST_EXTERNAL_VECTOR + 1; v < FIRST_SYSTEM_VECTOR; v++) gate(v, irqEntry(v), 0, 0);
  k.writeBytes(IDT_AT, idt);
  m.s.idtr = { base: split(IDT_AT), limit: 256 * 16 - 1 };
}

/**
 * The C-level handler cfunc(regs[, error_code]), called by the entry stub with pt_regs on the
 * kernel stack. Returning lets the stub restore the registers and iretq (regs->ip may have been
 * moved to a fix-up); killing the process stops the machine.
 */
function exceptionHandler(k: Kernel, vector: number, name: string, hasErrorCode: boolean, { m, arg }: HleCall): undefined {
  const regsAt = join(arg(0));
  const regs = readPtRegs(k, regsAt);
  const error = hasErrorCode ? join(arg(1)) : 0n;
  const { ip, cs, sp } = regs;
  if (!MODELLED.has(vector)) throw new NotModelled(`${name} (vector ${vector}) is not modelled`);
  if ((cs & 3n) !== 3n) {
    // A fault in ring 0: a user page brought in, or the exception table's fix-up (regs->ip moved,
    // and the stub's iretq goes there); otherwise the kernel's own handling, usually an oops that
    // kills the task (oops.ts), which stops the machine: the stub does not return to user space.
    if (vector === 14 ? kernelModeUserFault(k, regsAt, regs, error) : fixupException(k, regsAt, regs, vector)) return;
    subsystem(k, 'oops', `an oops (${name} in ring 0)`).kernelFault(k, vector, regs, error);
    return;
  }
  if (!k.process) throw new NotModelled(`${name} from a process the model runs without a program (a modelled tool) is not modelled`);
  const p = k.process;
  const where = vmaOf(k, ip);
  if (vector === 14) {
    const address = join(m.s.cr2);
    // do_user_addr_fault(): a not-present page inside a VMA that allows the access is paged in;
    // the stub's iretq then runs the faulting instruction again.
    const access = error & 0x10n ? 'exec' : error & 2n ? 'write' : 'read';
    if ((error & 1n) === 0n && p.faultIn(address, access)) return;
    // show_signal_msg(): KERN_INFO for PIDs above 1; the %px values are zero-padded.
    k.printk(6, `${p.comm}[${p.pid}]: segfault at ${hex(address)} ip ${ip.toString(16).padStart(16, '0')} sp ${sp.toString(16).padStart(16, '0')} error ${hex(error)}${where} likely on CPU 0 (core 0, socket 0)`);
    k.printk(6, showOpcodes(k, ip));
  } else {
    const desc = vector === 13 ? 'general protection fault' : vector === 6 ? 'invalid opcode' : 'divide error';
    // show_signal(): pr_info with traps.c's pr_fmt "traps: ".
    k.printk(6, `traps: ${p.comm}[${p.pid}] ${desc} ip:${hex(ip)} sp:${hex(sp)} error:${hex(error)}${where}`);
  }
  p.signal = 'SIGSEGV';
  p.exitStatus = 128 + 11;
  m.stop('exited', `${p.comm}[${p.pid}] was killed by SIGSEGV`);
  return undefined;
}

/**
 * A #PF in ring 0, as exc_page_fault() handles it before any oops: on a user address
 * (do_user_addr_fault()), ring 0 executing user memory or touching it with SMAP on and RFLAGS.AC
 * clear is a bug (false: page_fault_oops, no exception table consulted); a not-present page
 * inside a VMA is paged in and the access resumes; anything else, on any address, goes to
 * kernelmode_fixup_or_oops(), where the exception table may name a fix-up. False: an oops.
 */
function kernelModeUserFault(k: Kernel, regsAt: bigint, regs: PtRegs, error: bigint): boolean {
  const address = join(k.m.s.cr2);
  if (address < TASK_SIZE_MAX) {
    const AC = 1n << 18n;
    if ((error & 0x14n) === 0x10n) return false; // ring 0 executing user memory: page_fault_oops()
    if ((k.m.s.cr4 & CR4_SMAP) !== 0 && (regs.flags & AC) === 0n) return false; // SMAP violation: page_fault_oops()
    const access = error & 2n ? 'write' : 'read';
    if (k.process && (error & 1n) === 0n && k.process.faultIn(address, access)) return true; // handle_mm_fault()
  }
  return fixupException(k, regsAt, regs, 14);
}

/** print_vma_addr(" in ", ip): " in <file>[<start>+<size>]" for the mapping holding ip. */
function vmaOf(k: Kernel, ip: bigint): string {
  const p = k.process!;
  const v = p.mappings.find((r) => ip >= r.start && ip < r.end);
  if (!v) return '';
  const start = v.start - (v.start % 4096n);
  const end = v.end + ((4096n - (v.end % 4096n)) % 4096n);
  return ` in ${p.comm}[${hex(start)}+${hex(end - start)}]`;
}

/**
 * show_opcodes(): 42 bytes before ip, the byte at ip in <>, 21 after. It reads with
 * copy_from_user_nmi(), which never pages anything in: if any of the 64 bytes is on a page the
 * program has not touched, the line says so instead.
 */
export function showOpcodes(k: Kernel, ip: bigint): string {
  const start = ip - 42n;
  for (let page = start - (start % 4096n); page < start + 64n; page += 4096n) {
    if (!k.userPages.has(page)) return `Code: Unable to access opcode bytes at 0x${hex(start)}.`;
  }
  const bytes = k.readBytes(start, 64).map((b) => b.toString(16).padStart(2, '0'));
  return `Code: ${bytes.slice(0, 42).join(' ')} <${bytes[42]}> ${bytes.slice(43).join(' ')}`;
}
