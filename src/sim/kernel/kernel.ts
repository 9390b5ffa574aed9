// Models: the running Linux 6.1 kernel that the book's drivers join — its address space (layout.ts),
// its export table with an entry point per exported function, the per-CPU area with the stack
// canary, a kernel stack, the log buffer, taint, and the module area (module_alloc in
// arch/x86/kernel/module.c). Driver code runs on it as real machine code in ring 0; the kernel's
// own functions are emulated (HLE) and say so.
// Simplifies: booted straight into 64-bit mode with nokaslr (the GDT and IDT are written by
// traps.ts; a fault in ring 0 ends in an oops, oops.ts); one CPU; time advances 1 ns per retired
// instruction.
import { Machine } from '../machine';
import { CR4_SMAP, CR4_SMEP, EFER_SCE, RSP, type U64 } from '../cpu/state';
import { enterLongMode } from '../boot/long-mode';
import { PageTableBuilder, frameAllocator } from '../mem/page-tables';
import { walk } from '../mem/paging';
import { CpuFault, PF } from '../cpu/fault';
import { PAGE_SIZE } from '../mem/physical';
import type { HleBody, HleFunction } from './hle';
import type { LoadedModule } from './loader/module';
import type { BuiltinImage } from './builtin-image';
import { CharDevices, MiscDevices } from './chrdev';
import { doSyscall64 } from './syscalls';
import { ENTRY_EXPORTS, defineEntryHle, entrySymbol, loadEntryCode, useEntryCode, type EntryData } from './entry';
import type { DeviceNode, OpenFile } from './vfs';
import { UEVENT_SEQNUM_AT_BOOT, type Device, type Uevent } from './device-core';
import { setUpTraps } from './traps';
import type { CallSiteData } from './oops-trace';
import { seedBootDevices, type BootDevicesData } from './boot-devices';
import { setUpIrqs } from './irq';
import { PID_BASE } from './process';
import type { Certificate } from '../crypto/x509';
import { KernelLog } from './printk';
import type { Subsystems } from './subsystems';
import { DATA_EXPORTS, type ExportEntry, type KernelSymbol } from './exports';
import { DIRECT_MAP, FIRST_MODULE, HLE_SLOT, KERNEL_DATA, KERNEL_TEXT, MODULES_END, PER_CPU, STACK_CANARY_OFFSET, TRAMPOLINE, VMALLOC_START, join, split } from './layout';

/** offsetof/sizeof from the pinned headers (src/sim/data/layout.json, made by samples/build.sh). */
export type StructLayouts = Record<string, { size: number; fields: Record<string, number> }>;

export interface KernelOptions {
  /** The kernel's vermagic string, as modules built for it carry it. */
  vermagic: string;
  layout: StructLayouts;
  /** Every vmlinux export (from the pinned headers' Module.symvers). */
  exports: ExportEntry[];
  /** Bodies of the emulated functions, by name; an export without one is "not modelled". */
  bodies: Record<string, { source: string; body: HleBody }>;
  memoryBytes?: number;
  /**
   * Real addresses of exports (src/sim/data/kernel-addresses.json, from the real kernel's
   * /proc/kallsyms with nokaslr); other exports get entry points in the model's own region.
   */
  addresses?: Record<string, bigint>;
  /** The real kernel's return addresses for oops call traces (src/sim/data/call-sites.json). */
  callSites?: CallSiteData;
  /** uname -r and -v (src/sim/data/kernel-release.json), as an oops's "CPU:" line prints them. */
  uts?: { release: string; version: string };
  /** The linked entry code (src/sim/data/kernel-entry.json, made by samples/kernel/build.sh). */
  entry: EntryData;
  /** What the real boot left in /dev, /proc and /sys (src/sim/data/boot-devices.json, from the oracle). */
  bootDevices: BootDevicesData;
  /** The optional subsystems this kernel is given (subsystems.ts); a run that needs one it lacks stops with MissingSubsystem. */
  subsystems?: Subsystems;
}

const USER_END = 0x800000000000n; // the end of the lower canonical half: user addresses
const STACK_PAGES = 4;
/** A plausible, fixed canary (the real one is random at boot). */
const STACK_CANARY = 0x5a17c0de5eed0042n;

