import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ring0';
import { io } from './support/cli-io';


describe('ring0 insmod', () => {
  it('loads hello.ko and prints the kernel log as dmesg shows it; exit status 0', async () => {
    const { sink, out, err } = io();
    expect(await main(['insmod', 'public/samples/hello.ko'], sink)).toBe(0);
    expect(out.map((l) => l.replace(/^\[\s*[\d.]+\] /, ''))).toEqual([
      'hello: loading out-of-tree module taints kernel.',
      'hello: module verification failed: signature and/or required key missing - tainting kernel',
      expect.stringMatching(/^hello: loaded, major \d+$/),
    ]);
    expect(err).toEqual([]);
  });

  it('passes parameters, and reports a failure as kmod insmod does, with status 1', async () => {
    const ok = io();
    await main(['insmod', 'public/samples/param.ko', 'count=7'], ok.sink);
    expect(ok.out.at(-1)).toMatch(/param: count = 7$/);
    const bad = io();
    expect(await main(['insmod', 'public/samples/variants/unknown-symbol.ko'], bad.sink)).toBe(1);
    expect(bad.err).toEqual(['insmod: ERROR: could not insert module unknown-symbol.ko: Unknown symbol in module']);
  });

  it('honours --sig-enforce and --lockdown, and explains a missing file', async () => {
    const enforced = io();
    await main(['insmod', 'public/samples/hello.ko', '--sig-enforce'], enforced.sink);
    expect(enforced.err).toEqual(['insmod: ERROR: could not insert module hello.ko: Key was rejected by service']);
    const locked = io();
    await main(['insmod', 'public/samples/hello.ko', '--lockdown'], locked.sink);
    expect(locked.out.at(-1)).toMatch(/Lockdown: insmod: unsigned module loading is restricted; see man kernel_lockdown\.7$/);
    const missing = io();
    expect(await main(['insmod', 'nope.ko'], missing.sink)).toBe(1);
    expect(missing.err).toEqual(['insmod: ERROR: could not load module nope.ko: No such file or directory']);
  });
});
