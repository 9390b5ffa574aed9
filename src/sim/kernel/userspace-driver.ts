// Models: a driver outside the kernel, in the way of MINIX 3 and seL4 (chapter 13): the driver is
// an ordinary process in ring 3 with its own address space; a client's read() of the node it
// serves becomes a request message, the kernel switches to the driver (CR3 and registers), the
// driver's real machine code answers with ipc_reply_recv(), the kernel copies the reply into the
// client's buffer and switches back. The same read() through hello.ko in ring 0 is the real path
// the emulator already runs; measureRead() counts both paths' ring crossings, context switches,
// copies and IPC messages from the emulator's own events, and compareReadPaths() sizes the
// difference with documented figures only, each cited.
// Simplifies: NOT LINUX — Linux has no such IPC calls (its nearest real mechanisms, CUSE and FUSE,
// are not modelled). The IPC is synchronous and unbuffered in the L4 style, with seL4's call
// numbers (non-MCS: seL4_SysRecv = -5, seL4_SysReplyRecv = -2) but the emulator's own arguments;
// there is no scheduler: the kernel switches exactly at send and reply; one kernel stack serves
// both processes, so a switch saves the running context's struct pt_regs (the user registers
// entry_SYSCALL_64 saved on the kernel stack) and writes the other's in its place, and the entry
// code's own sysretq returns to whichever context is there; open and close of the
// served node are answered by the kernel without asking the driver; the driver's program is mapped
// whole when it starts (no demand paging); one driver, one client request at a time.
import { enterUserMode } from './process';
import type { Kernel } from './kernel';
import type { HleCall, HleFunction } from './hle';
import type { SimEvent } from '../events';
import type { ToolResult } from './user-tools';
import { NotModelled } from '../cpu/fault';
import { RSP } from '../cpu/state';
import { ENTRY, entrySymbol } from './entry';
import { ptRegsSize, readPtRegs, writePtReg } from './pt-regs';
import { PageTableBuilder } from '../mem/page-tables';
import { isElfError, readElf } from '../elf';
import { DIRECT_MAP, join, split } from './layout';
import { NR } from './syscalls';

/** seL4's (non-MCS) numbers for the two calls, taken for the model's own IPC calls. */
export const SYS_IPC_RECV = -5, SYS_IPC_REPLY_RECV = -2;
/** The request message: op, count, pos (three 64-bit words). */
const REQUEST_BYTES = 24;
const REQ_READ = 0;
const STACK_TOP = 0x7ffffffff000n;
const STACK_PAGES = 8;
const EINVAL = -22;

interface Context {
  comm: string;
  pid: number;
  cr3: number;
  /** Its struct pt_regs as entry_SYSCALL_64 saved it when it last entered the kernel. */
  regs: Uint8Array;
  process: Kernel['process'];
}

interface Driver extends Context {
  recvBuf: bigint;
  recvSize: number;
  /** Blocked in ipc_recv or ipc_reply_recv, waiting for a request. */
  waiting: boolean;
}

interface Pending {
  client: Context;
  buf: bigint;
  count: number;
  fd: number;
}

interface State {
  drivers: Map<string, Driver>;
  files: Map<number, { path: string; pos: number }>;
  pending: Pending | undefined;
  /** The context now running in ring 3, when it is not the kernel's own process. */
  current: Context | undefined;
}

const states = new WeakMap<Kernel, State>();

/**
 * Starts `comm` as a user-space driver serving `path`: its own address space (a new PML4 sharing
 * the kernel's half), its program mapped, then it runs until it waits in ipc_recv().
 */
