import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { catTool, insmodTool, lsmodTool, mknodTool, rmmodTool } from '../../src/sim/kernel/user-tools';
import { procModules, sysModule } from '../../src/sim/kernel/loader/delete-module';
import { KernelLog } from '../../src/sim/kernel/printk';
import { printTainted } from '../../src/sim/kernel/oops';
import { describe as sentence } from '../../src/sim/events';
import type { Kernel } from '../../src/sim/kernel/kernel';
import { ENTRY, entrySymbol, entrySymbolAt } from '../../src/sim/kernel/entry';
import { join } from '../../src/sim/kernel/layout';

// The model's oops against the real Debian 6.1 kernel's (tests/fixtures/real-kernel/oops-*.txt),
// line by line. Normalised, and nothing else:
//   1. dmesg timestamps;
//   2. the PID in the "CPU:" line (the model counts its own processes);
//   3. register values the model allocates or sets differently: RSP, EFLAGS, RAX … R15, the FS/GS/
//      knlGS bases, CR0, CR3, CR4, and the user-mode "RIP: 0033:" address. Selectors (0010, 0018,
//      002b, DS/ES, the (0000) indexes), ORIG_RAX and CR2 are compared as they are;
//   4. the values in the "PGD …" line (other page tables), and for insmod its depth: kmod is a PIE
//      mapped far from address 0, the model's insmod a small static stub at 0x401000, whose tables
//      reach down to the PMD covering address 0;
//   5. the user-mode "Code:" line: it shows the task's own code, busybox's or kmod's there, the
//      modelled tool's stub here (whose 42 bytes before RIP are on a page it never mapped);
//   6. the real trace's "? name+off/size" lines are dropped: they are stale return addresses left
//      on the real stack by earlier calls (the stack scan prints them as unreliable); the model's
//      stack holds no such words and the model does not reproduce them. The reliable frames are
//      compared in order;
//   7. the offset and size of the last frame, entry_SYSCALL_64_after_hwframe+0x6e/0xd8 on the real
//      machine: the model's entry code is its own assembly (samples/kernel/entry_64.S, shorter
//      than 6.1's: no PTI, IBRS or entry trampoline stack), so the return address its `call
//      do_syscall_64` leaves is at another offset in a shorter function. The name is compared as
//      it is, and the offset is checked exactly against the assembled code (entryReturn below).
const DIR = 'tests/fixtures/real-kernel';
const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));

function normalise(lines: string[], tool: 'cat' | 'insmod'): string[] {
  let user = false;
  return lines
    .map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''))
    .filter((l) => !/^ \? /.test(l))
    .map((l) => {
      if (/^RIP: 0033:/.test(l)) user = true;
      if (/^ <\/TASK>/.test(l) || /^RIP: 0010:/.test(l)) user = false;
      if (user && l.startsWith('Code: ')) return 'Code: <user code>';
      if (l.startsWith('PGD ')) return tool === 'insmod' ? 'PGD <tables>' : l.replace(/[0-9a-f]+ /g, (v) => (v === '0 ' ? v : '<x> '));
      return l
        .replace(/^(CPU: 0 PID: )\d+/, '$1<pid>')
        .replace(/^(RIP: 0033:)0x[0-9a-f]+$/, '$1<user ip>')
        .replace(/^(RSP: [0-9a-f]{4}:)[0-9a-f]{16}( EFLAGS: )[0-9a-f]{8}/, '$1<rsp>$2<flags>')
        .replace(/\b(RAX|RBX|RCX|RDX|RSI|RDI|RBP|R08|R09|R10|R11|R12|R13|R14|R15): [0-9a-f]{16}/g, '$1: <reg>')
        .replace(/^FS:  [0-9a-f]{16}(\(....\)) GS:[0-9a-f]{16}(\(....\)) knlGS:[0-9a-f]{16}$/, 'FS:  <fs>$1 GS:<gs>$2 knlGS:<knlgs>')
        .replace(/( CR0| CR3| CR4): [0-9a-f]{16}/g, '$1: <cr>')
        .replace(/^ entry_SYSCALL_64_after_hwframe\+0x[0-9a-f]+\/0x[0-9a-f]+$/, ' entry_SYSCALL_64_after_hwframe+<off>/<size>');
    });
}

