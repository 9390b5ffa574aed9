// Turns a chapter or matter entry into what ChapterArticle shows, so the page and the
// whole-book page present it the same way.
import type { CollectionEntry } from 'astro:content';
import { frontMatter, backMatter, plannedChapter, parts } from '../book/manifest';

export type BookEntry = CollectionEntry<'chapters'> | CollectionEntry<'matter'>;

const titleOf = (slug: string) =>
  plannedChapter(slug)?.title ?? [...frontMatter, ...backMatter].find((m) => m.slug === slug)?.title ?? slug;

export function articleProps(entry: BookEntry, written: ReadonlySet<string>) {
  const d = entry.data;
  if (entry.collection === 'chapters') {
    const c = entry.data as CollectionEntry<'chapters'>['data'];
    const part = parts.find((p) => p.id === c.part)!;
    return {
      title: c.title,
      eyebrow: `Chapter ${c.order} · Part ${part.id}: ${part.title}`,
      summary: c.summary,
      objectives: c.objectives,
      minutes: c.minutes,
      prerequisites: c.prerequisites.map((slug) => ({ slug, title: titleOf(slug), written: written.has(slug) })),
      ...(c.checklist ? { checklist: c.checklist } : {}),
    };
  }
  const m = d as CollectionEntry<'matter'>['data'];
  return {
    title: m.title,
    eyebrow: m.kind === 'front' ? 'Front matter' : 'Appendix',
    summary: m.summary,
    ...(m.objectives ? { objectives: m.objectives } : {}),
    ...(m.minutes ? { minutes: m.minutes } : {}),
    ...(m.checklist ? { checklist: m.checklist } : {}),
  };
}
