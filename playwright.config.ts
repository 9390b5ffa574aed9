// End-to-end tests of the built site (dist/) as `astro preview` serves it, in Chromium.
// Run `npm run build` first; `npm test` does both (scripts/test.mjs).
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/**
 * The test server's port: E2E_PORT, else 4329 when free, else any free port. Never 4321 (`npm
 * start`). `astro preview` quietly moves to the next port when its port is taken, so the port is
 * chosen here, once, and handed to the workers through the environment they inherit.
 */
async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : port));
      });
    });
  try {
    return await tryPort(preferred);
  } catch {
    return await tryPort(0);
  }
}
process.env.E2E_PORT ??= String(await freePort(4329));
const { BASE_URL, DIST, PORT, ROOT } = await import('./tests/e2e/support/server.ts');
if (PORT === 4321) throw new Error('E2E_PORT=4321 is the port of `npm start`, where a reader may have the book open: choose another.');

if (!existsSync(join(DIST, 'index.html'))) {
  throw new Error(`No built site in ${DIST}. The end-to-end tests test the built site: run \`npm run build\` first.`);
}

/** Debian's Chromium (Playwright cannot download its own here); elsewhere, Playwright's own. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const executablePath = process.env.CHROMIUM_PATH || (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);

/** Read by scripts/test.mjs for the counts (keep the two in step). */
const E2E_REPORT = '.test-results/e2e.json';

export default defineConfig({
  testDir: './tests/e2e',
  outputDir: './test-results',
  fullyParallel: true,
  forbidOnly: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: join(ROOT, E2E_REPORT) }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx astro preview --port ${PORT} --host 127.0.0.1`,
    cwd: ROOT,
    url: `${BASE_URL}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
