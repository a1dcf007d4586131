#!/usr/bin/env bash
# Fuzzes the CSV and Parquet loaders with cargo-fuzz (libFuzzer).
#   scripts/fuzz.sh SECONDS      explores for SECONDS per target from a random seed, growing
#                                fuzz/corpus/<target> (by hand: e.g. `scripts/fuzz.sh 3600`);
#   scripts/fuzz.sh --repeatable what the test command runs: a fixed seed, a fixed number of runs
#                                and a fresh corpus, so a gate does not wander with the machine's
#                                speed or an old corpus (not bit-exact: hash maps' random seeds
#                                shift the coverage; explore by hand after changing a loader).
# Seeds come from the bad-input corpus (tests/corpus) and every input that once crashed a target
# (fuzz/regressions/<target>, replayed natively by crates/patroliq-core/tests/fuzz_regressions.rs).
# A crash fails the run and leaves its input in fuzz/artifacts/<target>/: copy it to
# fuzz/regressions/<target>/, then fix the loader until `cargo test` passes.
# cargo-fuzz wants a nightly compiler for its flags; RUSTC_BOOTSTRAP=1 lets the stable one accept
# them, and `-s none` leaves out the sanitizer (which needs a nightly standard library): libFuzzer's
# coverage guidance, Rust's own bounds and overflow checks (debug assertions on) still apply.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-30}
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz@0.13.2
fi
export RUSTC_BOOTSTRAP=1
for target in load_csv load_parquet; do
  corpus="fuzz/corpus/$target"
  if [ "$MODE" = "--repeatable" ]; then
    # A minute or a few each on the 2-core CI machine (CSV ~200–350 runs/s; Parquet ~1,800 runs/s
    # at first, ~200 once the fuzzer reaches the parquet crate's slow Thrift skipping: see below).
    case $target in load_csv) runs=15000 ;; *) runs=60000 ;; esac
    limits=(-seed=1 -runs="$runs")
    corpus="fuzz/corpus-repeatable/$target"
    rm -rf "$corpus"
    what="$runs runs from seed 1"
  else
    limits=(-max_total_time="$MODE")
    what="$MODE s"
  fi
  mkdir -p "$corpus"
  cp tests/corpus/*.csv tests/corpus/*.gz tests/corpus/*.parquet tests/corpus/*.bin "$corpus/" 2>/dev/null || true
  cp "fuzz/regressions/$target"/* "$corpus/" 2>/dev/null || true
  echo "fuzzing $target: $what"
  # An input's time limit: the parquet crate's Thrift reader can spend ~10–25 s (this build,
  # debug assertions on) skipping what a damaged 4 KB page header declares (the checks of
  # load/page_headers.rs refuse some shapes of it first, not all); a hang is still caught.
  case $target in load_parquet) timeout=90 ;; *) timeout=20 ;; esac
  status=0
  cargo fuzz run "$target" -s none --debug-assertions "$corpus" -- \
    "${limits[@]}" -rss_limit_mb=2048 -timeout="$timeout" -print_final_stats=1 \
    > "fuzz/$target.log" 2>&1 || status=$?
  grep -E "DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "fuzz/$target.log" || true
  if [ "$status" -ne 0 ]; then
    grep -E "panicked at|^thread" "fuzz/$target.log" | head -5 || true
    tail -60 "fuzz/$target.log"
    echo "fuzzing $target failed (exit $status): see fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
