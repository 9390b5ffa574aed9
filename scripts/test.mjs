// `npm test`: every check, in order, each run even when an earlier one failed (except the
// end-to-end tests, which need a build). Ends with one line: "N passed, N failed".
//
//   type checks (astro check, svelte-check) and the build count as one test each;
//   vitest and Playwright counts come from their JSON reports in .test-results/.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, '.test-results');
const UNIT_REPORT = join(RESULTS, 'unit.json');
const E2E_REPORT = join(RESULTS, 'e2e.json'); // written by playwright.config.ts
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

/** Runs a command with its output streamed; resolves to its exit code. */
function run(command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A check that passes or fails as a whole. */
const single = (code) => (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });

function vitestCounts(report) {
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function playwrightCounts(report) {
  const s = report.stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0, flaky: s.flaky ?? 0 };
}

/** A test runner: counts from its JSON report; a failing exit without a failed test counts as one failure. */
async function runner(command, args, reportFile, countsOf) {
  rmSync(reportFile, { force: true });
  const code = await run(command, args);
  const report = readJson(reportFile);
  const counts = report ? countsOf(report) : { passed: 0, failed: 0 };
  if (code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    counts.note = report ? `exited ${code} with no failed test` : `exited ${code}, no report`;
  }
  return counts;
}

const stages = [
  { name: 'astro check', go: async () => single(await run(bin('astro'), ['check'])) },
  {
    name: 'svelte-check',
    go: async () => single(await run(bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings'])),
  },
  {
    name: 'unit tests (vitest)',
    go: () =>
      runner(
        bin('vitest'),
        ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${UNIT_REPORT}`],
        UNIT_REPORT,
        vitestCounts,
      ),
  },
  { name: 'build', go: async () => single(await run('npm', ['run', 'build'])) },
  {
    name: 'end-to-end tests (playwright)',
    needs: 'build',
    go: () => runner(bin('playwright'), ['test'], E2E_REPORT, playwrightCounts),
  },
];

mkdirSync(RESULTS, { recursive: true });
const results = [];
for (const stage of stages) {
  const needed = results.find((r) => r.name === stage.needs);
  console.log(`\n━━ ${stage.name} ━━`);
  if (needed && needed.failed > 0) {
    console.log(`skipped: ${stage.needs} failed`);
    results.push({ name: stage.name, passed: 0, failed: 1, seconds: 0, note: `not run: ${stage.needs} failed` });
    continue;
  }
  const start = performance.now();
  const counts = await stage.go();
  results.push({ name: stage.name, ...counts, seconds: (performance.now() - start) / 1000 });
}

const width = Math.max(...results.map((r) => r.name.length));
console.log('\n━━ summary ━━');
for (const r of results) {
  const extra = [r.skipped ? `${r.skipped} skipped` : '', r.flaky ? `${r.flaky} flaky` : '', r.note ?? ''].filter(Boolean);
  const counts = `${r.passed} passed, ${r.failed} failed`.padEnd(22);
  console.log(`${r.name.padEnd(width)}  ${counts} ${r.seconds.toFixed(1).padStart(6)} s${extra.length ? `  (${extra.join('; ')})` : ''}`);
}
const total = (key) => results.reduce((sum, r) => sum + (r[key] ?? 0), 0);
const totalSeconds = results.reduce((sum, r) => sum + r.seconds, 0);
console.log(`${'total'.padEnd(width)}  ${''.padEnd(22)} ${totalSeconds.toFixed(1).padStart(6)} s`);
console.log(`${total('passed')} passed, ${total('failed')} failed`);
process.exit(total('failed') > 0 ? 1 : 0);
