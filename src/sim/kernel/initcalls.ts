// Models: booting Linux 6.1 with built-in code, from kernel_init() in init/main.c: first the image
// is in place and patched (builtin-image.ts: ftrace_init(), apply_returns()); then
// do_pre_smp_initcalls() runs the "early" entries [__initcall_start, __initcall0_start), and
// do_basic_setup() → do_initcalls() → do_initcall_level() runs levels 0–7 over initcall_levels[]
// (__initcall0_start … __initcall7_start, __initcall_end: so rootfs entries, placed between levels
// 5 and 6 by INIT_CALLS, run at the end of level 5). Each entry is an initcall_entry_t, a 32-bit
// offset from the entry itself (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS; initcall_from_entry() is
// offset_to_ptr()), read from kernel memory; do_one_initcall() calls the function as real machine
// code in ring 0 and, with initcall_debug on the command line, prints trace_initcall_start_cb()'s
// "calling  %pS @ %i" and trace_initcall_finish_cb()'s "initcall %pS returned %d after %lld usecs"
// (ktime_us_delta() of two ktime_get() readings on the modelled clock), the same lines it prints
// for a module's init. Then free_initmem() (arch/x86/mm/init.c free_kernel_image_pages() →
// free_init_pages() → mm/page_alloc.c free_reserved_area()): the pages of [__init_begin,
// __init_end) — .init.text, .init.data with the initcall table, and, since x86 defines
// RUNTIME_DISCARD_EXIT, the built-in exit code — become writable and not executable, are filled
// with POISON_FREE_INITMEM (0xcc), and "Freeing unused kernel image (initmem) memory: %ldK" counts
// them.
// Simplifies: no parse_args() of the command line per level (the samples have no parameters), no
// initcall_blacklist, no preemption or interrupt-state check after a call, no async work, no
// mark_readonly() and no exec of /init (the shell and the scenarios start their programs
// themselves). kernel_init is PID 1, as rest_init() makes it; its comm is swapper/0 until that exec.
// The boot's instructions are timed from 0 on the modelled clock, which then goes on from 300 s
// as on a kernel booted without built-ins.
import type { Kernel } from './kernel';
import type { GuestCall, HleResult } from './hle';
import type { U64 } from '../cpu/state';
import { join, split } from './layout';
import { at, applyVmlinuxReturns, ftraceInit, mapBuiltinImage, readBuiltinImage, type BuiltinImage } from './builtin-image';
import { doOneInitcall, kernelSymbolName } from './do-one-initcall';
import { runInKernel } from './insmod';

/** initcall_level_names[] of init/main.c. */
export const INITCALL_LEVEL_NAMES = ['pure', 'core', 'postcore', 'arch', 'subsys', 'fs', 'device', 'late'] as const;
/** initcall_levels[]: where each level starts, and __initcall_end. */
const INITCALL_LEVELS = [
  '__initcall0_start', '__initcall1_start', '__initcall2_start', '__initcall3_start', '__initcall4_start',
  '__initcall5_start', '__initcall6_start', '__initcall7_start', '__initcall_end',
] as const;
/** POISON_FREE_INITMEM (include/linux/poison.h). */
export const POISON_FREE_INITMEM = 0xcc;
/** rest_init() creates kernel_init first: it is PID 1. */
const KERNEL_INIT_PID = 1;
const MAIN = 'init/main.c';

// do_one_initcall() and %pS, which a module's init uses too, are in do-one-initcall.ts.
export { doOneInitcall, kernelSymbolName };

/** The entries of [from, to): each s32 offset read from kernel memory, and the function it names. */
export function initcallEntries(k: Kernel, from: bigint, to: bigint): { entry: bigint; offset: number; fn: bigint }[] {
  const out: { entry: bigint; offset: number; fn: bigint }[] = [];
  for (let entry = from; entry < to; entry += 4n) {
    const b = k.readBytes(entry, 4);
    const offset = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
    out.push({ entry, offset, fn: entry + BigInt(offset) });
  }
  return out;
}

function* runLevel(k: Kernel, image: BuiltinImage, level: string, from: bigint, to: bigint): Generator<GuestCall, number, U64> {
  const entries = initcallEntries(k, from, to);
  for (const e of entries) {
    const name = kernelSymbolName(k, e.fn).replace(/\+.*$/, '');
    k.m.emit({ kind: 'boot/initcall-entry-read', level, entry: split(e.entry), offset: e.offset, fn: split(e.fn), name });
    const ret = yield* doOneInitcall(k, e.fn, KERNEL_INIT_PID);
    k.m.emit({ kind: 'boot/initcall-returned', name, ret });
  }
  return entries.length;
}

