// AddressSpace on its harness page (/lab/address-space/): it hydrates without shifting anything,
// rebuilds the mapped pages from the run's events step by step (the walk at the start, module_alloc,
// module_enable_ro/nx, exec, demand paging), lists hello's sections at the addresses move_module
// gave them with their pages' rights, and marks user-reads-kernel-pf's #PF in the kernel text
// region with its U/S reason. Steps and values are read from the run's trace (the golden file the
// unit tests keep equal to the run: line k is the sentence of the event step k passes).
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL } from './support/server.ts';
import { harnessWidget, openHarness, goldenTrace } from './support/harness.ts';

const PATH = '/lab/address-space/';
const widget = harnessWidget;

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

const trace = goldenTrace;
function stepOf(lines: string[], pattern: RegExp, after = 0): number {
  const i = lines.findIndex((l, k) => k >= after && pattern.test(l));
  if (i < 0) throw new Error(`the run has no event like ${pattern}`);
  return i + 1;
}

const read = trace('hello-read');
const WALKED = Number(read[0]!.match(/finds (\d+) mapped pages/)![1]);
const PLACED = stepOf(read, /^hello: move_module copies/);
const TEXT_AT = read[PLACED - 1]!.match(/\.text at (0x[0-9a-f]+)/)![1]!;
/** The last module_enable_ro/nx change after the placement: hello's pages have their final rights. */
const PROTECTED = read.findLastIndex((l) => l.startsWith('module_enable_ro/module_enable_nx')) + 1;
const FIRST_USER_MAP = stepOf(read, /^exec maps .* user \(U\/S=1\)/);
const pf = trace('user-reads-kernel-pf');
const PF = stepOf(pf, /^#PF page fault at .* with error code 0x5: read of (0x[0-9a-f]+)/);
const PF_ADDRESS = pf[PF - 1]!.match(/read of (0x[0-9a-f]+)/)![1]!;

test('before hydration the page already shows the regions at the end of the build’s run', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  const list = page.locator('.lab-live').getByRole('list', { name: 'Regions of the address space, lowest address first' });
  await expect(list).toContainText('Non-canonical hole');
  await expect(list).toContainText('0xffffffffc0000000');
  await expect(widget(page)).toHaveAttribute('data-module-pages', '0'); // hello was removed at the end
  await context.close();
});

test('from the keyboard: nothing at step 0, the walked tables at step 1, user pages when exec maps them', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-step', String(read.length));
  await page.getByRole('button', { name: 'To the start' }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(w).toHaveAttribute('data-mapped-pages', '0');
  await page.getByRole('button', { name: 'Step forward' }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-mapped-pages', String(WALKED));
  await expect(w).toHaveAttribute('data-user-pages', '0');
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  for (let s = 1; s < FIRST_USER_MAP; s++) await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-step', String(FIRST_USER_MAP));
  expect(Number(await w.getAttribute('data-user-pages'))).toBeGreaterThan(0);
  await expect(page.locator('.lab-live [data-region="user"] .runs')).toContainText('user (U/S=1)');
});

test('hello’s sections sit in the module area with the rights module_enable_ro/nx gave their pages', async ({ page }) => {
  await ready(page, `#lab:harness?s=hello-read&t=${PROTECTED}`);
  const w = widget(page);
  expect(Number(await w.getAttribute('data-module-pages'))).toBeGreaterThan(0);
  expect(Number(await w.getAttribute('data-module-sections'))).toBeGreaterThan(5);
  const table = page.locator('.lab-live table', { hasText: 'hello (placed at step' });
  const text = table.getByRole('row', { name: /^\.text / });
  await expect(text).toContainText(TEXT_AT);
  await expect(text).toContainText('supervisor (U/S=0), read-only, executable');
  await expect(table.getByRole('row', { name: /^\.data / })).toContainText('writable, NX');
});

test('a deep link opens user-reads-kernel-pf at its #PF, marked in kernel text with the U/S reason', async ({ page }) => {
  await ready(page, `#lab:harness?s=user-reads-kernel-pf&t=${PF}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-scenario', 'user-reads-kernel-pf');
  await expect(w).toHaveAttribute('data-step', String(PF));
  await expect(w).toHaveAttribute('data-fault-region', 'kernel-text');
  await expect(w).toHaveAttribute('data-fault-code', '5');
  const fault = page.locator('.lab-live').getByRole('group', { name: 'The last page fault' });
  await expect(fault).toContainText(PF_ADDRESS);
  await expect(fault).toContainText('U/S=1: from user mode (ring 3)');
  await expect(fault).toContainText('user-mode code touched a supervisor page');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(w).not.toHaveAttribute('data-fault-code', '5');
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  test('"copy link to this step" reopens the same state', async ({ page }) => {
    await ready(page, `#lab:harness?s=user-reads-kernel-pf&t=${PF}`);
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=user-reads-kernel-pf&t=${PF}`);
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-fault-region', 'kernel-text');
  });
});

test('reduced motion shows the same state', async ({ page }) => {
  const attrs = async () => widget(page).evaluate((el) => Object.fromEntries(['step', 'mapped-pages', 'user-pages', 'module-pages', 'module-sections', 'fault-region', 'fault-code'].map((k) => [k, el.getAttribute(`data-${k}`)])));
  await ready(page, `#lab:harness?s=hello-read&t=${PROTECTED}`);
  const normal = await attrs();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await ready(page, `#lab:harness?s=hello-read&t=${PROTECTED}`);
  expect(await attrs()).toEqual(normal);
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