export class Kernel {
  readonly m: Machine;
  readonly log = new KernelLog();
  readonly symbols = new Map<string, KernelSymbol>();
  readonly tables: PageTableBuilder;
  /** Taint flags as in /proc/sys/kernel/tainted (bit numbers of kernel/panic.c taint_flags[]). */
  taint = 0;
  /** Loaded modules by name (the kernel's `modules` list). */
  readonly modules = new Map<string, LoadedModule>();
  /** Character-device majors (fs/char_dev.c). */
  readonly chrdevs = new CharDevices();
  readonly misc = new MiscDevices();
  /** Messages printed once per boot that have been printed (pr_*_once). */
  readonly once = new Set<string>();
  /** The built-in image this kernel booted with (initcalls.ts bootBuiltins), and initcall_debug. */
  builtin: BuiltinImage | undefined;
  initcallDebug = false;
  /** Uptime at instruction 0 (see clockNs); a boot with built-ins times its initcalls from 0. */
  uptimeBaseNs = 300e9;
  readonly vermagic: string;
  readonly layout: StructLayouts;
  /** Boot options: module.sig_enforce=1, lockdown=integrity, and the emulated built-in keyring. */
  sigEnforce = false;
  lockdown = false;
  keyring: readonly Certificate[] = [];
  /** Open files of the running process, by descriptor (its opened .ko, for finit_module). */
  readonly files = new Map<number, Uint8Array>();
  /** The running process's name (task->comm) and the result of its last system call. */
  currentComm = 'insmod';
  lastSyscallResult = 0;
  /** Device nodes by path (mknod), and the running process's open files by descriptor. */
  readonly nodes = new Map<string, DeviceNode>();
  /** Devices in sysfs by devpath (device-core.ts), uevents not yet read by udev, and the last SEQNUM. */
  readonly devices = new Map<string, Device>();
  readonly uevents: Uevent[] = [];
  ueventSeqnum = UEVENT_SEQNUM_AT_BOOT;
  readonly openFiles = new Map<number, OpenFile>();
  /** The running user process (process.ts), if any, and the next PID to hand out. */
  process:
    | {
        pid: number;
        comm: string;
        stdout: string;
        exitStatus: number | undefined;
        signal: 'SIGSEGV' | 'SIGKILL' | undefined;
        mappings: { start: bigint; end: bigint }[];
        /** handle_mm_fault(): brings in a not-present page of the program; false if no VMA allows the access. */
        faultIn: (address: bigint, access: 'read' | 'write' | 'exec') => boolean;
      }
    | undefined;
  /** The user pages present now (torn down when the next program is exec'd). */
  readonly userPages = new Set<bigint>();
  nextPid = PID_BASE;
  readonly callSites: CallSiteData | undefined;
  readonly uts: { release: string; version: string };
  readonly subsystems: Subsystems;
  /** What the real boot left in /dev, /proc and /sys (boot-devices.json). */
  readonly bootDevices: BootDevicesData;
  private readonly frames: () => number;

  constructor(options: KernelOptions) {
    this.vermagic = options.vermagic;
    this.layout = options.layout;
    this.callSites = options.callSites;
    this.subsystems = options.subsystems ?? {};
    useEntryCode(options.entry);
    this.uts = options.uts ?? { release: options.vermagic.split(' ')[0]!, version: '#1' };
    const m = (this.m = new Machine({ memoryBytes: options.memoryBytes ?? 64 << 20 }));
    this.frames = frameAllocator(0x100000, m.mem.bytes);
    this.tables = new PageTableBuilder(m.mem, this.frames);
    this.enterLongMode();
    this.mapExports(options);
    this.mapPerCpu();
    this.mapStack();
    this.mapSyscallEntry();
    setUpTraps(this, VMALLOC_START + BigInt(STACK_PAGES * PAGE_SIZE));
    this.bootDevices = options.bootDevices;
    seedBootDevices(this); // /dev and the misc devices as the real boot left them
    setUpIrqs(this);
    // The first page of the kernel image (startup_64 at 0xffffffff81000000): present and
    // supervisor-only, so a user read of it faults with error code 5, as on the real kernel.
    this.mapPageOnce(0xffffffff81000000n, { writable: false, executable: true });
  }

