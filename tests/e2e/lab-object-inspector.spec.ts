// ObjectInspector on its harness page (/lab/object-inspector/): the header and the section map are
// there before hydration; the parts are ARIA tabs (one tab stop, arrows inside the tablist); the
// part the loader works on follows the run's events; choosing a relocation boxes the bytes of its
// place and marks its symbol; deep links (module=signed.ko too) round-trip; hydration shifts
// nothing. Steps come from hello-load's golden trace (step = line number); rows, symbol indexes
// and bytes from readelf's golden listing and the sample file, never typed in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { layoutShift, watchLayoutShift } from './support/layout-shift.ts';
import { BASE_URL } from './support/server.ts';
import { parseReadelf } from '../golden/readelf/parse-readelf.ts';
import { harnessWidget, openHarness } from './support/harness.ts';

const ROOT = process.cwd();
const PATH = '/lab/object-inspector/';
const widget = harnessWidget;
const golden = (id: string) => readFileSync(join(ROOT, `tests/golden/scenarios/${id}.txt`), 'utf8').trimEnd().split('\n');
const trace = golden('hello-load');
const stepOf = (lines: string[], re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
const readelf = parseReadelf(readFileSync(join(ROOT, 'tests/golden/readelf/hello.ko.txt'), 'utf8'));
const file = readFileSync(join(ROOT, 'public/samples/hello.ko'));

// A relocation the run applied in .text, and the readelf row and symbol it is.
const reloc = /^hello: (R_X86_64_\w+) at \.text\+0x([0-9a-f]+) against \S+: .*; bytes ([0-9a-f ]+) → /.exec(trace.filter((l) => /^hello: R_X86_64_\w+ at \.text\+0x[0-9a-f]+ against /.test(l)).at(-1)!)!;
const relocStep = stepOf(trace, new RegExp(`^hello: ${reloc[1]} at \\.text\\+0x${reloc[2]} against `));
const relaText = readelf.relocations.find((g) => g.name === '.rela.text')!;
const relocRow = relaText.rows.findIndex((r) => r.offset === BigInt(`0x${reloc[2]}`));
const relocSymbol = readelf.symtab!.symbols.find((s) => s.name === relaText.rows[relocRow]!.symbolName)!;
const textSection = readelf.sections.find((s) => s.name === '.text')!;
const placeBytes = [...file.subarray(Number(textSection.offset) + Number(`0x${reloc[2]}`), Number(textSection.offset) + Number(`0x${reloc[2]}`) + reloc[3]!.split(' ').length)].map((b) => b.toString(16).padStart(2, '0'));
const resolvedName = /^hello: (\S+) resolves to /.exec(trace.find((l) => /^hello: \S+ resolves to /.test(l))!)![1]!;
const resolvedStep = stepOf(trace, new RegExp(`^hello: ${resolvedName.replace(/[$]/g, '\\$')} resolves to `));
const elfStep = stepOf(trace, /^load_module: elf_validity_check passes/);
// module_sig_check comes at the same step whichever file finit_module is given (the syscall's entry is the same).
const sigStep = stepOf(trace, /^load_module: module_sig_check passes/);

async function ready(page: Page, hash = '') {
  await openHarness(page, PATH, hash);
  await expect(widget(page)).toHaveAttribute('data-model', 'ready');
}

test('the steps and rows this spec uses are found in the golden files', () => {
  expect(relocStep).toBeGreaterThan(0);
  expect(relocRow).toBeGreaterThanOrEqual(0);
  expect(resolvedStep).toBeGreaterThan(0);
  expect(elfStep).toBeGreaterThan(0);
  expect(placeBytes.join(' ')).toBe(reloc[3]);
});

test('before hydration the page shows hello.ko’s header and section map, drawn from readelf’s sections', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PATH);
  const sections = page.locator('.lab-live .sections > li');
  await expect(sections).toHaveCount(readelf.sections.length);
  for (const s of readelf.sections.filter((x) => x.name)) await expect(sections.nth(s.index)).toContainText(`${s.name}`);
  await expect(sections.nth(textSection.index)).toContainText(`${Number(textSection.size)} B`);
  await expect(sections.nth(textSection.index)).toContainText('loaded (SHF_ALLOC)');
  await expect(page.locator('.lab-live [role="tab"][aria-selected="true"]')).toHaveText(`Sections (${readelf.sections.length})`);
  await context.close();
});

