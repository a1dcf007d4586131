// Experiment tracking in real headless Chromium: two clusterings are logged, survive a reload
// (IndexedDB), are compared, sorted and filtered; exported as JSON and CSV, deleted and imported
// back exactly; a bad import changes nothing; a run re-opens with its parameters; and runs are
// pushed to a real MLflow tracking server (from PyPI, started here on 127.0.0.1 with CORS for
// this origin), checked through MLflow's own REST API, with a failed push retried.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { serve, launch, openApp, text, num, shot, ROOT, saved } from './harness.mjs';

const MLFLOW = process.env.PATROLIQ_MLFLOW || path.join(ROOT, '.venv-mlflow/bin/mlflow');

let server, browser, page;

async function cluster(k) {
  const before = await page.getAttribute('#cluster-results', 'data-run').catch(() => null);
  await page.fill('#cluster-k', String(k));
  await page.click('#cluster-run');
  await page.waitForFunction(
    (before) => {
      const r = document.querySelector('#cluster-results');
      return !document.querySelector('#cluster-progress') && r && r.dataset.run !== before;
    },
    before, { timeout: 120_000 });
}

async function rows() {
  return page.locator('#runs-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    id: tr.dataset.id,
    kind: tr.querySelector('.kind').textContent,
    title: tr.querySelector('.title').textContent,
    metric: tr.querySelector('.metric').textContent,
    mlflow: tr.querySelector('.mlflow').textContent,
  })));
}

async function experiments() {
  await page.click('#nav-experiments');
  await page.waitForSelector('#runs-table');
}

async function download(click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(click)]);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(await saved(dl), 'utf8') };
}

