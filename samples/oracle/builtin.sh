#!/bin/bash
# samples/oracle/builtin.sh - what the real Linux 6.1 does with built-in code (developer tool;
# never run in CI). One boot of Debian's real kernel (the ABI pinned in samples/VERSION) under
# QEMU's software emulation, with `initcall_debug` on the command line, the real kmod 30 and the
# real /lib/modules/<release>/modules.builtin* files of the linux-image package. It records:
#
#   builtin-initcall-debug  the initcall_debug lines of two real built-in drivers (i8042, bsg),
#                           the first lines, lines of initcalls that returned an error, and the
#                           lines from "Freeing unused kernel image (initmem)" to "Run /init"
#   builtin-kallsyms        /proc/kallsyms: the init-region bounds, the initcall table bounds,
#                           and the init, exit and initcall-entry symbols of i8042 and bsg
#   builtin-sysfs           what /sys/module holds for a built-in with parameters (i8042) and
#                           one without (bsg), and whether modules.builtin lists them
#   builtin-rmmod           kmod's rmmod of both, and of a name that is neither built in nor loaded
#   builtin-insmod-same-name  insmod of modules named like the built-ins (copies of hello.c
#                           built by kbuild as i8042.ko and bsg.ko), with initcall_debug on, then
#                           lsmod and rmmod of the one that loaded
#
# Each case goes to tests/fixtures/real-kernel/<case>.txt, cut from the serial console between
# its "##### RING0-ORACLE BEGIN/END <case> #####" lines (CR LF made LF), as run.sh does.
# Needs: qemu-system-x86, linux-image-<release>, busybox-static, kmod, cpio, the pinned headers,
# gcc-12, make. Usage: samples/oracle/builtin.sh [--keep]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/tests/fixtures/real-kernel
KEEP=0
[ "${1:-}" = --keep ] && KEEP=1
die() { echo "builtin.sh: $*" >&2; exit 1; }

