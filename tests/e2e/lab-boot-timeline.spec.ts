// BootTimeline on its harness page (/lab/boot-timeline/): the widget hydrates, boots builtin-boot
// in the browser, and what it shows at a step is what the emulator did up to it. The steps and the
// expected values are found in the run itself, through the widget's text view (the emulator's own
// sentence for every event), never written into the test.
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/boot-timeline/';
const widget = harnessWidget;

async function ready(page: Page, hash = '') {
  await page.goto('about:blank'); // a fresh page each time: the link opens the run, not a hash change
  await openHarness(page, PATH, hash);
}

/** Every event of the run as the emulator describes it (step n is line n - 1). */
async function runText(page: Page): Promise<string[]> {
  await page.getByRole('button', { name: 'Show the run as text' }).click();
  const lines = await page.getByRole('list', { name: 'Every step of the run' }).locator('li').allTextContents();
  await page.getByRole('button', { name: 'Hide the run as text' }).click();
  return lines;
}

/** The run's initcalls: the step that read each entry, its level's number, and the step it returned. */
function initcalls(lines: string[]) {
  const levels = new Map<string, string>();
  for (const l of lines) {
    const m = /^Boot: do_initcall_level\((\d)\) \(init\/main\.c\): level "(\w+)"/.exec(l);
    if (m) levels.set(m[2]!, m[1]!);
  }
  return lines.flatMap((l, i) => {
    const m = /^do_initcalls, level "(\w+)": .*\((\w+)\)\.?$/.exec(l);
    if (!m) return [];
    const ret = lines.findIndex((r, j) => j > i && r.startsWith(`The initcall ${m[2]} returns `));
    return [{ name: m[2]!, level: levels.get(m[1]!) ?? m[1]!, step: i + 1, returnStep: ret + 1, ret: /returns (-?\d+)/.exec(lines[ret]!)![1]! }];
  });
}
const returnedBy = (lines: string[], step: number) => lines.slice(0, step).filter((l) => /^The initcall \w+ returns /.test(l)).length;

async function expectAt(page: Page, lines: string[], step: number) {
  const calls = initcalls(lines).filter((c) => c.step <= step);
  await expect(widget(page)).toHaveAttribute('data-step', String(step));
  await expect(widget(page)).toHaveAttribute('data-level', calls.length ? calls.at(-1)!.level : 'none');
  await expect(widget(page)).toHaveAttribute('data-initcalls', String(returnedBy(lines, step)));
}

test('before hydration the page already shows the boot of the build’s own run, at its end', async ({ browser, page }) => {
  await ready(page);
  const live = [await widget(page).getAttribute('data-level'), await widget(page).getAttribute('data-initcalls')];
  const context = await browser.newContext({ javaScriptEnabled: false });
  const still = await context.newPage();
  await still.goto(PATH);
  expect([await widget(still).getAttribute('data-level'), await widget(still).getAttribute('data-initcalls')]).toEqual(live);
  await expect(still.getByRole('button', { name: /initcall \d+, hello_init/ })).toContainText('✓ 0');
  await expect(still.getByText('✗ refused').first()).toBeVisible();
  await context.close();
});

test('boots builtin-boot in the browser, opens at its end, with every initcall in its level lane', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  expect(lines).toHaveLength(Number(await widget(page).getAttribute('data-steps')));
  await expectAt(page, lines, lines.length);
  const calls = initcalls(lines);
  expect(calls.length).toBeGreaterThan(1);
  for (const c of calls) {
    const lane = page.locator('.lab-live .lane').filter({ has: page.locator('.num', { hasText: new RegExp(`^${c.level}$`) }) });
    await expect(lane.getByRole('button', { name: new RegExp(`initcall \\d+, ${c.name}$`) })).toContainText(c.ret === '0' ? '✓ 0' : `✗ ${c.ret}`);
    await expect(lane.locator('.dmesg code', { hasText: `calling  ${c.name}+` })).toBeVisible();
    await expect(lane.locator('.dmesg code', { hasText: `initcall ${c.name}+` })).toContainText(`returned ${c.ret} after`);
  }
});

test('each initcall appears when its entry is read and shows its value once it returns', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  const calls = initcalls(lines);
  for (const c of calls) {
    for (const step of [c.step - 1, c.step, c.returnStep - 1, c.returnStep]) {
      await page.goto(`${PATH}#lab:harness?s=builtin-boot&t=${step}`);
      await expect(widget(page)).toHaveAttribute('data-status', 'ready');
      await expectAt(page, lines, step);
    }
    const button = page.getByRole('button', { name: new RegExp(`initcall \\d+, ${c.name}$`) });
    await expect(button).toContainText(c.ret === '0' ? '✓ 0' : `✗ ${c.ret}`);
  }
  // At the step that reads the entry, the initcall runs and has returned nothing yet.
  const last = calls.at(-1)!;
  await page.goto(`${PATH}#lab:harness?s=builtin-boot&t=${last.step}`);
  await expect(page.getByRole('button', { name: new RegExp(`initcall \\d+, ${last.name}$`) })).toContainText('running');
});

test('after the boot, rmmod is refused for the built-in at the step the run refused it', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
  const refusal = lines.findIndex((l) => l.includes('rmmod: ERROR: Module hello is builtin.')) + 1;
  expect(refusal).toBeGreaterThan(Math.max(...initcalls(lines).map((c) => c.returnStep)));
  await ready(page, `#lab:harness?s=builtin-boot&t=${refusal - 1}`);
  // What the cursor has not passed is hidden from sight and from the accessibility tree.
  await expect(page.getByRole('button', { name: /^Go to step \d+: rmmod/ })).toHaveCount(0);
  await expect(page.locator('.lab-live').getByText('✗ refused').first()).toBeHidden();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(page.getByRole('button', { name: new RegExp(`^Go to step ${refusal}: rmmod`) })).toContainText('✗ refused');
});

test('the controls and the initcalls work from the keyboard', async ({ page }) => {
  await ready(page);
  const lines = await runText(page);
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
  const failed = initcalls(lines).find((c) => c.ret !== '0')!;
  await page.getByRole('button', { name: new RegExp(`initcall \\d+, ${failed.name}$`) }).focus();
  await page.keyboard.press('Enter');
  await expectAt(page, lines, failed.step);
  await expect(page.locator('.lab-live .lab-narration')).toHaveText(`Step ${failed.step}: ${lines[failed.step - 1]}`);
});

test('a deep link opens the exact state, parameters included', async ({ page }) => {
  await ready(page, '#lab:harness?s=builtin-boot&p=initcall_debug=off');
  const lines = await runText(page);
  const hello = initcalls(lines).find((c) => c.name === 'hello_init')!;
  await ready(page, `#lab:harness?s=builtin-boot&p=initcall_debug=off&t=${hello.returnStep}`);
  await expectAt(page, lines, hello.returnStep);
  await expect(page.getByRole('button', { name: /initcall \d+, hello_init$/ })).toContainText('✓ 0');
  // initcall_debug off: hello_init's own line, and no "calling" line at all.
  await expect(page.locator('.lab-live .dmesg code', { hasText: 'hello: loaded, major' })).toBeVisible();
  await expect(page.locator('.lab-live .dmesg code', { hasText: 'calling  ' })).toHaveCount(0);
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
