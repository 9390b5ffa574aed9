import { describe, expect, it } from 'vitest';
import { bookContents, neighbours, readingOrder } from '../../src/lib/reading-order';

const written = new Set(['preface', 'user-and-kernel-mode', 'insmod', 'glossary']);

describe('the contents', () => {
  it('lists every planned chapter, linking only the written ones', () => {
    const items = bookContents(written).flatMap((g) => g.items);
    expect(items.filter((i) => i.number).length).toBe(15);
    expect(items.find((i) => i.slug === 'insmod')?.href).toBe('/insmod/');
    expect(items.find((i) => i.slug === 'windows')?.href).toBeUndefined();
  });

  it('groups chapters under their parts between front and back matter', () => {
    expect(bookContents(written).map((g) => g.label)).toEqual(['Front matter', 'Part I', 'Part II', 'Part III', 'Appendices']);
  });
});

describe('reading order', () => {
  it('runs preface, chapters by number, appendices, skipping unwritten pages', () => {
    expect(readingOrder(written).map((i) => i.slug)).toEqual(['preface', 'user-and-kernel-mode', 'insmod', 'glossary']);
  });

  it('gives previous and next pages, none before the first or after the last', () => {
    expect(neighbours(written, 'user-and-kernel-mode').prev?.slug).toBe('preface');
    expect(neighbours(written, 'user-and-kernel-mode').next?.slug).toBe('insmod');
    expect(neighbours(written, 'preface').prev).toBeUndefined();
    expect(neighbours(written, 'glossary').next).toBeUndefined();
  });
});
