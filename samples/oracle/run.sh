#!/bin/bash
# samples/oracle/run.sh - the real kernel as the oracle (developer tool; never run in CI).
#
# Boots Debian's real Linux 6.1 (the ABI pinned in samples/VERSION) under QEMU's software
# emulation (TCG, no KVM) with an initramfs holding busybox, the real kmod and every sample
# module (public/samples/*.ko, public/samples/variants/*), loads them, and records exactly
# what the kernel and kmod print. Transcripts go to tests/fixtures/real-kernel/: one text file
# per case, cut from the serial console between the case's markers, plus index.json.
# See tests/fixtures/real-kernel/README.md (what the files hold, how to compare) and
# samples/oracle/README.md (how this script works).
#
# usage: samples/oracle/run.sh [-j N] [--only BOOT[,BOOT...]] [--list] [--keep] [--out DIR]
#   -j N        boot N guests at a time (default 1; each guest is one TCG thread)
#   --only      run only these boots (names as --list prints them); other transcripts stay
#               (without --only, earlier transcripts are all replaced)
#   --list      print the boots this run would make and exit
#   --keep      keep the temporary directory (initramfs, full serial logs)
#   --out DIR   write transcripts to DIR instead of tests/fixtures/real-kernel
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ORACLE=$ROOT/samples/oracle
SAMPLES=$ROOT/public/samples
OUT=$ROOT/tests/fixtures/real-kernel
JOBS=1 ONLY="" LIST=0 KEEP=0
BOOT_TIMEOUT=${RING0_ORACLE_TIMEOUT:-420}   # seconds per boot, qemu killed after that

while [ $# -gt 0 ]; do
  case $1 in
    -j) JOBS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --list) LIST=1; shift ;;
    --keep) KEEP=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# The pinned kernel ABI (samples/VERSION names the headers package the samples were built with)
read -r HDR_PKG HDR_VER < <(awk '$1 ~ /^linux-headers-/ { print $1, $2 }' "$ROOT/samples/VERSION")
[ -n "${HDR_PKG:-}" ] || die "no linux-headers line in samples/VERSION"
RELEASE=${HDR_PKG#linux-headers-}          # 6.1.0-56-amd64
ABI=${RELEASE%-amd64}                      # 6.1.0-56
IMG_PKG=linux-image-$RELEASE
KERNEL=/boot/vmlinuz-$RELEASE
HDR_DIR=/usr/src/$HDR_PKG

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }

if [ "$LIST" = 0 ]; then
  missing=()
  for p in qemu-system-x86 "$IMG_PKG" busybox-static kmod cpio make gcc-12 binutils; do
    installed "$p" || missing+=("$p")
  done
  installed "$HDR_PKG" || missing+=("$HDR_PKG=$HDR_VER")   # for the helper module only
  if [ ${#missing[@]} -gt 0 ]; then
    echo "run.sh: installing ${missing[*]}" >&2
    [ "$(id -u)" = 0 ] || die "need root to apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
  fi

  # The image must be the pinned ABI: its bzImage header names the release it was built as.
  [ -r "$KERNEL" ] || die "$KERNEL missing (package $IMG_PKG)"
  ver_off=$(od -An -tu2 -j 526 -N 2 "$KERNEL" | tr -d ' ')
  KERNEL_BANNER=$(dd if="$KERNEL" bs=1 skip=$((ver_off + 512)) count=256 status=none | tr '\0' '\n' | head -1)
  case "$KERNEL_BANNER" in
    "$RELEASE "*) ;;
    *) die "$KERNEL says '$KERNEL_BANNER', not ABI $ABI ($RELEASE) as samples/VERSION pins: refusing" ;;
  esac
  IMG_VER=$(pkgver "$IMG_PKG")
  [ "$IMG_VER" = "$HDR_VER" ] ||
    echo "run.sh: note: $IMG_PKG is $IMG_VER, the samples were built with headers $HDR_VER (same ABI $ABI)" >&2
  [ -d "$HDR_DIR" ] || die "$HDR_DIR missing"
fi

# ---------------------------------------------------------------------------------------------
# What there is to load
shopt -s nullglob
MODULES=()
for f in "$SAMPLES"/*.ko; do MODULES+=("$(basename "$f" .ko)"); done
VARIANTS=()
for f in "$SAMPLES"/variants/*; do
  [ -f "$f" ] || continue
  case $f in *.md|*.txt|*.json|SHA256SUMS|*/SHA256SUMS) continue ;; esac
  VARIANTS+=("$(basename "$f")")
