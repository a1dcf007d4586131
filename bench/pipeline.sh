#!/usr/bin/env bash
# The whole-pipeline benchmark (README, "Performance"): `patroliq bench` natively, the same
# pipeline in headless Chromium (bench/browser_pipeline.mjs, the real WebAssembly build; skipped
# with NO_BROWSER=1) and bench/reference_pipeline.py (scikit-learn, umap-learn, OR-Tools) on the
# same file and machine, then the table of ratios (bench/table.py). Not a test: run it on a quiet
# machine.
#   bench/pipeline.sh                 # the 500,000-row sample, 3 runs each
#   RUNS=1 bench/pipeline.sh FILE     # any portal export (CSV, CSV.gz, Parquet)
#   bench/pipeline.sh --scale         # 1.7 million rows: the sample and the 2012–2016 extra file
#   bench/pipeline.sh --history       # 8.3 million rows (the whole history, bench/history.sh's
#                                     # Parquet): every stage that runs on all rows, once, natively
#                                     # and in Chromium (no page walk, no maps), beside
#                                     # bench/history_clusters.py (scikit-learn's K-Means,
#                                     # genieclust, fast-hdbscan); HISTORY_SIZES=1000000,0 sets the
#                                     # row counts the references try (0: every row)
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
if [ "$FILE" = "--history" ]; then
  # The Parquet of bench/history.sh (or the one of target/fixtures), made when neither is there.
  PQ=$OUT/history.parquet
  [ -s "$PQ" ] || PQ=target/fixtures/history_8.3m.parquet
  if [ ! -s "$PQ" ]; then
    PQ=$OUT/history.parquet
    cargo build --release -p patroliq-cli -p patroliq-core --example whole_history
    target/release/examples/whole_history "$OUT/history.csv.part" "${ROWS:-8300000}"
    mv "$OUT/history.csv.part" "$OUT/history.csv"
    target/release/patroliq prepare "$OUT/history.csv" "$PQ.part" && mv "$PQ.part" "$PQ"
  fi
  STAGES=${STAGES:-load,features,eda,kmeans,dbscan,hierarchical,hdbscan,temporal,pca,risk,route,backtest}
  cargo build --release -p patroliq-cli
  scripts/python_venv.sh
  target/release/patroliq bench "$PQ" --runs 1 --only "$STAGES" --json > "$OUT/ours-history.json"
  BROWSER_JSON=()
  if [ -z "${NO_BROWSER:-}" ]; then
    scripts/setup.sh --browser
    trunk build --release
    # The browser names its JSON after the file.
    WALK=0 BESIDE=0 ONLY="${STAGES#load,}" node bench/browser_pipeline.mjs "$PQ" 1
    cp "$OUT/browser-$(basename "$PQ" | sed 's/\..*//').json" "$OUT/browser-history.json"
    BROWSER_JSON=("$OUT/browser-history.json")
  fi
  .venv/bin/python bench/history_clusters.py "$PQ" --sizes "${HISTORY_SIZES:-1000000,2000000,4000000,0}" \
    > "$OUT/reference-history-clusters.json"
  python3 bench/history_pipeline_table.py "$OUT/ours-history.json" "$OUT/reference-history-clusters.json" \
    "${BROWSER_JSON[@]:-/dev/null}" "$OUT/history-reference.json" | tee "$OUT/pipeline-history.md"
  exit 0
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
