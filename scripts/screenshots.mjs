#!/usr/bin/env node
// Screenshots of built pages at desktop and phone widths, light and dark, for looking at what we
// built (and for the README's picture). Serves dist/ with `astro preview`; writes to screenshots/.
//   npm run screenshots                 every page listed below
//   npm run screenshots -- /preface/    only the pages given
//   npm run screenshots -- --readme     also refresh docs/screenshot.png
//   npm run screenshots -- --fold       the first screen only, not the whole page
//   npm run screenshots -- --print      as printed (print media: widgets as their strips)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';

const PORT = 4327;
const args = process.argv.slice(2);
const readme = args.includes('--readme');
const fold = args.includes('--fold');
const print = args.includes('--print');
const pages = args.filter((a) => a.startsWith('/'));
const targets = pages.length ? pages : ['/', '/preface/', '/glossary/', '/book/', '/404.html'];
const widths = [
  ['desktop', 1280, 900],
  ['phone', 390, 844],
];

if (!existsSync('dist')) throw new Error('dist/ is missing: run `npm run build` first.');
const server = spawn('node_modules/.bin/astro', ['preview', '--port', String(PORT), '--host', '127.0.0.1'], { stdio: 'ignore' });
const base = `http://127.0.0.1:${PORT}`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 200));
}

const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
mkdirSync('screenshots', { recursive: true });
try {
  for (const theme of ['light', 'dark']) {
    for (const [name, width, height] of widths) {
      const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
      await context.addInitScript((t) => localStorage.setItem('rz-theme', t), theme);
      const page = await context.newPage();
      if (print) await page.emulateMedia({ media: 'print' });
      for (const path of targets) {
        await page.goto(base + path, { waitUntil: 'networkidle' });
        const file = `screenshots/${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${name}-${theme}${print ? '-print' : ''}.png`;
        await page.screenshot({ path: file, fullPage: !readme && !fold });
        console.log(file);
      }
      if (readme && theme === 'light' && name === 'desktop') {
        mkdirSync('docs', { recursive: true });
        await page.goto(base + '/preface/', { waitUntil: 'networkidle' });
        await page.screenshot({ path: 'docs/screenshot.png' });
        console.log('docs/screenshot.png');
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.kill();
}