export function startUserspaceDriver(k: Kernel, comm: string, bytes: Uint8Array, path: string, maxSteps = 1_000_000): ToolResult {
  const elf = readElf(bytes);
  if (isElfError(elf)) return { status: 126, stderr: [`sh: ${comm}: ${elf.message}`] };
  if (elf.header.e_type !== 2) return { status: 126, stderr: [`sh: ${comm}: not a static executable (ET_EXEC)`] };
  const st = state(k);
  const m = k.m;
  const frame = () => Number(k.kzalloc(4096) - DIRECT_MAP); // a zeroed page from the kernel's allocator
  const tables = new PageTableBuilder(m.mem, frame);
  for (let i = 256; i < 512; i++) {
    // The kernel half of the address space is shared: the same PML4 entries.
    m.mem.write32(tables.root + i * 8, m.mem.read32(k.tables.root + i * 8));
    m.mem.write32(tables.root + i * 8 + 4, m.mem.read32(k.tables.root + i * 8 + 4));
  }
  const segments = elf.segmentsToLoad();
  for (const p of segments) {
    for (let page = p.vaddr - (p.vaddr % 4096n); page < p.vaddr + p.memsz; page += 4096n) {
      const f = frame();
      const v = split(page);
      tables.map(v.lo, v.hi, f, { user: true, writable: p.writable, executable: p.executable });
      for (let a = page > p.vaddr ? page : p.vaddr; a < page + 4096n && a < p.vaddr + BigInt(p.data.length); a++) m.mem.write8(f + Number(a - page), p.data[Number(a - p.vaddr)]!);
    }
  }
  for (let i = 1; i <= STACK_PAGES; i++) {
    const v = split(STACK_TOP - BigInt(i * 4096));
    tables.map(v.lo, v.hi, frame(), { user: true, writable: true, executable: false });
  }
  const pid = k.nextPid++;
  const mappings = segments.map((p) => ({ start: p.vaddr, end: p.vaddr + p.memsz }));
  const process: Kernel['process'] = { pid, comm, stdout: '', exitStatus: undefined, signal: undefined, mappings, faultIn: () => false };
  const regs = new Uint8Array(ptRegsSize()); // saved when it first calls ipc_recv
  const driver: Driver = { comm, pid, cr3: tables.root, regs, process, recvBuf: 0n, recvSize: 0, waiting: false };
  installIpc(k);
  // exec: RIP at e_entry, RSP below the stack top, ring 3.
  const kernelCr3 = m.s.cr3, kernelProcess = k.process;
  switchTo(k, driver, undefined);
  enterUserMode(k, comm, elf.header.e_entry, STACK_TOP - 8n);
  m.run(maxSteps);
  m.s.cr3 = kernelCr3;
  m.mmu.flush();
  k.process = kernelProcess;
  st.current = undefined;
  if (!driver.waiting) {
    return { status: 1, stderr: [`sh: ${comm} did not reach ipc_recv: ${(m.stopped as { detail: string } | undefined)?.detail ?? 'it ran out of steps'}`] };
  }
  st.drivers.set(path, driver);
  return { status: 0, stderr: [] };
}

function state(k: Kernel): State {
  let s = states.get(k);
  if (!s) states.set(k, (s = { drivers: new Map(), files: new Map(), pending: undefined, current: undefined }));
  return s;
}

/** Loads another address space and process: the context switch (switch_mm: a CR3 write flushes the TLB). */
function switchTo(k: Kernel, to: Context, from: Context | undefined) {
  const m = k.m;
  m.s.cr3 = to.cr3;
  m.mmu.flush();
  k.process = to.process;
  k.currentComm = to.comm;
  state(k).current = 'recvBuf' in to ? to : undefined;
  if (from) m.emit({ kind: 'kernel/context-switched', from: from.comm, to: to.comm, cr3: { lo: to.cr3 % 0x100000000, hi: Math.floor(to.cr3 / 0x100000000) } });
}

/**
 * do_syscall_64, the system-call dispatcher the entry code calls, gains the IPC calls and the
 * served nodes: every other call goes to the kernel's own (syscalls.ts) unchanged.
 */
const IPC_NAME = 'do_syscall_64 (with IPC)';
function installIpc(k: Kernel) {
  const m = k.m;
  const pa = k.physical(entrySymbol('do_syscall_64'));
  const own = m.hle.byAddress.get(pa)!;
  if (own.name === IPC_NAME) return;
  const ipc: HleFunction = {
    name: IPC_NAME,
    source: `${own.source}; the IPC calls: userspace-driver.ts (not Linux)`,
    convention: own.convention,
    body: (call: HleCall) => {
      const regsAt = join(call.arg(0));
      const r = ipcSyscall(k, call, regsAt);
      if (r === undefined) return own.body!(call);
      if (r !== 'blocked') {
        writePtReg(k, regsAt, 'ax', BigInt(r)); // the entry code's sysretq hands it over in RAX
        k.lastSyscallResult = r;
      }
      return undefined;
    },
  };
  m.hle.register(pa, ipc);
}