done
[ ${#MODULES[@]} -gt 0 ] || die "no modules in $SAMPLES"

have_module() { local m; for m in "${MODULES[@]}"; do [ "$m" = "$1" ] && return 0; done; return 1; }

# Module name as the kernel sees it (modinfo's name=, else the file name with - as _)
modname() {
  local n; n=$(modinfo -F name "$1" 2>/dev/null || true)
  [ -n "$n" ] || { n=$(basename "$1"); n=${n%.ko}; n=${n//-/_}; }
  echo "$n"
}

# Samples a module needs loaded first: samples exporting (__ksymtab_<sym>) what it leaves undefined
deps_of() {
  local file=$1 sym m out=()
  for sym in $(nm -u "$file" 2>/dev/null | awk '{ print $2 }'); do
    for m in "${MODULES[@]}"; do
      [ "$SAMPLES/$m.ko" = "$file" ] && continue
      if nm "$SAMPLES/$m.ko" 2>/dev/null | grep -q " __ksymtab_$sym\$"; then
        case " ${out[*]:-} " in *" $m "*) ;; *) out+=("$m") ;; esac
      fi
    done
  done
  echo "${out[*]:-}"
}

# Allocated sections that stay after init: "name:size" for the peek helper
peek_sections() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
if d[:4] != b'\x7fELF' or d[4] != 2:
    sys.exit(0)
shoff, = struct.unpack_from('<Q', d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
secs = [struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize) for i in range(shnum)]
stroff = secs[shstrndx][4]
out = []
for (name, typ, flags, addr, off, size, link, info, align, entsize) in secs:
    n = d[stroff + name:d.index(b'\0', stroff + name)].decode()
    if not flags & 2 or size == 0 or n.startswith('.init') or n == '.gnu.linkonce.this_module':
        continue
    out.append('%s:%d' % (n, min(size, 4096)))
print(' '.join(out[:16]))
PY
}

# ---------------------------------------------------------------------------------------------
# The boots. Each boot is a fresh kernel; each has a case script run by /init and its own
# kernel command-line words and QEMU arguments. Cases inside a boot share the kernel's state.
BOOTS=()
declare -A BOOT_APPEND BOOT_QEMU BOOT_SCRIPT

add_boot() {  # name append qemu-args script
  BOOTS+=("$1"); BOOT_APPEND[$1]=$2; BOOT_QEMU[$1]=$3; BOOT_SCRIPT[$1]=$4
}

# Guest shell snippets (the guest runs busybox ash; kmod's tools are called by full path)
g_insmod_case() {  # case dir file modname [args...]: insmod, its log, the module's state
  local c=$1 dir=$2 file=$3 mod=$4; shift 4
  cat <<EOF
begin $c
cd $dir
run /sbin/insmod $file $*
kmsg
modstate $mod
end
EOF
}
g_rmmod_case() {  # case modname
  cat <<EOF
begin $1
run /sbin/rmmod $2
kmsg
modstate $2
end
EOF
}
g_layout_case() {  # case modname file: where it landed, what it imports, its bytes after loading
  local c=$1 mod=$2 file=$3 syms secs
  syms=$(nm -u "$file" 2>/dev/null | awk '{ print $2 }' | tr '\n' ' ')
  secs=$(peek_sections "$file")
  cat <<EOF
begin $c
layout $mod
echo "--- /proc/kallsyms: symbols $mod imports ---"
awk -v want="$syms" 'BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) W[w[i]] = 1 } (\$3 in W)' /proc/kallsyms
peek $mod $secs
end
EOF
}
g_deps_case() {  # case deps...: load what the module needs first
  local c=$1 d; shift
  echo "begin $c"; echo "cd /samples"
  for d in "$@"; do echo "run /sbin/insmod $d.ko"; done
  echo "kmsg"
  for d in "$@"; do echo "modstate $(modname "$SAMPLES/$d.ko")"; done
  echo "end"
}

# Per-sample extras: what a reader does with the driver once it is loaded
g_use_case() {  # case module modname
  local c=$1 m=$2 mod=$3
  case $m in
    hello)
      cat <<EOF
begin $c
major=\$(awk '\$2 == "hello" { print \$1 }' /proc/devices)
run ls -l /dev/hello
run /samples/cat-hello
run mknod /dev/hello c \$major 0
run ls -l /dev/hello
run cat /dev/hello
run /samples/cat-hello
kmsg
end
begin hello-proc-devices
run cat /proc/devices
end
EOF
      ;;
    hellorw)
      cat <<EOF
begin $c
major=\$(awk '\$2 == "hellorw" { print \$1 }' /proc/devices)
run mknod /dev/hellorw c \$major 0
run /samples/ioctl-hello
run cat /dev/hellorw
echo
runsh 'echo -n 0123456789012345678901234567890123456789012345678901234567890123456789 > /dev/hellorw'
run cat /dev/hellorw
echo
kmsg
end
EOF
      ;;
    param)
      cat <<EOF
begin $c
run cat /sys/module/param/parameters/count
run ls -l /sys/module/param/parameters/
kmsg
end
EOF
      ;;
    irqcount)
      # COM2 (the second 16550 UART, -serial null) sits on ISA IRQ 3: setting its interrupt-enable
      # register to 0x02 (transmitter empty) raises the line at once; 0 lowers it again.
      cat <<EOF
begin $c
major=\$(awk '\$2 == "irqcount" { print \$1 }' /proc/devices)
run mknod /dev/irqcount c \$major 0
run cat /dev/irqcount
run grep irqcount /proc/interrupts
echo "# COM2 IER = 0x02: IRQ 3 rises"
com2_ier 2
run cat /dev/irqcount
run grep irqcount /proc/interrupts
echo "# COM2 IER = 0, then 0x02: a second rising edge"
com2_ier 0
com2_ier 2
run cat /dev/irqcount
run grep irqcount /proc/interrupts
com2_ier 0
vectors
kmsg
end
EOF
      ;;
    pcidrv)
      cat <<EOF
