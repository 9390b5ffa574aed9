// LoaderPipeline on its harness page (/lab/loader-pipeline/): the build's picture stands until the
// browser's run is ready, the fault radio group works from the keyboard and each fault fails at the
// stage, with the errno and the log lines, that its golden trace records (one line per event, so a
// line's number is its step), deep links open a fault at a step, and nothing shifts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { ROOT } from './support/server.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/loader-pipeline/';
const widget = harnessWidget;
const stages = (page: Page) => page.getByRole('list', { name: 'The stages of load_module in Linux 6.1, in order' });

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

/** The last load_module failure in a golden trace: its step, stage, errno and the log lines right after it. */
function goldenFailure(id: string) {
  const lines = readFileSync(join(ROOT, 'tests/golden/scenarios', `${id}.txt`), 'utf8').split('\n');
  const at = lines.findLastIndex((l) => /^load_module: \S+ fails with -\d+/.test(l));
  const [, stage = '', errno = ''] = /^load_module: (\S+) fails with (-\d+)/.exec(lines[at] ?? '') ?? [];
  const log: string[] = [];
  for (let i = at + 1; lines[i]?.startsWith('The kernel logs: “'); i++) log.push(lines[i]!.slice('The kernel logs: “'.length, -'”.'.length));
  return { step: at + 1, stage, errno, log };
}

// The radio group's order, with the scenario each choice runs.
const FAULTS = [
  ['None: hello.ko loads', 'hello-load'],
  ['A missing export (unknown symbol)', 'unknown-symbol'],
  ['Proprietary licence, GPL-only symbol', 'gpl-only-from-proprietary'],
  ['module_layout mismatch', 'module-layout-mismatch'],
  ['Wrong vermagic word', 'vermagic-mismatch'],
  ['Symbol CRC mismatch', 'crc-mismatch'],
  ['Unsigned, signatures enforced', 'unsigned-enforced'],
  ['Corrupt signature', 'signed-corrupt'],
  ['Already loaded (insmod twice)', 'already-loaded'],
] as const;

test('before hydration the page already shows every stage of the build’s own hello-load run passed', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(stages(page).locator(':scope > li')).toHaveCount(16);
  await expect(stages(page).locator(':scope > li.passed')).toHaveCount(16);
  await expect(stages(page).locator(':scope > li').first()).toContainText('module_sig_check');
  await expect(stages(page).locator(':scope > li').first()).toContainText('kernel/module/signing.c');
  await expect(page.getByRole('radio', { name: 'None: hello.ko loads' })).toBeChecked();
  await context.close();
});

test('runs hello-load in the browser and opens at its end, every stage passed', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-scenario', 'hello-load');
  await expect(w).toHaveAttribute('data-stage', 'do_init_module');
  await expect(w).toHaveAttribute('data-failed', '');
  await expect(stages(page).locator(':scope > li.passed')).toHaveCount(16);
  await expect(stages(page).getByText('✓ passed')).toHaveCount(16);
});

test('the arrow keys choose each fault in turn, and each fails where its golden trace says', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await page.getByRole('radio', { name: FAULTS[0][0] }).focus();
  for (const [label, scenario] of FAULTS.slice(1)) {
    await page.keyboard.press('ArrowDown');
    await expect(page.getByRole('radio', { name: label })).toBeChecked();
    await expect(page.getByRole('radio', { name: label })).toBeFocused();
    await expect(w).toHaveAttribute('data-scenario', scenario);
    await expect(w).toHaveAttribute('data-status', 'ready');
    const golden = goldenFailure(scenario);
    await expect(w).toHaveAttribute('data-failed', golden.stage);
    await expect(w).toHaveAttribute('data-stage', golden.stage);
    await expect(w).toHaveAttribute('data-step', (await w.getAttribute('data-steps'))!);
    const failed = stages(page).locator(':scope > li.failed');
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText(`✗ failed`);
    await expect(failed).toContainText(golden.stage);
    await expect(failed).toContainText(`returns ${golden.errno} (`);
    for (const line of golden.log) await expect(failed).toContainText(line);
    if (!golden.log.length) await expect(failed).toContainText('The kernel logs nothing for this failure.');
    await expect(stages(page).locator(':scope > li.not-reached')).toHaveCount(15 - (await stages(page).locator(':scope > li.passed').count()));
  }
});

test('arrow keys pressed faster than the runs finish leave the last choice on screen', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await page.getByRole('radio', { name: FAULTS[0][0] }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'module_layout mismatch' })).toBeChecked();
  await expect(w).toHaveAttribute('data-status', 'ready');
  await page.waitForTimeout(500);
  await expect(w).toHaveAttribute('data-scenario', 'module-layout-mismatch');
  await expect(w).toHaveAttribute('data-failed', 'check_modstruct_version');
});

test('a deep link opens a fault at a step: the stage running, then failed, then its log line', async ({ page }) => {
  const golden = goldenFailure('module-layout-mismatch');
  expect(golden.stage).toBe('check_modstruct_version');
  const w = widget(page);
  await ready(page, `#lab:harness?s=module-layout-mismatch&t=${golden.step - 1}`);
  await expect(w).toHaveAttribute('data-step', String(golden.step - 1));
  await expect(page.getByRole('radio', { name: 'module_layout mismatch' })).toBeChecked();
  await expect(w).toHaveAttribute('data-stage', 'check_modstruct_version');
  await expect(w).toHaveAttribute('data-failed', '');
  await expect(stages(page).locator(':scope > li[aria-current="step"]')).toContainText('▶ current');
  await expect(stages(page).locator(':scope > li[aria-current="step"]')).toContainText('kernel/module/version.c');

  await ready(page, `#lab:harness?s=module-layout-mismatch&t=${golden.step}`);
  await expect(w).toHaveAttribute('data-failed', 'check_modstruct_version');
  const failed = stages(page).locator(':scope > li.failed');
  await expect(failed).toContainText('returns -8 (ENOEXEC)');
  await expect(failed).not.toContainText(golden.log[0]!);
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(failed).toContainText(golden.log[0]!);
});

test('choosing a fault on a page opened by a lab link rewrites the link, so a reload shows the same fault', async ({ page }) => {
  await ready(page, '#lab:harness?s=crc-mismatch&t=5');
  await page.getByRole('radio', { name: 'Corrupt signature' }).check();
  await expect(widget(page)).toHaveAttribute('data-scenario', 'signed-corrupt');
  await expect(widget(page)).toHaveAttribute('data-status', 'ready');
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lab:harness?s=signed-corrupt'); // its keyring parameter is at its default
  await page.reload();
  await expect(widget(page)).toHaveAttribute('data-status', 'ready');
  await expect(widget(page)).toHaveAttribute('data-scenario', 'signed-corrupt');
  await expect(widget(page)).toHaveAttribute('data-failed', 'module_sig_check');
  await expect(page.getByRole('radio', { name: 'Corrupt signature' })).toBeChecked();
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
