// Models: linear-address translation as the processor performs it for each access (Intel SDM
// Vol. 3A §4.5–4.10): canonical check, TLB lookup, page walk on a miss or a denied hit, #PF with
// CR2 and the walk's error code, #GP(0)/#SS(0) for non-canonical addresses.
// Simplifies: one TLB for all page sizes, flushed whole by a CR3 write (no global pages kept).
import { AC, } from './flags';
import { CpuFault, GP, PF, SS_ } from './fault';
import { CR0_PG, CR0_WP, CR4_SMAP, CR4_SMEP, EFER_NXE, type U64 } from './state';
import { isCanonical, walk, type AccessKind, type PagingControl } from '../mem/paging';
import { PAGE_SIZE } from '../mem/physical';
import type { Machine } from '../machine';

interface TlbEntry {
  frame: number;
  user: boolean;
  writable: boolean;
  executable: boolean;
  dirty: boolean;
}

export class Mmu {
  private tlb = new Map<number, TlbEntry>();
  /** Result of the last read: value halves. */
  vLo = 0;
  vHi = 0;

  constructor(private readonly m: Machine) {}

  /** Changes whenever cached translations may have: anything that caches one checks it. */
  generation = 0;

  flush() {
    this.tlb.clear();
    this.generation++;
  }

  invalidate(lo: number, hi: number) {
    this.tlb.delete(hi * 0x100000 + (lo >>> 12));
    this.generation++;
  }

  private control(): PagingControl {
    const s = this.m.s;
    return { cr3: s.cr3, wp: (s.cr0 & CR0_WP) !== 0, nxe: (s.efer & EFER_NXE) !== 0, smep: (s.cr4 & CR4_SMEP) !== 0, smap: (s.cr4 & CR4_SMAP) !== 0 };
  }

  /**
   * Physical address of the byte at linear address (lo, hi) for this access, or a thrown fault.
   * `implicit` marks a supervisor access the processor makes itself (pushing an interrupt frame,
   * reading the IDT): it counts as supervisor even at CPL 3, and SMAP applies whatever AC says.
   */
  translate(lo: number, hi: number, access: AccessKind, implicit: boolean, stack = false): number {
    const m = this.m;
    if (!isCanonical(hi)) {
      throw new CpuFault(stack ? SS_ : GP, 0, `${stack ? 'stack ' : ''}address ${hiLo(hi, lo)} is not canonical`);
    }
    if (!(m.s.cr0 & CR0_PG)) return hi * 0x100000000 + (lo >>> 0);
    const user = !implicit && m.cpl === 3;
    const key = hi * 0x100000 + (lo >>> 12);
    const e = this.tlb.get(key);
    if (e && (!user || e.user) && (access !== 'write' || (e.writable && e.dirty)) && (access !== 'fetch' || e.executable) && (user || !e.user || this.supervisorMayUse(access, implicit))) {
      return e.frame + (lo & (PAGE_SIZE - 1));
    }
    const ctl = this.control();
    const smapApplies = implicit || (m.s.rflags & AC) === 0;
    const t = walk(m.mem, ctl, lo, hi, access, user, smapApplies);
    if (m.trace) m.emit({ kind: 'mmu/walked', address: { lo, hi }, access, steps: t.steps, ok: t.ok, ...(t.ok ? {} : { errorCode: t.errorCode }) });
    if (!t.ok) throw new CpuFault(PF, t.errorCode, `${access} of ${hiLo(hi, lo)}: ${t.reason}`, { lo, hi });
    this.tlb.set(key, { frame: t.frame, user: t.user, writable: t.writable, executable: t.executable, dirty: t.dirty || access === 'write' });
    return t.frame + (lo & (PAGE_SIZE - 1));
  }

  /** SMEP and SMAP on a TLB hit: a supervisor access to a user page. */
  private supervisorMayUse(access: AccessKind, implicit: boolean): boolean {
    const s = this.m.s;
    if (access === 'fetch') return !(s.cr4 & CR4_SMEP);
    return !(s.cr4 & CR4_SMAP) || (!implicit && (s.rflags & AC) !== 0);
  }

