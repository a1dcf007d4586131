// Runs the e2e files against one browser and one static server: Chromium is started once as a
// Playwright browser server and every test file connects to it with a fresh context of its own
// (storage, service workers and permissions are per context, so files stay independent), and the
// built site is served once. Two files run at a time: a file spends much of its time waiting on a
// worker in its page, and the 2-core machine has a core for the other meanwhile.
//
//   node tests/e2e/run.mjs                  every file, slowest first
//   node tests/e2e/run.mjs FILE...          those files only (the quick mode's selection)
//   E2E_CONCURRENCY=1 node tests/e2e/run.mjs  one file at a time
//
// A single file can also run alone, `node --test tests/e2e/load.test.mjs`: the harness then starts
// its own browser and server.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, OUT, serve, launchServer } from './harness.mjs';

// Slowest first (test-results/e2e-times.txt of a full run), so that the last file to start is a
// short one and both cores stay busy to the end; files not listed run after these.
const ORDER = [
  'whole_history', 'backtest', 'when_shape', 'patrol', 'hotspots', 'bench', 'experiments', 'load', 'trust',
  'explore', 'briefing', 'safety', 'streets', 'corpus', 'bad_input',
];

const dir = path.join(ROOT, 'tests/e2e');
let files = process.argv.slice(2).map((f) => path.resolve(f));
if (files.length === 0) {
  files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).map((f) => path.join(dir, f));
  const rank = (f) => { const i = ORDER.indexOf(path.basename(f, '.test.mjs')); return i < 0 ? ORDER.length : i; };
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
if (!fs.existsSync(path.join(ROOT, 'dist/index.html'))) {
  console.error('dist/ is not built: run `trunk build --release` first.');
  process.exit(1);
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const server = await serve();
const browser = await launchServer();
const env = { ...process.env, PATROLIQ_E2E_WS: browser.wsEndpoint(), PATROLIQ_E2E_URL: server.url };
const args = [
  '--test', `--test-concurrency=${process.env.E2E_CONCURRENCY || 2}`,
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  `--test-reporter=${path.join(dir, 'timing_reporter.mjs')}`,
  `--test-reporter-destination=${path.join(OUT, 'e2e-times.txt')}`,
  ...files,
];
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, args, { env, stdio: 'inherit', cwd: ROOT });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});
await browser.close();
await server.close();
process.exit(code);
