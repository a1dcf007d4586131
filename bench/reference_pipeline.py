"""The whole-pipeline benchmark's reference: the equivalent of `patroliq bench` with pandas,
scikit-learn, umap-learn, SciPy and OR-Tools, on the same file and machine, printed as the same
JSON (`stages`: stage, what, rows, runs_ms, median_ms, peak_bytes, outcome).

Equivalent, not identical: where a library cannot do what PatrolIQ does on every row, the stage
says what it did instead (`what`, `rows`), and bench/pipeline.mjs shows that beside the ratio.
- hierarchical: scikit-learn's Ward is O(n²) memory, so it clusters a 20,000-row sample
  (PatrolIQ: every row, on 200 m micro-cells);
- hdbscan: scikit-learn's HDBSCAN did not finish in 600 s on all rows on this machine (README),
  so it runs on a 50,000-row sample;
- umap: umap-learn compiles with numba on first use; that compile is done before the clock (one
  warm-up map of 5,000 points) and reported apart as `umap_compile_ms`;
- the trustworthiness of the maps is left out (scikit-learn's is O(n²) on every point);
- peak memory is the process's peak RSS during the stage (VmHWM, reset through
  /proc/self/clear_refs), interpreter and libraries included; PatrolIQ's is its peak heap.

Run: .venv/bin/python bench/reference_pipeline.py FILE.csv.gz [RUNS] > reference.json
"""

import json
import math
import sys
import time

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import ndimage
from scipy.spatial import cKDTree
from sklearn.cluster import DBSCAN, HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import PoissonRegressor
from sklearn.manifold import TSNE
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

# Chicago's State & Madison, the projection's origin (as PatrolIQ's features).
LAT0, LON0 = 41.88194, -87.62778
M_PER_DEG_LAT = 111_320.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))
HQ = (41.8299, -87.6238)


def peak_reset():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_bytes():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(stage, what, rows, runs, fn, describe):
    times, peak, outcome = [], 0, ""
    for _ in range(runs):
        peak_reset()
        t0 = time.perf_counter()
        try:
            r = fn()
            ok = True
        except Exception as e:  # a failing stage is reported, not hidden
            r, ok = e, False
        times.append((time.perf_counter() - t0) * 1000.0)
        peak = max(peak, peak_bytes())
        outcome = describe(r) if ok else f"error: {r}"
        del r
        if not ok:
            break
    s = sorted(times)
    n = len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    print(f"{stage:<13} {med:>10.0f} ms  {outcome}", file=sys.stderr)
    return {"stage": stage, "what": what, "rows": int(rows), "runs_ms": times, "median_ms": med,
            "peak_bytes": peak, "outcome": outcome}


def load(path):
    df = pd.read_csv(path, dtype={"IUCR": str, "FBI Code": str, "Beat": "Int64", "District": "Int64",
                                  "Ward": "Int64", "Community Area": "Int64"})
    df["Date"] = pd.to_datetime(df["Date"], format="%m/%d/%Y %I:%M:%S %p", errors="coerce")
    ok = (df["Date"].notna() & df["Latitude"].between(41.6, 42.1) & df["Longitude"].between(-87.95, -87.5))
    df = df[ok].drop_duplicates("ID")
    return df.reset_index(drop=True)


def xy_of(df):
    x = (df["Longitude"].to_numpy() - LON0) * M_PER_DEG_LON
    y = (df["Latitude"].to_numpy() - LAT0) * M_PER_DEG_LAT
    return np.column_stack([x, y])


