// Where a t-SNE or UMAP map's time goes in headless Chromium (the real WebAssembly build): loads
// FILE, makes one map on the Shape page and reads its progress bar every 20 ms. The bar's stages
// are fixed (reduce/embed.rs: features 0–3 %, k-NN 3–30 %, layout 30–92 %, trustworthiness
// 92–100 %), so the times it reaches their ends split the run. Not a test. After
// `trunk build --release`:
//   node bench/map_stages.mjs FILE umap|tsne N   → the stages, and target/bench/map-METHOD.png
import path from 'node:path';
import { serve, launch, openApp, loadFile, ROOT } from '../tests/e2e/harness.mjs';

const [file, method = 'umap', n = '20000'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/map_stages.mjs FILE umap|tsne N');
  process.exit(64);
}
const server = await serve();
const browser = await launch();
const page = await openApp(browser.context, server.url);
await loadFile(page, path.resolve(file), 300_000);
await page.click('#nav-shape');
await page.waitForSelector('#map-run:not([disabled])', { timeout: 120_000 });
await page.waitForFunction(() => !document.querySelector('[id$="-progress"]'), null, { timeout: 300_000 });
await page.selectOption('#map-method', method);
await page.fill('#map-sample', n);
const t0 = Date.now();
await page.click('#map-run');
const marks = [];
for (let last = -1; ;) {
  const v = await page.evaluate(() => {
    const p = document.querySelector('#map-progress progress');
    return p ? Number(p.value) : null;
  });
  if (v === null && Date.now() - t0 > 500) break;
  if (v !== null && v !== last) {
    marks.push([Date.now() - t0, v]);
    last = v;
  }
  await new Promise((r) => setTimeout(r, 20));
}
const total = Date.now() - t0;
const reached = (x) => (marks.find(([, v]) => v >= x) || [total])[0];
const [knn, layout] = [reached(0.03 + 0.97 * 0.28), reached(0.03 + 0.97 * 0.92)];
console.log(`${method} of ${n}: ${total} ms in all (worker: ${await page.getAttribute('#map-results', 'data-ms')} ms); ` +
  `features and k-NN ${knn} ms, layout ${layout - knn} ms, trustworthiness and drawing ${total - layout} ms`);
await page.waitForSelector('#chart-embedding .main-svg');
await page.locator('#chart-embedding').screenshot({ path: path.join(ROOT, `target/bench/map-${method}.png`) });
await browser.close();
server.close();
