import { describe, expect, it } from 'vitest';
import { chapterSchema, glossarySchema, matterSchema } from '../../src/lib/content-schemas';

const chapter = {
  title: 'insmod: the kernel is the linker',
  part: 'II',
  order: 6,
  slug: 'insmod',
  summary: 'The kernel links a relocatable object into itself, stage by stage.',
  objectives: ['Name the stages of load_module() in Linux 6.1 in order.'],
  minutes: 40,
  prerequisites: ['the-ko-file'],
};

const problems = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } }, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));
};

describe('a chapter', () => {
  it('builds with every required field', () => {
    expect(problems(chapterSchema, chapter)).toEqual([]);
  });

  for (const field of ['title', 'part', 'order', 'slug', 'summary', 'objectives', 'minutes', 'prerequisites']) {
    it(`refuses to build without ${field}`, () => {
      const { [field as keyof typeof chapter]: _dropped, ...rest } = chapter;
      expect(problems(chapterSchema, rest)).toContain(field);
    });
  }

  it('needs at least one learning objective', () => {
    expect(problems(chapterSchema, { ...chapter, objectives: [] })).toContain('objectives');
  });

  it('may have no prerequisites, but must say so', () => {
    expect(problems(chapterSchema, { ...chapter, prerequisites: [] })).toEqual([]);
  });

  it('must use the slug, number and part the plan gives it', () => {
    expect(problems(chapterSchema, { ...chapter, slug: 'insmod-chapter' })).toContain('slug');
    expect(problems(chapterSchema, { ...chapter, order: 7 })).toContain('order');
    expect(problems(chapterSchema, { ...chapter, part: 'I' })).toContain('part');
  });

  it('cannot take a slug the site reserves', () => {
    expect(problems(chapterSchema, { ...chapter, slug: 'book' })).toContain('slug');
  });

  it('cannot require a page that is not planned, or a later chapter', () => {
    expect(problems(chapterSchema, { ...chapter, prerequisites: ['no-such-page'] })).toContain('prerequisites.0');
    expect(problems(chapterSchema, { ...chapter, prerequisites: ['windows'] })).toContain('prerequisites.0');
  });

  it('rejects fields the schema does not know, so typos surface', () => {
    expect(problems(chapterSchema, { ...chapter, objectivs: ['x'] }).length).toBeGreaterThan(0);
  });
});

describe('front and back matter', () => {
  const preface = { title: 'Preface', kind: 'front', order: 0, slug: 'preface', summary: 'The question, the short answer and the map of the book.' };

  it('builds with its own smaller set of fields', () => {
    expect(problems(matterSchema, preface)).toEqual([]);
  });

  it('must be planned as that kind of matter', () => {
    expect(problems(matterSchema, { ...preface, kind: 'back' })).toContain('slug');
    expect(problems(matterSchema, { ...preface, slug: 'afterword' })).toContain('slug');
  });

  it('needs a summary', () => {
    const { summary: _s, ...rest } = preface;
    expect(problems(matterSchema, rest)).toContain('summary');
  });
});

describe('a glossary entry', () => {
  const entry = { id: 'ring-0', term: 'ring 0', short: 'The most privileged level of an x86 processor.', definition: 'Code at CPL 0 may do anything.' };

  it('needs a short definition that fits a hover card', () => {
    expect(problems(glossarySchema, entry)).toEqual([]);
    expect(problems(glossarySchema, { ...entry, short: 'x'.repeat(221) })).toContain('short');
  });
});
