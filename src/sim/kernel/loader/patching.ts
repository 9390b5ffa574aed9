// Models: the three ways Linux 6.1 changes a module's bytes after copying it: apply_relocations()
// (kernel/module/main.c → arch/x86/kernel/module.c apply_relocate_add), module_finalize()'s
// apply_returns() (arch/x86/kernel/alternative.c: each `jmp __x86_return_thunk` listed in
// .return_sites becomes `ret; int3…` on a CPU that needs no return thunk), and
// ftrace_module_init() (kernel/trace/ftrace.c: each `call __fentry__` listed in __mcount_loc
// becomes a 5-byte NOP).
// Simplifies: .altinstructions, .parainstructions, .retpoline_sites and .smp_locks are not
// applied (the book's samples have none; a module with any is refused as "not modelled").
import { readRelocations, isElfError, SHF_ALLOC } from '../../elf';
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
  outcome: RelocationOutcome;
}

/** apply_relocations(): every RELA section whose target is loaded, in section order. */
export function applyRelocations(k: Kernel, info: LoadInfo, placed: PlacedSection[], symbols: Resolution[], onReloc: (e: PatchEvent) => void) {
  const rels = readRelocations(info.elf);
  if (isElfError(rels)) return { errno: -8, log: [`${info.name}: ${rels.message}`] };
  const where = new Map(placed.map((p) => [p.index, p]));
  const valueOf = (index: number) => (index === 0 ? 0n : symbols[index - 1]?.value ?? 0n);
  const mem = { read: (a: bigint, n: number) => k.readBytes(a, n), write: (a: bigint, b: number[]) => k.writeBytes(a, b) };
  for (const r of rels) {
    if (!(r.target.flags & SHF_ALLOC) || ['.modinfo', '__versions'].includes(r.target.name)) continue;
    const target = where.get(r.target.index);
    if (!target) continue;
    for (const rel of r.relocations) {
      const outcome = applyRelocation(mem, rel.type, target.address + rel.offset, valueOf(rel.symbolIndex), rel.addend, info.name);
      onReloc({ section: target.name, offset: Number(rel.offset), outcome });
      if (!outcome.ok) return { errno: -8, log: outcome.log };
    }
  }
  return { errno: 0, log: [] };
}

export interface CodePatch {
  why: 'ftrace_module_init' | 'apply_returns';
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

/** ftrace_module_init(): __mcount_loc holds the addresses of the `call __fentry__` sites. */
export function ftraceModuleInit(k: Kernel, placed: PlacedSection[]): CodePatch[] {
  const locs = placed.find((p) => p.name === '__mcount_loc');
  const fentry = k.symbols.get('__fentry__')?.address;
  if (!locs || fentry === undefined) return [];
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
  return placed.filter((p) => ['.altinstructions', '.parainstructions', '.retpoline_sites', '.smp_locks'].includes(p.name) && p.size > 0).map((p) => p.name);
}