test('the parts are tabs: one tab stop, arrows, Home and End move inside the tablist', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  const tabs = page.getByRole('tablist', { name: 'Parts of hello.ko' }).getByRole('tab');
  await expect(tabs).toHaveCount(6);
  await expect(page.locator('.lab-live [role="tab"][tabindex="0"]')).toHaveCount(1);
  await page.getByRole('tab', { name: /Sections/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-tab', 'symbols');
  await expect(page.getByRole('tab', { name: /Symbols/ })).toBeFocused();
  await expect(page.getByRole('tabpanel')).toContainText(relocSymbol.name);
  await page.keyboard.press('End');
  await expect(w).toHaveAttribute('data-tab', 'signature');
  await expect(page.getByRole('tabpanel')).toContainText('No signature');
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-tab', 'header');
  await page.keyboard.press('ArrowLeft');
  await expect(w).toHaveAttribute('data-tab', 'signature');
  await page.keyboard.press('Home');
  await expect(w).toHaveAttribute('data-tab', 'header');
  await expect(page.getByRole('tab', { name: 'Header' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.lab-live [role="tab"][tabindex="0"]')).toHaveCount(1);
  // Tab leaves the tablist for the panel.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('tabpanel')).toBeFocused();
});

test('the part the loader works on follows the run: header, a symbol, a relocation', async ({ page }) => {
  const w = widget(page);
  await ready(page, `#lab:harness?s=hello-load&t=${elfStep}`);
  await expect(w).toHaveAttribute('data-part', 'header');
  await expect(w).toHaveAttribute('data-stage', 'elf_validity_check');
  await expect(page.getByRole('tab', { name: /Header/ })).toContainText('◆');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(w).toHaveAttribute('data-step', String(elfStep - 1));
  await expect(w).not.toHaveAttribute('data-part', 'header');

  await ready(page, `#lab:harness?s=hello-load&t=${resolvedStep}`);
  await expect(w).toHaveAttribute('data-part', 'symbols');
  await expect(w).toHaveAttribute('data-focus-symbol', String(readelf.symtab!.symbols.find((s) => s.name === resolvedName && s.ndx === 'UND')!.num));

  await ready(page, `#lab:harness?s=hello-load&t=${relocStep}`);
  await expect(w).toHaveAttribute('data-part', 'relocations');
  await expect(w).toHaveAttribute('data-focus-reloc', `.rela.text:${relocRow}`);
  // The relocation applied at this step is the one shown, until the reader chooses another.
  await expect(w).toHaveAttribute('data-selected', `.rela.text:${relocRow}`);
});

test('choosing a relocation by keyboard boxes its place’s bytes and marks its symbol', async ({ page }) => {
  await ready(page);
  const w = widget(page);
  await page.getByRole('tab', { name: /Sections/ }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(w).toHaveAttribute('data-tab', 'relocations');
  const list = page.getByRole('listbox', { name: 'Relocations, by relocation section' });
  await list.getByRole('option').first().focus();
  await page.keyboard.press('Enter');
  for (let i = 0; i < relocRow; i++) await page.keyboard.press('ArrowDown');
  await expect(w).toHaveAttribute('data-selected', `.rela.text:${relocRow}`);
  await expect(w).toHaveAttribute('data-linked-symbol', String(relocSymbol.num));
  await expect(w).toHaveAttribute('data-marked', String(placeBytes.length));
  await expect(page.locator('.lab-live .hex .b.on')).toHaveText(placeBytes);
  // The run applied it before the end: the bytes in memory are the trace's.
  const after = /→ ([0-9a-f ]+)\./.exec(trace[relocStep - 1]!)![1]!;
  await expect(page.locator('.lab-live .place')).toContainText(`Applied at step ${relocStep}: in memory now ${after}`);
  await page.getByRole('button', { name: '(marked in Symbols)' }).click();
  await expect(w).toHaveAttribute('data-tab', 'symbols');
  const linked = page.locator(`.lab-live .rows li[data-symbol="${relocSymbol.num}"]`);
  await expect(linked).toHaveClass(/linked/);
  await expect(linked).toContainText("the chosen relocation's symbol");
  await expect(page.locator('.lab-live .rows li.linked')).toHaveCount(1);
});

test('a deep link to hello-load with module=signed.ko shows the signature, and module_sig_check at it', async ({ page }) => {
  const kmod = readFileSync(join(ROOT, 'tests/golden/modinfo/signed.ko.txt'), 'utf8');
  const signer = /^signer: (.*)$/m.exec(kmod)![1]!;
  expect(sigStep).toBeGreaterThan(0);
  await ready(page, `#lab:harness?s=hello-load&p=module=signed.ko&t=${sigStep}`);
  const w = widget(page);
  await expect(w).toHaveAttribute('data-file', 'signed.ko');
  await expect(w).toHaveAttribute('data-signed', 'yes');
  await expect(w).toHaveAttribute('data-step', String(sigStep));
  await expect(w).toHaveAttribute('data-stage', 'module_sig_check');
  await expect(w).toHaveAttribute('data-part', 'signature');
  const tab = page.getByRole('tab', { name: /Signature/ });
  await expect(tab).toContainText('◆');
  await tab.click();
  await expect(page.getByRole('tabpanel')).toContainText(signer);
  await expect(page.getByRole('tabpanel')).toContainText('PKEY_ID_PKCS7');
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(w).toHaveAttribute('data-part', '');
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  test('"copy link to this step" round-trips module=signed.ko and the step', async ({ page }) => {
    await ready(page, '#lab:harness?s=hello-load&p=module=signed.ko&t=1');
    await page.getByRole('button', { name: 'Step forward' }).click();
    await page.getByRole('button', { name: 'Copy link to this step' }).click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${BASE_URL}${PATH}#lab:harness?s=hello-load&p=module=signed.ko&t=2`);
    await ready(page, link.slice(BASE_URL.length + PATH.length));
    await expect(widget(page)).toHaveAttribute('data-step', '2');
    await expect(widget(page)).toHaveAttribute('data-file', 'signed.ko');
    await expect(widget(page)).toHaveAttribute('data-signed', 'yes');
  });
});

test('hydration and the browser’s own run shift nothing on the page (layout shift 0)', async ({ page }) => {
  await watchLayoutShift(page);
  await ready(page);
  await page.waitForTimeout(300);
  expect(await layoutShift(page)).toBe(0);
});
