#!/usr/bin/env bash
# `npm start`: installs what is needed, then runs the whole multi-zone picture on loopback, each
# control plane on the embedded SQLite store (data and logs under .strait/demo):
#   a global CP; zone CPs zone-1 and zone-2 connected to it over KDS; one zone ingress per zone;
#   `backend` in zone-2 and `web` in zone-1, each behind a real Envoy run by `strait dp run`,
#   in mesh `default` with builtin mTLS. web calls backend across zones, through zone-2's ingress.
# Keeps running until Ctrl-C, which stops everything. Safe to run again: each run starts clean.
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
GLOBAL_KDS="${STRAIT_DEMO_GLOBAL_KDS_PORT:-5685}"
GLOBAL="http://127.0.0.1:$GLOBAL_API"
PIDFILE="$DATA/demo.pids"

# Each process runs in its own process group (setsid) so that stopping it also stops its Envoy.
pids=()
stop_all() { # pid...: SIGTERM (graceful: proxies drain and deregister), then SIGKILL what is left
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "$@"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    if [[ $alive == 0 ]]; then break; fi
    sleep 0.2
  done
  for pid in "$@"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
cleanup() {
  trap - EXIT INT TERM
  step "stopping"
  # Proxies first (they deregister from their zone), then the zones, then the global.
  local reversed=()
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do reversed+=("${pids[i]}"); done
  if ((${#reversed[@]} > 0)); then stop_all "${reversed[@]}"; fi
  rm -f "$PIDFILE"
}

# Whether PID still runs something this script started (pids get reused once a process is gone).
runs() { # PID WORD
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}
# A previous run that did not get to clean up (its script was killed) may have left processes.
if [[ -f "$PIDFILE" ]]; then
  read -r owner <"$PIDFILE" || true
  if [[ -n "${owner:-}" ]] && runs "$owner" demo.sh; then
    echo "a demo is already running (pid $owner); stop it with Ctrl-C in its terminal or: kill $owner" >&2
    exit 1
  fi
  stale=()
  while read -r pid; do
    if runs "$pid" strait || runs "$pid" demo-app; then stale+=("$pid"); fi
  done < <(tail -n +2 "$PIDFILE")
  if ((${#stale[@]} > 0)); then
    step "stopping what a previous demo left running"
    stop_all "${stale[@]}"
  fi
fi
# A clean slate each run: proxies of an earlier run that died without deregistering would
# otherwise stay in their zone's store as endpoints.
rm -rf "$DATA"
mkdir -p "$DATA"
echo "$$" >"$PIDFILE"
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# start NAME LOGFILE READY_TEXT COMMAND...: runs COMMAND in the background, waits for READY_TEXT in its log.
start() {
  local name="$1" log="$2" ready="$3"
  shift 3
  setsid "$@" >"$log" 2>&1 &
  pids+=($!)
  echo "$!" >>"$PIDFILE"
  for _ in $(seq 1 300); do
    if grep -qF -- "$ready" "$log" 2>/dev/null; then return 0; fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "$name failed to start; see $log" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "$name did not become ready; see $log" >&2
  exit 1
}

# wait_until WHAT COMMAND...: retries COMMAND (quietly) for up to 60 s.
wait_until() {
  local what="$1"
  shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $what" >&2
  exit 1
}

# http_get URL: prints the body (plain Node, no curl needed); fails on a network error.
http_get() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(5000) }).then(async (r) => process.stdout.write(await r.text())).catch(() => process.exit(1))' "$1"
}

step "starting the global CP (API :$GLOBAL_API, KDS :$GLOBAL_KDS)"
READY='"msg":"ready"'
start global-cp "$DATA/global.log" "$READY" env STRAIT_DATA_DIR="$DATA/global" STRAIT_API_PORT="$GLOBAL_API" \
  STRAIT_DIAGNOSTICS_PORT=5680 STRAIT_KDS_PORT="$GLOBAL_KDS" ./strait global-cp run

step "turning on builtin mTLS in mesh default and applying examples/demo.yaml (on the global)"
cat <<'YAML' | ./strait --api-address "$GLOBAL" apply -f -
type: Mesh
name: default
mtls:
  enabledBackend: ca-1
  backends:
    - name: ca-1
      type: builtin
YAML
./strait --api-address "$GLOBAL" apply -f examples/demo.yaml

mesh_synced() { # ZONE_API: mesh default, with its mTLS backend, has reached the zone
  ./strait --api-address "$1" get mesh default -o json | grep -q enabledBackend
}

# Ports of zone N: API N5681, diagnostics N5680, xDS N5678, ingress 1000N (admin N9001).
start_zone() { # N
  local zone="zone-$1"
  step "starting zone CP $zone (API :${1}5681) and its zone ingress (:1000$1)"
  ./strait --api-address "$GLOBAL" generate zone-token --zone "$zone" --scope cp >"$DATA/$zone.token"
  start "$zone CP" "$DATA/$zone.log" "$READY" env STRAIT_DATA_DIR="$DATA/$zone" STRAIT_ZONE_NAME="$zone" \
    STRAIT_API_PORT="${1}5681" STRAIT_DIAGNOSTICS_PORT="${1}5680" STRAIT_XDS_PORT="${1}5678" \
    STRAIT_GLOBAL_ADDRESS="grpcs://127.0.0.1:$GLOBAL_KDS" STRAIT_GLOBAL_CA_FILE="$DATA/global/tls/ca.crt" \
    STRAIT_ZONE_TOKEN_FILE="$DATA/$zone.token" ./strait zone-cp run
  # Proxies need the mesh (with its mTLS backend) synced from the global first.
  wait_until "mesh default to reach $zone" mesh_synced "http://127.0.0.1:${1}5681"
  ./strait --api-address "$GLOBAL" generate zone-token --zone "$zone" --scope ingress >"$DATA/$zone-ingress.token"
  start "$zone ingress" "$DATA/$zone-ingress.log" "$READY" ./strait zone-ingress run \
    --cp-address "https://127.0.0.1:${1}5678" --ca-cert-file "$DATA/$zone/tls/ca.crt" \
    --zone-token-file "$DATA/$zone-ingress.token" --name "ingress-$zone" \
    --address 127.0.0.1 --port "1000$1" --advertised-address 127.0.0.1 --advertised-port "1000$1" \
    --admin-port "${1}9001" --work-dir "$DATA/$zone-ingress"
}
start_zone 1
start_zone 2

# run_service ZONE NAME APP_PORT INBOUND_PORT ADMIN_PORT OUTBOUND_PORT CALLS [APP_UPSTREAM]
run_service() {
  local n="$1" name="$2"
  start "$name app" "$DATA/$name-app.log" "listening on" node examples/demo-app.mjs "$name (zone-$n)" "$3" ${8:+"$8"}
  ./strait --api-address "http://127.0.0.1:${n}5681" generate dataplane-token --name "$name-1" --mesh default \
    --tag "kuma.io/service=$name" >"$DATA/$name.token"
  start "$name sidecar" "$DATA/$name-dp.log" "$READY" ./strait dp run --cp-address "https://127.0.0.1:${n}5678" \
    --ca-cert-file "$DATA/zone-$n/tls/ca.crt" \
    --dataplane-file examples/dataplane.yaml --dataplane-token-file "$DATA/$name.token" \
    --dataplane-var name="$name-1" --dataplane-var service="$name" --dataplane-var appPort="$3" \
    --dataplane-var inboundPort="$4" --dataplane-var adminPort="$5" --dataplane-var outboundPort="$6" \
    --dataplane-var calls="$7" --admin-port "$5" --work-dir "$DATA/$name-dp"
}
step "starting backend in zone-2 and web in zone-1 (web calls backend through its sidecar's outbound :18100)"
run_service 2 backend 28081 28091 29901 28099 web
run_service 1 web 18080 18090 19902 18100 backend http://127.0.0.1:18100/

step "waiting for web's first answer from backend in zone-2 (through zone-2's ingress)"
backend_answers_web() {
  http_get http://127.0.0.1:18080/ | grep -qF 'answered 200: hello from backend (zone-2)'
}
wait_until "web → backend across zones" backend_answers_web
answer="$(http_get http://127.0.0.1:18080/)"

cat <<MSG

Strait is running: a global CP, zones zone-1 and zone-2 with one ingress each, and web (zone-1)
calling backend (zone-2) through zone-2's ingress with mTLS between the two sidecars.

  \$ curl http://127.0.0.1:18080/     # web's app; it calls backend via its sidecar (outbound :18100)
$(sed 's/^/  /' <<<"$answer")

Watch it:
  ./strait --api-address $GLOBAL inspect zones            # both zones online
  ./strait --api-address $GLOBAL inspect zoneingresses    # each zone's ingress, online
  ./strait --api-address $GLOBAL get zoneingresses -o yaml  # what each ingress offers (availableServices)
  ./strait --api-address http://127.0.0.1:15681 inspect dataplanes    # zone-1: web
  ./strait --api-address http://127.0.0.1:15681 inspect dataplane web-1 --type config   # its Envoy config
  ./strait --api-address http://127.0.0.1:25681 inspect zoneingress ingress-zone-2     # zone-2's ingress: its SNI filter chains
  curl -s http://127.0.0.1:29001/stats | grep 'tcp.ingress_backend'  # zone-2 ingress: connections relayed
  Logs: $DATA/*.log  (global.log, zone-N.log, zone-N-ingress.log, web-dp.log, backend-dp.log, …)
Press Ctrl-C to stop everything.
MSG
wait
