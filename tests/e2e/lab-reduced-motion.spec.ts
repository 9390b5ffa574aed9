// Reduced motion on every widget's harness page: stepping shows the same states as with motion
// (the same data attributes at each step), and nothing inside the widget moves — no running
// animation and no transition longer than the site's reduced-motion rule leaves (0.01 ms).
import { expect, test, type Page } from '@playwright/test';
import { sitePages } from './support/site.ts';
import { harnessWidget } from './support/harness.ts';

const harnesses = sitePages.filter((p) => /^\/lab\/[a-z-]+\/$/.test(p.path));

test('every widget has a harness page', () => {
  expect(harnesses.length).toBeGreaterThanOrEqual(6);
});

const widget = harnessWidget;

/** Opens the harness at the start, then steps forward from the keyboard, recording the state each time. */
async function walk(page: Page, path: string): Promise<string[]> {
  await page.goto(`${path}#lab:harness?t=0`);
  await expect(widget(page)).toHaveAttribute('data-status', 'ready');
  const skip = page.getByRole('button', { name: 'Skip the question' });
  if (await skip.isVisible()) await skip.click();
  const states: string[] = [];
  const forward = page.getByRole('button', { name: 'Step forward' });
  await forward.focus();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Enter');
    await expect(widget(page)).toHaveAttribute('data-step', String(i + 1));
    states.push(await widget(page).evaluate((el) => [...el.attributes].filter((a) => a.name.startsWith('data-') && a.name !== 'data-hydrated').map((a) => `${a.name}=${a.value}`).join(' ')));
  }
  return states;
}

for (const { path } of harnesses) {
  test(`${path}: reduced motion shows the same states, and nothing in the widget moves`, async ({ browser }) => {
    const moving = await browser.newPage();
    const still = await browser.newPage();
    await still.emulateMedia({ reducedMotion: 'reduce' });
    expect(await walk(still, path)).toEqual(await walk(moving, path));
    const motion = await widget(still).evaluate((root) => ({
      animations: document.getAnimations().filter((a) => a.effect instanceof KeyframeEffect && a.effect.target instanceof Node && root.contains(a.effect.target) && a.playState === 'running').length,
      longest: Math.max(0, ...[root, ...root.querySelectorAll('*')].flatMap((el) => getComputedStyle(el).transitionDuration.split(',').map((s) => parseFloat(s) * (s.trim().endsWith('ms') ? 1 : 1000)))),
    }));
    expect(motion.animations).toBe(0);
    expect(motion.longest).toBeLessThan(0.1);
    await moving.close();
    await still.close();
  });
}
