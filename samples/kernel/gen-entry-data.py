#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-entry-data.py - turn the linked entry code into src/sim/data/kernel-entry.json (Ring Zero).

Usage: gen-entry-data.py ELF OUT.json REPO PTREGS TOOLCHAIN

  ELF        the linked object from build.sh (entry_64.S through cpp, as and ld with entry.ld)
  OUT.json   where to write the data the emulator loads without binutils
  REPO       the repository root: the SHA-256 of the committed sources is recorded, so a test can
             prove the data was made from exactly them
  PTREGS     "name=offset,..." from the headers' asm/ptrace-abi.h (build.sh preprocesses it)
  TOOLCHAIN  one line naming the assembler, linker and headers used

Read by src/sim/kernel/entry.ts; documented in src/sim/data/README.md. Deterministic: the same
ELF gives the same bytes.
"""
import hashlib
import json
import struct
import sys

SOURCES = ["samples/kernel/entry_64.S", "samples/kernel/entry.ld"]
SHT_PROGBITS, SHT_SYMTAB, SHT_NOBITS = 1, 2, 8
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
STB_GLOBAL = 1
STT_NAMES = {0: "notype", 1: "object", 2: "func", 3: "section", 4: "file"}


def sections(elf):
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    raw = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    strtab = raw[shstrndx]
    def name(off):
        start = strtab[4] + off
        return elf[start:elf.index(b"\0", start)].decode()
    return [dict(name=name(s[0]), type=s[1], flags=s[2], addr=s[3], offset=s[4], size=s[5], link=s[6],
                 entsize=s[9]) for s in raw]


def symbols(elf, secs):
    symtab = next(s for s in secs if s["type"] == SHT_SYMTAB)
    strtab = secs[symtab["link"]]
    out = []
    for off in range(symtab["offset"], symtab["offset"] + symtab["size"], 24):
        name_off, info, _other, shndx, value, size = struct.unpack_from("<IBBHQQ", elf, off)
        start = strtab["offset"] + name_off
        name = elf[start:elf.index(b"\0", start)].decode()
        if not name or shndx == 0 or shndx >= 0xFF00:
            continue  # unnamed, undefined, or absolute (linker constants, gas's `vector`)
        out.append(dict(name=name, value=value, size=size, bind=info >> 4, type=info & 15,
                        section=secs[shndx]["name"]))
    return out


def main():
    elf_path, out_path, repo, ptregs, toolchain = sys.argv[1:6]
    elf = open(elf_path, "rb").read()
    secs = sections(elf)
    syms = symbols(elf, secs)

    segments = []
    for s in secs:
        if not s["flags"] & SHF_ALLOC or s["type"] != SHT_PROGBITS:
            continue
        data = elf[s["offset"]:s["offset"] + s["size"]]
        segments.append({
            "name": s["name"],
            "address": "%016x" % s["addr"],
            "size": s["size"],
            "executable": bool(s["flags"] & SHF_EXECINSTR),
            "writable": bool(s["flags"] & SHF_WRITE),
            "bytes": data.hex(),
        })
    segments.sort(key=lambda s: s["address"])

    percpu = {s["name"]: s["value"] for s in syms if s["section"] == ".data..percpu"}
    percpu_size = next(s for s in secs if s["name"] == ".data..percpu")["size"]
    code = sorted((s for s in syms if s["section"] != ".data..percpu" and s["type"] != 3),
                  key=lambda s: (s["value"], s["name"]))
    symbol_map = [{"name": s["name"], "address": "%016x" % s["value"], "size": s["size"],
                   "type": STT_NAMES.get(s["type"], str(s["type"])),
                   "global": s["bind"] == STB_GLOBAL, "section": s["section"]} for s in code]
    hle = [s["name"] for s in code if s["section"] == ".text.hle"]

    # __ex_table: struct exception_table_entry { int insn, fixup, data; }, place-relative.
    ex = next(s for s in secs if s["name"] == "__ex_table")
    extable = []
    for i in range(0, ex["size"], 12):
        insn, fixup, data = struct.unpack_from("<iiI", elf, ex["offset"] + i)
        at = ex["addr"] + i
        extable.append({"insn": "%016x" % ((at + insn) & (2**64 - 1)),
                        "fixup": "%016x" % ((at + 4 + fixup) & (2**64 - 1)),
                        "data": data})

    sources = {}
    for path in SOURCES:
        sources[path] = hashlib.sha256(open("%s/%s" % (repo, path), "rb").read()).hexdigest()

    out = {
        "format": "ring0-kernel-entry/1",
        "sources": sources,
        "toolchain": toolchain,
        "segments": segments,
        "symbols": symbol_map,
        "hle": hle,
        "percpu": percpu,
        "percpuSize": percpu_size,
        "exTable": extable,
        "ptRegs": {k: int(v) for k, v in (p.split("=") for p in ptregs.split(","))},
    }
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
