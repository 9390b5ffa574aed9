// Search: opened with "/", Ctrl+K or the header button; finds the book's pages, never the
// whole-book page; closes with Escape; loads Pagefind only when used.
import { expect, test, type Page } from '@playwright/test';
import { phraseFromFirstParagraph } from './support/phrase.ts';
import { requiredPage } from './support/site.ts';
import { listed, watch } from './support/watch.ts';

/** Looked up inside the tests, so that a missing page fails them, not the loading of this file. */
const preface = () => requiredPage('/preface/');

const dialog = (page: Page) => page.locator('#search-dialog');
const input = (page: Page) => page.locator('#search-input');
const button = (page: Page) => page.locator('#search-open');

/** The paths that the result links lead to, as the reader sees them now. */
const resultPaths = (page: Page) =>
  page.locator('#search-results a').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

async function searchFor(page: Page, phrase: string) {
  await page.goto('/');
  await button(page).click();
  await expect(dialog(page)).toBeVisible();
  await input(page).fill(phrase);
}

test('the / key opens search, ready to type', async ({ page }) => {
  await page.goto('/');
  await expect(dialog(page)).toBeHidden();
  await page.keyboard.press('/');
  await expect(dialog(page)).toBeVisible();
  await expect(input(page)).toBeFocused();
});

test('Ctrl+K opens search, ready to type', async ({ page }) => {
  await page.goto('/');
  await expect(dialog(page)).toBeHidden();
  await page.keyboard.press('Control+k');
  await expect(dialog(page)).toBeVisible();
  await expect(input(page)).toBeFocused();
});

test('a phrase from the preface finds the preface', async ({ page }) => {
  const phrase = await phraseFromFirstParagraph(page, preface().file);
  await page.goto('/');
  await page.keyboard.press('/');
  await expect(input(page)).toBeFocused();
  await page.keyboard.type(phrase);
  await expect.poll(() => resultPaths(page), { message: `results for “${phrase}”` }).toContain('/preface/');
});

test('searching causes no errors and no failed requests', async ({ page }) => {
  const phrase = await phraseFromFirstParagraph(page, preface().file);
  const trouble = watch(page);
  await searchFor(page, phrase);
  await expect.poll(() => resultPaths(page)).toContain('/preface/');
  const problems = [...trouble.errors, ...trouble.failedRequests, ...trouble.foreignRequests];
  expect(problems, listed('While searching', problems)).toEqual([]);
});

test('the whole-book page never appears in the results', async ({ page }) => {
  // The phrase is on /book/ too, since that page holds the whole book.
  const phrase = await phraseFromFirstParagraph(page, preface().file);
  await searchFor(page, phrase);
  await expect.poll(() => resultPaths(page)).toContain('/preface/');
  expect(await resultPaths(page)).not.toContainEqual(expect.stringMatching(/^\/book\//));

  // Beyond the results shown: nothing in the index leads to /book/.
  const indexed = await page.evaluate(async (query) => {
    const pagefindUrl = `${location.origin}/pagefind/pagefind.js`;
    const pagefind = await import(/* @vite-ignore */ pagefindUrl);
    const found = await pagefind.search(query);
    const all: { url: string }[] = await Promise.all(found.results.map((r: { data(): Promise<{ url: string }> }) => r.data()));
    return all.map((d) => new URL(d.url, location.href).pathname);
  }, phrase);
  expect(indexed).toContain('/preface/');
  expect(indexed).not.toContainEqual(expect.stringMatching(/^\/book\//));
});

test('Escape closes search and gives focus back to the search button', async ({ page }) => {
  await page.goto('/');
  await button(page).click();
  await expect(dialog(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
  await expect(button(page)).toBeFocused();
});

test('Escape after the / key leaves focus on the page, not in the closed dialog', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('/');
  await expect(input(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toBeHidden();
  const focused = await page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'the page';
    return active.id === 'search-open' ? 'the search button' : active.outerHTML.slice(0, 80);
  });
  expect(['the page', 'the search button']).toContain(focused);
});

test('the search index is downloaded only when search is used', async ({ page }) => {
  const pagefindRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/pagefind/')) pagefindRequests.push(request.url());
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  expect(pagefindRequests, listed('Pagefind files fetched before search was used', pagefindRequests)).toEqual([]);

  await button(page).click();
  await input(page).fill('kernel');
  await expect.poll(() => pagefindRequests.length, { message: 'Pagefind loads once search is used' }).toBeGreaterThan(0);
});
