#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# samples/kernel/build.sh - assemble and link the emulated kernel's entry code (Ring Zero).
#
#   samples/kernel/build.sh
#
# entry_64.S goes through the C preprocessor (for asm/ptrace-abi.h, asm/trapnr.h and
# asm/extable_fixup_types.h from the pinned Linux 6.1 headers, with -D__ASSEMBLY__ as kbuild
# passes for .S files), GNU as, and GNU ld with entry.ld. _copy_to_user, _copy_from_user and
# __x86_return_thunk are linked at their addresses in the real Debian 6.1 kernel, read from
# src/sim/data/kernel-addresses.json. Writes, for the emulator and its tests (no binutils needed
# to use them):
#   src/sim/data/kernel-entry.json          bytes, symbols, per-CPU offsets, __ex_table, the
#                                           pt_regs offsets, and the SHA-256 of the sources
#   tests/golden/entry/entry_64.objdump.txt `objdump -d -M intel -w` of the linked object
# Needs gcc-12's cpp and binutils 2.40 (the versions samples/VERSION pins) and python3.
# Run by samples/build.sh at its end; can be run alone.
set -euo pipefail
export LC_ALL=C TZ=UTC

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
die() { echo "kernel/build.sh: $*" >&2; exit 1; }

for tool in gcc-12 as ld objdump python3; do
  command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install -y gcc-12 binutils python3)"
done
want_binutils=$(awk '$1 == "binutils" { print $2 }' "$repo/samples/VERSION")
have_binutils=$(dpkg-query -W -f='${Version}' binutils 2>/dev/null || true)
[ "$have_binutils" = "$want_binutils" ] ||
  die "binutils is '${have_binutils:-not installed}', samples/VERSION pins '$want_binutils'"
headers_pkg=$(awk '/^linux-headers-/ { print $1; exit }' "$repo/samples/VERSION")
kdir="/usr/src/$headers_pkg"
[ -f "$kdir/Makefile" ] || die "$kdir not found (install $headers_pkg)"
kcommon=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$kdir/Makefile" | head -n 1)
[ -d "$kcommon/arch/x86/include" ] || die "cannot find the -common headers tree of $kdir"
includes=(-nostdinc -I"$kcommon/arch/x86/include/uapi" -I"$kcommon/arch/x86/include")

tmp=$(mktemp -d /tmp/ring0-entry.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The real addresses (nokaslr) of the three exported functions this file provides.
defsyms=$(python3 - "$repo/src/sim/data/kernel-addresses.json" <<'EOF'
import json, sys
symbols = json.load(open(sys.argv[1]))["symbols"]
for name in ("_copy_to_user", "_copy_from_user", "__x86_return_thunk"):
    print("--defsym=ADDR_%s=0x%s" % (name, symbols[name]["address"]))
EOF
)

echo "  CPP+AS  kernel/entry_64.S"
gcc-12 -E -P -D__ASSEMBLY__ -x assembler-with-cpp "${includes[@]}" "$here/entry_64.S" -o "$tmp/entry_64.s"
as --64 --fatal-warnings -o "$tmp/entry_64.o" "$tmp/entry_64.s"
echo "  LD      kernel/entry_64.elf"
# shellcheck disable=SC2086
ld -m elf_x86_64 -static -nostdlib --build-id=none -z max-page-size=4096 $defsyms \
  -T "$here/entry.ld" -o "$tmp/entry_64.elf" "$tmp/entry_64.o"

# The offsets of struct pt_regs as the kernel's own assembly knows them (uapi asm/ptrace-abi.h).
names=(R15 R14 R13 R12 RBP RBX R11 R10 R9 R8 RAX RCX RDX RSI RDI ORIG_RAX RIP CS EFLAGS RSP SS FRAME_SIZE)
values=$(printf '#include <asm/ptrace-abi.h>\n%s\n' "${names[*]}" |
  gcc-12 -E -P -D__ASSEMBLY__ -x assembler-with-cpp "${includes[@]}" - | tail -n 1)
read -r -a nums <<<"$values"
[ "${#nums[@]}" = "${#names[@]}" ] || die "could not read the pt_regs offsets from asm/ptrace-abi.h"
ptregs=""
for i in "${!names[@]}"; do ptregs+="${ptregs:+,}${names[$i]}=${nums[$i]}"; done

toolchain="$(as --version | head -n 1); $(ld --version | head -n 1); cpp: gcc-12 $(gcc-12 -dumpfullversion); headers: $headers_pkg"
mkdir -p "$repo/src/sim/data" "$repo/tests/golden/entry"
python3 "$here/gen-entry-data.py" "$tmp/entry_64.elf" "$repo/src/sim/data/kernel-entry.json" "$repo" "$ptregs" "$toolchain"
(cd "$tmp" && objdump -d -M intel -w entry_64.elf) >"$repo/tests/golden/entry/entry_64.objdump.txt"
if grep -rlF "$tmp" "$repo/src/sim/data/kernel-entry.json" "$repo/tests/golden/entry/entry_64.objdump.txt" >&2; then
  die "the files above contain the build path $tmp"
fi
echo "kernel/build.sh: wrote src/sim/data/kernel-entry.json and tests/golden/entry/entry_64.objdump.txt"
