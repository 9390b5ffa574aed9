import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { runCommand } from '../../src/cli/shell';
import type { Kernel } from '../../src/sim/kernel/kernel';

// The oracle's "devices" boot (samples/oracle/run.sh; tests/fixtures/real-kernel/devices-*.txt),
// replayed command by command on one emulated kernel through the modelled shell: a module held by
// the shell's open descriptor (rmmod refusing in user space, the raw delete_module's EAGAIN), a misc
// device's node, sysfs directory and uevents, and what busybox's ls, cat and grep print.
//
// Normalisation, and nothing else:
//   - the kernel's console lines inside a command's output are dropped (they are compared in the
//     "--- dmesg -c ---" blocks, without their timestamps: the model's clock is its own);
//   - ls -l's "Mmm dd hh:mm" becomes <time> (the model's wall clock is the boot's, not the minute
//     each command ran);
//   - kmod's tools are called by full path there (/sbin/insmod) and the samples from /samples/;
//   - stderr and stdout are compared as one list, stderr first (each command here writes to one
//     of them, or, like ls, writes its errors before its listing).
// Commands the model does not run are listed in NOT_MODELLED with the reason.
const DIR = 'tests/fixtures/real-kernel';
const NOT_MODELLED: Record<string, string> = {
  'sleep 1': 'no timers for user space',
  'readlink /sys/class/misc/miscdev': 'readlink is not a modelled tool (ls -l shows the same link)',
  'cat /tmp/uevents': "busybox's uevent listener: compared with the model's uevent queue below",
  'ls /proc': "the model lists no /proc (its PIDs and most files are not modelled)",
  'ls /': 'the initramfs root is not modelled',
  'ls /sys/module/module': 'built-in modules in /sys/module are not modelled',
};
const normalise = (l: string) => l.replace(/\b[A-Z][a-z]{2} [ \d]\d \d\d:\d\d\b/, '<time>');
const isConsole = (l: string) => /^\[\s*\d+\.\d+\] /.test(l);

/** Shell words: split at spaces, with '…' and "…" quoting (as the case scripts use it). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

const io = {
  out: () => {},
  err: () => {},
  readFile: (path: string) => new Uint8Array(readFileSync(`public/samples/${path}`)),
};

interface Difference {
  command: string;
  real: string[];
  model: string[];
}

/** Replays one case: every modelled command's output and status, and the dmesg block. */
function replay(k: Kernel, name: string): { compared: number; differences: Difference[] } {
  const lines = readFileSync(`${DIR}/${name}.txt`, 'utf8').split('\n');
  const differences: Difference[] = [];
  let compared = 0;
  let logFrom = k.log.records.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '--- dmesg -c ---') {
      const end = lines.indexOf('--- end dmesg ---', i);
      const real = lines.slice(i + 1, end).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
      const model = k.log.records.slice(logFrom).map((r) => r.text);
      if (JSON.stringify(real) !== JSON.stringify(model)) differences.push({ command: 'dmesg -c', real, model });
      logFrom = k.log.records.length;
      compared++;
      i = end;
      continue;
    }
    if (!line.startsWith('# ')) continue;
    const command = line.slice(2);
    const end = lines.findIndex((l, j) => j > i && /^\[exit status \d+\]$/.test(l));
    const real = [...lines.slice(i + 1, end).filter((l) => !isConsole(l)).map(normalise), lines[end]!];
    i = end;
    if (NOT_MODELLED[command] !== undefined) continue;
    const w = words(command);
    w[0] = w[0]!.replace(/^\/(sbin|samples)\//, '');
    const r = runCommand(k, w, io);
    const model = [...r.err, ...r.out].map(normalise).concat(`[exit status ${r.status}]`);
    if (JSON.stringify(real) !== JSON.stringify(model)) differences.push({ command, real, model });
    compared++;
  }
  return { compared, differences };
}

