// Models: the one-byte opcode map in 64-bit mode (Intel SDM Vol. 2D Table A-2) with its groups
// 1, 1A, 2, 3, 4, 5 and 11 (Table A-6).
// Simplifies: x87 (D8–DF, 9B), VEX/EVEX (C4, C5, 62), XOP (8F /1–7) and far transfers through
// memory are "unmodelled" entries; rcl/rcr decode but the executor may not model them.
import {
  B, BND, CONDITIONS, F, HLE_LOCK, HLE_MOV, HLE_XCHG, INVALID, LOCK, NOTRACK, OP_SIZED, REP,
  entry, group, unmodelled, type OpcodeEntry,
} from './opcode-table';

const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;
const SHIFTS = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'shl', 'sar'] as const;

/** Group 1 (80, 81, 83): ALU op with an immediate; cmp is the one that cannot be locked. */
const group1 = (form: number, flags: number) =>
  group(ALU.map((name) => entry(name, name, form, flags | (name === 'cmp' ? 0 : LOCK | HLE_LOCK))));

/** Group 2 (C0, C1, D0–D3): shifts and rotates; /6 is an alias of shl. */
const group2 = (form: number, flags: number) => group(SHIFTS.map((name) => entry(name, name, form, flags)));

/** Group 3 (F6, F7): test with an immediate, not, neg, and the one-operand multiplies and divides. */
const group3 = (flags: number) => {
  const unary = (name: string, lock = 0) => entry(name, name, F.E, flags | lock);
  const test = entry('test', 'test', F.E_I, flags);
  return group([test, test, unary('not', LOCK | HLE_LOCK), unary('neg', LOCK | HLE_LOCK),
    unary('mul'), unary('imul'), unary('div'), unary('idiv')]);
};

const group4 = group([
  entry('inc', 'inc', F.E, B | LOCK | HLE_LOCK), entry('dec', 'dec', F.E, B | LOCK | HLE_LOCK),
  INVALID, INVALID, INVALID, INVALID, INVALID, INVALID,
]);

const group5 = group([
  entry('inc', 'inc', F.E, LOCK | HLE_LOCK), entry('dec', 'dec', F.E, LOCK | HLE_LOCK),
  entry('call', 'call', F.E_BRANCH, BND | NOTRACK), unmodelled('far call through memory (ff /3)'),
  entry('jmp', 'jmp', F.E_BRANCH, BND | NOTRACK), unmodelled('far jmp through memory (ff /5)'),
  entry('push', 'push', F.E_STACK), INVALID,
]);

const group1a = group([entry('pop', 'pop', F.E_STACK), ...Array<OpcodeEntry>(7).fill(unmodelled('XOP (AMD) prefix 8f'))]);

/** Group 11 (C6, C7): mov with an immediate; /7 with ModRM F8 is xabort/xbegin (TSX). */
const group11 = (flags: number, tsx: string) =>
  group([entry('mov', 'mov', F.E_I, flags | HLE_MOV), INVALID, INVALID, INVALID, INVALID, INVALID, INVALID,
    entry('', tsx, F.C6C7_7)]);

