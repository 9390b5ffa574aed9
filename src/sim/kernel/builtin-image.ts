// Models: the part of vmlinux that the book's built-in samples make up (public/samples/builtin/,
// linked by ld with samples/builtin/builtin.lds): the image mapped into kernel text with the page
// permissions Linux 6.1 gives its own image (text RX, read-only data R, data and .bss RW and NX,
// the init region [__init_begin, __init_end) RWX until free_initmem()), the two boot-time code
// patches that run before any initcall (ftrace_init() in kernel/trace/ftrace.c turns each
// `call __fentry__` listed between __start_mcount_loc and __stop_mcount_loc into a 5-byte NOP;
// alternative_instructions() → apply_returns() in arch/x86/kernel/alternative.c turns each
// `jmp __x86_return_thunk` listed between __return_sites and __return_sites_end into `ret; int3…`),
// vmlinux's kallsyms for these symbols (scripts/kallsyms.c: which symbols, in which order;
// kernel/kallsyms.c get_symbol_pos() for %pS: "name+0xoff/0xsize", no module suffix), and
// modules.builtin as kmod reads it (names normalised as modname_normalize() does).
// Simplifies: the image holds only the samples, at BUILTIN_TEXT, not the rest of vmlinux; it is
// mapped with its final permissions at once (a real kernel maps itself with large pages and
// tightens them in mark_readonly(), which is not modelled); kallsyms covers only this image.
import { readElf, isElfError, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHN_UNDEF, SHT_NOBITS, STB_WEAK, STT_FILE, STT_SECTION } from '../elf';
import type { ElfFile } from '../elf';
import type { Kernel } from './kernel';
import { CPU_FEATURES, type CodePatch } from './loader/patching';
import { BUILTIN_TEXT } from './layout';

const PAGE = 4096n;
const NOP5 = [0x0f, 0x1f, 0x44, 0x00, 0x00]; // x86_nops[5], what ftrace_make_nop() writes

/** One symbol of vmlinux's kallsyms: name, address, and nm's type letter. */
export interface VmlinuxSymbol {
  name: string;
  value: bigint;
  type: string;
}

export interface BuiltinImage {
  elf: ElfFile;
  /** kallsyms: the image's symbols as scripts/kallsyms.c keeps and orders them. */
  kallsyms: VmlinuxSymbol[];
  /** The linker script's symbols and every other defined symbol, by name. */
  symbols: Map<string, bigint>;
  /** Module names listed in modules.builtin, normalised as kmod does ("-" becomes "_"). */
  modulesBuiltin: string[];
  /** Set by free_initmem(): the init region's pages are poisoned and no longer executable. */
  initFreed: boolean;
}

/** The linker-script symbols the boot model needs; an image without them is refused. */
const REQUIRED = [
  '_text', '_etext', '__start_rodata', '__end_rodata', '_sdata', '_edata', '__init_begin', '_sinittext', '_einittext',
  '__start_mcount_loc', '__stop_mcount_loc', '__initcall_start', '__initcall0_start', '__initcall1_start', '__initcall2_start',
  '__initcall3_start', '__initcall4_start', '__initcall5_start', '__initcall6_start', '__initcall7_start', '__initcall_end',
  '__return_sites', '__return_sites_end', '__init_end', '__bss_start', '__bss_stop', '_end',
] as const;

/** nm's letter for a defined symbol of an executable (binutils nm, as scripts/mksysmap sees it). */
function nmType(elf: ElfFile, shndx: number, bind: number, type: number): string {
  let c: string;
  if (shndx === SHN_ABS) c = 'a';
  else {
    const s = elf.sections[shndx]!;
    if (s.flags & SHF_EXECINSTR) c = 't';
    else if (s.type === SHT_NOBITS) c = 'b';
    else if (s.flags & SHF_WRITE) c = 'd';
    else if (s.flags & SHF_ALLOC) c = 'r';
    else c = 'n';
  }
  if (bind === STB_WEAK) return type === 1 ? 'V' : 'W';
  return bind === 0 ? c : c.toUpperCase();
}

