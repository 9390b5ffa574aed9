import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../src/sim/mem/physical';
import { PageTableBuilder, frameAllocator } from '../../src/sim/mem/page-tables';
import { PF_I, PF_P, PF_U, PF_W, PTE_A, PTE_D, isCanonical, walk, type PagingControl } from '../../src/sim/mem/paging';

// Kernel text at 0xffffffff81000000, a user page at 0x401000, a read-only user page at 0x402000.
function setUp() {
  const mem = new PhysicalMemory(4 << 20);
  const tables = new PageTableBuilder(mem, frameAllocator(0x100000, 0x200000));
  tables.map(0x81000000, 0xffffffff, 0x300000, { writable: false, executable: true });
  tables.map(0x81001000, 0xffffffff, 0x301000, { writable: true, executable: false });
  tables.map(0x00401000, 0, 0x310000, { user: true, writable: true });
  tables.map(0x00402000, 0, 0x311000, { user: true, writable: false, executable: false });
  const ctl: PagingControl = { cr3: tables.root, wp: true, nxe: true, smep: false, smap: false };
  return { mem, tables, ctl };
}

describe('the page walk', () => {
  it('translates through four levels to the mapped frame', () => {
    const { mem, ctl } = setUp();
    const t = walk(mem, ctl, 0x81000123, 0xffffffff, 'read', false, false);
    expect(t.ok && t.frame).toBe(0x300000);
    expect(t.steps.map((s) => s.level)).toEqual([4, 3, 2, 1]);
  });

  it('reports a not-present page with P = 0 in the error code', () => {
    const { mem, ctl } = setUp();
    const t = walk(mem, ctl, 0x00500000, 0, 'read', true, false);
    expect(t.ok).toBe(false);
    expect(!t.ok && t.errorCode).toBe(PF_U);
  });

  it('gives error code 5 when ring 3 reads a present supervisor page', () => {
    const { mem, ctl } = setUp();
    const t = walk(mem, ctl, 0x81000000, 0xffffffff, 'read', true, false);
    expect(!t.ok && t.errorCode).toBe(5);
  });

  it('refuses a write to a read-only page: from ring 3, and from ring 0 when CR0.WP is set', () => {
    const { mem, ctl } = setUp();
    expect(walk(mem, ctl, 0x402000, 0, 'write', true, false)).toMatchObject({ ok: false, errorCode: PF_P | PF_W | PF_U });
    expect(walk(mem, ctl, 0x81000000, 0xffffffff, 'write', false, false)).toMatchObject({ ok: false, errorCode: PF_P | PF_W });
    expect(walk(mem, { ...ctl, wp: false }, 0x81000000, 0xffffffff, 'write', false, false).ok).toBe(true);
  });

  it('refuses to fetch from an XD page when EFER.NXE is set', () => {
    const { mem, ctl } = setUp();
    expect(walk(mem, ctl, 0x81001000, 0xffffffff, 'fetch', false, false)).toMatchObject({ ok: false, errorCode: PF_P | PF_I });
  });

  it('SMEP stops ring 0 fetching from a user page', () => {
    const { mem, ctl } = setUp();
    expect(walk(mem, ctl, 0x401000, 0, 'fetch', false, false).ok).toBe(true);
    expect(walk(mem, { ...ctl, smep: true }, 0x401000, 0, 'fetch', false, false)).toMatchObject({ ok: false, errorCode: PF_P | PF_I });
  });

  it('SMAP stops ring 0 reading a user page unless the access is allowed by AC', () => {
    const { mem, ctl } = setUp();
    const smap = { ...ctl, smap: true };
    expect(walk(mem, smap, 0x401000, 0, 'read', false, true)).toMatchObject({ ok: false, errorCode: PF_P });
    expect(walk(mem, smap, 0x401000, 0, 'read', false, false).ok).toBe(true);
  });

  it('sets Accessed on every level and Dirty on the leaf of a write', () => {
    const { mem, ctl } = setUp();
    const t = walk(mem, ctl, 0x401000, 0, 'write', true, false);
    expect(t.ok).toBe(true);
    for (const step of t.steps) expect(mem.read32(step.entryAddress) & PTE_A).toBe(PTE_A);
    expect(mem.read32(t.steps[3]!.entryAddress) & PTE_D).toBe(PTE_D);
  });

  it('knows canonical addresses', () => {
    expect(isCanonical(0xffffffff)).toBe(true);
    expect(isCanonical(0xffff8000)).toBe(true);
    expect(isCanonical(0x00007fff)).toBe(true);
    expect(isCanonical(0x00008000)).toBe(false);
    expect(isCanonical(0xfffe0000 | 0)).toBe(false);
  });
});
