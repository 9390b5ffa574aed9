import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { readElf, isElfError, SHF_ALLOC, SHN_ABS } from '../../src/sim/elf';
import type { ElfFile } from '../../src/sim/elf';
import { bootBuiltins, INITCALL_LEVEL_NAMES, POISON_FREE_INITMEM } from '../../src/sim/kernel/initcalls';
import { readBuiltinImage, vmlinuxSymbolName } from '../../src/sim/kernel/builtin-image';
import { insmodTool, lsmodTool, rmmodTool } from '../../src/sim/kernel/user-tools';
import { procModules, sysModule } from '../../src/sim/kernel/loader/delete-module';
import { LOADER_SCENARIOS, runLoaderScenario } from '../../src/sim/scenarios/loader';
import { walk } from '../../src/sim/mem/paging';
import { BUILTIN_TEXT, split } from '../../src/sim/kernel/layout';

// The built-in image (public/samples/builtin/, made by samples/build.sh: hello.c and
// builtin/initorder.c compiled as obj-y, linked by ld with samples/builtin/builtin.lds) and the
// boot that runs its initcalls. Checked against the image's own bytes and symbols, and against
// what the real Debian 6.1 kernel did with its built-ins (tests/fixtures/real-kernel/builtin-*.txt,
// made by samples/oracle/builtin.sh with initcall_debug on the command line).
const DIR = 'public/samples/builtin';
const imageBytes = new Uint8Array(readFileSync(`${DIR}/builtin.elf`));
const modulesBuiltin = readFileSync(`${DIR}/modules.builtin`, 'utf8');
const elf = readElf(imageBytes) as ElfFile;
const sym = (name: string) => {
  const s = elf.symbols.find((x) => x.name === name);
  if (!s) throw new Error(`no symbol ${name} in builtin.elf`);
  return s.value;
};
/** The bytes the image holds at an address (its allocated sections, as linked). */
function imageAt(address: bigint, n: number): number[] {
  const s = elf.sections.find((x) => x.flags & SHF_ALLOC && x.data && address >= x.addr && address + BigInt(n) <= x.addr + x.size)!;
  return [...s.data!.subarray(Number(address - s.addr), Number(address - s.addr) + n)];
}
const s32 = (b: number[]) => b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
/** The function symbol at an address. */
const functionAt = (address: bigint) => elf.symbols.find((s) => s.typeName === 'STT_FUNC' && s.value === address)?.name;
const real = (name: string) => readFileSync(`tests/fixtures/real-kernel/${name}.txt`, 'utf8').split('\n');
const untimed = (line: string) => line.replace(/^\[\s*\d+\.\d+\] /, '');
const LEVEL_STARTS = ['__initcall0_start', '__initcall1_start', '__initcall2_start', '__initcall3_start', '__initcall4_start', '__initcall5_start', '__initcall6_start', '__initcall7_start', '__initcall_end'];

function boot(initcallDebug = true) {
  const k = bootKernel();
  const r = bootBuiltins(k, imageBytes, modulesBuiltin, { initcallDebug });
  expect(r).toEqual({ ok: true });
  return k;
}
const dmesg = (k: ReturnType<typeof bootKernel>) => k.log.records.map((r) => r.text);

