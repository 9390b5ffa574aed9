#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# samples/build.sh - build every Ring Zero sample and refresh public/samples/.
#
#   samples/build.sh                 build with the toolchain pinned in samples/VERSION
#   samples/build.sh --rebuild-all   build with whatever Linux 6.1 headers (and gcc,
#                                    binutils) are installed, and rewrite samples/VERSION
#
# Drivers (samples/drivers/<name>/) are built by kbuild against the pinned Debian
# headers package: make -C /usr/src/linux-headers-<abi> M=<dir> modules.
# The kernel release is never taken from `uname -r`: the book's kernel is the
# pinned one, not the one this machine happens to run.
# User programs (samples/user/<name>.c) are built by gcc with the flags below.
#
# Everything is built in a fresh temporary directory, never in the source
# folders. Outputs (public/samples/):
#   <driver>.ko          kbuild's module after `strip --strip-debug`
#   <program>            the static executable after `strip --strip-debug`
#   <name>.lines.json    address -> file:line, from the unstripped build (lines.py)
#   signed.ko            also signed, after stripping, with the TEST key in samples/keys/
#   variants/            broken modules made from the above by make-variants, documented
#                        byte by byte in variants/variants.md and variants.json
#   builtin/             the built-in image: hello.c and builtin/initorder.c compiled as obj-y
#                        and linked with ld and builtin/builtin.lds (builtin/build-image.sh)
#   src/...              the sources, at the paths the line tables name
#   SHA256SUMS           checksums of all of the above (also the list of files this
#                        script owns: a rebuild deletes those and nothing else)
# and, outside public/samples/, src/sim/data/{kernel-release,vmlinux-exports,layout}.json
# (gen-kernel-data.py: the headers' release, .config and Module.symvers, the vermagic of
# a built module, and the offsets compiled from probe/layout.c).
set -euo pipefail
export LC_ALL=C

samples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$samples")
out="$repo/public/samples"
data_out="$repo/src/sim/data"
version_file="$samples/VERSION"

# The user-program flags, exactly. -nostdlib: no libc and no crt0, the program
# starts at our _start. -static -fno-pie -no-pie: one ET_EXEC file at fixed
# addresses (0x401000...), nothing for a dynamic loader to do.
# -fno-stack-protector: no canary read from %fs:0x28 (no TLS is set up).
# -mgeneral-regs-only: no SSE/x87 instructions, like kernel code.
# We do not add -fno-asynchronous-unwind-tables: the small .eh_frame section
# it would remove is harmless data that the emulator simply loads.
USER_CFLAGS=(-O2 -static -nostdlib -fno-pie -no-pie -fno-stack-protector -mgeneral-regs-only)

rebuild_all=0
case "${1:-}" in
  "") ;;
  --rebuild-all) rebuild_all=1 ;;
  -h|--help) sed -n '3,9p' "$0"; exit 0 ;;
  *) echo "build.sh: unknown argument '$1' (only --rebuild-all is accepted)" >&2; exit 2 ;;
esac

die() { echo "build.sh: $*" >&2; exit 1; }

for tool in dpkg-query make gcc strip readelf addr2line objcopy python3 sha256sum; do
  command -v "$tool" >/dev/null || die "'$tool' not found (apt-get install -y gcc make binutils python3)"
done

# installed_version PACKAGE -> its version, or nothing if it is not installed.
installed_version() {
  dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
    awk '$1 == "install" && $3 == "installed" { print $4 }'
}

# The packages whose versions decide the bytes. gcc is Debian's gcc-12, the
# compiler the headers' kbuild calls (CONFIG_CC_VERSION_TEXT in their .config).
gcc_pkg=gcc-12
binutils_pkg=binutils
# kbuild's host tools (modpost, which writes each module's .mod.c, and
# sign-file) come from linux-kbuild-6.1, which the headers package only
# requires at ">=" its version; sign-file links OpenSSL's libcrypto (libssl3).
kbuild_pkg=linux-kbuild-6.1
ssl_pkg=libssl3

if [ "$rebuild_all" = 1 ]; then
  # The newest installed Debian 6.1 headers package for amd64.
  headers_pkg=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-headers-6.1.*-amd64' 2>/dev/null |
                awk '$3 == "ok" && $4 == "installed" { print $1 }' | sort -V | tail -n 1)
  [ -n "$headers_pkg" ] || die "no linux-headers-6.1.*-amd64 package is installed"
  headers_ver=$(installed_version "$headers_pkg")
  echo "build.sh: --rebuild-all: using $headers_pkg $headers_ver"