/** The oops in a transcript's clean dmesg copy: from the BUG: line to the end of the dmesg. */
function realOops(file: string): string[] {
  const lines = readFileSync(`${DIR}/${file}`, 'utf8').split('\n');
  const dm = lines.indexOf('--- dmesg -c ---'), end = lines.indexOf('--- end dmesg ---');
  const dmesg = lines.slice(dm + 1, end);
  return dmesg.slice(dmesg.findIndex((l) => l.includes('BUG: ')));
}

/**
 * The frame the model's call trace must print for its entry code: the return address of
 * entry_SYSCALL_64's `call do_syscall_64` (e8 rel32), found in the assembled bytes, named by kallsyms' rule.
 */
function entryReturn(): string {
  const seg = ENTRY.segments.find((x) => x.name === '.entry.text')!;
  const target = entrySymbol('do_syscall_64');
  for (let i = 0; i + 5 <= seg.bytes.length; i++) {
    if (seg.bytes[i] !== 0xe8) continue;
    const b = seg.bytes;
    const rel = b[i + 1]! | (b[i + 2]! << 8) | (b[i + 3]! << 16) | (b[i + 4]! << 24);
    const next = seg.address + BigInt(i + 5);
    if (next + BigInt(rel) === target) return entrySymbolAt(next)!;
  }
  throw new Error('no call to do_syscall_64 in the entry code');
}

const logFrom = (k: Kernel, from: number) => k.log.records.slice(from).map((r) => KernelLog.line(r));

/** insmod oops-read.ko (devtmpfs makes /dev/oops_read), cat: the model's own run. */
function readOops() {
  const k = bootKernel();
  k.m.trace = true;
  expect(insmodTool(k, 'oops-read.ko', sample('oops-read.ko'), '').status).toBe(0);
  expect(k.misc.minors.get(124)).toBe('oops_read'); // what the real kernel gave it too (oops-read-insmod.txt)
  expect(k.nodes.get('/dev/oops_read')).toMatchObject({ major: 10, minor: 124 }); // devtmpfs made it, as on the real machine
  const before = k.log.records.length;
  const cat = catTool(k, '/dev/oops_read');
  return { k, cat, oops: logFrom(k, before) };
}

function initOops() {
  const k = bootKernel();
  const before = k.log.records.length;
  const insmod = insmodTool(k, 'oops-init.ko', sample('oops-init.ko'), '');
  const log = logFrom(k, before);
  return { k, insmod, oops: log.slice(log.findIndex((l) => l.includes('BUG: '))) };
}