describe('the built-in image as linked', () => {
  it('is an ELF executable at BUILTIN_TEXT with the page-aligned init region of builtin.lds', () => {
    expect(isElfError(elf)).toBe(false);
    expect(elf.header.typeName).toBe('ET_EXEC');
    expect(sym('_text')).toBe(BUILTIN_TEXT);
    expect(sym('__init_begin') % 4096n).toBe(0n);
    expect(sym('__init_end') % 4096n).toBe(0n);
    for (const s of ['.init.text', '.init.data', '.exit.text']) {
      const sec = elf.sectionByName(s)!;
      expect(sec.addr >= sym('__init_begin') && sec.addr + sec.size <= sym('__init_end'), s).toBe(true);
    }
  });

  it('holds one 32-bit place-relative entry per initcall (PREL32), each decoding to its function, level by level', () => {
    const levels: Record<string, string[]> = {};
    for (let l = 0; l < 8; l++) {
      const from = sym(LEVEL_STARTS[l]!), to = sym(LEVEL_STARTS[l + 1]!);
      expect((to - from) % 4n).toBe(0n);
      const names: string[] = [];
      for (let e = from; e < to; e += 4n) names.push(functionAt(e + BigInt(s32(imageAt(e, 4)))) ?? `no function at entry 0x${e.toString(16)}`);
      levels[INITCALL_LEVEL_NAMES[l]!] = names;
    }
    expect(levels).toEqual({ pure: [], core: ['initorder_core'], postcore: [], arch: [], subsys: ['initorder_subsys'], fs: ['initorder_rootfs'], device: ['hello_init'], late: ['initorder_late'] });
    expect(sym('__initcall_end') - sym('__initcall_start')).toBe(5n * 4n); // 4 bytes each, not 8-byte pointers
    expect(sym('__initcall0_start')).toBe(sym('__initcall_start')); // no early initcalls
    // Each entry symbol __initcall__kmod_<mod>__<n>_<line>_<fn><level> (include/linux/init.h) names the function its entry decodes to.
    const entries = elf.symbols.filter((s) => s.name.startsWith('__initcall__kmod_'));
    expect(entries.map((s) => s.name).sort()).toEqual([
      '__initcall__kmod_hello__265_58_hello_init6', '__initcall__kmod_initorder__0_28_initorder_core1', '__initcall__kmod_initorder__2_35_initorder_subsys4',
      '__initcall__kmod_initorder__4_42_initorder_rootfsrootfs', '__initcall__kmod_initorder__6_49_initorder_late7s',
    ]);
    for (const e of entries) {
      const fn = functionAt(e.value + BigInt(s32(imageAt(e.value, 4))))!;
      expect(e.name, `${e.name} → ${fn}`).toMatch(new RegExp(`_${fn}(\\d|rootfs)s?$`));
    }
    // rootfs sits between levels 5 and 6 (INIT_CALLS), so it belongs to level 5's range.
    expect(sym('__initcallrootfs_start') >= sym('__initcall5_start') && sym('__initcallrootfs_start') < sym('__initcall6_start')).toBe(true);
  });

  it('keeps no way to call the exit function: .exitcall.exit is discarded and no byte refers to hello_exit', () => {
    expect(elf.sectionByName('.exitcall.exit')).toBeUndefined();
    expect(elf.symbols.some((s) => s.name.startsWith('__exitcall_'))).toBe(false);
    const exit = sym('hello_exit');
    // .orc_unwind_ip, objtool's unwind table, covers all code (exit code too) with PREL32 offsets:
    // data for stack traces, never called through. Everything else must not reach hello_exit.
    const orc = elf.sectionByName('.orc_unwind_ip')!;
    const orcHits = [];
    for (let i = 0; i < Number(orc.size); i += 4) if (orc.addr + BigInt(i) + BigInt(s32([...orc.data!.subarray(i, i + 4)])) === exit) orcHits.push(i);
    expect(orcHits).toHaveLength(1);
    for (const s of elf.sections.filter((x) => x.flags & SHF_ALLOC && x.data && x.name !== '.orc_unwind_ip')) {
      const d = s.data!;
      for (let i = 0; i + 4 <= d.length; i++) {
        const at = s.addr + BigInt(i);
        const here = d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24);
        // no absolute pointer (low half of a 64-bit address) and no rel32 (call, jmp, PREL32 entry) reaching it
        expect(BigInt(here >>> 0) === (exit & 0xffffffffn) && d[i + 4] === 0xff && d[i + 7] === 0xff, `pointer at 0x${at.toString(16)}`).toBe(false);
        expect(at + 4n + BigInt(here) === exit || at + BigInt(here) === exit, `offset at 0x${at.toString(16)}`).toBe(false);
      }
    }
  });

  it('puts exit code in the init region as the real x86 kernel does (i8042_exit lies between __init_begin and __init_end there)', () => {
    const k = Object.fromEntries(real('builtin-kallsyms').filter((l) => /^[0-9a-f]{16} /.test(l)).map((l) => [l.split(' ')[2]!, BigInt('0x' + l.split(' ')[0])]));
    expect(k['i8042_exit']! >= k['__init_begin']! && k['i8042_exit']! < k['__init_end']!).toBe(true);
    expect(real('builtin-kallsyms').some((l) => l.includes('__exitcall_'))).toBe(false);
    expect(sym('hello_exit') >= sym('__init_begin') && sym('hello_exit') < sym('__init_end')).toBe(true);
  });

  it('resolves every kernel function it calls to the address the emulated kernel gives it (kernel-symbols.py cannot drift)', () => {
    const k = bootKernel();
    const abs = elf.symbols.filter((s) => s.shndx === SHN_ABS && s.name !== '');
    expect(abs.map((s) => s.name).sort()).toEqual(['__fentry__', '__register_chrdev', '__unregister_chrdev', '__x86_return_thunk', '_printk', 'simple_read_from_buffer']);
    for (const s of abs) expect(k.symbols.get(s.name)?.address, s.name).toBe(s.value);
  });

  it('is the build script’s output: every file of builtin/ matches public/samples/SHA256SUMS', () => {
    const sums = readFileSync('public/samples/SHA256SUMS', 'utf8').split('\n').filter((l) => l.includes('  builtin/'));
    expect(sums.map((l) => l.split('  ')[1])).toEqual(['builtin/System.map', 'builtin/builtin.elf', 'builtin/builtin.lines.json', 'builtin/modules.builtin', 'builtin/modules.builtin.modinfo']);
    for (const l of sums) {
      const [hash, path] = l.split('  ');
      expect(createHash('sha256').update(readFileSync(`public/samples/${path}`)).digest('hex'), path).toBe(hash);
    }
  });

  it('lists hello in modules.builtin (it has MODULE_LICENSE, so kbuild records its file=) but not initorder', () => {
    expect(modulesBuiltin).toBe('kernel/drivers/hello/hello.ko\n');
    expect(readFileSync(`${DIR}/modules.builtin.modinfo`, 'latin1').split('\0')).toContain('hello.file=drivers/hello/hello');
  });
});

