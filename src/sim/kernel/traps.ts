// Models: what Linux 6.1 sets up so that a fault reaches the kernel (cpu_init, trap_init: the GDT
// with Linux's selectors, the TSS with RSP0, the IDT gates of arch/x86/kernel/idt.c), and what
// the handlers do with a fault in user mode: exc_general_protection → show_signal() (traps.c) and
// exc_page_fault → show_signal_msg() with show_opcodes() (arch/x86/mm/fault.c, dumpstack.c), then
// SIGSEGV, which kills the process (status 128 + 11 as the shell reports it).
// Simplifies: the tables are written by TypeScript at boot instead of lgdt/lidt/ltr being executed;
// the exception entry stubs are emulated functions (the assembled ones arrive with issue 5); a
// fault in ring 0 goes to oops.ts.
import type { Kernel } from './kernel';
import type { HleFunction } from './hle';
import { NotModelled } from '../cpu/fault';
import { RAX, RSP } from '../cpu/state';
import { join, split } from './layout';
import { kernelFault } from './oops';

const GDT_AT = 0xffffffff84008000n, IDT_AT = 0xffffffff84009000n, TSS_AT = 0xffffffff8400a000n;
const EXC_ENTRIES = 0xffffffff83ffe000n;
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
const hex = (v: bigint) => v.toString(16);

/** Vectors with a handler: #DE, #UD, #GP, #PF (the faults the samples can cause from ring 3). */
const HANDLED: Record<number, { name: string; errorCode: boolean }> = {
  0: { name: 'asm_exc_divide_error', errorCode: false },
  6: { name: 'asm_exc_invalid_op', errorCode: false },
  13: { name: 'asm_exc_general_protection', errorCode: true },
  14: { name: 'asm_exc_page_fault', errorCode: true },
};

export function setUpTraps(k: Kernel, kernelStackTop: bigint) {
  const m = k.m;
  // GDT: Linux's layout (arch/x86/include/asm/segment.h), TSS descriptor at 0x40.
  const gdt = [0n, 0n, 0x00af9b000000ffffn, 0x00cf93000000ffffn, 0x00cffb000000ffffn, 0x00cff3000000ffffn, 0x00affb000000ffffn, 0n];
  const tssLow = 103n | ((TSS_AT & 0xffffffn) << 16n) | (0x89n << 40n) | (((TSS_AT >> 24n) & 0xffn) << 56n);
  k.writeBytes(GDT_AT, [...gdt.flatMap((d) => le(d, 8)), ...le(tssLow, 8), ...le(TSS_AT >> 32n, 8)]);
  m.s.gdtr = { base: split(GDT_AT), limit: 0x4f };
  // TSS: RSP0 = the kernel stack; no I/O bitmap (base beyond the limit).
  k.writeBytes(TSS_AT, [...le(0n, 4), ...le(kernelStackTop, 8), ...new Array(88).fill(0), ...le(0n, 2), ...le(104n, 2)]);
  m.s.tr = 0x40;
  m.s.tssBase = split(TSS_AT);
  m.s.tssLimit = 103;
  // IDT: an interrupt gate (type 0xe, DPL 0) for each handled vector.
  k.mapRange(EXC_ENTRIES, 4096, { writable: false, executable: true });
  const idt = new Array(256 * 16).fill(0);
  for (const [v, h] of Object.entries(HANDLED)) {
    const entry = EXC_ENTRIES + BigInt(Number(v) * 16);
    const gate = [...le(entry & 0xffffn, 2), 0x10, 0, 0, 0x8e, ...le((entry >> 16n) & 0xffffn, 2), ...le(entry >> 32n, 4), 0, 0, 0, 0];
    idt.splice(Number(v) * 16, 16, ...gate);
    m.hle.register(k.physical(entry), exceptionHandler(k, Number(v), h.name, h.errorCode));
  }
  k.writeBytes(IDT_AT, idt);
  m.s.idtr = { base: split(IDT_AT), limit: 256 * 16 - 1 };
}

