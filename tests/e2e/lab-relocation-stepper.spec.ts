// RelocationStepper on its harness page (/lab/relocation-stepper/): the build's picture stands
// until the browser's run is ready; the widget's own buttons go from one relocation or patch to the
// next from the keyboard, each showing the type, symbol, value and bytes that the golden trace
// (tests/golden/scenarios/hello-load.txt, one line per event, so a line's number is its step)
// records; the symbol's link goes to the step that resolved it; deep links round-trip; reduced
// motion shows the same states; nothing shifts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL, ROOT } from './support/server.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/relocation-stepper/';
const widget = harnessWidget;
const card = (page: Page) => page.locator('.lab-live .card');

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

/** From the golden trace: each relocation and code patch with its step, and each resolution's step. */
function golden(id = 'hello-load') {
  const lines = readFileSync(join(ROOT, 'tests/golden/scenarios', `${id}.txt`), 'utf8').split('\n');
  const items = lines.flatMap((l, i) => {
    const r = /^\S+: (R_X86_64_\S+) at \S+ against (\S+): [^=]+= (0x[0-9a-f]+); bytes [0-9a-f ]+ → ([0-9a-f ]+)\.$/.exec(l);
    if (r) return [{ step: i + 1, kind: 'reloc', type: r[1]!, symbol: r[2]!, value: r[3]!, after: r[4]! }];
    const p = /^\S+: (\S+) rewrites 0x[0-9a-f]+: [0-9a-f ]+ → ([0-9a-f ]+)\.$/.exec(l);
    return p ? [{ step: i + 1, kind: 'patch', type: '', symbol: '', value: '', after: p[2]!, why: p[1]! }] : [];
  });
  const resolved = new Map(lines.flatMap((l, i) => {
    const m = /^\S+: (\S+) resolves to (0x[0-9a-f]+) in (\S+)/.exec(l);
    return m ? [[m[1]!, { step: i + 1, address: m[2]!, owner: m[3]! }] as const] : [];
  }));
  return { items, resolved, steps: lines.length - 1 };
}

test('before hydration the page already shows the build’s own run at its end: the last code patch', async ({ browser }) => {
  const g = golden();
  const last = g.items.at(-1)!;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  await expect(card(page)).toContainText(last.after);
  await expect(page.locator('.lab-live .where')).toContainText(`Code patch ${g.items.filter((x) => x.kind === 'patch').length} of`);
  await context.close();
});

test('runs hello-load in the browser and opens at its end, on the last patch', async ({ page }) => {
  const g = golden();
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-steps', String(g.steps));
  await expect(w).toHaveAttribute('data-kind', 'patch');
  await expect(w).toHaveAttribute('data-relocs', String(g.items.filter((x) => x.kind === 'reloc').length));
  await expect(w).toHaveAttribute('data-patches', String(g.items.filter((x) => x.kind === 'patch').length));
  await expect(w).toHaveAttribute('data-bytes-after', g.items.at(-1)!.after);
});

test('the next and previous buttons walk every relocation and patch of the golden trace from the keyboard', async ({ page }) => {
  const g = golden();
  await ready(page);
  const w = widget(page);
  await page.getByRole('button', { name: 'To the start' }).focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-kind', '');
  await expect(card(page)).toContainText('has not reached apply_relocations yet');
  const next = page.getByRole('button', { name: 'Next relocation or patch ▶' });
  await next.focus();
  let relocs = 0;
  for (const [i, item] of g.items.entries()) {
    await page.keyboard.press(i % 2 ? 'Space' : 'Enter');
    await expect(w).toHaveAttribute('data-step', String(item.step));
    await expect(w).toHaveAttribute('data-kind', item.kind);
    await expect(w).toHaveAttribute('data-bytes-after', item.after);
    if (item.kind === 'reloc') {
      relocs++;
      await expect(w).toHaveAttribute('data-reloc', String(relocs));
      await expect(w).toHaveAttribute('data-type', item.type);
      await expect(w).toHaveAttribute('data-symbol', item.symbol);
      await expect(w).toHaveAttribute('data-value', item.value);
    }
  }
  await expect(next).toBeDisabled();
  const previous = page.getByRole('button', { name: '◀ Previous relocation or patch' });
  await previous.focus();
  await page.keyboard.press('Enter');
  await expect(w).toHaveAttribute('data-step', String(g.items.at(-2)!.step));
  // The shared step button moves one event: between two relocations that are neighbours, the next one.
  await page.getByRole('button', { name: 'To the start' }).click();
  await page.getByRole('slider', { name: 'Step' }).focus();
  await page.getByRole('slider', { name: 'Step' }).fill(String(g.items[0]!.step - 1));
  await expect(w).toHaveAttribute('data-kind', '');
  await page.getByRole('button', { name: 'Step forward' }).click();
  await expect(w).toHaveAttribute('data-reloc', '1');
});