describe('booting with the built-in image', () => {
  it('runs the initcalls level by level, not in link order (hello.o is linked first, its initcall is level 6)', () => {
    expect(sym('hello_init')).toBeLessThan(sym('initorder_core'));
    const calls = dmesg(boot()).filter((l) => l.startsWith('calling  ')).map((l) => l.split(/[ +]+/)[1]);
    expect(calls).toEqual(['initorder_core', 'initorder_subsys', 'initorder_rootfs', 'hello_init', 'initorder_late']);
  });

  it('prints initcall_debug lines in 6.1’s format, as the real kernel printed them for bsg_init', () => {
    const shape = (l: string) => l.replace(/^(calling  |initcall )\w+\+0x0\/0x[0-9a-f]+/, '$1FN+0x0/0xSIZE').replace(/returned -?\d+ after \d+ usecs$/, 'returned R after N usecs');
    const realLines = real('builtin-initcall-debug').map(untimed).filter((l) => /^(calling  bsg_init|initcall bsg_init)/.test(l));
    expect(realLines).toHaveLength(2);
    expect(realLines[0]).toBe('calling  bsg_init+0x0/0xb4 @ 1');
    expect(realLines[1]).toMatch(/^initcall bsg_init\+0x0\/0xb4 returned 0 after \d+ usecs$/); // the time varies from boot to boot
    const ours = dmesg(boot()).filter((l) => /^(calling|initcall) /.test(l));
    expect(ours.slice(4, 6)).toEqual(['calling  initorder_rootfs+0x0/0x18 @ 1', 'initcall initorder_rootfs+0x0/0x18 returned 0 after 0 usecs']);
    expect(new Set(ours.map(shape))).toEqual(new Set(realLines.map(shape)));
    // An initcall's error is printed, and the boot goes on (the real kernel: unpopulated_init returned -19).
    expect(real('builtin-initcall-debug').map(untimed)).toContain('initcall unpopulated_init+0x0/0x43 returned -19 after 0 usecs');
    expect(ours).toContain('initcall initorder_late+0x0/0x1b returned -19 after 0 usecs');
  });

  it('names functions as kallsyms would: hello_init, not _sinittext or __init_begin at the same address, sized to the next symbol', () => {
    const image = readBuiltinImage(imageBytes, modulesBuiltin);
    if ('error' in image) throw new Error(image.error);
    expect(sym('_sinittext')).toBe(sym('hello_init'));
    expect(vmlinuxSymbolName(image, sym('hello_init'))).toBe(`hello_init+0x0/0x${(sym('initorder_core') - sym('hello_init')).toString(16)}`);
    expect(vmlinuxSymbolName(image, sym('initorder_late') + 5n)).toBe(`initorder_late+0x5/0x${(sym('_einittext') - sym('initorder_late')).toString(16)}`);
    expect(vmlinuxSymbolName(image, sym('hello_read'))).toBe('hello_read+0x0/0x20');
    expect(vmlinuxSymbolName(image, 0xffffffff81000000n)).toBeUndefined();
  });

  it('prints nothing around the initcalls without initcall_debug, only what the drivers print', () => {
    expect(dmesg(boot(false))).toEqual([
      'initorder: core_initcall (level 1)', 'initorder: subsys_initcall (level 4)', 'initorder: rootfs_initcall (after level 5s, before level 6)',
      'hello: loaded, major 246', 'initorder: late_initcall_sync (level 7s): no device, -ENODEV', 'Freeing unused kernel image (initmem) memory: 4K',
    ]);
  });

  it('frees the init region as x86’s free_initmem does: its size in K, poisoned with 0xcc, no longer executable', () => {
    // The real kernel: "Freeing … memory: 2824K" is (__init_end - __init_begin) / 1024 of its /proc/kallsyms.
    const realSyms = Object.fromEntries(real('builtin-kallsyms').filter((l) => /^[0-9a-f]{16} /.test(l)).map((l) => [l.split(' ')[2]!, BigInt('0x' + l.split(' ')[0])]));
    const realK = (realSyms['__init_end']! - realSyms['__init_begin']!) / 1024n;
    expect(real('builtin-initcall-debug').map(untimed)).toContain(`Freeing unused kernel image (initmem) memory: ${realK}K`);
    const k = boot();
    const ourK = (sym('__init_end') - sym('__init_begin')) / 1024n;
    expect(dmesg(k)).toContain(`Freeing unused kernel image (initmem) memory: ${ourK}K`);
    expect(k.readBytes(sym('hello_init'), 0x57).every((b) => b === POISON_FREE_INITMEM)).toBe(true);
    expect(k.readBytes(sym('hello_exit'), 37).every((b) => b === POISON_FREE_INITMEM)).toBe(true);
    const fetch = (a: bigint) => walk(k.m.mem, { cr3: k.m.s.cr3, wp: true, nxe: true, smep: true, smap: true }, split(a).lo, split(a).hi, 'fetch', false, false, false).ok;
    expect(fetch(sym('hello_init'))).toBe(false);
    expect(fetch(sym('hello_read'))).toBe(true); // .text stays: the driver keeps working
    expect(k.builtin?.initFreed).toBe(true);
  });

  it('patches the image before the initcalls as start_kernel does: fentry calls become NOPs, return-thunk jumps become ret', () => {
    const k = boot();
    expect(k.readBytes(sym('hello_read'), 5)).toEqual([0x0f, 0x1f, 0x44, 0x00, 0x00]);
    expect(imageAt(sym('hello_read'), 1)).toEqual([0xe8]); // as linked: call __fentry__
  });

  it('shows no module: nothing in /proc/modules or lsmod, no /sys/module/hello (no parameters, no version)', () => {
    const k = boot();
    expect(procModules(k)).toEqual([]);
    expect(lsmodTool(k)).toEqual(['Module                  Size  Used by']);
    expect(sysModule(k, 'hello')).toBeUndefined();
    expect(real('builtin-sysfs')).toContain('--- /sys/module/bsg ---');
    expect(real('builtin-sysfs')[real('builtin-sysfs').indexOf('--- /sys/module/bsg ---') + 1]).toBe('(no such directory)');
  });

  it('refuses rmmod of a built-in as kmod 30 does (modules.builtin first), and of a name that is neither', () => {
    const k = boot();
    expect(real('builtin-rmmod')).toContain('rmmod: ERROR: Module bsg is builtin.');
    expect(rmmodTool(k, 'hello')).toEqual({ status: 1, stderr: ['rmmod: ERROR: Module hello is builtin.'] });
    expect(real('builtin-rmmod')).toContain('rmmod: ERROR: Module ring0_nosuch is not currently loaded');
    expect(rmmodTool(k, 'initorder')).toEqual({ status: 1, stderr: ['rmmod: ERROR: Module initorder is not currently loaded'] });
  });

  it('loads hello.ko beside the built-in hello, as the real kernel loaded bsg.ko, and kmod still calls it built in', () => {
    const realCase = real('builtin-insmod-same-name').map(untimed);
    expect(realCase).toContain('calling  hello_init+0x0/0x1000 [bsg] @ 103');
    expect(realCase.filter((l) => l === 'rmmod: ERROR: Module bsg is builtin.')).toHaveLength(1);
    expect(realCase.filter((l) => l.startsWith('bsg 16384 0 - Live'))).toHaveLength(2); // before and after the rmmod
    const k = boot();
    k.nextPid = 103; // the real insmod's PID, so the lines compare whole
    expect(insmodTool(k, 'hello.ko', new Uint8Array(readFileSync('public/samples/hello.ko')), '')).toEqual({ status: 0, stderr: [] });
    expect(dmesg(k)).toContain('calling  hello_init+0x0/0x1000 [hello] @ 103');
    expect(dmesg(k)).toContain('hello: loaded, major 245');
    expect(rmmodTool(k, 'hello')).toEqual({ status: 1, stderr: ['rmmod: ERROR: Module hello is builtin.'] });
    expect(procModules(k)).toHaveLength(1);
  });

  it('refuses what is not a built-in image, in plain words', () => {
    const k = bootKernel();
    expect(bootBuiltins(k, new Uint8Array([1, 2, 3]), '')).toEqual({ error: expect.stringMatching(/^the built-in image is not a usable ELF file: /) });
    expect(bootBuiltins(k, new Uint8Array(readFileSync('public/samples/hello.ko')), '')).toEqual({ error: 'the built-in image is ET_REL, not a linked executable (ET_EXEC)' });
    expect(bootBuiltins(k, new Uint8Array(readFileSync('public/samples/cat-hello')), '')).toEqual({ error: expect.stringMatching(/lacks the linker-script symbols _text, _etext/) });
    expect(k.builtin).toBeUndefined();
  });

  it('builtin-boot: the scenario keeps the driver working after free_initmem and refuses both rmmods', () => {
    const s = LOADER_SCENARIOS.find((x) => x.id === 'builtin-boot')!;
    const k = bootKernel();
    const out = runLoaderScenario(k, s, { initcall_debug: 'on' }, (p) => new Uint8Array(readFileSync(`public/samples/${p}`)));
    expect(out.map((o) => [o.step, o.result.status, o.result.stdout ?? '', o.result.stderr.join()])).toEqual([
      ['rmmod hello', 1, '', 'rmmod: ERROR: Module hello is builtin.'],
      ['mknod /dev/hello c 246 0', 0, '', ''],
      ['cat /dev/hello', 0, 'Hello from ring 0!\n', ''],
      ['insmod hello.ko', 0, '', ''],
      ['rmmod hello', 1, '', 'rmmod: ERROR: Module hello is builtin.'],
    ]);
  });
});
