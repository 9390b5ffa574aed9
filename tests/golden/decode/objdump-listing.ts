// Reads a GNU objdump `-d -M intel -w` listing (binutils 2.40) back into sections of contiguous
// instructions: address, raw bytes and text. Used by tests/unit/decode-golden.test.ts and the
// decode-speed script; it never runs objdump.

export interface ListedInstruction {
  /** Address as printed (hexadecimal, no 0x). */
  address: string;
  lo: number;
  hi: number;
  bytes: number[];
  /** The text after the bytes column, exactly as listed (symbols and comments included). */
  text: string;
  /** 1-based line in the listing. */
  line: number;
}

/** A run of instructions at consecutive addresses within one section. */
export interface ListedRun {
  section: string;
  bytes: number[];
  insns: ListedInstruction[];
}

const INSN = /^ *([0-9a-f]+):\t((?:[0-9a-f]{2} ?)+)\s*(?:\t(.*))?$/;
const SECTION = /^Disassembly of section (.+):$/;

function halves(hex: string): { lo: number; hi: number } {
  const v = BigInt('0x' + hex);
  return { lo: Number(v & 0xffffffffn), hi: Number((v >> 32n) & 0xffffffffn) };
}

/** Splits a listing into runs; a `...` line (skipped zeros) or an address jump starts a new run. */
export function parseListing(listing: string): ListedRun[] {
  const runs: ListedRun[] = [];
  let section = '';
  let run: ListedRun | null = null;
  let next = -1n;
  listing.split('\n').forEach((raw, i) => {
    const sectionMatch = SECTION.exec(raw);
    if (sectionMatch) {
      section = sectionMatch[1]!;
      run = null;
      return;
    }
    if (raw.trim() === '...') {
      run = null;
      return;
    }
    const m = INSN.exec(raw);
    if (!m) return;
    const address = m[1]!;
    const bytes = m[2]!.trim().split(' ').map((h) => parseInt(h, 16));
    const at = BigInt('0x' + address);
    const current: ListedRun | null = run;
    if (m[3] === undefined && current !== null && current.insns.length > 0 && at === next) {
      // A long instruction wrapped onto a second line: more bytes, no text.
      current.insns[current.insns.length - 1]!.bytes.push(...bytes);
      current.bytes.push(...bytes);
      next += BigInt(bytes.length);
      return;
    }
    let target: ListedRun;
    if (current === null || at !== next) {
      target = { section, bytes: [], insns: [] };
      runs.push(target);
      run = target;
    } else target = current;
    target.insns.push({ address, ...halves(address), bytes, text: m[3] ?? '', line: i + 1 });
    target.bytes.push(...bytes);
    next = at + BigInt(bytes.length);
  });
  return runs;
}

/** objdump's text without `<symbol+offset>` annotations and trailing blanks. */
export const withoutSymbols = (text: string) => text.replace(/ <[^>]*>/g, '').trimEnd();