  /**
   * The entry code (entry.ts, real machine code from samples/kernel/entry_64.S) in kernel text, and
   * MSR_LSTAR pointing at its entry_SYSCALL_64 (syscall_init() in arch/x86/kernel/cpu/common.c).
   */
  private mapSyscallEntry() {
    loadEntryCode(this, VMALLOC_START + BigInt(STACK_PAGES * PAGE_SIZE));
    const body = doSyscall64(this);
    defineEntryHle(this, body.name, body.source, body.body!);
    this.m.s.lstar = split(entrySymbol('entry_SYSCALL_64'));
    this.m.s.star = { lo: 0, hi: 0x00230010 }; // __KERNEL_CS for syscall, __USER32_CS base for sysret
    this.m.s.fmask = 0x257fd5;
  }

  /** Adds a record to the log buffer and an event for the reader. */
  printk(level: number, text: string) {
    const r = this.log.add(level, this.clockNs, text);
    this.m.emit({ kind: 'kernel/printk', level, text, timeNs: r.timeNs });
  }

  /** Nanoseconds since boot on the modelled clock. */
  get clockNs(): number {
    return this.uptimeBaseNs + this.m.retired; // 300 s of uptime, then 1 ns per instruction
  }

  /** Maps fresh zeroed frames for [start, start + bytes), page by page; `by` names who asks, for the event. */
  mapRange(start: bigint, bytes: number, flags: { writable: boolean; executable: boolean; user?: boolean }, by = 'The kernel') {
    for (let off = 0n; off < BigInt(bytes); off += BigInt(PAGE_SIZE)) {
      const v = split(start + off);
      this.tables.map(v.lo, v.hi, this.frames(), flags);
      this.m.mmu.invalidate(v.lo, v.hi); // a reused range may still be in the TLB (invlpg)
    }
    this.pagesChanged('map', start, Math.ceil(bytes / PAGE_SIZE), { user: flags.user ?? false, ...flags }, by);
  }

  /** Removes a page's mapping and flushes it from the TLB. */
  unmapPage(page: bigint, by = 'The kernel') {
    const v = split(page);
    this.tables.unmap(v.lo, v.hi);
    this.m.mmu.invalidate(v.lo, v.hi);
    this.pagesChanged('unmap', page, 1, { user: false, writable: false, executable: false }, by);
  }

  /** An mmu/pages-mapped event for page-table entries just written (the AddressSpace widget rebuilds the mappings from these). */
  pagesChanged(op: 'map' | 'unmap' | 'protect', start: bigint, pages: number, rights: { user: boolean; writable: boolean; executable: boolean }, by: string) {
    if (pages > 0 && this.m.trace) this.m.emit({ kind: 'mmu/pages-mapped', op, start: split(start), pages, user: rights.user, writable: rights.writable, executable: rights.executable, by });
  }

  /**
   * module_alloc(): page-aligned memory in the module area, first fit from FIRST_MODULE, each
   * allocation followed by a guard page, as vmalloc places them; freed ranges are reused.
   */
  moduleAlloc(bytes: number): bigint | undefined {
    const size = BigInt(Math.ceil(bytes / PAGE_SIZE) * PAGE_SIZE);
    const span = size + BigInt(PAGE_SIZE); // the guard page
    let at = FIRST_MODULE;
    for (const [start, length] of [...this.moduleAreas].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (at + span <= start) break;
      if (start + length > at) at = start + length;
    }
    if (at + span > MODULES_END) return undefined;
    this.moduleAreas.set(at, span);
    this.mapRange(at, Number(size), { writable: true, executable: true }, 'module_alloc');
    return at;
  }

  /** module_memfree(): vfree() unmaps the range's pages (vunmap) and the range can be handed out again. */
  moduleFree(base: bigint) {
    const span = this.moduleAreas.get(base);
    this.moduleAreas.delete(base);
    if (span === undefined) return;
    const pages = Number(span / BigInt(PAGE_SIZE)) - 1; // not the guard page, which was never mapped
    for (let i = 0; i < pages; i++) {
      const v = split(base + BigInt(i * PAGE_SIZE));
      this.tables.unmap(v.lo, v.hi);
      this.m.mmu.invalidate(v.lo, v.hi);
    }
    this.pagesChanged('unmap', base, pages, { user: false, writable: false, executable: false }, 'module_memfree (vfree)');
  }

