// An address that is not in the book answers 404 with the book's own not-found page.
import { expect, test } from '@playwright/test';
import { NOT_FOUND_PATH } from './support/site.ts';

test('an unknown address answers 404 with the not-found page', async ({ page }) => {
  await page.goto(NOT_FOUND_PATH);
  const notFoundTitle = await page.title();
  expect(notFoundTitle, `${NOT_FOUND_PATH} has no title`).not.toBe('');

  const response = await page.goto('/no-such-chapter/');
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle(notFoundTitle);
});
