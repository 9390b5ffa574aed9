// RingSwitcher on its harness page (/lab/ring-switcher/): it hydrates without shifting anything,
// follows the run step by step from the keyboard, puts the CPU in the ring the run says, lists the
// crossings (the #GP of user-cli-gp among them) as buttons that go to their steps, shows the
// registers on demand, and opens deep links on user-cli-gp, hello-read and irq-roundtrip.
// The steps and values expected are read from the run itself: its trace (one describe() sentence
// per event, step = line number), the golden file the unit tests keep equal to the run, and which
// the page's own text view shows too.
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { harnessWidget, openHarness, goldenTrace } from './support/harness.ts';

const PATH = '/lab/ring-switcher/';
const widget = harnessWidget;

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

/** The run's trace: line k (from 1) is the sentence of the event step k passes. */
const trace = goldenTrace;
/** The step that passes the first event whose sentence matches, after step `after`. */
function stepOf(lines: string[], pattern: RegExp, after = 0): number {
  const i = lines.findIndex((l, k) => k >= after && pattern.test(l));
  if (i < 0) throw new Error(`the run has no event like ${pattern}`);
  return i + 1;
}
const RING_CHANGE = /^The processor moves from ring (\d) to ring (\d)/;
const crossingsUpTo = (lines: string[], step: number) => lines.slice(0, step).filter((l) => RING_CHANGE.test(l)).length;

const gp = trace('user-cli-gp');
const GP_STEP = stepOf(gp, /^The processor moves from ring 3 to ring 0 \(exception, vector 0xd\)\.$/);
const PF_STEP = stepOf(gp, /^#PF page fault at/);
const IRET_STEP = stepOf(gp, /^The processor moves from ring 0 to ring 3 \(iret\)\.$/);
const lastRing = (lines: string[]) => Number(lines.findLast((l) => RING_CHANGE.test(l))!.match(RING_CHANGE)![2]);

test('before hydration the page already shows the end of the build’s run, #GP and all', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(widget(page)).toHaveAttribute('data-crossings', String(crossingsUpTo(gp, gp.length)));
  await expect(widget(page)).toHaveAttribute('data-cpl', String(lastRing(gp)));
  await expect(page.getByRole('region', { name: 'Ring crossings so far' })).toContainText('#GP');
  await context.close();
});

test('runs user-cli-gp in the browser and opens at its end, in the ring its last crossing went to', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-steps', String(gp.length));
  await expect(w).toHaveAttribute('data-step', String(gp.length));
  await expect(w).toHaveAttribute('data-cpl', String(lastRing(gp)));
  await expect(w).toHaveAttribute('data-crossings', String(crossingsUpTo(gp, gp.length)));
  await expect(w).toHaveAttribute('data-last-change', '#GP');
});

test('from the keyboard: the CPU starts in ring 3, crosses to ring 0 on the #PF and back by iretq', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await page.getByRole('button', { name: 'To the start' }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(w).toHaveAttribute('data-cpl', '3');
  await expect(w).toHaveAttribute('data-crossings', '0');
  await expect(page.getByRole('region', { name: 'Ring crossings so far' })).toContainText('No crossing yet.');
  // The slider: Right arrow moves one step; walk to the #PF crossing's step.
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  const pfCrossing = stepOf(gp, RING_CHANGE);
  for (let s = 1; s < pfCrossing; s++) await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-step', String(pfCrossing - 1));
  await expect(w).toHaveAttribute('data-cpl', '3');
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-step', String(pfCrossing));
  await expect(w).toHaveAttribute('data-cpl', '0');
  await expect(w).toHaveAttribute('data-last-change', '#PF');
  await expect(page.locator('.lab-live .lab-narration')).toContainText('(exception, vector 0xe)');
  // A crossing in the list, chosen by keyboard, takes the run to its step.
  await page.keyboard.press('End');
  const iret = page.getByRole('button', { name: `Go to step ${IRET_STEP}: ring 0 → ring 3 by iretq` });
  await iret.focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', String(IRET_STEP));
  await expect(w).toHaveAttribute('data-cpl', '3');
  await expect(w).toHaveAttribute('data-crossings', '2');
});

test('the #GP of cli at CPL 3 is a crossing in the list, and choosing it goes to its step', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  const button = page.getByRole('button', { name: `Go to step ${GP_STEP}: ring 3 → ring 0 by #GP` });
  await expect(button).toBeVisible();
  await button.click();
  await expect(w).toHaveAttribute('data-step', String(GP_STEP));
  await expect(w).toHaveAttribute('data-cpl', '0');
  await expect(w).toHaveAttribute('data-last-change', '#GP');
  await expect(page.locator('.lab-live .lab-narration')).toHaveText(`Step ${GP_STEP}: ${gp[GP_STEP - 1]}`);
  // The step before is still in ring 3: the #GP has been raised, not yet delivered.
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(w).toHaveAttribute('data-cpl', '3');
  await expect(w).toHaveAttribute('data-crossings', String(crossingsUpTo(gp, GP_STEP - 1)));
});

