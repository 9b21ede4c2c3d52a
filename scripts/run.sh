#!/usr/bin/env bash
# run.sh demo|test|bench|emulator [ARGS...]: what `npm run demo`, `npm test`, `npm run bench` and
# `npm run emulator` run. Each
# first sets up what it needs, so the README's two commands work on a fresh clone with nothing
# installed but Node.js (>= 20), npm, and Go or a Pulumi CLI:
#   1. Node.js >= 22 (@pulumi/pulumi needs it): when the machine's is older, npm's `node@22` package
#      is installed once into ${XDG_CACHE_HOME:-~/.cache}/aep-node22 and put first on PATH.
#   2. Dependencies: `npm ci` when node_modules is missing or differs from package-lock.json
#      (scripts/deps-fresh.js decides; ~0.1 s when nothing is to do).
#   3. The Pulumi CLI and a Node.js language host: scripts/ensure-pulumi.sh (a `pulumi` on PATH, or
#      one built from Go modules and cached), put first on PATH; not for the emulator.
#   4. The build (tsc), then the command. ARGS go to jest (test) or the emulator's CLI, else ignored.
# `npm run` itself needs nothing installed, which is why this is a bash script and not a Node one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { printf 'run: %s\n' "$*" >&2; }

cmd="${1:-}"
case "$cmd" in
  demo | test | bench | emulator) shift ;;
  *)
    log "usage: bash scripts/run.sh demo|test|bench|emulator [ARGS...]"
    exit 2
    ;;
esac
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}"

# ---- 1. Node.js >= 22 ------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 22 ]; then
  node22="$CACHE/aep-node22"
  if [ ! -x "$node22/node_modules/node/bin/node" ]; then
    log "Node.js $(node --version 2>/dev/null || echo '(none)') is older than 22: installing npm's node@22 into $node22"
    # Into a temp folder first, then renamed: an interrupted install leaves nothing half-made.
    mkdir -p "$CACHE"
    partial="$(mktemp -d "$CACHE/.aep-node22.partial.XXXXXX")"
    if ! npm install --prefix "$partial" --no-audit --no-fund --no-save --loglevel=error node@22 >/dev/null; then
      rm -rf "$partial"
      log "could not install node@22 with npm; install Node.js >= 22 and run again"
      exit 1
    fi
    if [ -x "$node22/node_modules/node/bin/node" ]; then rm -rf "$partial"; else rm -rf "$node22" && mv -T "$partial" "$node22"; fi
  fi
  export PATH="$node22/node_modules/node/bin:$PATH"
fi
log "node $(node --version), npm $(npm --version)"

# ---- 2. dependencies -------------------------------------------------------------------------
if ! node scripts/deps-fresh.js 2>/dev/null; then
  node scripts/deps-fresh.js || true   # says why
  log "installing dependencies (npm ci)"
  err="$(mktemp)"
  if ! npm ci --no-audit --no-fund --loglevel=error 2>"$err"; then
    # npm ci refuses a lockfile that lacks other platforms' optional packages (jest's resolver
    # bindings) when the registry in use cannot describe them. Then install the locked versions
    # with npm install, without rewriting package-lock.json.
    if ! grep -q "can only install packages when your package.json and package-lock.json" "$err"; then
      cat "$err" >&2
      rm -f "$err"
      exit 1
    fi
    log "npm ci refused the lockfile (other platforms' optional packages); installing the locked versions with npm install --no-save"
    npm install --no-audit --no-fund --no-save --loglevel=error
  fi
  rm -f "$err"
  node scripts/deps-fresh.js
fi

# ---- 3. the Pulumi CLI -----------------------------------------------------------------------
if [ "$cmd" != emulator ]; then
  export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  pulumi_bin="$(bash scripts/ensure-pulumi.sh)"
  export PATH="$pulumi_bin:$PATH"
  log "pulumi $(pulumi version) from $pulumi_bin"
fi

# ---- 4. build and run ------------------------------------------------------------------------
bin="$ROOT/node_modules/.bin"
"$bin/tsc" -p tsconfig.json
# The policy pack ships compiled (policy/dist/, in the package's files); @pulumi/policy resolves
# from this package's own dependencies, so this needs no npm ci in policy/.
"$bin/tsc" -p policy/tsconfig.json
node scripts/after-build.js
case "$cmd" in
  demo) exec node scripts/demo.js ;;
  bench) exec node bench/run.js ;;
  emulator) exec node dist/emulator/cli.js "$@" ;;
  test)
    "$bin/tsc" -p tsconfig.examples.json
    exec "$bin/jest" "$@"
    ;;
esac
