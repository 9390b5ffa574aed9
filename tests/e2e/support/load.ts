// Opening a page the way a reader does: load it, then scroll to the end so that anything loaded
// on the way (widgets that wake when visible, lazy images) is loaded too.
import type { Page, Response } from '@playwright/test';

const MAX_SCREENS = 300;
const QUIET_MS = 500;
const QUIET_TIMEOUT_MS = 15_000;

/** Resolves once no request has been in flight for QUIET_MS (page.waitForLoadState('networkidle') fires only once per load). */
async function networkQuiet(page: Page, during: () => Promise<void>) {
  let inFlight = 0;
  let lastChange = Date.now();
  const started = () => ((inFlight += 1), (lastChange = Date.now()));
  const ended = () => ((inFlight -= 1), (lastChange = Date.now()));
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    await during();
    const deadline = Date.now() + QUIET_TIMEOUT_MS;
    while (Date.now() < deadline && (inFlight > 0 || Date.now() - lastChange < QUIET_MS)) {
      await page.waitForTimeout(100);
    }
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

export async function readThrough(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path, { waitUntil: 'networkidle' });
  await networkQuiet(page, () =>
    page.evaluate(async (maxScreens) => {
      const pause = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20)));
      for (let i = 0; i < maxScreens && window.scrollY + innerHeight < document.documentElement.scrollHeight; i++) {
        window.scrollBy({ top: innerHeight, behavior: 'instant' });
        await pause();
      }
      window.scrollTo({ top: 0, behavior: 'instant' });
    }, MAX_SCREENS),
  );
  return response;
}

/** Waits for the page's web fonts, which change line breaks and so the layout. */
export async function fontsReady(page: Page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
}
