// Models: layout_sections() and move_module() of Linux 6.1 (kernel/module/main.c): the module's
// SHF_ALLOC sections are sorted into a core and an init area — executable first, then read-only
// data, read-only-after-init data, then writable data, each group page-aligned
// (CONFIG_STRICT_MODULE_RWX) — and copied into memory from module_alloc().
// Simplifies: the symbol and string tables kallsyms keeps (layout_symtab) are not copied;
// .modinfo and __versions lose SHF_ALLOC first, as rewrite_section_headers() does.
import { SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, type ElfSection } from '../../elf';
import type { Kernel } from '../kernel';
import type { ModuleLayout, PlacedSection } from './module';

/** SHF_RO_AFTER_INIT (include/linux/moduleloader.h): set by the loader on .data..ro_after_init and __jump_table. */
const SHF_RO_AFTER_INIT = 0x00200000n;
const PAGE = 4096;
const pageAlign = (n: number) => Math.ceil(n / PAGE) * PAGE;

/** Sections that never reach kernel memory (rewrite_section_headers clears their SHF_ALLOC). */
const NOT_LOADED = new Set(['.modinfo', '__versions']);

/** module_init_layout_section(): a name starting ".init" (exit sections stay: CONFIG_MODULE_UNLOAD=y). */
const isInit = (name: string) => name.startsWith('.init');

const flagsOf = (s: ElfSection) => {
  let f = s.flags;
  if (NOT_LOADED.has(s.name)) f &= ~SHF_ALLOC;
  if (s.name === '.data..ro_after_init' || s.name === '__jump_table') f |= SHF_RO_AFTER_INIT;
  return f;
};

/** The masks table of layout_sections(), in order: [must have, must not have]. */
const MASKS: [bigint, bigint][] = [
  [SHF_EXECINSTR | SHF_ALLOC, 0n],
  [SHF_ALLOC, SHF_WRITE],
  [SHF_RO_AFTER_INIT | SHF_ALLOC, 0n],
  [SHF_WRITE | SHF_ALLOC, 0n],
  [SHF_ALLOC, 0n],
];

export interface Layout {
  core: ModuleLayout;
  init: ModuleLayout;
  /** Offset of each section within its area, by section index. */
  offsets: Map<number, { init: boolean; offset: number }>;
}

export function layoutSections(sections: readonly ElfSection[]): Layout {
  const offsets = new Map<number, { init: boolean; offset: number }>();
  const area = (init: boolean): ModuleLayout => {
    const l: ModuleLayout = { base: 0n, size: 0, text_size: 0, ro_size: 0, ro_after_init_size: 0 };
    MASKS.forEach(([need, refuse], m) => {
      for (const s of sections) {
        const f = flagsOf(s);
        if ((f & need) !== need || (f & refuse) !== 0n || offsets.has(s.index) || isInit(s.name) !== init || s.index === 0) continue;
        const align = Number(s.addralign) || 1;
        const at = Math.ceil(l.size / align) * align; // module_get_offset()
        offsets.set(s.index, { init, offset: at });
        l.size = at + Number(s.size);
      }
      if (m === 0) l.text_size = l.size = pageAlign(l.size);
      else if (m === 1) l.ro_size = l.size = pageAlign(l.size);
      else if (m === 2) l.ro_after_init_size = l.size = pageAlign(l.size);
      else if (m === 4) l.size = pageAlign(l.size);
    });
    return l;
  };
  const core = area(false);
  const init = area(true);
  layoutSymtab(sections, core, init, offsets);
  return { core, init, offsets };
}

/**
 * layout_symtab(): room for kallsyms — the core symbols (named, defined in a loaded non-init
 * section; CONFIG_KALLSYMS_ALL=y) with their strings and type bytes at the end of core, the whole
 * symbol and string tables plus struct mod_kallsyms at the end of init. Only the sizes are modelled.
 */
function layoutSymtab(sections: readonly ElfSection[], core: ModuleLayout, init: ModuleLayout, offsets: Layout['offsets']) {
  const symtab = sections.find((s) => s.type === 2);
  const strtab = symtab ? sections[symtab.link] : undefined;
  if (!symtab?.data || !strtab?.data) return;
  const count = Number(symtab.size / 24n);
  const view = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
  let kept = 0, strings = 0;
  for (let i = 0; i < count; i++) {
    const name = view.getUint32(i * 24, true), shndx = view.getUint16(i * 24 + 6, true);
    const where = offsets.get(shndx);
    const core = i === 0 || (name !== 0 && shndx !== 0 && shndx < sections.length && where !== undefined && !where.init);
    if (!core) continue;
    kept++;
    let end = name;
    while (end < strtab.data.length && strtab.data[end] !== 0) end++;
    strings += end - name + 1;
  }
  const symoffs = Math.ceil(core.size / (Number(symtab.addralign) || 1)) * (Number(symtab.addralign) || 1);
  core.size = pageAlign(symoffs + kept * 24 + strings + kept);
  const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;
  init.size = alignUp(init.size, Number(symtab.addralign) || 1) + Number(symtab.size);
  init.size = alignUp(init.size, Number(strtab.addralign) || 1) + Number(strtab.size);
  init.size = alignUp(init.size, 8) + 32 + count; // struct mod_kallsyms, then the init type table
  init.size = pageAlign(init.size);
}

/** move_module(): allocate both areas and copy every placed section (NOBITS stays zero). */
export function moveModule(k: Kernel, sections: readonly ElfSection[], layout: Layout): PlacedSection[] | undefined {
  for (const l of [layout.core, layout.init]) {
    if (l.size === 0) continue;
    const base = k.moduleAlloc(l.size);
    if (base === undefined) return undefined;
    l.base = base;
  }
  const placed: PlacedSection[] = [];
  for (const s of sections) {
    const where = layout.offsets.get(s.index);
    if (!where) continue;
    const address = (where.init ? layout.init.base : layout.core.base) + BigInt(where.offset);
    if (s.data) k.writeBytes(address, s.data);
    placed.push({ index: s.index, name: s.name, address, size: Number(s.size), init: where.init });
  }
  return placed;
}
