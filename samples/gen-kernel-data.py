#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""gen-kernel-data.py - the emulated kernel's facts, read from the pinned Debian headers.

Run by samples/build.sh (stdlib only):

    gen-kernel-data.py KDIR HEADERS_PKG HEADERS_VERSION MODULE.ko LAYOUT.s OUTDIR

writes into OUTDIR (src/sim/data/):
  kernel-release.json   release, version, vermagic (as the built MODULE.ko carries it),
                        and the CONFIG_ options the module loader model depends on
  vmlinux-exports.json  every vmlinux export in KDIR/Module.symvers
  layout.json           offsetof/sizeof values compiled by kbuild from probe/layout.c
                        (LAYOUT.s is gcc's assembly output, see below)
The formats are documented in src/sim/data/README.md.
"""
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in samples/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kelf  # noqa: E402

# The .config options the model reads (bool options: true/false; others: their value).
CONFIG_OPTIONS = [
    # module loading
    "MODULES", "MODVERSIONS", "ASM_MODVERSIONS", "MODULE_SRCVERSION_ALL",
    "MODULE_FORCE_LOAD", "MODULE_UNLOAD", "MODULE_FORCE_UNLOAD", "MODULE_UNLOAD_TAINT_TRACKING",
    "MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS", "TRIM_UNUSED_KSYMS", "MODULES_TREE_LOOKUP",
    "STRICT_MODULE_RWX", "MODULE_COMPRESS_NONE", "MODPROBE_PATH", "KALLSYMS",
    # signatures and lockdown
    "MODULE_SIG", "MODULE_SIG_FORCE", "MODULE_SIG_ALL", "MODULE_SIG_SHA256", "MODULE_SIG_HASH",
    "MODULE_SIG_KEY", "MODULE_SIG_KEY_TYPE_RSA", "SYSTEM_TRUSTED_KEYRING", "SYSTEM_TRUSTED_KEYS",
    "SYSTEM_BLACKLIST_KEYRING", "SECONDARY_TRUSTED_KEYRING", "INTEGRITY_PLATFORM_KEYRING",
    "SECURITY_LOCKDOWN_LSM", "SECURITY_LOCKDOWN_LSM_EARLY", "LOCK_DOWN_KERNEL_FORCE_NONE",
    "LOCK_DOWN_KERNEL_FORCE_INTEGRITY", "LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY",
    "LOCK_DOWN_IN_EFI_SECURE_BOOT", "IMA", "IMA_ARCH_POLICY", "EFI",
    # layout and code generation
    "SMP", "NR_CPUS", "HZ", "PREEMPT_VOLUNTARY", "PREEMPT", "PREEMPT_DYNAMIC",
    "RANDOMIZE_BASE", "RANDOMIZE_MEMORY", "PHYSICAL_START", "PAGE_TABLE_ISOLATION",
    "RETPOLINE", "RETHUNK", "CPU_UNRET_ENTRY", "X86_KERNEL_IBT", "STACKPROTECTOR",
    "STACKPROTECTOR_STRONG", "HARDENED_USERCOPY", "FUNCTION_TRACER", "DYNAMIC_FTRACE",
    "FTRACE_MCOUNT_RECORD", "JUMP_LABEL", "GENERIC_BUG", "KPROBES", "STACKTRACE_BUILD_ID",
    "DEBUG_INFO_BTF_MODULES", "DEVTMPFS", "DEVTMPFS_MOUNT", "SYSFS", "PCI",
]


def read_config(path):
    values = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^CONFIG_(\w+)=(.*)$", line)
        if m:
            v = m.group(2)
            if v == "y":
                values[m.group(1)] = True
            elif v.startswith('"'):
                values[m.group(1)] = json.loads(v)
            elif re.fullmatch(r"-?\d+", v):
                values[m.group(1)] = int(v)
            else:
                values[m.group(1)] = v          # "m", hex values
            continue
        m = re.match(r"^# CONFIG_(\w+) is not set$", line)
        if m:
            values[m.group(1)] = False
    return values


def c_define(path, name):
    text = open(path, encoding="utf-8").read()
    m = re.search(r'#define\s+%s\s+"(.*)"' % name, text)
    if not m:
        sys.exit("gen-kernel-data.py: no %s in %s" % (name, path))
    return m.group(1)


def kernel_release(kdir, pkg, pkgver, module):
    gen = os.path.join(kdir, "include/generated")
    cfg = read_config(os.path.join(kdir, ".config"))
    elf = kelf.Elf(open(module, "rb").read())
    vermagic = [v for _, v in elf.modinfo() if v.startswith("vermagic=")]
    if len(vermagic) != 1:
        sys.exit("gen-kernel-data.py: %s has no single vermagic= in .modinfo" % module)
    release = c_define(os.path.join(gen, "utsrelease.h"), "UTS_RELEASE")
    vm = vermagic[0][len("vermagic="):]
    if not vm.startswith(release + " "):
        sys.exit("gen-kernel-data.py: vermagic %r does not start with the release %r" % (vm, release))
    return {
        "format": "ring0-kernel-release/1",
        "source": "%s %s" % (pkg, pkgver),
        "release": release,
        "upstreamVersion": open(os.path.join(kdir, "include/config/kernel.release")).read().strip(),
        "version": c_define(os.path.join(gen, "utsversion.h"), "UTS_VERSION"),
        "machine": c_define(os.path.join(gen, "compile.h"), "UTS_MACHINE"),
        "compiler": c_define(os.path.join(gen, "compile.h"), "LINUX_COMPILER"),
        "compileBy": c_define(os.path.join(gen, "compile.h"), "LINUX_COMPILE_BY"),
        "compileHost": c_define(os.path.join(gen, "compile.h"), "LINUX_COMPILE_HOST"),
        "vermagic": vm,
        "vermagicFrom": os.path.basename(module),
        "config": {name: cfg.get(name) for name in CONFIG_OPTIONS},
    }


def vmlinux_exports(kdir, pkg, pkgver):
    rows = []
    for line in open(os.path.join(kdir, "Module.symvers"), encoding="utf-8"):
        # crc \t name \t module \t EXPORT_SYMBOL[_GPL] \t namespace
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5:
            sys.exit("gen-kernel-data.py: unexpected Module.symvers line %r" % line)
        crc, name, module, kind, ns = fields
        if module != "vmlinux":
            continue
        if kind not in ("EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL") or not re.fullmatch(r"0x[0-9a-f]{8}", crc):
            sys.exit("gen-kernel-data.py: unexpected Module.symvers line %r" % line)
        rows.append([name, crc[2:], 1 if kind == "EXPORT_SYMBOL_GPL" else 0, ns])
    # Sorted by name (byte order), like vmlinux's __ksymtab, which 6.1 searches by bsearch.
    rows.sort(key=lambda r: r[0].encode())
    names = [r[0] for r in rows]
    if len(set(names)) != len(names):
        sys.exit("gen-kernel-data.py: duplicate vmlinux export in Module.symvers")
    return {
        "format": "ring0-exports/1",
        "source": "%s %s: Module.symvers, entries whose module is vmlinux" % (pkg, pkgver),
        "fields": ["name", "crc", "flags", "namespace"],
        "flagBits": {"gplOnly": 1},
        "count": len(rows),
        "gplOnlyCount": sum(r[2] for r in rows),
        "exports": rows,
    }


def layout(asm_path):
    """Collect the "->NAME VALUE" markers that probe/layout.c's asm statements leave in
    gcc's assembly output (the kernel's own asm-offsets technique): lines such as
        .ascii "->file_operations.read $16 offsetof(...)"
    NAME is struct.field (an offset), struct.field/size (sizeof the member) or
    struct/size (sizeof the struct)."""
    structs = {}
    marker = re.compile(r'^\s*\.ascii\s+"->([A-Za-z0-9_.]+)(/size)? \$?(-?\d+) ')
    for line in open(asm_path, encoding="utf-8"):
        m = marker.match(line)
        if not m:
            continue
        name, is_size, value = m.group(1), m.group(2), int(m.group(3))
        struct_name, _, field = name.partition(".")
        s = structs.setdefault(struct_name, {"size": None, "fields": {}, "fieldSizes": {}})
        if not field:
            s["size"] = value
        elif is_size:
            s["fieldSizes"][field] = value
        else:
            s["fields"][field] = value
    if not structs:
        sys.exit("gen-kernel-data.py: no ->markers in %s" % asm_path)
    for name, s in structs.items():
        if s["size"] is None:
            sys.exit("gen-kernel-data.py: no sizeof for struct %s" % name)
        for f, off in s["fields"].items():
            if f not in s["fieldSizes"]:
                sys.exit("gen-kernel-data.py: no size for %s.%s" % (name, f))
            if off + s["fieldSizes"][f] > s["size"]:
                sys.exit("gen-kernel-data.py: %s.%s lies outside the struct" % (name, f))
    return structs


def write_json(path, obj, compact=False):
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            # One export per line: small, and still diffable.
            f.write("{\n")
            items = list(obj.items())
            for i, (k, v) in enumerate(items):
                end = ",\n" if i < len(items) - 1 else "\n"
                if k == "exports":
                    f.write('  "exports": [\n')
                    f.write(",\n".join("    " + json.dumps(r, separators=(",", ":")) for r in v))
                    f.write("\n  ]" + end)
                else:
                    f.write("  %s: %s%s" % (json.dumps(k), json.dumps(v, separators=(", ", ": ")), end))
            f.write("}\n")
        else:
            json.dump(obj, f, indent=2)
            f.write("\n")


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    kdir, pkg, pkgver, module, asm, outdir = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    rel = kernel_release(kdir, pkg, pkgver, module)
    write_json(os.path.join(outdir, "kernel-release.json"), rel)
    exp = vmlinux_exports(kdir, pkg, pkgver)
    write_json(os.path.join(outdir, "vmlinux-exports.json"), exp, compact=True)
    lay = layout(asm)
    # Top level: one key per struct, nothing else (see src/sim/data/README.md).
    write_json(os.path.join(outdir, "layout.json"), lay)
    print("gen-kernel-data.py: release %s, vermagic %r, %d vmlinux exports (%d GPL-only), %d structs"
          % (rel["release"], rel["vermagic"], exp["count"], exp["gplOnlyCount"], len(lay)))


if __name__ == "__main__":
    main()