/** Saves the running context's pt_regs and puts another's in their place on the kernel stack. */
function swapPtRegs(k: Kernel, regsAt: bigint, from: Context, to: Context) {
  from.regs = Uint8Array.from(k.readBytes(regsAt, ptRegsSize()));
  k.writeBytes(regsAt, Array.from(to.regs));
}

/** The calls the IPC model answers (the result for regs->ax, or 'blocked'); undefined for the kernel's own. */
function ipcSyscall(k: Kernel, { m, arg: callArg }: HleCall, regsAt: bigint): number | 'blocked' | undefined {
  const st = state(k);
  const nr = callArg(1).lo | 0; // do_syscall_64(regs, int nr)
  const user = readPtRegs(k, regsAt); // the caller's registers, as entry_SYSCALL_64 saved them
  const caller: Context = st.current ?? { comm: k.currentComm, pid: k.process?.pid ?? 0, cr3: m.s.cr3, regs: new Uint8Array(ptRegsSize()), process: k.process };
  const entered = (name: string) => m.emit({ kind: 'kernel/syscall-entered', nr, name });
  if (nr === SYS_IPC_RECV || nr === SYS_IPC_REPLY_RECV) {
    const driver = st.current as Driver | undefined;
    if (!driver) throw new NotModelled(`IPC call ${nr} from a process that serves nothing`);
    entered(nr === SYS_IPC_RECV ? 'ipc_recv' : 'ipc_reply_recv');
    if (nr === SYS_IPC_REPLY_RECV) {
      const p = st.pending;
      if (!p) throw new NotModelled(`${driver.comm} replied with no request waiting`);
      const len = Number(BigInt.asIntN(64, user.si));
      const n = Math.max(0, Math.min(len, p.count));
      const data = n > 0 ? k.readBytes(user.di, n) : []; // from the driver's address space…
      driver.recvBuf = user.dx;
      driver.recvSize = Number(user.r10);
      driver.waiting = true;
      st.pending = undefined;
      switchTo(k, p.client, driver);
      swapPtRegs(k, regsAt, driver, p.client);
      m.emit({ kind: 'ipc/message-passed', from: driver.comm, to: p.client.comm, what: 'reply', bytes: n });
      if (n > 0) {
        k.writeBytes(p.buf, data); // …into the client's: one copy between the two address spaces
        m.emit({ kind: 'kernel/user-copied', from: driver.comm, to: p.client.comm, bytes: n, by: 'ipc_reply_recv' });
        st.files.get(p.fd)!.pos += n;
      }
      return len < 0 ? len : n;
    }
    driver.recvBuf = user.di;
    driver.recvSize = Number(user.si);
    driver.waiting = true;
    driver.regs = Uint8Array.from(k.readBytes(regsAt, ptRegsSize())); // where it resumes when a request comes
    // Nothing to receive and no other process to run: the CPU would idle.
    m.stop('halted', `${driver.comm} waits in ipc_recv for a request`);
    return 'blocked';
  }
  const served = (path: string) => st.drivers.get(path);
  if (nr === NR.openat) {
    const path = k.readCString(user.si);
    if (!served(path)) return undefined;
    entered('openat');
    let fd = 3;
    while (k.openFiles.has(fd) || st.files.has(fd)) fd++;
    st.files.set(fd, { path, pos: 0 });
    return fd;
  }
  const fd = Number(user.di & 0xffffffffn);
  const f = st.files.get(fd);
  if (!f || (nr !== NR.read && nr !== NR.close && nr !== NR.write && nr !== NR.ioctl)) return undefined;
  entered(nr === NR.read ? 'read' : nr === NR.close ? 'close' : nr === NR.write ? 'write' : 'ioctl');
  if (nr === NR.close) {
    st.files.delete(fd);
    return 0;
  }
  if (nr !== NR.read) return EINVAL; // the model's driver protocol has reads only
  const driver = served(f.path)!;
  if (st.pending || !driver.waiting) throw new NotModelled('a second request while one is being served');
  // The request message, written by the kernel into the driver's receive buffer.
  const count = Number(user.dx > 0x7fffffffn ? 0x7fffffffn : user.dx);
  const message = [REQ_READ, count, f.pos].flatMap((v) => le64(BigInt(v)));
  st.pending = { client: caller, buf: user.si, count, fd };
  driver.waiting = false;
  switchTo(k, driver, caller);
  swapPtRegs(k, regsAt, caller, driver);
  m.emit({ kind: 'ipc/message-passed', from: caller.comm, to: driver.comm, what: 'request', bytes: REQUEST_BYTES });
  const n = Math.min(REQUEST_BYTES, driver.recvSize);
  k.writeBytes(driver.recvBuf, message.slice(0, n));
  m.emit({ kind: 'kernel/user-copied', from: 'the kernel', to: driver.comm, bytes: n, by: 'the IPC send' });
  return n;
}

