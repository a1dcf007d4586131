#!/usr/bin/env python3
"""Reference clustering results from scikit-learn, for `crates/patroliq-core/tests/sklearn_reference.rs`.

Input: the feature Parquet that `patroliq features` writes for the fixture slice (the first 20,000
records of the real sample, `reference.csv`); its `x_m`, `y_m` columns are PatrolIQ's projected
metres, so both sides cluster bit-identical points. Output: `sklearn_reference.json` beside it.

Usage: scripts/sklearn_reference.py FIXTURE_DIR
Nothing here is committed: the tests make it at run time (scripts/test.sh).
"""
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import sklearn
from sklearn.cluster import DBSCAN, HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

out = Path(sys.argv[1])
table = pq.read_table(out / "reference_features.parquet", columns=["x_m", "y_m"])
X = np.column_stack([table.column("x_m").to_numpy(), table.column("y_m").to_numpy()])
n = len(X)

K = 9
# Deterministic starts: every (n // K)-th point.
init_idx = [i * (n // K) for i in range(K)]
ref = {"sklearn": sklearn.__version__, "n": n, "kmeans": []}
for tol in [0.0, 1e-4]:
    km = KMeans(n_clusters=K, init=X[init_idx], n_init=1, max_iter=300, tol=tol, algorithm="lloyd").fit(X)
    ref["kmeans"].append({
        "tol": tol,
        "init_idx": init_idx,
        "labels": km.labels_.tolist(),
        "centres": km.cluster_centers_.tolist(),
        "inertia": float(km.inertia_),
        "n_iter": int(km.n_iter_),
    })

labels = np.array(ref["kmeans"][0]["labels"])
SIL = 5000
ref["metrics"] = {
    "silhouette_first": SIL,
    "silhouette": float(silhouette_score(X[:SIL], labels[:SIL])),
    "davies_bouldin": float(davies_bouldin_score(X, labels)),
    "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
}

db = DBSCAN(eps=150.0, min_samples=20).fit(X)
ref["dbscan"] = {"eps": 150.0, "min_samples": 20, "labels": db.labels_.tolist()}
noise = db.labels_ >= 0
ref["dbscan"]["davies_bouldin"] = float(davies_bouldin_score(X[noise], db.labels_[noise]))
ref["dbscan"]["calinski_harabasz"] = float(calinski_harabasz_score(X[noise], db.labels_[noise]))

# Exact Ward on the first points (sklearn's tree is quadratic in memory).
W = 2000
ward = AgglomerativeClustering(n_clusters=K, linkage="ward").fit(X[:W])
ref["ward"] = {"first": W, "k": K, "labels": ward.labels_.tolist()}

hd = HDBSCAN(min_cluster_size=100, min_samples=10, copy=False).fit(X)
ref["hdbscan"] = {"min_cluster_size": 100, "min_samples": 10, "labels": hd.labels_.tolist()}

# PCA of the standardised candidate features (crates/patroliq-core/src/reduce/pca.rs: the
# catalogue but its rescaled copies and category codes), rows with a missing value left out, then
# the features constant in those rows (the slice covers a few weeks: the month features).
PCA_CANDIDATES = ["hour", "weekday", "month", "day_of_year", "season", "is_weekend", "is_night", "is_holiday",
                  "hour_sin", "hour_cos", "weekday_sin", "weekday_cos", "month_sin", "month_cos", "x_m", "y_m",
                  "dist_centre_km", "density_250m", "is_index_crime", "arrest", "domestic", "severity"]
F = pq.read_table(out / "reference_features.parquet", columns=PCA_CANDIDATES)
M = np.column_stack([F.column(c).to_numpy() for c in PCA_CANDIDATES])
M = M[np.isfinite(M).all(axis=1)]
live = [j for j in range(M.shape[1]) if np.ptp(M[:, j]) > 0]
M = M[:, live]
pca = PCA().fit(StandardScaler().fit_transform(M))
ref["pca"] = {
    "features": [PCA_CANDIDATES[j] for j in live],
    "rows": int(len(M)),
    "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
    "components": pca.components_.tolist(),
}

# Temporal patterns (crates/patroliq-core/src/temporal): K-Means on every incident's (hour,
# weekday, month), cyclical (sin/cos, month from 0) and standardised, from every (n // k)-th
# incident; PatrolIQ clusters the weighted cube of distinct times and must give every incident
# the same label.
T = pq.read_table(out / "reference_features.parquet", columns=["hour", "weekday", "month"])
h, w, m = (T.column(c).to_numpy() for c in ["hour", "weekday", "month"])
tau = 2 * np.pi
cyclical = np.column_stack([np.sin(tau * h / 24), np.cos(tau * h / 24), np.sin(tau * w / 7), np.cos(tau * w / 7),
                            np.sin(tau * (m - 1) / 12), np.cos(tau * (m - 1) / 12)])
standardised = StandardScaler().fit_transform(np.column_stack([h, w, m]))
ref["temporal"] = []
for name, P in [("cyclical", cyclical), ("standardised", standardised)]:
    TK = 4
    idx = [i * (len(P) // TK) for i in range(TK)]
    km = KMeans(n_clusters=TK, init=P[idx], n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd").fit(P)
    ref["temporal"].append({"encoding": name, "init_idx": idx, "labels": km.labels_.tolist(),
                            "inertia": float(km.inertia_), "n_iter": int(km.n_iter_)})

# t-SNE and UMAP maps of the first standardised rows (reduce/embed.rs); what must agree is the
# trustworthiness at k = 10, not the coordinates (both start from different random draws).
from sklearn.manifold import TSNE, trustworthiness  # noqa: E402
import umap  # noqa: E402

# The maps' 20 features (reduce/embed.rs, MAP_FEATURES).
MAP_FEATURES = ["hour", "weekday", "month", "is_weekend", "is_night", "is_holiday", "hour_sin", "hour_cos",
                "weekday_sin", "weekday_cos", "month_sin", "month_cos", "x_m", "y_m", "dist_centre_km",
                "density_250m", "is_index_crime", "arrest", "domestic", "severity"]
E = 3000
Z = StandardScaler().fit_transform(np.column_stack([F.column(c).to_numpy() for c in MAP_FEATURES])[:E][
    np.isfinite(np.column_stack([F.column(c).to_numpy() for c in MAP_FEATURES])[:E]).all(axis=1)])
ts = TSNE(n_components=2, perplexity=30.0, init="pca", random_state=0).fit_transform(Z)
um = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=0).fit_transform(Z)
ref["embed"] = {
    "first": E,
    "rows": int(len(Z)),
    "tsne_trustworthiness": float(trustworthiness(Z, ts, n_neighbors=10)),
    "umap_trustworthiness": float(trustworthiness(Z, um, n_neighbors=10)),
    "umap_learn": umap.__version__ if hasattr(umap, "__version__") else "",
}

# Poisson regression (risk/poisson.rs, the environment model): a seeded synthetic design, since
# the risk grid's covariates are internal; scikit-learn's unpenalised PoissonRegressor to a tight tol.
from sklearn.linear_model import PoissonRegressor  # noqa: E402

rng = np.random.default_rng(11)
PX = np.column_stack([np.log1p(rng.poisson(lam, 3000)) for lam in (3.0, 0.5, 8.0, 1.5)])
Py = rng.poisson(np.exp(-0.4 + PX @ np.array([0.6, -0.3, 0.25, 0.1]))).astype(float)
pr = PoissonRegressor(alpha=0.0, tol=1e-12, max_iter=10_000).fit(PX, Py)
ref["poisson"] = {"x": PX.tolist(), "y": Py.tolist(), "intercept": float(pr.intercept_), "coef": pr.coef_.tolist()}

(out / "sklearn_reference.json").write_text(json.dumps(ref))
print(f"scikit-learn {sklearn.__version__}: references for {n} points → {out / 'sklearn_reference.json'}")
