#!/usr/bin/env node
// Copies the README's screenshots from an end-to-end run (test-results/*.png, written by the
// e2e tests' `shot(page, name)`) into docs/screenshots/ under the stable names the README uses,
// so the pictures are always of the app as the last full test run saw it.
//
//   node scripts/readme_screenshots.mjs            # from test-results/ (after scripts/test.sh)
//   node scripts/readme_screenshots.mjs --from DIR # from another run's screenshots
//   node scripts/readme_screenshots.mjs --check    # only check: every shot there, README in step
//
// It fails (exit 1, copying nothing) when a screenshot is missing or is not a PNG, and when the
// README shows a docs/screenshots/ picture this list does not make, or this list makes one the
// README does not show: rename a shot in a test and this script says so instead of leaving the
// README with an old picture.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEST = path.join(ROOT, 'docs', 'screenshots');
const README = path.join(ROOT, 'README.md');

// README name ← e2e shot name (tests/e2e/<test>.test.mjs, `shot(page, '<shot>')`).
const SHOTS = [
  { to: 'briefing.png', shot: 'home-briefing', test: 'briefing.test.mjs' },
  { to: 'explore.png', shot: 'explore-page', test: 'explore.test.mjs' },
  { to: 'hotspots.png', shot: 'hotspots-kmeans', test: 'hotspots.test.mjs' },
  { to: 'when.png', shot: 'when-patterns', test: 'when_shape.test.mjs' },
  { to: 'shape.png', shot: 'shape-umap', test: 'when_shape.test.mjs' },
  { to: 'heatmaps.png', shot: 'heatmaps-choropleth', test: 'briefing.test.mjs' },
  { to: 'patrol.png', shot: 'patrol-route', test: 'patrol.test.mjs' },
  { to: 'backtest.png', shot: 'backtest', test: 'backtest.test.mjs' },
  { to: 'experiments.png', shot: 'experiments-compare', test: 'experiments.test.mjs' },
];

/** A path as short as it can be said: inside the repository relative to it, else absolute. */
const show = (file) => (path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file));

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function fail(lines) {
  console.error(`readme_screenshots: ${lines.join('\n  ')}`);
  process.exit(1);
}

function args(argv) {
  const opts = { from: path.join(ROOT, 'test-results'), check: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from' && argv[i + 1]) opts.from = path.resolve(argv[++i]);
    else if (argv[i] === '--check') opts.check = true;
    else fail([`unknown argument ${JSON.stringify(argv[i])}`, 'usage: node scripts/readme_screenshots.mjs [--from DIR] [--check]']);
  }
  return opts;
}

/** The problems with the run's screenshots: missing, empty or not PNG. */
function problems(from) {
  const out = [];
  for (const s of SHOTS) {
    const file = path.join(from, `${s.shot}.png`);
    if (!fs.existsSync(file)) {
      out.push(`missing ${show(file)} (made by tests/e2e/${s.test}, shot '${s.shot}', for docs/screenshots/${s.to})`);
      continue;
    }
    const head = Buffer.alloc(8);
    const fd = fs.openSync(file, 'r');
    const n = fs.readSync(fd, head, 0, 8, 0);
    fs.closeSync(fd);
    if (n < 8 || !head.equals(PNG)) out.push(`${show(file)} is not a PNG image`);
  }
  return out;
}

/** The README and this list must name the same pictures. */
function readmeProblems() {
  const text = fs.readFileSync(README, 'utf8');
  const shown = new Set([...text.matchAll(/docs\/screenshots\/([A-Za-z0-9_.-]+\.png)/g)].map((m) => m[1]));
  const made = new Set(SHOTS.map((s) => s.to));
  const out = [];
  for (const name of shown) if (!made.has(name)) out.push(`README.md shows docs/screenshots/${name}, which no entry of SHOTS makes`);
  for (const name of made) if (!shown.has(name)) out.push(`SHOTS makes docs/screenshots/${name}, which README.md does not show`);
  return out;
}

const opts = args(process.argv.slice(2));
if (!fs.existsSync(opts.from)) {
  fail([`no screenshots folder ${opts.from}: run the end-to-end tests first (scripts/test.sh), or give --from DIR`]);
}
const wrong = [...problems(opts.from), ...readmeProblems()];
if (wrong.length) fail([`${wrong.length} problem(s), nothing copied:`, ...wrong]);
if (opts.check) {
  console.log(`readme_screenshots: all ${SHOTS.length} screenshots present in ${show(opts.from)}`);
  process.exit(0);
}
fs.mkdirSync(DEST, { recursive: true });
for (const s of SHOTS) {
  fs.copyFileSync(path.join(opts.from, `${s.shot}.png`), path.join(DEST, s.to));
}
console.log(`readme_screenshots: ${SHOTS.length} screenshots copied to ${show(DEST)}/ (${SHOTS.map((s) => s.to).join(', ')})`);
