// Glossary terms in the prose: a card with the short definition shows on keyboard focus and on
// hover, and Escape hides it (WCAG 1.4.13).
import { expect, test, type Page } from '@playwright/test';
import { pagesPreferring } from './support/site.ts';
import { isShown } from './support/visibility.ts';

const termPages = pagesPreferring('/preface/', /class="term[\s"]/);
const firstTermPage = () => {
  const found = termPages[0];
  if (!found) throw new Error('No built page has a glossary term (<span class="term">)');
  return found.path;
};

function firstTerm(page: Page) {
  const term = page.locator('.term').first();
  return { link: term.locator('a').first(), card: term.locator('[role="tooltip"]') };
}

/** Focus arriving by keyboard: Tab into the link from the element before it. */
async function tabTo(page: Page, link: ReturnType<typeof firstTerm>['link']) {
  await link.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(link).toBeFocused();
}

test('at least one page explains glossary terms in place', () => {
  expect(termPages.length, 'pages with a .term').toBeGreaterThan(0);
});

test('each term link is described by its own card', async ({ page }) => {
  await page.goto(firstTermPage());
  const terms = page.locator('.term');
  expect(await terms.count()).toBeGreaterThan(0);
  const problems = await terms.evaluateAll((all) =>
    all.flatMap((term) => {
      const link = term.querySelector('a');
      const card = term.querySelector('[role="tooltip"]');
      const name = `“${link?.textContent ?? term.textContent}”`;
      if (!link || !card) return [`${name} lacks its link or its card`];
      if (!card.id || link.getAttribute('aria-describedby') !== card.id) return [`${name} is not described by its card`];
      return [];
    }),
  );
  expect(problems).toEqual([]);
});

test("a term's card shows when the term gets keyboard focus", async ({ page }) => {
  await page.goto(firstTermPage());
  const { link, card } = firstTerm(page);
  expect(await isShown(card)).toBe(false);
  await tabTo(page, link);
  await expect.poll(() => isShown(card)).toBe(true);
});

test("Escape hides a term's card", async ({ page }) => {
  await page.goto(firstTermPage());
  const { link, card } = firstTerm(page);
  await tabTo(page, link);
  await expect.poll(() => isShown(card)).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => isShown(card)).toBe(false);
});

test("a term's card shows when the pointer rests on the term", async ({ page }) => {
  await page.goto(firstTermPage());
  const { link, card } = firstTerm(page);
  await page.mouse.move(0, 0);
  expect(await isShown(card)).toBe(false);
  await link.hover();
  await expect.poll(() => isShown(card)).toBe(true);
});
