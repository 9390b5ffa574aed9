import { describe, expect, it } from 'vitest';
import { backMatter, frontMatter, parts, plannedChapters, reservedSlugs } from '../../src/book/manifest';

describe('the plan of the book', () => {
  const allSlugs = [...frontMatter, ...plannedChapters, ...backMatter].map((p) => p.slug);

  it('numbers its chapters 1 to 15 in order across the three parts', () => {
    expect(plannedChapters.map((c) => c.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(parts.map((p) => p.id)).toEqual(['I', 'II', 'III']);
  });

  it('gives every page a distinct slug that the site does not reserve', () => {
    expect(new Set(allSlugs).size).toBe(allSlugs.length);
    for (const slug of allSlugs) expect(reservedSlugs).not.toContain(slug);
  });

  it('uses names, not numbers, in slugs', () => {
    for (const slug of allSlugs) expect(slug).not.toMatch(/^\d|chapter-?\d/);
  });
});
