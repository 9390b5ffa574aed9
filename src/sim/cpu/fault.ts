// Models: the exceptions of Intel SDM Vol. 3A §6.15 ("Exception and Interrupt Reference"), their
// vectors, names, error codes and classes for double-fault detection (Table 6-5).
// Simplifies: no #MC, #VE, #CP; #NM and #MF cannot occur (no x87/SSE state).

export const DE = 0, DB = 1, NMI = 2, BP = 3, OF_ = 4, BR = 5, UD = 6, NM = 7, DF = 8, TS = 10, NP = 11, SS_ = 12, GP = 13, PF = 14, AC_ = 17;

export const VECTOR_NAMES: Record<number, string> = {
  0: '#DE divide error', 1: '#DB debug', 2: 'NMI', 3: '#BP breakpoint', 4: '#OF overflow', 5: '#BR bound range',
  6: '#UD invalid opcode', 7: '#NM device not available', 8: '#DF double fault', 10: '#TS invalid TSS',
  11: '#NP segment not present', 12: '#SS stack fault', 13: '#GP general protection', 14: '#PF page fault', 17: '#AC alignment check',
};

/** Vectors that push an error code (SDM Table 6-1). */
export const HAS_ERROR_CODE = new Set([DF, TS, NP, SS_, GP, PF, AC_]);

/** Table 6-4: contributory exceptions. */
const CONTRIBUTORY = new Set([DE, TS, NP, SS_, GP]);
export type FaultClass = 'benign' | 'contributory' | 'page-fault' | 'double-fault';
export function faultClass(vector: number): FaultClass {
  if (vector === PF) return 'page-fault';
  if (vector === DF) return 'double-fault';
  return CONTRIBUTORY.has(vector) ? 'contributory' : 'benign';
}

/** Table 6-5: does a second exception while delivering the first become a double fault? */
export function isDoubleFault(first: number, second: number): boolean {
  const a = faultClass(first), b = faultClass(second);
  if (a === 'contributory') return b === 'contributory';
  if (a === 'page-fault') return b === 'contributory' || b === 'page-fault';
  return false;
}

/**
 * Thrown inside the executor when an instruction faults; caught by the step loop, which delivers
 * it. Never escapes the machine.
 */
export class CpuFault {
  constructor(
    readonly vector: number,
    readonly errorCode: number | undefined,
    /** Plain English: why, in the processor's terms. */
    readonly reason: string,
    /** For #PF: the faulting linear address. */
    readonly cr2?: { lo: number; hi: number },
  ) {}
}

export const gp0 = (reason: string) => new CpuFault(GP, 0, reason);
export const ud = (reason: string) => new CpuFault(UD, undefined, reason);

/** Stops the machine: a valid instruction outside the modelled set, or an HLE function without a body. */
export class NotModelled {
  constructor(readonly reason: string) {}
}
