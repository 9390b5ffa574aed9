// Models: the kernel's exception table (arch/x86/mm/extable.c, kernel/extable.c): when kernel code
// faults, fixup_exception() looks the faulting RIP up in __ex_table (search_exception_tables) and,
// if the instruction is listed, sends execution to its fix-up instead of oopsing. Entries are 6.1's
// struct exception_table_entry { int insn, fixup, data; }, place-relative, read from the linked
// entry code (src/sim/data/kernel-entry.json).
// Simplifies: only the kernel's own table (the samples' modules have no __ex_table); the table is
// small and searched linearly (6.1 sorts it at build time and bisects); only the fix-up types the
// entry code uses are modelled (EX_TYPE_DEFAULT, FAULT, UACCESS, COPY); the WARN_ONCE that
// ex_handler_copy()/ex_handler_uaccess() print for a #GP (a non-canonical user address) is not.
import type { Kernel } from './kernel';
import { NotModelled } from '../cpu/fault';
import { ENTRY } from './entry';
import { writePtReg, type PtRegs } from './pt-regs';
import { split } from './layout';

// arch/x86/include/asm/extable_fixup_types.h
const EX_DATA_TYPE_MASK = 0xff;
const EX_FLAG_CLEAR_AX = 1 << 12, EX_FLAG_CLEAR_DX = 2 << 12;
export const EX_TYPE = { DEFAULT: 1, FAULT: 2, UACCESS: 3, COPY: 4 } as const;
const TYPE_NAMES: Record<number, string> = { 1: 'EX_TYPE_DEFAULT', 2: 'EX_TYPE_FAULT', 3: 'EX_TYPE_UACCESS', 4: 'EX_TYPE_COPY' };

export interface ExEntry {
  insn: bigint;
  fixup: bigint;
  data: number;
}

/** The entries of __ex_table, decoded from the bytes in kernel memory (place-relative words). */
export function exceptionTable(k: Kernel): ExEntry[] {
  const seg = ENTRY.segments.find((s) => s.name === '__ex_table')!;
  const bytes = k.readBytes(seg.address, seg.bytes.length);
  const s32 = (i: number) => (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  const out: ExEntry[] = [];
  for (let i = 0; i + 12 <= bytes.length; i += 12) {
    const at = seg.address + BigInt(i);
    out.push({ insn: BigInt.asUintN(64, at + BigInt(s32(i))), fixup: BigInt.asUintN(64, at + 4n + BigInt(s32(i + 4))), data: s32(i + 8) >>> 0 });
  }
  return out;
}

/** search_exception_tables(addr). */
export function searchExceptionTables(k: Kernel, ip: bigint): ExEntry | undefined {
  return exceptionTable(k).find((e) => e.insn === ip);
}

/**
 * fixup_exception(regs, trapnr, ...): true if the faulting instruction has an entry, after moving
 * regs->ip to its fix-up (and, for EX_TYPE_FAULT and EX_TYPE_COPY, putting the trap number in
 * regs->ax, which copy_user_handle_tail reads).
 */
export function fixupException(k: Kernel, regsAt: bigint, regs: PtRegs, trapnr: number): boolean {
  const e = searchExceptionTables(k, regs.ip);
  if (!e) return false;
  const type = e.data & EX_DATA_TYPE_MASK;
  switch (type) {
    case EX_TYPE.FAULT:
    case EX_TYPE.COPY:
      writePtReg(k, regsAt, 'ax', BigInt(trapnr)); // ex_handler_fault()
    // falls through: ex_handler_fault() ends in ex_handler_default()
    case EX_TYPE.DEFAULT:
    case EX_TYPE.UACCESS:
      if (e.data & EX_FLAG_CLEAR_AX) writePtReg(k, regsAt, 'ax', 0n);
      if (e.data & EX_FLAG_CLEAR_DX) writePtReg(k, regsAt, 'dx', 0n);
      writePtReg(k, regsAt, 'ip', e.fixup);
      k.m.emit({ kind: 'kernel/exception-fixed-up', ip: split(regs.ip), fixup: split(e.fixup), type: TYPE_NAMES[type]! });
      return true;
    default:
      throw new NotModelled(`fixup_exception: exception-table type ${type} at ${regs.ip.toString(16)} is not modelled`);
  }
}