begin $c
for d in /sys/bus/pci/devices/*; do echo "\${d##*/} \$(cat \$d/vendor) \$(cat \$d/device) \$(cat \$d/class) driver=\$(basename \$(readlink \$d/driver 2>/dev/null) 2>/dev/null)"; done
run ls /sys/bus/pci/drivers/pcidrv
run cat /sys/bus/pci/drivers/pcidrv/module/refcnt
kmsg
end
EOF
      ;;
    *)
      # any other driver with a node (misc devices get one from devtmpfs) or a major
      cat <<EOF
major=\$(awk '\$2 == "$mod" { print \$1 }' /proc/devices)
if [ -e /dev/$mod ] || [ -n "\$major" ]; then
begin $c
[ -e /dev/$mod ] || run mknod /dev/$mod c \$major 0
run ls -l /dev/$mod
run timeout 20 head -c 4096 /dev/$mod
echo
kmsg
end
fi
EOF
      ;;
  esac
}

for m in "${MODULES[@]}"; do
  f=$SAMPLES/$m.ko
  mod=$(modname "$f")
  deps=$(deps_of "$f")
  qemu=""
  [ "$m" = pcidrv ] && qemu="-device pci-testdev"
  # irqcount: a second serial port (COM2, I/O 0x2f8, IRQ 3) whose interrupt the cases raise
  [ "$m" = irqcount ] && qemu="-serial mon:stdio -serial null"
  script=""
  # (vector_irq is read only after the insmod: reading it loads the helper module, whose taint
  # would change what the first insmod prints)
  [ "$m" = irqcount ] && script+=$'begin irqcount-lines-boot\nrun grep -E \'^ *[0-9]+:\' /proc/interrupts\nend\n'
  case $m in
    oops-init)
      script+=$(g_insmod_case oops-init-insmod /samples $m.ko "$mod")$'\n'
      script+=$(cat <<EOF
begin oops-init-after
run cat /proc/modules
run cat /sys/module/$mod/initstate
run timeout 20 /sbin/rmmod $mod
kmsg
modstate $mod
end
EOF
)$'\n'
      ;;
    oops-read)
      script+=$(g_insmod_case oops-read-insmod /samples $m.ko "$mod")$'\n'
      script+=$(cat <<EOF
begin oops-read-read
run ls -l /dev/$mod
run timeout 20 cat /dev/$mod
kmsg
modstate $mod
end
begin oops-read-rmmod
run timeout 20 /sbin/rmmod $mod
kmsg
modstate $mod
end
EOF
)$'\n'
      ;;
    *)
      if [ -n "$deps" ]; then
        # without what it needs first (fresh boot), then with it
        add_boot "$m-alone" "" "$qemu" "$(g_insmod_case "$m-alone-insmod" /samples $m.ko "$mod")"
        # shellcheck disable=SC2086
        script+=$(g_deps_case "$m-deps" $deps)$'\n'
      fi
      script+=$(g_insmod_case "$m-insmod" /samples $m.ko "$mod")$'\n'
      script+=$(g_layout_case "$m-layout" "$mod" "$f")$'\n'
      script+=$(g_use_case "$m-use" "$m" "$mod")$'\n'
      if [ "$m" = hello ]; then
        script+=$(g_insmod_case hello-insmod-again /samples hello.ko hello)$'\n'
        script+=$(cat <<EOF
begin hello-lsmod-modinfo
run /sbin/lsmod
run /sbin/modinfo /samples/hello.ko
end
EOF
)$'\n'
      fi
      if [ -n "$deps" ]; then
        for d in $deps; do script+=$(g_rmmod_case "$m-rmmod-$d-in-use" "$(modname "$SAMPLES/$d.ko")")$'\n'; done
      fi
      script+=$(g_rmmod_case "$m-rmmod" "$mod")$'\n'
      [ "$m" = hello ] && script+=$(g_rmmod_case hello-rmmod-again hello)$'\n'
      if [ "$m" = irqcount ]; then
        # free_irq() masked the line: a new edge reaches no handler. Then lines the boot's own
        # drivers hold, the cascade line 2, and line 16 (no descriptor), each a fresh insmod.
        script+=$'begin irqcount-after-free\ncom2_ier 2\nrun sleep 1\nrun grep -E \'^ *3:\' /proc/interrupts\ncom2_ier 0\nvectors\nkmsg\nend\n'
        for l in 0 1 2 4 8 9 12 16; do
          script+=$(g_insmod_case "irqcount-irq-$l" /samples irqcount.ko irqcount "irq=$l")$'\n'
          script+="if grep -q '^irqcount ' /proc/modules; then"$'\n'$(g_rmmod_case "irqcount-irq-$l-rmmod" irqcount)$'\n'"fi"$'\n'
        done
      fi
      ;;
  esac
  add_boot "$m" "" "$qemu" "$script"
done

# Module parameters given on insmod's command line
if have_module param; then
  add_boot param-args "" "" "$(g_insmod_case param-insmod-count5 /samples param.ko param count=5)
