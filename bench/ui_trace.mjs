// What the UI thread's long tasks are made of, in headless Chromium: loads FILE through the file
// input and walks the pages as bench/browser_pipeline.mjs does, with Chromium's timeline and its
// CPU profiler tracing the page; then lists every task over 50 ms on the page's main thread with
// the timeline events and the JavaScript / WebAssembly functions that took its time (self time,
// from the profiler's samples). Not a test. After `trunk build --release`:
//   node bench/ui_trace.mjs FILE [PAGES]     PAGES: comma-separated, default every page
// The whole trace is left in target/bench/ui-trace.json (chrome://tracing or DevTools opens it).
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, loadFile, ROOT } from '../tests/e2e/harness.mjs';

const FILE = path.resolve(process.argv[2] || '');
if (!process.argv[2] || !fs.existsSync(FILE)) {
  console.error('usage: node bench/ui_trace.mjs FILE [PAGES]');
  process.exit(64);
}
const PAGES = (process.argv[3] || 'home,explore,hotspots,when,shape,heatmaps,patrol,backtest,experiments').split(',');
const OUT = path.join(ROOT, 'target/bench');
fs.mkdirSync(OUT, { recursive: true });

const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server.url);
// Each chart's draw, timed: Plotly.react's synchronous part is where its task goes.
await page.evaluate(() => {
  window.__draws = [];
  const react = window.Plotly.react;
  window.Plotly.react = function (id, fig, ...rest) {
    const t = performance.now();
    const r = react.call(this, id, fig, ...rest);
    const n = (fig?.data || []).reduce((a, d) => a + (d.x?.length || d.lat?.length || d.z?.length || 0), 0);
    window.__draws.push({ id: String(id), ms: performance.now() - t, points: n, at: location.hash });
    return r;
  };
});
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Tracing.start', {
  transferMode: 'ReturnAsStream',
  traceConfig: {
    includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute',
      'blink.user_timing', 'disabled-by-default-v8.cpu_profiler', 'toplevel'],
  },
});
// Marks in the trace where each step starts, to name the step a task belongs to.
const mark = (name) => page.evaluate((n) => performance.mark(`step:${n}`), name);
await mark('load');
await loadFile(page, FILE, 900_000);
await page.waitForTimeout(2_000);
for (const p of PAGES) {
  await mark(p);
  await page.click(`#nav-${p}`);
  await page.waitForTimeout(500);
  await page.waitForFunction(() => !document.querySelector('[id$="-progress"], #progress'), null, { timeout: 900_000 });
  await page.waitForTimeout(2_000);
}
const draws = await page.evaluate(() => window.__draws);
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end');
const { stream } = await done;
let json = '';
for (;;) {
  const { data, eof, base64Encoded } = await cdp.send('IO.read', { handle: stream, size: 1 << 22 });
  json += base64Encoded ? Buffer.from(data, 'base64').toString() : data;
  if (eof) break;
}
await cdp.send('IO.close', { handle: stream });
await browser.close();
await server.close();
fs.writeFileSync(path.join(OUT, 'ui-trace.json'), json);

const parsed = JSON.parse(json);
const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
// The page's main thread: the renderer thread that ran the step marks.
const markEv = events.filter((e) => e.name?.startsWith('step:'));
const main = markEv[0] && { pid: markEv[0].pid, tid: markEv[0].tid };
if (!main) { console.error('no step marks in the trace'); process.exit(1); }
const steps = markEv.map((e) => ({ name: e.name.slice(5), ts: e.ts })).sort((a, b) => a.ts - b.ts);
const stepAt = (ts) => steps.filter((s) => s.ts <= ts).pop()?.name ?? 'before';
const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
const tasks = onMain.filter((e) => e.name === 'RunTask' && e.dur > 50_000);

// The CPU profile of the main thread: nodes and (timestamp, node) samples.
const nodes = new Map();
const samples = [];
const profiles = new Map();
for (const e of events) {
  if (e.pid !== main.pid) continue;
  if (e.name === 'Profile') profiles.set(e.id, { tid: e.tid, t: e.args.data.startTime });
  if (e.name !== 'ProfileChunk') continue;
  const prof = profiles.get(e.id);
  if (!prof || prof.tid !== main.tid) continue;
  const cp = e.args.data.cpuProfile || {};
  for (const n of cp.nodes || []) nodes.set(`${e.id}:${n.id}`, n);
  const deltas = e.args.data.timeDeltas || [];
  (cp.samples || []).forEach((s, i) => {
    prof.t += deltas[i] || 0;
    samples.push({ ts: prof.t, node: `${e.id}:${s}` });
  });
}
const fname = (n) => {
  const f = n?.callFrame || {};
  const where = f.url ? ` ${path.basename(f.url)}` : '';
  return `${f.functionName || '(anonymous)'}${where}`;
};

console.log('charts drawn (Plotly.react, synchronous part), slowest first:');
for (const d of draws.sort((a, b) => b.ms - a.ms).slice(0, 15)) {
  console.log(`  ${d.at.padEnd(14)} ${d.id.padEnd(24)} ${d.ms.toFixed(0).padStart(5)} ms  ${d.points} values`);
}
console.log(`\n${tasks.length} tasks over 50 ms on the UI thread\n`);
for (const t of tasks) {
  const end = t.ts + t.dur;
  // Timeline events inside the task, by self time (their time less their children's).
  const inner = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= end && e.dur > 0)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  for (const e of inner) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const key = e.name === 'FunctionCall' || e.name === 'EvaluateScript'
      ? `${e.name} ${e.args?.data?.functionName || ''} ${path.basename(e.args?.data?.url || '')}`.trim() : e.name;
    self.set(key, (self.get(key) || 0) + e.dur);
    if (stack.length) {
      const p = stack[stack.length - 1];
      self.set(p.key, (self.get(p.key) || 0) - e.dur);
    }
    stack.push({ ts: e.ts, dur: e.dur, key });
  }
  const byFn = new Map();
  for (const s of samples) {
    if (s.ts < t.ts || s.ts > end) continue;
    const k = fname(nodes.get(s.node));
    byFn.set(k, (byFn.get(k) || 0) + 1);
  }
  const nSamples = [...byFn.values()].reduce((a, b) => a + b, 0);
  console.log(`${stepAt(t.ts)}: task of ${(t.dur / 1000).toFixed(0)} ms`);
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log('  timeline: ' + top.map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', '));
  const fns = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 10);
  console.log(`  functions (${nSamples} samples): ` + fns.map(([k, v]) => `${k} ${(100 * v / nSamples).toFixed(0)}%`).join(', '));
}
