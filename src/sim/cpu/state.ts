// Models: the architectural state of one x86-64 logical processor in 64-bit mode (Intel SDM Vol. 1
// §3.4, Vol. 3A §2.1–2.6): general registers, RIP, RFLAGS, segment selectors, control registers,
// the MSRs the book needs, GDTR, IDTR and the task register.
// Simplifies: no real or compatibility mode, no x87/SSE state; segment descriptors are read from
// the GDT when a selector is loaded and only CPL (from CS) and the FS/GS bases are kept.

/** 64-bit values are pairs of unsigned 32-bit halves. */
export interface U64 {
  lo: number;
  hi: number;
}

export const REG_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7, R11 = 11;

export const CR0_PE = 1 << 0, CR0_WP = 1 << 16, CR0_PG = 1 << 31;
export const CR4_PAE = 1 << 5, CR4_SMEP = 1 << 20, CR4_SMAP = 1 << 21;
export const EFER_SCE = 1 << 0, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;

export const MSR = {
  APIC_BASE: 0x1b,
  EFER: 0xc0000080,
  STAR: 0xc0000081,
  LSTAR: 0xc0000082,
  CSTAR: 0xc0000083,
  FMASK: 0xc0000084,
  FS_BASE: 0xc0000100,
  GS_BASE: 0xc0000101,
  KERNEL_GS_BASE: 0xc0000102,
  X2APIC_EOI: 0x80b,
} as const;

export interface DescriptorTable {
  base: U64;
  limit: number;
}

/** The processor's state. `regs` holds 16 registers as (lo, hi) pairs: rax.lo, rax.hi, rcx.lo, … */
export interface CpuStateData {
  regs: Uint32Array;
  rip: U64;
  rflags: number;
  cs: number;
  ss: number;
  ds: number;
  es: number;
  fs: number;
  gs: number;
  fsBase: U64;
  gsBase: U64;
  kernelGsBase: U64;
  cr0: number;
  cr2: U64;
  cr3: number;
  cr4: number;
  efer: number;
  star: U64;
  lstar: U64;
  cstar: U64;
  fmask: number;
  gdtr: DescriptorTable;
  idtr: DescriptorTable;
  tr: number;
  tssBase: U64;
  tssLimit: number;
  halted: boolean;
  /** The instruction after sti or mov ss is not interrupted (interrupt shadow). */
  interruptShadow: boolean;
}

export function initialCpuState(): CpuStateData {
  const zero = () => ({ lo: 0, hi: 0 });
  return {
    regs: new Uint32Array(32),
    rip: zero(),
    rflags: 2,
    cs: 0, ss: 0, ds: 0, es: 0, fs: 0, gs: 0,
    fsBase: zero(), gsBase: zero(), kernelGsBase: zero(),
    cr0: 0, cr2: zero(), cr3: 0, cr4: 0, efer: 0,
    star: zero(), lstar: zero(), cstar: zero(), fmask: 0,
    gdtr: { base: zero(), limit: 0xffff }, idtr: { base: zero(), limit: 0xffff },
    tr: 0, tssBase: zero(), tssLimit: 0,
    halted: false,
    interruptShadow: false,
  };
}

/** "0xffffffff81000010" */
export const hex64 = (v: U64) => '0x' + (v.hi >>> 0).toString(16).padStart(8, '0') + (v.lo >>> 0).toString(16).padStart(8, '0');
/** "0x401000" — without leading zeros. */
export const hexShort = (v: U64) =>
  '0x' + (v.hi ? (v.hi >>> 0).toString(16) + (v.lo >>> 0).toString(16).padStart(8, '0') : (v.lo >>> 0).toString(16));

/** A deep copy as plain data (regs as a number array), for snapshots. */
export function cpuStateToData(s: CpuStateData): Omit<CpuStateData, 'regs'> & { regs: number[] } {
  return { ...JSON.parse(JSON.stringify({ ...s, regs: [] })), regs: Array.from(s.regs) };
}

export function cpuStateFromData(d: Omit<CpuStateData, 'regs'> & { regs: number[] }): CpuStateData {
  return { ...JSON.parse(JSON.stringify({ ...d, regs: [] })), regs: Uint32Array.from(d.regs) };
}
