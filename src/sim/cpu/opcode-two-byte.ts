// Models: the two-byte opcode map 0F xx in 64-bit mode (Intel SDM Vol. 2D Table A-3) with groups
// 6, 8 and 16 (Table A-6); groups 7, 9 and 15 are decoded by ModRM in decode-operands.ts.
// Simplifies: MMX/SSE/AVX opcodes, the three-byte maps (0F 38, 0F 3A), 3DNow!, debug-register moves,
// lar/lsl, lss/lfs/lgs and rsm are "unmodelled" entries.
import {
  ACCESS, B, BND, CONDITIONS, F, HLE_LOCK, INVALID, LOCK,
  entry, group, unmodelled, type OpcodeEntry,
} from './opcode-table';

const group6 = group([
  entry('sldt', 'sldt', F.E_SYS_V), entry('str', 'str', F.E_SYS_V),
  entry('lldt', 'lldt', F.E_SYS_W), entry('ltr', 'ltr', F.E_SYS_W),
  entry('verr', 'verr', F.E_SYS_W), entry('verw', 'verw', F.E_SYS_W),
  INVALID, INVALID,
]);

const group8 = group([
  INVALID, INVALID, INVALID, INVALID,
  entry('bt', 'bt', F.SH_I), entry('bts', 'bts', F.SH_I, LOCK | HLE_LOCK),
  entry('btr', 'btr', F.SH_I, LOCK | HLE_LOCK), entry('btc', 'btc', F.SH_I, LOCK | HLE_LOCK),
]);

/** Entries of group 7 (0F 01) with a memory operand, by ModRM.reg. */
export const GROUP7_MEM: readonly OpcodeEntry[] = Object.freeze([
  entry('sgdt', 'sgdt', F.M_DESC), entry('sidt', 'sidt', F.M_DESC),
  entry('lgdt', 'lgdt', F.M_DESC), entry('lidt', 'lidt', F.M_DESC),
  entry('smsw', 'smsw', F.E_SYS_V), unmodelled('CET/TDX (0f 01 /5)'),
  entry('lmsw', 'lmsw', F.E_SYS_W), entry('invlpg', 'invlpg', F.M_HINT),
]);

/** Register forms of group 7 (0F 01 C0–FF) that are modelled, by ModRM byte. */
export const GROUP7_REG: ReadonlyMap<number, OpcodeEntry> = new Map([
  [0xc8, entry('monitor', 'monitor', F.NONE)], [0xc9, entry('mwait', 'mwait', F.NONE)],
  [0xca, entry('clac', 'clac', F.NONE)], [0xcb, entry('stac', 'stac', F.NONE)],
  [0xd0, entry('xgetbv', 'xgetbv', F.NONE)], [0xd1, entry('xsetbv', 'xsetbv', F.NONE)],
  [0xf8, entry('swapgs', 'swapgs', F.NONE)], [0xf9, entry('rdtscp', 'rdtscp', F.NONE)],
]);

/** The SMSW/LMSW register forms of group 7 (ModRM E0–E7, F0–F7). */
export const SMSW_REG = entry('smsw', 'smsw', F.E_SYS_V);
export const LMSW_REG = entry('lmsw', 'lmsw', F.E_SYS_W);

/** Group 15 (0F AE) entries that are modelled: the fences (register forms) and clflush. */
export const LFENCE = entry('lfence', 'lfence', F.NONE);
export const MFENCE = entry('mfence', 'mfence', F.NONE);
export const SFENCE = entry('sfence', 'sfence', F.NONE);
export const CLFLUSH = entry('clflush', 'clflush', F.M_HINT, ACCESS);

/** Group 9 (0F C7 /1, memory): cmpxchg8b, or cmpxchg16b with REX.W. */
export const CMPXCHG8B = entry('cmpxchg8b', 'cmpxchg8b', F.M_CX8, LOCK | HLE_LOCK);

/** Hint prefetches (0F 18 /0–3, 0F 0D /0–1): named memory, never accessed. */
export const PREFETCH_18 = ['prefetchnta', 'prefetcht0', 'prefetcht1', 'prefetcht2'].map((mn) => entry('prefetch', mn, F.M_HINT));
export const PREFETCH_0D = ['prefetch', 'prefetchw'].map((mn) => entry('prefetch', mn, F.M_HINT));

export const ENDBR64 = entry('endbr64', 'endbr64', F.NONE);
export const ENDBR32 = entry('endbr32', 'endbr32', F.NONE);
export const NOP_E = entry('nop', 'nop', F.NOP_E);
export const CLDEMOTE = entry('prefetch', 'cldemote', F.M_HINT);

const RESERVED = [0x04, 0x0a, 0x0c, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x7a, 0x7b, 0xa6, 0xa7];

