import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/sim/kernel/kernel';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import { insmod } from '../../src/sim/kernel/insmod';
import { describe as sentence, type SimEvent } from '../../src/sim/events';
import type { LoadFlags } from '../../src/sim/kernel/loader/load-info';

const exportsData = JSON.parse(readFileSync('src/sim/data/vmlinux-exports.json', 'utf8')) as { exports: [string, string, number, string][] };
const release = JSON.parse(readFileSync('src/sim/data/kernel-release.json', 'utf8')) as { vermagic: string };
const layout = JSON.parse(readFileSync('src/sim/data/layout.json', 'utf8'));
const EXPORTS = exportsData.exports.map(([name, crc, flags, namespace]) => ({ name, crc: parseInt(crc, 16), gpl: (flags & 1) === 1, namespace }));
const FLAGS: LoadFlags = { sigEnforce: false, lockdown: false, ignoreModversions: false, ignoreVermagic: false, comm: 'insmod' };

function boot() {
  let k: Kernel;
  k = new Kernel({ exports: EXPORTS, bodies: kernelBodies(() => k), vermagic: release.vermagic, layout });
  k.m.trace = true;
  return k;
}
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const of = <K extends SimEvent['kind']>(k: Kernel, kind: K) => k.m.log.filter((e): e is Extract<SimEvent, { kind: K }> => e.kind === kind);

describe('load_module() on the real hello.ko', () => {
  it('passes every 6.1 stage in order and runs hello_init in ring 0', () => {
    const k = boot();
    const r = insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    expect(r).toEqual({ errno: 0 });
    expect(of(k, 'loader/stage-finished').map((e) => [e.stage, e.ok])).toEqual([
      ['module_sig_check', true], ['elf_validity_check', true], ['setup_load_info', true], ['blacklisted', true],
      ['rewrite_section_headers', true], ['check_modstruct_version', true], ['layout_and_allocate', true],
      ['add_unformed_module', true], ['find_module_sections', true], ['simplify_symbols', true], ['apply_relocations', true],
      ['post_relocation', true], ['ftrace_module_init', true], ['complete_formation', true], ['parse_args', true], ['do_init_module', true],
    ]);
    expect(k.modules.get('hello')?.state).toBe('MODULE_STATE_LIVE');
  });

  it('prints what Debian 6.1 prints for an out-of-tree, unsigned module, then the driver’s own line', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const lines = k.log.records.map((r) => r.text);
    expect(lines.slice(0, 2)).toEqual([
      'hello: loading out-of-tree module taints kernel.',
      'hello: module verification failed: signature and/or required key missing - tainting kernel',
    ]);
    expect(lines[2]).toMatch(/^hello: loaded, major \d+$/);
    expect(k.taint).toBe((1 << 12) | (1 << 13)); // O and E: /proc/sys/kernel/tainted = 12288
  });

  it('resolves each imported symbol against the export table with its CRC', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const resolved = of(k, 'loader/symbol-resolved').map((e) => e.name).sort();
    expect(resolved).toEqual(['__fentry__', '__register_chrdev', '__unregister_chrdev', '__x86_return_thunk', '_printk', 'simple_read_from_buffer'].sort());
  });

  it('patches every relocation with S + A or S + A − P and rewrites ftrace and return-thunk sites', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const relocs = of(k, 'loader/reloc-applied');
    expect(relocs.length).toBeGreaterThan(10);
    expect(relocs.every((r) => r.ok && r.before.every((b) => b === 0))).toBe(true);
    const patched = of(k, 'loader/code-patched');
    expect(patched.some((p) => p.why === 'ftrace_module_init' && p.after.join() === [0x0f, 0x1f, 0x44, 0, 0].join())).toBe(true);
    expect(patched.some((p) => p.why === 'apply_returns' && p.after[0] === 0xc3)).toBe(true);
  });

  it('refuses a second load of the same module with EEXIST, as insmod reports it', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const again = insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    expect(again).toEqual({ errno: -17, message: 'insmod: ERROR: could not insert module hello.ko: File exists' });
  });

  it('rejects an unsigned module when signatures are enforced', () => {
    const k = boot();
    const r = insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: { ...FLAGS, sigEnforce: true } });
    expect(r.errno).toBe(-129);
    expect(k.log.records.map((x) => x.text)).toEqual(['Loading of unsigned module is rejected']);
    expect(r.message).toBe('insmod: ERROR: could not insert module hello.ko: Key was rejected by service');
  });

  it('tells the whole load in plain sentences', () => {
    const k = boot();
    insmod(k, 'hello.ko', { file: sample('hello.ko'), args: '', flags: FLAGS });
    const story = k.m.log.filter((e) => e.kind.startsWith('loader/')).map(sentence);
    expect(story[0]).toBe('load_module: module_sig_check passes (no valid signature: allowed, since signatures are not enforced).');
    expect(story.at(-1)).toBe('load_module: do_init_module passes (state MODULE_STATE_LIVE; init sections freed).');
  });
});