def features(df):
    """33 numeric features of every row, as PatrolIQ's catalogue has them (time, place, type)."""
    d = df["Date"]
    xy = xy_of(df)
    f = pd.DataFrame(index=df.index)
    f["x"], f["y"] = xy[:, 0], xy[:, 1]
    f["lat"], f["lon"] = df["Latitude"], df["Longitude"]
    for name, v, period in (("hour", d.dt.hour, 24), ("weekday", d.dt.day_of_week, 7), ("month", d.dt.month - 1, 12),
                            ("day_of_year", d.dt.day_of_year - 1, 366)):
        f[name] = v
        f[name + "_sin"] = np.sin(2 * np.pi * v / period)
        f[name + "_cos"] = np.cos(2 * np.pi * v / period)
    f["year"] = d.dt.year
    f["is_weekend"] = (d.dt.day_of_week >= 5).astype(float)
    f["is_night"] = ((d.dt.hour >= 22) | (d.dt.hour < 6)).astype(float)
    f["is_business_hours"] = d.dt.hour.between(9, 17).astype(float)
    f["hour_of_week"] = d.dt.day_of_week * 24 + d.dt.hour
    f["arrest"] = df["Arrest"].astype(float)
    f["domestic"] = df["Domestic"].astype(float)
    for col in ("Primary Type", "FBI Code", "Location Description"):
        f[col.lower().replace(" ", "_") + "_rank"] = df[col].map(df[col].value_counts().rank(ascending=False))
    cells = (np.floor(xy[:, 0] / 250).astype(np.int64) << 32) + np.floor(xy[:, 1] / 250).astype(np.int64)
    f["cell_density"] = pd.Series(cells).map(pd.Series(cells).value_counts()).to_numpy()
    f["district"] = df["District"].astype(float)
    f["beat"] = df["Beat"].astype(float)
    f["ward"] = df["Ward"].astype(float)
    f["community_area"] = df["Community Area"].astype(float)
    f["dist_centre_km"] = np.hypot(xy[:, 0], xy[:, 1]) / 1000
    f["severity"] = df["FBI Code"].map(lambda c: 3.0 if str(c)[:2] in ("01", "02", "03", "04") else 1.0)
    return f


PCA_COLUMNS = ["x", "y", "hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "month_sin", "month_cos",
               "is_weekend", "is_night", "is_business_hours", "arrest", "domestic", "primary_type_rank",
               "fbi_code_rank", "location_description_rank", "cell_density", "dist_centre_km", "severity", "year"]


def cluster_metrics(xy, labels):
    keep = labels >= 0
    pts, lab = xy[keep], labels[keep]
    k = len(set(lab))
    if k < 2:
        return k, None
    sil = silhouette_score(pts, lab, sample_size=min(10_000, len(pts)), random_state=42)
    davies_bouldin_score(pts, lab)
    calinski_harabasz_score(pts, lab)
    return k, sil


def describe_clusters(r):
    k, sil, noise = r
    return f"{k} clusters, {noise} noise, silhouette {'–' if sil is None else f'{sil:.3f}'}"


