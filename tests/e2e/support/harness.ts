// What every widget spec does first: find the harness page's widget, open the page (with a
// `#lab:` link or none) and wait until the widget has hydrated and its run is ready; and read a
// scenario's golden trace, one sentence per step, to find the steps a test asserts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { ROOT } from './server.ts';

/** The live widget on a harness page (the print strip's still frames carry no data-lab). */
export const harnessWidget = (page: Page) => page.locator('figure[data-lab="harness"]');

export async function openHarness(page: Page, path: string, hash = '') {
  await page.goto(`${path}${hash}`);
  await expect(harnessWidget(page)).toHaveAttribute('data-hydrated', 'true');
  await expect(harnessWidget(page)).toHaveAttribute('data-status', 'ready');
}

/** A scenario's golden trace: line n is the sentence for step n. */
export const goldenTrace = (scenario: string) => readFileSync(join(ROOT, 'tests/golden/scenarios', `${scenario}.txt`), 'utf8').trimEnd().split('\n');
