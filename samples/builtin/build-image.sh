# SPDX-License-Identifier: GPL-2.0
# samples/builtin/build-image.sh - the built-in step of samples/build.sh (sourced by it).
#
# build_builtin_image compiles drivers/hello/hello.c and builtin/initorder.c the way kbuild
# compiles obj-y code (asking kbuild itself for the single object, with a Kbuild file saying
# `obj-y := ...`), links them with ld and builtin.lds into one image at emulated kernel-text
# addresses, and writes to $tmp/out/builtin/:
#   builtin.elf           the linked image after `strip --strip-debug` (ELF ET_EXEC)
#   builtin.lines.json    its line table (lines.py, from the unstripped link), rows by section
#                         offset as for a module (lines-by-section.py: kernel addresses do not
#                         fit a JSON number exactly)
#   System.map            `nm -n` of the image filtered by the headers' own scripts/mksysmap
#   modules.builtin       what kbuild's modules.builtin rule derives from the objects' .modinfo
#                         (only code with MODULE_LICENSE, i.e. that could be a module, is listed)
#   modules.builtin.modinfo  the objects' .modinfo strings, as kbuild's objcopy -j .modinfo makes it
# It checks that hello.o's built-in compile command is the module's command (kbuild wrote it in
# drivers/hello/.hello.o.cmd) with exactly -DMODULE taken out and -DKBUILD_MODFILE put in, as
# scripts/Makefile.lib's modkern_cflags says for code that is not part of a module.
#
# Uses from build.sh: $samples $tmp $kdir $kcommon $data_out, die().

build_builtin_image() {
  local src="$tmp/builtin" img="$tmp/out/builtin" objs=(drivers/hello/hello.o builtin/initorder.o)
  mkdir -p "$src/drivers/hello" "$src/builtin" "$img"
  cp "$samples/drivers/hello/hello.c" "$src/drivers/hello/"
  cp "$samples/builtin/initorder.c" "$samples/builtin/builtin.lds" "$src/builtin/"
  echo 'obj-y := hello.o' >"$src/drivers/hello/Kbuild"
  echo 'obj-y := initorder.o' >"$src/builtin/Kbuild"
  local o dir
  for o in "${objs[@]}"; do
    dir=$(dirname "$o")
    echo "  KBUILD  $o (obj-y)"
    if ! make -C "$kdir" M="$src/$dir" KCFLAGS="-ffile-prefix-map=$src=." "$(basename "$o")" >"$tmp/make-builtin-$(basename "$o").log" 2>&1; then
      cat "$tmp/make-builtin-$(basename "$o").log" >&2
      die "kbuild failed for $o (built-in)"
    fi
  done

  # The command kbuild saved for each object (first line of .<obj>.cmd), as words, with the
  # build directory replaced by DIR and the -ffile-prefix-map root by ROOT.
  cmd_words() { # cmdfile dir root
    head -n 1 "$1" | sed -e 's/^[a-z_]*cmd_[^ ]* := //' -e 's/ ; .*$//' |
      sed -e "s#$2#DIR#g" -e "s#$3#ROOT#g" | tr -s ' ' '\n' | sed '/^$/d'
  }
  cmd_words "$tmp/build/drivers/hello/.hello.o.cmd" "$tmp/build/drivers/hello" "$tmp/build" >"$tmp/cmd-module.txt"
  cmd_words "$src/drivers/hello/.hello.o.cmd" "$src/drivers/hello" "$src" >"$tmp/cmd-builtin.txt"
  local removed added
  removed=$(grep -vxF -f "$tmp/cmd-builtin.txt" "$tmp/cmd-module.txt" || true)
  added=$(grep -vxF -f "$tmp/cmd-module.txt" "$tmp/cmd-builtin.txt" || true)
  [ "$removed" = "-DMODULE" ] && [ "$added" = "-DKBUILD_MODFILE='\"DIR/hello\"'" ] || {
    echo "module command only: $removed" >&2; echo "built-in command only: $added" >&2
    die "hello.o's built-in command is not the module's without -DMODULE and with -DKBUILD_MODFILE"
  }

  # The kernel functions the objects call, at the addresses the emulated kernel gives them.
  python3 "$samples/builtin/kernel-symbols.py" "$data_out/kernel-addresses.json" "$tmp/data/vmlinux-exports.json" \
    "${objs[@]/#/$src/}" >"$src/builtin/kernel-symbols.lds" || die "kernel-symbols.py failed"
  echo "  LD      builtin/builtin.elf"
  # As LDFLAGS_vmlinux in 6.1's Makefile: -m elf_x86_64, --orphan-handling (error here, warn there),
  # --no-warn-rwx-segments; no --build-id (vmlinux has one in its .notes; this image has no notes).
  (cd "$src" && ld -m elf_x86_64 --orphan-handling=error --no-warn-rwx-segments --build-id=none \
     -L builtin -T builtin/builtin.lds -o "$tmp/builtin.debug" "${objs[@]}") || die "ld failed for the built-in image"
  strip --strip-debug -o "$img/builtin.elf" "$tmp/builtin.debug"
  NM=nm sh "$kcommon/scripts/mksysmap" "$img/builtin.elf" "$img/System.map"
  python3 "$samples/lines.py" "$tmp/builtin.debug" builtin.elf "$src" "$kdir" "$kcommon" |
    python3 "$samples/builtin/lines-by-section.py" "$tmp/builtin.debug" >"$img/builtin.lines.json"

  # modules.builtin.modinfo and modules.builtin, by the top Makefile's rules: the .modinfo of
  # vmlinux.o, then every "<name>.file=<path>" as kernel/<path>.ko. An M= build makes
  # KBUILD_MODFILE an absolute path; the build directory is cut off, leaving the path an
  # in-tree build would have (drivers/hello/hello).
  (cd "$src" && ld -m elf_x86_64 -r -o vmlinux.o "${objs[@]}")
  objcopy -j .modinfo -O binary "$src/vmlinux.o" "$src/modules.builtin.modinfo"
  python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d.replace(sys.argv[3].encode() + b"/", b""))' \
    "$src/modules.builtin.modinfo" "$img/modules.builtin.modinfo" "$src"
  tr '\0' '\n' <"$img/modules.builtin.modinfo" | sed -n 's/^[[:alnum:]:_]*\.file=//p' | tr ' ' '\n' | uniq |
    sed -e 's:^:kernel/:' -e 's/$/.ko/' >"$img/modules.builtin"
  chmod 0644 "$img"/*
}
