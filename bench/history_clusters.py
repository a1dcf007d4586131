"""The whole history's clustering references (bench/pipeline.sh --history): fast-hdbscan's HDBSCAN
and genieclust's Genie on every row's projected coordinates, where scikit-learn's HDBSCAN and Ward
cannot finish, and scikit-learn's K-Means, which can. Each fit runs in a process of its own (its peak resident memory is its own, and a
fit that runs out of time or memory does not stop the others), on a growing prefix of the rows:
1 M, 2 M, 4 M, then every row, stopping a tool at the first size it does not finish within the
time limit. Numba's compilation is done on 20,000 rows before the clock.

What each tool is given (PatrolIQ's own stages, for the comparison):
- HDBSCAN: fast-hdbscan, min_cluster_size 500, min_samples 50, on every row (duplicates kept:
  8.2 M rows on 0.4 M distinct places). PatrolIQ gives the same answer as HDBSCAN on every row,
  computing core distances and the spanning tree on the distinct places (weighted), then the
  condensed tree on every row.
- kmeans: scikit-learn's KMeans (k = 9, one k-means++ init, Lloyd) on every row, as PatrolIQ's.
- hierarchical: genieclust's Genie (k = 9, Gini threshold 0.3, its default) on every row: an
  MST-based hierarchy of all points. PatrolIQ's is Ward (k = 9) on 200 m micro-cells weighted by
  their rows, so the two are not the same criterion; Genie is the hierarchical method that runs
  on every row at this size, and the one the issue names.

Run: .venv/bin/python bench/history_clusters.py HISTORY.parquet [--threads 1] [--limit 900]
     [--sizes 1000000,2000000,4000000,0]   (0: every row)
Prints JSON: a list of {tool, rows, threads, seconds, peak_mb (the fit's process, coordinates
included), outcome}.
"""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

LAT0, LON0 = 41.88194, -87.62778
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))


def coordinates(path, rows):
    import numpy as np
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = pq.read_table(path, columns=["Latitude", "Longitude"])
    ok = pc.and_(pc.is_valid(t["Latitude"]), pc.is_valid(t["Longitude"]))
    t = t.filter(ok)
    lat = t["Latitude"].to_numpy()
    lon = t["Longitude"].to_numpy()
    xy = np.column_stack([(lon - LON0) * M_PER_DEG_LON, (lat - LAT0) * M_PER_DEG_LAT])
    return xy if rows <= 0 else xy[:rows].copy()


def one(tool, path, rows):
    """One fit, in this process; prints its JSON line."""
    import numpy as np

    xy = coordinates(path, rows)
    if tool == "fast-hdbscan":
        import fast_hdbscan

        def fit(x):
            return fast_hdbscan.HDBSCAN(min_cluster_size=500, min_samples=50).fit(x).labels_
    elif tool == "genieclust":
        import genieclust

        def fit(x):
            return genieclust.Genie(n_clusters=9).fit_predict(x)
    elif tool == "sklearn-kmeans":
        from sklearn.cluster import KMeans

        def fit(x):
            return KMeans(n_clusters=9, n_init=1, random_state=42).fit(x).labels_
    else:
        raise SystemExit(f"no tool {tool}")
    fit(xy[:20_000])  # numba's compilation, outside the clock
    t0 = time.perf_counter()
    labels = np.asarray(fit(xy))
    s = time.perf_counter() - t0
    k = int(labels.max()) + 1 if len(labels) else 0
    noise = int((labels < 0).sum())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(s, 2), "peak_mb": round(peak), "rows": len(xy),
                      "outcome": f"{k} clusters, {noise} noise"}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("parquet")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=float, default=900.0, help="seconds a fit may take")
    ap.add_argument("--sizes", default="1000000,2000000,4000000,0")
    ap.add_argument("--tools", default="sklearn-kmeans,genieclust,fast-hdbscan")
    ap.add_argument("--one", nargs=2, metavar=("TOOL", "ROWS"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        one(a.one[0], a.parquet, int(a.one[1]))
        return
    env = dict(os.environ, NUMBA_NUM_THREADS=str(a.threads), OMP_NUM_THREADS=str(a.threads),
               OPENBLAS_NUM_THREADS=str(a.threads))
    out = []
    for tool in a.tools.split(","):
        for rows in (int(s) for s in a.sizes.split(",")):
            t0 = time.perf_counter()
            try:
                p = subprocess.run([sys.executable, __file__, a.parquet, "--one", tool, str(rows)],
                                   env=env, capture_output=True, text=True, timeout=a.limit + 120)
                wall = time.perf_counter() - t0
                if p.returncode == 0:
                    r = json.loads(p.stdout.strip().splitlines()[-1])
                else:
                    r = {"seconds": None, "rows": rows,
                         "outcome": f"error: exit {p.returncode}: {p.stderr.strip().splitlines()[-1:]}"}
            except subprocess.TimeoutExpired:
                wall = time.perf_counter() - t0
                r = {"seconds": None, "rows": rows, "outcome": f"error: not done in {a.limit + 120:.0f} s"}
            r.update(tool=tool, threads=a.threads, wall_s=round(wall, 1))
            print(json.dumps(r), file=sys.stderr)
            out.append(r)
            if r["seconds"] is None or r["seconds"] > a.limit:
                break
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
