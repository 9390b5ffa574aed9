// The pages of the built site, discovered from dist/ (never a hard-coded list).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DIST } from './server.ts';

/** Folders of dist/ that hold no pages of the book. */
const NOT_PAGES = new Set(['pagefind', '_astro']);

export interface SitePage {
  /** The address a reader uses: `/`, `/preface/`, `/404.html`. */
  path: string;
  /** The built file, e.g. dist/preface/index.html. */
  file: string;
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return dir === DIST && NOT_PAGES.has(entry.name) ? [] : htmlFiles(full);
    return entry.name.endsWith('.html') ? [full] : [];
  });
}

/** dist/x/index.html → /x/, dist/index.html → /, dist/404.html → /404.html */
export function pathOfFile(file: string): string {
  const rel = relative(DIST, file).split(sep).join('/');
  if (rel === 'index.html') return '/';
  if (rel.endsWith('/index.html')) return `/${rel.slice(0, -'index.html'.length)}`;
  return `/${rel}`;
}

/** The file in dist/ that a same-origin pathname is served from, or undefined when there is none. */
export function fileOfPath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const file = decoded.endsWith('/') ? join(DIST, decoded, 'index.html') : join(DIST, decoded);
  if (!file.startsWith(DIST)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

function discover(): SitePage[] {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`No built site in ${DIST}: run \`npm run build\` first.`);
  }
  return htmlFiles(DIST)
    .map((file) => ({ path: pathOfFile(file), file }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Every page of the built site, read when the specs load. */
export const sitePages: SitePage[] = discover();

export const NOT_FOUND_PATH = '/404.html';

/** Pages whose built HTML matches `pattern`, e.g. the pages that contain a glossary term. */
export function pagesWhoseHtmlMatches(pattern: RegExp): SitePage[] {
  return sitePages.filter((p) => pattern.test(readFileSync(p.file, 'utf8')));
}

/** The pages matching `pattern`, with `preferred` first when it is among them. */
export function pagesPreferring(preferred: string, pattern: RegExp): SitePage[] {
  const found = pagesWhoseHtmlMatches(pattern);
  return [...found.filter((p) => p.path === preferred), ...found.filter((p) => p.path !== preferred)];
}

/** A page the tests need; fails with a clear message when the build has no such page. */
export function requiredPage(path: string): SitePage {
  const page = sitePages.find((p) => p.path === path);
  if (!page) throw new Error(`The built site has no ${path} (looked for ${pathToFileHint(path)})`);
  return page;
}

const pathToFileHint = (path: string) => (path.endsWith('/') ? `dist${path}index.html` : `dist${path}`);
