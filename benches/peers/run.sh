#!/usr/bin/env bash
# Benchmark siting against k-means-constrained and scikit-learn KMeans.
# Usage: bash benches/peers/run.sh --siting target/release/siting --sizes 5000,20000,50000 [compare.py flags]
# Creates a venv at ${PEERS_VENV:-/tmp/siting-peers-venv} on first use (needs PyPI only).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${PEERS_VENV:-/tmp/siting-peers-venv}"
PY="${PEERS_PYTHON:-python3}"

# Exact versions that installed as binary wheels on CPython 3.11 (x86_64, manylinux).
PINS=(
  numpy==2.4.6
  scipy==1.17.1
  scikit-learn==1.9.1
  k-means-constrained==0.9.1
  ortools==9.15.6755
  joblib==1.6.0
  threadpoolctl==3.8.0
  pandas==3.1.1
  python-dateutil==4.0.0
  six==1.17.0
  tzdata==2026.6
  protobuf==6.33.6
  absl-py==2.5.1
  immutabledict==4.3.1
  narwhals==2.29.0
  cloudpickle==3.1.2
  typing-extensions==4.16.0
)

venv_ok() {
  [ -x "$VENV/bin/python" ] &&
    "$VENV/bin/python" -c 'import numpy, sklearn, k_means_constrained' >/dev/null 2>&1
}

if ! venv_ok; then
  echo "[run.sh] creating venv $VENV" >&2
  rm -rf "$VENV"
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 ships venv/ensurepip separately.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "[run.sh] python3 -m venv failed; installing python3-venv" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$VENV"
      "$PY" -m venv "$VENV"
    else
      echo "[run.sh] '$PY -m venv' failed: install python3-venv (Debian) and retry" >&2
      exit 1
    fi
  fi
  # --only-binary: never compile (k-means-constrained has a Cython extension).
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --only-binary=:all: "${PINS[@]}"
  venv_ok || { echo "[run.sh] venv $VENV is unusable after install" >&2; exit 1; }
fi

if [ ! -x /usr/bin/time ]; then
  echo "[run.sh] note: /usr/bin/time not found (Debian package 'time'); peak RSS falls back to os.wait4 rusage" >&2
fi

exec "$VENV/bin/python" "$HERE/compare.py" "$@"
