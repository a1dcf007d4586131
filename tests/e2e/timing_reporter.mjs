// A node:test reporter that prints each e2e file's time (the sum of its top-level suites and
// tests, hooks included), slowest first: scripts/test.sh shows it under the phase times, so the
// next slow file is seen the day it lands.
import path from 'node:path';

export default async function* timing(source) {
  const files = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0) {
      const file = path.basename(event.data.file ?? event.data.name);
      const f = files.get(file) ?? { ms: 0, failed: false };
      f.ms += event.data.details?.duration_ms ?? 0;
      f.failed ||= event.type === 'test:fail';
      files.set(file, f);
    }
  }
  const rows = [...files].sort((a, b) => b[1].ms - a[1].ms);
  for (const [file, f] of rows) yield `${String(Math.round(f.ms / 1000)).padStart(6)} s  ${file}${f.failed ? '  (failed)' : ''}\n`;
}
