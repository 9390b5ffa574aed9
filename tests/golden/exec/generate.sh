#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/golden/exec/generate.sh - regenerate arith.json on the real CPU.
#
# Compiles gen.c natively, runs it (each case executes one real instruction
# on this machine's processor), writes arith.json next to this script, then
# cross-checks every case against check.py's independent model of the Intel
# SDM and refuses to keep a file that disagrees. Needs gcc, binutils and
# python3 on an x86-64 machine; tests only read arith.json.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case "$(uname -m)" in
  x86_64) ;;
  *) echo "generate.sh: must run on an x86-64 CPU (this is $(uname -m))" >&2; exit 1 ;;
esac

tmp=$(mktemp -d /tmp/ring0-exec-golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# -masm=intel: the templates in gen.c are Intel syntax, like objdump -M intel.
# -mno-red-zone: the templates push and pop (pushfq/popfq) below %rsp.
gcc -O2 -Wall -Wextra -Werror -masm=intel -mno-red-zone -o "$tmp/gen" "$here/gen.c"
"$tmp/gen" >"$tmp/arith.json"
python3 "$here/check.py" "$tmp/arith.json"
mv "$tmp/arith.json" "$here/arith.json"
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "generate.sh: wrote tests/golden/exec/arith.json ($(stat -c %s "$here/arith.json") bytes) on: $cpu"
