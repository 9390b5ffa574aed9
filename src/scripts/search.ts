// Search, loaded on first use: wires the static dialog (SearchDialog.astro) to Pagefind's index.
// Pagefind lives at /pagefind/ after `npm run build`; it makes no request to any other origin.

interface PagefindSubResult { title: string; url: string; excerpt: string }
interface PagefindData { url: string; excerpt: string; meta: { title?: string }; sub_results?: PagefindSubResult[] }
interface PagefindApi {
  options(o: Record<string, unknown>): Promise<void>;
  debouncedSearch(q: string, o?: object, ms?: number): Promise<{ results: { data(): Promise<PagefindData> }[] } | null>;
}

const MAX_RESULTS = 8;
let pagefind: Promise<PagefindApi | null> | undefined;
let wired = false;
let opener: HTMLElement | null = null;

function loadPagefind(): Promise<PagefindApi | null> {
  pagefind ??= import(/* @vite-ignore */ `${location.origin}/pagefind/pagefind.js`)
    .then(async (pf: PagefindApi) => {
      await pf.options({ excerptLength: 24 });
      return pf;
    })
    .catch(() => null);
  return pagefind;
}

/** Pagefind marks hits with <mark>; everything else in an excerpt is shown as text. */
function excerptNode(excerpt: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  excerpt.split(/(<mark>.*?<\/mark>)/g).forEach((part) => {
    const hit = /^<mark>(.*)<\/mark>$/.exec(part);
    const text = new DOMParser().parseFromString(hit ? hit[1]! : part, 'text/html').body.textContent ?? '';
    if (hit) fragment.append(Object.assign(document.createElement('mark'), { textContent: text }));
    else fragment.append(text);
  });
  return fragment;
}

function resultItem(data: PagefindData): HTMLLIElement {
  const li = document.createElement('li');
  const link = Object.assign(document.createElement('a'), { href: data.url, className: 'search-hit' });
  link.append(Object.assign(document.createElement('span'), { className: 'search-hit-title', textContent: data.meta.title ?? data.url }));
  const excerpt = document.createElement('span');
  excerpt.className = 'search-hit-excerpt';
  excerpt.append(excerptNode(data.excerpt));
  link.append(excerpt);
  li.append(link);
  const sections = (data.sub_results ?? []).filter((s) => s.url.includes('#')).slice(0, 3);
  if (sections.length) {
    const ul = document.createElement('ul');
    for (const s of sections) {
      const sub = document.createElement('li');
      sub.append(Object.assign(document.createElement('a'), { href: s.url, textContent: s.title }));
      ul.append(sub);
    }
    li.append(ul);
  }
  return li;
}

async function runSearch(query: string, status: HTMLElement, list: HTMLOListElement) {
  const pf = await loadPagefind();
  if (!pf) {
    status.textContent = 'Search is not available: its index is made by "npm run build".';
    return;
  }
  const found = await pf.debouncedSearch(query, {}, 200);
  if (found === null) return; // superseded by a newer query
  const data = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  list.replaceChildren(...data.map(resultItem));
  const n = found.results.length;
  status.textContent = query.trim() === '' ? '' : n === 0 ? `No pages match “${query}”.` : `${n} ${n === 1 ? 'page matches' : 'pages match'}.`;
}

function wire(dialog: HTMLDialogElement) {
  const input = dialog.querySelector<HTMLInputElement>('#search-input')!;
  const status = dialog.querySelector<HTMLElement>('#search-status')!;
  const list = dialog.querySelector<HTMLOListElement>('#search-results')!;
  const form = dialog.querySelector('form')!;
  input.addEventListener('input', () => void runSearch(input.value, status, list));
  form.addEventListener('submit', (event) => {
    // Enter in the box opens the first result; only the Close button closes the dialog.
    if ((event as SubmitEvent).submitter) return;
    event.preventDefault();
    list.querySelector<HTMLAnchorElement>('a')?.click();
  });
  input.addEventListener('keydown', (event) => {
    // A search field's own Escape only clears it; here Escape always closes, as in any dialog.
    if (event.key === 'Escape') {
      event.preventDefault();
      dialog.close();
    }
    if (event.key === 'ArrowDown') {
      list.querySelector<HTMLAnchorElement>('a')?.focus();
      event.preventDefault();
    }
  });
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener('close', () => opener?.focus());
}

export function openSearchDialog(from: HTMLElement | null) {
  const dialog = document.getElementById('search-dialog') as HTMLDialogElement | null;
  if (!dialog) return;
  opener = from;
  if (!wired) {
    wire(dialog);
    wired = true;
  }
  void loadPagefind();
  dialog.showModal();
  dialog.querySelector<HTMLInputElement>('#search-input')?.select();
}
