#!/usr/bin/env bash
# The whole-history benchmark (issue #38; README, "Performance"): the portal's full size, 8.3 M
# real rows (examples/whole_history: the shared sample and 2012–2016 file repeated, IDs offset,
# years shifted back to 2001), made here at run time and never committed, as CSV, CSV.gz and the
# Parquet `patroliq prepare` writes. Times load and EDA natively (`patroliq bench`), in headless
# Chromium (bench/browser_history.mjs, the real WebAssembly build; NO_BROWSER=1 skips it) beside
# DuckDB-WASM in the same Chromium (bench/duckdb_wasm.mjs), and the same loads and a type × month
# count with DuckDB and pyarrow natively (bench/history_reference.py), on the same files and
# machine, one run each; peak memory per stage natively. Not a test.
#   bench/history.sh            # writes target/bench/history.md
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
ROWS=${ROWS:-8300000}
cargo build --release -p patroliq-cli -p patroliq-core --example whole_history
scripts/python_venv.sh
CSV=$OUT/history.csv
[ -s "$CSV" ] || { target/release/examples/whole_history "$CSV.part" "$ROWS" && mv "$CSV.part" "$CSV"; }
[ -s "$CSV.gz" ] || { gzip -1 -c "$CSV" > "$CSV.gz.part" && mv "$CSV.gz.part" "$CSV.gz"; }
PQ=$OUT/history.parquet
[ -s "$PQ" ] || { target/release/patroliq prepare "$CSV" "$PQ.part" && mv "$PQ.part" "$PQ"; }

for f in "$CSV" "$CSV.gz"; do
  target/release/patroliq bench "$f" --runs 1 --only load --json > "$OUT/history-ours-$(basename "$f").json"
done
# Every stage that runs on all rows, on the Parquet (the load is the same table).
target/release/patroliq bench "$PQ" --runs 1 --only "${STAGES:-load,eda,kmeans,risk}" --json > "$OUT/history-ours-parquet.json"
.venv/bin/python bench/history_reference.py "$CSV" "$CSV.gz" "$PQ" > "$OUT/history-reference.json"
if [ -z "${NO_BROWSER:-}" ]; then
  scripts/setup.sh --browser
  trunk build --release
  node bench/browser_history.mjs "$CSV" "$CSV.gz" "$PQ" > "$OUT/history-browser.json"
fi
python3 bench/history_table.py "$OUT" | tee "$OUT/history.md"
