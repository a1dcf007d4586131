"""The large maps' benchmark, the reference side: umap-learn and openTSNE on the matrix that
`embed_large prepare` wrote (the app's standardised sample), timed on this machine, maps written
beside it for `embed_large trust` to score on the app's query points.

Both run on one thread, as PatrolIQ's map does (one Web Worker): umap-learn is single-threaded
once seeded (random_state), openTSNE with n_jobs=1. umap-learn's numba compile is done before
the clock (a warm-up map of 2,000 rows). openTSNE: FFT repulsion and its defaults (250
exaggerated + 500 iterations, PatrolIQ's 750 at this size); umap-learn: its defaults (15 neighbours,
min_dist 0.1, 200 epochs above 10,000 rows).

Run: .venv/bin/python bench/embed_large.py DIR > DIR/reference.json
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import openTSNE
import umap

d = Path(sys.argv[1])
meta = json.loads((d / "matrix.json").read_text())
X = np.fromfile(d / "matrix.f32", dtype="<f4").reshape(meta["rows"], meta["dim"])

umap.UMAP(random_state=0).fit_transform(X[:2000])
out = []
t0 = time.perf_counter()
um = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=0).fit_transform(X)
t1 = time.perf_counter()
um.astype("<f4").tofile(d / "umap-learn.f32")
out.append({"method": "umap", "library": f"umap-learn {umap.__version__ if hasattr(umap, '__version__') else ''}",
            "rows": len(X), "total_s": t1 - t0})
print(json.dumps(out[-1]), file=sys.stderr)
t0 = time.perf_counter()
ts = openTSNE.TSNE(perplexity=30, n_iter=500, negative_gradient_method="fft", n_jobs=1, random_state=0).fit(X)
t1 = time.perf_counter()
np.asarray(ts).astype("<f4").tofile(d / "opentsne.f32")
out.append({"method": "tsne", "library": f"openTSNE {openTSNE.__version__}", "rows": len(X), "total_s": t1 - t0})
print(json.dumps(out[-1]), file=sys.stderr)
print(json.dumps(out))
