import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/cli/kernel-data';
import { runProgram } from '../../src/sim/kernel/process';
import { insmodTool, mknodTool } from '../../src/sim/kernel/user-tools';
import { mapUser, newAddressSpace } from '../../src/sim/kernel/process';
import { ENTRY, entrySymbol, entrySymbolAt, irqEntry, perCpu, defineEntryHle, setUserGs } from '../../src/sim/kernel/entry';
import { readPtRegs, ptRegsOffset } from '../../src/sim/kernel/pt-regs';
import { decode } from '../../src/sim/cpu/decode';
import { formatIntel } from '../../src/sim/cpu/disasm';
import { isModelled } from '../../src/sim/cpu/execute';
import { RAX, RSP } from '../../src/sim/cpu/state';
import { AC } from '../../src/sim/cpu/flags';
import { ENTRY_TEXT, KERNEL_TEXT, KERNEL_DATA, PER_CPU, STACK_CANARY_OFFSET, join, split } from '../../src/sim/kernel/layout';
import { parseListing, withoutSymbols } from '../golden/decode/objdump-listing';
import { describe as sentence } from '../../src/sim/events';
import { BSS, oneCallProgram, tinyElf } from './support/tiny-elf';

// The kernel's entry code is real machine code (samples/kernel/entry_64.S, assembled by GNU as and
// linked by ld through samples/kernel/build.sh into src/sim/data/kernel-entry.json). These tests
// check that the committed data is that source's, that the emulator reads it as objdump does, and
// that the system-call, exception and user-copy paths really run through it.

const sample = (name: string) => new Uint8Array(readFileSync(`public/samples/${name}`));
const hex64 = (v: bigint) => v.toString(16).padStart(16, '0');
const EFAULT = 14;

