// DeviceBus on its harness page (/lab/device-bus/): the widget hydrates and runs pci-hotplug-autoload
// in the browser; its chain steps and the shared controls work from the keyboard; the bound pair
// appears once probe has returned and is gone after the unplug; the uevent shows its MODALIAS; a
// deep link opens the exact state; hydration shifts nothing.
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/device-bus/';
const widget = harnessWidget;
const chain = (page: Page) => page.getByRole('region', { name: 'The chain so far, oldest first' });
const MODALIAS = 'pci:v00001B36d00000005sv00001AF4sd00001100bc00scFFi00';

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

/** The step a chain button goes to, read from its own label ("Go to step N: …"). */
async function stepOf(page: Page, name: RegExp): Promise<number> {
  const label = await chain(page).getByRole('button', { name }).getAttribute('aria-label');
  return Number(/^Go to step (\d+):/.exec(label ?? '')?.[1]);
}

test('before hydration the page already shows the build’s own run, at its end', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(widget(page)).toHaveAttribute('data-phase', 'unloaded');
  await expect(widget(page)).toHaveAttribute('data-bound', '');
  await expect(chain(page)).toContainText('pcidrv is bound to 0000:00:04.0');
  await expect(page.getByRole('row', { name: /0000:00:04\.0/ })).toContainText('removed');
  await context.close();
});

test('runs pci-hotplug-autoload in the browser and opens at its end', async ({ page }) => {
  await ready(page);
  const steps = await widget(page).getAttribute('data-steps');
  await expect(widget(page)).toHaveAttribute('data-step', steps!);
  await expect(widget(page)).toHaveAttribute('data-scenario', 'pci-hotplug-autoload');
  await expect(widget(page)).toHaveAttribute('data-phase', 'unloaded');
  await expect(widget(page)).toHaveAttribute('data-bound', '');
});

test('from the keyboard: the card appears, its uevent carries the MODALIAS, and the chain grows', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await page.getByRole('button', { name: 'To the start' }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(w).toHaveAttribute('data-phase', 'idle');
  await expect(w).toHaveAttribute('data-devices', '0');
  await expect(chain(page)).toContainText('Nothing has happened yet.');
  // Step forward until the card is on the bus, by keyboard on the control's own button.
  await page.getByRole('button', { name: 'Step forward' }).focus();
  for (let i = 0; i < 40 && (await w.getAttribute('data-phase')) !== 'plugged'; i++) await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-phase', 'plugged');
  await expect(w).toHaveAttribute('data-devices', '1');
  await expect(page.getByRole('row', { name: /0000:00:04\.0/ })).toContainText('1b36:0005');
  for (let i = 0; i < 10 && (await w.getAttribute('data-phase')) !== 'uevent'; i++) await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-phase', 'uevent');
  const modalias = page.locator('.lab-live .vars li.modalias');
  await expect(modalias).toContainText(`MODALIAS=${MODALIAS}`);
  await expect(modalias).toContainText('udev looks this up in modules.alias');
  // A chain step, chosen by keyboard, moves the run back to it.
  const appearStep = await stepOf(page, /0000:00:04\.0 appears on the pci bus/);
  await chain(page).getByRole('button', { name: /0000:00:04\.0 appears on the pci bus/ }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', String(appearStep));
  await expect(w).toHaveAttribute('data-phase', 'plugged');
});

test('bound after the probe step, and no longer once the card is removed', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  const probed = await stepOf(page, /pcidrv is bound to 0000:00:04\.0/);
  const removed = await stepOf(page, /0000:00:04\.0 leaves the pci bus/);
  expect(probed).toBeGreaterThan(0);
  expect(removed).toBeGreaterThan(probed);
  await chain(page).getByRole('button', { name: /pcidrv is bound to 0000:00:04\.0/ }).click();
  await expect(w).toHaveAttribute('data-step', String(probed));
  await expect(w).toHaveAttribute('data-phase', 'probed');
  await expect(w).toHaveAttribute('data-bound', 'pcidrv@0000:00:04.0');
  await expect(page.getByRole('row', { name: /0000:00:04\.0/ })).toContainText('bound to pcidrv');
  // One step before, probe has not returned: nothing is bound yet.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(w).toHaveAttribute('data-bound', '');
  await page.getByRole('button', { name: 'To the end' }).click();
  await chain(page).getByRole('button', { name: /0000:00:04\.0 leaves the pci bus/ }).click();
  await expect(w).toHaveAttribute('data-step', String(removed));
  await expect(w).toHaveAttribute('data-phase', 'removed');
  await expect(w).toHaveAttribute('data-bound', '');
  await expect(page.getByRole('row', { name: /0000:00:04\.0/ })).toContainText('removed');
});

test('a deep link opens the exact state', async ({ page }) => {
  await ready(page);
  const matched = await stepOf(page, /pcidrv's id table entry at 0x[0-9a-f]+ matches 0000:00:04\.0/);
  await ready(page, `#lab:harness?s=pci-hotplug-autoload&t=${matched}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-step', String(matched));
  await expect(w).toHaveAttribute('data-phase', 'matched');
  await expect(w).toHaveAttribute('data-bound', '');
  await expect(w).toHaveAttribute('data-devices', '7');
  await expect(page.locator('.lab-live .drivers')).toContainText('vendor 0x1b36 device 0x0005');
  await expect(chain(page).locator('li[aria-current="step"]')).toContainText('matches 0000:00:04.0');
});

test('at 320 px the uevent with its long MODALIAS wraps inside the widget: no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await ready(page);
  const at = await stepOf(page, /uevent \d+: add \/devices\/pci0000:00\/0000:00:04\.0/);
  await ready(page, `#lab:harness?s=pci-hotplug-autoload&t=${at}`);
  await expect(page.locator('.lab-live .vars li.modalias')).toContainText(MODALIAS);
  await expect(page.locator('.lab-live .lab-narration')).toContainText(`MODALIAS=${MODALIAS}`);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
