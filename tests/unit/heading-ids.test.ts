import { compile } from '@mdx-js/mdx';
import { describe, expect, it } from 'vitest';
import { remarkExplicitHeadingIds } from '../../src/lib/markdown/remark-explicit-heading-ids';

const html = async (source: string) =>
  String(await compile({ value: source, path: 'chapter.mdx' }, { remarkPlugins: [remarkExplicitHeadingIds] }));

describe('explicit heading ids', () => {
  it('takes the id from the comment at the end of the heading and drops the comment', async () => {
    const out = await html('## The short answer {/* #short-answer */}\n');
    expect(out).toContain('id: "short-answer"');
    expect(out).toContain('"The short answer"');
    expect(out).not.toContain('#short-answer */');
  });

  it('keeps the id when the heading’s words change', async () => {
    expect(await html('## A better title {/* #short-answer */}\n')).toContain('id: "short-answer"');
  });

  it('fails the build for a section heading without an id, naming the file and heading', async () => {
    await expect(html('## Loose heading\n')).rejects.toThrow(/chapter\.mdx: the heading "Loose heading" has no explicit id/);
  });

  it('fails the build when two headings share an id', async () => {
    await expect(html('## One {/* #same */}\n\n### Two {/* #same */}\n')).rejects.toThrow(/"#same" is used twice/);
  });

  it('refuses ids the page layout uses itself', async () => {
    await expect(html('## Summary {/* #summary */}\n')).rejects.toThrow(/reserved/);
  });
});
