# SPDX-License-Identifier: GPL-2.0
"""kelf.py - a small ELF64 little-endian reader for Ring Zero's sample tools (stdlib only).

Used by gen-kernel-data.py and make-variants to find bytes by structure (section
headers, symbol and string tables) rather than by searching for byte patterns.
Only what those tools need: the ELF header, section headers with names, symbols,
and the appended module signature trailer.
"""
import struct

MODULE_SIG_MAGIC = b"~Module signature appended~\n"
# include/linux/module_signature.h: struct module_signature (12 bytes, sig_len big-endian)
MODULE_SIG_STRUCT = struct.Struct(">BBBBB3xI")  # algo, hash, id_type, signer_len, key_id_len, pad[3], sig_len


class Section:
    def __init__(self, index, name, sh_type, flags, addr, offset, size, link, info, align, entsize, hdr_offset):
        self.index, self.name, self.type, self.flags = index, name, sh_type, flags
        self.addr, self.offset, self.size = addr, offset, size
        self.link, self.info, self.align, self.entsize = link, info, align, entsize
        self.hdr_offset = hdr_offset   # file offset of this section's header


class Symbol:
    def __init__(self, index, name, name_offset, info, other, shndx, value, size, entry_offset):
        self.index, self.name, self.name_offset = index, name, name_offset
        self.info, self.other, self.shndx, self.value, self.size = info, other, shndx, value, size
        self.bind, self.type = info >> 4, info & 0xF
        self.entry_offset = entry_offset  # file offset of this Elf64_Sym


class Elf:
    """Parse an ELF64 LSB file held in memory. Raises ValueError on anything malformed."""

    def __init__(self, data):
        self.data = bytes(data)
        d = self.data
        if len(d) < 64 or d[:4] != b"\x7fELF":
            raise ValueError("not an ELF file")
        if d[4] != 2 or d[5] != 1:
            raise ValueError("not ELF64 little-endian")
        (self.e_type, self.e_machine, _, _, _, self.e_shoff, _, _, _, _,
         self.e_shentsize, self.e_shnum, self.e_shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", d, 16)
        if self.e_shentsize != 64 or self.e_shoff + 64 * self.e_shnum > len(d):
            raise ValueError("section header table out of bounds")
        raw = []
        for i in range(self.e_shnum):
            off = self.e_shoff + 64 * i
            raw.append((off,) + struct.unpack_from("<IIQQQQIIQQ", d, off))
        shstr = raw[self.e_shstrndx]
        self.sections = []
        for i, (hoff, name, typ, flags, addr, off, size, link, info, align, entsize) in enumerate(raw):
            nm = self._cstr(shstr[5] + name)
            self.sections.append(Section(i, nm, typ, flags, addr, off, size, link, info, align, entsize, hoff))

    def _cstr(self, off):
        end = self.data.index(b"\0", off)
        return self.data[off:end].decode("latin-1")

    def section(self, name):
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def section_bytes(self, name):
        s = self.section(name)
        if s is None:
            raise ValueError("no section %s" % name)
        return self.data[s.offset:s.offset + s.size]

    def symbols(self):
        """Symbols of .symtab (index 0 included), with the file offset of each entry."""
        symtab = next((s for s in self.sections if s.type == 2), None)  # SHT_SYMTAB
        if symtab is None:
            return []
        strtab = self.sections[symtab.link]
        out = []
        for i in range(symtab.size // 24):
            eoff = symtab.offset + 24 * i
            name, info, other, shndx, value, size = struct.unpack_from("<IBBHQQ", self.data, eoff)
            out.append(Symbol(i, self._cstr(strtab.offset + name), strtab.offset + name,
                              info, other, shndx, value, size, eoff))
        return out

    def modinfo(self):
        """The .modinfo strings as (file offset, 'key=value') pairs."""
        s = self.section(".modinfo")
        out, pos = [], s.offset
        for part in self.data[s.offset:s.offset + s.size].split(b"\0"):
            if part:
                out.append((pos, part.decode("latin-1")))
            pos += len(part) + 1
        return out

    def versions(self):
        """__versions entries as (file offset, crc, name): struct modversion_info is
        { unsigned long crc; char name[MODULE_NAME_LEN = 56]; } = 64 bytes."""
        s = self.section("__versions")
        out = []
        for i in range(s.size // 64):
            off = s.offset + 64 * i
            crc = struct.unpack_from("<Q", self.data, off)[0]
            name = self.data[off + 8:off + 64].split(b"\0")[0].decode("latin-1")
            out.append((off, crc, name))
        return out


def split_signature(data):
    """For a signed module: (elf_length, signature_offset, signature_length, trailer_offset);
    None when no signature is appended. The layout is
    [ELF][PKCS#7 DER][struct module_signature (12)][MODULE_SIG_MAGIC (28)]."""
    if not data.endswith(MODULE_SIG_MAGIC):
        return None
    trailer = len(data) - len(MODULE_SIG_MAGIC) - MODULE_SIG_STRUCT.size
    sig_len = MODULE_SIG_STRUCT.unpack_from(data, trailer)[5]
    sig_off = trailer - sig_len
    return sig_off, sig_off, sig_len, trailer
