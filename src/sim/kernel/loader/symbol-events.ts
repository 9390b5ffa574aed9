// Models: what simplify_symbols() (kernel/module/main.c, 6.1) found for each of a module's undefined
// symbols, as events: the export it resolved to (with the module's own CRC for it from __versions,
// which check_version() compared), or why resolve_symbol() refused it — no such export, a GPL-only
// export asked for by a module whose licence is not GPL-compatible (find_symbol() skips it, so the
// kernel says "Unknown symbol … (err -2)"), or a CRC that disagrees (err -22).
// Simplifies: nothing beyond simplify_symbols' model (./symbols.ts); weak undefined symbols that
// stay 0 are not reported, as the kernel reports nothing for them.
import { SHN_UNDEF } from '../../elf';
import type { SimEvent } from '../../events';
import type { Kernel } from '../kernel';
import { split } from '../layout';
import type { LoadInfo } from './load-info';
import type { Resolution } from './symbols';

export function symbolEvents(k: Kernel, info: LoadInfo, module: string, results: readonly Resolution[]): SimEvent[] {
  const expected = (name: string) => info.versions?.entries.find((e) => e.name === name)?.crc;
  return results.flatMap((r): SimEvent[] => {
    if (r.symbol.shndx !== SHN_UNDEF || !r.name) return [];
    const crc = expected(r.name);
    const versions = crc === undefined ? {} : { expected: crc };
    if (r.from) return [{ kind: 'loader/symbol-resolved', module, name: r.name, address: split(r.value!), owner: r.from.owner, crc: r.from.crc, gpl: r.from.gpl, ...versions }];
    if (r.errno === undefined) return [];
    const found = k.symbols.get(r.name);
    const reason = !found ? 'not-exported' : r.errno === -22 ? 'crc-mismatch' : 'gpl-only';
    return [{ kind: 'loader/symbol-unresolved', module, name: r.name, errno: r.errno, reason, ...(found ? { crc: found.crc, gpl: found.gpl } : {}), ...versions }];
  });
}