const le64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));

/** What one read() cost, counted from the events between its `syscall` and the client's next call. */
export interface ReadCounts {
  ringCrossings: number;
  contextSwitches: number;
  copies: number;
  bytesCopied: number;
  ipcMessages: number;
  instructionsRing0: number;
  /** Of those, the instructions of the kernel's entry and copy code (entry.ts): the rest is driver code. */
  instructionsEntryCode: number;
  instructionsRing3: number;
  kernelFunctions: number;
}

/**
 * Runs `body` traced and counts its first read() (undefined if it made none); the caller's log is
 * left as it was if it was not tracing.
 */
export function measureRead<R>(k: Kernel, body: () => R): { result: R; counts: ReadCounts | undefined } {
  const m = k.m;
  const tracing = m.trace, mark = m.log.length;
  m.trace = true;
  try {
    const result = body();
    return { result, counts: countRead(m.log.slice(mark)) };
  } finally {
    if (!tracing) {
      m.log.length = mark;
      m.trace = false;
    }
  }
}

const IPC_NAMES = new Set(['ipc_recv', 'ipc_reply_recv']);

/** The executable sections of the entry code (entry_SYSCALL_64 and the stubs, copy_user_*, _copy_to_user …). */
let entryCode: { segments: typeof ENTRY.segments; ranges: { start: bigint; end: bigint }[] } | undefined;
function inEntryCode(ip: bigint): boolean {
  const segments = ENTRY.segments;
  if (entryCode?.segments !== segments) entryCode = { segments, ranges: segments.filter((s) => s.executable).map((s) => ({ start: s.address, end: s.address + BigInt(s.bytes.length) })) };
  return entryCode.ranges.some((r) => ip >= r.start && ip < r.end);
}

/**
 * Counts the first read() in a list of events: from the ring change of its `syscall` to the ring
 * change of the client's next system call (IPC calls of the driver in between belong to the read).
 */
export function countRead(events: SimEvent[]): ReadCounts | undefined {
  const enteredAt = events.findIndex((e) => e.kind === 'kernel/syscall-entered' && e.name === 'read');
  if (enteredAt < 0) return undefined;
  const syscallBefore = (i: number) => {
    for (let j = i; j >= 0; j--) if (events[j]!.kind === 'cpu/ring-changed') return j;
    return i;
  };
  const start = syscallBefore(enteredAt);
  const next = events.findIndex((e, i) => i > enteredAt && e.kind === 'kernel/syscall-entered' && !IPC_NAMES.has(e.name));
  const end = next < 0 ? events.length : syscallBefore(next);
  const c: ReadCounts = { ringCrossings: 0, contextSwitches: 0, copies: 0, bytesCopied: 0, ipcMessages: 0, instructionsRing0: 0, instructionsEntryCode: 0, instructionsRing3: 0, kernelFunctions: 0 };
  for (const e of events.slice(start, end)) {
    if (e.kind === 'cpu/ring-changed') c.ringCrossings++;
    else if (e.kind === 'kernel/context-switched') c.contextSwitches++;
    else if (e.kind === 'kernel/user-copied') (c.copies++, (c.bytesCopied += e.bytes));
    else if (e.kind === 'ipc/message-passed') c.ipcMessages++;
    else if (e.kind === 'cpu/executed') {
      if (e.cpl !== 0) c.instructionsRing3++;
      else (c.instructionsRing0++, inEntryCode(join(e.rip)) && c.instructionsEntryCode++);
    }
    else if (e.kind === 'kernel/hle-entered') c.kernelFunctions++;
  }
  return c;
}

