// Predict, then reveal, on /lab/predict/ (RingSwitcher on user-cli-gp, opening on a question just
// before the program's cli): the run waits at the question; the verdict compares the answer with
// the widget's own state at the reveal; a wrong answer names its misconception and shows what the
// run did; the reader can ask again or skip. All by keyboard.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/predict/';
const widget = harnessWidget;
const question = (page: Page) => page.getByRole('group', { name: /Predict first/ });
// The golden trace of user-cli-gp: one sentence per step. The question opens after the iretq back
// into the program, and the run's end is the #GP.
const lines = readFileSync('tests/golden/scenarios/user-cli-gp.txt', 'utf8').trimEnd().split('\n');
const IRETQ = lines.findIndex((l) => l === 'The processor moves from ring 0 to ring 3 (iret).') + 1;

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

test('opens on the question, at the step after the iretq, with the controls waiting', async ({ page }) => {
  expect(IRETQ).toBeGreaterThan(0);
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-predict', 'open');
  await expect(w).toHaveAttribute('data-step', String(IRETQ));
  await expect(w).toHaveAttribute('data-last-change', 'iretq');
  await expect(question(page)).toBeVisible();
  await expect(page.locator('.lab-live .lab-controls')).toHaveAttribute('inert', ''); // out of reach, focus and clicks
  await page.getByRole('button', { name: 'Skip the question' }).focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('.lab-controls'))).toBe(false);
  await expect(page.getByRole('button', { name: 'Run it and see' })).toBeDisabled();
});

test('a wrong answer names its misconception and shows what the run did; asking again returns to the question', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  const first = question(page).getByRole('radio').first();
  await first.focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('radio', { name: /It clears IF/ })).toBeChecked();
  await page.getByRole('button', { name: 'Run it and see' }).press('Enter');
  await expect(w).toHaveAttribute('data-predict', 'answered');
  await expect(w).toHaveAttribute('data-step', String(lines.length));
  await expect(w).toHaveAttribute('data-last-change', '#GP');
  const verdict = page.locator('.lab-live .verdict');
  await expect(verdict).toContainText('✗ Not what the emulator did.');
  await expect(verdict).toContainText('cli is privileged');
  await expect(verdict).toContainText('The run shows: It refuses with a general-protection fault (#GP)');
  await expect(page.locator('.lab-live .lab-controls')).not.toHaveAttribute('inert');
  await page.getByRole('button', { name: 'Ask me again' }).click();
  await expect(w).toHaveAttribute('data-predict', 'open');
  await expect(w).toHaveAttribute('data-step', String(IRETQ));
});

test('the right answer is confirmed by the run, from the keyboard alone', async ({ page }) => {
  await ready(page);
  await question(page).getByRole('radio').first().focus();
  await page.keyboard.press('ArrowDown'); // the radio group's own keys move and select
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /general-protection fault/ })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Run it and see' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.lab-live .verdict')).toContainText('✓ Right.');
  await expect(widget(page)).toHaveAttribute('data-cpl', '0');
});

test('the reader may skip the question and drive the run', async ({ page }) => {
  await ready(page);
  await page.getByRole('button', { name: 'Skip the question' }).click();
  await expect(widget(page)).toHaveAttribute('data-predict', 'skipped');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(widget(page)).toHaveAttribute('data-step', String(IRETQ + 1));
});

test('before hydration the picture shows the state at the question, not the answer', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(widget(page)).toHaveAttribute('data-last-change', 'iretq');
  await context.close();
});

test('hydration shifts nothing (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
