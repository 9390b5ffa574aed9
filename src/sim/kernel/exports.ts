// Models: the kernel's export table — what EXPORT_SYMBOL and EXPORT_SYMBOL_GPL publish in
// vmlinux's __ksymtab/__ksymtab_gpl with their __kcrctab CRCs (include/linux/export.h; the data
// comes from the pinned headers' Module.symvers) — and the symbols loaded modules add.
// Simplifies: Module.symvers does not say which exports are data; the few data exports the
// samples read are listed in DATA_EXPORTS, every other export is treated as a function.

export interface ExportEntry {
  name: string;
  /** The modversions CRC (32 bits in 6.1). */
  crc: number;
  /** EXPORT_SYMBOL_GPL: invisible to modules without a GPL-compatible licence. */
  gpl: boolean;
  /** EXPORT_SYMBOL_NS namespace, or ''. */
  namespace: string;
}

export interface KernelSymbol extends ExportEntry {
  address: bigint;
  /** 'vmlinux' or the exporting module's name. */
  owner: string;
  kind: 'function' | 'data';
}

/** Exported variables the samples may read, with their size in bytes and initial contents. */
export const DATA_EXPORTS: Record<string, { size: number; init?: bigint }> = {
  jiffies: { size: 8, init: 0x100000000n - 300n * 250n }, // INITIAL_JIFFIES + 300 s at HZ=250
  jiffies_64: { size: 8, init: 0x100000000n - 300n * 250n },
  kmalloc_caches: { size: 8 * 3 * 14 },
  __stack_chk_guard: { size: 8 },
  // struct kernel_param_ops tables (kernel/params.c); their setters run in TypeScript (loader/params.ts).
  param_ops_int: { size: 32 }, param_ops_uint: { size: 32 }, param_ops_long: { size: 32 }, param_ops_ulong: { size: 32 },
  param_ops_short: { size: 32 }, param_ops_ushort: { size: 32 }, param_ops_bool: { size: 32 }, param_ops_charp: { size: 32 },
};
