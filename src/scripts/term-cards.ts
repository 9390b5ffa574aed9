// Term cards show on hover and focus through CSS; Escape hides the visible one (WCAG 1.4.13)
// until the pointer or focus leaves the term.
export function initTermCards() {
  const dismissed = new Set<HTMLElement>();
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const term of document.querySelectorAll<HTMLElement>('.term:hover, .term:focus-within')) {
      term.dataset.dismissed = '';
      dismissed.add(term);
    }
  });
  const restore = (event: Event) => {
    const term = event.currentTarget as HTMLElement;
    if (term.matches(':hover, :focus-within')) return;
    delete term.dataset.dismissed;
    dismissed.delete(term);
  };
  for (const term of document.querySelectorAll<HTMLElement>('.term')) {
    term.addEventListener('mouseleave', restore);
    term.addEventListener('focusout', (e) => setTimeout(() => restore(e), 0));
  }
}
