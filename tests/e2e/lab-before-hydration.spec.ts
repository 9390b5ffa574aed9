// Every widget before hydration (its scripts held back): the harness page shows the build's own
// picture of the run — the widget's state attributes are there, the picture is not empty — and
// the page is axe clean in that state too, since a reader may meet it before hydration or with
// scripts failing to load. (axe itself needs JavaScript, so the page's script files are blocked
// rather than JavaScript turned off; lab-*.spec.ts check the picture with JavaScript off.)
import { expect, test } from '@playwright/test';
import { accessibilityViolations, describeViolations } from './support/axe.ts';
import { sitePages } from './support/site.ts';

const harnesses = sitePages.filter((p) => /^\/lab\/[a-z-]+\/$/.test(p.path));

for (const { path } of harnesses) {
  test(`${path}: before hydration the picture of the build's run is there, and axe finds nothing`, async ({ page }) => {
    await page.route('**/_astro/*.js', (route) => route.abort());
    await page.goto(path);
    const root = page.locator('figure[data-lab="harness"]');
    await expect(root).toHaveAttribute('data-hydrated', 'false');
    await expect(root.locator('.lab-picture')).not.toBeEmpty();
    expect(await root.locator('.lab-picture').innerText()).not.toBe('');
    const violations = await accessibilityViolations(page);
    expect(violations.length, describeViolations(`${path} before hydration`, violations)).toBe(0);
  });
}
