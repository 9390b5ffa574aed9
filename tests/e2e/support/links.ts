// Checks that every same-origin link on a page leads to a built page or file, and that its
// #fragment names an element on the target page.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ORIGIN } from './server.ts';
import { fileOfPath } from './site.ts';
import { execFileSync } from 'node:child_process';

/** Deep links into a simulation: `#lab:<id>?s=…`, checked by lab-links.ts. */
export const LAB_PREFIX = 'lab:';

export interface LinkReport {
  broken: string[];
  labLinks: string[];
  checked: number;
}

interface Link {
  href: string;
  url: string;
  text: string;
}

const idsByFile = new Map<string, Set<string>>();

/** The ids in a built HTML file, parsed by the browser's own HTML parser. */
async function idsIn(page: Page, file: string): Promise<Set<string>> {
  let ids = idsByFile.get(file);
  if (!ids) {
    const html = readFileSync(file, 'utf8');
    const list = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'text/html');
      return [...doc.querySelectorAll('[id]')].map((el) => el.id);
    }, html);
    ids = new Set(list);
    idsByFile.set(file, ids);
  }
  return ids;
}

const labVerdicts = new Map<string, string>();

/** lab-links.ts's verdict, from a child process (see lab-link-cli.ts); '' when the link is sound. */
function labLinkProblem(fragment: string, labs: string[]): string {
  const key = `${fragment} ${labs.join(',')}`;
  let verdict = labVerdicts.get(key);
  if (verdict === undefined) {
    const cli = new URL('./lab-link-cli.ts', import.meta.url).pathname;
    verdict = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', cli, fragment, labs.join(',')], { encoding: 'utf8' });
    labVerdicts.set(key, verdict);
  }
  return verdict;
}

/** The ids of the labs (widgets' data-lab) in a built HTML file. */
async function labsIn(page: Page, file: string): Promise<string[]> {
  const html = readFileSync(file, 'utf8');
  return page.evaluate((source) => [...new DOMParser().parseFromString(source, 'text/html').querySelectorAll('[data-lab]')].map((el) => el.getAttribute('data-lab') ?? ''), html);
}

function decodedFragment(hash: string): string {
  try {
    return decodeURIComponent(hash.slice(1));
  } catch {
    return hash.slice(1);
  }
}

/** Checks the links of the page currently open in `page`. */
export async function checkLinks(page: Page): Promise<LinkReport> {
  const links: Link[] = await page.$$eval('a[href]', (anchors) =>
    anchors.map((a) => ({
      href: a.getAttribute('href') ?? '',
      url: (a as HTMLAnchorElement).href,
      text: (a.textContent ?? a.getAttribute('aria-label') ?? '').replace(/\s+/g, ' ').trim().slice(0, 50),
    })),
  );
  const report: LinkReport = { broken: [], labLinks: [], checked: 0 };
  for (const link of links) {
    const url = new URL(link.url);
    if (url.origin !== ORIGIN) continue; // links out are not followed
    report.checked += 1;
    const problem = (why: string) => report.broken.push(`"${link.text}" → ${link.href}: ${why}`);

    const file = fileOfPath(url.pathname);
    if (!file) {
      problem(`no page or file ${url.pathname} in dist/`);
      continue;
    }
    const fragment = decodedFragment(url.hash);
    if (fragment.startsWith(LAB_PREFIX)) {
      report.labLinks.push(link.href);
      const labs = file.endsWith('.html') ? await labsIn(page, file) : [];
      const why = labLinkProblem(fragment, labs);
      if (why) problem(`a broken link into a simulation: ${why}`);
      continue;
    }
    // An empty fragment and #top go to the top of the page (HTML's rules); other files have no ids.
    if (fragment === '' || fragment.toLowerCase() === 'top' || !file.endsWith('.html')) continue;
    if (!(await idsIn(page, file)).has(fragment)) problem(`no element with id "${fragment}" on ${url.pathname}`);
  }
  return report;
}