/**
 * scripts/kallsyms.c: nm's defined symbols, without absolute, debugging and undefined ones (and
 * its ignored prefixes), sorted by address; among aliases the kernel prefers non-weak symbols,
 * then symbols that do not look like linker-script bounds (__start_*, __stop_*, __end_*, *_start,
 * *_end), then those with fewer leading underscores, then the earlier one.
 */
function buildKallsyms(elf: ElfFile): VmlinuxSymbol[] {
  const entries: (VmlinuxSymbol & { pos: number })[] = [];
  elf.symbols.forEach((s, pos) => {
    if (pos === 0 || s.name === '' || s.type === STT_SECTION || s.type === STT_FILE || s.shndx === SHN_UNDEF) return;
    const type = nmType(elf, s.shndx, s.bind, s.type);
    if (type === 'a' || type === 'A' || type === 'n' || type === 'N') return;
    if (/^(\$|\.L|__crc_|__kstrtab_|__kstrtabns_)/.test(s.name)) return;
    entries.push({ name: s.name, value: s.value, type, pos });
  });
  const weak = (e: VmlinuxSymbol) => (e.type === 'w' || e.type === 'W' ? 1 : 0);
  const provide = (e: VmlinuxSymbol) => {
    const n = e.name;
    if (n.length < 8 || !n.startsWith('__')) return 0;
    return /^__(start_|stop_|end_)/.test(n) || n.endsWith('_start') || n.endsWith('_end') ? 1 : 0;
  };
  const underscores = (e: VmlinuxSymbol) => /^_*/.exec(e.name)![0].length;
  entries.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : weak(a) - weak(b) || provide(a) - provide(b) || underscores(a) - underscores(b) || a.pos - b.pos));
  return entries.map(({ name, value, type }) => ({ name, value, type }));
}

/** Module names of a modules.builtin file ("kernel/drivers/hello/hello.ko" → "hello"). */
export function parseModulesBuiltin(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.endsWith('.ko'))
    .map((l) => l.slice(l.lastIndexOf('/') + 1, -3).replace(/-/g, '_'));
}

/** Reads the linked image and its modules.builtin. A typed error in plain words for anything else. */
export function readBuiltinImage(bytes: Uint8Array, modulesBuiltin: string): BuiltinImage | { error: string } {
  const elf = readElf(bytes);
  if (isElfError(elf)) return { error: `the built-in image is not a usable ELF file: ${elf.message}` };
  if (elf.header.e_type !== 2) return { error: `the built-in image is ${elf.header.typeName}, not a linked executable (ET_EXEC)` };
  const symbols = new Map<string, bigint>();
  for (const s of elf.symbols) if (s.name !== '' && s.shndx !== SHN_UNDEF && !symbols.has(s.name)) symbols.set(s.name, s.value);
  const missing = REQUIRED.filter((n) => !symbols.has(n));
  if (missing.length) return { error: `the built-in image lacks the linker-script symbol${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (was it linked with samples/builtin/builtin.lds?)` };
  if (symbols.get('_text') !== BUILTIN_TEXT) return { error: `the built-in image starts at 0x${symbols.get('_text')!.toString(16)}, not at BUILTIN_TEXT (0x${BUILTIN_TEXT.toString(16)})` };
  for (const n of ['_text', '__start_rodata', '_sdata', '__init_begin', '__init_end', '__bss_start', '__bss_stop'] as const) {
    if (symbols.get(n)! % PAGE !== 0n) return { error: `the built-in image's ${n} is not page-aligned` };
  }
  return { elf, kallsyms: buildKallsyms(elf), symbols, modulesBuiltin: parseModulesBuiltin(modulesBuiltin), initFreed: false };
}

/** An address of the image's linker-script symbols (present: readBuiltinImage checked). */
export const at = (image: BuiltinImage, name: (typeof REQUIRED)[number]) => image.symbols.get(name)!;

const roundUp = (v: bigint) => (v + PAGE - 1n) & ~(PAGE - 1n);

/**
 * Maps the image into kernel memory: zeroed pages for each region with its permissions, then every
 * allocated section's bytes copied in (.bss stays zero).
 */
