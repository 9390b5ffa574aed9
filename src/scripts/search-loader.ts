// Opens search on a click, "/" or Ctrl+K (Cmd+K on a Mac). The search module and Pagefind's
// index are fetched on first use, not with the page.
function typingInField(target: EventTarget | null) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

async function openSearch(opener: HTMLElement | null) {
  const { openSearchDialog } = await import('./search');
  openSearchDialog(opener);
}

export function initSearchLoader() {
  const button = document.getElementById('search-open');
  button?.addEventListener('click', () => openSearch(button));
  document.addEventListener('keydown', (event) => {
    const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
    const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingInField(event.target);
    if (!ctrlK && !slash) return;
    const dialog = document.getElementById('search-dialog') as HTMLDialogElement | null;
    if (dialog?.open) return;
    event.preventDefault();
    openSearch(button);
  });
}