test('the register panel opens on demand and shows what the events have told by the cursor', async ({ page }) => {
  await ready(page, `#lab:harness?s=user-cli-gp&t=0`);
  const toggle = page.getByRole('button', { name: 'Show the registers' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.focus();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Hide the registers' })).toHaveAttribute('aria-expanded', 'true');
  const reg = (name: string) => page.locator(`[data-register="${name}"]`);
  for (const name of ['cs', 'rip', 'rsp', 'rflags', 'cr2', 'cr3']) await expect(reg(name)).toContainText('not yet known');

  // At the page fault: CR2 and RIP are the faulting fetch's address, as the run's trace says.
  const fetched = gp[PF_STEP - 1]!.match(/^#PF page fault at (0x[0-9a-f]{16}) with error code 0x[0-9a-f]+: fetch of (0x[0-9a-f]{16})/)!;
  await page.getByRole('slider', { name: 'Step' }).focus();
  for (let s = 0; s < PF_STEP; s++) await page.keyboard.press('ArrowRight');
  await expect(widget(page)).toHaveAttribute('data-step', String(PF_STEP));
  await expect(reg('cr2').locator('code')).toHaveAttribute('data-value', fetched[2]!);
  await expect(reg('rip').locator('code')).toHaveAttribute('data-value', fetched[1]!);
  await expect(reg('cs')).toContainText('its low two bits (RPL) are the CPL, 3');

  // At the #GP (listed once the run has passed it): RFLAGS is the value of its last write in the
  // trace, with IF and AC spelled out.
  await page.keyboard.press('End');
  await page.getByRole('button', { name: `Go to step ${GP_STEP}: ring 3 → ring 0 by #GP` }).click();
  const rflags = gp.slice(0, GP_STEP).findLast((l) => l.startsWith('RFLAGS changes'))!.match(/to (0x[0-9a-f]{16})\.$/)![1]!;
  await expect(reg('rflags').locator('code')).toHaveAttribute('data-value', rflags);
  const bit = (n: number) => String(Number((BigInt(rflags) >> BigInt(n)) & 1n));
  await expect(reg('rflags').locator('[data-flag="IF"]')).toHaveAttribute('data-bit', bit(9));
  await expect(reg('rflags').locator('[data-flag="IF"]')).toContainText(`IF (bit 9) = ${bit(9)}: interrupts ${bit(9) === '1' ? 'enabled' : 'disabled'}`);
  await expect(reg('rflags').locator('[data-flag="AC"]')).toHaveAttribute('data-bit', bit(18));
  const rsp = gp.slice(0, GP_STEP).findLast((l) => l.startsWith('RSP changes'))!.match(/to (0x[0-9a-f]{16})\.$/)![1]!;
  await expect(reg('rsp').locator('code')).toHaveAttribute('data-value', rsp);
});

test('a deep link opens hello-read at its first sysretq, back in ring 3', async ({ page }) => {
  const lines = trace('hello-read');
  const sysret = stepOf(lines, /^The processor moves from ring 0 to ring 3 \(sysret\)\.$/);
  await ready(page, `#lab:harness?s=hello-read&t=${sysret}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-scenario', 'hello-read');
  await expect(w).toHaveAttribute('data-step', String(sysret));
  await expect(w).toHaveAttribute('data-cpl', '3');
  await expect(w).toHaveAttribute('data-last-change', 'sysretq');
  await expect(w).toHaveAttribute('data-crossings', String(crossingsUpTo(lines, sysret)));
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(w).toHaveAttribute('data-cpl', '0');
  await expect(w).toHaveAttribute('data-last-change', 'syscall');
});

test('a deep link opens irq-roundtrip at the device interrupt that takes ring 3 to ring 0', async ({ page }) => {
  const lines = trace('irq-roundtrip');
  const irq = stepOf(lines, /^The processor moves from ring 3 to ring 0 \(interrupt, vector (0x[0-9a-f]+)\)\.$/);
  const vector = lines[irq - 1]!.match(/vector (0x[0-9a-f]+)/)![1];
  await ready(page, `#lab:harness?s=irq-roundtrip&t=${irq}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-scenario', 'irq-roundtrip');
  await expect(w).toHaveAttribute('data-cpl', '0');
  await expect(w).toHaveAttribute('data-last-change', `interrupt ${vector}`);
  await expect(page.getByRole('button', { name: `Go to step ${irq}: ring 3 → ring 0 by interrupt ${vector}` })).toBeVisible();
});

test('the marker moves with a short transition, and none under reduced motion (same states)', async ({ page }) => {
  const seconds = () => page.locator('.lab-live .marker').evaluate((el) => parseFloat(getComputedStyle(el).transitionDuration));
  await ready(page, `#lab:harness?s=user-cli-gp&t=${GP_STEP}`);
  expect(await seconds()).toBe(0.3);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // The site's reduced-motion rule (base.css) leaves a 0.01 ms transition: no travel to see.
  expect(await seconds()).toBeLessThan(0.001);
  await expect(widget(page)).toHaveAttribute('data-cpl', '0');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(widget(page)).toHaveAttribute('data-cpl', '3');
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
