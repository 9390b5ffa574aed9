// Light, dark or system: the reader's choice is remembered, System follows the operating system,
// a damaged stored value is survived, and no page flashes the wrong theme while it loads.
import { expect, test, type Page } from '@playwright/test';
import { storeThemeBeforeLoad, themeRadio } from './support/theme.ts';
import { listed, watch } from './support/watch.ts';

const html = (page: Page) => page.locator('html');

test('the theme choices are radio buttons labelled Light, Dark and System', async ({ page }) => {
  await page.goto('/');
  for (const [name, value] of [['Light', 'light'], ['Dark', 'dark'], ['System', 'system']]) {
    await expect(page.getByRole('radio', { name, exact: true })).toHaveAttribute('value', value ?? '');
  }
});

test('Dark, once chosen, is still dark after a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(html(page)).toHaveAttribute('data-theme', 'light');
  await page.getByRole('radio', { name: 'Dark', exact: true }).check();
  await expect(html(page)).toHaveAttribute('data-theme', 'dark');

  await page.reload();
  await expect(html(page)).toHaveAttribute('data-theme', 'dark');
  await expect(themeRadio(page, 'dark')).toBeChecked();
});

for (const scheme of ['dark', 'light'] as const) {
  const other = scheme === 'dark' ? 'light' : 'dark';
  test(`System follows the operating system's ${scheme} setting`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await storeThemeBeforeLoad(page, other);
    await page.goto('/');
    await expect(html(page)).toHaveAttribute('data-theme', other);
    await page.getByRole('radio', { name: 'System', exact: true }).check();
    await expect(html(page)).toHaveAttribute('data-theme', scheme);
  });
}

test('a damaged stored choice falls back to System without errors', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await storeThemeBeforeLoad(page, '{"x":');
  const trouble = watch(page);
  await page.goto('/', { waitUntil: 'networkidle' });
  await expect(html(page)).toHaveAttribute('data-theme', 'dark');
  await expect(themeRadio(page, 'system')).toBeChecked();
  expect(trouble.errors, listed('Errors with a damaged stored theme', trouble.errors)).toEqual([]);
});

/** Records data-theme when <body> first appears and at DOMContentLoaded, before any deferred script could fix it. */
async function recordEarlyTheme(page: Page) {
  await page.addInitScript(() => {
    const seen: Record<string, string | null> = {};
    (window as unknown as { earlyTheme: typeof seen }).earlyTheme = seen;
    const theme = () => document.documentElement?.getAttribute('data-theme') ?? null;
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      seen.atBody = theme();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
    document.addEventListener('DOMContentLoaded', () => (seen.atDomContentLoaded = theme()), { once: true });
  });
}
const earlyTheme = (page: Page) => page.evaluate(() => (window as unknown as { earlyTheme: Record<string, string | null> }).earlyTheme);

test('a stored Dark choice is in place before the page is first shown', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await storeThemeBeforeLoad(page, 'dark');
  await recordEarlyTheme(page);
  await page.goto('/');
  expect(await earlyTheme(page)).toEqual({ atBody: 'dark', atDomContentLoaded: 'dark' });
});

test('System with a dark operating system is dark before the page is first shown', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await storeThemeBeforeLoad(page, 'system');
  await recordEarlyTheme(page);
  await page.goto('/');
  expect(await earlyTheme(page)).toEqual({ atBody: 'dark', atDomContentLoaded: 'dark' });
});
