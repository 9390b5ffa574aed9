import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/ring0';
import { parseReadelf } from '../golden/readelf/parse-readelf';

// The ring0 command, run in-process with an output sink: no subprocess, no compiler, no binutils.

const TINY = 'tests/golden/readelf/extra/tiny.o';
const STATIC = 'tests/golden/readelf/extra/tiny-static';

async function run(...argv: string[]): Promise<{ status: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readFile: (path) => new Uint8Array(readFileSync(path)),
  };
  const status = await main(argv, io);
  return { status, out, err };
}

describe('ring0 readelf', () => {
  it('lists the header, the sections and the symbols of an object', async () => {
    const { status, out, err } = await run('readelf', TINY);
    expect(status).toBe(0);
    expect(err).toEqual([]);
    expect(out).toContain('ELF Header:');
    expect(out).toContain('  Type:                              REL (Relocatable file)');
    expect(out.some((l) => /^ {2}\[ 1\] \.text +PROGBITS /.test(l))).toBe(true);
    expect(out.some((l) => / FUNC +GLOBAL DEFAULT +1 tiny_entry$/.test(l))).toBe(true);
    expect(out).toContain('There are no program headers in this file.');
  });

  it("says what readelf says, value for value (parsed, not compared as text)", async () => {
    for (const file of [TINY, STATIC]) {
      const ours = parseReadelf((await run('readelf', file)).out.join('\n'));
      const theirs = parseReadelf(readFileSync(`${file}.txt`, 'utf8'));
      expect(ours).toEqual(theirs);
    }
  });

  it('prints, line for line, what readelf -h -S -l -r -s -W printed for every golden', async () => {
    const goldens = readdirSync('tests/golden/readelf', { recursive: true, encoding: 'utf8' })
      .map((p) => p.split(sep).join('/'))
      .filter((p) => p.endsWith('.txt') && statSync(join('tests/golden/readelf', p)).isFile());
    expect(goldens.length).toBeGreaterThan(10);
    for (const golden of goldens) {
      const name = golden.slice(0, -4);
      const object = name.startsWith('extra/') ? `tests/golden/readelf/${name}` : `public/samples/${name}`;
      const { status, out } = await run('readelf', object);
      expect(status, name).toBe(0);
      expect(`${out.join('\n')}\n`, name).toBe(readFileSync(`tests/golden/readelf/${golden}`, 'utf8'));
    }
  });

  it('lists relocations as readelf -r does, with and without a symbol', async () => {
    const { out } = await run('readelf', 'tests/golden/readelf/extra/relocs.o');
    expect(out).toContain("Relocation section '.rela.text' at offset 0x130 contains 7 entries:");
    expect(out).toContain('0000000000000001  0000000400000004 R_X86_64_PLT32         0000000000000000 external_fn - 4');
    expect(out).toContain('000000000000001a  0000000000000000 R_X86_64_NONE                             -4');
    expect((await run('readelf', STATIC)).out).toContain('There are no relocations in this file.');
  });

  it('lists what it can of a file with a damaged relocation section, names the damage, and exits 1', async () => {
    const bytes = new Uint8Array(readFileSync('tests/golden/readelf/extra/tiny-mod.ko'));
    const view = new DataView(bytes.buffer);
    const shoff = Number(view.getBigUint64(40, true));
    const count = view.getUint16(60, true);
    for (let i = 0; i < count; i++) if (view.getUint32(shoff + i * 64 + 4, true) === 4) view.setBigUint64(shoff + i * 64 + 56, 16n, true);
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(['readelf', 'damaged.ko'], { out: (l) => out.push(l), err: (l) => err.push(l), readFile: () => bytes });
    expect(status).toBe(1);
    expect(out).toContain('Section Headers:');
    expect(out.some((l) => l.startsWith('Relocations not listed: Relocation section 5 (.rela.init.text)'))).toBe(true);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^ring0: damaged\.ko: Relocation section 5 \(\.rela\.init\.text\) has entries of 16 bytes/);
  });

  it('lists the program headers of an executable', async () => {
    const { out } = await run('readelf', STATIC);
    expect(out.filter((l) => l.startsWith('  LOAD '))).toHaveLength(4);
    expect(out).toContain(' Section to Segment mapping:');
  });

  it('reports a file that is not ELF in one line, with exit status 1', async () => {
    const { status, out, err } = await run('readelf', 'package.json');
    expect(status).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^ring0: package\.json: This is not an ELF file/);
  });

  it('reports a missing file in one line, with exit status 1', async () => {
    const { status, err } = await run('readelf', 'no/such/file.ko');
    expect(status).toBe(1);
    expect(err).toEqual(['ring0: cannot read no/such/file.ko: there is no such file.']);
  });

  it('reports a missing argument with its usage', async () => {
    expect(await run('readelf')).toMatchObject({ status: 1, err: ['ring0: usage: ring0 readelf FILE'] });
  });
});

describe('ring0 help and unknown commands', () => {
  it('help lists every command', async () => {
    const { status, out } = await run('help');
    expect(status).toBe(0);
    const text = out.join('\n');
    for (const command of ['readelf FILE', 'modinfo FILE', 'objdump -d FILE', 'insmod FILE', 'shell', 'run SCENARIO', 'help']) expect(text).toContain(`ring0 ${command}`);
    expect((await run()).out).toEqual(out);
  });

  it('an unknown command is one line and exit status 1', async () => {
    const { status, err } = await run('frobnicate');
    expect(status).toBe(1);
    expect(err).toEqual(['ring0: there is no command "frobnicate"; "ring0 help" lists them.']);
  });
});

const decoderReady = existsSync('src/sim/cpu/decode.ts') && existsSync('src/sim/cpu/disasm.ts');

describe('ring0 objdump -d', () => {
  it.skipIf(!decoderReady)('disassembles each function of an executable', async () => {
    const { status, out, err } = await run('objdump', '-d', STATIC);
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(out).toContain('Disassembly of section .text:');
    expect(out).toContain('0000000000401000 <say>:');
    expect(out).toContain('0000000000401020 <_start>:');
    expect(out.some((l) => /^ {2}401018:\t0f 05 {16}\tsyscall/.test(l))).toBe(true);
  });

  it.skipIf(!decoderReady)('disassembles a module function by its global name', async () => {
    const { out } = await run('objdump', '-d', 'tests/golden/readelf/extra/tiny-mod.ko');
    expect(out).toContain('Disassembly of section .init.text:');
    expect(out).toContain('0000000000000000 <init_module>:');
  });

  it('asks for -d', async () => {
    expect(await run('objdump', STATIC)).toMatchObject({ status: 1, err: ['ring0: usage: ring0 objdump -d FILE'] });
  });
});
