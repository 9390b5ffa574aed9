// `npm run bench`: the JavaScript each built page loads before search is used, gzip-compressed,
// against its budget. Counts every inline <script>, every <script src>, <link rel="modulepreload">
// and island (<astro-island component-url/renderer-url>), with their static imports. Dynamic
// import(…), which is how search and Pagefind load, is not followed.
//
// Budgets: a page without a widget (no <astro-island>) ships at most 6 KB of gzipped script. A page
// with widgets (issue 6): at most 10 KB before any widget is visible (everything but the islands,
// which hydrate when visible), and at most 120 KB with all its widgets, the emulator's main chunk
// (src/lab/run.ts and its static imports, loaded with the first run) and describe()'s chunk
// (src/sim/events.ts, loaded alongside it). Not counted there: the kernel's data files and its
// optional subsystems (src/sim/kernel/subsystems.ts), lazy chunks of their own that a run loads when
// it needs them — which ones depends on the scenario, so each is printed as a row of its own.
// The emulator's main chunk itself: at most 50 KB.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BUDGET_WITHOUT_WIDGET = 6 * 1024;
const SITE = 'http://site.invalid'; // a base for resolving the pages' URLs; never fetched

if (!existsSync(join(DIST, 'index.html'))) {
  console.log('No dist/: building first.');
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const gzipSize = (text) => gzipSync(text, { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

function files(dir, keep) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? files(full, keep) : keep(full) ? [full] : [];
  });
}

/** dist/x/index.html → /x/, dist/index.html → /, dist/404.html → /404.html */
function pagePath(file) {
  const rel = relative(DIST, file).split(sep).join('/');
  return rel === 'index.html' ? '/' : `/${rel.replace(/(^|\/)index\.html$/, '$1')}`;
}

/** The dist/ file behind a same-site URL, or undefined. */
function distFile(url) {
  if (url.origin !== SITE) return undefined;
  const file = join(DIST, decodeURIComponent(url.pathname));
  return file.startsWith(DIST) && existsSync(file) && statSync(file).isFile() ? file : undefined;
}

const attr = (tag, name) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined);

const STATIC_IMPORT = /\bimport\s*(?:[\w$*\s{},]*?\bfrom\s*)?["']([^"'\n]+)["']/g;
const STATIC_REEXPORT = /\bexport\s*(?:\*(?:\s*as\s+[\w$]+)?|\{[^}]*\})\s*from\s*["']([^"'\n]+)["']/g;

/** A module and everything it imports statically, as dist/ files (into `seen`). */
function addModuleGraph(url, seen) {
  const file = distFile(url);
  if (!file || seen.has(file)) return;
  seen.add(file);
  if (!file.endsWith('.js') && !file.endsWith('.mjs')) return;
  const code = readFileSync(file, 'utf8');
  for (const pattern of [STATIC_IMPORT, STATIC_REEXPORT]) {
    for (const [, specifier] of code.matchAll(pattern)) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) addModuleGraph(new URL(specifier, url), seen);
    }
  }
}

function measure(file) {
  const html = readFileSync(file, 'utf8');
  const pageUrl = new URL(pagePath(file), SITE);
  const modules = new Set();
  let inline = 0;

  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const src = attr(`<script ${attrs}>`, 'src');
    const type = (attr(`<script ${attrs}>`, 'type') ?? '').toLowerCase();
    if (src) addModuleGraph(new URL(src, pageUrl), modules);
    else if (!type || type === 'module' || type.includes('javascript')) inline += gzipSize(body);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attr(tag, 'href');
    if (href && (attr(tag, 'rel') ?? '').toLowerCase() === 'modulepreload') addModuleGraph(new URL(href, pageUrl), modules);
  }
  const before = inline + [...modules].reduce((sum, m) => sum + gzipSize(readFileSync(m)), 0);
  const islands = [...html.matchAll(/<astro-island\b[^>]*>/gi)].map(([tag]) => tag);
  for (const tag of islands) {
    for (const name of ['component-url', 'renderer-url', 'before-hydration-url']) {
      const url = attr(tag, name);
      if (url) addModuleGraph(new URL(url, pageUrl), modules);
    }
  }
  if (islands.length > 0) for (const chunk of [...emulatorChunks, ...describeChunks]) addModuleGraph(new URL(`/_astro/${chunk}`, SITE), modules);
  let bytes = inline;
  for (const m of modules) bytes += gzipSize(readFileSync(m));
  return { page: pagePath(file), bytes, before, widgets: islands.length };
}

