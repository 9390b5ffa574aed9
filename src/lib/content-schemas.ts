// Schemas for the book's content collections. A chapter that lacks any required field does not
// build: the error names the file and the field. Used by src/content.config.ts and by unit tests.
import { z } from 'astro/zod';
import { backMatter, frontMatter, partOf, plannedChapter, plannedChapters, reservedSlugs } from '../book/manifest';

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'a slug is lower-case words joined by hyphens')
  .refine((s) => !reservedSlugs.includes(s), 'this slug is reserved for the site itself');

const knownPageSlugs = new Set([
  ...plannedChapters.map((c) => c.slug),
  ...frontMatter.map((m) => m.slug),
  ...backMatter.map((m) => m.slug),
]);

/** A learning objective or checklist line: one sentence a student can check themselves against. */
const sentence = z.string().min(10, 'write a whole sentence');

export const chapterSchema = z
  .object({
    /** The chapter's title as in the book plan (src/book/manifest.ts). */
    title: z.string().min(1),
    /** Part I, II or III of the plan. */
    part: z.enum(['I', 'II', 'III']),
    /** The chapter's number in the plan, 1–15. Shown to readers, never used in URLs. */
    order: z.number().int().min(1),
    /** The stable URL segment: /<slug>/. Must be the plan's slug for this chapter. */
    slug,
    /** One paragraph: what the chapter shows. Used in the contents and at the chapter's end. */
    summary: z.string().min(40, 'write a summary of at least one sentence'),
    /** What a reader can do after the chapter; at least one. */
    objectives: z.array(sentence).min(1, 'a chapter needs at least one learning objective'),
    /** Estimated reading and working time in minutes. */
    minutes: z.number().int().positive(),
    /** Slugs of chapters (or the preface) to read first; may be empty, but must be given. */
    prerequisites: z.array(slug),
    /** "I can …" lines shown at the end; default to the objectives when absent. */
    checklist: z.array(sentence).optional(),
  })
  .strict()
  .superRefine((ch, ctx) => {
    const planned = plannedChapter(ch.slug);
    if (!planned) {
      ctx.addIssue({ code: 'custom', path: ['slug'], message: `"${ch.slug}" is not a chapter in src/book/manifest.ts` });
      return;
    }
    if (planned.number !== ch.order)
      ctx.addIssue({ code: 'custom', path: ['order'], message: `the plan numbers "${ch.slug}" ${planned.number}` });
    if (partOf(ch.slug)?.id !== ch.part)
      ctx.addIssue({ code: 'custom', path: ['part'], message: `the plan puts "${ch.slug}" in part ${partOf(ch.slug)?.id}` });
    for (const [i, pre] of ch.prerequisites.entries()) {
      if (!knownPageSlugs.has(pre))
        ctx.addIssue({ code: 'custom', path: ['prerequisites', i], message: `no page "${pre}" in the plan` });
      const pc = plannedChapter(pre);
      if (pc && pc.number >= planned.number)
        ctx.addIssue({ code: 'custom', path: ['prerequisites', i], message: `"${pre}" comes after this chapter` });
    }
  });

export const matterSchema = z
  .object({
    title: z.string().min(1),
    /** Front matter comes before Part I, back matter (appendices) after Part III. */
    kind: z.enum(['front', 'back']),
    /** Position within its kind. */
    order: z.number().int().min(0),
    slug,
    summary: z.string().min(40),
    objectives: z.array(sentence).optional(),
    minutes: z.number().int().positive().optional(),
    checklist: z.array(sentence).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const list = m.kind === 'front' ? frontMatter : backMatter;
    if (!list.some((p) => p.slug === m.slug))
      ctx.addIssue({ code: 'custom', path: ['slug'], message: `"${m.slug}" is not ${m.kind} matter in src/book/manifest.ts` });
  });

export const glossarySchema = z
  .object({
    /** Stable anchor on the glossary page: /glossary/#<id>. */
    id: slug,
    /** The term as the book spells it. */
    term: z.string().min(1),
    /** One sentence shown in the hover/focus card; no Markdown. */
    short: z.string().min(10).max(220),
    /** The full definition on the glossary page; may be a few sentences. */
    definition: z.string().min(10),
    /** Ids of related terms. */
    see: z.array(slug).optional(),
  })
  .strict();

export type ChapterData = z.infer<typeof chapterSchema>;
export type MatterData = z.infer<typeof matterSchema>;
export type GlossaryData = z.infer<typeof glossarySchema>;
