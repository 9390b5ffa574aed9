// Models: one RELA relocation applied as Linux 6.1's __apply_relocate_add() does it
// (arch/x86/kernel/module.c): the psABI formulas, the check that the target bytes are still zero,
// the range check after writing for R_X86_64_32 and 32S only (PC32/PLT32 are not checked in 6.1),
// and its log lines with the file's pr_fmt prefix "module: ".
// Simplifies: `%p` in the log is printed as a fixed stand-in, since the real kernel hashes
// pointers with a key chosen at boot; the writes go straight to memory (no text_poke).

export const R_X86_64 = { NONE: 0, '64': 1, PC32: 2, '32': 10, '32S': 11, PC64: 24, PLT32: 4 } as const;

export const RELOCATION_NAMES: Record<number, string> = {
  0: 'R_X86_64_NONE', 1: 'R_X86_64_64', 2: 'R_X86_64_PC32', 4: 'R_X86_64_PLT32', 10: 'R_X86_64_32', 11: 'R_X86_64_32S', 24: 'R_X86_64_PC64',
};

/** -ENOEXEC, as the loader returns it. */
export const ENOEXEC = -8;

export interface ByteAccess {
  read(address: bigint, length: number): number[];
  write(address: bigint, bytes: number[]): void;
}

export interface RelocationOutcome {
  ok: boolean;
  type: number;
  typeName: string;
  /** P: where the bytes are patched. */
  place: bigint;
  /** S: the symbol's address. */
  symbol: bigint;
  /** A: the addend. */
  addend: bigint;
  /** The formula as the psABI writes it. */
  formula: string;
  /** The value computed (S + A, or S + A − P), as the kernel's u64 `val`. */
  value: bigint;
  /** The bytes at P before and after (after = before when nothing was written). */
  before: number[];
  after: number[];
  /** Kernel log lines this relocation printed (only on failure). */
  log: string[];
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);
const hex = (v: bigint) => U64(v).toString(16);
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((U64(v) >> BigInt(8 * i)) & 0xffn));
const fromLe = (b: number[]) => b.reduceRight((acc, x) => (acc << 8n) | BigInt(x), 0n);
/** Stand-in for a hashed %p: 16 hex digits, deterministic. */
const hashedPointer = (p: bigint) => (U64(p) ^ 0x5a5a5a5a5a5a5a5an).toString(16).slice(-8).padStart(16, '0');

/** Applies one relocation; on failure nothing is written and the outcome carries 6.1's log lines. */
export function applyRelocation(mem: ByteAccess, type: number, P: bigint, S: bigint, A: bigint, moduleName: string): RelocationOutcome {
  const typeName = RELOCATION_NAMES[type] ?? `type ${type}`;
  const relative = type === R_X86_64.PC32 || type === R_X86_64.PLT32 || type === R_X86_64.PC64;
  const size = type === R_X86_64['64'] || type === R_X86_64.PC64 ? 8 : type === R_X86_64.NONE ? 0 : 4;
  const value = U64(S + A - (relative ? P : 0n));
  const before = size ? mem.read(P, size) : [];
  const outcome = (ok: boolean, after: number[], log: string[] = []): RelocationOutcome => ({
    ok, type, typeName, place: P, symbol: S, addend: A, formula: relative ? 'S + A − P' : type === 0 ? '(none)' : 'S + A', value, before, after, log,
  });
  if (!(type in RELOCATION_NAMES)) return outcome(false, before, [`module: ${moduleName}: Unknown rela relocation: ${type}`]);
  if (type === R_X86_64.NONE) return outcome(true, before);
  if (fromLe(before) !== 0n) {
    return outcome(false, before, [
      `module: x86/modules: Skipping invalid relocation target, existing value is nonzero for type ${type}, loc ${hashedPointer(P)}, val ${hex(value)}`,
    ]);
  }
  const after = le(value, size);
  const written = fromLe(after);
  const overflow =
    (type === R_X86_64['32'] && value !== written) || (type === R_X86_64['32S'] && BigInt.asIntN(64, value) !== BigInt.asIntN(32, written));
  mem.write(P, after);
  if (overflow) {
    // 6.1 checks after writing: the bytes stay written, and loading fails.
    return outcome(false, after, [`module: overflow in relocation type ${type} val ${hex(value)}`, `module: \`${moduleName}' likely not compiled with -mcmodel=kernel`]);
  }
  return outcome(true, after);
}
