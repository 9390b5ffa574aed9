import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modinfoListing } from '../../src/cli/modinfo';
import { main, type CliIo } from '../../src/cli/ring0';
import type { Modinfo } from '../../src/sim/elf/index';

// `ring0 modinfo FILE` against kmod's modinfo: the same lines, in the same order and columns.

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readFile: (path) => new Uint8Array(readFileSync(path)),
    resolvePath: (path) => resolve(path),
  };
  return { status: await main(argv, io), out, err };
}

// Every module under public/samples, variants included, and the extra kbuild object.
const modules = [
  ...readdirSync('public/samples', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ko')).map((f) => `public/samples/${f.split(sep).join('/')}`),
  'tests/golden/readelf/extra/tiny-mod.ko',
].sort();

function kmodModinfo(path: string): string | null {
  try {
    return execFileSync('modinfo', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
const kmodInstalled = kmodModinfo('tests/golden/readelf/extra/tiny-mod.ko') !== null;

describe('ring0 modinfo', () => {
  it('prints filename, then each tag aligned at column 16', async () => {
    const { status, out, err } = await run('modinfo', 'public/samples/hello.ko');
    expect(status).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toBe(`filename:       ${resolve('public/samples/hello.ko')}`);
    expect(out).toContain('license:        GPL');
    expect(out).toContain('depends:        ');
    expect(out).toContain('name:           hello');
  });

  it('merges parm and parmtype into one parm line per parameter, after the tags', async () => {
    const { out } = await run('modinfo', 'public/samples/param.ko');
    expect(out[out.length - 1]).toBe('parm:           count:A number to print at load time (default 1) (int)');
    expect((await run('modinfo', 'tests/golden/readelf/extra/tiny-mod.ko')).out).toContain('parm:           answer:int');
  });

  it('shows the signature of a signed module, as kmod does', async () => {
    const { out } = await run('modinfo', 'public/samples/signed.ko');
    expect(out).toContain('sig_id:         PKCS#7');
  });

  it("pads a key longer than 15 characters as C's printf does with a negative width, and reports a parm without ':'", () => {
    const entries = [
      { tag: 'a_very_long_tag_name', value: 'x', offset: 0 },
      { tag: 'parm', value: 'broken', offset: 0 },
      { tag: 'parmtype', value: 'b:int', offset: 0 },
      { tag: 'parm', value: 'a:first', offset: 0 },
      { tag: 'parmtype', value: 'a:charp', offset: 0 },
      { tag: 'noequals', value: null, offset: 0 },
    ];
    const info: Modinfo = { kind: 'modinfo', section: null, entries, get: () => undefined, getAll: () => [] };
    const problems: string[] = [];
    expect(modinfoListing(info, 'm.ko', [], problems)).toEqual([
      'filename:       m.ko',
      'a_very_long_tag_name:     x', // printf("%s:%-*s", key, 15 - 20, ""): five spaces
      'noequals:       ',
      'parm:           a:first (charp)', // kmod prepends to its list: the last parameter named prints first
      'parm:           b:int',
    ]);
    expect(problems).toEqual(['modinfo: ERROR: Found invalid "parm=broken": missing \':\'']);
  });

  it('reports a file that is not ELF in one line, with exit status 1', async () => {
    const { status, err } = await run('modinfo', 'package.json');
    expect(status).toBe(1);
    expect(err[0]).toMatch(/^ring0: package\.json: This is not an ELF file/);
  });

  it.skipIf(!kmodInstalled).each(modules)("prints exactly what kmod's modinfo prints for %s (or fails where kmod fails)", async (path) => {
    const { status, out } = await run('modinfo', path);
    const theirs = kmodModinfo(resolve(path));
    if (theirs === null) expect(status).toBe(1);
    else expect(`${out.join('\n')}\n`).toBe(theirs);
  });
});
