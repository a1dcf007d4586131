#!/usr/bin/env bash
# A Python virtualenv made or updated from its requirements file (idempotent): remade only when the
# file's hash differs from the one recorded after the last successful install.
#   scripts/python_venv.sh          .venv: the fixtures, the scikit-learn / OR-Tools references and
#                                   the pipeline benchmark's reference (scripts/requirements.txt)
#   scripts/python_venv.sh mlflow   .venv-mlflow: a real MLflow server for the experiment-push test,
#                                   apart so that its pins cannot move the fixtures' pyarrow or pandas
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") venv=.venv; req=scripts/requirements.txt ;;
  mlflow) venv=.venv-mlflow; req=scripts/requirements-mlflow.txt ;;
  *) echo "usage: scripts/python_venv.sh [mlflow]" >&2; exit 2 ;;
esac
# The environment lives in the machine's cache under the hash of its requirements, linked from the
# checkout: a fresh clone on a machine that made it before finds it, and a changed pin makes a new
# one instead of patching the old.
hash=$(sha256sum "$req" | cut -d' ' -f1)
home="${PATROLIQ_CACHE:-$HOME/.cache/patroliq}/${venv#.}-${hash:0:16}"
if [ ! -x "$home/bin/python" ] || [ "$(cat "$home/.installed" 2>/dev/null)" != "$hash" ]; then
  echo "installing $venv from $req into $home"
  rm -rf "$home"
  python3 -m venv "$home"
  "$home/bin/pip" install -q --disable-pip-version-check -r "$req"
  echo "$hash" > "$home/.installed"
fi
if [ "$(readlink "$venv" 2>/dev/null)" != "$home" ]; then
  rm -rf "$venv"
  ln -s "$home" "$venv"
fi
