import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ring0';
import { io, stamp } from './support/cli-io';

// The command line with the built-in image: `ring0 shell --builtin [--initcall-debug]` and
// `ring0 run builtin-boot`.

describe('ring0 shell --builtin', () => {
  it('boots with hello built in: no module to list, a major already taken, rmmod refused, the device readable', async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', '--builtin', 'lsmod', 'grep hello /proc/devices', 'rmmod hello', 'mknod /dev/hello c 246 0', 'cat /dev/hello', 'dmesg'], sink);
    expect(status).toBe(0);
    expect(err).toEqual(['rmmod: ERROR: Module hello is builtin.']);
    expect(out.map(stamp)).toEqual([
      '# lsmod',
      'Module                  Size  Used by',
      '# grep hello /proc/devices',
      '246 hello',
      '# rmmod hello',
      '[exit status 1]',
      '# mknod /dev/hello c 246 0',
      '# cat /dev/hello',
      'Hello from ring 0!',
      '# dmesg',
      'initorder: core_initcall (level 1)',
      'initorder: subsys_initcall (level 4)',
      'initorder: rootfs_initcall (after level 5s, before level 6)',
      'hello: loaded, major 246',
      'initorder: late_initcall_sync (level 7s): no device, -ENODEV',
      'Freeing unused kernel image (initmem) memory: 4K',
    ]);
  });

  it('--initcall-debug frames every initcall, and a module’s init too', async () => {
    const { sink, out } = io();
    await main(['shell', '--builtin', '--initcall-debug', 'insmod hello.ko', 'dmesg'], sink);
    const lines = out.map(stamp);
    expect(lines.filter((l) => l.startsWith('calling  '))).toEqual([
      'calling  initorder_core+0x0/0x18 @ 1', 'calling  initorder_subsys+0x0/0x18 @ 1', 'calling  initorder_rootfs+0x0/0x18 @ 1',
      'calling  hello_init+0x0/0x57 @ 1', 'calling  initorder_late+0x0/0x1b @ 1', 'calling  hello_init+0x0/0x1000 [hello] @ 100',
    ]);
    expect(lines).toContain('initcall hello_init+0x0/0x1000 [hello] returned 0 after 0 usecs');
  });

  it('refuses an unknown option and names the two it has; help documents them', async () => {
    const a = io();
    expect(await main(['shell', '--built-in', 'lsmod'], a.sink)).toBe(1);
    expect(a.err).toEqual(['ring0: shell has no option --built-in (only --builtin and --initcall-debug)']);
    const h = io();
    await main(['help'], h.sink);
    expect(h.out).toContain("  ring0 shell [--builtin] [--initcall-debug] 'COMMAND' ...");
    expect(h.out.join('\n')).toMatch(/--builtin boots it with hello and initorder built in/);
  });
});

describe('ring0 run builtin-boot', () => {
  it('prints the steps, kmod’s refusals and the boot’s initcall_debug lines', async () => {
    const { sink, out } = io();
    expect(await main(['run', 'builtin-boot'], sink)).toBe(0);
    const lines = out.map(stamp);
    expect(lines.slice(0, 11)).toEqual([
      '# rmmod hello', 'rmmod: ERROR: Module hello is builtin.', '[exit status 1]',
      '# mknod /dev/hello c 246 0', '# cat /dev/hello', 'Hello from ring 0!', '# insmod hello.ko',
      '# rmmod hello', 'rmmod: ERROR: Module hello is builtin.', '[exit status 1]', '# dmesg',
    ]);
    expect(lines).toContain('calling  hello_init+0x0/0x57 @ 1');
    expect(lines).toContain('Freeing unused kernel image (initmem) memory: 4K');
    const quiet = io();
    await main(['run', 'builtin-boot', '--param', 'initcall_debug=off'], quiet.sink);
    expect(quiet.out.some((l) => l.includes('calling  '))).toBe(false);
  });
});
