#!/usr/bin/env python3
"""Reference maps of the approximate paths, for `crates/patroliq-core/tests/embed_reference.rs`.

Input: the feature Parquet that `patroliq features` writes for the fixture slice (`reference.csv`,
the first 20,000 records of the real sample). Takes its first 10,000 records, the maps' 20
features (reduce/embed.rs, MAP_FEATURES) with rows holding a missing value left out, standardised
as `standardised` does (StandardScaler), and maps them with umap-learn (pynndescent's k-NN at this
size) and openTSNE (FFT-interpolated repulsion, forced: its "auto" picks Barnes–Hut below 10,000
rows). What the Rust test compares is the trustworthiness at k = 10 (scikit-learn's, exact),
not the coordinates. Output: `embed_reference.json` beside the input.

openTSNE runs its defaults: 250 exaggerated + 500 iterations, the 750 of PatrolIQ's t-SNE on the
FFT path, which follows openTSNE's schedule.

Usage: scripts/embed_reference.py FIXTURE_DIR
Nothing here is committed: the tests make it at run time (scripts/test.sh).
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import openTSNE
import pyarrow.parquet as pq
import umap
from sklearn.manifold import trustworthiness
from sklearn.preprocessing import StandardScaler

MAP_FEATURES = ["hour", "weekday", "month", "is_weekend", "is_night", "is_holiday", "hour_sin", "hour_cos",
                "weekday_sin", "weekday_cos", "month_sin", "month_cos", "x_m", "y_m", "dist_centre_km",
                "density_250m", "is_index_crime", "arrest", "domestic", "severity"]
FIRST = 10_000

out = Path(sys.argv[1])
F = pq.read_table(out / "reference_features.parquet", columns=MAP_FEATURES)
M = np.column_stack([F.column(c).to_numpy() for c in MAP_FEATURES])[:FIRST]
M = M[np.isfinite(M).all(axis=1)]
Z = StandardScaler().fit_transform(M).astype(np.float32)

t0 = time.perf_counter()
um = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=0).fit_transform(Z)
t1 = time.perf_counter()
ts = openTSNE.TSNE(perplexity=30, n_iter=500, negative_gradient_method="fft", random_state=0).fit(Z)
t2 = time.perf_counter()
ref = {
    "first": FIRST,
    "rows": int(len(Z)),
    "umap_trustworthiness": float(trustworthiness(Z, um, n_neighbors=10)),
    "tsne_trustworthiness": float(trustworthiness(Z, np.asarray(ts), n_neighbors=10)),
    "umap_seconds": t1 - t0,
    "tsne_seconds": t2 - t1,
    "umap_learn": umap.__version__ if hasattr(umap, "__version__") else "",
    "opentsne": openTSNE.__version__,
}
(out / "embed_reference.json").write_text(json.dumps(ref, indent=1))
print(f"umap-learn and openTSNE {openTSNE.__version__}: maps of {len(Z)} rows → {out / 'embed_reference.json'}")
print(json.dumps(ref))
