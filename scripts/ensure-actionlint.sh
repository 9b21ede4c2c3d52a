#!/usr/bin/env bash
# ensure-actionlint.sh — make actionlint (the GitHub Actions workflow linter) available, and print
# its path. `npm test` lints the CI kit's workflow (examples/ci/github-actions.yml) with it.
#
# Usage:
#   "$(bash scripts/ensure-actionlint.sh)" examples/ci/github-actions.yml
#
# stdout: exactly one line, the actionlint executable. Everything else goes to stderr.
#
# Which: AEP_ACTIONLINT_VERSION=vX.Y.Z if set, else v1.7.12 (the newest release the Go module proxy
# serves). Like the Pulumi CLI (scripts/ensure-pulumi.sh), it is built from its Go module
# (github.com/rhysd/actionlint/cmd/actionlint) once per version, with CGO_ENABLED=0 and -trimpath,
# and cached under ${XDG_CACHE_HOME:-$HOME/.cache}/aep-actionlint/vX.Y.Z/actionlint. The build is
# made in a temp dir beside the cache entry and renamed into place (an interrupted build leaves no
# half-made entry), one at a time (flock). Measured on 2 cores: ~1 min with empty Go caches, a few
# seconds with warm ones; a run that finds the cache ~0.01 s. Without `go`, prints how to get it
# and exits 1.
set -euo pipefail

log() { printf 'ensure-actionlint: %s\n' "$*" >&2; }

VERSION="${AEP_ACTIONLINT_VERSION:-v1.7.12}"
VERSION="v${VERSION#v}"
if ! printf '%s' "$VERSION" | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+$'; then
  log "cannot use version '$VERSION' (expected vX.Y.Z)"
  exit 1
fi
MODULE="github.com/rhysd/actionlint/cmd/actionlint"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/aep-actionlint"
ENTRY="$CACHE_ROOT/$VERSION"
BIN="$ENTRY/actionlint"

if [ -x "$BIN" ]; then
  printf '%s\n' "$BIN"
  exit 0
fi

GO="$(command -v go 2>/dev/null || true)"
if [ -z "$GO" ] && [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; fi
if [ -z "$GO" ]; then
  log "no actionlint $VERSION in $ENTRY and no 'go' to build it: install Go (>= 1.24) with access to a Go module proxy, or put actionlint $VERSION at $BIN"
  exit 1
fi

mkdir -p "$CACHE_ROOT"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.build.lock"
  if ! flock -n 9; then
    log "another build is running; waiting for it"
    flock 9
  fi
  if [ -x "$BIN" ]; then
    printf '%s\n' "$BIN"
    exit 0
  fi
fi

START=$SECONDS
STAGE="$(mktemp -d "$CACHE_ROOT/.$VERSION.partial.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
log "building $MODULE@$VERSION with $("$GO" version)"
if ! GOWORK=off GO111MODULE=on CGO_ENABLED=0 GOBIN="$STAGE" GOFLAGS=-trimpath "$GO" install "$MODULE@$VERSION" >&2; then
  log "failed: go install $MODULE@$VERSION"
  exit 1
fi
got="$("$STAGE/actionlint" -version 2>/dev/null | head -n 1 || true)"
if [ "$got" != "$VERSION" ]; then
  log "the built actionlint reports '$got', not $VERSION"
  exit 1
fi
chmod 755 "$STAGE"
rm -rf "$ENTRY"
mv -T "$STAGE" "$ENTRY"
trap - EXIT
log "built actionlint $VERSION in $((SECONDS - START)) s"
printf '%s\n' "$BIN"
