// Models: parse_args() and parse_one() of Linux 6.1 (kernel/params.c) on a module's __param table
// (struct kernel_param: name, ops, arg — offsets from layout.json), with the standard setters
// param_set_int, _uint, _long, _ulong, _short, _ushort, _bool and _charp, and load_module's
// unknown_module_param_cb ("unknown parameter ... ignored").
// Simplifies: the setters run in TypeScript (their ops tables are the kernel's exported
// param_ops_* data, recognised by address); quoting and "--" in the argument string are not
// modelled; charp values point into a copy of the argument string in kernel memory.
import type { Kernel } from '../kernel';
import type { PlacedSection } from './module';
import { EINVAL } from './errno';

export const PARAM_OPS = ['param_ops_int', 'param_ops_uint', 'param_ops_long', 'param_ops_ulong', 'param_ops_short', 'param_ops_ushort', 'param_ops_bool', 'param_ops_charp'] as const;
type Ops = (typeof PARAM_OPS)[number];

const SIZES: Record<Ops, number> = { param_ops_int: 4, param_ops_uint: 4, param_ops_long: 8, param_ops_ulong: 8, param_ops_short: 2, param_ops_ushort: 2, param_ops_bool: 1, param_ops_charp: 8 };
const RANGE: Partial<Record<Ops, [bigint, bigint]>> = {
  param_ops_int: [-(2n ** 31n), 2n ** 31n - 1n], param_ops_uint: [0n, 2n ** 32n - 1n],
  param_ops_long: [-(2n ** 63n), 2n ** 63n - 1n], param_ops_ulong: [0n, 2n ** 64n - 1n],
  param_ops_short: [-(2n ** 15n), 2n ** 15n - 1n], param_ops_ushort: [0n, 2n ** 16n - 1n],
};

/** kstrtol-style parsing with base 0: 0x for hex, a leading 0 for octal. */
function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)\n?$/i.exec(text);
  if (!m) return undefined;
  const digits = m[2]!;
  const v = digits.toLowerCase().startsWith('0x') ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  return m[1] === '-' ? -v : v;
}

/** strtobool as param_set_bool uses it: y/Y/1/on and n/N/0/off. */
function parseBool(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (['y', '1', 'on'].includes(t) || t.startsWith('y')) return true;
  if (['n', '0', 'off'].includes(t) || t.startsWith('n')) return false;
  return undefined;
}

/** Splits "a=1 b c=x" into [param, value] pairs (next_arg in kernel/params.c, without quoting). */
export const splitArgs = (args: string) =>
  args.trim() ? args.trim().split(/\s+/).map((w) => (w.includes('=') ? ([w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as const) : ([w, undefined] as const))) : [];

export function parseArgs(k: Kernel, modName: string, args: string, placed: PlacedSection[]): { errno: number; log: string[]; set: string[] } {
  const table = placed.find((p) => p.name === '__param');
  const kp = k.layout['kernel_param']!;
  const log: string[] = [];
  const set: string[] = [];
  const params: { name: string; ops: Ops | undefined; arg: bigint }[] = [];
  for (let i = 0; table && i * kp.size < table.size; i++) {
    const at = table.address + BigInt(i * kp.size);
    const opsAddress = k.read64(at + BigInt(kp.fields['ops']!)) ?? 0n;
    params.push({
      name: k.readCString(k.read64(at + BigInt(kp.fields['name']!)) ?? 0n),
      ops: PARAM_OPS.find((o) => k.symbols.get(o)?.address === opsAddress),
      arg: k.read64(at + BigInt(kp.fields['arg']!)) ?? 0n,
    });
  }
  const same = (a: string, b: string) => a.replace(/-/g, '_') === b.replace(/-/g, '_'); // parameq()
  for (const [name, value] of splitArgs(args)) {
    const p = params.find((x) => same(x.name, name));
    if (!p) {
      log.push(`${modName}: unknown parameter '${name}' ignored`); // unknown_module_param_cb
      continue;
    }
    if (!p.ops) return { errno: EINVAL, log: [...log, `${modName}: parameter '${name}' has a type the model does not set`], set };
    const invalid = () => ({ errno: EINVAL, log: [...log, `${modName}: \`${value ?? ''}' invalid for parameter \`${name}'`], set });
    if (p.ops === 'param_ops_bool') {
      const b = value === undefined ? true : parseBool(value); // a bare bool parameter means "yes"
      if (b === undefined) return invalid();
      k.writeBytes(p.arg, [b ? 1 : 0]);
    } else if (p.ops === 'param_ops_charp') {
      if (value === undefined) return invalid();
      const copy = k.kstrdup(value);
      k.writeBytes(p.arg, Array.from({ length: 8 }, (_, i) => Number((copy >> BigInt(8 * i)) & 0xffn)));
    } else {
      const v = value === undefined ? undefined : parseInteger(value);
      const [lo, hi] = RANGE[p.ops]!;
      if (v === undefined || v < lo || v > hi) return invalid();
      const size = SIZES[p.ops];
      k.writeBytes(p.arg, Array.from({ length: size }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn)));
    }
    set.push(`${name}=${value ?? ''}`);
  }
  return { errno: 0, log, set };
}