$(g_rmmod_case param-rmmod-count5 param)
$(g_insmod_case param-insmod-unknown /samples param.ko param nosuch=1)
$(g_rmmod_case param-rmmod-unknown param)
$(g_insmod_case param-insmod-bad-value /samples param.ko param count=abc)"
fi

# modprobe: depmod over the samples, then dependency loading by name
if have_module importer && have_module exporter; then
  add_boot modprobe "" "" "$(cat <<EOF
begin modprobe-depmod
d=/lib/modules/\$(uname -r)/extra
mkdir -p \$d
for f in /samples/*.ko; do case \$f in */oops-*) ;; *) cp \$f \$d/ ;; esac; done
run /sbin/depmod
run cat /lib/modules/\$(uname -r)/modules.dep
kmsg
end
begin modprobe-importer
run /sbin/modprobe importer
kmsg
modstate exporter
modstate importer
end
begin modprobe-importer-again
run /sbin/modprobe importer
kmsg
end
begin modprobe-missing
run /sbin/modprobe nosuch
kmsg
end
begin modprobe-remove
run /sbin/modprobe -r importer
kmsg
modstate importer
modstate exporter
end
EOF
)"
fi

# PCI hot-plug and autoload: depmod over the samples, the QEMU machine's PCI devices as sysfs
# shows them, then the pci-testdev is unplugged and plugged in again in software (remove, then
# a rescan: pci_scan_slot -> pci_device_add -> device_add, the path a hot-plug driver takes
# after a slot event) while busybox's `uevent` listens on the uevent netlink socket and runs
# /oracle/udev.sh for each event: it logs the event's variables in the kernel's order and, for an
# "add" with a MODALIAS, does what udev's 80-drivers.rules does (kmod load: modprobe -b). Then
# unplugging the bound device, modprobe -r, --first-time, and the kernel's own request_module()
# (opening a node of a major no driver holds, with /proc/sys/kernel/modprobe pointing at a
# wrapper that logs its arguments and environment before running the real modprobe).
if have_module pcidrv; then
  add_boot pci-hotplug "" "-device pci-testdev" "$(cat <<'EOF'
begin pci-hotplug-depmod
d=/lib/modules/$(uname -r)/extra
mkdir -p $d
for f in /samples/*.ko; do case $f in */oops-*) ;; *) cp $f $d/ ;; esac; done
run /sbin/depmod
run cat /lib/modules/$(uname -r)/modules.dep
run cat /lib/modules/$(uname -r)/modules.alias
run cat /lib/modules/$(uname -r)/modules.symbols
run cat /lib/modules/$(uname -r)/modules.softdep
run cat /lib/modules/$(uname -r)/modules.devname
kmsg
end
begin pci-hotplug-devices
for d in /sys/bus/pci/devices/*; do echo "${d##*/} vendor=$(cat $d/vendor) device=$(cat $d/device) subsystem_vendor=$(cat $d/subsystem_vendor) subsystem_device=$(cat $d/subsystem_device) class=$(cat $d/class) revision=$(cat $d/revision) driver=$(basename $(readlink $d/driver 2>/dev/null) 2>/dev/null)"; done
run cat /sys/bus/pci/devices/0000:00:04.0/modalias
run cat /sys/bus/pci/devices/0000:00:04.0/uevent
run ls /sys/bus/pci/drivers
kmsg
end
begin pci-hotplug-unplug
: >/tmp/uevents
env -i /bin/busybox uevent /oracle/udev.sh &
sleep 1
runsh "echo 1 >/sys/bus/pci/devices/0000:00:04.0/remove"
sleep 3
uevents
kmsg
end
begin pci-hotplug-plug
runsh "echo 1 >/sys/bus/pci/rescan"
sleep 8
uevents
kmsg
modstate pcidrv
run ls /sys/bus/pci/drivers/pcidrv
run cat /sys/bus/pci/devices/0000:00:04.0/uevent
run /sbin/lsmod
end
begin pci-hotplug-modprobe-again
run /sbin/modprobe pcidrv
run /sbin/modprobe --first-time pcidrv
kmsg
end
begin pci-hotplug-unplug-bound
runsh "echo 1 >/sys/bus/pci/devices/0000:00:04.0/remove"
sleep 3
uevents
kmsg
modstate pcidrv
end
begin pci-hotplug-modprobe-r
run /sbin/modprobe -r pcidrv
sleep 3
uevents
kmsg
modstate pcidrv
run /sbin/modprobe -r pcidrv
run /sbin/modprobe -r --first-time pcidrv
end
begin pci-hotplug-request-module
run cat /proc/sys/kernel/modprobe
echo /oracle/modprobe-log.sh >/proc/sys/kernel/modprobe
run mknod /dev/nomajor c 240 0
run cat /dev/nomajor
sleep 1
echo "--- /tmp/umh ---"; cat /tmp/umh 2>/dev/null; echo "--- end umh ---"
kmsg
end
EOF
)"
fi

