// The book's content collections. Schemas and their field notes: src/lib/content-schemas.ts.
import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { chapterSchema, glossarySchema, matterSchema } from './lib/content-schemas';

const byFolder = ({ entry }: { entry: string }) => entry.split('/')[0]!.replace(/^\d+-/, '');

export const collections = {
  /** Chapters: src/content/chapters/NN-slug/index.mdx */
  chapters: defineCollection({
    loader: glob({ pattern: '*/index.mdx', base: './src/content/chapters', generateId: byFolder }),
    schema: chapterSchema,
  }),
  /** Preface and appendices: src/content/matter/<slug>.mdx */
  matter: defineCollection({
    loader: glob({ pattern: '*.mdx', base: './src/content/matter' }),
    schema: matterSchema,
  }),
  /** Glossary terms: src/content/glossary.yaml */
  glossary: defineCollection({
    loader: file('./src/content/glossary.yaml'),
    schema: glossarySchema,
  }),
};
