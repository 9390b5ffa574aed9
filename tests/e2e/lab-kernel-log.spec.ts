// The lab bridge on the KernelLog harness page (/lab/kernel-log/): the widget hydrates and runs
// the scenario in the browser, the controls work from the keyboard by their own roles, deep links
// open exact states and round-trip, and bad links fall back with a message.
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL } from './support/server.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/kernel-log/';
const widget = harnessWidget;

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

test('before hydration the page already shows the whole log of the build’s own run', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(page.getByRole('log')).toContainText('hello: loaded, major 246');
  await expect(page.getByRole('log')).toContainText('hello: unloaded');
  await context.close();
});

test('runs hello-read in the browser and opens at its end', async ({ page }) => {
  await ready(page);
  const steps = Number(await widget(page).getAttribute('data-steps'));
  expect(steps).toBeGreaterThan(1000);
  await expect(widget(page)).toHaveAttribute('data-step', String(steps));
  await expect(page.getByRole('log')).toContainText('hello: unloaded');
});

test('the controls work from the keyboard, each by its own role', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await page.getByRole('button', { name: 'To the start' }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(page.getByRole('log')).toContainText('Nothing printed yet.');
  const forward = page.getByRole('button', { name: 'Step forward' });
  await forward.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await expect(w).toHaveAttribute('data-step', '2');
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-step', '3');
  await page.keyboard.press('End');
  await expect(w).toHaveAttribute('data-step', (await w.getAttribute('data-steps'))!);
  await page.keyboard.press('Home');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(page.locator('.lab-live .lab-narration')).toHaveText('At the start: nothing has happened yet.');
});

test('choosing a log line goes to the step that printed it, and the narration says what it was', async ({ page }) => {
  await ready(page);
  await page.getByRole('button', { name: /hello: loaded, major 246/ }).click();
  const step = Number(await widget(page).getAttribute('data-step'));
  await expect(page.locator('.lab-live .lab-narration')).toHaveText(`Step ${step}: The kernel logs: “hello: loaded, major 246”.`);
  await expect(widget(page)).toHaveAttribute('data-lines', '3');
});

test('play advances the run and pause stops it', async ({ page }) => {
  await ready(page);
  await page.getByRole('button', { name: 'To the start' }).click();
  await page.getByLabel('Speed').selectOption('Fastest');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await widget(page).getAttribute('data-step'))).toBeGreaterThan(20);
  await page.getByRole('button', { name: 'Pause' }).click();
  const at = await widget(page).getAttribute('data-step');
  await page.waitForTimeout(300);
  await expect(widget(page)).toHaveAttribute('data-step', at!);
});

test('a deep link opens the exact state: scenario, parameters and step', async ({ page }) => {
  await ready(page, '#lab:harness?s=hello-load&p=module=hellorw.ko&t=120');
  await expect(widget(page)).toHaveAttribute('data-scenario', 'hello-load');
  await expect(widget(page)).toHaveAttribute('data-step', '120');
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('"copy link to this step" gives a link that reopens the same state', async ({ page }) => {
    await ready(page, '#lab:harness?s=hello-load&p=module=hellorw.ko&t=120');
    await page.getByRole('button', { name: 'Step forward' }).click();
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=hello-load&p=module=hellorw.ko&t=121`);
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-step', '121');
  });
});

test('a bad link says what is wrong and opens the default', async ({ page }) => {
  await ready(page, '#lab:harness?s=no-such-scenario');
  await expect(page.getByRole('note')).toHaveText('This link does not open: The book has no scenario "no-such-scenario". The simulation opens at its start instead.');
  await expect(widget(page)).toHaveAttribute('data-scenario', 'hello-read');
  await ready(page, '#lab:harness?t=99999999');
  await expect(page.getByRole('note')).toContainText('is not a step number');
});

test('a step past the end of the run says so and opens at the start', async ({ page }) => {
  await ready(page, '#lab:harness?s=user-cli-gp&t=9999999');
  await expect(page.getByRole('note')).toContainText('asks for step 9999999, but the run has');
  await expect(widget(page)).toHaveAttribute('data-step', '0');
});

test('the text view lists every step and marks the current one', async ({ page }) => {
  await ready(page, '#lab:harness?s=user-cli-gp&t=5');
  await page.getByRole('button', { name: 'Show the run as text' }).click();
  const list = page.getByRole('list', { name: 'Every step of the run' });
  await expect(list.locator('li')).toHaveCount(Number(await widget(page).getAttribute('data-steps')));
  await expect(list.locator('li[aria-current="step"]')).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Hide the run as text' })).toHaveAttribute('aria-expanded', 'true');
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});

test('a deep link followed within the page opens its state without reloading', async ({ page }) => {
  await ready(page);
  await page.getByRole('link', { name: 'the cli program at step 5' }).click();
  await expect(widget(page)).toHaveAttribute('data-scenario', 'user-cli-gp');
  await expect(widget(page)).toHaveAttribute('data-step', '5');
});
