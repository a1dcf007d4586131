#!/usr/bin/env bash
# The whole-pipeline benchmark (README, "Performance"): `patroliq bench` natively, the same
# pipeline in headless Chromium (bench/browser_pipeline.mjs, the real WebAssembly build; skipped
# with NO_BROWSER=1) and bench/reference_pipeline.py (scikit-learn, umap-learn, OR-Tools) on the
# same file and machine, then the table of ratios (bench/table.py). Not a test: run it on a quiet
# machine.
#   bench/pipeline.sh                 # the 500,000-row sample, 3 runs each
#   RUNS=1 bench/pipeline.sh FILE     # any portal export (CSV, CSV.gz, Parquet)
#   bench/pipeline.sh --scale         # 1.7 million rows: the sample and the 2012–2016 extra file
# Writes target/bench/{ours,browser,reference}-NAME.json and pipeline-NAME.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${PATROLIQ_DATA_DIR:-$(cd .. && pwd)/shared/data}
RUNS=${RUNS:-3}
OUT=target/bench
mkdir -p "$OUT"
FILE=${1:-$DATA/chicago_crimes_sample.csv.gz}
if [ "$FILE" = "--scale" ]; then
  # One file of both (the same header), made here at run time and never committed.
  FILE=$OUT/chicago_crimes_1.7m.csv.gz
  if [ ! -s "$FILE" ]; then
    { zcat "$DATA/chicago_crimes_sample.csv.gz"; zcat "$DATA/chicago_crimes_2012_2016_extra.csv.gz" | tail -n +2; } \
      | gzip -1 > "$FILE.part" && mv "$FILE.part" "$FILE"
  fi
fi
NAME=$(basename "$FILE" | sed 's/\..*//')
cargo build --release -p patroliq-cli
scripts/python_venv.sh
target/release/patroliq bench "$FILE" --runs "$RUNS" --beside --json > "$OUT/ours-$NAME.json"
BROWSER_JSON=()
if [ -z "${NO_BROWSER:-}" ]; then
  scripts/setup.sh --browser
  trunk build --release
  node bench/browser_pipeline.mjs "$FILE" "${WEB_RUNS:-$RUNS}"
  BROWSER_JSON=("$OUT/browser-$NAME.json")
fi
.venv/bin/python bench/reference_pipeline.py "$FILE" "${REF_RUNS:-$RUNS}" > "$OUT/reference-$NAME.json"
python3 bench/table.py "$OUT/ours-$NAME.json" "$OUT/reference-$NAME.json" "${BROWSER_JSON[@]}" \
  | tee "$OUT/pipeline-$NAME.md"
