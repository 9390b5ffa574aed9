// Models: one decoded x86-64 instruction (Intel SDM Vol. 2, ch. 2 "Instruction Format"), as the
// decoder produces it for the executor and the disassembler.
// Simplifies: only the subset gcc emits for the book's samples; no x87, SSE or AVX operands.

/** General registers by their encoding number: 0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8–15 r8–r15. */
export type Gpr = number;

/** Operand size in bytes. */
export type Size = 1 | 2 | 4 | 8;

export interface RegOperand {
  kind: 'reg';
  size: Size;
  reg: Gpr;
  /** AH, CH, DH, BH (encodings 4–7 with size 1 and no REX prefix). */
  high8: boolean;
}

/** A segment or control/debug register named by the instruction (mov to/from CRn, push fs …). */
export interface SpecialRegOperand {
  kind: 'sreg' | 'creg';
  /** Segment: 0 es, 1 cs, 2 ss, 3 ds, 4 fs, 5 gs. Control: the n of CRn. */
  index: number;
}

export interface MemOperand {
  kind: 'mem';
  /** Size of the memory access in bytes; 0 for lea and other no-access uses (nop, invlpg). */
  size: 0 | Size | 10 | 16;
  /** Base register, or -1. Ignored when ripRelative. */
  base: Gpr | -1;
  /** Index register, or -1 (rsp cannot be an index). */
  index: Gpr | -1;
  scale: 1 | 2 | 4 | 8;
  /** Signed displacement (at most 32 bits, so a safe JS number). */
  disp: number;
  /** [rip + disp]: the effective address is the next instruction's address plus disp. */
  ripRelative: boolean;
  /** fs or gs override: its base is added. cs/ds/es/ss overrides have no effect in 64-bit mode. */
  segment: 'fs' | 'gs' | null;
  /** 67h prefix: the address is computed in 32 bits. */
  addr32: boolean;
}

/**
 * An immediate, already sign- or zero-extended to the operand size as the SDM says for the
 * opcode. The value is split in two unsigned 32-bit halves, because registers hold 64 bits.
 */
export interface ImmOperand {
  kind: 'imm';
  size: Size;
  lo: number;
  hi: number;
}

/** The target of a relative jump or call, resolved to an absolute address (lo/hi halves). */
export interface RelOperand {
  kind: 'rel';
  lo: number;
  hi: number;
}

export type Operand = RegOperand | SpecialRegOperand | MemOperand | ImmOperand | RelOperand;

export interface Prefixes {
  lock: boolean;
  /** F3: rep / repe (also part of some opcodes, e.g. endbr64, pause). */
  rep: boolean;
  /** F2: repne. */
  repne: boolean;
  /** 66: operand-size override. */
  opsize: boolean;
  /** 67: address-size override. */
  addrsize: boolean;
  /** The last segment override byte seen, if any. */
  segment: 'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs' | null;
  /** The REX byte (0x40–0x4F), or 0 when absent. */
  rex: number;
}

export interface Instruction {
  /** Length in bytes, 1–15. */
  length: number;
  /**
   * What the executor does: a lowercase name, the same for every encoding of one operation
   * ('mov', 'add', 'jcc', 'setcc', 'cmovcc', 'movzx', 'push', 'syscall', …).
   */
  op: string;
  /** The mnemonic exactly as `objdump -d -M intel` prints it ('movabs', 'je', 'sete', 'rep stos', 'cs nop', …). */
  mnemonic: string;
  /** Operands in Intel order: destination first. */
  operands: Operand[];
  /** The effective operand size in bytes (after REX.W and 66h). */
  opsize: Size;
  /** For jcc, setcc and cmovcc: the condition code 0–15 (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g). */
  cond: number;
  prefixes: Prefixes;
}

/** What decoding a byte stream can end in, besides an instruction. */
export type DecodeFailure =
  /** Fewer bytes were available than the instruction needs (fetch more, or the stream is truncated). */
  | { kind: 'truncated'; length: number }
  /** Architecturally invalid: the processor raises #UD (reserved opcode, lock where not allowed, > 15 bytes). */
  | { kind: 'invalid'; length: number; reason: string }
  /** Valid x86-64, but outside the modelled set: the machine stops with a "not modelled" event. */
  | { kind: 'unmodelled'; length: number; reason: string };

export type DecodeResult = { ok: true; insn: Instruction } | { ok: false; failure: DecodeFailure };
