#!/usr/bin/env bash
# Sets up what is missing (idempotent) and runs every test:
#   1. formatting (rustfmt.toml);
#   2. one release build of the workspace's tests, which also builds the CLI the fixtures and the
#      e2e tests call (target/release/patroliq): the build profile and features of `cargo test`;
#   3. Parquet written by pyarrow / pandas / DuckDB, scikit-learn's, umap-learn's and openTSNE's
#      results, OR-Tools' tour and the
#      Knox / Mann-Kendall reference (forecast_reference.py), PROJ's projected points
#      (projected_reference.py, pyproj), the risk terrain's
#      (terrain_reference.py, statsmodels), as
#      fixtures made from the real sample at run time (never committed), each remade only when the
#      hash of its inputs changes; an MLflow server's package for the experiment-push test;
#   4. native unit, property and integration tests of the core and the CLI (cargo test);
#   5. a short fuzzing run of the loaders (scripts/fuzz.sh);
#   6. end-to-end tests of the built site in headless Debian Chromium (playwright-core), two files
#      at a time against one browser (tests/e2e/run.mjs).
# Prints each phase's duration at the end, and each e2e file's.
#
#   scripts/test.sh           everything: what CI runs (.ci/run)
#   scripts/test.sh --quick   the inner loop (docs/testing.md): formatting, clippy, the core's unit
#                             tests, and the e2e files of the pages the change touches (against
#                             origin/main, or HEAD~1 without one), in a few minutes on a warm machine
#
# Reads the real data from ../shared/data (or $PATROLIQ_DATA_DIR); writes nothing outside the repo
# but the tools it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATROLIQ_DATA_DIR=${PATROLIQ_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
export PATROLIQ_FIXTURES=${PATROLIQ_FIXTURES:-$ROOT/target/fixtures}
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1

