#!/usr/bin/env bash
# The large maps' benchmark (docs/performance.md, "Maps of 100,000 points"): PatrolIQ's UMAP and
# t-SNE natively (NN-descent k-NN, FFT-interpolated t-SNE above 20,000 points) against umap-learn
# and openTSNE on the same standardised matrix and machine, one run each, all on one thread;
# then every map's trustworthiness on the app's 2,000 query points, and the ratios. Not a test:
# run it on a quiet machine.
#   bench/embed_large.sh            # 100,000 incidents of the real sample
#   bench/embed_large.sh 50000      # any sample size (100 to 100,000)
# Writes target/bench/embed-N/ (the matrix, the maps, ours.json, reference.json, trust.json,
# table.md).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${PATROLIQ_DATA_DIR:-$(cd .. && pwd)/shared/data}
N=${1:-100000}
DIR=target/bench/embed-$N
mkdir -p "$DIR"
cargo build --release -p patroliq-core --example embed_large
BIN=target/release/examples/embed_large
scripts/python_venv.sh
"$BIN" prepare "$DATA/chicago_crimes_sample.csv.gz" "$N" "$DIR"
"$BIN" ours "$DIR" > "$DIR/ours.json"
.venv/bin/python bench/embed_large.py "$DIR" > "$DIR/reference.json"
"$BIN" trust "$DIR" ours-umap.f32 umap-learn.f32 ours-tsne.f32 opentsne.f32 > "$DIR/trust.json"
python3 - "$DIR" <<'PY' | tee "$DIR/table.md"
import json, sys
from pathlib import Path
d = Path(sys.argv[1])
ours = {o["method"]: o for o in json.loads((d / "ours.json").read_text())}
ref = {r["method"]: r for r in json.loads((d / "reference.json").read_text())}
trust = json.loads((d / "trust.json").read_text())
print("| map | rows | PatrolIQ (k-NN + layout) | reference | ratio (reference ÷ ours) | trustworthiness ours / reference |")
print("| --- | ---: | ---: | ---: | ---: | --- |")
for m, mine, theirs in [("umap", "ours-umap.f32", "umap-learn.f32"), ("tsne", "ours-tsne.f32", "opentsne.f32")]:
    o, r = ours[m], ref[m]
    print(f"| {m.upper() if m == 'umap' else 't-SNE'} | {o['rows']:,} | {o['map_s']:.1f} s ({o['knn_s']:.1f} + {o['layout_s']:.1f}) "
          f"| {r['library']}: {r['total_s']:.1f} s | {r['total_s'] / o['map_s']:.2f} | {trust[mine]:.4f} / {trust[theirs]:.4f} |")
PY
