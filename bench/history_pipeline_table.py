"""The table of `bench/pipeline.sh --history`: each stage on the whole history natively (time, peak
heap), in Chromium, and the reference tool on the same file and machine (bench/history_clusters.py;
DuckDB's and pyarrow's loads from bench/history_reference.py when its JSON is there).
  python3 bench/history_pipeline_table.py OURS.json CLUSTERS.json [BROWSER.json] [HISTORY_REFERENCE.json]
"""

import json
import sys


def stages(path):
    try:
        with open(path) as f:
            return {s["stage"]: s for s in json.load(f)["stages"]}
    except (OSError, ValueError, KeyError):
        return {}


def main():
    ours = stages(sys.argv[1])
    with open(sys.argv[2]) as f:
        fits = json.load(f)
    web = stages(sys.argv[3]) if len(sys.argv) > 3 else {}
    hist = {}
    if len(sys.argv) > 4:
        try:
            with open(sys.argv[4]) as f:
                hist = json.load(f)
        except (OSError, ValueError):
            pass

    def best(tool):
        """The fit on the most rows that finished, and whether it had every row."""
        done = [r for r in fits if r["tool"] == tool and r.get("seconds") is not None]
        failed = [r for r in fits if r["tool"] == tool and r.get("seconds") is None]
        return (max(done, key=lambda r: r["rows"]) if done else None), failed

    ref = {"kmeans": "sklearn-kmeans", "hierarchical": "genieclust", "hdbscan": "fast-hdbscan"}
    rows = max((s["rows"] for s in ours.values()), default=0)
    print(f"{rows:,} rows. Times in seconds, one run; peak = the most heap at once natively, table included.\n")
    print("| stage | PatrolIQ native | peak heap | PatrolIQ Chromium | reference (1 thread) | ratio, theirs ÷ native |")
    print("|---|---|---|---|---|---|")
    for name, s in ours.items():
        nat = s["median_ms"] / 1000
        peak = f"{s['peak_bytes'] / 1e6:,.0f} MB" if s["peak_bytes"] else "–"
        w = web.get(name)
        chromium = f"{w['median_ms'] / 1000:.1f}" if w and not w["outcome"].startswith("error") else (
            w["outcome"] if w else "–")
        reference, ratio = "–", "–"
        if name in ref:
            r, failed = best(ref[name])
            if r:
                every = r["rows"] >= s["rows"] * 0.99
                reference = f"{ref[name]} {r['seconds']:.1f} s, {r['peak_mb']:,} MB" + (
                    "" if every else f" on {r['rows'] / 1e6:.0f} M rows")
                if failed:
                    reference += f" ({failed[0]['rows'] / 1e6 if failed[0]['rows'] > 0 else rows / 1e6:.1f} M: "
                    reference += f"{failed[0]['outcome']})"
                ratio = f"{r['seconds'] / nat:.2f}×" if every else f"> {r['seconds'] / nat:.1f}×"
        elif name == "load":
            d = hist.get("duckdb 1t load parquet")
            a = hist.get("pyarrow 1t parquet, dictionaries")
            if d:
                reference = f"DuckDB {d:.1f} s; pyarrow {a:.1f} s"
                ratio = f"{d / nat:.2f}×; {a / nat:.2f}×"
        elif name == "eda":
            d = hist.get("duckdb 1t type x month")
            if d:
                reference, ratio = f"DuckDB type × month count {d:.2f} s (not the same work)", f"{d / nat:.2f}×"
        print(f"| {name} | {nat:.1f} s | {peak} | {chromium} | {reference} | {ratio} |")
    print("\nEvery reference fit (rows, threads, seconds, peak MB of its process, outcome):\n")
    for r in fits:
        secs = "–" if r.get("seconds") is None else f"{r['seconds']:.1f} s"
        print(f"- {r['tool']}: {r['rows']:,} rows, {r['threads']} thread(s), {secs}, "
              f"{r.get('peak_mb') or '–'} MB — {r['outcome']}")


if __name__ == "__main__":
    main()