# Each phase's duration, printed at the end (and on failure), so a slowdown is seen the day it lands.
PHASES=(); PHASE=""; PHASE_T0=$SECONDS; RUN_T0=$SECONDS
phase_end() { [ -n "$PHASE" ] && PHASES+=("$(printf '%6d s  %s' $((SECONDS - PHASE_T0)) "$PHASE")"); PHASE=""; }
step() { phase_end; PHASE="$*"; PHASE_T0=$SECONDS; printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
report() {
  local rc=$?
  phase_end
  printf '\n== time per phase\n'; printf '%s\n' "${PHASES[@]}"
  [ -s test-results/e2e-times.txt ] && sed 's/^/          /' test-results/e2e-times.txt
  printf '%6d s  total\n' $((SECONDS - RUN_T0))
  return $rc
}
trap report EXIT

if [ ! -f "$PATROLIQ_DATA_DIR/chicago_crimes_sample.csv.gz" ]; then
  echo "The real data is missing: expected $PATROLIQ_DATA_DIR/chicago_crimes_sample.csv.gz (../shared/data)." >&2
  exit 1
fi

# `cached NAME INPUT... -- COMMAND...` runs COMMAND unless the hash of the INPUT files (and of the
# command line) equals the one recorded after its last successful run: a fixture is remade when its
# script, its data or its tools change, and never from a stale cache (the hash is of contents).
cached() {
  local name=$1 inputs=(); shift
  while [ "$1" != -- ]; do inputs+=("$1"); shift; done; shift
  local stamp="$PATROLIQ_FIXTURES/.hash-$name" hash
  # The command line without the checkout's path: clones of the same commit share the fixtures.
  hash=$( { cat "${inputs[@]}"; printf '%s\0' "${@//$ROOT/.}"; } | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then echo "$name: inputs unchanged, kept"; return; fi
  rm -f "$stamp"
  "$@"
  mkdir -p "$PATROLIQ_FIXTURES"; echo "$hash" > "$stamp"
}

. scripts/cache.sh
mkdir -p target/ test-results
rm -f test-results/e2e-times.txt

# ---------------------------------------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
  step "setup"
  scripts/setup.sh --browser
  step "formatting (rustfmt.toml)"
  cargo fmt --all --check
  step "build (the release build the full run makes: nothing compiled twice)"
  cargo test --workspace --release --no-run --quiet
  step "clippy (native workspace and the wasm app)"
  cargo clippy --workspace --release --all-targets --quiet
  cargo clippy --target wasm32-unknown-unknown --release --bins --quiet
  step "unit tests (cargo test --lib, node --test tests/js)"
  cargo test --workspace --release --lib --quiet
  node --test tests/js/
  step "the e2e files of the pages this change touches"
  mapfile -t files < <(node tests/e2e/affected.mjs)
  if [ ${#files[@]} -eq 0 ]; then
    echo "the change touches no page: no e2e file to run"
  else
    printf '  %s\n' "${files[@]}"
    trunk build --release
    node tests/e2e/run.mjs "${files[@]}"
  fi
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# The virtualenvs download and unpack while the setup and the compiler have the cores; waited for
# below, their output shown only if they fail.
( scripts/python_venv.sh && scripts/python_venv.sh mlflow ) > target/venvs.log 2>&1 &
VENVS=$!

step "setup"
scripts/setup.sh --browser

step "formatting (rustfmt.toml)"
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all --check
else
  echo "rustfmt is not installed: formatting not checked"
fi

step "build the native tests and the CLI (one release build)"
# `cargo test` builds the CLI binary for its integration tests: the same target/release/patroliq
# the fixtures and the e2e tests call, so nothing is compiled twice.
cargo test --workspace --release --no-run
test -x target/release/patroliq

step "python virtualenvs (.venv, .venv-mlflow)"
if ! wait $VENVS; then cat target/venvs.log; exit 1; fi
export PATROLIQ_MLFLOW=${PATROLIQ_MLFLOW:-$ROOT/.venv-mlflow/bin/mlflow}

step "fixtures (pyarrow, DuckDB, scikit-learn, OR-Tools, SciPy), remade only when their inputs change"
SAMPLE="$PATROLIQ_DATA_DIR/chicago_crimes_sample.csv.gz"
cached parquet scripts/make_parquet_fixtures.py scripts/requirements.txt "$SAMPLE" -- \
  .venv/bin/python scripts/make_parquet_fixtures.py "$PATROLIQ_FIXTURES" 20000
target/release/patroliq features "$PATROLIQ_FIXTURES/reference.csv" "$PATROLIQ_FIXTURES/reference_features.parquet"
cached sklearn scripts/sklearn_reference.py scripts/requirements.txt "$PATROLIQ_FIXTURES/reference_features.parquet" -- \
  .venv/bin/python scripts/sklearn_reference.py "$PATROLIQ_FIXTURES"
# The approximate maps' references (NN-descent / FFT t-SNE against umap-learn and openTSNE).
cached embed scripts/embed_reference.py scripts/requirements.txt "$PATROLIQ_FIXTURES/reference_features.parquet" -- \
  .venv/bin/python scripts/embed_reference.py "$PATROLIQ_FIXTURES"
target/release/patroliq route "$SAMPLE" --stops 50 --matrix "$PATROLIQ_FIXTURES/route_matrix.json" > /dev/null
cached route scripts/route_reference.py scripts/requirements.txt "$PATROLIQ_FIXTURES/route_matrix.json" -- \
  .venv/bin/python scripts/route_reference.py "$PATROLIQ_FIXTURES/route_matrix.json" \
  "$PATROLIQ_FIXTURES/route_reference.json" 20

cached exports scripts/exports_reference.py scripts/requirements.txt "$PATROLIQ_DATA_DIR"/exports/* -- \
  .venv/bin/python scripts/exports_reference.py "$PATROLIQ_DATA_DIR" "$PATROLIQ_FIXTURES"
# PROJ's projected points (pyproj) for the loader's CRS tables and cities.
cached projected scripts/projected_reference.py crates/patroliq-core/src/load/layout/projected.rs scripts/requirements.txt -- \
  .venv/bin/python scripts/projected_reference.py "$PATROLIQ_FIXTURES"
cached forecast scripts/forecast_reference.py scripts/requirements.txt -- \
  .venv/bin/python scripts/forecast_reference.py "$PATROLIQ_FIXTURES"
# The risk terrain's design matrix (2016–2017 burglaries, three layers: GeoJSON points, a
# "(lat, lon)" column, WKT multipolygons) and statsmodels' Poisson GLM fitted on it.
ENV_LAYERS="$PATROLIQ_DATA_DIR/environment"
target/release/patroliq risk "$SAMPLE" --filter type=BURGLARY \
  --layer "$ENV_LAYERS/chicago_env_liquorRetail.geojson" --layer "$ENV_LAYERS/chicago_env_cta_L_stops.csv" \
  --layer "$ENV_LAYERS/chicago_env_cpd_parks_wkt_polygons.csv" \
  --design "$PATROLIQ_FIXTURES/terrain_design.csv" > /dev/null
cached terrain scripts/terrain_reference.py scripts/requirements.txt "$PATROLIQ_FIXTURES/terrain_design.csv" -- \
  .venv/bin/python scripts/terrain_reference.py "$PATROLIQ_FIXTURES/terrain_design.csv" \
  "$PATROLIQ_FIXTURES/terrain_reference.json"

step "native tests (cargo test, and the page's JavaScript: node --test tests/js)"
cargo test --workspace --release
node --test tests/js/

step "fuzz the CSV and Parquet loaders (cargo-fuzz, a fixed seed and run count, ~15 s each)"
scripts/fuzz.sh --repeatable

step "build the site (trunk build --release)"
trunk build --release

step "end-to-end tests in headless Chromium"
node tests/e2e/run.mjs
echo "Screenshots: $ROOT/test-results/*.png"
# The README's pictures, from this run (commit them when they change).
node scripts/readme_screenshots.mjs