# The three configurations: default (above), signature enforcement, lockdown
for m in hello signed; do
  have_module $m || continue
  for cfg in "sig-enforce:module.sig_enforce=1" "lockdown:lockdown=integrity"; do
    name=$m-${cfg%%:*}
    add_boot "$name" "${cfg#*:}" "" "$(g_insmod_case "$name-insmod" /samples $m.ko $m)
begin $name-lsmod
run cat /proc/modules
run cat /sys/module/module/parameters/sig_enforce
run cat /sys/kernel/security/lockdown
end"
  done
done

# Variants: each in a fresh boot (first-load messages and taints as a fresh kernel shows them)
for v in "${VARIANTS[@]}"; do
  f=$SAMPLES/variants/$v
  mod=$(modname "$f")
  deps=$(deps_of "$f")
  b=variant-${v%.ko}
  script=""
  # shellcheck disable=SC2086
  [ -n "$deps" ] && script+=$(g_deps_case "$b-deps" $deps)$'\n'
  script+=$(g_insmod_case "$b-insmod" /samples/variants "$v" "$mod")$'\n'
  script+="if grep -q \"^$mod \" /proc/modules; then"$'\n'$(g_rmmod_case "$b-rmmod" "$mod")$'\n'"fi"$'\n'
  add_boot "$b" "" "" "$script"
done

# User programs as real processes (ring 3): the kernel's lines for a #GP and a #PF from user mode,
# and the exit status busybox's shell reports (128 + signal for a killed process). Each program
# is copied to the initramfs root (/cli, /read-kernel, /busy-loop); each case prints the PID the
# guest last assigned before and after (ns_last_pid) and the guest uptime around the run.
# show_signal()/show_signal_msg() print only if printk_ratelimit() allows (shared state, 10 per
# 5 s by default): each faulting case first sleeps 5 s so that it opens a fresh window.
USER_PROGS=()
for p in cli read-kernel busy-loop; do [ -f "$SAMPLES/$p" ] && USER_PROGS+=("$p"); done
if [ ${#USER_PROGS[@]} -gt 0 ]; then
  script=$(cat <<'EOF'
begin user-sysctls
run cat /proc/sys/kernel/print-fatal-signals
run cat /proc/sys/debug/exception-trace
run cat /proc/sys/kernel/printk_ratelimit
run cat /proc/sys/kernel/printk_ratelimit_burst
run cat /proc/sys/kernel/printk
run cat /proc/sys/kernel/pid_max
run ls -l /cli /read-kernel /busy-loop
kmsg
end
EOF
)$'\n'
  for p in "${USER_PROGS[@]}"; do
    case $p in
      busy-loop) pre="" ;;                       # no kernel line expected; may take a while
      *) pre=$'run sleep 5\nkmsg\n' ;;           # a fresh printk_ratelimit() window
    esac
    script+="begin user-$p"$'\n'"$pre""userrun /$p"$'\n'"kmsg"$'\n'"end"$'\n'
  done
  add_boot user-programs "" "" "$script"
fi

# Devices: a module held by an open file (kmod's rmmod refuses in user space; the raw
# delete_module system call gets the kernel's own -EWOULDBLOCK), a misc device's node, sysfs
# entries and uevents (busybox's `uevent` applet listens on the kernel's netlink socket from the
# start and runs `env` for each event), and what busybox's ls, cat and grep print for the paths
# the book uses. The shell's own fd holds the module: `exec 3</dev/hello` opens it in /init's
# shell (a redirection error in `exec` would end that shell, so those tries run in `sh -c`).
if have_module hello && have_module miscdev && [ -f "$SAMPLES/delete-module" ]; then
  add_boot devices "" "" "$(cat <<'EOF'
