// Models: a module's own exports as find_module_sections() finds them (kernel/module/main.c):
// __ksymtab and __ksymtab_gpl hold struct kernel_symbol entries, which on x86-64
// (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS) are three 32-bit offsets, each relative to its own field:
// value, name, namespace (include/linux/export.h in 6.1); __kcrctab(_gpl) holds their CRCs.
// Simplifies: namespaces are read but not enforced.
import type { Kernel } from '../kernel';
import type { PlacedSection } from './module';

const s32 = (b: number[]) => BigInt.asIntN(32, BigInt((b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0));

export function readModuleExports(k: Kernel, placed: PlacedSection[]) {
  const out: { name: string; address: bigint; gpl: boolean; crc: number }[] = [];
  for (const [table, crcs, gpl] of [['__ksymtab', '__kcrctab', false], ['__ksymtab_gpl', '__kcrctab_gpl', true]] as const) {
    const syms = placed.find((p) => p.name === table);
    if (!syms) continue;
    const crcTable = placed.find((p) => p.name === crcs);
    for (let i = 0; i * 12 < syms.size; i++) {
      const at = syms.address + BigInt(i * 12);
      const value = at + s32(k.readBytes(at, 4));
      const name = k.readCString(at + 4n + s32(k.readBytes(at + 4n, 4)));
      const crc = crcTable ? Number(BigInt.asUintN(32, s32(k.readBytes(crcTable.address + BigInt(i * 4), 4)))) : 0;
      out.push({ name, address: value, gpl, crc });
    }
  }
  return out;
}
