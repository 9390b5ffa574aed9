import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/sim/kernel/kernel';
import { kernelBodies } from '../../src/sim/kernel/hle-library';
import { deleteModuleCall, insmod } from '../../src/sim/kernel/insmod';
import { procModules } from '../../src/sim/kernel/loader/delete-module';
import { KernelLog } from '../../src/sim/kernel/printk';

// The real Debian 6.1 kernel is the oracle (tests/fixtures/real-kernel, made by
// samples/oracle/run.sh under QEMU). Each recorded boot is replayed on one emulated kernel, case by
// case in the same order, and the emulator must print what the real kernel printed.
//
// Normalisation, and nothing else:
//   - dmesg timestamps are removed ("[    3.376365] " → ""), and times a driver prints from
//     ktime_get ("2535030345 ns" → "<n> ns"): the model's clock is its own;
//   - only insmod and rmmod cases are compared; the others (file reads, lsmod, modprobe, oopses)
//     belong to the system-call and device model of issue 5 and are listed in SKIPPED below;
//   - an rmmod that kmod refuses in user space ("is in use") never reaches the kernel: it is
//     skipped here too, and its kernel state is unchanged in both.
const DIR = 'tests/fixtures/real-kernel';
// Issue 5 brings what these need: modprobe (user space), oopses (exception handling in ring 0),
// and the PCI device QEMU provides to pcidrv (the bus and device model, which runs probe).
const SKIPPED_BOOTS = new Set(['modprobe', 'oops-init', 'oops-read', 'pcidrv']);
const normalise = (line: string) => line.replace(/^\[\s*\d+\.\d+\] /, '').replace(/\b\d+ ns\b/g, '<n> ns');

interface Case {
  name: string;
  command: string[];
  dmesg: string[];
  insmodError?: string;
  exitStatus: number;
  procModules?: string;
  tainted?: number;
}

function parseCase(name: string): Case {
  const text = readFileSync(`${DIR}/${name}.txt`, 'utf8');
  const lines = text.split('\n');
  const command = (lines.find((l) => l.startsWith('# '))?.slice(2) ?? '').trim().split(/\s+/);
  const dm = lines.indexOf('--- dmesg -c ---'), end = lines.indexOf('--- end dmesg ---');
  const dmesg = dm >= 0 && end > dm ? lines.slice(dm + 1, end).map(normalise) : [];
  const err = lines.find((l) => /^(insmod|rmmod): /.test(l));
  const status = Number(/\[exit status (\d+)\]/.exec(text)?.[1] ?? 'NaN');
  const pm = lines.findIndex((l) => l.startsWith('--- /proc/modules'));
  const tp = lines.indexOf('--- /proc/sys/kernel/tainted ---');
  return {
    name, command, dmesg, exitStatus: status,
    ...(err ? { insmodError: err } : {}),
    ...(pm >= 0 ? { procModules: lines[pm + 1] } : {}),
    ...(tp >= 0 ? { tainted: Number(lines[tp + 1]) } : {}),
  };
}

const index = existsSync(`${DIR}/index.json`) ? JSON.parse(readFileSync(`${DIR}/index.json`, 'utf8')) : { boots: [] };
const exportsData = JSON.parse(readFileSync('src/sim/data/vmlinux-exports.json', 'utf8')) as { exports: [string, string, number, string][] };
const EXPORTS = exportsData.exports.map(([name, crc, flags, namespace]) => ({ name, crc: parseInt(crc, 16), gpl: (flags & 1) === 1, namespace }));
const vermagic = JSON.parse(readFileSync('src/sim/data/kernel-release.json', 'utf8')).vermagic as string;
const layout = JSON.parse(readFileSync('src/sim/data/layout.json', 'utf8'));

/** Where the oracle's initramfs kept each module: the samples, or their variants. */
function moduleFile(name: string): string {
  return existsSync(`public/samples/${name}`) ? `public/samples/${name}` : `public/samples/variants/${name}`;
}

describe('the emulated kernel against the real Debian 6.1 kernel', () => {
  it('has transcripts to compare with', () => {
    expect(index.boots.length).toBeGreaterThan(10);
  });

  for (const boot of index.boots as { name: string; append: string; cases: string[] }[]) {
    if (SKIPPED_BOOTS.has(boot.name)) continue;
    it(`boot "${boot.name}": every insmod and rmmod prints what the real kernel printed`, () => {
      let k: Kernel;
      k = new Kernel({ exports: EXPORTS, bodies: kernelBodies(() => k), vermagic, layout });
      const flags = {
        sigEnforce: boot.append.includes('module.sig_enforce=1'),
        lockdown: boot.append.includes('lockdown='),
        ignoreModversions: false, ignoreVermagic: false, comm: 'insmod',
      };
      const differences: string[] = [];
      for (const name of boot.cases) {
        const c = parseCase(name);
        const tool = c.command[0]?.split('/').pop();
        if (tool !== 'insmod' && tool !== 'rmmod') continue;
        if (c.command.some((w) => w.includes('/oracle/'))) continue; // the oracle's own helper module
        if (tool === 'rmmod' && /is in use/.test(c.insmodError ?? '')) continue;
        const before = k.log.records.length;
        let error: string | undefined, status = 0;
        if (tool === 'insmod') {
          const file = c.command[1]!;
          const r = insmod(k, file, { file: new Uint8Array(readFileSync(moduleFile(file))), args: c.command.slice(2).join(' '), flags });
          error = r.message;
          status = r.errno === 0 ? 0 : 1;
        } else {
          const r = deleteModuleCall(k, c.command[1]!);
          status = r === 0 ? 0 : 1;
          if (r === -2) error = `rmmod: ERROR: Module ${c.command[1]} is not currently loaded`; // kmod checks /sys/module first
        }
        const dmesg = k.log.records.slice(before).map((r) => normalise(KernelLog.line(r)));
        const check = (what: string, got: unknown, want: unknown) => {
          if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${name}: ${what}\n    emulator: ${JSON.stringify(got)}\n    real:     ${JSON.stringify(want)}`);
        };
        check('kernel log', dmesg, c.dmesg);
        check('exit status', status, c.exitStatus);
        check('error line', error, c.insmodError);
        if (c.tainted !== undefined) check('/proc/sys/kernel/tainted', k.taint, c.tainted);
        const mod = c.procModules && c.procModules !== '(not loaded)' ? c.procModules.split(' ')[0] : undefined;
        if (mod) check('/proc/modules', procModules(k).find((l) => l.startsWith(`${mod} `)), c.procModules);
      }
      expect(differences).toEqual([]);
    });
  }
});
