#!/usr/bin/env bash
# Sets up what is missing (idempotent), builds PatrolIQ and serves it on http://127.0.0.1:8080
# with the built-in demo data. PORT=9000 scripts/serve.sh to use another port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec trunk serve --release --port "${PORT:-8080}"
