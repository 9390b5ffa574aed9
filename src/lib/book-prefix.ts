// The whole-book page holds every written page in one document. Ids from different pages would
// collide, and links between pages should stay on the page, so each page's HTML is rewritten:
//   id="x"                    → id="<slug>--x"          (and every attribute that refers to an id)
//   href="#x"                 → href="#<slug>--x"
//   href="/<other>/#x"        → href="#<other>--x"      when <other> is in the book
//   href="/<other>/"          → href="#<other>"
//   href="#lab:…"             → href="/<slug>/#lab:…"   (simulations run on their own page only)
// The HTML is the site's own rendered output, whose attributes are always double-quoted.

const ID_REF_ATTRS = ['id', 'for', 'aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-owns', 'headers'];

export const bookAnchor = (slug: string, id?: string) => (id ? `${slug}--${id}` : slug);

export function prefixForBook(html: string, slug: string, inBook: ReadonlySet<string>): string {
  const refs = new RegExp(`\\s(${ID_REF_ATTRS.join('|')})="([^"]*)"`, 'g');
  const withIds = html.replace(refs, (_m, attr: string, value: string) => {
    const ids = value.split(/\s+/).filter(Boolean).map((id) => bookAnchor(slug, id));
    return ` ${attr}="${ids.join(' ')}"`;
  });
  return withIds.replace(/\shref="([^"]*)"/g, (m, href: string) => {
    const local = /^#(.+)$/.exec(href);
    // A simulation runs only on its own page: the page's deep links go there.
    if (local) return local[1]!.startsWith('lab:') ? ` href="/${slug}/${href}"` : ` href="#${bookAnchor(slug, local[1])}"`;
    const page = /^\/([a-z0-9-]+)\/(?:#(.+))?$/.exec(href);
    if (!page || !inBook.has(page[1]!)) return m;
    const [, target, id] = page;
    if (id?.startsWith('lab:')) return m;
    return ` href="#${bookAnchor(target!, id)}"`;
  });
}

/** Inside the whole book a page's h1 becomes an h2 (and so on), under the book's own h1. */
export function demoteHeadings(html: string): string {
  return html.replace(/<(\/?)h([1-5])(?=[\s>])/g, (_m, close: string, level: string) => `<${close}h${Number(level) + 1}`);
}
