#!/usr/bin/env bash
# ensure-policy-pack.sh — make the policy pack in policy/ runnable by `pulumi preview --policy-pack`,
# and print its folder.
#
# Usage:
#   pulumi preview --policy-pack "$(bash scripts/ensure-policy-pack.sh)"
#   bash scripts/ensure-policy-pack.sh --deps-only   # dependencies only, no compile (what tests
#                                                    # that import the pack's sources need)
#
# stdout: exactly one line, the pack's folder. Everything else goes to stderr.
#
# What a Node.js policy pack needs, and where each part comes from:
#   * the engine starts a pack whose PulumiPolicy.yaml says `runtime: nodejs` through the Node.js
#     language host (RunPlugin, kind "analyzer"): the host scripts/ensure-pulumi.sh provides does
#     that (scripts/language-host/policy.go), so put its folder on PATH as for any preview;
#   * the pack's own dependencies (@pulumi/policy, and the @pulumi/pulumi whose run-policy-pack
#     starts it), as policy/package-lock.json locks them: `npm ci` in policy/ when
#     scripts/deps-fresh.js finds them missing or stale;
#   * the pack compiled to policy/dist/ (its package.json's main). `npm ci` compiles it (the
#     `prepare` script); afterwards an incremental tsc brings it up to date (about 1 s when nothing
#     changed). Compiled rather than left to the engine's ts-node, whose type check adds ~10 s to
#     every preview on 2 cores.
# The language host runs `node` from PATH: put Node >= 22 first on PATH.
set -euo pipefail

log() { printf 'ensure-policy-pack: %s\n' "$*" >&2; }

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACK="$REPO_ROOT/policy"

if ! node "$REPO_ROOT/scripts/deps-fresh.js" "$PACK" 2>/dev/null; then
  node "$REPO_ROOT/scripts/deps-fresh.js" "$PACK" || true # says why
  log "installing the pack's dependencies (npm ci in $PACK)"
  err="$(mktemp)"
  if ! (cd "$PACK" && npm ci --no-audit --no-fund --loglevel=error) >&2 2>"$err"; then
    # As in scripts/run.sh: npm ci refuses a lockfile that lacks other platforms' optional
    # packages when the registry in use cannot describe them; install the locked versions then.
    if ! grep -q "can only install packages when your package.json and package-lock.json" "$err"; then
      cat "$err" >&2
      rm -f "$err"
      exit 1
    fi
    log "npm ci refused the lockfile; installing the locked versions with npm install --no-save"
    (cd "$PACK" && npm install --no-audit --no-fund --no-save --loglevel=error) >&2
  fi
  rm -f "$err"
  node "$REPO_ROOT/scripts/deps-fresh.js" "$PACK"
fi

if [ "${1:-}" = --deps-only ]; then
  printf '%s\n' "$PACK"
  exit 0
fi
log "compiling the pack (tsc -p policy, incremental)"
(cd "$PACK" && ./node_modules/.bin/tsc -p tsconfig.json) >&2
printf '%s\n' "$PACK"
