#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check.py - cross-check arith.json against a second, independent model.

The goldens come from the real CPU (gen.c). This script recomputes every
case from the Intel SDM's pseudo-code in plain Python and compares the
result registers and the flags in the case's mask. A disagreement means
either the generator is wrong (wrong register, wrong mask) or the CPU
differs from the SDM where the mask claims a flag is defined; either way
the emulator's test would chase a phantom, so generate.sh stops.

    python3 check.py arith.json
"""
import json
import sys

CF, PF, AF, ZF, SF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x800
M64 = (1 << 64) - 1


def mask(size):
    return (1 << size) - 1


def sx(v, size):
    v &= mask(size)
    return v - (1 << size) if v >> (size - 1) else v


def parity(v):
    return PF if bin(v & 0xff).count("1") % 2 == 0 else 0


def szp(r, size):
    r &= mask(size)
    return (ZF if r == 0 else 0) | (SF if r >> (size - 1) else 0) | parity(r)


def put(reg, v, size):
    """Write the low `size` bits of a 64-bit register, x86-64 style."""
    if size == 32:
        return v & mask(32)
    if size == 64:
        return v & M64
    return (reg & ~mask(size) & M64) | (v & mask(size))


def add_flags(a, b, c, size):
    r = a + b + c
    f = szp(r, size)
    if r >> size:
        f |= CF
    if (a ^ r) & (b ^ r) & (1 << (size - 1)):
        f |= OF
    if (a ^ b ^ r) & 0x10:
        f |= AF
    return r & mask(size), f


def sub_flags(a, b, c, size):
    r = (a - b - c) & mask(size)
    f = szp(r, size)
    if a < b + c:
        f |= CF
    if (a ^ b) & (a ^ r) & (1 << (size - 1)):
        f |= OF
    if (a ^ b ^ r) & 0x10:
        f |= AF
    return r, f


def model(c):
    """-> (rax, rdx or None, rcx or None, flags) after the instruction."""
    op, size = c["op"], c["size"]
    A = int(c["a"], 16)
    B = int(c.get("b", "0"), 16)
    D = int(c.get("d", "0"), 16)
    fin = int(c["flagsIn"], 16)
    a, b, m = A & mask(size), B & mask(size), mask(size)
    cf = fin & CF
    keep = lambda f, affected: (fin & ~affected) | f
    ALL = CF | PF | AF | ZF | SF | OF
    if op in ("add", "adc", "xadd"):
        r, f = add_flags(a, b, cf if op == "adc" else 0, size)
        return put(A, r, size), None, (put(B, a, size) if op == "xadd" else None), keep(f, ALL)
    if op in ("sub", "sbb", "cmp"):
        r, f = sub_flags(a, b, cf if op == "sbb" else 0, size)
        return (A if op == "cmp" else put(A, r, size)), None, None, keep(f, ALL)
    if op in ("and", "or", "xor", "test"):
        r = {"and": a & b, "test": a & b, "or": a | b, "xor": a ^ b}[op]
        return (A if op == "test" else put(A, r, size)), None, None, keep(szp(r, size), ALL)
    if op == "cmpxchg":
        _, f = sub_flags(a, b, 0, size)
        if a == b:
            return A, None, put(B, D, size), keep(f, ALL)
        return put(A, b, size), None, B, keep(f, ALL)
    if op in ("inc", "dec"):
        r, f = (add_flags if op == "inc" else sub_flags)(a, 1, 0, size)
        return put(A, r, size), None, None, keep(f & ~CF, ALL & ~CF)
    if op == "neg":
        r, f = sub_flags(0, a, 0, size)
        return put(A, r, size), None, None, keep(f, ALL)
    if op == "not":
        return put(A, ~a, size), None, None, fin
    if op in ("shl", "shr", "sar", "rol", "ror"):
        n = c["imm"] if "imm" in c else B & 0xff
        n &= 63 if size == 64 else 31
        if n == 0:
            # flags untouched, but the destination is still written: a 32-bit
            # shift by 0 clears bits 63..32 (the CPU agrees, see README)
            return put(A, a, size), None, None, fin
        if op == "shl":
            r = (a << n) & m
            cout = (a >> (size - n)) & 1 if n <= size else 0
            f = szp(r, size) | (CF if cout else 0)
            if n == 1:
                f |= OF if (r >> (size - 1)) ^ cout else 0
            return put(A, r, size), None, None, keep(f, ALL)
        if op == "shr":
            r = a >> n
            cout = (a >> (n - 1)) & 1 if n <= size else 0
            f = szp(r, size) | (CF if cout else 0)
            if n == 1:
                f |= OF if a >> (size - 1) else 0
            return put(A, r, size), None, None, keep(f, ALL)
        if op == "sar":
            s = sx(a, size)
            r = (s >> n) & m
            cout = (s >> (n - 1)) & 1 if n <= size else (1 if s < 0 else 0)
            f = szp(r, size) | (CF if cout else 0)      # OF = 0 for a 1-bit SAR
            return put(A, r, size), None, None, keep(f, ALL)
        k = n % size
        if op == "rol":
            r = ((a << k) | (a >> (size - k))) & m if k else a
            cout = r & 1
            f = CF if cout else 0
            if n == 1:
                f |= OF if (r >> (size - 1)) ^ cout else 0
        else:
            r = ((a >> k) | (a << (size - k))) & m if k else a
            cout = r >> (size - 1)
            f = CF if cout else 0
            if n == 1:
                f |= OF if (r >> (size - 1)) ^ ((r >> (size - 2)) & 1) else 0
        return put(A, r, size), None, None, keep(f, CF | OF)
    if op in ("mul", "imul1"):
        if op == "mul":
            p = a * b
            hi = p >> size
            f = (CF | OF) if hi else 0
        else:
            p = sx(a, size) * sx(b, size)
            f = 0 if sx(p & mask(size), size) == p else (CF | OF)
            p &= mask(2 * size)
        if size == 8:
            return put(A, p, 16), None, None, keep(f, ALL)
        return put(A, p, size), put(D, p >> size, size), None, keep(f, ALL)
    if op == "imul":
        p = sx(a, size) * sx(b, size)
        f = 0 if sx(p & mask(size), size) == p else (CF | OF)
        return put(A, p, size), None, None, keep(f, ALL)
    if op in ("div", "idiv"):
        if size == 8:
            lo, hi = A & 0xff, (A >> 8) & 0xff
        else:
            lo, hi = a, D & mask(size)
        if op == "div":
            num = (hi << size) | lo
            q, rem = divmod(num, b)
        else:
            num = sx((hi << size) | lo, 2 * size)
            d = sx(b, size)
            q = abs(num) // abs(d) * (1 if (num < 0) == (d < 0) else -1)
            rem = num - q * d
        q &= m
        rem &= m
        if size == 8:
            return put(A, q | rem << 8, 16), None, None, fin
        return put(A, q, size), put(D, rem, size), None, fin
    if op in ("bt", "bts", "btr"):
        bit = b % size
        f = CF if (a >> bit) & 1 else 0
        r = a | (1 << bit) if op == "bts" else a & ~(1 << bit) if op == "btr" else a
        # bt only reads its operand: a 32-bit bt leaves bits 63..32 alone
        dest = A if op == "bt" else put(A, r, size)
        return dest, None, None, keep(f, ALL & ~ZF)     # ZF unaffected
    if op in ("cbw", "cwde", "cdqe"):
        return put(A, sx(A, size // 2), size), None, None, fin
    if op in ("cwd", "cdq", "cqo"):
        return A, put(D, m if sx(A, size) < 0 else 0, size), None, fin
    raise ValueError(f"no model for {op}")


def main():
    cases = json.load(open(sys.argv[1]))
    bad = 0
    for i, c in enumerate(cases):
        if "fault" in c:
            continue
        rax, rdx, rcx, flags = model(c)
        msk = int(c["mask"], 16)
        got = (int(c["result"], 16), int(c["resultHi"], 16) if "resultHi" in c else None,
               int(c["result2"], 16) if "result2" in c else None, int(c["flags"], 16) & msk)
        want = (rax, rdx, rcx, flags & msk)
        if got != want:
            bad += 1
            if bad <= 20:
                print(f"case {i} {c['asm']}: CPU {[hex(x) if x is not None else None for x in got]}"
                      f" model {[hex(x) if x is not None else None for x in want]}\n  {json.dumps(c)}")
    n = sum(1 for c in cases if "fault" not in c)
    print(f"check.py: {n} cases run on the CPU, {len(cases) - n} #DE; {bad} disagree with the SDM model")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
