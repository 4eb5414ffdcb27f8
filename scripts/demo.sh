#!/usr/bin/env bash
# `npm start`: installs what is needed, then runs a global CP and a zone CP on the embedded
# SQLite store (data under .strait/demo), applies examples/demo.yaml and keeps running until Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

step "installing dependencies (pnpm $PNPM_VERSION)"
install_dependencies
step "installing Envoy"
ENVOY_BIN="$(bash scripts/install-envoy.sh)"
export ENVOY_BIN

DATA="${STRAIT_DEMO_DIR:-.strait/demo}"
GLOBAL_API="${STRAIT_DEMO_GLOBAL_API_PORT:-5681}"
ZONE_API="${STRAIT_DEMO_ZONE_API_PORT:-15681}"
mkdir -p "$DATA"
pids=()
cleanup() {
  step "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap cleanup EXIT INT TERM

wait_ready() { # name logfile
  for _ in $(seq 1 300); do
    if grep -q '"msg":"ready"' "$2" 2>/dev/null; then return 0; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then echo "$1 failed to start; see $2" >&2; tail -20 "$2" >&2; exit 1; fi
    sleep 0.2
  done
  echo "$1 did not become ready; see $2" >&2; exit 1
}

step "starting global CP (API :$GLOBAL_API)"
STRAIT_DATA_DIR="$DATA/global" STRAIT_API_PORT="$GLOBAL_API" STRAIT_DIAGNOSTICS_PORT=5680 \
  ./strait global-cp run >"$DATA/global.log" 2>&1 &
pids+=($!)
wait_ready global-cp "$DATA/global.log"

step "starting zone CP zone-1 (API :$ZONE_API)"
STRAIT_DATA_DIR="$DATA/zone-1" STRAIT_ZONE_NAME=zone-1 STRAIT_API_PORT="$ZONE_API" STRAIT_DIAGNOSTICS_PORT=15680 \
  STRAIT_XDS_PORT=15678 ./strait zone-cp run >"$DATA/zone-1.log" 2>&1 &
pids+=($!)
wait_ready zone-cp "$DATA/zone-1.log"

step "applying examples/demo.yaml to the global CP"
./strait --api-address "http://127.0.0.1:$GLOBAL_API" apply -f examples/demo.yaml

cat <<MSG

Strait is running (logs in $DATA/*.log):
  global CP API   http://127.0.0.1:$GLOBAL_API      (try: curl http://127.0.0.1:$GLOBAL_API/meshes)
  zone-1 CP API   http://127.0.0.1:$ZONE_API
Watch it:
  ./strait --api-address http://127.0.0.1:$GLOBAL_API inspect meshes
  ./strait --api-address http://127.0.0.1:$GLOBAL_API get meshtrafficpermissions -m demo -o yaml
  tail -f $DATA/global.log
Not yet in this build: KDS sync between the CPs, zone ingresses and a demo service (see the issues).
Press Ctrl-C to stop.
MSG
wait
