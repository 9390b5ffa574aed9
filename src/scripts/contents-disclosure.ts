// The contents sidebar and "On this page" are <details class="wide-open">: closed on narrow
// screens (an inline script closes them before first paint), always open on wide ones, where
// their summaries are hidden.
const WIDE = matchMedia('(min-width: 64rem)');

export function initContentsDisclosure() {
  const all = document.querySelectorAll<HTMLDetailsElement>('details.wide-open');
  const sync = () => {
    if (WIDE.matches) for (const d of all) d.open = true;
  };
  sync();
  WIDE.addEventListener('change', sync);
}