  /** Allocated module ranges: start → length including the guard page. */
  private readonly moduleAreas = new Map<bigint, bigint>();

  /** Reads kernel memory as ring 0 would, without faulting: undefined if unmapped. */
  read64(address: bigint): bigint | undefined {
    const v = this.m.mmu.inspect(split(address).lo, split(address).hi);
    return v ? join(v) : undefined;
  }

  /**
   * The physical address backing a virtual address, for the emulated kernel's own reads and writes
   * (memcpy inside the kernel, copy_to_user/copy_from_user between stac and clac): a page walk
   * without permission checks, untraced — TypeScript standing in for kernel code.
   */
  physical(address: bigint): number {
    const { lo, hi } = split(address);
    const page = address - (address % BigInt(PAGE_SIZE));
    let frame = this.physicalCache.get(page);
    if (frame === undefined || this.physicalCacheGeneration !== this.m.mmu.generation) {
      if (this.physicalCacheGeneration !== this.m.mmu.generation) this.physicalCache.clear();
      this.physicalCacheGeneration = this.m.mmu.generation;
      const t = walk(this.m.mem, { cr3: this.m.s.cr3, wp: false, nxe: true, smep: false, smap: false }, lo, hi, 'read', false, false, false);
      if (!t.ok && this.process && address < USER_END && this.process.faultIn(address, 'read')) return this.physical(address); // a uaccess fault, fixed up
      if (!t.ok) throw new CpuFault(PF, t.errorCode, `the kernel touched ${address.toString(16)}: ${t.reason}`, { lo, hi });
      frame = t.frame;
      this.physicalCache.set(page, frame);
    }
    return frame + Number(address % BigInt(PAGE_SIZE));
  }
  private readonly physicalCache = new Map<bigint, number>();
  private physicalCacheGeneration = -1;

  /** Reads kernel memory page by page (one translation per page). */
  readBytes(address: bigint, n: number): number[] {
    const out: number[] = new Array(n);
    for (let i = 0; i < n; ) {
      const pa = this.physical(address + BigInt(i));
      const count = Math.min(PAGE_SIZE - (pa % PAGE_SIZE), n - i);
      const frame = this.m.mem.frameForRead(Math.floor(pa / PAGE_SIZE));
      for (let j = 0; j < count; j++) out[i + j] = frame ? frame[(pa % PAGE_SIZE) + j]! : 0xff;
      i += count;
    }
    return out;
  }

  /** Writes kernel memory page by page, as the loader's memcpy does (no permission checks). */
  writeBytes(address: bigint, bytes: ArrayLike<number>) {
    for (let i = 0; i < bytes.length; ) {
      const pa = this.physical(address + BigInt(i));
      const count = Math.min(PAGE_SIZE - (pa % PAGE_SIZE), bytes.length - i);
      const frame = this.m.mem.frameForWrite(Math.floor(pa / PAGE_SIZE));
      if (frame) for (let j = 0; j < count; j++) frame[(pa % PAGE_SIZE) + j] = bytes[i + j]!;
      i += count;
    }
  }

  /** kstrdup(): a copy of a string in kernel memory. */
  kstrdup(text: string): bigint {
    const bytes = [...Array.from(text, (c) => c.charCodeAt(0) & 0xff), 0]; // Latin-1: argument strings are ASCII
    const at = this.kzalloc(bytes.length);
    this.writeBytes(at, bytes);
    return at;
  }

  /** kzalloc(): zeroed kernel memory from a bump heap in the direct map (never freed: simplified). */
  kzalloc(size: number): bigint {
    if (size > PAGE_SIZE) throw new RangeError('kzalloc: the model hands out at most a page at a time');
    if (this.heapNext + BigInt(size) > this.heapEnd) {
      this.heapNext = DIRECT_MAP + BigInt(this.frames());
      this.heapEnd = this.heapNext + BigInt(PAGE_SIZE);
      const v = split(this.heapNext);
      this.tables.map(v.lo, v.hi, Number(this.heapNext - DIRECT_MAP), { writable: true, executable: false });
      this.m.mmu.invalidate(v.lo, v.hi);
      this.pagesChanged('map', this.heapNext, 1, { user: false, writable: true, executable: false }, 'kzalloc (a fresh page of the direct map)');
    }
    const at = this.heapNext;
    this.heapNext += BigInt(Math.ceil(size / 64) * 64);
    return at;
  }
  private heapNext = 0n;
  private heapEnd = 0n;

