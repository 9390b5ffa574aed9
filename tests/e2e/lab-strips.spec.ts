// Print strips: every widget on every page carries, under it, its run at a few key steps as still
// pictures made at build time, each with the deep link that reopens that state. On screen the strip
// is hidden and the live widget shows; in print the strip stands in for the widget. Each still
// frame must be the state the live widget reaches at that step (same data attributes): the strip is
// the emulator's run, not a drawing of it.
import { expect, test, type Page } from '@playwright/test';
import { pagesWhoseHtmlMatches } from './support/site.ts';

const pages = pagesWhoseHtmlMatches(/class="lab-strip/);

test('the site has pages with print strips', () => {
  expect(pages.length).toBeGreaterThan(0);
});

/** The data-* attributes a still frame carries (its widget's own state), by name. */
async function stillState(page: Page, frame: ReturnType<Page['locator']>): Promise<Record<string, string>> {
  return frame.locator('figure.lab.still').evaluate((el) => Object.fromEntries([...el.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name, a.value])));
}

for (const { path } of pages) {
  test(`${path}: on screen the widgets show and the strips hide; in print the reverse`, async ({ page }) => {
    await page.goto(path);
    const strips = page.locator('.lab-strip');
    const count = await strips.count();
    for (let i = 0; i < count; i++) {
      await expect(strips.nth(i)).toBeHidden();
      await expect(page.locator('.lab-live').nth(i)).toBeVisible();
    }
    await page.emulateMedia({ media: 'print' });
    for (let i = 0; i < count; i++) {
      await expect(strips.nth(i)).toBeVisible();
      await expect(page.locator('.lab-live').nth(i)).toBeHidden();
    }
  });

  test(`${path}: each frame of each strip is the state its deep link opens`, async ({ page }) => {
    await page.goto(path);
    const frames = page.locator('.lab-strip > ol > li');
    const n = await frames.count();
    expect(n).toBeGreaterThan(0);
    const wanted: { href: string; step: string; state: Record<string, string> }[] = [];
    for (let i = 0; i < n; i++) {
      const link = frames.nth(i).locator('a[href*="#lab:"]');
      const href = (await link.getAttribute('href'))!;
      const step = /[?&]t=(\d+)/.exec(href)![1]!;
      await expect(link).toHaveText(new RegExp(`^Step ${step} of \\d+$`));
      wanted.push({ href, step, state: await stillState(page, frames.nth(i)) });
    }
    for (const w of wanted) {
      await page.goto(new URL(w.href, page.url()).href);
      const lab = /#lab:([^?]+)/.exec(w.href)![1]!;
      const live = page.locator(`figure[data-lab="${lab}"]`);
      await expect(live).toHaveAttribute('data-status', 'ready');
      await expect(live).toHaveAttribute('data-step', w.step);
      for (const [name, value] of Object.entries(w.state)) await expect(live, `${w.href}: ${name}`).toHaveAttribute(name, value);
    }
  });
}
