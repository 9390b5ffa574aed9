// Models: a module's own symbol table as Linux 6.1 keeps it for kallsyms (kernel/module/kallsyms.c):
// add_kallsyms() gives every symbol its elf_type() letter and final address; while init runs the
// table is the full one, and do_init_module() switches to the core copy, which holds only
// is_core_symbol() symbols (named, defined, in an allocated non-init section; CONFIG_KALLSYMS_ALL).
// /proc/kallsyms prints them (module_get_kallsym, s_show) and %pS names an address with
// find_kallsyms_symbol(): the closest symbol below it, and the distance to the next one or to the
// end of the text it is in.
// Simplifies: the tables live in TypeScript (their bytes are counted in the layout, not copied).
import type { ElfFile, ElfSection, ElfSymbol } from '../../elf/types';
import type { LoadedModule, PlacedSection } from './module';

export interface KallsymsEntry {
  name: string;
  value: bigint;
  /** elf_type()'s letter: t, r, d, b, … (lower case; exported symbols print in upper case). */
  type: string;
  core: boolean;
}

const SHF_WRITE = 1n, SHF_ALLOC = 2n, SHF_EXECINSTR = 4n, SHT_NOBITS = 8, SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1;
const STB_WEAK = 2, STT_OBJECT = 1;

/** elf_type(): the letter /proc/kallsyms shows for a module symbol. */
function elfType(sym: ElfSymbol, sections: readonly ElfSection[]): string {
  if (sym.bind === STB_WEAK) return sym.type === STT_OBJECT ? 'v' : 'w';
  if (sym.shndx === SHN_UNDEF) return 'U';
  if (sym.shndx === SHN_ABS) return 'a';
  if (sym.shndx >= SHN_LORESERVE) return '?';
  const sec = sections[sym.shndx]!;
  if (sec.flags & SHF_EXECINSTR) return 't';
  if (sec.flags & SHF_ALLOC && sec.type !== SHT_NOBITS) return sec.flags & SHF_WRITE ? 'd' : 'r';
  if (sec.type === SHT_NOBITS) return 'b';
  return sec.name.startsWith('.debug') ? 'n' : '?';
}

/** add_kallsyms(): every symbol of .symtab with its final address, marked core or not. */
export function addKallsyms(elf: ElfFile, placed: readonly PlacedSection[]): KallsymsEntry[] {
  const at = new Map(placed.map((p) => [p.index, p]));
  return elf.symbols.map((sym) => {
    const sec = at.get(sym.shndx);
    const core = sym.name !== '' && sym.shndx !== SHN_UNDEF && sym.shndx < elf.sections.length && sec !== undefined && !sec.init;
    return { name: sym.name, value: sec ? sec.address + sym.value : sym.value, type: elfType(sym, elf.sections), core };
  });
}

/** /proc/kallsyms lines for a module: "address type name\t[module]". */
export function procKallsyms(mod: LoadedModule): string[] {
  const exported = new Set(mod.exports.map((e) => e.name));
  return mod.kallsyms
    .filter((s) => s.name !== '')
    .map((s) => `${s.value.toString(16).padStart(16, '0')} ${exported.has(s.name) ? s.type.toUpperCase() : s.type} ${s.name}\t[${mod.name}]`);
}

/** %pS for an address inside a module: "name+0xoff/0xsize [module]", or undefined. */
export function moduleSymbolName(mod: LoadedModule, address: bigint): string | undefined {
  const inInit = mod.init_layout.size > 0 && address >= mod.init_layout.base && address < mod.init_layout.base + BigInt(mod.init_layout.size);
  const inCore = address >= mod.core_layout.base && address < mod.core_layout.base + BigInt(mod.core_layout.size);
  if (!inInit && !inCore) return undefined;
  const layout = inInit ? mod.init_layout : mod.core_layout;
  let next = layout.base + BigInt(layout.text_size);
  let best: KallsymsEntry | undefined;
  for (const s of mod.kallsyms.slice(1)) {
    if (s.name === '' || /^\$[adtx]/.test(s.name) || s.type === 'U') continue; // unnamed, mapping and undefined symbols
    if (s.value <= address && (!best || s.value > best.value)) best = s;
    if (s.value > address && s.value < next) next = s.value;
  }
  if (!best) return undefined;
  return `${best.name}+0x${(address - best.value).toString(16)}/0x${(next - best.value).toString(16)} [${mod.name}]`;
}
