// CodeTrace on its harness page (/lab/code-trace/): the C source and the module's machine code are
// there before hydration; after it, the marked instruction and C line follow the run; choosing an
// instruction or a C line (by keyboard) goes to a step that ran it; deep links round-trip; reduced
// motion shows the same state; hydration shifts nothing. Steps come from the golden trace of
// hello-read (one line per event, step = line number) and the sample's line table, never typed in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL } from './support/server.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const ROOT = process.cwd();
const PATH = '/lab/code-trace/';
const widget = harnessWidget;
const trace = readFileSync(join(ROOT, 'tests/golden/scenarios/hello-read.txt'), 'utf8').trimEnd().split('\n');
const lines = JSON.parse(readFileSync(join(ROOT, 'public/samples/hello.lines.json'), 'utf8')) as { sections: Record<string, [number, string, number][]> };

/** The step (line number) of the first golden line at or after `from` matching `re`. */
const stepOf = (re: RegExp, from = 1) => trace.findIndex((l, i) => i + 1 >= from && re.test(l)) + 1;
const initAddress = /hello's init function at 0x([0-9a-f]{16})/.exec(trace.join('\n'))![1]!;
const initStep = stepOf(new RegExp(`^Ring 0 executes .* at 0x${initAddress}\\.$`));
const executedAt = (step: number) => /^Ring 0 executes .* at 0x([0-9a-f]{16})\.$/.exec(trace[step - 1] ?? '')?.[1];

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

test('before hydration the page shows hello.c and the module’s machine code', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(page.locator('.lab-live .src')).toContainText('static ssize_t hello_read(struct file *file, char __user *buf,');
  await expect(page.locator('.lab-live .asm')).toContainText('<hello_read> in .text');
  await expect(page.locator('.lab-live .asm')).toContainText('<init_module, hello_init> in .init.text');
  await context.close();
});

test('at init’s first step the marked instruction is init’s, and its C line the line table’s', async ({ page }) => {
  expect(initStep).toBeGreaterThan(0);
  await ready(page, `#lab:harness?s=hello-read&t=${initStep}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-step', String(initStep));
  await expect(w).toHaveAttribute('data-where', 'module');
  await expect(w).toHaveAttribute('data-insn', initAddress);
  const row = lines.sections['.init.text']![0]!;
  await expect(w).toHaveAttribute('data-cline', `${row[1]}:${row[2]}`);
  await expect(w).toHaveAttribute('data-module', 'hello');
  await expect(w.locator('.trace [role="option"][aria-selected="true"]')).toHaveCount(2);
});

test('instructions are chosen by keyboard: arrows move, Enter goes to the next step that ran one', async ({ page }) => {
  await ready(page, `#lab:harness?s=hello-read&t=${initStep}`);
  const w = widget(page);
  const current = page.getByRole('listbox', { name: /Instructions/ }).getByRole('option', { selected: true });
  await current.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect.poll(async () => Number(await w.getAttribute('data-step'))).toBeGreaterThan(initStep);
  const step = Number(await w.getAttribute('data-step'));
  // The step is one the CPU ran the marked instruction at, and the first after init's first.
  expect(executedAt(step)).toBe(await w.getAttribute('data-insn'));
  const insn = (await w.getAttribute('data-insn'))!;
  expect(stepOf(new RegExp(`^Ring 0 executes .* at 0x${insn}\\.$`), initStep + 1)).toBe(step);
  await expect(w).toHaveAttribute('data-where', 'module');
});

test('choosing a C line goes to a step that ran it', async ({ page }) => {
  await ready(page);
  const loaded = /The kernel logs: “hello: loaded, major \d+”/;
  const source = readFileSync(join(ROOT, 'public/samples/src/drivers/hello/hello.c'), 'utf8').split('\n');
  const n = source.findIndex((l) => l.includes('pr_info("hello: loaded')) + 1;
  const option = page.getByRole('listbox', { name: /hello\.c/ }).getByRole('option', { name: /pr_info\("hello: loaded/ });
  await option.focus();
  await page.keyboard.press('Space');
  const w = widget(page);
  await expect(w).toHaveAttribute('data-cline', `drivers/hello/hello.c:${n}`);
  const step = Number(await w.getAttribute('data-step'));
  expect(executedAt(step)).toBe(await w.getAttribute('data-insn'));
  expect(step).toBeLessThan(stepOf(loaded));
});

test('the slider steps the run and the mark follows: before init nothing of the module has run', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  const slider = page.getByRole('slider', { name: 'Step' });
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(w).toHaveAttribute('data-where', 'not-yet');
  await expect(w).toHaveAttribute('data-insn', '');
  await page.keyboard.press('End');
  await expect(w).toHaveAttribute('data-where', 'elsewhere');
});

test('another scenario’s module is listed in the browser: hellorw for ioctl-roundtrip', async ({ page }) => {
  const golden = readFileSync(join(ROOT, 'tests/golden/scenarios/ioctl-roundtrip.txt'), 'utf8').trimEnd().split('\n');
  const address = /hellorw's init function at 0x([0-9a-f]{16})/.exec(golden.join('\n'))![1]!;
  const step = golden.findIndex((l) => l === golden.find((x) => x.endsWith(`at 0x${address}.`) && x.startsWith('Ring 0 executes'))) + 1;
  await ready(page, `#lab:harness?s=ioctl-roundtrip&t=${step}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-module', 'hellorw');
  await expect(w).toHaveAttribute('data-insn', address);
  await expect(page.locator('.lab-live .src').first()).toContainText('hellorw');
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a deep link round-trips: copy link gives back the same state', async ({ page }) => {
    await ready(page, `#lab:harness?s=hello-read&t=${initStep}`);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=hello-read&t=${initStep + 1}`);
    const before = await widget(page).getAttribute('data-insn');
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-step', String(initStep + 1));
    await expect(widget(page)).toHaveAttribute('data-insn', before!);
  });
});

test('reduced motion shows the same state', async ({ page }) => {
  await ready(page, `#lab:harness?s=hello-read&t=${initStep}`);
  const attrs = async () => Promise.all(['data-insn', 'data-cline', 'data-where', 'data-row'].map((a) => widget(page).getAttribute(a)));
  const normal = await attrs();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await ready(page, `#lab:harness?s=hello-read&t=${initStep}`);
  expect(await attrs()).toEqual(normal);
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
