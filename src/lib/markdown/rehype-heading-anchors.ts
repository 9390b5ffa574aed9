// Adds to each h2–h4 a link to itself and a "copy link" button (shown by the page script).
// Neither contains text nodes, so Astro's heading collection still sees only the heading's words.
import type { Element, Root, RootContent } from 'hast';

const LINKED = new Set(['h2', 'h3', 'h4']);

function* elements(node: Root | RootContent): Generator<Element> {
  if (node.type === 'element') yield node;
  if ('children' in node) for (const child of node.children) yield* elements(child);
}

function textOf(node: Root | RootContent): string {
  if (node.type === 'text') return node.value;
  if ('children' in node) return node.children.map(textOf).join('');
  return '';
}

export function rehypeHeadingAnchors() {
  return (tree: Root) => {
    for (const el of elements(tree)) {
      const id = el.properties?.id;
      if (!LINKED.has(el.tagName) || typeof id !== 'string') continue;
      const title = textOf(el).trim();
      el.children.push(
        {
          type: 'element',
          tagName: 'a',
          properties: { className: ['heading-anchor'], href: `#${id}`, ariaLabel: `Link to the section “${title}”` },
          children: [],
        },
        {
          type: 'element',
          tagName: 'button',
          properties: {
            type: 'button',
            className: ['copy-link'],
            hidden: true,
            ariaLabel: `Copy a link to the section “${title}”`,
          },
          children: [],
        },
      );
    }
  };
}