/** The emulator's main chunk (src/lab/run.ts and what it imports statically), and describe()'s (src/sim/events.ts). */
const emulatorChunks = readdirSync(join(DIST, '_astro')).filter((f) => /^run\.[\w-]+\.js$/.test(f));
const describeChunks = readdirSync(join(DIST, '_astro')).filter((f) => /^events\.[\w-]+\.js$/.test(f));
const BUDGET_BEFORE_WIDGETS = 10 * 1024, BUDGET_WITH_WIDGETS = 120 * 1024, BUDGET_EMULATOR = 50 * 1024;

const pages = files(DIST, (f) => f.endsWith('.html') && !/^(pagefind|_astro)[/\\]/.test(relative(DIST, f)))
  .map(measure)
  .sort((a, b) => a.page.localeCompare(b.page));

const width = Math.max(24, ...pages.map((p) => p.page.length + (p.widgets ? 24 : 0)));
console.log(`${'page'.padEnd(width)}  ${'KB gzip'.padStart(8)}  ${'budget'.padStart(8)}  verdict`);
let over = 0;
const row = (name, bytes, budget) => {
  const verdict = bytes <= budget ? 'OK' : 'OVER';
  if (verdict === 'OVER') over += 1;
  console.log(`${name.padEnd(width)}  ${kb(bytes).padStart(8)}  ${kb(budget).padStart(8)}  ${verdict}`);
};
for (const p of pages) {
  if (p.widgets === 0) row(p.page, p.bytes, BUDGET_WITHOUT_WIDGET);
  else {
    row(`${p.page} before its widgets`, p.before, BUDGET_BEFORE_WIDGETS);
    row(`${p.page} with its ${p.widgets} widget${p.widgets === 1 ? '' : 's'}`, p.bytes, BUDGET_WITH_WIDGETS);
  }
}
const emulator = new Set();
for (const chunk of emulatorChunks) addModuleGraph(new URL(`/_astro/${chunk}`, SITE), emulator);
row("the emulator's main chunk", [...emulator].reduce((sum, m) => sum + gzipSize(readFileSync(m)), 0), BUDGET_EMULATOR);

// The lazily loaded chunks (every dynamic import(…) of a built chunk but run and search): the
// kernel's data files, its subsystems and describe(), each with what it imports statically beyond
// the main chunk. Informational: no budget of their own.
const DYNAMIC_IMPORT = /\bimport\(\s*["']\.\/([^"'\n]+\.js)["']\s*\)/g;
const lazy = new Set();
for (const f of readdirSync(join(DIST, '_astro')).filter((x) => x.endsWith('.js'))) {
  for (const [, target] of readFileSync(join(DIST, '_astro', f), 'utf8').matchAll(DYNAMIC_IMPORT)) if (!/^(run|search)\./.test(target)) lazy.add(target);
}
console.log(`\nlazy chunks (gzip, with their static imports beyond the main chunk; no budget of their own):`);
for (const chunk of [...lazy].sort()) {
  const graph = new Set();
  addModuleGraph(new URL(`/_astro/${chunk}`, SITE), graph);
  const bytes = [...graph].filter((m) => !emulator.has(m)).reduce((sum, m) => sum + gzipSize(readFileSync(m)), 0);
  console.log(`  ${chunk.replace(/\.[\w-]+\.js$/, '').padEnd(width - 2)}  ${kb(bytes).padStart(8)}`);
}

function total(dir, keep) {
  const found = existsSync(dir) ? files(dir, keep) : [];
  return { count: found.length, bytes: found.reduce((sum, f) => sum + statSync(f).size, 0) };
}
const search = total(join(DIST, 'pagefind'), () => true);
const fonts = total(join(DIST, '_astro'), (f) => f.endsWith('.woff2') && dirname(f) === join(DIST, '_astro'));
console.log(`\nsearch index (dist/pagefind, loaded on first search): ${kb(search.bytes)} KB in ${search.count} files`);
console.log(`fonts (dist/_astro/*.woff2): ${kb(fonts.bytes)} KB in ${fonts.count} files`);

// The emulator's own figures (throughput, replay latency) against issue 3's budgets.
const ROOT_DIR = new URL('..', import.meta.url).pathname;
const sim = spawnSync(join(ROOT_DIR, 'node_modules', '.bin', 'tsx'), ['scripts/bench-sim.ts'], { cwd: ROOT_DIR, stdio: 'inherit' });
// The widgets' step and scrub latency in Chromium against issue 6's 16 ms.
const lab = spawnSync('node', ['scripts/bench-lab.mjs'], { cwd: ROOT_DIR, stdio: 'inherit' });

if (over > 0) console.error(`\n${over} page(s) over budget.`);
if (sim.status !== 0) console.error('\nthe emulator missed a budget (see above).');
if (lab.status !== 0) console.error('\na widget missed its latency budget (see above).');
if (over > 0 || sim.status !== 0 || lab.status !== 0) process.exit(1);