function exceptionHandler(k: Kernel, vector: number, name: string, hasErrorCode: boolean): HleFunction {
  let resume: { ip: bigint; cs: bigint; rflags: bigint; sp: bigint; ss: bigint } | undefined;
  return {
    name,
    source: 'arch/x86/entry/entry_64.S, arch/x86/kernel/traps.c, arch/x86/mm/fault.c',
    convention: 'sysv',
    exit: (m) => {
      if (!resume) return; // the process was killed
      // iretq: back to the faulting instruction, which runs again with its page present.
      m.set64(RSP, split(resume.sp));
      m.s.rflags = Number(resume.rflags);
      m.s.cs = Number(resume.cs);
      m.s.ss = Number(resume.ss);
      m.nextLo = split(resume.ip).lo;
      m.nextHi = split(resume.ip).hi;
      if ((resume.cs & 3n) === 3n) m.emit({ kind: 'cpu/ring-changed', from: 0, to: 3, cause: 'iret' });
      resume = undefined;
    },
    body: ({ m }) => {
      const rsp = join(m.get64(RSP));
      const word = (i: number) => k.read64(rsp + BigInt(i * 8)) ?? 0n;
      const base = hasErrorCode ? 1 : 0;
      const error = hasErrorCode ? word(0) : 0n;
      const ip = word(base), cs = word(base + 1), sp = word(base + 3);
      if ((cs & 3n) !== 3n) {
        // A fault in ring 0: the kernel's own handling, usually an oops that kills the task (oops.ts).
        const frame = { error, ip, cs, flags: word(base + 2), sp, ss: word(base + 4) };
        if (kernelFault(k, vector, frame) === 'resume') resume = { ip, cs, rflags: frame.flags, sp, ss: frame.ss };
        return m.get64(RAX);
      }
      if (!k.process) throw new NotModelled(`${name} from a process the model runs without a program (a modelled tool) is not modelled`);
      const p = k.process;
      const where = vmaOf(k, ip);
      if (vector === 14) {
        const address = join(m.s.cr2);
        // do_user_addr_fault(): a not-present page inside a VMA that allows the access is paged in.
        const access = error & 0x10n ? 'exec' : error & 2n ? 'write' : 'read';
        if ((error & 1n) === 0n && p.faultIn(address, access)) {
          resume = { ip, cs, rflags: word(base + 2), sp, ss: word(base + 4) };
          return m.get64(RAX); // the user's RAX, untouched
        }
        // show_signal_msg(): KERN_INFO for PIDs above 1; the %px values are zero-padded.
        k.printk(6, `${p.comm}[${p.pid}]: segfault at ${hex(address)} ip ${ip.toString(16).padStart(16, '0')} sp ${sp.toString(16).padStart(16, '0')} error ${hex(error)}${where} likely on CPU 0 (core 0, socket 0)`);
        k.printk(6, showOpcodes(k, ip));
      } else {
        const desc = vector === 13 ? 'general protection fault' : vector === 6 ? 'invalid opcode' : 'divide error';
        // show_signal(): pr_info with traps.c's pr_fmt "traps: ".
        k.printk(6, `traps: ${p.comm}[${p.pid}] ${desc} ip:${hex(ip)} sp:${hex(sp)} error:${hex(error)}${where}`);
      }
      p.signal = 'SIGSEGV';
      p.exitStatus = 128 + 11;
      m.stop('exited', `${p.comm}[${p.pid}] was killed by SIGSEGV`);
      return 0;
    },
  };
}

/** print_vma_addr(" in ", ip): " in <file>[<start>+<size>]" for the mapping holding ip. */
function vmaOf(k: Kernel, ip: bigint): string {
  const p = k.process!;
  const v = p.mappings.find((r) => ip >= r.start && ip < r.end);
  if (!v) return '';
  const start = v.start - (v.start % 4096n);
  const end = v.end + ((4096n - (v.end % 4096n)) % 4096n);
  return ` in ${p.comm}[${hex(start)}+${hex(end - start)}]`;
}

/**
 * show_opcodes(): 42 bytes before ip, the byte at ip in <>, 21 after. It reads with
 * copy_from_user_nmi(), which never pages anything in: if any of the 64 bytes is on a page the
 * program has not touched, the line says so instead.
 */
export function showOpcodes(k: Kernel, ip: bigint): string {
  const start = ip - 42n;
  for (let page = start - (start % 4096n); page < start + 64n; page += 4096n) {
    if (!k.userPages.has(page)) return `Code: Unable to access opcode bytes at 0x${hex(start)}.`;
  }
  const bytes = k.readBytes(start, 64).map((b) => b.toString(16).padStart(2, '0'));
  return `Code: ${bytes.slice(0, 42).join(' ')} <${bytes[42]}> ${bytes.slice(43).join(' ')}`;
}