def grid_counts(xy, cell, weights=None, bounds=None):
    if bounds is None:
        bounds = (xy.min(0), xy.max(0))
    lo, hi = bounds
    nx = int((hi[0] - lo[0]) // cell) + 1
    ny = int((hi[1] - lo[1]) // cell) + 1
    ix = np.clip(((xy[:, 0] - lo[0]) // cell).astype(int), 0, nx - 1)
    iy = np.clip(((xy[:, 1] - lo[1]) // cell).astype(int), 0, ny - 1)
    g = np.zeros((nx, ny))
    np.add.at(g, (ix, iy), 1.0 if weights is None else weights)
    return g, (ix, iy)


def gi_star(g):
    """Getis–Ord Gi* with a 3 × 3 neighbourhood (the cell itself included)."""
    n = g.size
    mean, sd = g.mean(), g.std()
    w_sum = ndimage.uniform_filter(g, size=3, mode="constant") * 9
    w = ndimage.uniform_filter(np.ones_like(g), size=3, mode="constant") * 9
    denom = sd * np.sqrt((n * w - w ** 2) / (n - 1))
    return np.where(denom > 0, (w_sum - mean * w) / np.where(denom > 0, denom, 1), 0)


def risk(df, xy):
    days = (df["Date"].max() - df["Date"]).dt.total_seconds().to_numpy() / 86400
    sev = df["FBI Code"].map(lambda c: 3.0 if str(c)[:2] in ("01", "02", "03", "04") else 1.0).to_numpy()
    counts, _ = grid_counts(xy, 250.0)
    severity, _ = grid_counts(xy, 250.0, sev)
    recency, _ = grid_counts(xy, 250.0, sev * 0.5 ** (days / 30))
    kde = ndimage.gaussian_filter(counts, 400 / 250)
    gi = gi_star(counts)
    study = counts > 0
    # Environment: a Poisson model of each cell's count from where it is and its surroundings.
    ix, iy = np.nonzero(study)
    neighbours = ndimage.uniform_filter(counts, size=5, mode="constant")[study]
    X = np.column_stack([ix, iy, np.log1p(neighbours)])
    env = PoissonRegressor(max_iter=300).fit(X, counts[study]).predict(X)
    score = sum(v / v.max() for v in (severity[study], recency[study], env, kde[study]))
    order = np.argsort(-score)
    return order, ix, iy, gi


def street_minutes(a, b, depart_h):
    """Street-grid travel: Manhattan metres at a time-of-day speed (as PatrolIQ's street grid)."""
    speed = 25_000 / 60 if depart_h in range(7, 10) or depart_h in range(16, 19) else 35_000 / 60
    return (abs(a[0] - b[0]) + abs(a[1] - b[1])) * 1.2 / speed


def route(xy, order, ix, iy, lo, stops):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    hq = ((HQ[1] - LON0) * M_PER_DEG_LON, (HQ[0] - LAT0) * M_PER_DEG_LAT)
    pts = [hq] + [(lo[0] + (ix[c] + 0.5) * 250, lo[1] + (iy[c] + 0.5) * 250) for c in order[:stops]]
    m = [[int(street_minutes(a, b, 20) * 60) for b in pts] for a in pts]
    mgr = pywrapcp.RoutingIndexManager(len(pts), 1, 0)
    rt = pywrapcp.RoutingModel(mgr)
    cb = rt.RegisterTransitCallback(lambda i, j: m[mgr.IndexToNode(i)][mgr.IndexToNode(j)])
    rt.SetArcCostEvaluatorOfAllVehicles(cb)
    sp = pywrapcp.DefaultRoutingSearchParameters()
    sp.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    sol = rt.SolveWithParameters(sp)
    idx, tour = rt.Start(0), []
    while not rt.IsEnd(idx):
        tour.append(mgr.IndexToNode(idx))
        idx = sol.Value(rt.NextVar(idx))
    tour.append(0)
    path = np.array([pts[i] for i in tour])
    km = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in zip(path, path[1:])) * 1.2 / 1000
    # Evaluation: crimes within 2 minutes' drive of the route at 6 departures (points every 100 m).
    dense = np.concatenate([np.linspace(a, b, max(2, int(np.hypot(*(b - a)) // 100))) for a, b in zip(path, path[1:])])
    tree = cKDTree(xy)
    reach = []
    for depart in (0, 4, 8, 12, 16, 20):
        r = 2 * (25_000 if depart in (8, 16) else 35_000) / 60 / 1.2
        near = tree.query_ball_point(dense, r)
        reach.append(len(set().union(*map(set, near))) / len(xy))
    return km, reach


def backtest(df, xy):
    days = df["Date"].dt.normalize()
    split = days.min() + (days.max() - days.min()) * 0.8
    train, test = (df["Date"] < split).to_numpy(), (df["Date"] >= split).to_numpy()
    lo, hi = xy.min(0), xy.max(0)
    g_train, _ = grid_counts(xy[train], 250.0, bounds=(lo, hi))
    g_test, _ = grid_counts(xy[test], 250.0, bounds=(lo, hi))
    study = g_train > 0
    period = df["Date"][test].max() - split
    naive, _ = grid_counts(xy[train & (df["Date"] >= split - period).to_numpy()], 250.0, bounds=(lo, hi))
    kde = ndimage.gaussian_filter(g_train, 400 / 250)
    km = KMeans(25, n_init=1, random_state=42).fit(xy[train])
    centres = np.array([[lo[0] + (i + 0.5) * 250, lo[1] + (j + 0.5) * 250] for i, j in np.ndindex(*g_train.shape)])
    area_of_cell = km.predict(centres).reshape(g_train.shape)
    density = np.bincount(km.labels_, minlength=25) / np.maximum(np.bincount(area_of_cell[study], minlength=25), 1)
    db = DBSCAN(eps=150, min_samples=50).fit(xy[train])
    db_cells, _ = grid_counts(xy[train][db.labels_ >= 0], 250.0, bounds=(lo, hi))
    scores = {"naive": naive, "kde": kde, "kmeans": density[area_of_cell], "dbscan": db_cells, "gi_star": gi_star(g_train)}
    total = g_test[study].sum()
    hit = {}
    for name, s in scores.items():
        order = np.argsort(-s[study])
        hit[name] = [g_test[study][order[: max(1, int(c * study.sum()))]].sum() / total for c in (0.01, 0.05, 0.10)]
    return hit


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    import umap  # imported here: its import alone takes seconds, and is not a stage

    stages = []
    stages.append(measure("load", "pandas read_csv (gzip), parse dates, drop bad coordinates and duplicates", 0, runs,
                          lambda: load(path), lambda d: f"{len(d)} rows kept"))
    df = load(path)
    stages[0]["rows"] = len(df)
    n = len(df)
    xy = xy_of(df)
    stages.append(measure("features", "33 numeric features of every row (pandas)", n, runs, lambda: features(df),
                          lambda f: f"{f.shape[1]} features"))
    feats = features(df)

    def eda():
        out = {"types": df["Primary Type"].value_counts(), "hour": df["Date"].dt.hour.value_counts(),
               "weekday": df["Date"].dt.day_of_week.value_counts(), "month": df["Date"].dt.to_period("M").value_counts(),
               "week": df["Date"].dt.to_period("W").value_counts(), "arrest": df["Arrest"].mean(),
               "domestic": df["Domestic"].mean(), "places": df["Location Description"].value_counts().head(20),
               "corr": feats[PCA_COLUMNS[:19]].corr()}
        return out
    stages.append(measure("eda", "counts by type, hour, weekday, week, month; rates; places; 19 × 19 correlation",
                          n, runs, eda, lambda e: f"{len(e['types'])} crime types"))

    def clus(model, pts):
        labels = model.fit_predict(pts)
        k, sil = cluster_metrics(pts, labels)
        return k, sil, int((labels < 0).sum())
    stages.append(measure("kmeans", "KMeans k = 9, n_init 1, + silhouette of 10,000, DB, CH", n, runs,
                          lambda: clus(KMeans(9, n_init=1, random_state=42), xy), describe_clusters))
    stages.append(measure("dbscan", "DBSCAN eps 150 m, min samples 50, + metrics", n, runs,
                          lambda: clus(DBSCAN(eps=150, min_samples=50), xy), describe_clusters))
    rng = np.random.default_rng(42)
    s20 = xy[rng.choice(n, min(n, 20_000), replace=False)]
    stages.append(measure("hierarchical", "AgglomerativeClustering Ward k = 9 on a 20,000-row sample, + metrics",
                          len(s20), runs, lambda: clus(AgglomerativeClustering(9, linkage="ward"), s20), describe_clusters))
    s50 = xy[rng.choice(n, min(n, 50_000), replace=False)]
    stages.append(measure("hdbscan", "HDBSCAN min cluster size 500, min samples 50 on a 50,000-row sample, + metrics",
                          len(s50), runs, lambda: clus(HDBSCAN(min_cluster_size=500, min_samples=50, copy=True), s50),
                          describe_clusters))

    def temporal():
        d = df["Date"]
        cells = pd.DataFrame({"h": d.dt.hour, "w": d.dt.day_of_week, "m": d.dt.month - 1}).value_counts().reset_index()
        enc = np.column_stack([f(2 * np.pi * cells[c] / p) for c, p in (("h", 24), ("w", 7), ("m", 12))
                               for f in (np.sin, np.cos)])
        best = max((silhouette_score(enc, KMeans(k, n_init=4, random_state=42).fit_predict(enc, sample_weight=cells["count"])), k)
                   for k in range(3, 7))
        d.dt.hour.value_counts()  # the peaks
        return best[1], len(cells)
    stages.append(measure("temporal", "hour × weekday × month cells, KMeans k = 3…6 × 4 restarts, silhouettes",
                          n, runs, temporal, lambda r: f"{r[0]} patterns of {r[1]} cells"))
    X = feats[PCA_COLUMNS].to_numpy(dtype=float)
    X = X[~np.isnan(X).any(axis=1)]

    def pca():
        return PCA().fit(StandardScaler().fit_transform(X))
    stages.append(measure("pca", "StandardScaler + PCA of the 20 numeric features, every row", n, runs, pca,
                          lambda p: f"{p.n_components_} features, first component {100 * p.explained_variance_ratio_[0]:.1f} %"))
    Z = StandardScaler().fit_transform(X)
    umap_n = int(sys.argv[3]) if len(sys.argv) > 3 else 20_000
    tsne_n = int(sys.argv[4]) if len(sys.argv) > 4 else 5_000
    t0 = time.perf_counter()
    # 5,000 points: above 4,096 umap-learn switches to NN-descent, which compiles on first use too.
    umap.UMAP(n_neighbors=15).fit_transform(Z[:5000])
    compile_ms = (time.perf_counter() - t0) * 1000
    su = Z[rng.choice(len(Z), min(len(Z), umap_n), replace=False)]
    stages.append(measure("umap", f"umap-learn, {len(su)}-row sample, 15 neighbours (NN-descent), warm", n, runs,
                          lambda: umap.UMAP(n_neighbors=15).fit_transform(su), lambda e: f"{len(e)} points"))
    stages[-1]["umap_compile_ms"] = compile_ms
    st = Z[rng.choice(len(Z), min(len(Z), tsne_n), replace=False)]
    stages.append(measure("tsne", f"TSNE, {len(st)}-row sample, 1,000 iterations, Barnes–Hut", n, runs,
                          lambda: TSNE(max_iter=1000, init="pca", random_state=42).fit_transform(st),
                          lambda e: f"{len(e)} points"))
    stages.append(measure("risk", "250 m grid: severity, recency, Poisson environment model, KDE, Gi*; top 50 (NumPy, SciPy, scikit-learn)",
                          n, runs, lambda: risk(df, xy), lambda r: f"{len(r[0])} cells"))
    order, ix, iy, _ = risk(df, xy)
    lo = xy.min(0)
    stages.append(measure("route", "OR-Tools tour from headquarters through the 50 riskiest cells (street grid), "
                          "+ reach of every crime at 6 departures (cKDTree)", n, runs,
                          lambda: route(xy, order, ix, iy, lo, 50), lambda r: f"{r[0]:.1f} km"))
    stages.append(measure("backtest", "last 20 % of days held out: naive, KDE, KMeans areas, DBSCAN, Gi*; hit rates at 1, 5, 10 %",
                          n, runs, lambda: backtest(df, xy),
                          lambda h: f"{len(h)} methods, best at 5 %: {max(h, key=lambda k: h[k][1])}"))
    print(json.dumps({"file": path.rsplit("/", 1)[-1], "rows": n, "runs": runs,
                      "target": f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}, NumPy {np.__version__}, "
                                f"SciPy {scipy.__version__}, umap-learn {umap.__version__}",
                      "stages": stages}))


if __name__ == "__main__":
    main()
