#!/usr/bin/env python3
"""Reference Knox tables and Mann-Kendall tests, for `crates/patroliq-core/tests/forecast_reference.rs`.

Both are written here from the papers' formulas (numpy), independently of the Rust code, on inputs
this script draws (seeded) and writes beside the results, so both sides read the same numbers:

- Knox (1964), as in the Near Repeat Calculator (Ratcliffe 2009): every pair of incidents in a
  space band [lower, upper) metres and a time band [lower, upper) days; the marginals S_i (pairs in
  space band i, any days), T_j (pairs in time band j, any distance), P = n (n - 1) / 2 and the
  expected count S_i T_j / P. One input with planted near repeats, one without.
- Mann-Kendall (Mann 1945; Kendall 1975): S = sum_{i<j} sign(x_j - x_i), Var(S) with the tie
  correction [n(n-1)(2n+5) - sum t(t-1)(2t+5)] / 18, z = (S - sign S) / sqrt(Var), two-sided p;
  and SciPy's `kendalltau` of the series against time (tau-b, asymptotic p, no continuity correction).

Usage: scripts/forecast_reference.py FIXTURE_DIR   (writes FIXTURE_DIR/forecast_reference.json)
Nothing here is committed: the tests make it at run time.
"""
import json
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(20170101)


def knox(points, space_m, time_days):
    p = np.asarray(points, dtype=float)
    n = len(p)
    i, j = np.triu_indices(n, k=1)
    d = np.sqrt((p[i, 0] - p[j, 0]) ** 2 + (p[i, 1] - p[j, 1]) ** 2)
    dt = np.abs(p[i, 2] - p[j, 2])
    # Band index: edges[b-1] <= v < edges[b]; len(edges) means beyond the last band.
    sb = np.searchsorted(np.asarray(space_m), d, side="right")
    tb = np.searchsorted(np.asarray(time_days), dt, side="right")
    ns, nt = len(space_m), len(time_days)
    observed = np.zeros((ns, nt), dtype=np.int64)
    inside = (sb < ns) & (tb < nt)
    np.add.at(observed, (sb[inside], tb[inside]), 1)
    s_tot = np.bincount(sb[sb < ns], minlength=ns)
    t_tot = np.bincount(tb[tb < nt], minlength=nt)
    pairs = n * (n - 1) // 2
    expected = np.outer(s_tot, t_tot) / pairs
    return {
        "space_m": list(space_m),
        "time_days": list(time_days),
        "points": p.tolist(),
        "pairs": int(pairs),
        "observed": observed.tolist(),
        "space_totals": s_tot.tolist(),
        "time_totals": t_tot.tolist(),
        "expected": expected.tolist(),
    }


def scatter(n):
    return np.column_stack([rng.uniform(0, 5000, n), rng.uniform(0, 5000, n), rng.uniform(0, 365, n)])


# Planted: 300 originators, 150 of them followed by a repeat within 150 m and 5 days.
base = scatter(300)
follow = base[:150].copy()
angle = rng.uniform(0, 2 * np.pi, 150)
radius = rng.uniform(0, 150, 150)
follow[:, 0] += radius * np.cos(angle)
follow[:, 1] += radius * np.sin(angle)
follow[:, 2] += rng.uniform(0.01, 5, 150)
planted = np.vstack([base, follow])
bands = ([200.0, 400.0, 600.0, 800.0, 1000.0], [7.0, 14.0, 21.0, 28.0])
ref = {"scipy": scipy.__version__, "knox": [knox(planted, *bands), knox(scatter(450), *bands)]}


def mann_kendall(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    s = sum(np.sign(x[k + 1:] - x[k]).sum() for k in range(n - 1))
    _, t = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(t * (t - 1) * (2 * t + 5))) / 18.0
    z = (s - np.sign(s)) / np.sqrt(var) if s != 0 else 0.0
    p = 2 * stats.norm.sf(abs(z))
    tau, p_scipy = stats.kendalltau(x, np.arange(n), method="asymptotic")
    return {"x": x.tolist(), "s": float(s), "var": float(var), "z": float(z), "p": float(p),
            "tau_b": float(tau), "p_scipy": float(p_scipy)}


series = [
    rng.normal(0, 1, 20),
    np.arange(12) * 0.3 + rng.normal(0, 0.5, 12),
    rng.integers(0, 4, 25),  # many ties
    -np.arange(10, dtype=float) + rng.normal(0, 3, 10),
    np.array([1, 1, 2, 2, 2, 3, 5, 5, 4, 6, 6, 6, 7, 9, 9], dtype=float),
]
ref["mann_kendall"] = [mann_kendall(x) for x in series]

(out / "forecast_reference.json").write_text(json.dumps(ref))
print(f"wrote {out / 'forecast_reference.json'}")
