// Models: printk in Linux 6.1 — the KERN_<level> prefix ("\001" + a digit) that pr_info and
// friends put before the format (include/linux/kern_levels.h), the subset of vsprintf's
// conversions that the book's drivers use (lib/vsprintf.c), and the log records dmesg prints.
// Simplifies: no continuation lines (KERN_CONT), no rate limiting, no %pS symbol lookup; `%p`
// prints a fixed stand-in for the boot-keyed pointer hash; time is the modelled clock.
import type { U64 } from '../cpu/state';

export const LEVEL_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
/** The default console log level of Debian's 6.1: messages below it are printed too. */
export const DEFAULT_MESSAGE_LEVEL = 4;

export interface LogRecord {
  seq: number;
  /** 0 (emerg) to 7 (debug). */
  level: number;
  /** Nanoseconds since boot on the modelled clock. */
  timeNs: number;
  text: string;
}

const toBig = (v: U64) => (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);

/**
 * Formats a printk format string. `next` yields the variadic arguments in order; `string` reads
 * a C string from guest memory. Returns the level and the text without its trailing newline.
 */
export function formatPrintk(format: string, next: () => U64, string: (p: U64) => string): { level: number; text: string } {
  let level = DEFAULT_MESSAGE_LEVEL;
  let fmt = format;
  while (fmt.charCodeAt(0) === 1 && fmt.length >= 2) {
    const d = fmt.charCodeAt(1) - 48;
    if (d >= 0 && d <= 7) level = d;
    fmt = fmt.slice(2);
  }
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const spec = /^([-0+ #]*)(\d*)(?:\.(\d+))?(hh|h|ll|l|z|t)?([diuxXscp%])/.exec(fmt.slice(i + 1));
    if (!spec) {
      out += c;
      continue;
    }
    i += spec[0].length;
    const [, flags = '', widthText = '', precision, length = '', conv] = spec;
    let body: string;
    if (conv === '%') body = '%';
    else if (conv === 's') {
      const p = next();
      body = p.lo === 0 && p.hi === 0 ? '(null)' : string(p);
      if (precision !== undefined) body = body.slice(0, Number(precision));
    } else if (conv === 'c') body = String.fromCharCode(next().lo & 0xff);
    else if (conv === 'p') body = (toBig(next()) ^ 0x5a5a5a5a5a5a5a5an).toString(16).slice(-8).padStart(16, '0');
    else {
      const bits = length === 'll' || length === 'l' || length === 'z' || length === 't' ? 64 : length === 'h' ? 16 : length === 'hh' ? 8 : 32;
      const raw = toBig(next());
      const signed = conv === 'd' || conv === 'i';
      const v = signed ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
      body = conv === 'x' ? v.toString(16) : conv === 'X' ? v.toString(16).toUpperCase() : v.toString(10);
      if (flags.includes('#') && (conv === 'x' || conv === 'X') && v !== 0n) body = '0x' + body;
    }
    const width = Number(widthText || 0);
    if (body.length < width) body = flags.includes('-') ? body.padEnd(width) : flags.includes('0') && conv !== 's' ? zeroPad(body, width) : body.padStart(width);
    out += body;
  }
  return { level, text: out.replace(/\n$/, '') };
}

function zeroPad(body: string, width: number): string {
  const sign = body.startsWith('-') ? '-' : '';
  return sign + body.slice(sign.length).padStart(width - sign.length, '0');
}

/** The kernel log buffer, as dmesg reads it. */
export class KernelLog {
  readonly records: LogRecord[] = [];

  add(level: number, timeNs: number, text: string): LogRecord {
    const record = { seq: this.records.length, level, timeNs, text };
    this.records.push(record);
    return record;
  }

  /** One line as `dmesg` prints it: "[    1.234567] text". */
  static line(r: LogRecord): string {
    const seconds = Math.floor(r.timeNs / 1e9);
    const micros = Math.floor((r.timeNs % 1e9) / 1e3);
    return `[${String(seconds).padStart(5)}.${String(micros).padStart(6, '0')}] ${r.text}`;
  }
}
