// KconfigToggle on its harness page (/lab/kconfig-toggle/): it opens on y (builtin-boot), the radio
// group switches the run from the keyboard (arrow keys, the native radio pattern) to kconfig-m and
// kconfig-n, each fact is shown with the step of its event (found in the run's trace, the golden
// file the unit tests keep equal to the run), the choice is in the deep link, and hydration shifts
// nothing.
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL } from './support/server.ts';
import { harnessWidget, openHarness, goldenTrace } from './support/harness.ts';

const PATH = '/lab/kconfig-toggle/';
const widget = harnessWidget;

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

const trace = goldenTrace;
function stepOf(lines: string[], pattern: RegExp): number {
  const i = lines.findIndex((l) => pattern.test(l));
  if (i < 0) throw new Error(`the run has no event like ${pattern}`);
  return i + 1;
}
const y = trace('builtin-boot'), m = trace('kconfig-m'), n = trace('kconfig-n');
const Y_INITCALL = stepOf(y, /^do_initcalls, level "device": .*\(hello_init\)\.$/);
const M_INIT = stepOf(m, /^do_init_module calls hello's init function/);

test('before hydration the page already shows y: hello_init in the image, run at boot', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(widget(page)).toHaveAttribute('data-choice', 'y');
  await expect(widget(page)).toHaveAttribute('data-in-image', 'yes');
  await expect(page.locator('.lab-live [data-fact="image"]')).toContainText(`step ${Y_INITCALL}`);
  await context.close();
});

test('the radio group switches the run from the keyboard: y → m → n', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-steps', String(y.length));
  await expect(w).toHaveAttribute('data-init', 'boot');
  await expect(w).toHaveAttribute('data-ko-file', 'builtin');
  const radio = page.getByRole('radio', { name: /^y — built in/ });
  await expect(radio).toBeChecked();
  await radio.focus();
  await page.keyboard.press('ArrowDown');
  await expect(w).toHaveAttribute('data-scenario', 'kconfig-m');
  await expect(w).toHaveAttribute('data-status', 'ready');
  await expect(w).toHaveAttribute('data-steps', String(m.length));
  await expect(w).toHaveAttribute('data-choice', 'm');
  await expect(w).toHaveAttribute('data-in-image', 'no');
  await expect(w).toHaveAttribute('data-ko-file', 'yes');
  await expect(w).toHaveAttribute('data-init', 'load');
  await expect(page.locator('.lab-live [data-fact="init"]')).toContainText(`step ${M_INIT}`);
  await expect(page.getByRole('log', { name: 'Kernel log (dmesg) so far' })).toContainText('hello: loaded');
  await page.keyboard.press('ArrowDown');
  await expect(w).toHaveAttribute('data-scenario', 'kconfig-n');
  await expect(w).toHaveAttribute('data-status', 'ready');
  await expect(w).toHaveAttribute('data-steps', String(n.length));
  await expect(w).toHaveAttribute('data-ko-file', 'no');
  await expect(w).toHaveAttribute('data-init', 'never');
  await expect(page.getByRole('radio', { name: /^n — not built/ })).toBeChecked();
});

test('stepping: before its init the m run has printed only the load’s taint lines, after it hello’s own line too', async ({ page }) => {
  await ready(page, `#lab:harness?s=kconfig-m&t=${M_INIT - 1}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-lines', String(m.slice(0, M_INIT - 1).filter((l) => l.startsWith('The kernel logs:')).length));
  await expect(page.getByRole('log', { name: 'Kernel log (dmesg) so far' })).not.toContainText('hello: loaded');
  await expect(page.locator('.lab-live [data-fact="init"]')).toContainText('not reached yet');
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(w).toHaveAttribute('data-lines', String(m.filter((l) => l.startsWith('The kernel logs:')).length));
  await expect(page.getByRole('log', { name: 'Kernel log (dmesg) so far' })).toContainText('hello: loaded');
  await expect(page.locator('.lab-live [data-fact="init"]')).not.toContainText('not reached yet');
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  test('a deep link reopens the choice and the step', async ({ page }) => {
    await ready(page, `#lab:harness?s=kconfig-m&t=${M_INIT}`);
    await expect(page.getByRole('radio', { name: /^m — module/ })).toBeChecked();
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=kconfig-m&t=${M_INIT}`);
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-choice', 'm');
    await expect(widget(page)).toHaveAttribute('data-step', String(M_INIT));
  });

  test('a choice made with the radio group is in the copied link', async ({ page }) => {
    await ready(page);
    await page.getByRole('radio', { name: /^y — built in/ }).focus();
    await page.keyboard.press('ArrowUp'); // wraps round to the last: n
    await expect(widget(page)).toHaveAttribute('data-scenario', 'kconfig-n');
    await expect(widget(page)).toHaveAttribute('data-status', 'ready');
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${BASE_URL}${PATH}#lab:harness?s=kconfig-n&t=${n.length}`);
  });
});

test('reduced motion shows the same state', async ({ page }) => {
  const attrs = () => widget(page).evaluate((el) => Object.fromEntries(['step', 'choice', 'in-image', 'ko-file', 'init', 'lines'].map((k) => [k, el.getAttribute(`data-${k}`)])));
  await ready(page, `#lab:harness?s=builtin-boot&t=${Y_INITCALL}`);
  const normal = await attrs();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await ready(page, `#lab:harness?s=builtin-boot&t=${Y_INITCALL}`);
  expect(await attrs()).toEqual(normal);
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
