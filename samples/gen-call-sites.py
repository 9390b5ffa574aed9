#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-call-sites.py - the real kernel's return addresses for the oops call traces.

The emulated kernel's own functions (vfs_read, do_init_module, do_syscall_64, ...) are TypeScript,
not machine code, so they leave no return addresses on the emulated stack. When a driver oopses,
the model's unwinder prints, for each such function in progress, the return address of its real
call into the next one, as "name+off/size" -- taken from the real Debian kernel by this script:

    samples/gen-call-sites.py [/boot/vmlinuz-6.1.0-56-amd64] > src/sim/data/call-sites.json

1. extracts vmlinux from the bzImage (the xz stream after the setup code, as
   scripts/extract-vmlinux does);
2. reads the kernel's own symbol table, kallsyms, out of vmlinux's .rodata (Debian's
   /boot/System.map is a placeholder; kallsyms is what the running kernel's %pB uses, so each
   function's size is what the oops prints: the distance to the next kallsyms address);
3. disassembles each function of CHAINS below with objdump and finds the call it makes into the
   next function: a direct call by target, or an indirect call (retpoline thunk) by the
   file_operations/module field its target register was loaded from. Each step must match exactly
   one instruction (or name which one and why); tail calls (jmp) are checked too and print no frame.

It also records the "Hardware name:" line of the real oops transcripts (the QEMU PC's DMI string).
Needs python3 (stdlib), objdump (binutils) and the kernel image; the tests need only the JSON.
"""
import bisect
import hashlib
import json
import lzma
import os
import re
import struct
import subprocess
import sys
import tempfile

IMAGE = sys.argv[1] if len(sys.argv) > 1 else "/boot/vmlinuz-6.1.0-56-amd64"
HERE = os.path.dirname(os.path.abspath(__file__))
LAYOUT = json.load(open(os.path.join(HERE, "..", "src", "sim", "data", "layout.json")))

# The paths by which the model's kernel calls driver code, outermost first. Each step is
# (caller, how, callee): "call" (a frame: the caller's return address is printed), "jmp" (a tail
# call: no frame), or "icall" (an indirect call through a retpoline thunk; callee names the
# struct field the target was loaded from, or "thunk:REG" for the only call through that thunk).
# "nth" picks one of several matching calls; its reason is recorded in the output.
SYSCALL = [("entry_SYSCALL_64_after_hwframe", "call", "do_syscall_64"), ("do_syscall_64", "call", "x64_sys_call")]
NON_STREAM = "the first call: ksys_read/ksys_write call vfs_* twice, and the first is the branch for a file without FMODE_STREAM (it passes &pos), which a character device opened by chrdev_open is"
CHAINS = {
    "read": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_read"), ("__x64_sys_read", "jmp", "ksys_read"),
        ("ksys_read", "call", "vfs_read", 0, NON_STREAM), ("vfs_read", "icall", "file_operations.read")],
    "write": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_write"), ("__x64_sys_write", "jmp", "ksys_write"),
        ("ksys_write", "call", "vfs_write", 0, NON_STREAM), ("vfs_write", "icall", "file_operations.write")],
    "ioctl": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_ioctl"), ("__x64_sys_ioctl", "icall", "file_operations.unlocked_ioctl")],
    "open": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_openat"), ("__x64_sys_openat", "call", "do_sys_openat2"),
        ("do_sys_openat2", "call", "do_filp_open"),
        ("do_filp_open", "call", "path_openat", 0, "the first call: path_openat with LOOKUP_RCU; the others retry after -ECHILD or -ESTALE"),
        ("path_openat", "call", "vfs_open", 0, "the first call: do_open() (inlined) calls vfs_open(&nd->path, file); the second is do_o_path()'s, for O_PATH"),
        ("vfs_open", "jmp", "do_dentry_open"), ("do_dentry_open", "icall", "thunk:r13"),
        ("chrdev_open", "icall", "file_operations.open")],
    "release": [("entry_SYSCALL_64_after_hwframe", "call", "do_syscall_64"),
        ("do_syscall_64", "call", "syscall_exit_to_user_mode"),
        ("syscall_exit_to_user_mode", "call", "exit_to_user_mode_prepare"),
        ("exit_to_user_mode_prepare", "call", "task_work_run"), ("task_work_run", "icall", "thunk:rax"),
        ("____fput", "jmp", "__fput"), ("__fput", "icall", "file_operations.release")],
    "finit_module": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_finit_module"), ("__x64_sys_finit_module", "jmp", "__do_sys_finit_module"),
        ("__do_sys_finit_module", "call", "load_module"), ("load_module", "jmp", "do_init_module"),
        ("do_init_module", "call", "do_one_initcall"), ("do_one_initcall", "icall", "thunk:rbx")],
    "init_module": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_init_module"), ("__x64_sys_init_module", "jmp", "__do_sys_init_module"),
        ("__do_sys_init_module", "call", "load_module"), ("load_module", "jmp", "do_init_module"),
        ("do_init_module", "call", "do_one_initcall"), ("do_one_initcall", "icall", "thunk:rbx")],
    "delete_module": SYSCALL + [
        ("x64_sys_call", "jmp", "__x64_sys_delete_module"), ("__x64_sys_delete_module", "jmp", "__do_sys_delete_module"),
        ("__do_sys_delete_module", "icall", "module.exit")],
}
TRANSCRIPTS = ["oops-read-read.txt", "oops-init-insmod.txt"]

# Inserted into "open" for a misc device: chrdev_open calls misc_open (misc_fops.open), which
# calls the driver's own open.
MISC_OPEN = ("misc_open", "icall", "file_operations.open")


def vmlinux_from_bzimage(image):
    """The kernel ELF inside a bzImage: the first xz stream that decompresses to an ELF file."""
    data = open(image, "rb").read()
    at = data.find(b"\xfd7zXZ\x00")
    while at >= 0:
        try:
            out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[at:])
            if out[:4] == b"\x7fELF":
                return data, out
        except lzma.LZMAError:
            pass
        at = data.find(b"\xfd7zXZ\x00", at + 1)
    sys.exit("gen-call-sites: no xz-compressed ELF kernel in %s" % image)


def sections(elf):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    raw = [struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    names = raw[shstrndx][4]
    name = lambda o: elf[names + o:elf.index(b"\0", names + o)].decode()
    return {name(s[0]): {"addr": s[3], "offset": s[4], "size": s[5]} for s in raw}


def kallsyms(elf):
    """(address, type, name) of every kallsyms entry, decoded as kernel/kallsyms.c does.

    scripts/kallsyms.c writes, 8-byte aligned and in this order: kallsyms_offsets (s32 each; with
    CONFIG_KALLSYMS_ABSOLUTE_PERCPU a negative one is relative_base - 1 - offset),
    kallsyms_relative_base, kallsyms_num_syms, kallsyms_names (length-prefixed token strings),
    kallsyms_markers, kallsyms_seqs_of_names, kallsyms_token_table, kallsyms_token_index.
    """
    ro = sections(elf)[".rodata"]
    rod = elf[ro["offset"]:ro["offset"] + ro["size"]]
    # The token table holds the single digits as tokens; its index (256 increasing u16s from 0)
    # follows it. Try each place the digits appear until both agree.
    table = None
    for m in re.finditer(re.escape(b"".join(b"%d\0" % d for d in range(10))), rod):
        for q in range((m.start() + 7) & ~7, m.start() + 0x2000, 8):
            idx = struct.unpack_from("<256H", rod, q)
            if idx[0] != 0 or any(idx[i] >= idx[i + 1] for i in range(255)):
                continue
            for start in range(max(0, q - idx[255] - 256), q - idx[255]):
                end = rod.find(b"\0", start + idx[255])
                if not (q - 8 < end + 1 <= q):
                    continue
                if all(rod[start + idx[i]:start + idx[i + 1]].count(0) == 1 and rod[start + idx[i + 1] - 1] == 0 for i in range(255)):
                    table = (start, idx)
                    break
            if table:
                break
        if table:
            break
    if not table:
        sys.exit("gen-call-sites: kallsyms_token_table not found")
    start, idx = table
    tokens = [rod[start + i:rod.index(b"\0", start + i)].decode("latin-1") for i in idx]
    # kallsyms_num_syms: the count N whose markers and seqs_of_names fit just before the tokens.
    for at in range(0, start, 8):
        if rod[at:at + 8] != struct.pack("<Q", 0xFFFFFFFF81000000):
            continue
        n, = struct.unpack_from("<I", rod, at + 8)
        if not 10000 < n < 1000000 or at < 4 * n:
            continue
        offsets = struct.unpack_from("<%di" % n, rod, at - 4 * n)
        base = 0xFFFFFFFF81000000
        addrs = [o if o >= 0 else base - 1 - o for o in offsets]
        if any(addrs[i] > addrs[i + 1] for i in range(n - 1)):
            continue
        out, o = [], (at + 12 + 7) & ~7
        for a in addrs:
            length = rod[o]
            o += 1
            if length & 0x80:
                length = (length & 0x7F) | (rod[o] << 7)
                o += 1
            name = "".join(tokens[b] for b in rod[o:o + length])
            o += length
            out.append((a, name[0], name[1:]))
        return out
    sys.exit("gen-call-sites: kallsyms_relative_base/num_syms not found")


class Kernel:
    def __init__(self, elf, syms, path):
        self.path = path
        self.syms = syms
        self.addrs = [a for a, _, _ in syms]
        self.text = {}
        for a, t, n in syms:
            if t in "tTwW" and n not in self.text:
                self.text[n] = a

    def size(self, name):
        """kallsyms_lookup_size_offset(): up to the next symbol with a higher address."""
        a = self.text[name]
        i = bisect.bisect_right(self.addrs, a)
        return self.addrs[i] - a

    def names_at(self, a):
        """The text symbols at the closest address at or below a, and the offset from it."""
        i = bisect.bisect_right(self.addrs, a) - 1
        while i > 0 and self.syms[i][1] not in "tTwW":
            i -= 1
        base = self.syms[i][0]
        names = [n for x, t, n in self.syms[bisect.bisect_left(self.addrs, base):i + 1] if t in "tTwW"]
        return names, a - base

    def disassemble(self, name):
        a, n = self.text[name], self.size(name)
        out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "--start-address=%#x" % a,
                              "--stop-address=%#x" % (a + n), self.path], capture_output=True, text=True, check=True).stdout
        insns = []
        for line in out.splitlines():
            m = re.match(r"\s*([0-9a-f]{16}):\s+(.*)$", line)
            if m:
                insns.append((int(m.group(1), 16), m.group(2).strip()))
        # The address after each instruction: the next one's (the last is the function's end).
        return [(at, text, insns[i + 1][0] if i + 1 < len(insns) else a + n) for i, (at, text) in enumerate(insns)]


def field_offset(spec):
    struct_name, field = spec.split(".")
    return LAYOUT[struct_name]["fields"][field]


def find_step(k, step):
    caller, how, callee = step[:3]
    nth, reason = (step[3], step[4]) if len(step) > 3 else (None, None)
    insns = k.disassemble(caller)
    matches = []
    for i, (at, text, after) in enumerate(insns):
        m = re.match(r"(?:cs )?(call|jmp)\s+0x([0-9a-f]+)", text)
        if not m:
            continue
        targets, off = k.names_at(int(m.group(2), 16))
        if how in ("call", "jmp"):
            if m.group(1) == how and callee in targets and off == 0:
                matches.append((at, after))
            continue
        thunks = [t for t in targets if re.fullmatch(r"__x86_indirect_thunk_r\w+", t)]
        if m.group(1) != "call" or len(thunks) != 1 or off:
            continue
        reg = thunks[0][len("__x86_indirect_thunk_"):]
        if callee.startswith("thunk:"):
            if reg == callee[6:]:
                matches.append((at, after))
            continue
        # The last instruction before the call that writes %reg must load it from the field.
        for _, prev, _ in reversed(insns[max(0, i - 12):i]):
            if re.match(r"(test|cmp|bt)\w*\s", prev):
                continue  # reads the register, does not write it
            if re.search(r",%%%s$" % reg, prev) or re.match(r"pop\s+%%%s$" % reg, prev):
                lm = re.match(r"mov\s+(0x[0-9a-f]+)?\(%\w+\),%" + reg + "$", prev)
                if lm and int(lm.group(1) or "0", 16) == field_offset(callee):
                    matches.append((at, after))
                break
    if nth is None and len(matches) != 1:
        sys.exit("gen-call-sites: %s -> %s %s: %d matching instructions, expected exactly one" % (caller, how, callee, len(matches)))
    if nth is not None and len(matches) <= nth:
        sys.exit("gen-call-sites: %s -> %s %s: no call number %d" % (caller, how, callee, nth))
    at, after = matches[nth or 0]
    entry = {"function": caller, "address": "%x" % k.text[caller], "size": k.size(caller), how: callee, "at": at - k.text[caller]}
    if how != "jmp":
        entry["offset"] = after - k.text[caller]  # the return address, as the unwinder finds it
    if reason:
        entry["choice"] = reason
    return entry


def main():
    image, elf = vmlinux_from_bzimage(IMAGE)
    with tempfile.NamedTemporaryFile(suffix=".vmlinux") as f:
        f.write(elf)
        f.flush()
        k = Kernel(elf, kallsyms(elf), f.name)
        chains = {}
        for name, steps in list(CHAINS.items()) + [("open-misc", CHAINS["open"] + [MISC_OPEN])]:
            resolved = [find_step(k, s) for s in steps]
            frames = [r for r in resolved if "offset" in r]
            chains[name] = {"frames": list(reversed(frames)), "tailCalls": [r for r in resolved if "jmp" in r]}
    banner = re.search(rb"6\.1\.0-56-amd64 \([^)]*\) #1 [^\0]*", image)
    # dump_stack_arch_desc_str (set from DMI at boot) of the machine the real oopses ran on.
    names = set()
    for case in TRANSCRIPTS:
        for l in open(os.path.join(HERE, "..", "tests", "fixtures", "real-kernel", case), encoding="utf-8"):
            m = re.match(r"^\[[ 0-9.]+\] Hardware name: (.*)$", l.rstrip("\n"))
            if m:
                names.add(m.group(1))
    if len(names) != 1:
        sys.exit("gen-call-sites: the transcripts disagree on the Hardware name: line: %r" % names)
    out = {
        "format": "ring0-call-sites/1",
        "source": "%s (sha256 %s): kallsyms decoded from its vmlinux, call sites found with objdump by samples/gen-call-sites.py"
        % (os.path.basename(IMAGE), hashlib.sha256(image).hexdigest()),
        "banner": banner.group(0).decode() if banner else None,
        "hardwareName": {"text": names.pop(), "source": "the Hardware name: line of tests/fixtures/real-kernel/" + ", ".join(TRANSCRIPTS)
                         + " (DMI of the oracle's QEMU machine, the PC the model stands for)"},
        "chains": chains,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
