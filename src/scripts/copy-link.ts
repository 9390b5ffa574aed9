// Shows each heading's "copy link" button and copies the section's absolute URL when pressed.
import { announce } from './announce';

export function initCopyLinks() {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.copy-link')) {
    const anchor = button.previousElementSibling;
    if (!(anchor instanceof HTMLAnchorElement)) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(anchor.href);
        button.dataset.copied = '';
        announce('Link to this section copied.');
        setTimeout(() => delete button.dataset.copied, 1500);
      } catch {
        announce('Could not copy; the section link is in the address bar now.');
        history.replaceState(null, '', anchor.hash);
      }
    });
  }
}