function build(): OpcodeEntry[] {
  const t: OpcodeEntry[] = [];
  for (let x = 0; x < 256; x++) t.push(unmodelled(`0f ${x.toString(16).padStart(2, '0')} (MMX/SSE/AVX or other extension)`));
  for (const x of RESERVED) t[x] = INVALID;
  t[0x00] = group6;
  t[0x01] = entry('', '', F.GRP7);
  t[0x02] = unmodelled('lar (0f 02)');
  t[0x03] = unmodelled('lsl (0f 03)');
  t[0x05] = entry('syscall', 'syscall', F.NONE);
  t[0x06] = entry('clts', 'clts', F.NONE);
  t[0x07] = entry('sysret', 'sysret', F.NONE_W, 0, { sized: ['sysretd', 'sysretd', 'sysretq'] });
  t[0x08] = entry('invd', 'invd', F.NONE);
  t[0x09] = entry('wbinvd', 'wbinvd', F.NONE, 0, { alt: unmodelled('wbnoinvd (f3 0f 09)') });
  t[0x0b] = entry('ud2', 'ud2', F.NONE);
  t[0x0d] = entry('', '', F.PREFETCH0D);
  t[0x18] = entry('', '', F.PREFETCH18);
  t[0x19] = NOP_E;
  t[0x1c] = entry('', '', F.HINT1C);
  t[0x1d] = NOP_E;
  t[0x1e] = entry('nop', 'nop', F.ENDBR);
  t[0x1f] = NOP_E;
  t[0x20] = entry('mov', 'mov', F.MOV_R_CR);
  t[0x21] = unmodelled('mov from a debug register (0f 21)');
  t[0x22] = entry('mov', 'mov', F.MOV_CR_R);
  t[0x23] = unmodelled('mov to a debug register (0f 23)');
  t[0x30] = entry('wrmsr', 'wrmsr', F.NONE);
  t[0x31] = entry('rdtsc', 'rdtsc', F.NONE);
  t[0x32] = entry('rdmsr', 'rdmsr', F.NONE);
  t[0x33] = entry('rdpmc', 'rdpmc', F.NONE);
  t[0x34] = entry('sysenter', 'sysenter', F.NONE);
  t[0x35] = entry('sysexit', 'sysexit', F.NONE_W, 0, { sized: ['sysexitd', 'sysexitd', 'sysexitq'] });
  t[0x38] = entry('', '0f 38', F.ESC3);
  t[0x3a] = entry('', '0f 3a', F.ESC3);
  CONDITIONS.forEach((c, i) => {
    t[0x40 + i] = entry('cmovcc', 'cmov' + c, F.G_E, 0, { cond: i });
    t[0x80 + i] = entry('jcc', 'j' + c, F.JZ, BND, { cond: i });
    t[0x90 + i] = entry('setcc', 'set' + c, F.E, B, { cond: i });
  });
  t[0xa0] = entry('push', 'push', F.SREG_STACK, 0, { aux: 4, sized: ['pushw', 'push', 'push'] });
  t[0xa1] = entry('pop', 'pop', F.SREG_STACK, 0, { aux: 4, sized: ['popw', 'pop', 'pop'] });
  t[0xa2] = entry('cpuid', 'cpuid', F.NONE);
  t[0xa3] = entry('bt', 'bt', F.E_G);
  t[0xa4] = entry('shld', 'shld', F.SHD_I);
  t[0xa5] = entry('shld', 'shld', F.SHD_CL);
  t[0xa8] = entry('push', 'push', F.SREG_STACK, 0, { aux: 5, sized: ['pushw', 'push', 'push'] });
  t[0xa9] = entry('pop', 'pop', F.SREG_STACK, 0, { aux: 5, sized: ['popw', 'pop', 'pop'] });
  t[0xaa] = unmodelled('rsm (0f aa)');
  t[0xab] = entry('bts', 'bts', F.E_G, LOCK | HLE_LOCK);
  t[0xac] = entry('shrd', 'shrd', F.SHD_I);
  t[0xad] = entry('shrd', 'shrd', F.SHD_CL);
  t[0xae] = entry('', '', F.GRP15);
  t[0xaf] = entry('imul', 'imul', F.G_E);
  t[0xb0] = entry('cmpxchg', 'cmpxchg', F.E_G, B | LOCK | HLE_LOCK);
  t[0xb1] = entry('cmpxchg', 'cmpxchg', F.E_G, LOCK | HLE_LOCK);
  t[0xb2] = unmodelled('lss (0f b2)');
  t[0xb3] = entry('btr', 'btr', F.E_G, LOCK | HLE_LOCK);
  t[0xb4] = unmodelled('lfs (0f b4)');
  t[0xb5] = unmodelled('lgs (0f b5)');
  t[0xb6] = entry('movzx', 'movzx', F.MOVX_B);
  t[0xb7] = entry('movzx', 'movzx', F.MOVX_W);
  t[0xb8] = entry('', 'jmpe (0f b8)', F.INVALID, 0, { alt: entry('popcnt', 'popcnt', F.G_E) });
  t[0xb9] = entry('ud2', 'ud1', F.G_E);
  t[0xba] = group8;
  t[0xbb] = entry('btc', 'btc', F.E_G, LOCK | HLE_LOCK);
  t[0xbc] = entry('bsf', 'bsf', F.G_E, 0, { alt: entry('tzcnt', 'tzcnt', F.G_E) });
  t[0xbd] = entry('bsr', 'bsr', F.G_E, 0, { alt: entry('lzcnt', 'lzcnt', F.G_E) });
  t[0xbe] = entry('movsx', 'movsx', F.MOVX_B);
  t[0xbf] = entry('movsx', 'movsx', F.MOVX_W);
  t[0xc0] = entry('xadd', 'xadd', F.E_G, B | LOCK | HLE_LOCK);
  t[0xc1] = entry('xadd', 'xadd', F.E_G, LOCK | HLE_LOCK);
  t[0xc7] = entry('', '', F.GRP9);
  for (let r = 0; r < 8; r++) t[0xc8 + r] = entry('bswap', 'bswap', F.BSWAP);
  t[0xff] = entry('ud2', 'ud0', F.G_E);
  return t;
}

/** The two-byte map, indexed by the byte after 0F. */
export const TWO_BYTE: readonly OpcodeEntry[] = Object.freeze(build());
