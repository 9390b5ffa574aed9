// Models: the three ways Linux 6.1 changes a module's bytes after copying it: apply_relocations()
// (kernel/module/main.c → arch/x86/kernel/module.c apply_relocate_add), module_finalize()'s
// apply_returns() (arch/x86/kernel/alternative.c: each `jmp __x86_return_thunk` listed in
// .return_sites becomes `ret; int3…` on a CPU that needs no return thunk), and
// ftrace_module_init() (kernel/trace/ftrace.c: each `call __fentry__` listed in __mcount_loc
// becomes a 5-byte NOP), and alternatives_smp_module_add() for .smp_locks: on a kernel that booted
// with one CPU (uniproc_patched, one possible CPU), alternatives_smp_unlock() turns each `lock`
// prefix (0xf0) listed there into a DS segment override (0x3e), which does nothing.
// Simplifies: .altinstructions, .parainstructions and .retpoline_sites are not applied (the book's
// samples have none; a module with any is refused as "not modelled").
import { readRelocations, isElfError, SHF_ALLOC, STT_SECTION } from '../../elf';
import type { Kernel } from '../kernel';
import { applyRelocation, type RelocationOutcome } from '../relocate';
import type { LoadInfo } from './load-info';
import type { PlacedSection } from './module';
import type { Resolution } from './symbols';


/** The emulated CPU's features that decide code patching (shown in the book). */
export const CPU_FEATURES = {
  /** X86_FEATURE_RETHUNK: false — the emulated CPU needs no return thunk, so sites become `ret`. */
  returnThunk: false,
  /** X86_FEATURE_RETPOLINE: false. */
  retpoline: false,
  smep: true,
  smap: true,
  /** X86_BUG_CPU_MELTDOWN: not affected, so page-table isolation (PTI) is off. */
  meltdown: false,
} as const;

const NOP5 = [0x0f, 0x1f, 0x44, 0x00, 0x00]; // x86_nops[5], the ideal 5-byte NOP

export interface PatchEvent {
  section: string;
  offset: number;
  /** The relocation's symbol as readelf -r names it: its name, or its section's for a section symbol. */
  symbol: string;
  outcome: RelocationOutcome;
}

/** apply_relocations(): every RELA section whose target is loaded, in section order. */
export function applyRelocations(k: Kernel, info: LoadInfo, placed: PlacedSection[], symbols: Resolution[], onReloc: (e: PatchEvent) => void) {
  const rels = readRelocations(info.elf);
  if (isElfError(rels)) return { errno: -8, log: [`${info.name}: ${rels.message}`] };
  const where = new Map(placed.map((p) => [p.index, p]));
  const valueOf = (index: number) => (index === 0 ? 0n : symbols[index - 1]?.value ?? 0n);
  const nameOf = (index: number) => {
    const sym = index === 0 ? undefined : symbols[index - 1]?.symbol;
    return !sym ? '' : sym.type === STT_SECTION ? (info.elf.sections[sym.shndx]?.name ?? '') : sym.name;
  };
  const mem = { read: (a: bigint, n: number) => k.readBytes(a, n), write: (a: bigint, b: number[]) => k.writeBytes(a, b) };
  for (const r of rels) {
    if (!(r.target.flags & SHF_ALLOC) || ['.modinfo', '__versions'].includes(r.target.name)) continue;
    const target = where.get(r.target.index);
    if (!target) continue;
    for (const rel of r.relocations) {
      const outcome = applyRelocation(mem, rel.type, target.address + rel.offset, valueOf(rel.symbolIndex), rel.addend, info.name);
      onReloc({ section: target.name, offset: Number(rel.offset), symbol: nameOf(rel.symbolIndex), outcome });
      if (!outcome.ok) return { errno: -8, log: outcome.log };
    }
  }
  return { errno: 0, log: [] };
}

export interface CodePatch {
  why: 'ftrace_module_init' | 'apply_returns' | 'ftrace_init' | 'alternatives_smp_unlock';
  address: bigint;
  before: number[];
  after: number[];
}

const readS32 = (bytes: number[]) => BigInt.asIntN(32, BigInt(bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16)) | (BigInt(bytes[3]!) << 24n));

/** apply_returns(): .return_sites holds s32 offsets, each from its own slot to a `jmp` site. */
export function applyReturns(k: Kernel, placed: PlacedSection[]): CodePatch[] {
  const sites = placed.find((p) => p.name === '.return_sites');
  const thunk = k.symbols.get('__x86_return_thunk')?.address;
  if (!sites || thunk === undefined || CPU_FEATURES.returnThunk) return [];
  const patches: CodePatch[] = [];
  for (let at = sites.address; at < sites.address + BigInt(sites.size); at += 4n) {
    const site = at + readS32(k.readBytes(at, 4));
    const before = k.readBytes(site, 5);
    if (before[0] !== 0xe9 || site + 5n + readS32(before.slice(1)) !== thunk) continue; // only jumps to the thunk
    const after = [0xc3, 0xcc, 0xcc, 0xcc, 0xcc]; // ret; int3 …
    k.writeBytes(site, after);
    patches.push({ why: 'apply_returns', address: site, before, after });
  }
  return patches;
}