  /**
   * A debugger's read: 8 bytes at a linear address through the current page tables, with no
   * permission checks, no events, no TLB fill and no Accessed bits. Undefined if unmapped.
   */
  inspect(lo: number, hi: number): U64 | undefined {
    const ctl = { ...this.control(), smap: false, smep: false, wp: false };
    let v = 0n;
    for (let i = 7; i >= 0; i--) {
      const l = (lo + i) >>> 0;
      const h = l < lo >>> 0 ? (hi + 1) >>> 0 : hi;
      const t = this.m.s.cr0 & CR0_PG ? walk(this.m.mem, ctl, l, h, 'read', false, false, false) : { ok: true as const, frame: h * 0x100000000 + (l & ~(PAGE_SIZE - 1)) };
      if (!t.ok) return undefined;
      v = (v << 8n) | BigInt(this.m.mem.read8(t.frame + (l & (PAGE_SIZE - 1))));
    }
    return { lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) };
  }

  /** Reads 1, 2, 4 or 8 bytes at (lo, hi) into vLo/vHi (little-endian). */
  read(lo: number, hi: number, size: number, implicit = false, stack = false) {
    const pa = this.translate(lo, hi, 'read', implicit, stack);
    const mem = this.m.mem;
    if ((pa % PAGE_SIZE) + size <= PAGE_SIZE) {
      const frame = mem.frameForRead(Math.floor(pa / PAGE_SIZE));
      const o = pa % PAGE_SIZE;
      if (frame) {
        let v = 0;
        for (let i = Math.min(size, 4) - 1; i >= 0; i--) v = v * 256 + frame[o + i]!;
        let h = 0;
        for (let i = size - 1; i >= 4; i--) h = h * 256 + frame[o + i]!;
        this.vLo = v;
        this.vHi = h;
        return;
      }
    }
    this.readSlow(lo, hi, size, implicit, stack);
  }

  private readSlow(lo: number, hi: number, size: number, implicit: boolean, stack: boolean) {
    const bytes: number[] = [];
    for (let i = 0; i < size; i++) {
      const l = (lo + i) >>> 0;
      const h = l < lo >>> 0 ? (hi + 1) >>> 0 : hi;
      bytes.push(this.m.mem.read8(this.translate(l, h, 'read', implicit, stack)));
    }
    this.vLo = bytes.slice(0, 4).reduceRight((v, b) => v * 256 + b, 0);
    this.vHi = bytes.slice(4).reduceRight((v, b) => v * 256 + b, 0);
  }

  /** Writes 1, 2, 4 or 8 bytes. Every byte is translated before any is written, so a fault writes nothing. */
  write(lo: number, hi: number, size: number, vLo: number, vHi: number, implicit = false, stack = false) {
    const first = this.translate(lo, hi, 'write', implicit, stack);
    const o = first % PAGE_SIZE;
    if (o + size <= PAGE_SIZE) {
      // Within one frame (nearly always): the bytes straight into it, one write notification.
      const frame = this.m.mem.frameForWrite(Math.floor(first / PAGE_SIZE));
      if (frame) {
        for (let i = 0; i < size; i++) frame[o + i] = i < 4 ? (vLo >>> (8 * i)) & 0xff : (vHi >>> (8 * (i - 4))) & 0xff;
        if (this.m.trace) this.emitWritten(lo, hi, size, vLo, vHi);
        return;
      }
    }
    const lastLo = (lo + size - 1) >>> 0;
    const crosses = (first % PAGE_SIZE) + size > PAGE_SIZE;
    const second = crosses ? this.translate(lastLo & ~(PAGE_SIZE - 1), lastLo < lo >>> 0 ? (hi + 1) >>> 0 : hi, 'write', implicit, stack) : 0;
    const mem = this.m.mem;
    for (let i = 0; i < size; i++) {
      const byte = i < 4 ? (vLo >>> (8 * i)) & 0xff : (vHi >>> (8 * (i - 4))) & 0xff;
      const off = (first % PAGE_SIZE) + i;
      mem.write8(off < PAGE_SIZE ? first + i : second + (off - PAGE_SIZE), byte);
    }
    this.emitWritten(lo, hi, size, vLo, vHi);
  }

  private emitWritten(lo: number, hi: number, size: number, vLo: number, vHi: number) {
    this.m.emit({ kind: 'mem/written', address: { lo, hi }, size, value: { lo: size >= 4 ? vLo >>> 0 : vLo & (2 ** (8 * size) - 1), hi: size === 8 ? vHi >>> 0 : 0 } });
  }
}

const hiLo = (hi: number, lo: number) => '0x' + (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
