// Every page of the built site (found in dist/, see support/site.ts): it loads cleanly, stays on
// its own origin, passes axe in both themes, reflows at 320 px, and its links all lead somewhere.
import { expect, test } from '@playwright/test';
import { accessibilityViolations, describeViolations } from './support/axe.ts';
import { checkLinks } from './support/links.ts';
import { fontsReady, readThrough } from './support/load.ts';
import { elementsStickingOut } from './support/reflow.ts';
import { BASE_URL } from './support/server.ts';
import { NOT_FOUND_PATH, sitePages } from './support/site.ts';
import { storeThemeBeforeLoad } from './support/theme.ts';
import { listed, watch } from './support/watch.ts';

const NARROWEST = 320;

for (const { path } of sitePages) {
  test.describe(`page ${path}`, () => {
    const notFoundUrl = path === NOT_FOUND_PATH ? `${BASE_URL}${path}` : undefined;

    test('loads without console errors', async ({ page }) => {
      const trouble = watch(page, { notFoundUrl });
      await readThrough(page, path);
      expect(trouble.errors, listed(`Console errors on ${path}`, trouble.errors)).toEqual([]);
    });

    test('loads everything it asks for', async ({ page }) => {
      const trouble = watch(page, { notFoundUrl });
      await readThrough(page, path);
      expect(trouble.failedRequests, listed(`Failed requests on ${path}`, trouble.failedRequests)).toEqual([]);
    });

    test('asks nothing of any other site', async ({ page }) => {
      const trouble = watch(page, { notFoundUrl });
      await readThrough(page, path);
      expect(trouble.foreignRequests, listed(`Requests to other origins from ${path}`, trouble.foreignRequests)).toEqual([]);
    });

    for (const theme of ['light', 'dark'] as const) {
      test(`meets WCAG 2.1 AA (axe) in the ${theme} theme`, async ({ page }) => {
        await storeThemeBeforeLoad(page, theme);
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await fontsReady(page);
        const violations = await accessibilityViolations(page);
        expect(violations.length, describeViolations(`${path} in the ${theme} theme`, violations)).toBe(0);
      });
    }

    test('meets WCAG 2.1 AA (axe) on a phone-sized screen', async ({ page }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(path);
      await fontsReady(page);
      const violations = await accessibilityViolations(page);
      expect(violations.length, describeViolations(`${path} at 390 px`, violations)).toBe(0);
    });

    test(`reflows to a ${NARROWEST} px wide screen without sideways scrolling`, async ({ page }) => {
      await page.setViewportSize({ width: NARROWEST, height: 640 });
      await page.goto(path);
      await fontsReady(page);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      const culprits = width > NARROWEST ? await elementsStickingOut(page) : [];
      expect(width, listed(`${path} is ${width} px wide at ${NARROWEST} px; sticking out`, culprits)).toBeLessThanOrEqual(NARROWEST);
    });

    test('links only to pages and anchors that exist', async ({ page }, testInfo) => {
      await page.goto(path);
      const report = await checkLinks(page);
      if (report.labLinks.length > 0) {
        testInfo.annotations.push({ type: 'simulation deep links (checked later)', description: report.labLinks.join(' ') });
      }
      expect(report.broken, listed(`Broken links on ${path}`, report.broken)).toEqual([]);
    });
  });
}