describe('the committed entry code', () => {
  it('was made from the committed source and linker script (SHA-256 recorded by build.sh)', () => {
    for (const path of ['samples/kernel/entry_64.S', 'samples/kernel/entry.ld']) {
      expect(ENTRY.sources[path], path).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
    expect(ENTRY.toolchain).toMatch(/GNU assembler .* 2\.40; GNU ld .* 2\.40/);
  });

  const listing = parseListing(readFileSync('tests/golden/entry/entry_64.objdump.txt', 'utf8'));

  it('is listed by objdump byte for byte: every executable byte, and no other', () => {
    const listed = new Map<string, number>();
    for (const run of listing) for (const insn of run.insns) insn.bytes.forEach((b, i) => listed.set(hex64(BigInt('0x' + insn.address) + BigInt(i)), b));
    let executable = 0;
    for (const seg of ENTRY.segments.filter((s) => s.executable)) {
      seg.bytes.forEach((b, i) => {
        expect(listed.get(hex64(seg.address + BigInt(i))), `${seg.name}+${i}`).toBe(b);
        executable++;
      });
    }
    expect(listed.size).toBe(executable);
  });

  it("is decoded by the emulator exactly as objdump -d -M intel lists it, and every instruction has semantics", () => {
    const wrong: string[] = [];
    let count = 0;
    for (const run of listing) {
      for (const insn of run.insns) {
        const r = decode(insn.bytes, 0, insn.lo, insn.hi);
        count++;
        if (!r.ok) wrong.push(`${insn.address}: ${insn.text} (${r.failure.kind})`);
        else if (formatIntel(r.insn) !== withoutSymbols(insn.text)) wrong.push(`${insn.address}: objdump ${withoutSymbols(insn.text)}, decoder ${formatIntel(r.insn)}`);
        else if (!isModelled(r.insn)) wrong.push(`${insn.address}: ${insn.text} has no semantics`);
      }
    }
    expect(count).toBeGreaterThan(700);
    expect(wrong).toEqual([]);
  });

  it('links _copy_to_user, _copy_from_user and __x86_return_thunk at the real kernel addresses', () => {
    const real = JSON.parse(readFileSync('src/sim/data/kernel-addresses.json', 'utf8')).symbols;
    const k = bootKernel();
    for (const name of ['_copy_to_user', '_copy_from_user', '__x86_return_thunk']) {
      expect(hex64(entrySymbol(name)), name).toBe(real[name].address);
      expect(k.symbols.get(name)?.address, name).toBe(entrySymbol(name)); // what modules link against
      expect(k.m.hle.byAddress.has(k.physical(entrySymbol(name))), `${name} is code, not an HLE point`).toBe(false);
    }
    expect([...k.readBytes(entrySymbol('__x86_return_thunk'), 2)]).toEqual([0xc3, 0xcc]); // ret; int3
  });

  it('sits at ENTRY_TEXT, clear of the HLE slots and kernel data, with the per-CPU layout the kernel uses', () => {
    expect(entrySymbol('entry_SYSCALL_64')).toBe(ENTRY_TEXT);
    const k = bootKernel();
    const lastSlot = [...k.symbols.values()].filter((s) => s.kind === 'function' && s.address >= KERNEL_TEXT && s.address < ENTRY_TEXT).reduce((a, s) => (s.address > a ? s.address : a), 0n);
    expect(lastSlot).toBeGreaterThan(KERNEL_TEXT);
    for (const s of ENTRY.segments.filter((x) => x.address >= KERNEL_TEXT)) {
      expect(s.address).toBeGreaterThan(lastSlot);
      expect(s.address + BigInt(s.bytes.length)).toBeLessThan(KERNEL_DATA);
    }
    // fixed_percpu_data first: gcc's stack protector reads the canary at %gs:0x28.
    expect(BigInt(ENTRY.percpu['fixed_percpu_data']!) + 0x28n).toBe(STACK_CANARY_OFFSET);
    expect(join(k.m.s.tssBase)).toBe(perCpu('cpu_tss_rw'));
    expect(k.read64(perCpu('cpu_current_top_of_stack'))).toBe(join(k.m.get64(RSP))); // the task's stack top
    expect(ENTRY.ptRegs).toMatchObject({ R15: 0, RDI: 112, ORIG_RAX: 120, RIP: 128, CS: 136, EFLAGS: 144, RSP: 152, SS: 160, FRAME_SIZE: 168 });
  });

  it('names addresses inside it as %pS does', () => {
    // The return address of the call to do_syscall_64, as 6.1's call traces show it
    // (the real one is entry_SYSCALL_64_after_hwframe+0x6e/0xd8: a longer routine).
    const after = entrySymbol('entry_SYSCALL_64_after_hwframe');
    const size = entrySymbol('syscall_return_via_sysret') - after;
    const call = /^ *([0-9a-f]+):\t((?:[0-9a-f]{2} )+)\s*\tcall +[0-9a-f]+ <do_syscall_64>$/m.exec(readFileSync('tests/golden/entry/entry_64.objdump.txt', 'utf8'))!;
    const ret = BigInt('0x' + call[1]) + BigInt(call[2]!.trim().split(' ').length);
    expect(entrySymbolAt(ret)).toBe(`entry_SYSCALL_64_after_hwframe+0x${(ret - after).toString(16)}/0x${size.toString(16)}`);
    expect(entrySymbolAt(entrySymbol('_copy_to_user') + 3n)).toBe('_copy_to_user+0x3/0x25');
    expect(entrySymbolAt(entrySymbol('__x86_return_thunk') + 2n)).toBeUndefined();
  });
});

/** A user stub at 0x401000 in a fresh address space: `syscall; jmp $`, with every register set. */
function stubWithRegisters(k: ReturnType<typeof bootKernel>) {
  newAddressSpace(k);
  mapUser(k, 0x401000n, 4096, { writable: false, executable: true });
  mapUser(k, 0x7ffffffde000n, 4096, { writable: true, executable: false });
  k.writeBytes(0x401000n, [0x0f, 0x05, 0xeb, 0xfe]);
  const m = k.m;
  const user: bigint[] = [];
  for (let r = 0; r < 16; r++) {
    const v = r === RAX ? 39n /* getpid */ : r === RSP ? 0x7ffffffdeff0n : 0x0101010101010101n * BigInt(r) + 0x1000n;
    user.push(v);
    m.set64(r, split(v));
  }
  m.s.rip = split(0x401000n);
  m.s.cs = 0x33;
  m.s.ss = 0x2b;
  m.s.rflags = 0x246;
  setUserGs(k);
  return user;
}

function stepUntil(k: ReturnType<typeof bootKernel>, done: () => boolean, limit = 500) {
  for (let i = 0; i < limit && !done(); i++) k.m.step();
  expect(done()).toBe(true);
}

describe('entry_SYSCALL_64 as executed instructions', () => {
  it('swaps GS, builds pt_regs on the per-CPU kernel stack, and sysretq returns to the right RIP and RSP', () => {
    const k = bootKernel();
    const m = k.m;
    m.trace = true;
    const user = stubWithRegisters(k);
    const doSyscall = entrySymbol('do_syscall_64');
    stepUntil(k, () => join(m.s.rip) === doSyscall);

    // swapgs ran: the per-CPU area is the GS base, the user's (0) waits in KERNEL_GS_BASE.
    expect(join(m.s.gsBase)).toBe(PER_CPU);
    expect(join(m.s.kernelGsBase)).toBe(0n);
    const top = k.read64(perCpu('cpu_current_top_of_stack'))!;
    const regsAt = top - 168n;
    expect(join(m.get64(RSP))).toBe(regsAt - 8n); // pt_regs, then do_syscall_64's return address
    expect(join(m.get64(7 /* rdi */))).toBe(regsAt);
    expect(join(m.get64(6 /* rsi */))).toBe(39n);
    // The bytes of struct pt_regs, field by field at the offsets of asm/ptrace-abi.h.
    const bytes = k.readBytes(regsAt, 168);
    const at = (off: number) => bytes.slice(off, off + 8).reduceRight((v, b) => (v << 8n) | BigInt(b), 0n);
    const expected: Record<string, bigint> = {
      r15: user[15]!, r14: user[14]!, r13: user[13]!, r12: user[12]!, bp: user[5]!, bx: user[3]!, r11: 0x246n /* RFLAGS, by syscall */, r10: user[10]!, r9: user[9]!, r8: user[8]!,
      ax: BigInt.asUintN(64, -38n) /* -ENOSYS */, cx: 0x401002n /* RIP, by syscall */, dx: user[2]!, si: user[6]!, di: user[7]!,
      orig_ax: 39n, ip: 0x401002n, cs: 0x33n, flags: 0x246n, sp: user[4]!, ss: 0x2bn,
    };
    for (const [f, v] of Object.entries(expected)) expect(hex64(at(ptRegsOffset(f as keyof ReturnType<typeof readPtRegs>))), f).toBe(hex64(v));

    stepUntil(k, () => m.cpl === 3);
    expect(join(m.s.rip)).toBe(0x401002n);
    expect(join(m.get64(RSP))).toBe(user[4]);
    expect(join(m.get64(RAX))).toBe(1n); // getpid() with no process: the modelled answer
    for (const r of [2, 3, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15]) expect(hex64(join(m.get64(r))), `register ${r}`).toBe(hex64(user[r]!));
    expect(join(m.s.gsBase)).toBe(0n);
    expect(join(m.s.kernelGsBase)).toBe(PER_CPU);
    const executed = m.log.filter((e) => e.kind === 'cpu/executed').map(sentence);
    expect(executed.filter((s) => s.includes('swapgs'))).toHaveLength(2);
    expect(executed.at(-1)).toMatch(/^Ring 0 executes sysretq at/);
  });
});

describe('copy_to_user and copy_from_user as executed instructions', () => {
  function helloKernel() {
    const k = bootKernel();
    expect(insmodTool(k, 'hello.ko', sample('hello.ko'), '').status).toBe(0);
    expect(mknodTool(k, '/dev/hello', [...k.chrdevs.devices.keys()][0]!, 0).status).toBe(0);
    return k;
  }

  it('read() into a not-yet-present user page: #PF in ring 0 inside rep movsb, paged in, copy resumed', () => {
    const k = helloKernel();
    k.m.trace = true;
    const r = runProgram(k, 'read-hello', tinyElf(oneCallProgram('/dev/hello', 0, BigInt(BSS), 64)));
    expect(r).toMatchObject({ status: 19 }); // "Hello from ring 0!\n"
    expect(String.fromCharCode(...k.readBytes(BigInt(BSS), 19))).toBe('Hello from ring 0!\n');
    const movsb = entrySymbol('copy_user_enhanced_fast_string') + 5n;
    const faults = k.m.log.filter((e) => e.kind === 'cpu/faulted' && e.vector === 14 && join(e.rip) === movsb);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ errorCode: 2 }); // a write, page not present, from ring 0
    expect(k.m.log.some((e) => e.kind === 'kernel/exception-fixed-up')).toBe(false);
    const executed = k.m.log.filter((e) => e.kind === 'cpu/executed' && join(e.rip) === movsb);
    expect(executed.length).toBe(1); // the faulting attempt is not an executed instruction; the retry is
  });

  it('read() with a bad user pointer returns -EFAULT through the exception table fix-up', () => {
    const k = helloKernel();
    k.m.trace = true;
    const BAD = 0x10000n; // below every VMA of the program
    const r = runProgram(k, 'read-bad', tinyElf(oneCallProgram('/dev/hello', 0, BAD, 64)));
    expect(r).toMatchObject({ status: 256 - EFAULT });
    const log = k.m.log;
    const fixups = log.filter((e) => e.kind === 'kernel/exception-fixed-up');
    const [first, tail] = ENTRY.exTable;
    // rep movsb faults, goes to its fix-up; the tail handler's rep movsb faults again, and ends the copy.
    expect(fixups.map((e) => [join(e.ip), join(e.fixup), e.type])).toEqual([
      [first!.insn, first!.fixup, 'EX_TYPE_COPY'],
      [tail!.insn, tail!.fixup, 'EX_TYPE_COPY'],
    ]);
    const pf = log.filter((e) => e.kind === 'cpu/faulted' && e.vector === 14 && e.rip.hi === 0xffffffff); // in ring 0
    expect(pf.map((e) => e.kind === 'cpu/faulted' && join(e.cr2!))).toEqual([BAD, BAD]);
    // _copy_to_user returned 19 bytes not copied (of 19), with AC cleared by the tail's clac.
    const ret = log.findIndex((e) => e.kind === 'kernel/hle-returned' && e.name === 'simple_read_from_buffer');
    expect(log[ret]).toMatchObject({ result: split(BigInt.asUintN(64, -14n)) });
    const last = log.slice(0, ret).filter((e) => e.kind === 'cpu/executed').slice(-5).map((e) => sentence(e).replace(/^Ring 0 executes (.*) at .*$/, '$1'));
    expect(last).toEqual(['mov eax,ecx', 'clac', 'ret', 'mov eax,eax', 'ret']); // the tail's return, then _copy_to_user's
    expect(k.m.s.rflags & AC).toBe(0);
  });

  it('an address outside user space is refused by access_ok() before any access', () => {
    const k = helloKernel();
    k.m.trace = true;
    const r = runProgram(k, 'read-kernel-addr', tinyElf(oneCallProgram('/dev/hello', 0, 0xffff888000000000n, 64)));
    expect(r).toMatchObject({ status: 256 - EFAULT });
    expect(k.m.log.some((e) => e.kind === 'cpu/faulted' && e.rip.hi === 0xffffffff)).toBe(false); // none in ring 0
    expect(k.m.log.some((e) => e.kind === 'cpu/executed' && join(e.rip) === entrySymbol('copy_user_enhanced_fast_string'))).toBe(false);
  });

  it('without stac, the same copy is refused by SMAP: it is the stac that lets ring 0 write the user page', () => {
    const k = helloKernel();
    const stacAt = entrySymbol('copy_user_enhanced_fast_string');
    expect(k.readBytes(stacAt, 3)).toEqual([0x0f, 0x01, 0xcb]); // stac
    k.writeBytes(stacAt, [0x0f, 0x1f, 0x00]); // nop DWORD PTR [rax]: the same length, no AC
    k.m.trace = true;
    // The program touches its buffer first, so the page is present and only SMAP can object.
    const r = runProgram(k, 'read-no-stac', tinyElf(oneCallProgram('/dev/hello', 0, BigInt(BSS), 64, BSS)));
    expect('status' in r && r.status).not.toBe(19);
    const movsb = stacAt + 5n;
    const smap = k.m.log.find((e) => e.kind === 'cpu/faulted' && e.vector === 14 && join(e.rip) === movsb);
    expect(smap).toMatchObject({ errorCode: 3, reason: expect.stringMatching(/SMAP/) }); // present, write, ring 0
    expect(k.readBytes(BigInt(BSS), 5)).toEqual([0, 0, 0, 0, 0]);
    expect(k.m.log.some((e) => e.kind === 'kernel/exception-fixed-up')).toBe(false); // no extable rescue for SMAP
  });

  it('write() from a bad pointer: _copy_from_user fails, hellorw_write returns -EFAULT', () => {
    const k = bootKernel();
    insmodTool(k, 'hellorw.ko', sample('hellorw.ko'), '');
    mknodTool(k, '/dev/hellorw', [...k.chrdevs.devices.keys()][0]!, 0);
    k.m.trace = true;
    const r = runProgram(k, 'write-bad', tinyElf(oneCallProgram('/dev/hellorw', 1, 0x10000n, 10)));
    expect(r).toMatchObject({ status: 256 - EFAULT });
    expect(k.m.log.filter((e) => e.kind === 'kernel/exception-fixed-up')).toHaveLength(2);
  });
});

