// Models: kmod 30's depmod (tools/depmod.c, libkmod-elf.c), modelled user space: it finds every
// .ko below /lib/modules/$(uname -r), names each module after its file (path_to_modname: the
// basename up to the first '.', '-' becoming '_'), keeps them in its modules_by_name hash table
// (512 buckets, Paul Hsieh's SuperFastHash of shared/hash.c, each bucket sorted by strcmp) and,
// with no modules.order, lists them in that table's order; it reads each module's exported
// symbols (__ksymtab_strings) and the symbols it leaves undefined (.symtab), makes a module depend
// on the modules exporting what it uses, orders them topologically as
// depmod_calculate_dependencies() does, and writes modules.dep, modules.alias (the .modinfo
// alias= strings), modules.softdep, modules.symbols (its 2048-bucket symbol table in hash order)
// and modules.devname in kmod's exact formats, with its warnings for the files a tree built
// outside kbuild lacks (modules.order, modules.builtin, modules.builtin.modinfo).
// Simplifies: no depmod.d configuration, no search/override priorities, no System.map or
// Module.symvers (so vmlinux's symbols are not checked), no compressed modules, no dependency
// cycles' warnings; the binary indexes (modules.*.bin, which libkmod reads) are not written: the
// modelled modprobe reads the text files, which hold the same lines.
import { readElf, isElfError, readModinfo } from '../elf';
import type { ElfFile } from '../elf';
import type { Kernel } from './kernel';
import { modulesDir } from './modules-dir';

export interface DepmodInput {
  /** Path relative to the modules directory, e.g. "extra/pcidrv.ko". */
  relpath: string;
  bytes: Uint8Array;
}

export interface DepmodOutput {
  /** File name → contents, in the order depmod writes them. */
  files: [string, string][];
  /** What depmod prints on stderr. */
  stderr: string[];
}

/** shared/hash.c hash_superfast() over the key's bytes (module and symbol names are ASCII). */
export function hashSuperfast(key: string): number {
  const b = Array.from(key, (c) => c.charCodeAt(0) & 0xff);
  let len = b.length;
  let hash = len >>> 0;
  const rem = len & 3;
  let i = 0;
  for (len >>>= 2; len > 0; len--) {
    hash = (hash + (b[i]! | (b[i + 1]! << 8))) >>> 0;
    const tmp = (((b[i + 2]! | (b[i + 3]! << 8)) << 11) ^ hash) >>> 0;
    hash = ((hash << 16) ^ tmp) >>> 0;
    i += 4;
    hash = (hash + (hash >>> 11)) >>> 0;
  }
  if (rem === 3) {
    hash = (hash + (b[i]! | (b[i + 1]! << 8))) >>> 0;
    hash = (hash ^ (hash << 16)) >>> 0;
    hash = (hash ^ (b[i + 2]! << 18)) >>> 0;
    hash = (hash + (hash >>> 11)) >>> 0;
  } else if (rem === 2) {
    hash = (hash + (b[i]! | (b[i + 1]! << 8))) >>> 0;
    hash = (hash ^ (hash << 11)) >>> 0;
    hash = (hash + (hash >>> 17)) >>> 0;
  } else if (rem === 1) {
    hash = (hash + b[i]!) >>> 0;
    hash = (hash ^ (hash << 10)) >>> 0;
    hash = (hash + (hash >>> 1)) >>> 0;
  }
  hash = (hash ^ (hash << 3)) >>> 0;
  hash = (hash + (hash >>> 5)) >>> 0;
  hash = (hash ^ (hash << 4)) >>> 0;
  hash = (hash + (hash >>> 17)) >>> 0;
  hash = (hash ^ (hash << 25)) >>> 0;
  hash = (hash + (hash >>> 6)) >>> 0;
  return hash;
}

const strcmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0); // byte order: the names are ASCII

