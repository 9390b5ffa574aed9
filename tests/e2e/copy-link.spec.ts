// Each section heading has a "copy link" button that puts the section's full address on the clipboard.
import { expect, test } from '@playwright/test';
import { BASE_URL } from './support/server.ts';
import { pagesPreferring } from './support/site.ts';

const pagesWithCopyLinks = pagesPreferring('/preface/', /class="copy-link"/);

test('at least one page has section links to copy', () => {
  expect(pagesWithCopyLinks.length, 'pages with a .copy-link button').toBeGreaterThan(0);
});

for (const { path } of pagesWithCopyLinks) {
  test(`the copy-link buttons on ${path} are there once the page has loaded`, async ({ page }) => {
    await page.goto(path);
    const buttons = page.locator('button.copy-link');
    const count = await buttons.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await expect(buttons.nth(i)).toBeVisible();
  });
}

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test("pressing a copy-link button puts the section's address on the clipboard", async ({ page }) => {
    const path = pagesWithCopyLinks[0]?.path ?? '/preface/';
    await page.goto(path);
    const button = page.locator('button.copy-link').first();
    const sectionId = await button.evaluate((b) => b.closest('h2, h3, h4, h5, h6')?.id ?? '');
    expect(sectionId, 'the heading that holds the first copy-link button has an id').not.toBe('');

    await page.evaluate(() => navigator.clipboard.writeText('nothing copied yet'));
    await button.click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${BASE_URL}${path}#${sectionId}`);
  });
});