describe('the devices boot of the real kernel, replayed through the modelled shell', () => {
  const index = JSON.parse(readFileSync(`${DIR}/index.json`, 'utf8'));
  const boot = index.boots.find((b: { name: string }) => b.name === 'devices');
  const k = bootKernel();

  it('has the five cases in their order', () => {
    expect(boot.cases).toEqual(['devices-hello-held', 'devices-misc', 'devices-uevents', 'devices-ls', 'devices-grep']);
  });

  for (const name of ['devices-hello-held', 'devices-misc', 'devices-uevents', 'devices-ls', 'devices-grep']) {
    it(`${name}: every modelled command prints what the real one printed, with its exit status`, () => {
      const { compared, differences } = replay(k, name);
      expect(differences).toEqual([]);
      expect(compared).toBeGreaterThan(name === 'devices-uevents' ? -1 : 5);
    });
  }

  it("the uevents udev would read are the real kernel's, variable by variable, SEQNUM included", () => {
    // busybox's `uevent env` adds its own environment (SHLVL, HOME, TERM, PATH, PWD) to each event.
    const own = /^(SHLVL|HOME|TERM|PATH|PWD)=/;
    const lines = readFileSync(`${DIR}/devices-uevents.txt`, 'utf8').split('\n');
    const real = lines.slice(lines.indexOf('# cat /tmp/uevents') + 1, lines.findIndex((l) => l.startsWith('[exit status'))).filter((l) => !own.test(l));
    const model = k.uevents.flatMap((u) => u.env.map(([n, v]) => `${n}=${v}`));
    expect(model).toEqual(real);
    expect(real.filter((l) => l.startsWith('ACTION='))).toHaveLength(10);
  });
});

describe("the other boots' device lines", () => {
  const real = (name: string) => readFileSync(`${DIR}/${name}.txt`, 'utf8').split('\n');
  const model = (k: Kernel, line: string) => {
    const r = runCommand(k, words(line), io);
    return [...r.err, ...r.out].map(normalise);
  };
  /** The output of `# command` in a transcript, console lines and exit status left out. */
  const outputOf = (lines: string[], command: string) => {
    const at = lines.indexOf(`# ${command}`);
    const end = lines.findIndex((l, j) => j > at && /^\[exit status \d+\]$/.test(l));
    return lines.slice(at + 1, end).filter((l) => !isConsole(l) && l !== '').map(normalise);
  };

  it('miscdev: devtmpfs makes /dev/miscdev 10:124 r--r--r-- at insmod, it reads back, and rmmod removes it', () => {
    const k = bootKernel();
    model(k, 'insmod miscdev.ko');
    const insmod = real('miscdev-insmod');
    expect(model(k, 'ls -l /dev/miscdev')).toEqual([normalise(insmod[insmod.indexOf('##### RING0-ORACLE END miscdev-insmod #####') - 1]!)]);
    const use = real('miscdev-use');
    expect(model(k, 'ls -l /dev/miscdev')).toEqual(outputOf(use, 'ls -l /dev/miscdev'));
    expect(model(k, 'cat /dev/miscdev')).toEqual(outputOf(use, 'timeout 20 head -c 4096 /dev/miscdev'));
    model(k, 'rmmod miscdev');
    // miscdev-rmmod's modstate lists /dev/miscdev only if it exists: it has no such line.
    expect(real('miscdev-rmmod').some((l) => l.endsWith('/dev/miscdev'))).toBe(false);
    expect(model(k, 'ls -l /dev/miscdev')).toEqual(['ls: /dev/miscdev: No such file or directory']);
  });

  it('hello: no node after insmod; mknod makes one that rmmod leaves behind', () => {
    const k = bootKernel();
    model(k, 'insmod hello.ko');
    const use = real('hello-use');
    const first = use.indexOf('# ls -l /dev/hello');
    expect(model(k, 'ls -l /dev/hello')).toEqual(use.slice(first + 1, first + 2));
    model(k, 'mknod /dev/hello c 246 0');
    expect(model(k, 'ls -l /dev/hello')).toEqual(outputOf(use.slice(first + 1), 'ls -l /dev/hello'));
    model(k, 'rmmod hello');
    const rmmod = real('hello-rmmod');
    expect(model(k, 'ls -l /dev/hello')).toEqual([normalise(rmmod[rmmod.indexOf('##### RING0-ORACLE END hello-rmmod #####') - 1]!)]);
  });

  it('importer holds exporter: holders/ lists it, refcnt is 1, rmmod names it', () => {
    const k = bootKernel();
    model(k, 'insmod exporter.ko');
    model(k, 'insmod importer.ko');
    const inUse = real('importer-rmmod-exporter-in-use');
    expect(model(k, 'rmmod exporter')).toEqual(inUse.slice(2, 3));
    expect(['/sys/module/exporter/holders: ' + model(k, 'ls /sys/module/exporter/holders').join(' ')]).toEqual(inUse.filter((l) => l.startsWith('/sys/module/exporter/holders')));
    expect(['/sys/module/exporter/refcnt: ' + model(k, 'cat /sys/module/exporter/refcnt').join('')]).toEqual(inUse.filter((l) => l.startsWith('/sys/module/exporter/refcnt')));
    expect(model(k, 'grep ^exporter /proc/modules')).toEqual(inUse.filter((l) => l.startsWith('exporter ')));
  });
});