describe('an oops in driver code, against the real kernel', () => {
  it('a NULL dereference in read() prints the oops of oops-read-read.txt, line by line', () => {
    const { oops } = readOops();
    const real = realOops('oops-read-read.txt');
    expect(real.length).toBeGreaterThan(40);
    expect(normalise(oops, 'cat')).toEqual(normalise(real, 'cat'));
  });

  it('a NULL dereference in init prints the oops of oops-init-insmod.txt, line by line', () => {
    const { oops } = initOops();
    const real = realOops('oops-init-insmod.txt');
    expect(normalise(oops, 'insmod')).toEqual(normalise(real, 'insmod'));
  });

  it('the parts compared without normalisation are exact: RIP, Code:, frames, ORIG_RAX, CR2, modules', () => {
    const { oops } = readOops();
    const text = oops.map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
    for (const exact of [
      'BUG: kernel NULL pointer dereference, address: 0000000000000000',
      'Oops: 0000 [#1] PREEMPT SMP NOPTI',
      'Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014',
      'RIP: 0010:oops_read_read+0x15/0x22 [oops_read]',
      'Code: Unable to access opcode bytes at 0xffffffffc0200feb.',
      ' vfs_read+0xa5/0x310', ' ksys_read+0x6b/0xf0', ' do_syscall_64+0x5d/0xb0', ` ${entryReturn()}`,
      'Modules linked in: oops_read(OE)', 'CR2: 0000000000000000', '---[ end trace 0000000000000000 ]---',
    ]) expect(text).toContain(exact);
    // The entry frame: the same function as the real kernel's, at the model's own offset (normalisation 7).
    expect(entryReturn()).toMatch(/^entry_SYSCALL_64_after_hwframe\+0x[0-9a-f]+\/0x[0-9a-f]+$/);
    expect(realOops('oops-read-read.txt')).toContainEqual(expect.stringMatching(/\] {2}entry_SYSCALL_64_after_hwframe\+0x6e\/0xd8$/));
    expect(text.find((l) => l.startsWith('CPU: '))).toMatch(/^CPU: 0 PID: \d+ Comm: cat Tainted: G {11}OE {6}6\.1\.0-56-amd64 #1  Debian 6\.1\.192-2$/);
    // show_opcodes' failed read left its address in CR2, as on the real machine.
    expect(text.filter((l) => l.startsWith('CR2: ffffffffc0200feb CR3: '))).toHaveLength(2);
    expect(text.find((l) => / ORIG_RAX: /.test(l))).toMatch(/ ORIG_RAX: 0000000000000000$/);
  });

  it('the BUG: and #PF: lines are alerts, the page-table line is info, the rest the default level', () => {
    const { k } = readOops();
    const level = (start: string) => k.log.records.find((r) => r.text.startsWith(start))!.level;
    expect([level('BUG: '), level('#PF: '), level('PGD '), level('Oops: '), level('Call Trace:'), level('---[ end trace')]).toEqual([1, 1, 6, 4, 4, 4]);
  });

  it('kills the task: cat and insmod die as by SIGKILL ("Killed", status 137), as the shell showed', () => {
    expect(readFileSync(`${DIR}/oops-read-read.txt`, 'utf8')).toContain('Killed\n[exit status 137]');
    const { cat } = readOops();
    expect([cat.status, cat.stderr, cat.stdout]).toEqual([137, ['Killed'], '']);
    const { insmod } = initOops();
    expect([insmod.status, insmod.stderr]).toEqual([137, ['Killed']]);
  });

  it('taints the kernel with D: /proc/sys/kernel/tainted goes from 12288 to 12416', () => {
    const k = bootKernel();
    insmodTool(k, 'oops-read.ko', sample('oops-read.ko'), '');
    expect(k.taint).toBe(12288);
    catTool(k, '/dev/oops_read');
    expect(k.taint).toBe(Number(realTainted('oops-read-read.txt')));
    expect(printTainted(k.taint)).toBe('Tainted: G      D    OE     '); // 19 flags, as print_tainted() writes them
    expect(printTainted(0)).toBe('Not tainted');
  });

  it('an oops in init leaves the module Loading with refcnt 1, and kmod refuses to remove it (oops-init-after.txt)', () => {
    const { k } = initOops();
    const after = readFileSync(`${DIR}/oops-init-after.txt`, 'utf8');
    expect(procModules(k)).toEqual([/\n(oops_init .*)\n\[exit status 0\]/.exec(after)![1]]);
    const sys = sysModule(k, 'oops_init')!;
    for (const attr of ['initstate', 'refcnt', 'taint', 'coresize', 'initsize']) expect(`${attr}: ${sys[attr]}`).toBe(`${attr}: ${new RegExp(`/sys/module/oops_init/${attr}: (.*)`).exec(after)![1]}`);
    expect(String(k.taint)).toBe(realTainted('oops-init-after.txt'));
    const before = k.log.records.length;
    const r = rmmodTool(k, 'oops_init');
    expect([r.status, r.stderr[0]]).toEqual([1, /\n(rmmod: ERROR: .*)\n/.exec(after)![1]]);
    expect(k.log.records.length).toBe(before); // kmod stopped in user space: the kernel printed nothing
    expect(lsmodTool(k)).toEqual(['Module                  Size  Used by', 'oops_init              28672  1']);
  });

  it('after an oops in read, rmmod unloads the module as on the real machine (oops-read-rmmod.txt)', () => {
    const { k } = readOops();
    const before = k.log.records.length;
    expect(rmmodTool(k, 'oops_read').status).toBe(0);
    expect(logFrom(k, before).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''))).toEqual(['oops_read: unloaded']);
    expect(String(k.taint)).toBe(realTainted('oops-read-rmmod.txt'));
  });

  it('a second oops is [#2], shows D in its Tainted: letters, and its summary repeats the first oops', () => {
    const { k, oops: first } = readOops();
    const before = k.log.records.length;
    const again = catTool(k, '/dev/oops_read');
    expect(again.status).toBe(137);
    const second = logFrom(k, before).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''));
    expect(second).toContain('Oops: 0000 [#2] PREEMPT SMP NOPTI');
    expect(second.find((l) => l.startsWith('CPU: '))).toMatch(/Comm: cat Tainted: G {6}D {4}OE {6}6\.1\.0-56-amd64/);
    // oops_end() prints exec_summary_regs, saved by the first oops only.
    const summary = (lines: string[]) => lines.slice(lines.findIndex((l) => l.includes('end trace')) + 1).filter((l) => /^R(AX|SP|BP)/.test(l));
    expect(summary(second)).toEqual(summary(first.map((l) => l.replace(/^\[\s*\d+\.\d+\] /, ''))));
  });

  it('the machine goes on: after an oops, hello-read works as on the real machine', () => {
    const { k } = readOops();
    expect(insmodTool(k, 'hello.ko', sample('hello.ko'), '').status).toBe(0);
    expect(mknodTool(k, '/dev/hello', 246, 0).status).toBe(0);
    const cat = catTool(k, '/dev/hello');
    expect(`${cat.stdout}`).toBe(/# cat \/dev\/hello\n(.*)\n/.exec(readFileSync(`${DIR}/hello-use.txt`, 'utf8'))![1] + '\n');
    expect(cat.status).toBe(0);
    expect(rmmodTool(k, 'hello').status).toBe(0);
  });

  it('"Modules linked in:" names every module newest first, and the last one unloaded', () => {
    const k = bootKernel();
    insmodTool(k, 'hello.ko', sample('hello.ko'), '');
    rmmodTool(k, 'hello');
    insmodTool(k, 'exporter.ko', sample('exporter.ko'), '');
    insmodTool(k, 'oops-read.ko', sample('oops-read.ko'), '');
    catTool(k, '/dev/oops_read');
    expect(k.log.records.map((r) => r.text)).toContain('Modules linked in: oops_read(OE) exporter(OE) [last unloaded: hello(OE)]');
  });

  it('the driver frame is found with its ORC data: oops_read_read returns straight to vfs_read', async () => {
    const { moduleFrames } = await import('../../src/sim/kernel/oops-trace');
    const k = bootKernel();
    insmodTool(k, 'oops-read.ko', sample('oops-read.ko'), '');
    const mod = k.modules.get('oops_read')!;
    const fn = mod.kallsyms.find((s) => s.name === 'oops_read_read')!;
    // At the fault RSP is 8 below the return address (sub $8): ORC's sp_offset says so.
    const sp = 0xffffc90000003f00n;
    k.writeBytes(sp + 8n, Array.from({ length: 8 }, (_, i) => Number((0xffffffff83000000n >> BigInt(8 * i)) & 0xffn)));
    const regs = { ip: fn.value + 0x15n, sp, bp: 0n } as Parameters<typeof moduleFrames>[1];
    expect(moduleFrames(k, regs)).toEqual({ frames: [], reachedKernel: true });
    // And in a real run: oops_init_init (push; call _printk; the load) at the moment it faulted.
    const { k: k2 } = initOops();
    const { oopsState } = await import('../../src/sim/kernel/oops-state');
    expect(moduleFrames(k2, oopsState(k2).execSummary!)).toEqual({ frames: [], reachedKernel: true });
  });

  it('records the oops as an event for the widgets', () => {
    const { k } = readOops();
    const e = k.m.log.find((x) => x.kind === 'kernel/oops')!;
    expect(sentence(e)).toMatch(/^Oops #1 \(Oops\) in ring 0 at oops_read_read\+0x15\/0x22 \[oops_read\] while running cat\[\d+\]: the kernel prints the oops, taints itself with D and kills the task\.$/);
  });

  it('goes through the real entry code: syscall → entry_SYSCALL_64, the #PF → asm_exc_page_fault → exc_page_fault, and never back to user space', () => {
    const { k } = readOops();
    const log = k.m.log;
    const oopsAt = log.findIndex((x) => x.kind === 'kernel/oops');
    const executedAt = (i: number) => { const e = log[i]; return e?.kind === 'cpu/executed' ? entrySymbolAt(join(e.rip)) : undefined; };
    // The fault: the CPU delivers vector 14 in ring 0 and the first instruction run is the stub's.
    const fault = log.findLastIndex((x, i) => i < oopsAt && x.kind === 'cpu/faulted' && (x as { vector: number }).vector === 14);
    expect(fault).toBeGreaterThan(0);
    const first = log.findIndex((x, i) => i > fault && x.kind === 'cpu/executed');
    expect(executedAt(first)).toMatch(/^asm_exc_page_fault\+0x0\//);
    const entered = log.findIndex((x, i) => i > fault && x.kind === 'kernel/hle-entered');
    expect(log[entered]).toMatchObject({ name: 'exc_page_fault' });
    // No fix-up (oops_read_read is not in the exception table) and, after the oops, no instruction at all.
    expect(log.some((x, i) => i > fault && x.kind === 'kernel/exception-fixed-up')).toBe(false);
    expect(log.slice(oopsAt).some((x) => x.kind === 'cpu/executed' || x.kind === 'cpu/ring-changed')).toBe(false);
    // The system call came in through the assembled entry_SYSCALL_64.
    const syscall = log.findLastIndex((x, i) => i < fault && x.kind === 'cpu/ring-changed' && (x as { cause: string }).cause === 'syscall');
    expect(executedAt(log.findIndex((x, i) => i > syscall && x.kind === 'cpu/executed'))).toMatch(/^entry_SYSCALL_64\+0x0\//);
  });
});

describe('the real call sites (src/sim/data/call-sites.json, from the real vmlinux)', () => {
  const data = JSON.parse(readFileSync('src/sim/data/call-sites.json', 'utf8'));
  const frames = (chain: string) => data.chains[chain].frames.map((f: { function: string; offset: number; size: number }) => ` ${f.function}+0x${f.offset.toString(16)}/0x${f.size.toString(16)}`);
  const reliable = (file: string) => realOops(file).map((l) => l.replace(/^\[\s*\d+\.\d+\] /, '')).filter((l) => /^ [a-z_]\w*\+0x/.test(l));
  it('read: vfs_read → ksys_read → do_syscall_64 → entry_SYSCALL_64_after_hwframe, as the real oops printed', () => {
    expect(frames('read')).toEqual(reliable('oops-read-read.txt'));
  });
  it('finit_module: do_one_initcall → do_init_module → __do_sys_finit_module → do_syscall_64 → entry, as the real oops printed', () => {
    expect(frames('finit_module')).toEqual(reliable('oops-init-insmod.txt'));
  });
  it('every path ends in the real entry code, and every frame is inside its function', () => {
    for (const chain of Object.values(data.chains) as { frames: { function: string; offset: number; size: number }[] }[]) {
      expect(chain.frames.at(-1)!.function).toBe('entry_SYSCALL_64_after_hwframe');
      for (const f of chain.frames) expect(f.offset > 0 && f.offset < f.size).toBe(true);
    }
  });
});

function realTainted(file: string): string {
  const lines = readFileSync(`${DIR}/${file}`, 'utf8').split('\n');
  return lines[lines.indexOf('--- /proc/sys/kernel/tainted ---') + 1]!;
}

describe('other faults in ring 0: die() with 6.1\'s words, the task killed by SIGSEGV', () => {
  /** oops-read with its read function's body (after the 5-byte NOP of __fentry__) replaced by these bytes. */
  function readRunning(code: number[]) {
    const k = bootKernel();
    insmodTool(k, 'oops-read.ko', sample('oops-read.ko'), '');
    const fn = k.modules.get('oops_read')!.kallsyms.find((s) => s.name === 'oops_read_read')!;
    k.writeBytes(fn.value + 5n, code);
    const before = k.log.records.length;
    const cat = catTool(k, '/dev/oops_read');
    return { k, cat, log: k.log.records.slice(before).map((r) => r.text) };
  }

  it('#GP on a non-canonical address: "general protection fault, probably for non-canonical address …"', () => {
    const { cat, log, k } = readRunning([0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0xad, 0xde, 0x8a, 0x00]); // movabs rax, 0xdead000000000000 ; mov al, [rax]
    expect(log[0]).toBe('general protection fault, probably for non-canonical address 0xdead000000000000: 0000 [#1] PREEMPT SMP NOPTI');
    expect(log).not.toContain('CR2: 0000000000000000'); // only page_fault_oops prints it
    expect(log).toContain(' vfs_read+0xa5/0x310');
    expect([cat.status, cat.stderr]).toEqual([139, ['Segmentation fault']]);
    expect(k.taint & 128).toBe(128);
  });

  it('#DE: "divide error"; #UD outside a bug table: "invalid opcode"', () => {
    expect(readRunning([0x31, 0xc9, 0xf7, 0xf1]).log[0]).toBe('divide error: 0000 [#1] PREEMPT SMP NOPTI'); // xor ecx, ecx ; div ecx
    expect(readRunning([0x0f, 0x0b]).log[0]).toBe('invalid opcode: 0000 [#1] PREEMPT SMP NOPTI'); // ud2, no __bug_table
  });
});

describe('page faults in ring 0 on user addresses (do_user_addr_fault)', () => {
  function readRunning(code: number[]) {
    const k = bootKernel();
    insmodTool(k, 'oops-read.ko', sample('oops-read.ko'), '');
    const fn = k.modules.get('oops_read')!.kallsyms.find((s) => s.name === 'oops_read_read')!;
    k.writeBytes(fn.value + 5n, code);
    const before = k.log.records.length;
    const cat = catTool(k, '/dev/oops_read');
    return { cat, log: k.log.records.slice(before).map((r) => r.text) };
  }

  it('executing user memory: SMEP faults it, and the oops says so (instruction fetch, SMEP?)', () => {
    const { cat, log } = readRunning([0x48, 0xc7, 0xc0, 0x00, 0x10, 0x40, 0x00, 0xff, 0xe0]); // mov rax, 0x401000 (cat's own code) ; jmp rax
    expect(log.slice(0, 4)).toEqual([
      'unable to execute userspace code (SMEP?) (uid: 0)',
      'BUG: unable to handle page fault for address: 0000000000401000',
      '#PF: supervisor instruction fetch in kernel mode',
      '#PF: error_code(0x0011) - permissions violation',
    ]);
    expect(cat.status).toBe(137);
  });

  it('reading user memory without stac: SMAP faults it, and the kernel oopses ("permissions violation")', () => {
    const { log } = readRunning([0x48, 0xc7, 0xc0, 0x00, 0x30, 0x40, 0x00, 0x8a, 0x00]); // mov rax, 0x403000 (cat's buffer) ; mov al, [rax]
    expect(log.slice(0, 3)).toEqual(['BUG: unable to handle page fault for address: 0000000000403000', '#PF: supervisor read access in kernel mode', '#PF: error_code(0x0001) - permissions violation']);
  });
});
