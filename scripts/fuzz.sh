#!/usr/bin/env bash
# Fuzzes the CSV and Parquet loaders with cargo-fuzz (libFuzzer) for SECONDS each (default 30; the
# test command runs this short run, a longer one is e.g. `scripts/fuzz.sh 3600`). Seeds come from
# the bad-input corpus (tests/corpus). A crash fails the run and leaves its input in
# fuzz/artifacts/<target>/: add it to tests/corpus (make_corpus.py) with the outcome it must have,
# then fix the loader.
# cargo-fuzz wants a nightly compiler for its flags; RUSTC_BOOTSTRAP=1 lets the stable one accept
# them, and `-s none` leaves out the sanitizer (which needs a nightly standard library): libFuzzer's
# coverage guidance, Rust's own bounds and overflow checks (debug assertions on) still apply.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz@0.13.2
fi
export RUSTC_BOOTSTRAP=1
for target in load_csv load_parquet; do
  mkdir -p "fuzz/corpus/$target"
  cp tests/corpus/*.csv tests/corpus/*.gz tests/corpus/*.parquet tests/corpus/*.bin "fuzz/corpus/$target/" 2>/dev/null || true
  echo "fuzzing $target for ${SECONDS_EACH} s"
  status=0
  cargo fuzz run "$target" -s none --debug-assertions "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
    > "fuzz/$target.log" 2>&1 || status=$?
  grep -E "DONE|stat::number_of_executed_units|stat::peak_rss_mb" "fuzz/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -60 "fuzz/$target.log"
    echo "fuzzing $target failed (exit $status): see fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
