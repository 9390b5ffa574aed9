// A CliIo that collects what the ring0 command prints, for the CLI tests.
import { readFileSync } from 'node:fs';
import type { CliIo } from '../../../src/cli/ring0';

export function io() {
  const out: string[] = [], err: string[] = [];
  const sink: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), readFile: (p) => new Uint8Array(readFileSync(p)) };
  return { sink, out, err };
}

/** A dmesg line without its timestamp. */
export const stamp = (l: string) => l.replace(/^\[\s*\d+\.\d+\] /, '');