async function pickAll() {
  if (!(await page.isChecked('#pick-all'))) await page.click('#pick-all');
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

describe('experiment tracking', () => {
  let silhouette4;
  let exported;

  before(async () => {
    server = await serve();
    browser = await launch();
    page = await openApp(browser.context, server.url);
    page.on('dialog', (d) => d.accept());
  });
  after(async () => { await browser?.close(); await server?.close(); });

  it('logs two clusterings, keeps them across a reload, compares, sorts and filters them', async () => {
    await page.click('#nav-hotspots');
    // The page opens with K-Means k = 9 by itself: the first logged run.
    await page.waitForSelector('#cluster-results[data-algo="kmeans"]', { timeout: 120_000 });
    await cluster(4);
    silhouette4 = await text(page, '#metric-silhouette .kpi-value');
    await experiments();
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 2);
    let logged = await rows();
    assert.deepEqual(logged.map((r) => r.title).sort(), ['K-Means k=4', 'K-Means k=9']);
    assert.ok(logged.every((r) => r.kind === 'cluster'));
    const k4 = logged.find((r) => r.title === 'K-Means k=4');
    assert.equal(Number(k4.metric).toFixed(3), silhouette4, 'the logged silhouette is the page\'s');

    await page.reload();
    await page.waitForSelector('#runs-table');
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 2);
    assert.deepEqual((await rows()).map((r) => r.id).sort(), logged.map((r) => r.id).sort(), 'both runs survive a reload');

    // Sort by the metric column (silhouette), highest first, then lowest first.
    await page.click('#runs-table th[data-sort="metric"]');
    logged = await rows();
    assert.ok(Number(logged[0].metric) >= Number(logged[1].metric));
    await page.click('#runs-table th[data-sort="metric"]');
    logged = await rows();
    assert.ok(Number(logged[0].metric) <= Number(logged[1].metric));

    await page.fill('#runs-search', 'k=4');
    assert.deepEqual((await rows()).map((r) => r.title), ['K-Means k=4']);
    assert.equal(await text(page, '#runs-count'), '1 of 2 runs shown');
    await page.fill('#runs-search', '');
    await page.selectOption('#runs-kind', 'pca');
    assert.equal((await rows()).length, 0);
    await page.selectOption('#runs-kind', '');

    await pickAll();
    await page.waitForSelector('#compare-params');
    assert.equal(await text(page, '#compare h2'), 'Compare 2 runs');
    const differing = await page.locator('#compare-params tr.differs').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
    assert.deepEqual(differing, ['algo.k'], 'only k differs between the two runs');
    const kCells = await page.locator('#compare-params tr[data-key="algo.k"] td').allTextContents();
    assert.deepEqual(kCells.slice(1).sort(), ['4', '9']);
    assert.ok(await page.locator('#compare-metrics tr[data-key="silhouette"]').count());
    await page.waitForSelector('#compare-bars .main-svg');
    assert.equal(await page.locator('#compare-bars .bars .point').count(), 2);
    assert.equal(await page.inputValue('#trend-x'), 'params.algo.k');
    assert.equal(await page.inputValue('#trend-y'), 'silhouette');
    await page.waitForSelector('#trend-chart .main-svg');
    assert.equal(await page.locator('#trend-chart .scatterlayer .point').count(), 2);
    await shot(page, 'experiments-compare');
  });

  it('exports JSON and CSV, imports the JSON back exactly, and refuses a bad file whole', async () => {
    await pickAll();
    const json = await download('#export-json');
    assert.match(json.name, /^patroliq-runs-\d{8}\.json$/);
    exported = JSON.parse(json.text);
    assert.equal(exported.format, 'patroliq-runs');
    assert.equal(exported.runs.length, 2);
    assert.ok(exported.runs.every((r) => r.metrics.silhouette > -1 && r.artifacts[0].name === 'centroids.geojson'));
    const csv = (await download('#export-csv')).text.trim().split('\n');
    assert.equal(csv.length, 3);
    const head = csv[0].split(',');
    assert.ok(head.includes('param.algo.k') && head.includes('metric.silhouette'), head.join(','));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroliq-runs-'));
    const file = path.join(dir, 'runs.json');
    fs.writeFileSync(file, json.text);
    await page.click('#delete-runs');
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 0);

    await page.setInputFiles('#import-runs', file);
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 2);
    assert.match(await text(page, '#runs-message'), /^Imported 2 of the 2 runs in runs\.json\.$/);
    await pickAll();
    const again = JSON.parse((await download('#export-json')).text);
    const byId = (a) => [...a.runs].sort((x, y) => x.id.localeCompare(y.id));
    assert.deepEqual(byId(again), byId(exported), 'an import round-trips exactly');

    for (const [name, content, message] of [
      ['other.json', '{"hello": 1}', /not a PatrolIQ runs export/],
      ['cut.json', json.text.slice(0, json.text.length / 2), /not a JSON file/],
      ['broken.json', json.text.replace('"silhouette":', '"silhouette": "high", "x":'), /run \d of the file is not valid/],
    ]) {
      const bad = path.join(dir, name);
      fs.writeFileSync(bad, content);
      await page.setInputFiles('#import-runs', bad);
      await page.waitForFunction((n) => document.querySelector('#runs-message')?.textContent.startsWith(n), name);
      assert.match(await text(page, '#runs-message'), message);
      assert.match(await text(page, '#runs-message'), /nothing was imported/);
      assert.equal((await rows()).length, 2, `${name} changed nothing`);
    }
    await page.setInputFiles('#import-runs', file);
    await page.waitForFunction(() => document.querySelector('#runs-message')?.textContent.includes('already here'));
    assert.match(await text(page, '#runs-message'), /Imported 0 of the 2 runs .* 2 were already here/);
    assert.equal((await rows()).length, 2);
    await shot(page, 'experiments-import');
  });

  it('re-opens a run with its filter and parameters', async () => {
    const k4 = (await rows()).find((r) => r.title === 'K-Means k=4');
    await page.click(`#runs-table tr[data-id="${k4.id}"] .reopen`);
    await page.waitForSelector('#reopened');
    assert.ok(page.url().endsWith('#hotspots'));
    assert.equal(await page.inputValue('#cluster-k'), '4');
    await page.waitForFunction(() => document.querySelector('#cluster-results h2')?.textContent.match(/^4 (hotspots|areas) /), null, { timeout: 120_000 });
    assert.equal(await text(page, '#metric-silhouette .kpi-value'), silhouette4, 'the same data gives the same result');
    await shot(page, 'experiments-reopened');
    // The re-run is logged too.
    await experiments();
    await page.waitForFunction(() => document.querySelectorAll('#runs-table tbody tr').length === 3);
  });

  it('logs every kind of analysis, and re-opens a temporal run with its form', async () => {
    const waitFor = (sel) => page.waitForSelector(sel, { timeout: 180_000 });
    await page.click('#nav-when');
    await waitFor('#temporal-results');
    await page.click('#nav-shape');
    await waitFor('#pca-results');
    await page.fill('#map-sample', '1500');
    await page.click('#map-run');
    await waitFor('#map-results');
    await page.click('#nav-patrol');
    await waitFor('#risk-result');
    await page.waitForSelector('#route-run:not([disabled])');
    await page.click('#route-run');
    await waitFor('#route-result');
    await page.click('#nav-backtest');
    await page.click('#bt-run');
    await waitFor('#bt-result');
    await experiments();
    const kinds = new Set((await rows()).map((r) => r.kind));
    for (const k of ['cluster', 'temporal', 'pca', 'embed', 'risk', 'route', 'backtest']) assert.ok(kinds.has(k), `a ${k} run is logged`);
    // Each kind's headline metric is there: the column follows the kind filter.
    for (const [k, metric] of [['route', 'risk_per_min'], ['backtest', 'risk.pai'], ['embed', 'trustworthiness']]) {
      await page.selectOption('#runs-kind', k);
      assert.equal(await page.inputValue('#runs-metric'), metric);
      const [r] = await rows();
      assert.ok(Number.isFinite(Number(r.metric)), `${k}: ${metric} = ${r.metric}`);
    }
    await page.selectOption('#runs-kind', 'temporal');
    const [t] = await rows();
    await page.click(`#runs-table tr[data-id="${t.id}"] .reopen`);
    await page.waitForSelector('#reopened');
    assert.ok(page.url().endsWith('#when'));
    assert.equal(await page.inputValue('#temporal-encoding'), 'cyclical');
    assert.equal(await page.inputValue('#temporal-seed'), '42');
    await waitFor('#temporal-results');
    // A route re-opens with its risk grid first (its hotspots are the stops), both forms filled.
    await experiments();
    await page.selectOption('#runs-kind', 'route');
    const [r] = await rows();
    await page.click(`#runs-table tr[data-id="${r.id}"] .reopen`);
    await page.waitForSelector('#reopened');
    assert.ok(page.url().endsWith('#patrol'));
    assert.equal(await page.inputValue('#route-stops'), '20');
    await waitFor('#route-result');
    assert.equal(await page.locator('#route-error, #risk-error').count(), 0);
    await experiments();
    await page.selectOption('#runs-kind', '');
  });

  it('pushes picked runs to a real MLflow server, retrying a failure without duplicates', async () => {
    assert.ok(fs.existsSync(MLFLOW), `MLflow is not installed at ${MLFLOW} (scripts/test.sh installs it)`);
    const port = await freePort();
    const origin = server.url.replace(/\/$/, '');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patroliq-mlflow-'));
    const mlflow = spawn(MLFLOW, [
      'server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1',
      '--backend-store-uri', `sqlite:///${dir}/mlflow.db`, '--artifacts-destination', path.join(dir, 'artifacts'),
      '--cors-allowed-origins', origin,
    ], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
    mlflow.stdout.on('data', (d) => { log += d; });
    mlflow.stderr.on('data', (d) => { log += d; });
    const base = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const ok = await fetch(`${base}/health`).then((r) => r.ok).catch(() => false);
        if (ok) break;
        if (Date.now() > deadline || mlflow.exitCode !== null) throw new Error(`MLflow did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const api = async (p, body) => {
        const r = await fetch(`${base}${p}`, body
          ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
          : {});
        return { status: r.status, json: await r.json() };
      };

      // Pick the two first runs (the k = 9 and k = 4 of the import), push to a closed port first.
      await page.selectOption('#runs-kind', '');
      const picked = exported.runs.map((r) => r.id);
      if (await page.isChecked('#pick-all')) await page.click('#pick-all');
      for (const id of picked) await page.check(`#runs-table tr[data-id="${id}"] .pick`);
      await page.fill('#mlflow-url', `http://127.0.0.1:${await freePort()}`);
      await page.fill('#mlflow-experiment', 'PatrolIQ e2e');
      await page.click('#mlflow-push');
      await page.waitForFunction(
        (ids) => ids.every((id) => document.querySelector(`#runs-table tr[data-id="${id}"] .mlflow`)?.textContent.startsWith('failed')),
        picked, { timeout: 60_000 });
      assert.match(await text(page, `#runs-table tr[data-id="${picked[0]}"] .mlflow`), /could not reach the MLflow server/);
      assert.equal(await text(page, '#mlflow-retry'), 'Retry 2 failed');
      await shot(page, 'experiments-mlflow-failed');

      // The server comes back: retry.
      await page.fill('#mlflow-url', base);
      await page.click('#mlflow-retry');
      await page.waitForFunction(
        (ids) => ids.every((id) => document.querySelector(`#runs-table tr[data-id="${id}"] .mlflow`)?.textContent.includes('pushed')),
        picked, { timeout: 60_000 });
      // Pushing a pushed run again completes the same MLflow run: no duplicates.
      await page.click('#mlflow-push');
      await page.waitForFunction(
        (ids) => ids.every((id) => document.querySelector(`#runs-table tr[data-id="${id}"] .mlflow`)?.textContent.includes('pushed')),
        picked, { timeout: 60_000 });
      await shot(page, 'experiments-mlflow-pushed');

      const exp = await api(`/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent('PatrolIQ e2e')}`);
      assert.equal(exp.status, 200, JSON.stringify(exp.json));
      const found = await api('/api/2.0/mlflow/runs/search', { experiment_ids: [exp.json.experiment.experiment_id], max_results: 100 });
      const runs = found.json.runs || [];
      assert.equal(runs.length, 2, 'two runs pushed, each once');
      for (const mine of exported.runs) {
        const theirs = runs.find((r) => r.data.tags.some((t) => t.key === 'patroliq.run_id' && t.value === mine.id));
        assert.ok(theirs, `run ${mine.id} reached MLflow`);
        assert.equal(theirs.info.status, 'FINISHED');
        const params = Object.fromEntries(theirs.data.params.map((p) => [p.key, p.value]));
        assert.equal(params['algo.k'], String(mine.params.algo.k));
        assert.equal(params['sample.size'], String(mine.params.sample.size));
        const metrics = Object.fromEntries(theirs.data.metrics.map((m) => [m.key, m.value]));
        for (const [k, v] of Object.entries(mine.metrics)) assert.equal(metrics[k], v, `metric ${k}`);
        assert.equal(metrics.duration_ms, mine.duration_ms);
        const tags = Object.fromEntries(theirs.data.tags.map((t) => [t.key, t.value]));
        assert.equal(tags['mlflow.runName'], mine.title);
        assert.equal(tags['patroliq.dataset_print'], mine.dataset.fingerprint);
        const files = await api(`/api/2.0/mlflow/artifacts/list?run_id=${theirs.info.run_id}`);
        assert.deepEqual((files.json.files || []).map((f) => f.path), ['centroids.geojson']);
      }
      console.log(`# MLflow: ${runs.length} runs with params, metrics, tags and artifacts at ${base}`);
    } finally {
      // The server and its workers: one process group.
      try { process.kill(-mlflow.pid, 'SIGTERM'); } catch { mlflow.kill('SIGTERM'); }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
