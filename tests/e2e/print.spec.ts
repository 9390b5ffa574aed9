// Printing a page gives the text alone: no header, contents or "on this page", and code that wraps.
import { expect, test, type Locator } from '@playwright/test';
import { pagesPreferring } from './support/site.ts';

/** Every element the locator matches; fails when there is none. */
async function every(locator: Locator): Promise<Locator[]> {
  await expect(locator.first(), `${locator} matches nothing`).toBeAttached();
  return locator.all();
}

const LEFT_OUT_OF_PRINT = ['header.site-header', 'nav.book-contents', 'nav.page-contents'];

test('printing the preface leaves out the header, the book contents and "on this page"', async ({ page }) => {
  await page.goto('/preface/');
  for (const selector of LEFT_OUT_OF_PRINT) {
    for (const element of await every(page.locator(selector))) {
      await expect(element, `${selector} on screen`).not.toHaveCSS('display', 'none');
    }
  }
  await page.emulateMedia({ media: 'print' });
  for (const selector of LEFT_OUT_OF_PRINT) {
    for (const element of await every(page.locator(selector))) {
      await expect(element, `${selector} in print`).toHaveCSS('display', 'none');
    }
  }
});

test('printed code wraps its long lines', async ({ page }) => {
  const withCode = pagesPreferring('/preface/', /<pre[\s>]/)[0];
  expect(withCode, 'a built page with a code block').toBeDefined();
  await page.goto(withCode?.path ?? '/preface/');
  await page.emulateMedia({ media: 'print' });
  for (const block of await every(page.locator('main pre'))) {
    await expect(block).toHaveCSS('white-space', 'pre-wrap');
  }
});
