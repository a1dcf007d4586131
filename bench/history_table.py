"""The whole-history benchmark's table (Markdown) from bench/history.sh's JSON files in DIR:
PatrolIQ natively and in Chromium beside DuckDB and pyarrow, seconds and ratios (theirs ÷ ours;
> 1: PatrolIQ is faster). Standard library only.

Run: python3 bench/history_table.py target/bench
"""

import json
import os
import sys


def load(d, name):
    p = os.path.join(d, name)
    return json.load(open(p)) if os.path.exists(p) else {}


def stages(j):
    return {s["stage"]: s for s in j.get("stages", [])}


def main():
    d = sys.argv[1]
    csv, gz, pq = (stages(load(d, f"history-ours-{n}.json")) for n in ("history.csv", "history.csv.gz", "parquet"))
    ref = load(d, "history-reference.json")
    web = load(d, "history-browser.json")
    meta = load(d, "history-ours-parquet.json")
    s = lambda st: st["median_ms"] / 1000 if st else None
    print(f"{meta.get('rows', 0):,} rows kept of {meta.get('rows_read', 0):,}; one run each; "
          f"DuckDB {ref.get('duckdb')}, pyarrow {ref.get('pyarrow')}, {ref.get('cpus')} cores.\n")
    print("| stage | PatrolIQ native | peak heap | PatrolIQ Chromium | reference | reference time | ratio (native) |")
    print("|---|---|---|---|---|---|---|")
    rows = [
        ("load CSV", csv.get("load"), "load csv", "duckdb 1t load csv"),
        ("load CSV.gz", gz.get("load"), "load csv.gz", "duckdb 1t load csv.gz"),
        ("load prepared Parquet", pq.get("load"), "load parquet", "pyarrow 1t parquet, dictionaries"),
        ("load prepared Parquet", pq.get("load"), "load parquet", "duckdb 1t load parquet"),
        ("EDA (every aggregate + correlation)", pq.get("eda"), "eda after parquet", "duckdb 1t type x month"),
    ]
    for name, st, wkey, rkey in rows:
        ours = s(st)
        theirs = ref.get(rkey)
        peak = f"{st['peak_bytes'] / 1e6:.0f} MB" if st and st.get("peak_bytes") else "–"
        ratio = f"{theirs / ours:.2f}×" if ours and theirs else "–"
        w = web.get(wkey)
        print(f"| {name} | {ours:.2f} s | {peak} | {w:.2f} s | {rkey} | {theirs} s | {ratio} |" if ours else
              f"| {name} | – | – | {w} | {rkey} | {theirs} | – |")
    for k in ("kmeans", "risk", "dbscan", "hdbscan", "hierarchical", "backtest"):
        st = pq.get(k)
        if st:
            print(f"| {k} (every row) | {s(st):.2f} s | {st.get('peak_bytes', 0) / 1e6:.0f} MB | – | – | – | – |")
    print(f"\nTwo-thread references: " + ", ".join(f"{k} {v} s" for k, v in ref.items() if " 2t " in k))


if __name__ == "__main__":
    main()
