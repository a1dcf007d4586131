"""Writes the whole-pipeline benchmark's table (Markdown) from `patroliq bench --json` output,
bench/reference_pipeline.py's and, when given, bench/browser_pipeline.mjs's (the same JSON from
Chromium), as ratios: theirs ÷ ours (> 1: PatrolIQ is faster).

Run: python3 bench/table.py NATIVE.json REFERENCE.json [BROWSER.json]   (standard library only)
"""

import json
import sys


def fmt_ms(ms):
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def fmt_mb(b):
    return f"{b / 1e6:.0f} MB" if b else "–"


def ratio(theirs, ours, note=""):
    return f"{theirs / max(ours, 1e-3):.1f}×{note}" if ours is not None else "–"


def main():
    ours = json.load(open(sys.argv[1]))
    theirs = json.load(open(sys.argv[2]))
    web = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
    ref = {s["stage"]: s for s in theirs["stages"]}
    wasm = {s["stage"]: s for s in web["stages"]} if web else {}
    print(f"`{ours['file']}`: {ours['rows']:,} rows kept of {ours['rows_read']:,}; PatrolIQ {ours['target']}, "
          f"median of {ours['runs']}" + (f"; {web['target']}, median of {web['runs']}" if web else "") +
          f"; reference: {theirs['target']}, median of {theirs['runs']}.\n")
    head = "| stage | PatrolIQ native | peak heap |"
    if web:
        head += " PatrolIQ in Chromium | peak heap |"
    head += " reference | its rows | peak RSS | ratio, theirs ÷ native |"
    if web:
        head += " ratio, theirs ÷ Chromium |"
    print(head)
    print("|" + " --- |" * (head.count("|") - 1))
    totals = {"native": 0.0, "web": 0.0, "ref": 0.0}
    for s in ours["stages"]:
        r, w = ref.get(s["stage"]), wasm.get(s["stage"])
        totals["native"] += s["median_ms"]
        totals["web"] += w["median_ms"] if w else 0.0
        note = ""
        if r and r["rows"] < 0.9 * s["rows"] and s["stage"] not in ("umap", "tsne"):
            note = f" (theirs on {r['rows']:,} rows)"
        totals["ref"] += r["median_ms"] if r else 0.0
        row = f"| {s['stage']} | {fmt_ms(s['median_ms'])} | {fmt_mb(s['peak_bytes'])} |"
        if web:
            row += f" {fmt_ms(w['median_ms']) if w else '–'} | {fmt_mb(w['peak_bytes']) if w else '–'} |"
        if r:
            row += f" {fmt_ms(r['median_ms'])} | {r['rows']:,} | {fmt_mb(r['peak_bytes'])} | {ratio(r['median_ms'], s['median_ms'], note)} |"
            if web:
                row += f" {ratio(r['median_ms'], w['median_ms'] if w else None, note)} |"
        else:
            row += " – | – | – | – |" + (" – |" if web else "")
        print(row)
    def whole(label, native_ms, web_ms):
        row = f"| **{label}** | {fmt_ms(native_ms) if native_ms else '–'} | |"
        if web:
            row += f" {fmt_ms(web_ms) if web_ms else '–'} | |"
        row += f" {fmt_ms(totals['ref'])} | | | {ratio(totals['ref'], native_ms)} |"
        if web:
            row += f" {ratio(totals['ref'], web_ms)} |"
        print(row)

    whole("whole pipeline", totals["native"], totals["web"])
    # The same stages in whole passes with each map on a thread or worker of its own (`--beside`;
    # the Benchmark page's default): the load plus the median pass, against the reference's whole.
    nb, wb = ours.get("beside"), (web or {}).get("beside")
    if nb or wb:
        load = lambda r: next((s["median_ms"] for s in r["stages"] if s["stage"] == "load"), 0.0)
        whole("whole, maps beside", load(ours) + nb["median_ms"] if nb else None,
              load(web) + wb["median_ms"] if wb else None)
    print()
    if web and "long_tasks" in web:
        lt = web["long_tasks"]
        worst = max(lt.values(), key=lambda v: v["max_ms"])
        print("UI thread in Chromium (long tasks, > 50 ms), per step of the walk: " +
              "; ".join(f"{k} {v['count']} (max {v['max_ms']} ms)" for k, v in lt.items()) +
              f". Longest: {worst['max_ms']} ms.\n")
    for s in ours["stages"]:
        r = ref.get(s["stage"], {})
        print(f"- **{s['stage']}**: PatrolIQ: {s['what']} → {s['outcome']}." +
              (f" Reference: {r['what']} → {r['outcome']}." if r else ""))
    compile_ms = ref.get("umap", {}).get("umap_compile_ms")
    if compile_ms:
        print(f"\numap-learn's first-use numba compile, not in the table: {fmt_ms(compile_ms)}.")


if __name__ == "__main__":
    main()
