// Lists the e2e files of the pages a change touches, for `scripts/test.sh --quick`: the files
// changed against origin/main (or HEAD~1 without it), uncommitted and untracked ones included,
// matched by name to the test files that exercise them. The full run (CI) runs every file.
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// A changed path matching the pattern → the e2e files that cover it.
const COVERS = [
  [/tests\/e2e\/(harness|run)\.mjs$/, ['load', 'bad_input']],
  [/explore|filter_bar|ui\/charts|location/, ['explore']],
  [/hotspot|cluster/, ['hotspots']],
  [/when|shape|mapper|embed/, ['when_shape']],
  [/patrol|route|risk|map_charts/, ['patrol']],
  [/patrol|risk|terrain|layers/, ['terrain']],
  [/terrain|layers|forecast|backtest|briefing/, ['terrain_forecast']],
  [/backtest/, ['backtest']],
  [/home|briefing|heatmap|areas|density/, ['briefing']],
  [/experiment|store|mlflow|memo/, ['experiments']],
  [/bench/, ['bench']],
  [/overview|source_panel|report|load|inflate|bridge|worker|protocol|state|shell|app\.rs|main\.rs/, ['load']],
  [/offline|fault|sw\.js|manifest|index\.html|post_build|style\.css/, ['trust']],
  [/street|sw\.js|charts\/(chart|reference|map|patrol)|place\/labels/, ['streets']],
  [/tests\/corpus\//, ['corpus', 'bad_input']],
  [/load\/|subset|load_only|whole_history|model\.rs/, ['whole_history']],
  [/column_mapper|change_columns|mappings|state\/columns/, ['columns', 'exports']],
  [/keep|kept|replace|dataset_line|shell|home|style\.css|charts\/(chart|figure|map)|gloss/, ['safety']],
];

const git = (...args) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(Boolean);
const base = (() => {
  for (const ref of ['origin/main', 'HEAD~1']) {
    try { return git('merge-base', 'HEAD', ref)[0]; } catch { /* try the next */ }
  }
  return null;
})();
const changed = new Set([
  ...(base ? git('diff', '--name-only', base) : []),
  ...git('diff', '--name-only', 'HEAD'),
  ...git('ls-files', '--others', '--exclude-standard'),
]);
const files = new Set();
for (const f of changed) {
  const own = f.match(/^tests\/e2e\/(\w+)\.test\.mjs$/);
  if (own) { files.add(own[1]); continue; }
  if (!/^(src|public|index\.html|scripts\/post_build|tests\/)/.test(f)) continue;
  for (const [pattern, names] of COVERS) if (pattern.test(f)) names.forEach((n) => files.add(n));
}
for (const name of [...files].sort()) console.log(path.join('tests/e2e', `${name}.test.mjs`));
