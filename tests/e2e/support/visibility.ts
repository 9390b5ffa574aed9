// Whether a reader can actually see an element. Playwright's toBeVisible() counts an element with
// opacity 0 as visible; a card that hides by fading out needs this stricter test.
import type { Locator } from '@playwright/test';

export function isShown(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    for (let node: Element | null = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || Number(style.opacity) < 0.5) return false;
    }
    const box = el.getBoundingClientRect();
    return getComputedStyle(el).visibility !== 'hidden' && box.width > 1 && box.height > 1;
  });
}