  readCString(address: U64 | bigint, max = 4096): string {
    let a = typeof address === 'bigint' ? address : join(address);
    let s = '';
    while (s.length < max) {
      const pa = this.physical(a);
      const frame = this.m.mem.frameForRead(Math.floor(pa / PAGE_SIZE));
      const start = pa % PAGE_SIZE;
      for (let i = start; i < PAGE_SIZE && s.length < max; i++) {
        const b = frame ? frame[i]! : 0xff;
        if (b === 0) return s;
        s += String.fromCharCode(b);
      }
      a += BigInt(PAGE_SIZE - start);
    }
    return s;
  }


  private enterLongMode() {
    // The emulated CPU has SMEP and SMAP, and Debian's 6.1 turns both on; syscall is enabled.
    enterLongMode(this.m, this.tables.root, { cpl: 0, cr4: CR4_SMEP | CR4_SMAP, efer: EFER_SCE });
  }

  private mapExports(options: KernelOptions) {
    const m = this.m;
    const real = options.addresses ?? {};
    const functions = options.exports.filter((e) => !DATA_EXPORTS[e.name]);
    this.mapRange(KERNEL_TEXT, Number(BigInt(functions.length + 1) * HLE_SLOT) + PAGE_SIZE, { writable: false, executable: true });
    m.hle.trampoline = { pa: this.physical(TRAMPOLINE), va: split(TRAMPOLINE) };
    functions.forEach((e, i) => {
      if (ENTRY_EXPORTS.has(e.name)) {
        // Real code in the entry code (entry.ts), linked at the real kernel's address: no HLE point.
        this.symbols.set(e.name, { ...e, address: entrySymbol(e.name), owner: 'vmlinux', kind: 'function' });
        return;
      }
      const address = real[e.name] ?? KERNEL_TEXT + BigInt(i + 1) * HLE_SLOT;
      if (real[e.name] !== undefined) this.mapPageOnce(address, { writable: false, executable: true });
      this.symbols.set(e.name, { ...e, address, owner: 'vmlinux', kind: 'function' });
      const impl = options.bodies[e.name];
      const fn: HleFunction = { name: e.name, source: impl?.source ?? 'vmlinux', convention: 'sysv', ...(impl ? { body: impl.body } : {}) };
      m.hle.register(this.physical(address), fn);
    });
    let data = KERNEL_DATA;
    this.mapRange(KERNEL_DATA, 64 * 1024, { writable: true, executable: false });
    for (const e of options.exports) {
      const d = DATA_EXPORTS[e.name];
      if (!d) continue;
      const address = real[e.name] ?? data;
      if (real[e.name] !== undefined) this.mapPageOnce(address, { writable: true, executable: false }, d.size);
      else data += BigInt(Math.ceil(d.size / 64) * 64);
      this.symbols.set(e.name, { ...e, address, owner: 'vmlinux', kind: 'data' });
      if (d.init !== undefined) this.writeBytes(address, le64(d.init));
    }
  }

  /** Maps the page(s) holding [address, address + bytes) unless already mapped. */
  mapPageOnce(address: bigint, flags: { writable: boolean; executable: boolean }, bytes = 1) {
    const page = BigInt(PAGE_SIZE);
    for (let p = address - (address % page); p < address + BigInt(bytes); p += page) {
      if (this.mappedPages.has(p)) continue;
      this.mappedPages.add(p);
      this.mapRange(p, PAGE_SIZE, flags);
    }
  }
  private readonly mappedPages = new Set<bigint>();

  private mapPerCpu() {
    this.mapRange(PER_CPU, PAGE_SIZE, { writable: true, executable: false });
    this.writeBytes(PER_CPU + STACK_CANARY_OFFSET, le64(STACK_CANARY));
    this.m.s.gsBase = split(PER_CPU); // in ring 0 GS points at this CPU's area
  }

  private mapStack() {
    this.mapRange(VMALLOC_START, STACK_PAGES * PAGE_SIZE, { writable: true, executable: false });
    this.m.set64(RSP, split(VMALLOC_START + BigInt(STACK_PAGES * PAGE_SIZE)));
  }
}

const le64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
