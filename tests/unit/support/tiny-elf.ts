// A minimal static x86-64 executable (ET_EXEC) for tests that need a user program the samples do
// not have: the code as one R-X PT_LOAD at 0x401000 and an empty RW- PT_LOAD (all .bss, nothing
// in the file) at 0x402000, so its page arrives only on first touch.
export const TEXT = 0x401000;
export const BSS = 0x402000;

export function tinyElf(code: number[], bssBytes = 0x1000): Uint8Array {
  const file = new Uint8Array(0x1000 + code.length);
  const v = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // ELFCLASS64, little-endian, EV_CURRENT
  v.setUint16(16, 2, true); // e_type ET_EXEC
  v.setUint16(18, 62, true); // e_machine EM_X86_64
  v.setUint32(20, 1, true); // e_version
  v.setBigUint64(24, BigInt(TEXT), true); // e_entry
  v.setBigUint64(32, 64n, true); // e_phoff
  v.setUint16(52, 64, true); // e_ehsize
  v.setUint16(54, 56, true); // e_phentsize
  v.setUint16(56, 2, true); // e_phnum
  v.setUint16(58, 64, true); // e_shentsize
  const phdr = (at: number, flags: number, offset: number, vaddr: number, filesz: number, memsz: number) => {
    v.setUint32(at, 1, true); // PT_LOAD
    v.setUint32(at + 4, flags, true);
    v.setBigUint64(at + 8, BigInt(offset), true);
    v.setBigUint64(at + 16, BigInt(vaddr), true);
    v.setBigUint64(at + 24, BigInt(vaddr), true);
    v.setBigUint64(at + 32, BigInt(filesz), true);
    v.setBigUint64(at + 40, BigInt(memsz), true);
    v.setBigUint64(at + 48, 0x1000n, true);
  };
  phdr(64, 5, 0x1000, TEXT, code.length, code.length); // R-X
  phdr(120, 6, 0x1000 + code.length, BSS, 0, bssBytes); // RW-, nothing from the file
  file.set(code, 0x1000);
  return file;
}

const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));

/**
 * A program that opens `path` with O_RDWR and makes one more system call on it, nr(fd, buf, len),
 * then exits with that call's result as its status (so -EFAULT, -14, exits with 242). Assembled by
 * GNU as from (Intel syntax):
 *     [mov byte ptr [touch], 0]            c6 04 25 <touch:4> 00     only if touch is given
 *     mov eax, 257                         b8 01 01 00 00            openat
 *     mov edi, -100                        bf 9c ff ff ff            AT_FDCWD
 *     lea rsi, [rip + path]                48 8d 35 <rel:4>
 *     mov edx, 2                           ba 02 00 00 00            O_RDWR
 *     xor r10d, r10d                       45 31 d2
 *     syscall                              0f 05
 *     mov edi, eax                         89 c7                     fd
 *     mov eax, nr                          b8 <nr:4>
 *     movabs rsi, buf                      48 be <buf:8>
 *     mov edx, len                         ba <len:4>
 *     syscall                              0f 05
 *     mov edi, eax                         89 c7
 *     mov eax, 231                         b8 e7 00 00 00            exit_group
 *     syscall                              0f 05
 *   path: .asciz path
 */
export function oneCallProgram(path: string, nr: number, buf: bigint, len: number, touch?: number): number[] {
  const pre = touch === undefined ? [] : [0xc6, 0x04, 0x25, ...le(BigInt(touch), 4), 0x00];
  const head = [0xb8, 0x01, 0x01, 0, 0, 0xbf, 0x9c, 0xff, 0xff, 0xff];
  const afterLea = [
    0xba, 0x02, 0, 0, 0, 0x45, 0x31, 0xd2, 0x0f, 0x05,
    0x89, 0xc7, 0xb8, ...le(BigInt(nr), 4), 0x48, 0xbe, ...le(buf, 8), 0xba, ...le(BigInt(len), 4), 0x0f, 0x05,
    0x89, 0xc7, 0xb8, 0xe7, 0, 0, 0, 0x0f, 0x05,
  ];
  const rel = afterLea.length; // path follows the code
  return [...pre, ...head, 0x48, 0x8d, 0x35, ...le(BigInt(rel), 4), ...afterLea, ...Array.from(path, (c) => c.charCodeAt(0)), 0];
}
