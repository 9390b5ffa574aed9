#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lines.py - write the line table (address -> source file:line) of one
unstripped sample object as JSON. Called by samples/build.sh; see
samples/README.md ("Line tables") for the format.

    lines.py OBJECT NAME SAMPLES_ROOT HEADERS_DIR...

OBJECT        the unstripped object (kbuild's .ko, or the executable built with -g)
NAME          the committed object's file name, written as "object"
SAMPLES_ROOT  the build copy of samples/ (paths are made relative to it)
HEADERS_DIR   /usr/src/linux-headers-... directories (their files become "linux:...")

Where the numbers come from (binutils only, no DWARF parsing of our own):
  * `readelf --debug-dump=decodedline` gives the rows of the DWARF line program,
    sequence by sequence; a sequence ends with a row whose line is "-".
  * In an ET_REL file (.ko) every section starts at 0, so a row's address alone
    does not say which section it is in. Each sequence starts with
    DW_LNE_set_address, whose 8 address bytes carry an R_X86_64_64 relocation
    against the section's symbol: `readelf --debug-dump=rawline` gives the
    offset of each set_address opcode and `readelf -r` the relocations.
  * Several rows may share one address (DWARF "views"); the last one is the one
    whose range covers the instruction. For each such address
    `addr2line -i` (with -j SECTION for a .ko) gives the same innermost
    file:line and, when the code was inlined, the chain of call sites, from
    .debug_info.
"""
import json
import os
import re
import subprocess
import sys


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL="C")).stdout


def fail(msg):
    sys.exit(f"lines.py: {msg}")


ROW = re.compile(r"^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+|0)(\s+\d+)?(\s+x)?\s*$")
SET_ADDR = re.compile(r"^\s*\[0x([0-9a-f]+)\]\s+Extended opcode 2: set Address to")
END_SEQ = re.compile(r"^\s*\[0x([0-9a-f]+)\]\s+Extended opcode 1: End of Sequence")


def decoded_sequences(obj):
    """Rows of the line program: a list of sequences, each a list of addresses."""
    seqs, cur = [], []
    for line in run("readelf", "--debug-dump=decodedline", "-W", obj).splitlines():
        m = ROW.match(line)
        if not m:
            continue
        addr = int(m.group(3), 16) if m.group(3).startswith("0x") else int(m.group(3))
        if m.group(2) == "-":           # end_sequence: first address after the sequence
            # a row at the end address covers no byte (its range is empty)
            seqs.append([a for a in cur if a < addr])
            cur = []
        else:
            cur.append(addr)
    if cur:
        fail(f"{obj}: a line sequence has no end")
    return seqs


def sequence_sections(obj, nseq):
    """For an ET_REL object: the section each line sequence belongs to."""
    relocs = {}                          # offset in .debug_line -> section name
    inside = False
    for line in run("readelf", "-r", "-W", obj).splitlines():
        if line.startswith("Relocation section"):
            inside = "'.rela.debug_line'" in line
            continue
        f = line.split()
        if inside and len(f) >= 7 and f[2] == "R_X86_64_64":
            relocs[int(f[0], 16)] = f[4]
    sections, pending = [], []
    for line in run("readelf", "--debug-dump=rawline", "-W", obj).splitlines():
        m = SET_ADDR.match(line)
        if m:
            # opcode bytes: 00 (extended), ULEB128 length 9, 02, then 8 address bytes
            off = int(m.group(1), 16) + 3
            if off not in relocs:
                fail(f"{obj}: no R_X86_64_64 relocation at .debug_line+{off:#x}")
            pending.append(relocs[off])
        elif END_SEQ.match(line):
            if not pending or len(set(pending)) != 1:
                fail(f"{obj}: a sequence spans sections {pending}")
            sections.append(pending[0])
            pending = []
    if len(sections) != nseq:
        fail(f"{obj}: {len(sections)} raw sequences but {nseq} decoded ones")
    return sections


class PathMap:
    """Turns the paths gcc recorded into samples-relative or "linux:" paths."""

    def __init__(self, samples_root, headers_dirs):
        self.root = os.path.realpath(samples_root)
        self.headers = [os.path.realpath(h) for h in headers_dirs]

    def __call__(self, path):
        p = os.path.normpath(path)
        if not os.path.isabs(p):
            cand = os.path.normpath(os.path.join(self.root, p))
            if os.path.isfile(cand):
                return os.path.relpath(cand, self.root)
            fail(f"relative path {path!r} is not a file under samples/")
        for h in self.headers:
            if p.startswith(h + "/"):
                rel = p[len(h) + 1:]
                # kbuild's working directory is the headers tree, so gcc joins
                # it with our (prefix-mapped) source name: drivers/... is ours.
                if os.path.isfile(os.path.join(self.root, rel)):
                    return rel
                return "linux:" + rel
        if p.startswith(self.root + "/"):
            return os.path.relpath(p, self.root)
        fail(f"path {path!r} is outside samples/ and the kernel headers")


def locations(obj, section, addrs, pathmap):
    """addr2line -i for each address: [(file, line), ...] innermost first."""
    args = ["addr2line", "-a", "-i", "-e", obj]
    if section:
        args += ["-j", section]
    # -a prints each address on its own line before that address's frames.
    chains = []
    for l in run(*args, *[hex(a) for a in addrs]).splitlines():
        if re.match(r"^0x[0-9a-f]+$", l):
            chains.append([])
        else:
            chains[-1].append(l)
    if len(chains) != len(addrs):
        fail(f"{obj}: addr2line answered {len(chains)} of {len(addrs)} addresses")
    result = []
    for a, chain in zip(addrs, chains):
        frames = []
        for l in chain:
            m = re.match(r"^(.*):(\d+|\?)(?: \(discriminator \d+\))?$", l)
            if not m or m.group(2) == "?" or m.group(1) == "??":
                fail(f"{obj}: addr2line has no line for {section or ''} {a:#x}: {l!r}")
            frames.append((pathmap(m.group(1)), int(m.group(2))))
        result.append(frames)
    return result


def rows_for(obj, section, addrs, pathmap):
    rows = []
    for a, frames in zip(addrs, locations(obj, section, addrs, pathmap)):
        (f, l), callers = frames[0], frames[1:]
        row = [a, f, l]
        if callers:
            row.append([[cf, cl] for cf, cl in callers])
        # A row that says the same as the one before adds nothing: each row
        # covers the bytes up to the next row anyway.
        if rows and rows[-1][1:] == row[1:]:
            continue
        rows.append(row)
    return rows


def dump(obj_name, key, table):
    """JSON with one row per line: small diffs, easy to read."""
    def rows(rs, indent):
        return (",\n" + indent).join(json.dumps(r, separators=(", ", ": ")) for r in rs)
    out = ['{', f'  "object": {json.dumps(obj_name)},', '  "format": "ring0-lines/1",']
    if key == "sections":
        out.append('  "sections": {')
        items = []
        for sec in sorted(table):
            items.append(f'    {json.dumps(sec)}: [\n      {rows(table[sec], "      ")}\n    ]')
        out.append(",\n".join(items))
        out.append('  }')
    else:
        out.append(f'  "lines": [\n    {rows(table, "    ")}\n  ]')
    out.append('}')
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) < 5:
        fail("usage: lines.py OBJECT NAME SAMPLES_ROOT HEADERS_DIR...")
    obj, name, root, headers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    pathmap = PathMap(root, headers)
    etype = run("readelf", "-h", "-W", obj)
    seqs = decoded_sequences(obj)
    if not seqs:
        fail(f"{obj}: no line table (built without -g?)")
    if "REL (Relocatable file)" in etype:
        secs = sequence_sections(obj, len(seqs))
        by_sec = {}
        for sec, seq in zip(secs, seqs):
            by_sec.setdefault(sec, set()).update(seq)
        table = {sec: rows_for(obj, sec, sorted(a), pathmap) for sec, a in by_sec.items()}
        sys.stdout.write(dump(name, "sections", table))
    elif "EXEC (Executable file)" in etype:
        addrs = sorted(set(a for seq in seqs for a in seq))
        sys.stdout.write(dump(name, "lines", rows_for(obj, None, addrs, pathmap)))
    else:
        fail(f"{obj}: neither ET_REL nor ET_EXEC")


if __name__ == "__main__":
    main()
