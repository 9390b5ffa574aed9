// Models: nothing — finds the committed sample files (public/samples) for the command line.
// Simplifies: nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bytes of public/samples/<path>; throws (ENOENT) if there is no such sample. */
export function sampleBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../public/samples/${path}`, import.meta.url))));
}