/** kernel_init()'s part that concerns built-in code: the initcalls, then free_initmem(). */
export function* kernelInit(k: Kernel, image: BuiltinImage): Generator<GuestCall, HleResult, U64> {
  const early = yield* runLevel(k, image, 'early', at(image, '__initcall_start'), at(image, '__initcall0_start'));
  k.m.emit({ kind: 'boot/stage-finished', stage: 'do_pre_smp_initcalls', source: MAIN, detail: `${early} early initcall${early === 1 ? '' : 's'}` });
  for (let level = 0; level < INITCALL_LEVEL_NAMES.length; level++) {
    const name = INITCALL_LEVEL_NAMES[level]!;
    const n = yield* runLevel(k, image, name, at(image, INITCALL_LEVELS[level]!), at(image, INITCALL_LEVELS[level + 1]!));
    k.m.emit({ kind: 'boot/stage-finished', stage: `do_initcall_level(${level})`, source: MAIN, detail: `level "${name}": ${n} initcall${n === 1 ? '' : 's'}` });
  }
  freeInitmem(k, image);
  k.m.emit({
    kind: 'boot/stage-finished', stage: 'mark_readonly, run_init_process', source: MAIN,
    detail: 'not modelled: the image already has its final permissions, and the shell or scenario starts its programs itself',
  });
  return 0;
}

/** free_initmem() on x86: the init region's pages made RW and NX, poisoned, and counted. */
export function freeInitmem(k: Kernel, image: BuiltinImage) {
  const begin = at(image, '__init_begin'), end = at(image, '__init_end');
  let pages = 0;
  for (let page = begin; page < end; page += 4096n, pages++) {
    const v = split(page);
    k.tables.protect(v.lo, v.hi, { writable: true, executable: false }); // set_memory_nx(), set_memory_rw()
    k.m.mmu.invalidate(v.lo, v.hi);
    k.pagesChanged('protect', page, 1, { user: false, writable: true, executable: false }, 'free_initmem');
    k.writeBytes(page, new Array<number>(4096).fill(POISON_FREE_INITMEM)); // free_reserved_area()'s memset
  }
  image.initFreed = true;
  if (pages) k.printk(6, `Freeing unused kernel image (initmem) memory: ${pages * 4}K`);
  const held = image.elf.sections.filter((s) => s.size > 0n && s.addr >= begin && s.addr < end).map((s) => s.name);
  k.m.emit({
    kind: 'boot/stage-finished', stage: 'free_initmem', source: 'arch/x86/mm/init.c',
    detail: `0x${begin.toString(16)}–0x${end.toString(16)} (${pages} page${pages === 1 ? '' : 's'}: ${held.join(', ')}) filled with 0xcc, no longer executable`,
  });
}

export interface BuiltinBootOptions {
  /** initcall_debug on the kernel command line. */
  initcallDebug?: boolean;
  maxSteps?: number;
}

/**
 * Boots the kernel's built-in part: maps the image, patches it as start_kernel() does, and runs
 * kernel_init()'s initcalls and free_initmem() from a ring-0 stub. Call it on a fresh kernel,
 * before anything else runs.
 */
export function bootBuiltins(k: Kernel, imageBytes: Uint8Array, modulesBuiltin: string, options: BuiltinBootOptions = {}): { ok: true } | { error: string } {
  if (k.builtin) return { error: 'this kernel has already booted with a built-in image' };
  const image = readBuiltinImage(imageBytes, modulesBuiltin);
  if ('error' in image) return image;
  k.builtin = image;
  k.initcallDebug = options.initcallDebug ?? false;
  const base = k.uptimeBaseNs, comm = k.currentComm;
  k.uptimeBaseNs = 0;
  mapBuiltinImage(k, image);
  k.m.emit({
    kind: 'boot/stage-finished', stage: 'map the kernel image', source: 'arch/x86/kernel/head_64.S, arch/x86/mm/init_64.c',
    detail: `the built-in image at 0x${at(image, '_text').toString(16)}–0x${at(image, '_end').toString(16)}, with the permissions the kernel gives its image: text RX, rodata R, data and bss RW, the init region RWX until free_initmem()`,
  });
  for (const [stage, source, patches] of [
    ['ftrace_init', 'kernel/trace/ftrace.c', ftraceInit(k, image)],
    ['alternative_instructions', 'arch/x86/kernel/alternative.c', applyVmlinuxReturns(k, image)],
  ] as const) {
    for (const p of patches) k.m.emit({ kind: 'loader/code-patched', module: 'vmlinux', why: p.why, address: split(p.address), before: p.before, after: p.after });
    k.m.emit({ kind: 'boot/stage-finished', stage, source, detail: `${patches.length} site${patches.length === 1 ? '' : 's'} patched` });
  }
  k.currentComm = 'swapper/0';
  const r = runInKernel(k, { name: 'kernel_init', source: MAIN, convention: 'sysv', body: () => kernelInit(k, image) }, options.maxSteps ?? 1_000_000);
  k.currentComm = comm;
  k.uptimeBaseNs = base;
  return typeof r === 'string' ? { error: `the boot stopped: ${r}` } : { ok: true };
}
