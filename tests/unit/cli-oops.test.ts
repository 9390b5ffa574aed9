import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/ring0';
import { io, stamp } from './support/cli-io';


describe('ring0 shell: an oops', () => {
  it('prints the oops in dmesg; cat is "Killed" (137); the tainted mask and later commands show the machine goes on', async () => {
    const { sink, out, err } = io();
    const status = await main(['shell', 'insmod oops-read.ko', 'ls -l /dev/oops_read', 'cat /dev/oops_read', 'cat /proc/sys/kernel/tainted', 'lsmod', 'dmesg'], sink);
    expect(status).toBe(0);
    expect(err).toEqual(['Killed']);
    const text = out.map(stamp);
    expect(text.slice(0, 7)).toEqual(['# insmod oops-read.ko', '# ls -l /dev/oops_read', expect.stringMatching(/^cr--r--r-- +1 0 +0 +10, 124 .* \/dev\/oops_read$/), '# cat /dev/oops_read', '[exit status 137]', '# cat /proc/sys/kernel/tainted', '12416']);
    expect(text).toContain('oops_read              16384  0');
    const oops = text.slice(text.indexOf('BUG: kernel NULL pointer dereference, address: 0000000000000000'));
    expect(oops.slice(0, 4)).toEqual(['BUG: kernel NULL pointer dereference, address: 0000000000000000', '#PF: supervisor read access in kernel mode', '#PF: error_code(0x0000) - not-present page', oops[3]]);
    expect(oops).toContain('Oops: 0000 [#1] PREEMPT SMP NOPTI');
    expect(oops).toContain('RIP: 0010:oops_read_read+0x15/0x22 [oops_read]');
    expect(oops).toContain('---[ end trace 0000000000000000 ]---');
  });
});
