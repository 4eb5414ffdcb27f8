#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs pnpm's dependencies and Envoy, checks the
# generated code, typechecks, lints, then runs the unit/integration and e2e tiers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

step "installing dependencies (pnpm $PNPM_VERSION)"
install_dependencies
step "installing Envoy"
ENVOY_BIN="$(bash scripts/install-envoy.sh)"
export ENVOY_BIN
"$ENVOY_BIN" --version >&2
step "checking that generated code is current"
pnpm run --silent proto:check
step "typecheck"
pnpm run --silent typecheck
step "lint"
pnpm run --silent lint
step "unit and integration tests"
pnpm run --silent test:unit
step "end-to-end tests (real processes, real Envoy)"
pnpm run --silent test:e2e
step "all tests passed"