describe('the IDT and its stubs', () => {
  it('points every gate at its entry stub (#BP with DPL 3, #DF on IST1) and external vectors at irq_entries_start', () => {
    const k = bootKernel();
    const gate = (v: number) => {
      const b = k.readBytes(join(k.m.s.idtr.base) + BigInt(v * 16), 16);
      const target = BigInt(b[0]! | (b[1]! << 8)) | (BigInt(b[6]! | (b[7]! << 8)) << 16n) | (BigInt((b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24)) >>> 0) << 32n);
      return { target, ist: b[4]! & 7, dpl: (b[5]! >> 5) & 3, type: b[5]! & 0xf };
    };
    expect(gate(14)).toEqual({ target: entrySymbol('asm_exc_page_fault'), ist: 0, dpl: 0, type: 0xe });
    expect(gate(13)).toEqual({ target: entrySymbol('asm_exc_general_protection'), ist: 0, dpl: 0, type: 0xe });
    expect(gate(3)).toEqual({ target: entrySymbol('asm_exc_int3'), ist: 0, dpl: 3, type: 0xe });
    expect(gate(8)).toEqual({ target: entrySymbol('asm_exc_double_fault'), ist: 1, dpl: 0, type: 0xe });
    // 0x20 is IRQ_MOVE_CLEANUP_VECTOR, a system vector whose own stub is not modelled: no gate.
    expect(k.readBytes(join(k.m.s.idtr.base) + 0x20n * 16n, 16).every((b) => b === 0)).toBe(true);
    expect(gate(0x21).target).toBe(entrySymbol('irq_entries_start') + 8n);
    expect(gate(0x41).target).toBe(irqEntry(0x41));
    expect(k.readBytes(irqEntry(0x41), 2)).toEqual([0x6a, 0x41]); // push $0x41
  });

  it('an interrupt in ring 3 runs asm_common_interrupt → common_interrupt(regs, vector) and irets back untouched', () => {
    const k = bootKernel();
    const m = k.m;
    const user = stubWithRegisters(k);
    k.writeBytes(0x401000n, [0xeb, 0xfe]); // jmp $ in ring 3
    const seen: { vector: number; ip: bigint; cs: bigint; gs: bigint }[] = [];
    defineEntryHle(k, 'common_interrupt', 'arch/x86/kernel/irq.c', ({ arg }) => {
      const regs = readPtRegs(k, join(arg(0)));
      seen.push({ vector: arg(1).lo & 0xff, ip: regs.ip, cs: regs.cs, gs: join(m.s.gsBase) });
      m.apic.endOfInterrupt();
    });
    m.step();
    m.apic.raise(0x41);
    stepUntil(k, () => seen.length === 1);
    stepUntil(k, () => m.cpl === 3);
    expect(seen).toEqual([{ vector: 0x41, ip: 0x401000n, cs: 0x33n, gs: PER_CPU }]);
    expect(join(m.s.rip)).toBe(0x401000n);
    for (const r of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) expect(hex64(join(m.get64(r))), `register ${r}`).toBe(hex64(user[r]!));
    expect(join(m.s.gsBase)).toBe(0n);
  });

  it('a double fault arrives on the IST1 stack and reaches exc_double_fault through paranoid_entry', () => {
    const k = bootKernel();
    const m = k.m;
    m.trace = true;
    // Ring 0 with an unusable stack: int3 cannot push its frame (#PF), nor can the #PF (→ #DF).
    k.mapRange(0xffffffff83f00000n, 4096, { writable: false, executable: true });
    k.writeBytes(0xffffffff83f00000n, [0xcc]);
    m.s.rip = split(0xffffffff83f00000n);
    m.set64(RSP, split(0xffffc90000100000n)); // unmapped
    m.run(200);
    expect(m.stopped?.detail).toBe('exc_double_fault (vector 8) is not modelled');
    const dfStack = perCpu('exception_stacks');
    const rsp = join(m.get64(RSP));
    expect(rsp > dfStack && rsp < dfStack + 4096n).toBe(true);
    expect(m.log.some((e) => e.kind === 'cpu/executed' && sentence(e).includes('rdmsr'))).toBe(true);
  });
});