/** shared/hash.c: buckets of entries kept sorted by key; iteration goes bucket by bucket. */
export class KmodHash<V> {
  private readonly buckets: { key: string; value: V }[][];
  constructor(nBuckets: number) {
    let n = 1;
    while (n < nBuckets) n <<= 1; // ALIGN_POWER2
    this.buckets = Array.from({ length: n }, () => []);
  }
  private bucket(key: string) {
    return this.buckets[hashSuperfast(key) & (this.buckets.length - 1)]!;
  }
  /** hash_add(): replaces an existing key; hash_add_unique() refuses it (returns false). */
  add(key: string, value: V, unique = false): boolean {
    const b = this.bucket(key);
    let i = 0;
    for (; i < b.length; i++) {
      const c = strcmp(key, b[i]!.key);
      if (c === 0) {
        if (unique) return false;
        b[i] = { key, value };
        return true;
      }
      if (c < 0) break;
    }
    b.splice(i, 0, { key, value });
    return true;
  }
  find(key: string): V | undefined {
    return this.bucket(key).find((e) => e.key === key)?.value;
  }
  *values(): Generator<V> {
    for (const b of this.buckets) for (const e of b) yield e.value;
  }
}

interface Mod {
  modname: string;
  relpath: string;
  info: { key: string; value: string }[];
  exports: string[];
  imports: string[];
  deps: Mod[];
  users: number;
  idx: number;
  depSortIdx: number;
}

/** path_to_modname(): the file's basename up to its first '.', with '-' as '_'. */
export function pathToModname(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return (dot < 0 ? base : base.slice(0, dot)).replace(/-/g, '_');
}

/** kmod_elf_get_symbols(): the strings of __ksymtab_strings (empty ones, the namespaces, skipped). */
function exportedSymbols(elf: ElfFile): string[] {
  const s = elf.sectionByName('__ksymtab_strings');
  if (!s?.data) return elf.symbols.filter((x) => x.name.startsWith('__ksymtab_')).map((x) => x.name.slice('__ksymtab_'.length));
  return String.fromCharCode(...s.data).split('\0').filter(Boolean);
}

/** kmod_elf_get_dependency_symbols(): the global and weak symbols .symtab leaves undefined. */
function dependencySymbols(elf: ElfFile): string[] {
  return elf.symbols.filter((x) => x.index !== 0 && x.shndx === 0 && x.name !== '' && (x.bind === 1 || x.bind === 2)).map((x) => x.name);
}

