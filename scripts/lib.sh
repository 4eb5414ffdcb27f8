# Sourced by the other scripts: logging and a pnpm that needs nothing installed beforehand.
PNPM_VERSION="10.34.9"

step() { printf '\n==> %s\n' "$*" >&2; }

# Runs the pinned pnpm: a matching global pnpm if there is one, otherwise through npx
# (npm ships with Node, so a fresh machine needs nothing else).
pnpm() {
  if command -v pnpm >/dev/null 2>&1 && [[ "$(command pnpm --version 2>/dev/null)" == "$PNPM_VERSION" ]]; then
    command pnpm "$@"
  else
    npx --yes "pnpm@$PNPM_VERSION" "$@"
  fi
}

# Installs the workspace's dependencies once per lockfile change (better-sqlite3 compiles from source).
install_dependencies() {
  local stamp=node_modules/.strait-install-stamp
  local want
  want="$(sha256sum pnpm-lock.yaml package.json pnpm-workspace.yaml | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "dependencies up to date" >&2
    return
  fi
  pnpm install --frozen-lockfile --reporter=append-only >&2
  echo "$want" >"$stamp"
}
