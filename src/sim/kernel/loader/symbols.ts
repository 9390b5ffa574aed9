// Models: how Linux 6.1 links a module's undefined symbols (kernel/module/main.c resolve_symbol,
// simplify_symbols; kernel/module/version.c check_version, check_modstruct_version): the export
// tables searched with GPL-only exports hidden from non-GPL modules, the modversions CRC of each
// symbol compared with the module's __versions, and the module's symbol values made absolute.
// Simplifies: no symbol namespaces check (the samples import none), no waiting for a module that
// is still coming (resolve_symbol_wait), no inherit_taint.
import { SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_WEAK, type ElfSymbol } from '../../elf';
import type { Kernel } from '../kernel';
import type { KernelSymbol } from '../exports';
import { EINVAL, ENOENT, ENOEXEC } from './errno';
import type { LoadInfo } from './load-info';
import type { PlacedSection } from './module';

export const TAINT = { PROPRIETARY_MODULE: 0, FORCED_MODULE: 1, FORCED_RMMOD: 3, DIE: 7, CRAP: 10, OOT_MODULE: 12, UNSIGNED_MODULE: 13 } as const;
export const TAINT_LETTERS: Record<number, string> = { 0: 'P', 1: 'F', 3: 'R', 7: 'D', 10: 'C', 12: 'O', 13: 'E' };

export interface Linking {
  log: string[];
  /** Taint bits added on the way (forced loads). */
  taints: number[];
}

/** try_to_force_load() with CONFIG_MODULE_FORCE_LOAD=y: taint F, say so once. */
function forceLoad(k: Kernel, name: string, reason: string, link: Linking) {
  if (!(k.taint & (1 << TAINT.FORCED_MODULE))) link.log.push(`${name}: ${reason}: kernel tainted.`);
  link.taints.push(TAINT.FORCED_MODULE);
}

/** check_version(): true when the module may use the symbol with this CRC. */
export function checkVersion(k: Kernel, info: LoadInfo, symbol: string, crc: number | undefined, link: Linking, warnedOnce: Set<string>): boolean {
  if (crc === undefined) return true; // the exporter has no CRCs
  if (!info.versions) {
    forceLoad(k, info.name, symbol, link); // "No versions at all? modprobe --force does this."
    return true;
  }
  const entry = info.versions.entries.find((e) => e.name === symbol);
  if (!entry) {
    // "Broken toolchain. Warn once, then let it go.." (pr_warn_once)
    if (!warnedOnce.has('no-symbol-version')) link.log.push(`${info.name}: no symbol version for ${symbol}`);
    warnedOnce.add('no-symbol-version');
    return true;
  }
  if (entry.crc === crc >>> 0) return true;
  link.log.push(`${info.name}: disagrees about version of symbol ${symbol}`);
  return false;
}

/** check_modstruct_version(): the CRC of module_layout stands for struct module's layout. */
export function checkModstructVersion(k: Kernel, info: LoadInfo, link: Linking, warnedOnce: Set<string>): boolean {
  return checkVersion(k, info, 'module_layout', k.symbols.get('module_layout')?.crc, link, warnedOnce);
}

export interface Resolution {
  name: string;
  symbol: ElfSymbol;
  /** The absolute value after simplify_symbols (undefined for an unresolved symbol). */
  value: bigint | undefined;
  /** For undefined symbols: where the definition came from. */
  from?: KernelSymbol;
  errno?: number;
}

/**
 * simplify_symbols(): every symbol's value made absolute — undefined ones from the export tables,
 * defined ones by adding their section's address. Every failure is logged before it returns.
 */
export function simplifySymbols(k: Kernel, info: LoadInfo, placed: PlacedSection[], gplOk: boolean, link: Linking, warnedOnce: Set<string>) {
  const results: Resolution[] = [];
  const uses = new Set<string>();
  let errno = 0;
  const sectionAddress = new Map(placed.map((p) => [p.index, p.address]));
  for (const sym of info.elf.symbols.slice(1)) {
    if (sym.shndx === SHN_COMMON) {
      link.log.push(`${info.name}: please compile with -fno-common`);
      errno = ENOEXEC;
      results.push({ name: sym.name, symbol: sym, value: undefined, errno: ENOEXEC });
      continue;
    }
    if (sym.shndx === SHN_ABS) {
      results.push({ name: sym.name, symbol: sym, value: sym.value });
      continue;
    }
    if (sym.shndx === SHN_UNDEF) {
      const found = k.symbols.get(sym.name);
      const visible = found && (gplOk || !found.gpl);
      let err = 0;
      if (!visible) err = ENOENT;
      else if (!checkVersion(k, info, sym.name, found.crc, link, warnedOnce)) err = EINVAL;
      if (err === 0) {
        if (found!.owner !== 'vmlinux') uses.add(found!.owner);
        results.push({ name: sym.name, symbol: sym, value: found!.address, from: found! });
        continue;
      }
      if (!visible && sym.bind === STB_WEAK) {
        results.push({ name: sym.name, symbol: sym, value: 0n });
        continue;
      }
      link.log.push(`${info.name}: Unknown symbol ${sym.name} (err ${err})`);
      errno = err;
      results.push({ name: sym.name, symbol: sym, value: undefined, errno: err });
      continue;
    }
    // Defined in the module: its section's address plus its offset (non-loaded sections keep 0).
    results.push({ name: sym.name, symbol: sym, value: (sectionAddress.get(sym.shndx) ?? 0n) + sym.value });
  }
  return { results, errno, uses: [...uses] };
}
