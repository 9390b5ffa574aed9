// Term cards show on hover and focus through CSS; this keeps a card inside the viewport and lets
// Escape hide the visible one (WCAG 1.4.13) until the pointer or focus leaves the term.
const MARGIN = 8;

function keepInView(term: HTMLElement) {
  const card = term.querySelector<HTMLElement>('.term-card');
  if (!card) return;
  card.style.removeProperty('--shift');
  const overflow = card.getBoundingClientRect().right - (document.documentElement.clientWidth - MARGIN);
  if (overflow > 0) card.style.setProperty('--shift', `${-overflow}px`);
}

export function initTermCards() {
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const term of document.querySelectorAll<HTMLElement>('.term:hover, .term:focus-within')) term.dataset.dismissed = '';
  });
  const restore = (term: HTMLElement) => {
    if (!term.matches(':hover, :focus-within')) delete term.dataset.dismissed;
  };
  for (const term of document.querySelectorAll<HTMLElement>('.term')) {
    term.addEventListener('mouseenter', () => keepInView(term));
    term.addEventListener('focusin', () => keepInView(term));
    term.addEventListener('mouseleave', () => restore(term));
    term.addEventListener('focusout', () => setTimeout(() => restore(term), 0));
  }
}
