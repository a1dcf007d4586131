#!/usr/bin/env bash
# Idempotent setup for a fresh Debian machine with the Rust toolchain.
# Installs only what is missing: wasm target, trunk, wasm-bindgen-cli, Debian's clang
# (for zstd in WASM) and chromium, and the npm packages (playwright-core, plotly.js); links
# target/ and fuzz/target/ to the machine's build cache ($PATROLIQ_CACHE, ~/.cache/patroliq).
# Usage: scripts/setup.sh [--browser]   (--browser also installs chromium for the e2e tests)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

apt_pkgs=()
command -v clang >/dev/null 2>&1 || apt_pkgs+=(clang)
command -v pkg-config >/dev/null 2>&1 || apt_pkgs+=(pkg-config)
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then apt_pkgs+=(chromium); fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  log "apt-get install ${apt_pkgs[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "cargo install trunk $TRUNK_VERSION (takes ~8 min once)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes ~3 min once)"
  # Not --locked: the locked dependency set of this release does not build on current rustc.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/plotly.js-dist-min ] || [ package.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
. scripts/cache.sh
log "ready"