else
  [ -r "$version_file" ] || die "$version_file is missing (run with --rebuild-all to create it)"
  # VERSION: comment lines, then "package version" lines; the headers come first.
  headers_line=$(grep '^linux-headers-' "$version_file" | head -n 1) ||
    die "$version_file names no linux-headers-... package"
  read -r headers_pkg headers_ver <<<"$headers_line"
  want_gcc=$(awk '$1 == "'$gcc_pkg'" { print $2 }' "$version_file")
  want_binutils=$(awk '$1 == "'$binutils_pkg'" { print $2 }' "$version_file")
  want_kbuild=$(awk '$1 == "'$kbuild_pkg'" { print $2 }' "$version_file")
  want_ssl=$(awk '$1 == "'$ssl_pkg'" { print $2 }' "$version_file")
  problems=()
  for pair in "$headers_pkg=$headers_ver" "$gcc_pkg=$want_gcc" "$binutils_pkg=$want_binutils" \
              "$kbuild_pkg=$want_kbuild" "$ssl_pkg=$want_ssl"; do
    pkg=${pair%%=*} want=${pair#*=}
    have=$(installed_version "$pkg")
    if [ "$have" != "$want" ]; then
      problems+=("  $pkg: VERSION pins '$want', installed: '${have:-not installed}'")
    fi
  done
  if [ ${#problems[@]} -gt 0 ]; then
    {
      echo "build.sh: the installed toolchain is not the one samples/VERSION pins:"
      printf '%s\n' "${problems[@]}"
      echo "The committed objects in public/samples/ were built with the pinned versions."
      echo "Install them (e.g. apt-get install -y $headers_pkg=$headers_ver), or run"
      echo "'samples/build.sh --rebuild-all' to rebuild everything with what is installed"
      echo "and rewrite samples/VERSION (then regenerate every golden that depends on the bytes)."
    } >&2
    exit 1
  fi
fi

# User programs are built by plain `gcc`: it must be the pinned gcc-12.
command -v "$gcc_pkg" >/dev/null || die "'$gcc_pkg' not found"
[ "$(gcc -dumpfullversion)" = "$("$gcc_pkg" -dumpfullversion)" ] ||
  die "'gcc' is $(gcc -dumpfullversion), not $gcc_pkg ($("$gcc_pkg" -dumpfullversion))"

case "$headers_pkg" in
  linux-headers-6.1.*-amd64) ;;
  *) die "'$headers_pkg' is not a Debian Linux 6.1 amd64 headers package" ;;
esac
kdir="/usr/src/$headers_pkg"          # e.g. /usr/src/linux-headers-6.1.0-56-amd64
[ -f "$kdir/Makefile" ] || die "$kdir/Makefile not found"
# The -amd64 tree includes the architecture-independent -common tree.
kcommon=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$kdir/Makefile" | head -n 1)
[ -d "$kcommon" ] || die "cannot find the -common headers tree of $kdir"

tmp=$(mktemp -d /tmp/ring0-samples.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# The build copy of samples/: gcc records paths as seen from here, and
# -ffile-prefix-map=$tmp=. turns "$tmp/drivers/hello/hello.c" into
# "./drivers/hello/hello.c", so no temporary path reaches any output
# (the build-id of a .ko is a hash over its debug info too).
mkdir -p "$tmp/build" "$tmp/out/src"
cp -r "$samples/drivers" "$samples/user" "$samples/probe" "$tmp/build/"
prefix_map="-ffile-prefix-map=$tmp/build=."

echo "build.sh: headers $kdir, gcc $(gcc -dumpfullversion), $(ld --version | head -n 1)"

# --- drivers ---------------------------------------------------------------
# The one driver that is signed, with the project's TEST key (samples/keys/,
# never Debian's), by kbuild's own scripts/sign-file from the headers' kbuild.
signed_driver=signed
sign_file="$kdir/scripts/sign-file"
[ -x "$sign_file" ] || die "$sign_file not found (it comes with linux-kbuild-6.1)"
# Order matters once: drivers/importer's Kbuild points modpost at
# drivers/exporter/Module.symvers (KBUILD_EXTRA_SYMBOLS), so exporter is built
# first. The glob below is sorted (LC_ALL=C), and "exporter" < "importer".
drivers=()
for d in "$samples"/drivers/*/; do
  name=$(basename "$d")
  [ -f "$d/$name.c" ] || die "drivers/$name/ has no $name.c"
  drivers+=("$name")
  dir="$tmp/build/drivers/$name"
  echo "  KBUILD  drivers/$name/$name.ko"
  if ! make -C "$kdir" M="$dir" KCFLAGS="$prefix_map" modules >"$tmp/make-$name.log" 2>&1; then
    cat "$tmp/make-$name.log" >&2
    die "kbuild failed for drivers/$name"
  fi
  # Messages other than kbuild's progress lines (warnings!) are shown.
  grep -v -E '^make(\[[0-9]+\])?: (Entering|Leaving) directory|^  (CC|LD|MODPOST|BTF) |^Skipping BTF generation' \
    "$tmp/make-$name.log" >&2 || true
  cp "$dir/$name.ko" "$tmp/$name.ko.debug"
  strip --strip-debug -o "$tmp/out/$name.ko" "$dir/$name.ko"
  if [ "$name" = "$signed_driver" ]; then
    # Signed AFTER stripping, as kbuild's modules_install does (strip first,
    # then scripts/sign-file): the signature covers the final bytes.
    echo "  SIGN    drivers/$name/$name.ko"
    "$sign_file" sha256 "$samples/keys/signing_key.pem" "$samples/keys/signing_key.x509" "$tmp/out/$name.ko"
    # Twice from the same input must give the same bytes (no timestamp, and
    # RSA PKCS#1 v1.5 signatures are deterministic).
    strip --strip-debug -o "$tmp/$name.ko.resign" "$dir/$name.ko"
    "$sign_file" sha256 "$samples/keys/signing_key.pem" "$samples/keys/signing_key.x509" "$tmp/$name.ko.resign"
    cmp -s "$tmp/out/$name.ko" "$tmp/$name.ko.resign" || die "signing $name.ko twice gave different bytes"
  fi
  python3 "$samples/lines.py" "$tmp/$name.ko.debug" "$name.ko" "$tmp/build" "$kdir" "$kcommon" \
    >"$tmp/out/$name.lines.json"
done

# --- layout probe and generated kernel data --------------------------------
# probe/layout.c is only compiled to assembly (never linked or loaded): its asm
# statements leave "->struct.field $offset" lines in layout.s, the kernel's own
# asm-offsets technique. gen-kernel-data.py turns them, the headers' release,
# .config and Module.symvers, and the vermagic that kbuild gave hello.ko into
# src/sim/data/{layout,kernel-release,vmlinux-exports}.json.
echo "  KBUILD  probe/layout.s"
if ! make -C "$kdir" M="$tmp/build/probe" KCFLAGS="$prefix_map" layout.s >"$tmp/make-probe.log" 2>&1; then
  cat "$tmp/make-probe.log" >&2
  die "kbuild failed for probe/layout.c"
fi
mkdir -p "$tmp/data"
python3 "$samples/gen-kernel-data.py" "$kdir" "$headers_pkg" "$headers_ver" \
  "$tmp/out/hello.ko" "$tmp/build/probe/layout.s" "$tmp/data"

# --- the built-in image ----------------------------------------------------
# hello.c again, and builtin/initorder.c, compiled as kbuild compiles obj-y code (no -DMODULE)
# and linked by ld with builtin/builtin.lds at emulated kernel-text addresses
# (builtin/build-image.sh; outputs in builtin/).
source "$samples/builtin/build-image.sh"
build_builtin_image

# --- variants --------------------------------------------------------------
# Broken modules made from the builds above, each tripping one check of 6.1's
# load_module(); make-variants documents every changed byte in
# variants/variants.md and variants/variants.json.
echo "  VARIANTS variants/"
python3 "$samples/make-variants" "$tmp/out" "$tmp/out/variants" >/dev/null

# --- user programs ---------------------------------------------------------
programs=()
for c in "$samples"/user/*.c; do
  name=$(basename "$c" .c)
  programs+=("$name")
  echo "  CC      user/$name"
  # Compiled from the build copy with a relative path, so DWARF names
  # "user/$name.c"; -g only adds debug sections, which strip removes.
  (cd "$tmp/build" && gcc "${USER_CFLAGS[@]}" -g "$prefix_map" -o "$tmp/$name.debug" "user/$name.c")
  strip --strip-debug -o "$tmp/out/$name" "$tmp/$name.debug"
  # Check that -g changed no loaded byte: build again without it and compare
  # everything the program loads (objcopy -O binary: the PT_LOAD contents;
  # the build-id note differs, since it hashes the debug info too).
  (cd "$tmp/build" && gcc "${USER_CFLAGS[@]}" "$prefix_map" -o "$tmp/$name.nodebug" "user/$name.c")
  for f in "$tmp/out/$name" "$tmp/$name.nodebug"; do
    objcopy -O binary --remove-section=.note.gnu.build-id "$f" "$f.bin"
  done
  cmp -s "$tmp/out/$name.bin" "$tmp/$name.nodebug.bin" ||
    die "user/$name: the -g build differs from the plain build in loaded bytes"
  rm "$tmp/out/$name.bin"
  python3 "$samples/lines.py" "$tmp/$name.debug" "$name" "$tmp/build" "$kdir" "$kcommon" \
    >"$tmp/out/$name.lines.json"
done

# Each object's line table is <name>.lines.json: names must not repeat.
dup=$(printf '%s\n' "${drivers[@]}" "${programs[@]}" | sort | uniq -d)
[ -z "$dup" ] || die "a driver and a user program share the name(s): $dup"

# --- sources the line tables point at --------------------------------------
(cd "$samples" && find drivers user builtin -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild -o -name '*.lds' \) -print0 |
   sort -z | xargs -0 -I{} cp --parents {} "$tmp/out/src/")

# --- replace public/samples/ -----------------------------------------------
# No path of this build may leak into what is committed.
if grep -rlF "$tmp" "$tmp/out" "$tmp/data" >&2; then die "the files above contain the build path $tmp"; fi
(cd "$tmp/out" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)
# Remove only what the previous run wrote (listed in its SHA256SUMS) and src/:
# other files under public/samples/ (e.g. fixture/) belong to other scripts.
mkdir -p "$out"
if [ -f "$out/SHA256SUMS" ]; then
  (cd "$out" && awk '{ print $2 }' SHA256SUMS | while read -r f; do rm -f -- "$f"; done)
fi
rm -rf "$out/src" "$out/SHA256SUMS"
cp -r "$tmp/out/." "$out/"
# Generated data for the emulator (src/sim/data/README.md, written by hand, documents it).
mkdir -p "$data_out"
cp "$tmp/data/"*.json "$data_out/"
chmod 0644 "$data_out"/*.json
chmod 0644 "$out"/*.ko "$out"/*.json
chmod 0755 "${programs[@]/#/$out/}"

if [ "$rebuild_all" = 1 ]; then
  {
    echo "# Ring Zero samples: the toolchain that built public/samples/ (Debian 12 packages)."
    echo "# Format: one 'package version' per line, as 'dpkg-query -W' prints them."
    echo "# samples/build.sh refuses to build unless exactly these are installed;"
    echo "# 'samples/build.sh --rebuild-all' rebuilds with what is installed and rewrites this file."
    echo "$headers_pkg $headers_ver"
    echo "$gcc_pkg $(installed_version "$gcc_pkg")"
    echo "$binutils_pkg $(installed_version "$binutils_pkg")"
    echo "$kbuild_pkg $(installed_version "$kbuild_pkg")"
    echo "$ssl_pkg $(installed_version "$ssl_pkg")"
  } >"$version_file"
  echo "build.sh: rewrote samples/VERSION"
fi

echo "build.sh: wrote public/samples/ (${#drivers[@]} drivers, ${#programs[@]} programs):"
(cd "$out" && for f in "${drivers[@]/%/.ko}" "${programs[@]}"; do
   printf '  %-14s %6d bytes  %s\n' "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -c1-16)"
 done)

# The ring-0 fixture (assembled, not compiled against the headers) is part of the same build.
"$samples/fixture/build.sh"

# The emulated kernel's entry code (samples/kernel/: cpp with the pinned headers, as, ld).
"$samples/kernel/build.sh"
