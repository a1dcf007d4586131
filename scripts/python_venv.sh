#!/usr/bin/env bash
# The Python virtualenv (.venv) of the fixtures, the scikit-learn / OR-Tools references and the
# pipeline benchmark's reference, made or updated from scripts/requirements.txt (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import pyarrow, duckdb, sklearn, pandas' 2>/dev/null \
   || [ scripts/requirements.txt -nt .venv/.installed ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements.txt
  touch .venv/.installed
fi