uevent env >/tmp/uevents 2>&1 &
sleep 1
begin devices-hello-held
cd /samples
run /sbin/insmod hello.ko
major=$(awk '$2 == "hello" { print $1 }' /proc/devices)
runsh 'exec 3</dev/hello'
run mknod /dev/hello c $major 0
echo "# exec 3</dev/hello"; exec 3</dev/hello; echo "[exit status $?]"
run cat /sys/module/hello/refcnt
run /sbin/lsmod
run cat /proc/modules
run ls /sys/module/hello/holders
run ls /sys/module/hello
run ls -l /sys/module/hello
run ls -l /sys/module/hello/holders
run ls /sys/module/hello/sections
run ls /sys/module/hello/notes
run cat /sys/module/hello/uevent
run /sbin/rmmod hello
run /samples/delete-module hello
run /samples/delete-module hello 0
echo "# exec 3<&-"; exec 3<&-; echo "[exit status $?]"
run cat /sys/module/hello/refcnt
run /sbin/rmmod hello
runsh 'exec 3</dev/hello'
run /samples/delete-module hello
run /sbin/insmod exporter.ko
run /sbin/insmod importer.ko
run ls /sys/module/exporter/holders
run ls -l /sys/module/exporter/holders
run cat /sys/module/exporter/refcnt
run /samples/delete-module exporter
run /sbin/rmmod importer
run /sbin/rmmod exporter
kmsg
end
begin devices-misc
cd /samples
run /sbin/insmod miscdev.ko
run ls -l /dev/miscdev
run ls /sys/class/misc/miscdev
run cat /sys/class/misc/miscdev/dev
run cat /sys/class/misc/miscdev/uevent
run readlink /sys/class/misc/miscdev
run ls -l /sys/class/misc/miscdev/
run ls -l /sys/devices/virtual/misc/miscdev/power
run ls -l /sys/class/misc
run cat /proc/misc
echo "# exec 4</dev/miscdev"; exec 4</dev/miscdev; echo "[exit status $?]"
run cat /sys/module/miscdev/refcnt
run /sbin/lsmod
run /sbin/rmmod miscdev
run /samples/delete-module miscdev
echo "# exec 4<&-"; exec 4<&-; echo "[exit status $?]"
run cat /sys/module/miscdev/refcnt
run /sbin/rmmod miscdev
run ls -l /dev/miscdev
run ls /sys/class/misc/miscdev
kmsg
end
begin devices-uevents
sleep 1
run cat /tmp/uevents
end
begin devices-ls
run ls /dev
run ls -l /dev
run ls /sys/class/misc
run ls -l /sys/class/misc
run ls -l /dev/input
run ls -l /sys/class/misc/psaux/
run ls /sys/class
run ls /sys/module/hello
run ls /nonexistent
run ls /dev/null/x
run ls -l /dev/null /dev/nosuch
run cat /dev
run cat /nonexistent
run cat /sys/module
run ls /
run ls /proc/modules
run ls -l /proc/modules
run ls /sys/module/module
run ls /proc
run ls /sys
run ls /sys/module
end
begin devices-grep
run grep misc /proc/devices
run grep -c misc /proc/devices
run grep -w misc /proc/devices
run grep -i MISC /proc/devices
run grep -v a /proc/devices
run grep nosuch /proc/devices
run grep misc /nonexistent
run grep misc /dev
runsh "grep '^ *1[0-9] ' /proc/devices"
runsh "grep 'p.s$' /proc/devices"
runsh "grep -i 'T[a-z]*Y' /proc/devices"
run grep
run grep -q misc /proc/devices
run grep misc /proc/devices /proc/misc
end
EOF
)"
fi

