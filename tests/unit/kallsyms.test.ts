import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { insmodTool } from '../../src/sim/kernel/user-tools';
import { moduleSymbolName, procKallsyms } from '../../src/sim/kernel/loader/kallsyms';

const load = (file: string) => {
  const k = bootKernel();
  expect(insmodTool(k, `${file}.ko`, new Uint8Array(readFileSync(`public/samples/${file}.ko`)), '').status).toBe(0);
  return k.modules.get(file.replace(/-/g, '_'))!;
};

describe("a module's kallsyms", () => {
  it("/proc/kallsyms lists hello's core symbols with the real kernel's addresses, letters and order", () => {
    const lines = readFileSync('tests/fixtures/real-kernel/hello-layout.txt', 'utf8').split('\n');
    const from = lines.indexOf('--- /proc/kallsyms [hello] ---') + 1;
    const real = lines.slice(from, lines.findIndex((l, i) => i >= from && l.startsWith('---')));
    expect(real.length).toBeGreaterThan(5);
    expect(procKallsyms(load('hello'))).toEqual(real);
  });

  it('%pS names an address as find_kallsyms_symbol does: symbol+offset/size [module]', () => {
    const mod = load('hello');
    const read = mod.kallsyms.find((s) => s.name === 'hello_read')!;
    const exit = mod.kallsyms.find((s) => s.name === 'hello_exit')!;
    expect(moduleSymbolName(mod, read.value + 0x15n)).toBe(`hello_read+0x15/0x${(exit.value - read.value).toString(16)} [hello]`);
    expect(moduleSymbolName(mod, 0xffffffff81000000n)).toBeUndefined();
  });

  it("names oops_read's faulting instruction as the real oops's RIP line does", () => {
    const rip = /RIP: 0010:(oops_read_read\+0x([0-9a-f]+)\/0x[0-9a-f]+ \[oops_read\])/.exec(readFileSync('tests/fixtures/real-kernel/oops-read-read.txt', 'utf8'))!;
    const mod = load('oops-read');
    const fn = mod.kallsyms.find((s) => s.name === 'oops_read_read')!;
    expect(moduleSymbolName(mod, fn.value + BigInt(`0x${rip[2]}`))).toBe(rip[1]);
  });

  it('while init runs the table holds init symbols too, sized to the end of init text (oops_init)', () => {
    const rip = /RIP: 0010:(oops_init_init\+0x([0-9a-f]+)\/0x[0-9a-f]+ \[oops_init\])/.exec(readFileSync('tests/fixtures/real-kernel/oops-init-insmod.txt', 'utf8'))!;
    const k = bootKernel();
    insmodTool(k, 'oops-init.ko', new Uint8Array(readFileSync('public/samples/oops-init.ko')), ''); // stops at the fault, init unfinished
    const mod = k.modules.get('oops_init')!;
    expect(mod.state).toBe('MODULE_STATE_COMING');
    const fn = mod.kallsyms.find((s) => s.name === 'oops_init_init')!;
    expect(moduleSymbolName(mod, fn.value + BigInt(`0x${rip[2]}`))).toBe(rip[1]);
  });
});
