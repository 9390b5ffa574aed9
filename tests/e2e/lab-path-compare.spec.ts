// PathCompare on its harness page (/lab/path-compare/): the widget hydrates, runs
// userspace-driver-read in the browser, and its counts at a step are the emulator's events of
// that kind up to it. The steps checked are found in the run itself, through the widget's text
// view (the emulator's own sentences for every event), never written into the test.
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/path-compare/';
const widget = harnessWidget;

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

/** Every event of the run as the emulator describes it (step n is line n - 1). */
async function runText(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: 'Show the run as text' }).click();
  const lines = await page.getByRole('list', { name: 'Every step of the run' }).locator('li').allTextContents();
  await page.getByRole('button', { name: 'Hide the run as text' }).click();
  return lines;
}

const isRing = (l: string) => l.startsWith('The processor moves from ring');

/** The read()s of the run: each one's stretch [start, end) of events, by countRead()'s rule. */
function reads(lines: string[]) {
  const out: { start: number; end: number }[] = [];
  lines.forEach((l, i) => {
    if (l !== 'System call 0 (read) enters the kernel.') return;
    const before = (j: number) => {
      while (j >= 0 && !isRing(lines[j]!)) j--;
      return j;
    };
    const next = lines.findIndex((m, j) => j > i && /^System call -?\d+ \((?!ipc_)/.test(m));
    out.push({ start: before(i), end: before(next) });
  });
  return out;
}
const count = (lines: string[], r: { start: number; end: number }, upTo: number, test: (l: string) => boolean) =>
  lines.slice(r.start, Math.min(r.end, upTo)).filter(test).length;
const isSwitch = (l: string) => l.startsWith('The kernel switches from');
const isCopy = (l: string) => / bytes are copied from /.test(l);

async function expectAt(page: Page, lines: string[], step: number) {
  const [mono, user] = reads(lines);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-step', String(step));
  await expect(w).toHaveAttribute('data-crossings-monolithic', String(count(lines, mono!, step, isRing)));
  await expect(w).toHaveAttribute('data-crossings-userspace', String(count(lines, user!, step, isRing)));
  await expect(w).toHaveAttribute('data-switches-userspace', String(count(lines, user!, step, isSwitch)));
  await expect(w).toHaveAttribute('data-copies-userspace', String(count(lines, user!, step, isCopy)));
}

test('before hydration the page already shows the whole comparison of the browser’s run at its end', async ({ browser, page }) => {
  await ready(page);
  const ATTRS = ['data-crossings-monolithic', 'data-crossings-userspace', 'data-switches-userspace', 'data-copies-userspace'];
  const live = await Promise.all(ATTRS.map((a) => widget(page).getAttribute(a)));
  const liveRow = await page.getByRole('row', { name: /Context switches/ }).locator('td').allTextContents();
  const context = await browser.newContext({ javaScriptEnabled: false });
  const still = await context.newPage();
  await still.goto(PATH);
  expect(await Promise.all(ATTRS.map((a) => widget(still).getAttribute(a)))).toEqual(live);
  expect(Number(live[2])).toBeGreaterThan(0);
  await expect(still.getByRole('row', { name: /Context switches/ }).locator('td')).toHaveText(liveRow);
  await expect(still.locator('.lab-live').getByText('Achieved IPC Performance')).toBeVisible();
  await expect(still.locator('.lab-live').getByText('modelled', { exact: true })).toBeVisible();
  await context.close();
});

test('runs userspace-driver-read in the browser, opens at its end, and its counts are the run’s events', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  const steps = Number(await widget(page).getAttribute('data-steps'));
  expect(lines).toHaveLength(steps);
  const found = reads(lines);
  expect(found).toHaveLength(2);
  await expectAt(page, lines, steps);
  // The user-space path crosses rings more often than the path through the kernel, and its table says so.
  const user = count(lines, found[1]!, steps, isRing), mono = count(lines, found[0]!, steps, isRing);
  expect(user).toBeGreaterThan(mono);
  await expect(page.getByRole('row', { name: /Ring crossings/ }).locator('td')).toHaveText([String(mono), String(user)]);
});

test('the counts rise as the cursor passes each event of their kind', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  const firstSwitch = lines.findIndex(isSwitch) + 1; // the step that passes it
  const firstCopyToDriver = lines.findIndex((l) => l.endsWith('to hellod by the IPC send.')) + 1;
  const [mono, user] = reads(lines);
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expectAt(page, lines, 0);
  await expect(widget(page)).toHaveAttribute('data-crossings-monolithic', '0');
  for (const step of [mono!.start, mono!.start + 1, mono!.end, user!.start + 1, firstSwitch - 1, firstSwitch, firstCopyToDriver, user!.end]) {
    await page.goto(`${PATH}#lab:harness?s=userspace-driver-read&t=${step}`);
    await expect(widget(page)).toHaveAttribute('data-status', 'ready');
    await expectAt(page, lines, step);
  }
  await expect(widget(page)).toHaveAttribute('data-switches-userspace', '2');
});

test('the controls and the event list work from the keyboard', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  const w = widget(page);
  await page.getByRole('button', { name: 'To the start' }).focus();
  await page.keyboard.press('Enter');
  await expectAt(page, lines, 0);
  const forward = page.getByRole('button', { name: 'Step forward' });
  await forward.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await expectAt(page, lines, 2);
  await page.getByRole('slider', { name: 'Step' }).focus();
  await page.keyboard.press('End');
  // An event of the list, chosen by keyboard, moves the run to the step that emitted it.
  const back = lines.findIndex((l) => l.startsWith('The kernel switches from hellod to cat-hello')) + 1;
  const mark = page.getByRole('button', { name: /context switch hellod → cat-hello/ });
  await mark.focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', String(back));
  await expectAt(page, lines, back);
  await expect(page.locator('.lab-live .lab-narration')).toHaveText(`Step ${back}: ${lines[back - 1]}`);
});

test('a deep link opens the exact step', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  const step = lines.findIndex((l) => l.startsWith('The kernel passes a request')) + 1;
  await ready(page, `#lab:harness?s=userspace-driver-read&t=${step}`);
  await expectAt(page, lines, step);
  await expect(widget(page)).toHaveAttribute('data-switches-userspace', '1');
});

test('a run with no driver process says so in its own column', async ({ page }) => {
  await ready(page, '#lab:harness?s=hello-read');
  await expect(widget(page)).toHaveAttribute('data-scenario', 'hello-read');
  await expect(page.locator('.lab-live').getByText('This run makes no read() that a driver process answers.')).toBeVisible();
  await expect(widget(page)).toHaveAttribute('data-switches-userspace', '0');
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
