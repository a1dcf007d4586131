#!/usr/bin/env bash
# Sets up what is missing (idempotent) and runs every test:
#   1. native unit, property and integration tests of the core and the CLI (cargo test);
#   2. Parquet written by pyarrow / pandas / DuckDB, scikit-learn's results and OR-Tools' tour, as
#      fixtures made from the real sample at run time (never committed); an MLflow server's
#      package for the experiment-push test;
#   3. a short fuzzing run of the loaders (scripts/fuzz.sh);
#   4. end-to-end tests of the built site in headless Debian Chromium (playwright-core).
# Reads the real data from ../shared/data (or $PATROLIQ_DATA_DIR); writes nothing outside the repo
# but the tools it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export PATROLIQ_DATA_DIR=${PATROLIQ_DATA_DIR:-$(cd "$ROOT/.." && pwd)/shared/data}
export PATROLIQ_FIXTURES=${PATROLIQ_FIXTURES:-$ROOT/target/fixtures}
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

if [ ! -f "$PATROLIQ_DATA_DIR/chicago_crimes_sample.csv.gz" ]; then
  echo "The real data is missing: expected $PATROLIQ_DATA_DIR/chicago_crimes_sample.csv.gz (../shared/data)." >&2
  exit 1
fi

step "setup"
scripts/setup.sh --browser

step "the CLI (fixtures are made with it)"
cargo build --release -p patroliq-cli

step "python fixtures (pyarrow, DuckDB, scikit-learn)"
scripts/python_venv.sh
.venv/bin/python scripts/make_parquet_fixtures.py "$PATROLIQ_FIXTURES" 20000
target/release/patroliq features "$PATROLIQ_FIXTURES/reference.csv" "$PATROLIQ_FIXTURES/reference_features.parquet"
.venv/bin/python scripts/sklearn_reference.py "$PATROLIQ_FIXTURES"
target/release/patroliq route "$PATROLIQ_DATA_DIR/chicago_crimes_sample.csv.gz" --stops 50 \
  --matrix "$PATROLIQ_FIXTURES/route_matrix.json" > /dev/null
.venv/bin/python scripts/route_reference.py "$PATROLIQ_FIXTURES/route_matrix.json" \
  "$PATROLIQ_FIXTURES/route_reference.json" 20

step "an MLflow tracking server for the experiment-push test (.venv-mlflow)"
if [ ! -x .venv-mlflow/bin/mlflow ] || [ scripts/requirements-mlflow.txt -nt .venv-mlflow/.installed ]; then
  python3 -m venv .venv-mlflow
  .venv-mlflow/bin/pip install -q --disable-pip-version-check -r scripts/requirements-mlflow.txt
  touch .venv-mlflow/.installed
fi
export PATROLIQ_MLFLOW=${PATROLIQ_MLFLOW:-$ROOT/.venv-mlflow/bin/mlflow}

step "formatting (rustfmt.toml)"
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all --check
else
  echo "rustfmt is not installed: formatting not checked"
fi

step "native tests (cargo test)"
cargo test --workspace --release

step "fuzz the CSV and Parquet loaders (cargo-fuzz, a fixed seed and run count, ~15 s each)"
scripts/fuzz.sh --repeatable

step "build the site (trunk build --release)"
trunk build --release

step "end-to-end tests in headless Chromium"
rm -rf test-results
node --test --test-concurrency=1 tests/e2e/
echo "Screenshots: $ROOT/test-results/*.png"
