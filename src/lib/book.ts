// Reads the content collections once per build and answers "what is written?" for the layouts.
import { getCollection } from 'astro:content';

/** Slugs of every written page: chapters, matter, and the glossary page generated from data. */
export async function writtenSlugs(): Promise<Set<string>> {
  const chapters = await getCollection('chapters');
  const matter = await getCollection('matter');
  return new Set(['glossary', ...chapters.map((c) => c.data.slug), ...matter.map((m) => m.data.slug)]);
}

export async function chaptersInOrder() {
  return (await getCollection('chapters')).sort((a, b) => a.data.order - b.data.order);
}

export async function matterOfKind(kind: 'front' | 'back') {
  return (await getCollection('matter', (m) => m.data.kind === kind)).sort((a, b) => a.data.order - b.data.order);
}
