#!/usr/bin/env bash
# Regenerates proto/src/gen from the Envoy API protos shipped in @grpc/grpc-js-xds, our patched
# validate.proto and kds/v1, with buf + protoc-gen-es (see buf.gen.yaml and README.md).
#
#   bash proto/generate.sh           rewrite proto/src/gen
#   bash proto/generate.sh --check   regenerate into a temp dir; exit 1 if proto/src/gen differs
set -euo pipefail

PROTO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN_DIR="$PROTO_DIR/node_modules/.bin"
DEPS_DIR="$PROTO_DIR/node_modules/@grpc/grpc-js-xds/deps"
GEN_DIR="$PROTO_DIR/src/gen"

# The files to generate; include_imports adds everything they import (except the well-known
# types, which come from @bufbuild/protobuf/wkt). Only add files whose imports are all shipped:
# the opencensus, opentelemetry and prometheus-client protos are not.
PATHS=(
  # xDS transport: ADS (state-of-the-world and delta) and SDS
  envoy/service/discovery/v3/ads.proto
  envoy/service/discovery/v3/discovery.proto
  envoy/service/secret/v3/sds.proto
  # resources
  envoy/config/bootstrap/v3/bootstrap.proto
  envoy/config/listener/v3/listener.proto
  envoy/config/route/v3/route.proto
  envoy/config/cluster/v3/cluster.proto
  envoy/config/endpoint/v3/endpoint.proto
  envoy/config/core/v3/health_check.proto
  envoy/config/metrics/v3/stats.proto
  envoy/config/rbac/v3/rbac.proto
  envoy/config/trace/v3/zipkin.proto
  envoy/config/trace/v3/datadog.proto
  # network filters
  envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
  envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto
  envoy/extensions/filters/network/rbac/v3/rbac.proto
  envoy/extensions/filters/network/local_ratelimit/v3/local_rate_limit.proto
  # HTTP filters
  envoy/extensions/filters/http/router/v3/router.proto
  envoy/extensions/filters/http/rbac/v3/rbac.proto
  envoy/extensions/filters/http/fault/v3/fault.proto
  envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto
  envoy/extensions/filters/http/health_check/v3/health_check.proto
  # listener filters
  envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto
  # TLS
  envoy/extensions/transport_sockets/tls/v3/tls.proto
  envoy/extensions/transport_sockets/tls/v3/common.proto
  envoy/extensions/transport_sockets/tls/v3/secret.proto
  # access logs, upstream protocol options, retry host predicates and priorities
  envoy/extensions/access_loggers/file/v3/file.proto
  envoy/extensions/access_loggers/stream/v3/stream.proto
  envoy/extensions/upstreams/http/v3/http_protocol_options.proto
  envoy/extensions/retry/host/previous_hosts/v3/previous_hosts.proto
  envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config.proto
  # types
  envoy/type/matcher/v3/string.proto
  envoy/type/matcher/v3/regex.proto
  envoy/type/matcher/v3/metadata.proto
  envoy/type/v3/percent.proto
  envoy/type/v3/range.proto
  # ours
  kds/v1/kds.proto
)

die() {
  echo "generate.sh: $*" >&2
  exit 1
}

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) die "unknown argument '$1' (usage: generate.sh [--check])" ;;
esac

[[ -x "$BIN_DIR/buf" && -x "$BIN_DIR/protoc-gen-es" ]] ||
  die "buf or protoc-gen-es missing from $BIN_DIR; run pnpm install at the repository root"
[[ -d "$DEPS_DIR/envoy-api" ]] || die "Envoy protos missing: $DEPS_DIR (is @grpc/grpc-js-xds installed?)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One input tree, as protoc would see it with -I for each root. The upstream validate.proto is
# replaced by our patched copy (third_party/validate; see README.md).
input="$work/input"
mkdir -p "$input/validate" "$input/kds"
cp -R "$DEPS_DIR/envoy-api/envoy" "$DEPS_DIR/xds/xds" "$DEPS_DIR/xds/udpa" "$DEPS_DIR/googleapis/google" "$input/"
cp "$PROTO_DIR/third_party/validate/validate.proto" "$input/validate/"
cp -R "$PROTO_DIR/kds/v1" "$input/kds/"

path_args=()
for p in "${PATHS[@]}"; do
  path_args+=(--path "$p")
done

# buf resolves --path against the working directory, so run it from the input root.
(cd "$input" && PATH="$BIN_DIR:$PATH" buf generate --template "$PROTO_DIR/buf.gen.yaml" -o "$work/out" "${path_args[@]}")
fresh="$work/out/src/gen"
[[ -d "$fresh" ]] || die "buf generate produced nothing in $fresh"

if $check; then
  if [[ ! -d "$GEN_DIR" ]]; then
    die "proto/src/gen is missing; run 'pnpm proto' and commit the result"
  fi
  if ! diff -r -q "$GEN_DIR" "$fresh" >"$work/diff.txt"; then
    {
      echo "generate.sh: proto/src/gen is out of date: regenerating it from the protos gives:"
      sed -e "s|$fresh|<regenerated>|g" -e "s|$PROTO_DIR/|proto/|g" -e 's/^/  /' "$work/diff.txt"
      echo "Run 'pnpm proto' (bash proto/generate.sh) and commit proto/src/gen."
    } >&2
    exit 1
  fi
  echo "proto/src/gen is up to date ($(find "$fresh" -name '*_pb.ts' | wc -l) files)"
  exit 0
fi

rm -rf "$GEN_DIR"
mkdir -p "$(dirname "$GEN_DIR")"
mv "$fresh" "$GEN_DIR"
echo "generated $(find "$GEN_DIR" -name '*_pb.ts' | wc -l) files into proto/src/gen ($(du -sh "$GEN_DIR" | cut -f1))"
