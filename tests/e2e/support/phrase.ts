// Picks a real phrase from a built page, to search for it.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/**
 * The longest run of 4 (else 3) plain words from the first paragraph of the page's indexed body
 * text that has one, ignoring text that search does not index (glossary cards and the like).
 */
export async function phraseFromFirstParagraph(page: Page, file: string): Promise<string> {
  const html = readFileSync(file, 'utf8');
  const phrase = await page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    const body = doc.querySelector('[data-pagefind-body]') ?? doc.querySelector('main') ?? doc.body;
    for (const paragraph of body.querySelectorAll('p')) {
      if (paragraph.closest('[data-pagefind-ignore], nav, header, footer, aside, figure, dialog')) continue;
      const copy = paragraph.cloneNode(true) as HTMLElement;
      for (const hidden of copy.querySelectorAll('[data-pagefind-ignore], [role="tooltip"]')) hidden.remove();
      const words = (copy.textContent ?? '').split(/\s+/).filter(Boolean);
      if (words.length < 8) continue;
      for (const size of [4, 3]) {
        let best = '';
        for (let i = 0; i + size <= words.length; i++) {
          const run = words.slice(i, i + size);
          if (!run.every((w) => /^[A-Za-z]+$/.test(w))) continue;
          const candidate = run.join(' ');
          if (candidate.length > best.length) best = candidate;
        }
        if (best) return best;
      }
    }
    return '';
  }, html);
  if (!phrase) throw new Error(`Found no paragraph of plain words to search for in ${file}`);
  return phrase;
}
