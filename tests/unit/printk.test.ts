import { describe, expect, it } from 'vitest';
import { KernelLog, formatPrintk } from '../../src/sim/kernel/printk';

const args = (...values: (number | bigint)[]) => {
  let i = 0;
  return () => {
    const v = BigInt.asUintN(64, BigInt(values[i++] ?? 0));
    return { lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) };
  };
};
const strings: Record<number, string> = { 0x1000: 'world' };
const str = (p: { lo: number }) => strings[p.lo] ?? '?';

describe('printk', () => {
  it('takes the level from KERN_INFO ("\\0016") and formats %d', () => {
    expect(formatPrintk('\u00016hello: loaded, major %d\n', args(246), str)).toEqual({ level: 6, text: 'hello: loaded, major 246' });
  });

  it('prints negative numbers, 64-bit %lld and hex, strings and (null)', () => {
    expect(formatPrintk('\u00013err %d', args(-16), str).text).toBe('err -16');
    expect(formatPrintk('%lld ns', args(1234567890123n), str).text).toBe('1234567890123 ns');
    expect(formatPrintk('%#x %08lx %s %s', args(255, 0xabc, 0x1000, 0), str).text).toBe('0xff 00000abc world (null)');
  });

  it('uses the default message level (warning) without a prefix', () => {
    expect(formatPrintk('plain', args(), str).level).toBe(4);
  });

  it('prints records as dmesg does', () => {
    const log = new KernelLog();
    const r = log.add(6, 12_345_678_901, 'hello: unloaded');
    expect(KernelLog.line(r)).toBe('[   12.345678] hello: unloaded');
  });
});
