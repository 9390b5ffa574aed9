// The reader's theme choice, as the site stores it.
import type { Page } from '@playwright/test';

export const THEME_KEY = 'rz-theme';

/** Stores `value` as the theme choice before any of the page's scripts run, on every load. */
export async function storeThemeBeforeLoad(page: Page, value: string) {
  await page.addInitScript(
    ({ key, value }) => {
      try {
        localStorage.setItem(key, value);
      } catch {
        /* about:blank and other opaque origins have no storage */
      }
    },
    { key: THEME_KEY, value },
  );
}

export const themeRadio = (page: Page, value: 'light' | 'dark' | 'system') =>
  page.locator(`input[name="theme"][value="${value}"]`);
