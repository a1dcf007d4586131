"""Writes the whole-pipeline benchmark's table (Markdown) from `patroliq bench --json` output and
bench/reference_pipeline.py's, as ratios: theirs ÷ ours (> 1: PatrolIQ is faster).

Run: python3 bench/table.py OURS.json THEIRS.json   (standard library only)
"""

import json
import sys


def fmt_ms(ms):
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def fmt_mb(b):
    return f"{b / 1e6:.0f} MB" if b else "–"


def main():
    ours = json.load(open(sys.argv[1]))
    theirs = json.load(open(sys.argv[2]))
    ref = {s["stage"]: s for s in theirs["stages"]}
    print(f"`{ours['file']}`: {ours['rows']:,} rows kept of {ours['rows_read']:,}; PatrolIQ {ours['target']}, "
          f"median of {ours['runs']}; reference: {theirs['target']}, median of {theirs['runs']}.\n")
    print("| stage | PatrolIQ | peak heap | reference | its rows | peak RSS | ratio (theirs ÷ ours) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    total_ours = total_theirs = 0.0
    for s in ours["stages"]:
        r = ref.get(s["stage"])
        total_ours += s["median_ms"]
        if r is None:
            print(f"| {s['stage']} | {fmt_ms(s['median_ms'])} | {fmt_mb(s['peak_bytes'])} | – | – | – | – |")
            continue
        total_theirs += r["median_ms"]
        fewer = r["rows"] < 0.9 * s["rows"] and s["stage"] not in ("umap", "tsne")
        ratio = r["median_ms"] / max(s["median_ms"], 1e-3)
        note = f" (theirs on {r['rows']:,} rows)" if fewer else ""
        print(f"| {s['stage']} | {fmt_ms(s['median_ms'])} | {fmt_mb(s['peak_bytes'])} | {fmt_ms(r['median_ms'])} | "
              f"{r['rows']:,} | {fmt_mb(r['peak_bytes'])} | {ratio:.1f}×{note} |")
    print(f"| **whole pipeline** | {fmt_ms(total_ours)} | | {fmt_ms(total_theirs)} | | | "
          f"{total_theirs / max(total_ours, 1e-3):.1f}× |")
    print()
    for s in ours["stages"]:
        r = ref.get(s["stage"], {})
        print(f"- **{s['stage']}**: PatrolIQ: {s['what']} → {s['outcome']}." +
              (f" Reference: {r['what']} → {r['outcome']}." if r else ""))
    compile_ms = ref.get("umap", {}).get("umap_compile_ms")
    if compile_ms:
        print(f"\numap-learn's first-use numba compile, not in the table: {fmt_ms(compile_ms)}.")


if __name__ == "__main__":
    main()
