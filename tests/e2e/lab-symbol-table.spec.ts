// SymbolTable on its harness page (/lab/symbol-table/): the build's picture holds the module's
// symbols only (never the export table); the browser's run brings the whole table through the lab's
// data sources; the search box filters it a page at a time; stepping settles each undefined symbol
// at the step its golden trace records (tests/golden/scenarios/<id>.txt, one line per event); the
// failing scenarios show their failure; deep links round-trip; reduced motion; nothing shifts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL, ROOT } from './support/server.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const PATH = '/lab/symbol-table/';
const widget = harnessWidget;
const TABLE = JSON.parse(readFileSync(join(ROOT, 'src/sim/data/vmlinux-exports.json'), 'utf8')) as { exports: [string, string, number, string][] };

const ready = (page: Page, hash = '') => openHarness(page, PATH, hash);

/** From a golden trace: each undefined symbol's step, name and outcome. */
function golden(id: string) {
  const lines = readFileSync(join(ROOT, 'tests/golden/scenarios', `${id}.txt`), 'utf8').split('\n');
  return lines.flatMap((l, i) => {
    const ok = /^\S+: (\S+) resolves to (0x[0-9a-f]+) in (\S+) \(CRC (0x[0-9a-f]+)\)\.$/.exec(l);
    if (ok) return [{ step: i + 1, name: ok[1]!, ok: true, address: ok[2]! }];
    const no = /^\S+: (\S+) does not resolve \(err (-\d+)\)/.exec(l);
    return no ? [{ step: i + 1, name: no[1]!, ok: false, address: '' }] : [];
  });
}

test('before hydration the page holds the module’s symbols and their matches, never the export table', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  const html = await page.content();
  for (const s of golden('hello-load')) await expect(page.locator('.lab-live .module')).toContainText(s.address);
  // A GPL-only export no sample uses is nowhere in the page.
  const unused = TABLE.exports.find((e) => e[2] & 1 && e[0].length > 12 && !html.includes(e[0]))!;
  expect(html.includes(unused[0])).toBe(false);
  expect(html.length).toBeLessThan(200_000);
  await context.close();
});

test('the whole table arrives with the run; the search box filters it a page at a time from the keyboard', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-exports', String(TABLE.exports.length));
  await expect(page.locator('.lab-live tbody tr')).toHaveCount(20);
  const search = page.getByRole('searchbox', { name: "Search the kernel's exports" });
  await search.focus();
  await page.keyboard.type('chrdev');
  const expected = TABLE.exports.filter((e) => e[0].toLowerCase().includes('chrdev'));
  await expect(w).toHaveAttribute('data-matches', String(expected.length));
  await expect(page.locator('.lab-live tbody tr')).toHaveCount(Math.min(20, expected.length));
  const row = page.locator('.lab-live tbody tr', { has: page.locator('code', { hasText: /^__register_chrdev$/ }) });
  const reg = TABLE.exports.find((e) => e[0] === '__register_chrdev')!;
  await expect(row).toContainText(`0x${reg[1]}`);
  await expect(row).toContainText(reg[2] & 1 ? 'GPL-only' : 'any');
  await expect(row).toContainText('(this module asks for it)');
  await search.fill('');
  await page.keyboard.press('End');
  await page.getByRole('button', { name: 'Next page ▶' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Page 2 of ${Math.ceil(TABLE.exports.length / 20)}`)).toBeVisible();
  await expect(page.locator('.lab-live tbody tr').first()).toContainText(TABLE.exports[20]![0]);
  await search.fill('kt');
  await search.fill('ktime_get');
  const gpl = page.locator('.lab-live tbody tr', { has: page.locator('code', { hasText: /^ktime_get$/ }) });
  await expect(gpl).toContainText('GPL-only');
});

test('stepping settles each undefined symbol at its golden step', async ({ page }) => {
  const g = golden('hello-load');
  await ready(page, `#lab:harness?s=hello-load&t=${g[0]!.step - 1}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-resolved', '0');
  const forward = page.getByRole('button', { name: 'Step forward' });
  await forward.focus();
  for (const [i, s] of g.entries()) {
    await page.keyboard.press('Enter');
    await expect(w).toHaveAttribute('data-step', String(s.step));
    await expect(w).toHaveAttribute('data-symbol', s.name);
    await expect(w).toHaveAttribute('data-outcome', 'resolved');
    await expect(w).toHaveAttribute('data-resolved', String(i + 1));
  }
});

for (const [id, outcome] of [['unknown-symbol', 'not-exported'], ['gpl-only-from-proprietary', 'gpl-only'], ['crc-mismatch', 'crc-mismatch']] as const) {
  test(`a deep link to ${id} at its failing step shows the failure`, async ({ page }) => {
    const failed = golden(id).find((s) => !s.ok)!;
    await ready(page, `#lab:harness?s=${id}&t=${failed.step}`);
    const w = widget(page);
    await expect(w).toHaveAttribute('data-step', String(failed.step));
    await expect(w).toHaveAttribute('data-symbol', failed.name);
    await expect(w).toHaveAttribute('data-outcome', outcome);
    await expect(w).toHaveAttribute('data-failed', '1');
    await expect(page.locator('.lab-live .module li[aria-current="step"]')).toContainText('✗');
  });
}

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  test('"copy link to this step" reopens the same symbol', async ({ page }) => {
    const g = golden('crc-mismatch');
    await ready(page, `#lab:harness?s=crc-mismatch&t=${g[0]!.step}`);
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=crc-mismatch&t=${g[0]!.step}`);
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-symbol', g[0]!.name);
  });
});

test('reduced motion shows the same state', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await ready(page);
  const g = golden('hello-load');
  await expect(widget(page)).toHaveAttribute('data-symbol', g.at(-1)!.name);
  await expect(widget(page)).toHaveAttribute('data-resolved', String(g.length));
});

test('hydration, the run and the table’s arrival shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await expect(widget(page)).toHaveAttribute('data-exports', String(TABLE.exports.length));
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