export function mapBuiltinImage(k: Kernel, image: BuiltinImage) {
  const regions: [bigint, bigint, { writable: boolean; executable: boolean }][] = [
    [at(image, '_text'), roundUp(at(image, '_etext')), { writable: false, executable: true }],
    [at(image, '__start_rodata'), roundUp(at(image, '__end_rodata')), { writable: false, executable: false }],
    [at(image, '_sdata'), roundUp(at(image, '_edata')), { writable: true, executable: false }],
    [at(image, '__init_begin'), at(image, '__init_end'), { writable: true, executable: true }],
    [at(image, '__bss_start'), at(image, '__bss_stop'), { writable: true, executable: false }],
  ];
  for (const [start, end, flags] of regions) if (end > start) k.mapRange(start, Number(end - start), flags);
  for (const s of image.elf.sections) {
    if (!(s.flags & SHF_ALLOC) || !s.data || s.type === SHT_NOBITS || s.size === 0n) continue;
    k.writeBytes(s.addr, s.data);
  }
}

const readS32 = (b: number[]) => BigInt((b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) | 0);
const readU64 = (b: number[]) => b.reduce((v, x, i) => v | (BigInt(x) << BigInt(8 * i)), 0n);

/** ftrace_init(): each __mcount_loc entry (an absolute address) is a `call __fentry__` that becomes a NOP. */
export function ftraceInit(k: Kernel, image: BuiltinImage): CodePatch[] {
  const fentry = k.symbols.get('__fentry__')?.address;
  const patches: CodePatch[] = [];
  for (let p = at(image, '__start_mcount_loc'); p < at(image, '__stop_mcount_loc'); p += 8n) {
    const site = readU64(k.readBytes(p, 8));
    const before = k.readBytes(site, 5);
    if (before[0] !== 0xe8 || site + 5n + readS32(before.slice(1)) !== fentry) continue; // ftrace_make_nop() checks the call first
    k.writeBytes(site, NOP5);
    patches.push({ why: 'ftrace_init', address: site, before, after: NOP5 });
  }
  return patches;
}

/** apply_returns() over vmlinux's .return_sites: s32 offsets, each from its own slot to a `jmp __x86_return_thunk`. */
export function applyVmlinuxReturns(k: Kernel, image: BuiltinImage): CodePatch[] {
  const thunk = k.symbols.get('__x86_return_thunk')?.address;
  if (thunk === undefined || CPU_FEATURES.returnThunk) return [];
  const patches: CodePatch[] = [];
  for (let p = at(image, '__return_sites'); p < at(image, '__return_sites_end'); p += 4n) {
    const site = p + readS32(k.readBytes(p, 4));
    const before = k.readBytes(site, 5);
    if (before[0] !== 0xe9 || site + 5n + readS32(before.slice(1)) !== thunk) continue;
    const after = [0xc3, 0xcc, 0xcc, 0xcc, 0xcc]; // ret; int3 …
    k.writeBytes(site, after);
    patches.push({ why: 'apply_returns', address: site, before, after });
  }
  return patches;
}

/**
 * %pS for an address of the image (sprint_symbol() → kallsyms_lookup() → get_symbol_pos()): the
 * first of the aliased symbols at or below it, and the distance to the next higher symbol, or to
 * _einittext (in init text) or _end (CONFIG_KALLSYMS_ALL) when there is none. Undefined outside
 * [_text, _end).
 */
export function vmlinuxSymbolName(image: BuiltinImage, address: bigint): string | undefined {
  const syms = image.kallsyms;
  if (address < at(image, '_text') || address >= at(image, '_end') || syms.length === 0) return undefined;
  let low = 0, high = syms.length;
  while (high - low > 1) {
    const mid = low + ((high - low) >> 1);
    if (syms[mid]!.value <= address) low = mid;
    else high = mid;
  }
  if (syms[low]!.value > address) return undefined;
  while (low > 0 && syms[low - 1]!.value === syms[low]!.value) low--;
  const start = syms[low]!.value;
  let end = 0n;
  for (let i = low + 1; i < syms.length; i++) if (syms[i]!.value > start) { end = syms[i]!.value; break; }
  if (end === 0n) end = address >= at(image, '_sinittext') && address < at(image, '_einittext') ? at(image, '_einittext') : at(image, '_end');
  return `${syms[low]!.name}+0x${(address - start).toString(16)}/0x${(end - start).toString(16)}`;
}

export { isBuiltinModule } from './builtin-modules';