test('the symbol of an import links to the step that resolved it, with the same address', async ({ page }) => {
  const g = golden();
  const item = g.items.find((x) => x.kind === 'reloc' && g.resolved.has(x.symbol))!;
  const resolved = g.resolved.get(item.symbol)!;
  await ready(page, `#lab:harness?s=hello-load&t=${item.step}`);
  await expect(widget(page)).toHaveAttribute('data-symbol', item.symbol);
  await expect(card(page)).toContainText(`${resolved.address} = ${item.symbol}`);
  await page.locator('.lab-live').getByRole('button', { name: new RegExp(`exported by ${resolved.owner}, resolved by simplify_symbols at step ${resolved.step} `) }).click();
  await expect(widget(page)).toHaveAttribute('data-step', String(resolved.step));
  await expect(page.locator('.lab-live .lab-narration')).toContainText(`${item.symbol} resolves to ${resolved.address}`);
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('a deep link opens a relocation, and "copy link" after the next one reopens exactly that', async ({ page }) => {
    const g = golden('hello-load');
    const [a, b] = [g.items[9]!, g.items[10]!];
    await ready(page, `#lab:harness?s=hello-load&t=${a.step}`);
    await expect(widget(page)).toHaveAttribute('data-symbol', a.symbol);
    await page.getByRole('button', { name: 'Next relocation or patch ▶' }).click();
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=hello-load&t=${b.step}`); // a parameter at its default stays out of the link
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-step', String(b.step));
    await expect(widget(page)).toHaveAttribute('data-symbol', b.symbol);
    await expect(widget(page)).toHaveAttribute('data-value', b.value);
  });
});

test('another sample through the link’s parameter: its own relocations', async ({ page }) => {
  await ready(page, '#lab:harness?s=hello-load&p=module=miscdev.ko');
  await expect(widget(page)).toHaveAttribute('data-kind', 'patch');
  const relocs = Number(await widget(page).getAttribute('data-relocs'));
  expect(relocs).toBeGreaterThan(0);
});

test('the written bytes flash and fade, and under reduced motion show the same state without the fade', async ({ page }) => {
  const g = golden();
  const item = g.items.find((x) => x.kind === 'reloc')!;
  const seconds = () => page.locator('.lab-live .changed').evaluate((el) => parseFloat(getComputedStyle(el).animationDuration));
  await ready(page, `#lab:harness?s=hello-load&t=${item.step}`);
  expect(await seconds()).toBe(1.2);
  const state = () => widget(page).evaluate((el) => ['step', 'kind', 'type', 'symbol', 'value', 'bytesAfter'].map((k) => el.dataset[k]).join('|'));
  const before = await state();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await seconds()).toBeLessThan(0.001);
  expect(await state()).toBe(before);
  await page.getByRole('button', { name: 'Next relocation or patch ▶' }).click();
  await expect(widget(page)).toHaveAttribute('data-step', String(g.items[1]!.step));
  expect(await seconds()).toBeLessThan(0.001);
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
