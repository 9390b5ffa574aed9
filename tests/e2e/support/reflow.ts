// Finding what makes a page wider than the screen, to say so when the reflow test fails.
import type { Page } from '@playwright/test';

/** The outermost elements that stick out past the right edge, leaving out scrolling boxes' contents. */
export function elementsStickingOut(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const edge = document.documentElement.clientWidth + 1;
    const sticksOut = (el: Element) => el.getBoundingClientRect().right > edge;
    const insideClippingBox = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    const describe = (el: Element) => {
      const box = el.getBoundingClientRect();
      const classes = [...el.classList].slice(0, 3).map((c) => `.${c}`).join('');
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes} (${Math.round(box.width)} px wide, right edge at ${Math.round(box.right)} px)`;
    };
    const found: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (!sticksOut(el) || insideClippingBox(el)) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && sticksOut(parent)) continue;
      found.push(describe(el));
      if (found.length >= 8) break;
    }
    return found;
  });
}
