// Gives every heading in the book an explicit, stable id written by the author.
//
// Syntax (MDX treats `{…}` as JavaScript, so the id lives in a comment expression):
//   ## How to read this book {/* #how-to-read */}
// The id is taken from the comment and the comment is removed. A heading without one fails the
// build, so editing a heading's words never changes its URL. Ids must be unique in a file.
import type { Heading, Root, RootContent, PhrasingContent } from 'mdast';
import type { MdxTextExpression } from 'mdast-util-mdx-expression';

const ID_COMMENT = /^\s*\/\*\s*#([a-z][a-z0-9-]*)\s*\*\/\s*$/;
/** Ids the layouts give their own elements (ChapterArticle, PageContents, search, Term). */
const RESERVED = /^(title|summary|checklist|objectives|main|contents(-.*)?|page-contents.*|search-.*|term-.*|announcer)$/;
/** Headings from this depth on need no id (they are not linked or listed). */
const FIRST_OPTIONAL_DEPTH = 5;

export class HeadingIdError extends Error {}

/** Returns the id written in a heading's trailing comment, or undefined. Removes the comment. */
export function takeExplicitId(heading: Heading): string | undefined {
  const children = heading.children as (PhrasingContent | MdxTextExpression)[];
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i]!;
    if (child.type !== 'mdxTextExpression') continue;
    const match = ID_COMMENT.exec(child.value);
    if (!match) continue;
    children.splice(i, 1);
    const last = children[children.length - 1];
    if (last && last.type === 'text') last.value = last.value.replace(/\s+$/, '');
    return match[1];
  }
  return undefined;
}

function headingText(heading: Heading): string {
  const parts: string[] = [];
  const walk = (node: { value?: unknown; children?: unknown[] }) => {
    if (typeof node.value === 'string') parts.push(node.value);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(heading as never);
  return parts.join('').trim();
}

function* headings(node: Root | RootContent): Generator<Heading> {
  if (node.type === 'heading') yield node;
  if ('children' in node) for (const child of node.children) yield* headings(child);
}

export function remarkExplicitHeadingIds() {
  return (tree: Root, file: { path?: string; history?: string[] }) => {
    const source = file.path ?? file.history?.[0] ?? 'a Markdown file';
    if (!source.endsWith('.mdx')) return;
    const seen = new Set<string>();
    for (const heading of headings(tree)) {
      const id = takeExplicitId(heading);
      if (!id) {
        if (heading.depth >= FIRST_OPTIONAL_DEPTH || heading.depth === 1) continue;
        throw new HeadingIdError(
          `${source}: the heading "${headingText(heading)}" has no explicit id. ` +
            `Write it as: ${'#'.repeat(heading.depth)} ${headingText(heading)} {/* #some-stable-id */}`,
        );
      }
      if (RESERVED.test(id)) throw new HeadingIdError(`${source}: the heading id "#${id}" is reserved for the page layout.`);
      if (seen.has(id)) throw new HeadingIdError(`${source}: the heading id "#${id}" is used twice.`);
      seen.add(id);
      heading.data = { ...heading.data, hProperties: { ...(heading.data?.hProperties ?? {}), id } };
    }
  };
}
