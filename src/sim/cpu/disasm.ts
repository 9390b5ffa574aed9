// Models: the Intel-syntax text GNU objdump (binutils 2.40, `objdump -d -M intel`) prints for an
// instruction: mnemonic padded to six columns, operands with BYTE/WORD/DWORD/QWORD PTR, fs:/gs:
// segments, riz/eiz, hexadecimal immediates and branch targets, and the `# address` comment of
// RIP-relative operands.
// Simplifies: symbol names come from an optional callback; without it no `<symbol>` is printed.
import type { ImmOperand, Instruction, MemOperand, Operand } from './instruction';
import { IMM_BARE, MEM_DISP, MEM_DS, MEM_ES, MEM_RIZ, MEM_SHOW_FS, MEM_SHOW_GS, type DecodedImm, type DecodedMem } from './decode-types';

const R64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const R8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const HIGH8 = ['ah', 'ch', 'dh', 'bh'];
const SEGMENT_REGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const PTR: Record<number, string> = { 1: 'BYTE PTR ', 2: 'WORD PTR ', 4: 'DWORD PTR ', 8: 'QWORD PTR ', 10: 'TBYTE PTR ', 16: 'OWORD PTR ' };

/** Names an address for a listing ("init_module+0x5"), or returns undefined. */
export type Symbolizer = (lo: number, hi: number) => string | undefined;

/** A 64-bit value (unsigned halves) in lower-case hexadecimal without leading zeros or 0x. */
export function hex64(lo: number, hi: number): string {
  return hi >>> 0 ? (hi >>> 0).toString(16) + (lo >>> 0).toString(16).padStart(8, '0') : (lo >>> 0).toString(16);
}

/** A signed 32-bit displacement as objdump prints a sign-extended 64-bit value. */
const signExtended = (disp: number) => hex64(disp, disp < 0 ? 0xffffffff : 0);

/** Name of a general register operand. */
export function registerName(size: number, reg: number, high8: boolean): string {
  if (size === 1) return high8 ? HIGH8[reg & 3]! : R8[reg & 15]!;
  return (size === 2 ? R16 : size === 4 ? R32 : R64)[reg & 15]!;
}

function memText(m: MemOperand): string {
  const hints = m as Partial<DecodedMem>;
  const noIndex = m.index < 0;
  const fmt = hints.fmt ?? (m.disp !== 0 || (m.base < 0 && noIndex) ? MEM_DISP : 0);
  const ptr = hints.ptr ?? m.size;
  let text = PTR[ptr] ?? '';
  if (m.segment) text += m.segment + ':';
  else if (fmt & (MEM_SHOW_FS | MEM_SHOW_GS)) text += fmt & MEM_SHOW_FS ? 'fs:' : 'gs:';
  else if (fmt & MEM_ES) text += 'es:';
  else if (fmt & MEM_DS || (m.base < 0 && noIndex && !(fmt & (MEM_RIZ | MEM_SHOW_FS | MEM_SHOW_GS)) && !m.ripRelative)) text += 'ds:';
  const regs = m.addr32 ? R32 : R64;
  if (m.ripRelative) return text + (m.addr32 ? '[eip+0x' : '[rip+0x') + signExtended(m.disp) + ']';
  if (m.base < 0 && noIndex && !(fmt & MEM_RIZ)) return text + '0x' + (m.addr32 ? (m.disp >>> 0).toString(16) : signExtended(m.disp));
  text += '[';
  if (m.base >= 0) text += regs[m.base & 15];
  if (!noIndex || fmt & MEM_RIZ) {
    if (m.base >= 0) text += '+';
    text += (noIndex ? (m.addr32 ? 'eiz' : 'riz') : regs[m.index & 15]) + '*' + m.scale;
  }
  if (fmt & MEM_DISP) {
    if (m.disp >= 0 || (m.addr32 && m.base < 0 && noIndex)) text += '+0x' + (m.disp >>> 0).toString(16);
    else text += '-0x' + (-m.disp).toString(16);
  }
  return text + ']';
}

function immText(op: ImmOperand): string {
  if (((op as Partial<DecodedImm>).fmt ?? 0) & IMM_BARE) return String(op.lo);
  const lo = op.size === 1 ? op.lo & 0xff : op.size === 2 ? op.lo & 0xffff : op.lo;
  return '0x' + hex64(lo, op.size === 8 ? op.hi : 0);
}

function operandText(op: Operand, symbol: Symbolizer | undefined): string {
  switch (op.kind) {
    case 'reg':
      return registerName(op.size, op.reg, op.high8);
    case 'sreg':
      return SEGMENT_REGS[op.index] ?? `sreg${op.index}`;
    case 'creg':
      return `cr${op.index}`;
    case 'imm':
      return immText(op);
    case 'rel':
      return withSymbol(op.lo, op.hi, symbol);
    case 'mem':
      return memText(op);
  }
}

function withSymbol(lo: number, hi: number, symbol: Symbolizer | undefined): string {
  const name = symbol?.(lo, hi);
  return name ? `${hex64(lo, hi)} <${name}>` : hex64(lo, hi);
}

/**
 * The instruction as `objdump -d -M intel` prints it after the bytes column, e.g.
 * "mov    rax,QWORD PTR [rip+0x0]        # 7". Pass `symbol` to get objdump's `<name+off>` parts.
 */
export function formatIntel(insn: Instruction, symbol?: Symbolizer): string {
  const mn = insn.mnemonic;
  if (insn.operands.length === 0) return mn;
  let text = mn.length < 6 ? mn + ' '.repeat(7 - mn.length) : mn + ' ';
  let comment = '';
  for (let i = 0; i < insn.operands.length; i++) {
    const op = insn.operands[i]!;
    if (i > 0) text += ',';
    text += operandText(op, symbol);
    if (op.kind === 'mem' && op.ripRelative && (op as Partial<DecodedMem>).tlo !== undefined) {
      const m = op as DecodedMem;
      comment = '        # ' + withSymbol(m.tlo, m.thi, symbol);
    }
  }
  return text + comment;
}