read -r HDR_PKG _ < <(awk '$1 ~ /^linux-headers-/ { print $1, $2 }' "$ROOT/samples/VERSION")
RELEASE=${HDR_PKG#linux-headers-}
KERNEL=/boot/vmlinuz-$RELEASE
HDR_DIR=/usr/src/$HDR_PKG
MODDIR=/lib/modules/$RELEASE
for f in "$KERNEL" "$HDR_DIR/Makefile" "$MODDIR/modules.builtin" "$MODDIR/modules.builtin.bin"; do
  [ -e "$f" ] || die "$f missing (packages linux-image-$RELEASE, $HDR_PKG)"
done
for t in qemu-system-x86_64 busybox cpio kmod make; do command -v "$t" >/dev/null || die "'$t' not found"; done

TMP=$(mktemp -d /tmp/ring0-oracle-builtin.XXXXXX)
cleanup() { if [ "$KEEP" = 1 ]; then echo "builtin.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi; }
trap cleanup EXIT

# Modules named like two real built-ins: hello.c under another file name (kbuild names a module
# after its file).
for name in i8042 bsg; do
  mkdir -p "$TMP/mod-$name"
  cp "$ROOT/samples/drivers/hello/hello.c" "$TMP/mod-$name/$name.c"
  echo "obj-m := $name.o" >"$TMP/mod-$name/Kbuild"
  make -s -C "$HDR_DIR" M="$TMP/mod-$name" modules >"$TMP/mod-$name.log" 2>&1 || { cat "$TMP/mod-$name.log" >&2; die "kbuild failed for $name.ko"; }
done

R=$TMP/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,samples,lib/modules/$RELEASE}
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list-full); do
  [ -e "$R/$a" ] || [ -L "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done
KMOD=$(readlink -f "$(command -v kmod)")
cp "$KMOD" "$R/usr/bin/kmod"
for lib in $(ldd "$KMOD" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
  mkdir -p "$R$(dirname "$lib")"
  cp -L "$lib" "$R$lib"
done
for t in insmod rmmod lsmod modprobe modinfo depmod; do
  rm -f "$R/sbin/$t" "$R/bin/$t" "$R/usr/sbin/$t" "$R/usr/bin/$t"
  ln -s /usr/bin/kmod "$R/sbin/$t"
done
# The index files kmod reads (not the modules themselves: nothing here is loaded from there).
cp "$MODDIR"/modules.* "$R/lib/modules/$RELEASE/"
cp "$TMP/mod-i8042/i8042.ko" "$TMP/mod-bsg/bsg.ko" "$R/samples/"

cat >"$R/init" <<'EOF'
#!/bin/sh
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
begin() { CASE=$1; echo "##### RING0-ORACLE BEGIN $1 #####"; }
end() { echo "##### RING0-ORACLE END $CASE #####"; }
run() { echo "# $*"; "$@"; echo "[exit status $?]"; }
kmsg() { echo "--- dmesg -c ---"; dmesg -c; echo "--- end dmesg ---"; }
echo "cmdline: $(cat /proc/cmdline)"
dmesg -c >/tmp/boot.log   # the cases below see only their own kernel lines

begin builtin-initcall-debug
echo "--- dmesg: the first initcall_debug lines ---"
grep -E '\] (calling  |initcall )' /tmp/boot.log | head -n 4
echo "--- dmesg: lines naming i8042 or bsg ---"
grep -E 'i8042|bsg' /tmp/boot.log
echo "--- dmesg: initcalls that returned an error (first 3) ---"
grep -E '\] initcall .* returned -[0-9]+ ' /tmp/boot.log | head -n 3
echo "--- dmesg: from free_initmem to init ---"
sed -n '/Freeing unused kernel image (initmem)/,/Run \/init/p' /tmp/boot.log
end

begin builtin-kallsyms
grep -E ' (_stext|_etext|__init_begin|__init_end|_sinittext|_einittext|__initcall_start|__initcall0_start|__initcall6_start|__initcall7_start|__initcall_end|i8042_init|i8042_exit|bsg_init|bsg_exit)$' /proc/kallsyms
grep -E ' (__initcall__kmod_(i8042|bsg)__|__exitcall_(i8042|bsg))' /proc/kallsyms || echo "(no __initcall__kmod_i8042/bsg or __exitcall_i8042/bsg symbols)"
end

begin builtin-sysfs
for m in i8042 bsg; do
  echo "--- /sys/module/$m ---"
  if [ -d /sys/module/$m ]; then ls /sys/module/$m; else echo "(no such directory)"; fi
  [ -e /sys/module/$m/initstate ] && echo "initstate: $(cat /sys/module/$m/initstate)"
  echo "--- modules.builtin: $m ---"
  grep "/$m\.ko\$" /lib/modules/$(uname -r)/modules.builtin || echo "(not listed)"
done
end

begin builtin-rmmod
run /sbin/rmmod i8042
run /sbin/rmmod bsg
run /sbin/rmmod ring0_nosuch
kmsg
end

begin builtin-insmod-same-name
run /sbin/insmod /samples/i8042.ko
kmsg
run /sbin/insmod /samples/bsg.ko
kmsg
echo "--- /proc/modules ---"
cat /proc/modules
echo "--- /proc/devices: hello ---"
grep ' hello$' /proc/devices || echo "(none)"
echo "--- /sys/module/bsg ---"
ls /sys/module/bsg
run /sbin/rmmod bsg
kmsg
echo "--- /proc/modules ---"
cat /proc/modules
end

poweroff -f
EOF
chmod 755 "$R/init"
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n -6 >"$TMP/initramfs.cpio.gz"

append="console=ttyS0 nokaslr panic=-1 loglevel=7 initcall_debug log_buf_len=8M"
echo "builtin.sh: booting $KERNEL with: $append" >&2
timeout 600 qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot -kernel "$KERNEL" \
  -initrd "$TMP/initramfs.cpio.gz" -append "$append" </dev/null >"$TMP/serial.log" 2>"$TMP/qemu.err" ||
  die "qemu failed ($(cat "$TMP/qemu.err"))"
tr -d '\r' <"$TMP/serial.log" >"$TMP/serial.txt"
mkdir -p "$OUT"
for c in builtin-initcall-debug builtin-kallsyms builtin-sysfs builtin-rmmod builtin-insmod-same-name; do
  awk -v c="$c" '$0 == "##### RING0-ORACLE BEGIN " c " #####" { on = 1 } on { print } $0 == "##### RING0-ORACLE END " c " #####" { on = 0 }' \
    "$TMP/serial.txt" >"$OUT/$c.txt"
  [ -s "$OUT/$c.txt" ] || die "case $c is missing from the serial log (see $TMP/serial.txt with --keep)"
  echo "builtin.sh: wrote tests/fixtures/real-kernel/$c.txt ($(wc -l <"$OUT/$c.txt") lines)" >&2
done