function build(): OpcodeEntry[] {
  const t: OpcodeEntry[] = Array<OpcodeEntry>(256).fill(INVALID);
  ALU.forEach((name, i) => {
    const lock = name === 'cmp' ? 0 : LOCK | HLE_LOCK;
    t[i * 8] = entry(name, name, F.E_G, B | lock);
    t[i * 8 + 1] = entry(name, name, F.E_G, lock);
    t[i * 8 + 2] = entry(name, name, F.G_E, B);
    t[i * 8 + 3] = entry(name, name, F.G_E);
    t[i * 8 + 4] = entry(name, name, F.ACC_I, B);
    t[i * 8 + 5] = entry(name, name, F.ACC_I);
  });
  t[0x0f] = INVALID; // the two-byte escape is handled before this table is read
  for (let r = 0; r < 8; r++) {
    t[0x50 + r] = entry('push', 'push', F.Z_STACK);
    t[0x58 + r] = entry('pop', 'pop', F.Z_STACK);
    t[0x91 + r] = entry('xchg', 'xchg', F.Z_XCHG);
    t[0xb0 + r] = entry('mov', 'mov', F.Z_I, B);
    t[0xb8 + r] = entry('mov', 'mov', F.Z_I);
  }
  t[0x62] = unmodelled('EVEX-encoded (AVX-512) instruction');
  t[0x63] = entry('movsxd', 'movsxd', F.MOVSXD);
  t[0x68] = entry('push', 'push', F.PUSH_IZ);
  t[0x69] = entry('imul', 'imul', F.IMUL_IZ);
  t[0x6a] = entry('push', 'push', F.PUSH_IB);
  t[0x6b] = entry('imul', 'imul', F.IMUL_IB);
  t[0x6c] = entry('ins', 'ins', F.INS, B | REP);
  t[0x6d] = entry('ins', 'ins', F.INS, REP);
  t[0x6e] = entry('outs', 'outs', F.OUTS, B | REP);
  t[0x6f] = entry('outs', 'outs', F.OUTS, REP);
  CONDITIONS.forEach((c, i) => (t[0x70 + i] = entry('jcc', 'j' + c, F.JB, BND, { cond: i })));
  t[0x80] = group1(F.E_I, B);
  t[0x81] = group1(F.E_I, 0);
  t[0x83] = group1(F.E_IBS, 0);
  t[0x84] = entry('test', 'test', F.E_G, B);
  t[0x85] = entry('test', 'test', F.E_G);
  t[0x86] = entry('xchg', 'xchg', F.E_G, B | LOCK | HLE_XCHG);
  t[0x87] = entry('xchg', 'xchg', F.E_G, LOCK | HLE_XCHG);
  t[0x88] = entry('mov', 'mov', F.E_G, B | HLE_MOV);
  t[0x89] = entry('mov', 'mov', F.E_G, HLE_MOV);
  t[0x8a] = entry('mov', 'mov', F.G_E, B);
  t[0x8b] = entry('mov', 'mov', F.G_E);
  t[0x8c] = entry('mov', 'mov', F.MOV_E_S);
  t[0x8d] = entry('lea', 'lea', F.LEA);
  t[0x8e] = entry('mov', 'mov', F.MOV_S_E);
  t[0x8f] = group1a;
  t[0x90] = entry('nop', 'nop', F.NOP90);
  t[0x98] = entry('cbw', 'cbw', F.NONE_V, OP_SIZED, { sized: ['cbw', 'cwde', 'cdqe'] });
  t[0x99] = entry('cwd', 'cwd', F.NONE_V, OP_SIZED, { sized: ['cwd', 'cdq', 'cqo'] });
  t[0x9b] = unmodelled('x87 fwait (9b)');
  t[0x9c] = entry('pushf', 'pushf', F.NONE_S, 0, { sized: ['pushfw', 'pushf', 'pushf'] });
  t[0x9d] = entry('popf', 'popf', F.NONE_S, 0, { sized: ['popfw', 'popf', 'popf'] });
  t[0x9e] = entry('sahf', 'sahf', F.NONE);
  t[0x9f] = entry('lahf', 'lahf', F.NONE);
  t[0xa0] = entry('mov', 'movabs', F.MOFFS_LOAD, B);
  t[0xa1] = entry('mov', 'movabs', F.MOFFS_LOAD);
  t[0xa2] = entry('mov', 'movabs', F.MOFFS_STORE, B);
  t[0xa3] = entry('mov', 'movabs', F.MOFFS_STORE);
  t[0xa4] = entry('movs', 'movs', F.MOVS, B | REP);
  t[0xa5] = entry('movs', 'movs', F.MOVS, REP);
  t[0xa6] = entry('cmps', 'cmps', F.CMPS, B);
  t[0xa7] = entry('cmps', 'cmps', F.CMPS);
  t[0xa8] = entry('test', 'test', F.ACC_I, B);
  t[0xa9] = entry('test', 'test', F.ACC_I);
  t[0xaa] = entry('stos', 'stos', F.STOS, B | REP);
  t[0xab] = entry('stos', 'stos', F.STOS, REP);
  t[0xac] = entry('lods', 'lods', F.LODS, B | REP);
  t[0xad] = entry('lods', 'lods', F.LODS, REP);
  t[0xae] = entry('scas', 'scas', F.SCAS, B);
  t[0xaf] = entry('scas', 'scas', F.SCAS);
  t[0xc0] = group2(F.SH_I, B);
  t[0xc1] = group2(F.SH_I, 0);
  t[0xc2] = entry('ret', 'ret', F.RET_I, BND);
  t[0xc3] = entry('ret', 'ret', F.RET, BND);
  t[0xc4] = unmodelled('VEX-encoded (AVX) instruction (c4)');
  t[0xc5] = unmodelled('VEX-encoded (AVX) instruction (c5)');
  t[0xc6] = group11(B, 'TSX xabort (c6 f8)');
  t[0xc7] = group11(0, 'TSX xbegin (c7 f8)');
  t[0xc8] = entry('enter', 'enter', F.ENTER, 0, { sized: ['enterw', 'enter', 'enter'] });
  t[0xc9] = entry('leave', 'leave', F.NONE_S, 0, { sized: ['leavew', 'leave', 'leave'] });
  t[0xca] = entry('retf', 'retf', F.RETF_I, 0, { sized: ['retfw', 'retf', 'retfq'] });
  t[0xcb] = entry('retf', 'retf', F.RETF, 0, { sized: ['retfw', 'retf', 'retfq'] });
  t[0xcc] = entry('int3', 'int3', F.NONE);
  t[0xcd] = entry('int', 'int', F.INT_I);
  t[0xcf] = entry('iret', 'iret', F.NONE_V, 0, { sized: ['iretw', 'iret', 'iretq'] });
  t[0xd0] = group2(F.SH_1, B);
  t[0xd1] = group2(F.SH_1, 0);
  t[0xd2] = group2(F.SH_CL, B);
  t[0xd3] = group2(F.SH_CL, 0);
  t[0xd7] = entry('xlat', 'xlat', F.XLAT);
  for (let x = 0xd8; x <= 0xdf; x++) t[x] = unmodelled(`x87 escape (${x.toString(16)})`);
  t[0xe0] = entry('loopne', 'loopne', F.LOOP);
  t[0xe1] = entry('loope', 'loope', F.LOOP);
  t[0xe2] = entry('loop', 'loop', F.LOOP);
  t[0xe3] = entry('jrcxz', 'jrcxz', F.JRCXZ);
  t[0xe4] = entry('in', 'in', F.IN_I, B);
  t[0xe5] = entry('in', 'in', F.IN_I);
  t[0xe6] = entry('out', 'out', F.OUT_I, B);
  t[0xe7] = entry('out', 'out', F.OUT_I);
  t[0xe8] = entry('call', 'call', F.JZ, BND);
  t[0xe9] = entry('jmp', 'jmp', F.JZ, BND);
  t[0xeb] = entry('jmp', 'jmp', F.JB, BND);
  t[0xec] = entry('in', 'in', F.IN_DX, B);
  t[0xed] = entry('in', 'in', F.IN_DX);
  t[0xee] = entry('out', 'out', F.OUT_DX, B);
  t[0xef] = entry('out', 'out', F.OUT_DX);
  t[0xf1] = entry('int1', 'int1', F.NONE);
  t[0xf4] = entry('hlt', 'hlt', F.NONE);
  t[0xf5] = entry('cmc', 'cmc', F.NONE);
  t[0xf6] = group3(B);
  t[0xf7] = group3(0);
  t[0xf8] = entry('clc', 'clc', F.NONE);
  t[0xf9] = entry('stc', 'stc', F.NONE);
  t[0xfa] = entry('cli', 'cli', F.NONE);
  t[0xfb] = entry('sti', 'sti', F.NONE);
  t[0xfc] = entry('cld', 'cld', F.NONE);
  t[0xfd] = entry('std', 'std', F.NONE);
  t[0xfe] = group4;
  t[0xff] = group5;
  return t;
}

/**
 * The one-byte map. Prefix bytes (26 2E 36 3E 64 65 66 67 F0 F2 F3, REX 40–4F) and the escape 0F
 * never reach it; the rest that stay INVALID are the opcodes 64-bit mode removed (06 07 0E 16 17
 * 1E 1F 27 2F 37 3F 60 61 82 9A CE D4 D5 D6 EA).
 */
export const ONE_BYTE: readonly OpcodeEntry[] = Object.freeze(build());
