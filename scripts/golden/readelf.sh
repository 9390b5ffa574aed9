#!/usr/bin/env bash
# scripts/golden/readelf.sh - write GNU readelf's listing of every test object, for the golden test.
#
#   scripts/golden/readelf.sh              regenerate the listings
#   scripts/golden/readelf.sh --rebuild    first rebuild the extra objects with gcc and kbuild
#
# Objects: every ELF file under public/samples/ (built by samples/build.sh), listed in
# tests/golden/readelf/<path under public/samples>.txt; and the extra objects in
# tests/golden/readelf/extra/ (built from extra/src/ by this script, committed so that tests
# need neither gcc nor binutils), listed in extra/<name>.txt. Listing: readelf -h -S -s -l -W (GNU binutils,
# the version pinned in samples/VERSION). tests/unit/elf-golden.test.ts parses these listings and
# compares the values with src/sim/elf's parse; review changes to them as diffs.
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
count=0
list() { # object, listing
  mkdir -p "$(dirname "$2")"
  readelf -h -S -s -l -W "$1" > "$2"
  count=$((count + 1))
}
while IFS= read -r -d '' object; do
  is_elf "$object" && list "$object" "$golden/${object#"$samples"/}.txt"
done < <(find "$samples" -type f -print0 | sort -z)
for object in "$extra"/*; do
  is_elf "$object" && list "$object" "$extra/$(basename "$object").txt"
done
echo "readelf.sh: wrote $count listings to tests/golden/readelf/ ($(readelf --version | head -1))"
