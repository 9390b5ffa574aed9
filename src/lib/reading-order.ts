// The book's contents and reading order, from the plan (src/book/manifest.ts) and the pages that
// are written. Pure: given the set of written slugs, it needs nothing from Astro.
import { backMatter, frontMatter, parts, type PartId } from '../book/manifest';

export interface ContentsItem {
  slug: string;
  title: string;
  /** Chapter number, for chapters only. */
  number?: number;
  /** Site path when written; undefined for a planned page not yet written ("coming"). */
  href?: string;
}

export interface ContentsGroup {
  id: 'front' | PartId | 'back';
  /** "Part I", or a plain heading for front and back matter. */
  label: string;
  title: string;
  items: ContentsItem[];
}

export const pathOf = (slug: string) => `/${slug}/`;

export function bookContents(written: ReadonlySet<string>): ContentsGroup[] {
  const item = (slug: string, title: string, number?: number): ContentsItem => ({
    slug,
    title,
    ...(number === undefined ? {} : { number }),
    ...(written.has(slug) ? { href: pathOf(slug) } : {}),
  });
  return [
    { id: 'front', label: 'Front matter', title: '', items: frontMatter.map((m) => item(m.slug, m.title)) },
    ...parts.map((p) => ({
      id: p.id,
      label: `Part ${p.id}`,
      title: p.title,
      items: p.chapters.map((c) => item(c.slug, c.title, c.number)),
    })),
    { id: 'back', label: 'Appendices', title: '', items: backMatter.map((m) => item(m.slug, m.title)) },
  ];
}

/** Written pages in reading order: preface, chapters by number, appendices. */
export function readingOrder(written: ReadonlySet<string>): ContentsItem[] {
  return bookContents(written).flatMap((g) => g.items.filter((i) => i.href));
}

export function neighbours(written: ReadonlySet<string>, slug: string) {
  const order = readingOrder(written);
  const at = order.findIndex((i) => i.slug === slug);
  return { prev: at > 0 ? order[at - 1] : undefined, next: at >= 0 ? order[at + 1] : undefined };
}

export const chapterLabel = (i: Pick<ContentsItem, 'number'>) => (i.number ? `Chapter ${i.number}` : '');