/** The whole run over the modules below `dirname` (their paths relative to it). */
export function depmod(inputs: readonly DepmodInput[], dirname: string): DepmodOutput {
  const stderr: string[] = [];
  const byName = new KmodHash<Mod>(512);
  for (const input of inputs) {
    if (!input.relpath.endsWith('.ko')) continue; // path_ends_with_kmod_ext()
    const elf = readElf(input.bytes);
    const modname = pathToModname(input.relpath);
    if (isElfError(elf)) {
      stderr.push(`depmod: ERROR: failed ${dirname}/${input.relpath}: Invalid argument`);
      continue;
    }
    const modinfo = readModinfo(elf);
    const info = isElfError(modinfo) ? [] : modinfo.entries.filter((e) => e.value !== null).map((e) => ({ key: e.tag, value: e.value! }));
    const mod: Mod = { modname, relpath: input.relpath, info, exports: exportedSymbols(elf), imports: dependencySymbols(elf), deps: [], users: 0, idx: 0, depSortIdx: 0x7fffffff };
    if (!byName.add(modname, mod, true)) stderr.push(`depmod: ERROR: hash_add_unique ${modname}: File exists`);
  }
  // depmod_modules_build_array(): the hash table's order; depmod_modules_sort() needs modules.order.
  const modules = [...byName.values()];
  modules.forEach((m, i) => (m.idx = i));
  stderr.push(`depmod: WARNING: could not open modules.order at ${dirname}: No such file or directory`);

  // depmod_load_modules(), depmod_load_dependencies()
  const symbols = new KmodHash<{ name: string; owner: Mod }>(2048);
  for (const m of modules) for (const name of m.exports) symbols.add(name, { name, owner: m });
  for (const m of modules) {
    for (const name of m.imports) {
      const owner = symbols.find(name)?.owner;
      if (!owner || m.deps.includes(owner)) continue; // a kernel symbol (unknown here), or already a dependency
      m.deps.push(owner);
      owner.users++;
    }
  }
  // depmod_calculate_dependencies(): modules without users first, from a LIFO of roots.
  const users = modules.map((m) => m.users);
  const roots = modules.filter((m) => m.users === 0).map((m) => m.idx);
  let sorted = 0;
  while (roots.length) {
    const src = modules[roots.pop()!]!;
    src.depSortIdx = sorted++;
    for (const dst of src.deps) if (--users[dst.idx]! === 0) roots.push(dst.idx);
  }
  for (const m of modules) m.deps.sort((a, b) => a.depSortIdx - b.depSortIdx);

  const allDeps = (m: Mod): Mod[] => {
    const out: Mod[] = [];
    const fill = (x: Mod) => {
      for (const d of x.deps) {
        if (out.includes(d)) continue;
        out.push(d);
        fill(d);
      }
    };
    fill(m);
    return out.sort((a, b) => a.depSortIdx - b.depSortIdx);
  };
  const dep = modules.map((m) => `${m.relpath}:${allDeps(m).map((d) => ` ${d.relpath}`).join('')}\n`).join('');
  const alias = '# Aliases extracted from modules themselves.\n' + modules.flatMap((m) => m.info.filter((i) => i.key === 'alias').map((i) => `alias ${i.value} ${m.modname}\n`)).join('');
  const softdep = '# Soft dependencies extracted from modules themselves.\n' + modules.flatMap((m) => m.info.filter((i) => i.key === 'softdep').map((i) => `softdep ${m.modname} ${i.value}\n`)).join('');
  const symbolLines = [...symbols.values()].map((s) => `alias symbol:${s.name} ${s.owner.modname}\n`).join('');
  stderr.push(`depmod: WARNING: could not open modules.builtin at ${dirname}: No such file or directory`);
  stderr.push(`depmod: WARNING: could not open modules.builtin.modinfo at ${dirname}: No such file or directory`);
  return {
    files: [
      ['modules.dep', dep],
      ['modules.alias', alias],
      ['modules.softdep', softdep],
      ['modules.symbols', '# Aliases for symbols, used by symbol_request().\n' + symbolLines],
      ['modules.devname', devname(modules, stderr)],
    ],
    stderr,
  };
}

/** output_devname(): modules with both a devname: and a char-/block-major- alias. */
function devname(modules: Mod[], stderr: string[]): string {
  let out = '';
  for (const m of modules) {
    let name: string | undefined, type = '', major = 0, minor = 0;
    for (const { key, value } of m.info) {
      if (key !== 'alias') continue;
      const mm = /^(char|block)-major-(\d+)-(\d+)/.exec(value);
      if (value.startsWith('devname:')) name = value.slice('devname:'.length);
      else if (mm) [type, major, minor] = [mm[1] === 'char' ? 'c' : 'b', Number(mm[2]), Number(mm[3])];
      if (type && name !== undefined) break;
    }
    if (name === undefined) continue;
    if (!type) {
      stderr.push(`depmod: ERROR: Module '${m.modname}' has devname (${name}) but lacks major and minor information. Ignoring.`);
      continue;
    }
    if (!out) out = '# Device nodes to trigger on-demand module loading.\n';
    out += `${m.modname} ${name} ${type}${major}:${minor}\n`;
  }
  return out;
}

/** depmod (no arguments) on the machine: reads the modules directory, writes its index files there. */
export function depmodTool(k: Kernel): { status: number; stderr: string[] } {
  k.nextPid++;
  const dir = modulesDir(k);
  const inputs = [...dir.files].filter((e): e is [string, Uint8Array] => e[1] instanceof Uint8Array).map(([relpath, bytes]) => ({ relpath, bytes }));
  const out = depmod(inputs, dir.dirname);
  for (const [name, text] of out.files) {
    dir.files.set(name, text);
    k.m.emit({ kind: 'user/modelled', program: 'depmod', text: `writes ${dir.dirname}/${name} (${lines(text)})` });
  }
  return { status: 0, stderr: out.stderr };
}

const lines = (text: string) => {
  const n = text.split('\n').filter(Boolean).length;
  return `${n} line${n === 1 ? '' : 's'}`;
};
