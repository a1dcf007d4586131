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
    in_chromium(web)


def in_chromium(web):
    """PatrolIQ beside DuckDB-WASM in the same headless Chromium (bench/duckdb_wasm.mjs), each
    release of it a column; ratio = the fastest DuckDB-WASM ÷ PatrolIQ (> 1: PatrolIQ is faster)."""
    versions = sorted({k.split()[1] for k in web if k.startswith("duckdb-wasm ") and k.endswith(" engine")}, reverse=True)
    if not versions:
        return
    print("\nIn Chromium, beside DuckDB-WASM (single-threaded builds, one run each):\n")
    heads = " | ".join(f"DuckDB-WASM {v} (DuckDB {web.get(f'duckdb-wasm {v} engine')})" for v in versions)
    print(f"| stage | PatrolIQ | {heads} | ratio |")
    print("|---|---|" + "---|" * len(versions) + "---|")
    for name, ours_key, kind in (("load CSV", "load csv", "load csv"), ("load CSV.gz", "load csv.gz", "load csv.gz"),
                                 ("load Parquet", "load parquet", "load parquet"),
                                 ("EDA / type × month count", "eda after parquet", "type x month")):
        ours = web.get(ours_key)
        cells, best = [], None
        for v in versions:
            t, err = web.get(f"duckdb-wasm {v} {kind}"), web.get(f"duckdb-wasm {v} {kind} error")
            cells.append(f"{t:.2f} s" if t is not None else ("failed: " + err[:90] if err else "–"))
            best = t if t is not None and (best is None or t < best) else best
        ratio = f"{best / ours:.2f}×" if ours and best else "–"
        print(f"| {name} | {f'{ours:.2f} s' if ours else '–'} | " + " | ".join(cells) + f" | {ratio} |")


if __name__ == "__main__":
    main()
