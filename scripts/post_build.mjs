// Trunk post-build hook (Trunk.toml): run on the staging folder before it becomes dist/.
//  1. Writes the service worker's file list and version into sw.js (offline use).
//  2. Adds the Content-Security-Policy to index.html as a <meta> (with the hash of the one inline
//     module script trunk writes) and writes `_headers` with the same policy and the other headers
//     a host should send (README, "Hosting").
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run through `trunk build`');

const files = [];
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else files.push(path.relative(dir, p).split(path.sep).join('/'));
  }
})(dir);

// 2. CSP. Inline scripts are allowed by hash only; WebAssembly needs 'wasm-unsafe-eval' (not eval).
const indexPath = path.join(dir, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1]).digest('base64')}'`);
const csp = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  // The street maps (opt-in) run MapLibre's workers from blob: URLs; MapLibre fetches the tiles
  // (connect-src https:) and decodes them as images (img-src names the tile server).
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  // Plotly and the components set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://*.tile.openstreetmap.org https://tile.openstreetmap.org",
  // Data the user asks for: a URL, the Chicago Data Portal, an MLflow server (often local).
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  'manifest-src \'self\'',
].join('; ');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n  <meta http-equiv="Content-Security-Policy" content="${csp}" />`);
fs.writeFileSync(indexPath, html);
fs.writeFileSync(path.join(dir, '_headers'), `/*
  Content-Security-Policy: ${csp}; frame-ancestors 'none'
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()
  Cross-Origin-Opener-Policy: same-origin
/sw.js
  Cache-Control: no-cache
/index.html
  Cache-Control: no-cache
`);

// 1. The service worker: every file but itself and the host's header file, and a version that
// changes whenever any of them does.
const cached = files.filter((f) => f !== 'sw.js' && f !== '_headers').sort();
const version = crypto.createHash('sha256');
for (const f of cached) version.update(f).update(fs.readFileSync(path.join(dir, f)));
const swPath = path.join(dir, 'sw.js');
let sw = fs.readFileSync(swPath, 'utf8');
sw = sw.replace("const VERSION = 'dev';", `const VERSION = '${version.digest('hex').slice(0, 16)}';`);
sw = sw.replace('const FILES = [];', `const FILES = ${JSON.stringify(['./', ...cached.map((f) => `./${f}`)])};`);
fs.writeFileSync(swPath, sw);
console.log(`post_build: ${cached.length} files for offline use; CSP with ${hashes.length} inline script hash(es)`);