/** Documented figures that size the difference; nothing else is used, and each says where it is from. */
export const DOCUMENTED_COSTS = {
  l4Ipc: {
    cycles: 121,
    what: 'one IPC message between two address spaces on L4, direct cost, Intel Pentium',
    source: 'J. Liedtke, K. Elphinstone, S. Schönberg, H. Härtig, G. Heiser, N. Islam, T. Jaeger, "Achieved IPC Performance (Still the Foundation for Extensibility)", HotOS-VI, 1997, pp. 28–31 (abstract: "The direct costs range from 45 cycles (Alpha) to 121 cycles (Pentium)")',
  },
  l4Linux: {
    percent: 5,
    what: 'throughput lost by a whole Linux run as a user-space server on L4 (L4Linux) against native Linux, AIM multiuser benchmark',
    source: 'H. Härtig, M. Hohmuth, J. Liedtke, S. Schönberg, J. Wolter, "The Performance of µ-Kernel-Based Systems", SOSP 1997 (abstract: "only 5% lower than that of native Linux")',
  },
} as const;

export interface ReadComparison {
  monolithic: ReadCounts;
  userspace: ReadCounts;
  /** IPC cycles the user-space path adds: its messages × the documented L4 figure. */
  addedIpcCycles: number;
  costs: typeof DOCUMENTED_COSTS;
  text: string;
}

/** Both paths side by side, for the scenario's output and for widgets. */
export function compareReadPaths(monolithic: ReadCounts, userspace: ReadCounts): ReadComparison {
  const rows: [string, keyof ReadCounts][] = [
    ['ring crossings', 'ringCrossings'], ['context switches', 'contextSwitches'], ['copies', 'copies'], ['bytes copied', 'bytesCopied'],
    ['IPC messages', 'ipcMessages'], ['instructions in ring 0', 'instructionsRing0'], ['  of which the kernel\'s entry and copy code', 'instructionsEntryCode'], ['instructions in ring 3', 'instructionsRing3'], ['kernel functions entered (modelled)', 'kernelFunctions'],
  ];
  const addedIpcCycles = (userspace.ipcMessages - monolithic.ipcMessages) * DOCUMENTED_COSTS.l4Ipc.cycles;
  const lines = [
    'one read() of /dev/hello, counted from the emulator\'s events   hello.ko (ring 0)   hellod (ring 3, modelled IPC)',
    ...rows.map(([label, key]) => `${label.padEnd(62)} ${String(monolithic[key]).padStart(17)}   ${String(userspace[key]).padStart(29)}`),
    '',
    `IPC the user-space path adds: ${userspace.ipcMessages - monolithic.ipcMessages} messages × ${DOCUMENTED_COSTS.l4Ipc.cycles} cycles = ${addedIpcCycles} cycles`,
    `  (${DOCUMENTED_COSTS.l4Ipc.what}: ${DOCUMENTED_COSTS.l4Ipc.cycles} cycles [1]).`,
    `For scale, a whole system: ${DOCUMENTED_COSTS.l4Linux.what}: ${DOCUMENTED_COSTS.l4Linux.percent}% [2].`,
    'The emulator counts events; it does not time them. Only the figures above, with their sources, size them.',
    `[1] ${DOCUMENTED_COSTS.l4Ipc.source}`,
    `[2] ${DOCUMENTED_COSTS.l4Linux.source}`,
  ];
  return { monolithic, userspace, addedIpcCycles, costs: DOCUMENTED_COSTS, text: lines.join('\n') + '\n' };
}
