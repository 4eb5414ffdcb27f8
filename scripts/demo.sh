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

step "turning on builtin mTLS in zone-1's default mesh"
cat <<'YAML' | ./strait --api-address "http://127.0.0.1:$ZONE_API" apply -f -
type: Mesh
name: default
mtls:
  enabledBackend: ca-1
  backends:
    - name: ca-1
      type: builtin
YAML

# run_service NAME APP_PORT INBOUND_PORT ADMIN_PORT OUTBOUND_PORT CALLS
run_service() {
  node examples/demo-app.mjs "$1" "$2" >"$DATA/$1-app.log" 2>&1 &
  pids+=($!)
  ./strait --api-address "http://127.0.0.1:$ZONE_API" generate dataplane-token --name "$1-1" --mesh default \
    --tag "kuma.io/service=$1" >"$DATA/$1.token"
  ./strait dp run --cp-address https://127.0.0.1:15678 --ca-cert-file "$DATA/zone-1/tls/ca.crt" \
    --dataplane-file examples/dataplane.yaml --dataplane-token-file "$DATA/$1.token" \
    --dataplane-var name="$1-1" --dataplane-var service="$1" --dataplane-var appPort="$2" \
    --dataplane-var inboundPort="$3" --dataplane-var adminPort="$4" --dataplane-var outboundPort="$5" \
    --dataplane-var calls="$6" --admin-port "$4" --work-dir "$DATA/$1-dp" >"$DATA/$1-dp.log" 2>&1 &
  pids+=($!)
  wait_ready "$1 sidecar" "$DATA/$1-dp.log"
}
step "starting demo services web and backend behind strait dp run (zone-1)"
run_service backend 18081 18091 19901 18099 web
run_service web 18080 18090 19902 18100 backend

cat <<MSG

Strait is running (logs in $DATA/*.log):
  global CP API   http://127.0.0.1:$GLOBAL_API      (try: curl http://127.0.0.1:$GLOBAL_API/meshes)
  zone-1 CP API   http://127.0.0.1:$ZONE_API
  web → backend     curl http://127.0.0.1:18100/   (web's sidecar outbound; mTLS to backend's sidecar)
Watch it:
  ./strait --api-address http://127.0.0.1:$GLOBAL_API inspect meshes
  ./strait --api-address http://127.0.0.1:$GLOBAL_API get meshtrafficpermissions -m demo -o yaml
  ./strait --api-address http://127.0.0.1:$ZONE_API inspect dataplanes
  ./strait --api-address http://127.0.0.1:$ZONE_API inspect dataplane web-1 --type config
  tail -f $DATA/global.log
Not yet in this build: KDS sync between the CPs and zone ingresses (cross-zone calls); see the issues.
Press Ctrl-C to stop.
MSG
wait
