// DuckDB in the same headless Chromium, on the same files (issue #38's in-browser reference):
// `@duckdb/duckdb-wasm` from npm, its single-threaded build (the "eh" bundle: threads need a
// cross-origin-isolated page, and PatrolIQ's load runs on one worker too), each file picked
// through a file input as a user would and read through DuckDB's browser file reader, loaded with
// `CREATE TABLE AS`, then the count by crime type × month that bench/history_reference.py runs
// natively. Timed inside the page (performance.now), one run each. Not a test; bench/history.sh
// runs it after PatrolIQ's own Chromium figures (bench/browser_history.mjs).
//   node bench/duckdb_wasm.mjs FILE...      # prints JSON: {"duckdb-wasm 1.32.0 load csv": seconds, ...}
// Two releases: the current one, whose Parquet reader is an extension it downloads from
// extensions.duckdb.org when first used (this machine's closed network refuses it: the error is
// reported), and 1.28.0 (DuckDB 0.9.1), an earlier one with Parquet built in. Each is installed
// on first use into target/bench/duckdb-wasm-VERSION (not a project dependency: CI never needs
// it).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT, launch } from '../tests/e2e/harness.mjs';

// DUCKDB_WASM_VERSIONS=1.32.0 leaves out the old release (its Parquet load of the whole
// history took six minutes).
export const VERSIONS = (process.env.DUCKDB_WASM_VERSIONS || '1.32.0,1.28.0').split(',');
const DIST = '/nm/@duckdb/duckdb-wasm/dist';

/** Installs one release (and its apache-arrow) once; returns its node_modules. */
function install(version) {
  const home = path.join(ROOT, `target/bench/duckdb-wasm-${version}`);
  const modules = path.join(home, 'node_modules');
  const manifest = path.join(modules, '@duckdb/duckdb-wasm/package.json');
  if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).version === version) return modules;
  fs.mkdirSync(home, { recursive: true });
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', home,
    `@duckdb/duckdb-wasm@${version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return modules;
}

// The page: DuckDB's module resolves 'apache-arrow' (and Arrow its 'flatbuffers' and 'tslib')
// through an import map, as a bundler would.
const PAGE = `<!doctype html><meta charset="utf-8"><title>duckdb-wasm</title>
<script type="importmap">{"imports": {
  "apache-arrow": "/nm/apache-arrow/Arrow.dom.mjs",
  "flatbuffers": "/nm/flatbuffers/mjs/flatbuffers.js",
  "tslib": "/nm/tslib/tslib.es6.mjs"}}</script>
<input type="file" id="file">
<script type="module">
import * as duckdb from '${DIST}/duckdb-browser.mjs';
const worker = new Worker('${DIST}/duckdb-browser-eh.worker.js');
const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
await db.instantiate('${DIST}/duckdb-eh.wasm');
const con = await db.connect();
const timed = async (sql) => { const t = performance.now(); const r = await con.query(sql); return [(performance.now() - t) / 1000, r]; };
window.bench = {
  version: await db.getVersion(),
  async load(withCount) {
    const file = document.querySelector('#file').files[0];
    await db.registerFileHandle(file.name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const out = {};
    try {
      [out.load] = await timed(\`CREATE OR REPLACE TABLE t AS SELECT * FROM '\${file.name}'\`);
      out.rows = Number((await con.query('SELECT count(*) AS n FROM t')).getChildAt(0).get(0));
      if (withCount) {
        const [s, r] = await timed('SELECT "Primary Type", date_trunc(\\'month\\', "Date") AS m, count(*) FROM t GROUP BY ALL');
        [out.count, out.groups] = [s, r.numRows];
      }
    } catch (e) {
      out.error = String(e.message || e).slice(0, 300);
    }
    await con.query('DROP TABLE IF EXISTS t');
    await db.dropFile(file.name);
    return out;
  },
};
window.ready = true;
</script>`;

function serve(modules) {
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(PAGE);
    }
    const file = path.join(modules, decodeURIComponent(url.pathname).replace(/^\/nm\//, ''));
    if (!url.pathname.startsWith('/nm/') || !file.startsWith(modules)) { res.writeHead(404); return res.end(); }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'content-length': st.size });
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/**
 * Loads each file into DuckDB-WASM in a Chromium of its own; the type × month count runs on the
 * first CSV (the Parquet `patroliq prepare` writes stores seconds, not the portal's dates).
 * Returns {stage: seconds} with the keys bench/history_table.py reads.
 */
export async function duckdbWasm(files, version = VERSIONS[0]) {
  const server = await serve(install(version));
  const browser = await launch({ own: true });
  const out = {};
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('[duckdb-wasm page]', e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 120_000 });
    const key = `duckdb-wasm ${version}`;
    out[`${key} engine`] = await page.evaluate(() => window.bench.version);
    let counted = false;
    for (const file of files) {
      const kind = file.endsWith('.gz') ? 'csv.gz' : path.extname(file).slice(1);
      await page.setInputFiles('#file', file);
      const withCount = kind === 'csv' && !counted;
      const r = await page.evaluate((c) => window.bench.load(c), withCount);
      if (r.error) out[`${key} load ${kind} error`] = r.error;
      else out[`${key} load ${kind}`] = Math.round(r.load * 1000) / 1000;
      if (r.rows !== undefined) out[`${key} rows ${kind}`] = r.rows;
      if (r.count !== undefined) {
        counted = true;
        out[`${key} type x month`] = Math.round(r.count * 1000) / 1000;
        out[`${key} type x month groups`] = r.groups;
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = {};
  for (const v of VERSIONS) Object.assign(out, await duckdbWasm(process.argv.slice(2), v));
  console.log(JSON.stringify(out, null, 1));
}