/**
 * alternatives_smp_unlock() (arch/x86/kernel/alternative.c), from module_finalize(): .smp_locks
 * holds s32 offsets, each from its own slot to a `lock` prefix in .text; the model's kernel has one
 * CPU, so each 0xf0 inside .text becomes 0x3e, as the real one-CPU boot of the oracle does.
 */
export function smpUnlock(k: Kernel, placed: PlacedSection[]): CodePatch[] {
  const locks = placed.find((p) => p.name === '.smp_locks');
  const text = placed.find((p) => p.name === '.text');
  if (!locks || !text) return [];
  const patches: CodePatch[] = [];
  for (let at = locks.address; at < locks.address + BigInt(locks.size); at += 4n) {
    const rel = readS32(k.readBytes(at, 4));
    const site = at + rel;
    if (rel === 0n || site < text.address || site >= text.address + BigInt(text.size)) continue;
    const before = k.readBytes(site, 1);
    if (before[0] !== 0xf0) continue;
    k.writeBytes(site, [0x3e]);
    patches.push({ why: 'alternatives_smp_unlock', address: site, before, after: [0x3e] });
  }
  return patches;
}

/**
 * ftrace_module_init() → ftrace_process_locs(): __mcount_loc holds the addresses of the
 * `call __fentry__` sites; a module's list is sorted in place first (ftrace_cmp_ips), then each
 * site becomes a NOP.
 */
export function ftraceModuleInit(k: Kernel, placed: PlacedSection[]): CodePatch[] {
  const locs = placed.find((p) => p.name === '__mcount_loc');
  const fentry = k.symbols.get('__fentry__')?.address;
  if (!locs || fentry === undefined) return [];
  const count = Math.floor(locs.size / 8);
  const sites = Array.from({ length: count }, (_, i) => k.read64(locs.address + BigInt(i * 8)) ?? 0n).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  k.writeBytes(locs.address, sites.flatMap((v) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn))));
  const patches: CodePatch[] = [];
  for (let at = locs.address; at < locs.address + BigInt(locs.size); at += 8n) {
    const site = k.read64(at) ?? 0n;
    const before = k.readBytes(site, 5);
    if (before[0] !== 0xe8 || site + 5n + readS32(before.slice(1)) !== fentry) continue;
    k.writeBytes(site, NOP5);
    patches.push({ why: 'ftrace_module_init', address: site, before, after: [...NOP5] });
  }
  return patches;
}

/** Sections whose patching the model does not do: present and non-empty means "not modelled". */
export function unmodelledPatchSections(placed: PlacedSection[]): string[] {
  return placed.filter((p) => ['.altinstructions', '.parainstructions', '.retpoline_sites'].includes(p.name) && p.size > 0).map((p) => p.name);
}


/**
 * unwind_module_init() (arch/x86/kernel/unwind_orc.c, called from module_finalize): sorts the
 * module's ORC tables by the address each entry describes. .orc_unwind_ip holds 32-bit offsets
 * relative to each slot, so moving an entry rewrites it (orc_sort_swap); .orc_unwind's 6-byte
 * struct orc_entry rows move with them. Equal addresses put the "undefined" terminator first
 * (orc_sort_cmp). Returns whether anything moved.
 */
export function unwindModuleInit(k: Kernel, placed: PlacedSection[]): boolean {
  const ipSec = placed.find((p) => p.name === '.orc_unwind_ip');
  const orcSec = placed.find((p) => p.name === '.orc_unwind');
  if (!ipSec || !orcSec) return false;
  const n = Math.floor(ipSec.size / 4);
  if (orcSec.size !== n * 6 || n === 0) return false;
  const ipBytes = k.readBytes(ipSec.address, n * 4);
  const orcBytes = k.readBytes(orcSec.address, n * 6);
  const entries = Array.from({ length: n }, (_, i) => {
    const rel = readS32(ipBytes.slice(i * 4, i * 4 + 4));
    const orc = orcBytes.slice(i * 6, i * 6 + 6);
    const terminator = (orc[4]! & 0xf) === 0 && (orc[5]! & 0x4) === 0; // sp_reg == ORC_REG_UNDEFINED && !end
    return { ip: ipSec.address + BigInt(i * 4) + rel, orc, terminator };
  });
  const sorted = [...entries].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.terminator === b.terminator ? 0 : a.terminator ? -1 : 1));
  if (sorted.every((e, i) => e === entries[i])) return false;
  const newIps: number[] = [], newOrc: number[] = [];
  sorted.forEach((e, j) => {
    const rel = BigInt.asUintN(32, e.ip - (ipSec.address + BigInt(j * 4)));
    newIps.push(...[0, 8, 16, 24].map((s) => Number((rel >> BigInt(s)) & 0xffn)));
    newOrc.push(...e.orc);
  });
  k.writeBytes(ipSec.address, newIps);
  k.writeBytes(orcSec.address, newOrc);
  return true;
}
