#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""lines-by-section.py - the built-in image's line table, with section offsets for addresses.

    lines-by-section.py IMAGE < lines.json > builtin.lines.json

lines.py writes an executable's rows with virtual addresses. The image's addresses are kernel
addresses (0xffffffff83c0....), beyond what a JSON number holds exactly in JavaScript (2^53), so
this rewrites the table in the form lines.py uses for modules: "sections", each row's address an
offset within the allocated section of IMAGE that holds it (samples/README.md, "Line tables").
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from kelf import Elf  # noqa: E402
from lines import dump  # noqa: E402

SHF_ALLOC = 2


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: lines-by-section.py IMAGE < lines.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        elf = Elf(f.read())
    table = json.load(sys.stdin)  # Python keeps the 64-bit integers exact
    sections = [s for s in elf.sections if s.flags & SHF_ALLOC and s.size]
    by_sec = {}
    for row in table["lines"]:
        home = [s for s in sections if s.addr <= row[0] < s.addr + s.size]
        if len(home) != 1:
            print(f"lines-by-section.py: no single section holds {row[0]:#x}", file=sys.stderr)
            return 1
        by_sec.setdefault(home[0].name, []).append([row[0] - home[0].addr] + row[1:])
    sys.stdout.write(dump(table["object"], "sections", by_sec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
