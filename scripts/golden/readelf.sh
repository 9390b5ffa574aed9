#!/usr/bin/env bash
# scripts/golden/readelf.sh - write GNU readelf's listing of every test object, for the golden test.
#
#   scripts/golden/readelf.sh              regenerate the listings
#   scripts/golden/readelf.sh --rebuild    first rebuild the extra objects with gcc and kbuild
#
# Objects: every ELF file under public/samples/ (built by samples/build.sh), listed in
# tests/golden/readelf/<path under public/samples>.txt; and the extra objects in
# tests/golden/readelf/extra/ (built from extra/src/ by this script, committed so that tests
# need neither gcc nor binutils), listed in extra/<name>.txt. Listing: readelf -h -S -s -l -r -W (GNU
# binutils, the version pinned in samples/VERSION). tests/unit/elf-golden.test.ts parses these listings
# and compares the values with src/sim/elf's parse; review changes to them as diffs.
#
# A file that starts with the ELF magic but that readelf itself cannot read cleanly (a truncated
# variant, say: readelf exits non-zero or writes to stderr) gets no listing; it is named, with
# readelf's first complaint, in tests/golden/readelf/SKIPPED, and the tests still read it (they
# require our reader to refuse it with a typed error, without throwing).
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
golden="$repo/tests/golden/readelf"
extra="$golden/extra"
samples="$repo/public/samples"
headers=/usr/src/linux-headers-6.1.0-56-amd64

is_elf() { [ -f "$1" ] && [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; }

rebuild_extra() {
  # A fixed build directory: kbuild's output depends on its path, and the objects should not.
  local tmp=/tmp/ring0-readelf-extra
  rm -rf "$tmp" && mkdir -p "$tmp"
  trap 'rm -rf "$tmp"' RETURN
  # A relocatable object: functions, data, bss, common symbols (-fcommon), weak and hidden symbols.
  gcc -O2 -fcommon -fno-pie -fno-stack-protector -mgeneral-regs-only -c "$extra/src/tiny.c" -o "$extra/tiny.o"
  # Assembled by hand: R_X86_64_NONE, 64, PC32, PLT32, 32, 32S, PC64, a type modules never use, and
  # rows with no symbol (readelf prints those differently).
  gcc -c "$extra/src/relocs.s" -o "$extra/relocs.o"
  # A static executable built like the book's user samples, and the same file fully stripped.
  gcc -O2 -static -nostdlib -fno-pie -no-pie -fno-stack-protector -mgeneral-regs-only \
    "$extra/src/tiny-static.c" -o "$extra/tiny-static"
  strip --strip-all "$extra/tiny-static" -o "$extra/tiny-static-stripped"
  # A kernel module with a parameter (__param), built by kbuild against the pinned headers.
  cp "$extra/src/tiny_mod.c" "$tmp/"
  echo 'obj-m := tiny_mod.o' > "$tmp/Kbuild"
  make -s -C "$headers" M="$tmp" modules > "$tmp/make.log" 2>&1 || { cat "$tmp/make.log" >&2; exit 1; }
  strip --strip-debug "$tmp/tiny_mod.ko" -o "$extra/tiny-mod.ko"
}

if [ "${1:-}" = --rebuild ]; then rebuild_extra; fi

find "$golden" -name '*.txt' -delete
find "$golden" -mindepth 1 -type d -empty -delete
skipped="$golden/SKIPPED"
echo '# ELF files readelf cannot read cleanly: path under public/samples (or extra/), then readelf'"'"'s first complaint.' > "$skipped"
count=0
skips=0
list() { # object, listing, name
  local err=/tmp/ring0-readelf-stderr.$$
  mkdir -p "$(dirname "$2")"
  if readelf -h -S -s -l -r -W "$1" > "$2" 2> "$err" && [ ! -s "$err" ]; then
    count=$((count + 1))
  else
    rm -f "$2"
    printf '%s\t%s\n' "$3" "$(head -1 "$err")" >> "$skipped"
    skips=$((skips + 1))
  fi
  rm -f "$err"
}
while IFS= read -r -d '' object; do
  is_elf "$object" && list "$object" "$golden/${object#"$samples"/}.txt" "${object#"$samples"/}"
done < <(find "$samples" -type f -print0 | sort -z)
for object in "$extra"/*; do
  is_elf "$object" && list "$object" "$extra/$(basename "$object").txt" "extra/$(basename "$object")"
done
find "$golden" -mindepth 1 -type d -empty -delete
echo "readelf.sh: wrote $count listings to tests/golden/readelf/, skipped $skips ($(readelf --version | head -1))"
