// Models: a user process as Linux 6.1 starts and ends it — load_elf_binary() (fs/binfmt_elf.c)
// setting up a VMA for each PT_LOAD segment with its p_flags, a user stack below 0x7ffffffff000
// (STACK_TOP with randomize_va_space=0), a PID, RIP at e_entry in ring 3; its pages arriving on
// first touch (handle_mm_fault() reading the file's page in); and its end by exit_group() or by a
// fatal signal.
// Simplifies: one process at a time in the kernel's own page tables (no fork, no separate mm);
// argc and argv are built only when the caller passes arguments (no envp strings, no auxv but its
// AT_NULL end), and the stack is mapped whole at exec; PIDs count up from PID_BASE.
import { readElf } from '../elf/read-elf'; // not the barrel (../elf): its module readers stay out of the emulator's main chunk
import { isElfError } from '../elf/errors';
import type { ElfProgramHeader } from '../elf/types';
import { RSP } from '../cpu/state';
import type { Kernel } from './kernel';
import { split } from './layout';
import { takeKilled } from './oops-state';
import { setUserGs } from './entry';

export const PID_BASE = 100;
const STACK_TOP = 0x7ffffffff000n;
const STACK_PAGES = 8;

export interface ProcessResult {
  pid: number;
  /** Exit status as the shell shows it: the exit code, or 128 + the signal number. */
  status: number;
  signal?: 'SIGSEGV' | 'SIGKILL';
  stdout: string;
  /** Why the run ended, if not by exit or signal (a machine stop). */
  stopped?: string;
}

export function runProgram(k: Kernel, comm: string, file: Uint8Array, maxSteps = 5_000_000, argv?: string[]): ProcessResult | { error: string } {
  const elf = readElf(file);
  if (isElfError(elf)) return { error: `${comm}: ${elf.message}` };
  if (elf.header.e_type !== 2) return { error: `${comm}: not a static executable (ET_EXEC)` };
  const pid = k.nextPid++;
  const segments = elf.segmentsToLoad();
  newAddressSpace(k);
  mapUser(k, STACK_TOP - BigInt(STACK_PAGES * 4096), STACK_PAGES * 4096, { writable: true, executable: false });
  const m = k.m;
  const mappings = segments.map((p) => ({ start: p.vaddr, end: p.vaddr + p.memsz }));
  k.process = { pid, comm, stdout: '', exitStatus: undefined, signal: undefined, mappings, faultIn: (address, access) => faultIn(k, segments, address, access) };
  enterUserMode(k, comm, elf.header.e_entry, argv ? pushArgv(k, argv) : STACK_TOP - 8n);
  m.run(maxSteps);
  const p = k.process;
  k.process = undefined;
  takeKilled(k); // a task an oops killed is reaped here (its status says so)
  const stopped = m.stopped as { reason: string; detail: string } | undefined;
  if (p.exitStatus === undefined) return { pid, status: -1, stdout: p.stdout, stopped: stopped?.detail ?? `it was stopped after its limit of ${maxSteps.toLocaleString('en')} instructions` };
  return { pid, status: p.exitStatus, stdout: p.stdout, ...(p.signal ? { signal: p.signal } : {}) };
}

/**
 * create_elf_tables(): the strings at the top of the stack, then (16-byte aligned, downwards)
 * AT_NULL, the envp NULL, the argv pointers and their NULL, and argc, where RSP points at entry.
 */
function pushArgv(k: Kernel, argv: string[]): bigint {
  let at = STACK_TOP - 8n;
  const pointers: bigint[] = [];
  for (const a of argv) {
    const bytes = [...Array.from(a, (c) => c.charCodeAt(0) & 0xff), 0];
    at -= BigInt(bytes.length);
    k.writeBytes(at, bytes);
    pointers.push(at);
  }
  const words = [BigInt(argv.length), ...pointers, 0n, 0n, 0n, 0n]; // argc, argv, NULL, envp NULL, AT_NULL
  const sp = (at - BigInt(words.length * 8)) & ~15n;
  words.forEach((w, i) => k.writeBytes(sp + BigInt(8 * i), Array.from({ length: 8 }, (_, b) => Number((w >> BigInt(8 * b)) & 0xffn))));
  return sp;
}

/** exec tears down the old address space: no page of an earlier program stays present. */
export function newAddressSpace(k: Kernel) {
  for (const page of k.userPages) k.unmapPage(page, 'exec (the old program\'s address space is torn down)');
  k.userPages.clear();
}

/** Maps present user pages of the new program (zeroed), remembering them for the next exec. */
export function mapUser(k: Kernel, start: bigint, bytes: number, flags: { writable: boolean; executable: boolean }, by = 'exec') {
  k.mapRange(start, bytes, { ...flags, user: true }, by);
  for (let off = 0; off < bytes; off += 4096) k.userPages.add(start + BigInt(off));
}

/**
 * handle_mm_fault() for a not-present page of the program: if a segment's VMA covers the address
 * and allows the access, maps the page and fills it from the file (the part past p_filesz is
 * zero: .bss). False if no VMA allows it — the fault becomes SIGSEGV.
 */
function faultIn(k: Kernel, segments: ElfProgramHeader[], address: bigint, access: 'read' | 'write' | 'exec'): boolean {
  const vma = segments.find((p) => address >= p.vaddr - (p.vaddr % 4096n) && address < p.vaddr + p.memsz);
  if (!vma || (access === 'write' && !vma.writable) || (access === 'exec' && !vma.executable)) return false;
  const page = address - (address % 4096n);
  mapUser(k, page, 4096, { writable: vma.writable, executable: vma.executable }, 'handle_mm_fault');
  for (const p of segments) {
    const from = p.vaddr > page ? p.vaddr : page;
    const to = p.vaddr + BigInt(p.data.length) < page + 4096n ? p.vaddr + BigInt(p.data.length) : page + 4096n;
    if (from < to) k.writeBytes(from, p.data.subarray(Number(from - p.vaddr), Number(to - p.vaddr)));
  }
  return true;
}

/**
 * The state the kernel's return to a new user task leaves (start_thread(): RIP, RSP, the user
 * code and stack selectors, IF set, the user's GS), ready for m.run(); the task is `comm`.
 */
export function enterUserMode(k: Kernel, comm: string, rip: bigint, rsp: bigint): void {
  const m = k.m;
  m.set64(RSP, split(rsp));
  m.s.rip = split(rip);
  m.s.cs = 0x33;
  m.s.ss = 0x2b;
  m.s.rflags = 0x202;
  setUserGs(k); // as the kernel's last return to user space left GS (swapgs)
  m.s.halted = false;
  m.stopped = undefined;
  k.currentComm = comm;
}
