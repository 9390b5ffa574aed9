// The whole-book page: every written page in order, one document whose ids cannot collide and
// whose links between chapters stay on the page. Widgets appear only as static pictures.
import { expect, test } from '@playwright/test';
import { sitePages } from './support/site.ts';

/** Pages of the book proper: everything but the home page, the whole book itself, labs and 404. */
const bookPages = sitePages.map((p) => p.path).filter((p) => /^\/[a-z0-9-]+\/$/.test(p) && p !== '/book/');

test('holds every written page of the book, in its own section', async ({ page }) => {
  await page.goto('/book/');
  const sections = await page.locator('section.book-section').evaluateAll((els) => els.map((e) => `/${e.id}/`));
  expect(sections.sort()).toEqual([...bookPages].sort());
});

test('prefixes every id inside a section with that section’s slug', async ({ page }) => {
  await page.goto('/book/');
  const strays = await page.locator('section.book-section').evaluateAll((sections) =>
    sections.flatMap((s) => [...s.querySelectorAll('[id]')].map((e) => e.id).filter((id) => !id.startsWith(`${s.id}--`))),
  );
  expect(strays).toEqual([]);
});

test('has no two elements with the same id', async ({ page }) => {
  await page.goto('/book/');
  const dupes = await page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const e of document.querySelectorAll('[id]')) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  expect(dupes).toEqual([]);
});

test('turns links between pages of the book into links within the page', async ({ page }) => {
  await page.goto('/book/');
  const hrefs = await page.locator('section.book-section a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  const leaving = hrefs.filter((h) => bookPages.some((p) => h === p || h.startsWith(`${p}#`)));
  expect(leaving).toEqual([]);
  expect(hrefs.some((h) => h.startsWith('#glossary--'))).toBe(true);
});

test('hydrates nothing: widgets and figures are static pictures here', async ({ page }) => {
  await page.goto('/book/');
  await expect(page.locator('astro-island')).toHaveCount(0);
});