if [ -n "$ONLY" ]; then
  sel=()
  for b in "${BOOTS[@]}"; do case ",$ONLY," in *",$b,"*) sel+=("$b") ;; esac; done
  [ ${#sel[@]} -gt 0 ] || die "--only $ONLY matches no boot (see --list)"
  BOOTS=("${sel[@]}")
fi

if [ "$LIST" = 1 ]; then
  for b in "${BOOTS[@]}"; do printf '%-28s %s %s\n' "$b" "${BOOT_APPEND[$b]}" "${BOOT_QEMU[$b]}"; done
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# The initramfs
TMP=$(mktemp -d /tmp/ring0-oracle.XXXXXX)
cleanup() { if [ "$KEEP" = 1 ]; then echo "run.sh: kept $TMP" >&2; else rm -rf "$TMP"; fi; }
trap cleanup EXIT

# The helper module, built by kbuild against the pinned headers
mkdir -p "$TMP/peek"
cp "$ORACLE/peek/Kbuild" "$ORACLE/peek/ring0_peek.c" "$TMP/peek/"
make -s -C "$HDR_DIR" M="$TMP/peek" modules >"$TMP/peek.log" 2>&1 || { cat "$TMP/peek.log" >&2; die "helper module build failed"; }

R=$TMP/root
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,samples/variants,oracle,cases,lib/modules/$RELEASE}
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list-full); do
  [ -e "$R/$a" ] || [ -L "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done
# The real kmod with its libraries and the dynamic loader
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
ln -sf /usr/bin/kmod "$R/bin/kmod"
# The samples
for m in "${MODULES[@]}"; do cp "$SAMPLES/$m.ko" "$R/samples/"; done
for v in "${VARIANTS[@]}"; do cp "$SAMPLES/variants/$v" "$R/samples/variants/"; done
for p in cat-hello ioctl-hello delete-module; do [ -f "$SAMPLES/$p" ] && install -m 755 "$SAMPLES/$p" "$R/samples/$p"; done
for p in "${USER_PROGS[@]}"; do install -m 755 "$SAMPLES/$p" "$R/$p"; done
cp "$TMP/peek/ring0_peek.ko" "$R/oracle/"

cat >"$R/oracle/lib.sh" <<'EOF'
# Helpers for the case scripts (busybox ash). kmod's tools are always called by full path:
# busybox's shell would otherwise run its own insmod/rmmod applets.
begin() { CASE=$1; echo "##### RING0-ORACLE BEGIN $1 #####"; }
end() { echo "##### RING0-ORACLE END $CASE #####"; }
run() { echo "# $*"; "$@"; echo "[exit status $?]"; }
runsh() { echo "# $1"; sh -c "$1"; echo "[exit status $?]"; }  # a command line with redirections
userrun() {  # program: run it as a child of this shell, its stdout and stderr kept apart
  # The subshell execs the program (one fork: its PID is the program's). The shell's own
  # "Segmentation fault" notice goes to the console, between the command and its status.
  # ns_last_pid is the last PID handed out; it is read by cat (a read at a nonzero offset of a
  # sysctl file returns nothing, so the shell's byte-by-byte `read` would see one digit only).
  pid0=$(cat /proc/sys/kernel/ns_last_pid)
  read -r up0 _ </proc/uptime
  echo "ns_last_pid before: $pid0 (the PID of the cat that read it)"
  echo "# $1"
  ( exec "$1" >/tmp/stdout 2>/tmp/stderr )
  st=$?
  read -r up1 _ </proc/uptime
  echo "[exit status $st]"
  echo "ns_last_pid after: $(cat /proc/sys/kernel/ns_last_pid) (the PID of the cat that read it)"
  echo "uptime before/after: $up0 $up1"
  echo "--- stdout of $1 ($(wc -c </tmp/stdout) bytes) ---"; cat /tmp/stdout
  echo "--- stderr of $1 ($(wc -c </tmp/stderr) bytes) ---"; cat /tmp/stderr
  echo "--- end output ---"
}
kmsg() { echo "--- dmesg -c ---"; dmesg -c; echo "--- end dmesg ---"; }
com2_ier() {  # value: write COM2's interrupt-enable register (I/O port 0x2f9) through /dev/port
  printf "\\$(printf '%03o' "$1")" | dd of=/dev/port bs=1 seek=761 count=1 2>/dev/null
}
vectors() {  # CPU 0's vector_irq[256] (arch/x86/kernel/irq.c), a per-CPU array: its symbol is an
  # offset into the per-CPU area, whose base for CPU 0 is __per_cpu_offset[0]
  pco=$(awk '$3 == "__per_cpu_offset" { print $1; exit }' /proc/kallsyms)
  vi=$(awk '$3 == "vector_irq" { print $1; exit }' /proc/kallsyms)
  dmesg -c >/dev/null
  /sbin/insmod /oracle/ring0_peek.ko addr=0x$pco len=8 name=__per_cpu_offset
  off=$(dmesg -c | sed -n 's/.*ring0_peek: 00000000: //p' | awk '{ s = ""; for (i = 8; i >= 1; i--) s = s $i; print s }')
  /sbin/rmmod ring0_peek
  echo "--- vector_irq of CPU 0: per-CPU offset 0x$vi + __per_cpu_offset[0] 0x$off ---"
  /sbin/insmod /oracle/ring0_peek.ko addr=0x$(printf '%x' $((0x$off + 0x$vi))) len=2048 name=vector_irq
  dmesg -c | sed -n 's/.*\] ring0_peek: //p'
  /sbin/rmmod ring0_peek
  dmesg -c >/dev/null
  echo "--- end vector_irq ---"
}
modstate() {  # name: what /proc, /sys and the taint mask say about a module
  echo "--- /proc/modules: $1 ---"
  grep "^$1 " /proc/modules || echo "(not loaded)"
  echo "--- /proc/sys/kernel/tainted ---"
  cat /proc/sys/kernel/tainted
  if [ -d /sys/module/$1 ]; then
    for f in initstate refcnt taint coresize initsize; do
      [ -r /sys/module/$1/$f ] && echo "/sys/module/$1/$f: $(cat /sys/module/$1/$f)"
    done
    [ -d /sys/module/$1/holders ] && echo "/sys/module/$1/holders: $(ls /sys/module/$1/holders)"
  fi
  echo "--- /proc/devices: $1 ---"
  awk -v m="$1" '$2 == m' /proc/devices | grep . || echo "(none)"
  [ -e /dev/$1 ] && ls -l /dev/$1
  true
}
layout() {  # name: section addresses and the module's own symbols
  echo "--- /sys/module/$1/sections ---"
  for f in /sys/module/$1/sections/.* /sys/module/$1/sections/*; do
    [ -f "$f" ] && echo "${f##*/} $(cat $f)"
  done
  echo "--- /proc/kallsyms [$1] ---"
  grep "\[$1\]" /proc/kallsyms
  echo "--- /proc/vmallocinfo: module area ---"
  vmalloc_modules
}
vmalloc_modules() {  # %pK hashes addresses unless kptr_restrict is 1 (root then sees them)
  k=$(cat /proc/sys/kernel/kptr_restrict); echo 1 >/proc/sys/kernel/kptr_restrict
  grep '^0xffffffffc' /proc/vmallocinfo
  echo "$k" >/proc/sys/kernel/kptr_restrict
}
peek() {  # name section:size...: dump each section's bytes through the helper module
  m=$1; shift; a=; l=; n=
  for s in "$@"; do
    sec=${s%:*}; f=/sys/module/$m/sections/$sec
    [ -r "$f" ] || continue
    a="$a,$(cat $f)"; l="$l,${s##*:}"; n="$n,$sec"
  done
  [ -n "$a" ] || return 0
  run /sbin/insmod /oracle/ring0_peek.ko addr=${a#,} len=${l#,} name=${n#,}
  kmsg
  run /sbin/rmmod ring0_peek
  kmsg
}
EOF

# The modelled udev of the pci-hotplug boot (run by busybox's `uevent` for each netlink event, its
# environment holding exactly the event's variables in the kernel's order), the request_module()
# wrapper, and the case helper that prints and clears the uevent log.
cat >"$R/oracle/udev.sh" <<'EOF'
#!/bin/sh
{ echo "--- uevent ---"; tr '\0' '\n' </proc/$$/environ; } >>/tmp/uevents
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
if [ "$ACTION" = add ] && [ -n "$MODALIAS" ]; then
  echo "# /sbin/modprobe -b $MODALIAS" >>/tmp/uevents
  /sbin/modprobe -b "$MODALIAS" >>/tmp/uevents 2>&1
  echo "[exit status $?]" >>/tmp/uevents
fi
EOF
cat >"$R/oracle/modprobe-log.sh" <<'EOF'
#!/bin/sh
{ echo "--- call_usermodehelper: $0 $* ---"; tr '\0' '\n' </proc/$$/environ; } >>/tmp/umh
/sbin/modprobe "$@" >>/tmp/umh 2>&1
st=$?
echo "[exit status $st]" >>/tmp/umh
exit $st
EOF
chmod 755 "$R/oracle/udev.sh" "$R/oracle/modprobe-log.sh"
cat >>"$R/oracle/lib.sh" <<'EOF'
uevents() { echo "--- uevents ---"; cat /tmp/uevents; : >/tmp/uevents; echo "--- end uevents ---"; }
EOF

cat >"$R/init" <<'EOF'
#!/bin/sh
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
. /oracle/lib.sh
boot=$(sed -n 's/.*ring0\.boot=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "##### RING0-ORACLE BOOT $boot #####"
echo "uptime: $(cat /proc/uptime)"
echo "version: $(cat /proc/version)"
echo "cmdline: $(cat /proc/cmdline)"
echo "tainted: $(cat /proc/sys/kernel/tainted)"
echo "module area in /proc/vmallocinfo (from 0xffffffffc0000000) before any load:"
vmalloc_modules
dmesg -c >/dev/null
if [ -f /cases/$boot.sh ]; then . /cases/$boot.sh; else echo "no case script for '$boot'"; fi
echo "##### RING0-ORACLE DONE $boot uptime $(cat /proc/uptime) #####"
poweroff -f
EOF
chmod 755 "$R/init"

for b in "${BOOTS[@]}"; do printf '%s\n' "${BOOT_SCRIPT[$b]}" >"$R/cases/$b.sh"; done
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n -6 >"$TMP/initramfs.cpio.gz"

# ---------------------------------------------------------------------------------------------
# Boot
mkdir -p "$TMP/logs"
boot_one() {
  local b=$1 t0 t1 rc=0
  local append="console=ttyS0 nokaslr panic=-1 loglevel=7 ${BOOT_APPEND[$b]:+${BOOT_APPEND[$b]} }ring0.boot=$b"
  # shellcheck disable=SC2206
  local extra=(${BOOT_QEMU[$b]})
  local cmd=(qemu-system-x86_64 -m 512 -smp 1 -nographic -no-reboot
             -kernel "$KERNEL" -initrd "$TMP/initramfs.cpio.gz" -append "$append" "${extra[@]}")
  { printf '%s ' "${cmd[@]:0:${#cmd[@]}-${#extra[@]}-1}"; printf '"%s"' "$append"
    [ ${#extra[@]} -eq 0 ] || printf ' %s' "${extra[@]}"; echo; } | sed "s|$TMP/|\$TMP/|g" >"$TMP/logs/$b.cmd"
  echo "$append" >"$TMP/logs/$b.append"
  t0=$(date +%s.%N)
  timeout "$BOOT_TIMEOUT" "${cmd[@]}" </dev/null >"$TMP/logs/$b.log" 2>"$TMP/logs/$b.err" || rc=$?
  t1=$(date +%s.%N)
  echo "$rc $(echo "$t1 - $t0" | bc 2>/dev/null || awk "BEGIN { print $t1 - $t0 }")" >"$TMP/logs/$b.rc"
  echo "run.sh: boot $b: exit $rc, $(cut -d' ' -f2 "$TMP/logs/$b.rc") s" >&2
}

running=0
for b in "${BOOTS[@]}"; do
  boot_one "$b" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

# ---------------------------------------------------------------------------------------------
# Transcripts: one file per case, and the index
mkdir -p "$OUT"
clean=--clean
[ -n "$ONLY" ] && clean=""
# shellcheck disable=SC2086
python3 "$ORACLE/transcripts.py" --logs "$TMP/logs" --out "$OUT" --root "$ROOT" $clean \
  --boots "$(IFS=,; echo "${BOOTS[*]}")" \
  --kernel "$KERNEL" --kernel-banner "$KERNEL_BANNER" \
  --packages "$IMG_PKG=$(pkgver "$IMG_PKG")" "qemu-system-x86=$(pkgver qemu-system-x86)" \
             "busybox-static=$(pkgver busybox-static)" "kmod=$(pkgver kmod)" "$HDR_PKG=$(pkgver "$HDR_PKG")" \
  --samples "${MODULES[@]/%/.ko}" "${VARIANTS[@]/#/variants/}" ${USER_PROGS[@]+"${USER_PROGS[@]}"} \
            $(for p in cat-hello ioctl-hello delete-module; do [ -f "$SAMPLES/$p" ] && echo "$p"; done)
