#!/usr/bin/env bash
# ensure-pulumi.sh — make a Pulumi CLI and a Node.js language host available, and print the
# directory that holds them.
#
# Usage:
#   PATH="$(bash scripts/ensure-pulumi.sh):$PATH"
#   bash scripts/ensure-pulumi.sh --versions     # prints the default and the oldest supported version
#   export PULUMI_SKIP_UPDATE_CHECK=true
#   export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
#   # plus, for local runs: PULUMI_BACKEND_URL=file://<dir>, PULUMI_CONFIG_PASSPHRASE=<anything>
#
# Callers should set PULUMI_SKIP_UPDATE_CHECK=true and
# PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true: there is no network for the CLI's update
# check or for plugin downloads, and every plugin a run needs is in the printed directory.
# The language host runs `node` from PATH, so put Node >= 22 before it on PATH as well.
#
# stdout: exactly one line, the bin directory (it holds `pulumi`, `pulumi-language-nodejs` and
#         the `pulumi-resource-pulumi-nodejs` shim). Everything else goes to stderr.
#
# Which CLI:
#   * AEP_PULUMI_VERSION=X.Y.Z set: exactly that version (a `pulumi` on PATH only if it reports it).
#   * Otherwise whatever `pulumi` is first on PATH, if it is at least the oldest supported version
#     (v3.259.0) and a Node.js language host is beside it or on PATH; else the default, v3.277.0.
#   v3.277.0 is the newest release whose sources (github.com/pulumi/pulumi/pkg/v3, where the CLI
#   lives) the Go module proxy serves; v3.259.0 is the oldest this package is tested with: CI runs
#   the end-to-end lifecycle suite against both. The repo's @pulumi/pulumi (3.270.0) runs under
#   either engine.
#
# Which language host: our own, built from scripts/language-host/ (a small Go program; see its
# main.go). It also starts Node.js policy packs (`--policy-pack`; policy.go), as the engine asks the
# language host to. The official one cannot be had here: the proxy refuses its module
# (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) at every version.
#
# What it does, in order:
#   1. If `pulumi` on PATH is usable (see above) and has an executable `pulumi-language-nodejs`
#      beside it (an official install) or on PATH, prints its directory. One of our own cache entries
#      on PATH (perhaps built from older host sources) stands for its version: step 2 finds or
#      builds the current entry of that version.
#   2. Otherwise uses ${XDG_CACHE_HOME:-$HOME/.cache}/aep-pulumi, building what is missing:
#        cli-vX.Y.Z/pulumi               the CLI, per version (~153 MB)
#        vX.Y.Z-host-<hash>/bin/         what we print: a hard link to that CLI, our language host
#                                        (~16 MB) and the shim copied from node_modules/@pulumi/pulumi.
#                                        <hash> covers scripts/language-host/* and the shim, so
#                                        editing the host rebuilds only the host.
#      Measured on 2 cores: with empty Go caches ~8 min in all (v3.259.0: 413 s; v3.274.1: 495 s
#      for the CLI and 17 s for the host; ~1.7 GB of module downloads); the second version after
#      the first (its caches warm, the newer modules not) ~5.5 min; with a warm module cache but
#      an empty build cache ~6.5 min; with warm Go caches ~13 s; the host alone 1-25 s; a run that
#      finds the cache ~0.1 s.
#      The CLI is built in a throwaway wrapper module (`go install pkg@version` refuses pkg/v3
#      because its go.mod has replace directives; in our own main module they are ignored, so the
#      wrapper copies the non-local ones and pins pkg/v3 and sdk/v3 to vX.Y.Z), with the flags of
#      Pulumi's release build: CGO_ENABLED=0, -trimpath, -tags osusergo,grpcnotrace,
#      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=vX.Y.Z".
#      Each result is assembled in a temp dir beside its cache entry and renamed into place, so an
#      interrupted build never leaves a half-made entry; one build at a time (flock), a second
#      caller waits and then finds the cache. GOPATH/GOMODCACHE/GOCACHE stay at Go's defaults (or
#      whatever the caller set) so later builds reuse them.
#   3. Without a usable `pulumi` and without `go` (or with AEP_PULUMI_NO_BUILD=1), or if the proxy
#      refuses a module, prints how to install the CLI and exits 1.
# Old entries (other versions, other host hashes) are left in place; delete the folder to reclaim.
set -euo pipefail

log() { printf 'ensure-pulumi: %s\n' "$*" >&2; }

# The newest pkg/v3 the module proxy serves, and the oldest CLI this package is tested with (see
# the header). Override: AEP_PULUMI_VERSION.
DEFAULT_VERSION="3.277.0"
OLDEST_VERSION="3.259.0"
# `ensure-pulumi.sh --versions` prints both ("DEFAULT OLDEST"), for CI to test each.
if [ "${1:-}" = --versions ]; then
  echo "$DEFAULT_VERSION $OLDEST_VERSION"
  exit 0
fi

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST_SRC="$REPO_ROOT/scripts/language-host"
SDK_DIR="$REPO_ROOT/node_modules/@pulumi/pulumi"
PKG_MOD="github.com/pulumi/pulumi/pkg/v3"
SDK_MOD="github.com/pulumi/pulumi/sdk/v3"
VERSION_VAR="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
SHIM_NAME="pulumi-resource-pulumi-nodejs"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/aep-pulumi"

how_to_install() {
  cat >&2 <<EOF
ensure-pulumi: no Pulumi CLI >= v$1 with a Node.js language host here, and this script cannot build one: $2.
Install the Pulumi CLI v$1 or later in one of these ways, then run again:
  * with the official installer script from the Pulumi docs ("Download & install Pulumi"),
    passing "--version $1"; then put ~/.pulumi/bin on PATH (it holds pulumi and
    pulumi-language-nodejs);
  * or install Go (>= 1.25) with access to a Go module proxy that serves $PKG_MOD@v$1,
    and run this script again: it builds the CLI and this repo's own language host
    (scripts/language-host) itself.
EOF
}

# ---- 1. wanted version -------------------------------------------------------------------
# EXACT=1: AEP_PULUMI_VERSION asks for one version. EXACT=0: any usable one on PATH, else the default.
if [ -n "${AEP_PULUMI_VERSION:-}" ]; then
  VERSION="${AEP_PULUMI_VERSION#v}"
  EXACT=1
else
  VERSION="$DEFAULT_VERSION"
  EXACT=0
fi
if ! printf '%s' "$VERSION" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$'; then
  log "cannot use version '$VERSION' (expected X.Y.Z)"
  exit 1
fi

# version_at_least HAVE WANT: both X.Y.Z (a pre-release suffix on HAVE is ignored).
version_at_least() {
  local have="${1%%[-+]*}"
  [ "$(printf '%s\n%s\n' "$2" "$have" | sort -V | head -n 1)" = "$2" ]
}

if ! version_at_least "$VERSION" "$OLDEST_VERSION"; then
  log "AEP_PULUMI_VERSION=$VERSION is older than the oldest supported CLI, v$OLDEST_VERSION"
  exit 1
fi
if [ "$EXACT" = 1 ]; then
  log "wanted Pulumi CLI v$VERSION (AEP_PULUMI_VERSION) with a Node.js language host"
else
  log "wanted the Pulumi CLI on PATH if it is v$OLDEST_VERSION or later, else v$VERSION, with a Node.js language host"
fi

# ---- 2. a usable pulumi on PATH ----------------------------------------------------------
if existing="$(command -v pulumi 2>/dev/null)"; then
  dir="$(cd "$(dirname "$existing")" && pwd -P)"
  have="$(PULUMI_SKIP_UPDATE_CHECK=true "$existing" version 2>/dev/null | head -n 1 || true)"
  have="${have#v}"
  if ! printf '%s' "$have" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+'; then
    log "ignoring $existing: it reports '${have:-nothing}' as its version"
  elif [ "$EXACT" = 1 ] && [ "$have" != "$VERSION" ]; then
    log "ignoring $existing: it is v$have, AEP_PULUMI_VERSION asks for v$VERSION"
  elif ! version_at_least "$have" "$OLDEST_VERSION"; then
    log "ignoring $existing: v$have is older than the oldest supported, v$OLDEST_VERSION"
  else
    case "$dir/" in
      "$(mkdir -p "$CACHE_ROOT" && cd "$CACHE_ROOT" && pwd -P)"/*)
        # One of ours: its version, from the current cache entry (found or built below).
        if printf '%s' "$have" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$'; then
          VERSION="$have"
          log "$existing is a cached v$have: using that version"
        fi
        ;;
      *)
        host="$dir/pulumi-language-nodejs"
        [ -x "$host" ] || host="$(command -v pulumi-language-nodejs 2>/dev/null || true)"
        if [ -z "$host" ]; then
          log "ignoring $existing (v$have): no pulumi-language-nodejs beside it or on PATH"
        else
          log "using $existing (v$have, language host $host)"
          dirname "$existing"
          exit 0
        fi
        ;;
    esac
  fi
fi
V="v$VERSION"

# ---- 3. the cache ------------------------------------------------------------------------
SHIM_SRC="$SDK_DIR/$SHIM_NAME"
if [ ! -f "$SHIM_SRC" ]; then
  log "$SHIM_SRC is missing: run 'npm ci' in $REPO_ROOT first"
  exit 1
fi
if [ ! -f "$HOST_SRC/main.go" ] || [ ! -f "$HOST_SRC/go.mod" ]; then
  log "$HOST_SRC is incomplete (main.go, go.mod expected)"
  exit 1
fi

# The host's cache key: every file of its source folder (names and contents) and the shim.
HOST_HASH="$(
  cd "$HOST_SRC" &&
    { find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; sha256sum < "$SHIM_SRC"; } |
    sha256sum | cut -c1-12
)"
CLI_DIR="$CACHE_ROOT/cli-$V"
CLI="$CLI_DIR/pulumi"
ENTRY="$CACHE_ROOT/$V-host-$HOST_HASH"
BIN="$ENTRY/bin"

# Entries only ever appear complete (atomic rename after checking), so presence is enough.
cli_ok() { [ -x "$CLI" ]; }
bin_ok() { [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] && [ -x "$BIN/$SHIM_NAME" ]; }

if bin_ok; then
  log "using cached $BIN"
  printf '%s\n' "$BIN"
  exit 0
fi

# ---- 4. build ----------------------------------------------------------------------------
GO="$(command -v go 2>/dev/null || true)"
if [ -z "$GO" ] && [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; fi
log "no cache entry $ENTRY: building what is missing"
if [ "${AEP_PULUMI_NO_BUILD:-}" = 1 ]; then
  how_to_install "$VERSION" "AEP_PULUMI_NO_BUILD=1 forbids building one"
  exit 1
fi
if [ -z "$GO" ]; then
  how_to_install "$VERSION" "no usable 'pulumi' on PATH and no 'go' to build one"
  exit 1
fi

mkdir -p "$CACHE_ROOT"
# One build at a time; a second caller waits, then finds the cache.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE_ROOT/.build.lock"
  if ! flock -n 9; then
    log "another build is running; waiting for it"
    flock 9
  fi
  if bin_ok; then
    log "using cached $BIN"
    printf '%s\n' "$BIN"
    exit 0
  fi
fi

# Leftovers of interrupted builds (we hold the lock, so none is running).
rm -rf "$CACHE_ROOT"/.*.partial.* "$CACHE_ROOT"/.*.old.*

START=$SECONDS
WORK="$(mktemp -d "${TMPDIR:-/tmp}/aep-pulumi-build.XXXXXX")"
STAGES=()
cleanup() { rm -rf "$WORK" "${STAGES[@]}"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# new_stage NAME: sets NEW_STAGE to an empty dir beside the cache entries (same file system: the
# rename is atomic), removed on exit unless it was installed.
new_stage() {
  NEW_STAGE="$(mktemp -d "$CACHE_ROOT/.$1.partial.XXXXXX")"
  chmod 755 "$NEW_STAGE"
  STAGES+=("$NEW_STAGE")
}

# install_stage STAGE DEST: moves a finished stage into place; a stale DEST is moved aside first.
install_stage() {
  if [ -e "$2" ]; then
    local old
    old="$(mktemp -d "$CACHE_ROOT/.$(basename "$2").old.XXXXXX")"
    mv "$2" "$old/"
    rm -rf "$old"
  fi
  mv -T "$1" "$2"
}

export GOWORK=off GO111MODULE=on CGO_ENABLED=0
GOERR="$WORK/go-stderr.txt"
log "building with $("$GO" version) (GOMODCACHE=$("$GO" env GOMODCACHE), GOCACHE=$("$GO" env GOCACHE))"

# run_go DIR DESCRIPTION ARGS... : go's stdout is kept for the caller, its stderr shown on failure.
run_go() {
  local dir="$1" what="$2"; shift 2
  if ! (cd "$dir" && "$GO" "$@") 2>"$GOERR"; then
    log "failed: $what"
    sed 's/^/  | /' "$GOERR" >&2
    return 1
  fi
  if [ -s "$GOERR" ]; then sed 's/^/  | /' "$GOERR" >&2; fi
}

# ---- 4a. the CLI, once per version -------------------------------------------------------
json_field() { # json_field FIELD < go -json output (first match, flat string fields only)
  sed -n "s/^[[:space:]]*\"$1\":[[:space:]]*\"\([^\"]*\)\".*/\1/p" | head -n 1
}

# Non-local replace directives of a go.mod file, as OLD[@VER]=NEW@VER (go mod edit syntax).
remote_replaces() {
  awk '
    /^replace[[:space:]]*\(/ { inblock = 1; next }
    inblock && /^\)/          { inblock = 0; next }
    inblock                   { print; next }
    /^replace[[:space:]]/     { sub(/^replace[[:space:]]+/, ""); print }
  ' "$1" | sed 's://.*$::' | awk -F'=>' 'NF == 2 {
      no = split($1, o, " "); nn = split($2, n, " ");
      if (nn == 2) print o[1] (no == 2 ? "@" o[2] : "") "=" n[1] "@" n[2]
    }'
}

# Called plainly (not in a condition), so that set -e stops it at the first failure.
build_cli() {
  local mod="$WORK/cli" stage m out gomod pkg_gomod="" sdk_gomod="" f r k got
  mkdir -p "$mod"
  new_stage "cli-$V"; stage="$NEW_STAGE"
  run_go "$mod" "go mod init" mod init aep-pulumi-cli-build

  log "CLI: downloading $PKG_MOD@$V and $SDK_MOD@$V"
  for m in "$PKG_MOD" "$SDK_MOD"; do
    # `go mod download -json` puts its error in the JSON on stdout.
    if ! out="$(cd "$mod" && "$GO" mod download -json "$m@$V" 2>"$GOERR")"; then
      log "failed: go mod download $m@$V"
      { cat "$GOERR"; printf '%s\n' "$out" | json_field Error | sed 's/\\n/\n/g; s/\\t/    /g'; } |
        sed 's/^/  | /' >&2
      how_to_install "$VERSION" "the Go module proxy does not give $m@$V"
      exit 1
    fi
    gomod="$(printf '%s\n' "$out" | json_field GoMod)"
    if [ "$m" = "$PKG_MOD" ]; then pkg_gomod="$gomod"; else sdk_gomod="$gomod"; fi
  done

  # Their own replace directives (ignored in a dependency), minus the local ../ ones, one per
  # module path; the SDK's come last so its pins win if two disagree. Then pin pkg/v3 and sdk/v3
  # to the release itself, so that nothing in the graph can move the SDK to another version.
  local -A replace_of=()
  for f in "$pkg_gomod" "$sdk_gomod"; do
    while IFS= read -r r; do
      [ -n "$r" ] && replace_of["${r%%=*}"]="$r"
    done < <(remote_replaces "$f")
  done
  replace_of["$PKG_MOD"]="$PKG_MOD=$PKG_MOD@$V"
  replace_of["$SDK_MOD"]="$SDK_MOD=$SDK_MOD@$V"
  local replaces=()
  for k in "${!replace_of[@]}"; do
    replaces+=("-replace=${replace_of[$k]}")
    log "CLI wrapper: replace ${replace_of[$k]/=/ => }"
  done
  run_go "$mod" "go mod edit" mod edit -require="$PKG_MOD@$V" -require="$SDK_MOD@$V" "${replaces[@]}" \
    -tool="$PKG_MOD/cmd/pulumi"

  log "CLI: resolving the module graph (go mod tidy; the first time this downloads ~1.6 GB of modules)"
  run_go "$mod" "go mod tidy" mod tidy >&2
  log "CLI: compiling pulumi $V (CGO_ENABLED=0 -trimpath -tags osusergo,grpcnotrace)"
  run_go "$mod" "build pulumi" build -trimpath -tags "osusergo,grpcnotrace" \
    -ldflags "-X $VERSION_VAR=$V" -o "$stage/pulumi" "$PKG_MOD/cmd/pulumi" >&2
  cp "$mod/go.mod" "$mod/go.sum" "$stage/"   # a record of what was built

  got="$(PULUMI_SKIP_UPDATE_CHECK=true "$stage/pulumi" version 2>/dev/null | head -n 1 || true)"
  if [ "$got" != "$V" ]; then
    log "the built pulumi reports '$got', not $V"
    exit 1
  fi
  install_stage "$stage" "$CLI_DIR"
  log "CLI: built $V in $((SECONDS - START)) s ($(du -sh "$CLI" | cut -f1))"
}

if cli_ok; then
  log "CLI: using cached $CLI"
else
  build_cli
fi

# ---- 4b. our language host, and the bin dir ----------------------------------------------
HOST_START=$SECONDS
new_stage "$V-host-$HOST_HASH"; STAGE="$NEW_STAGE"
mkdir -p "$STAGE/bin"
# A hard link, not a symlink: the engine looks for bundled plugins beside the real path of the
# running `pulumi` (it resolves symlinks), and this costs no space. cp if linking is refused.
ln "$CLI" "$STAGE/bin/pulumi" 2>/dev/null || cp "$CLI" "$STAGE/bin/pulumi"
log "host: compiling $HOST_SRC ($HOST_HASH)"
# go.sum is committed, so this needs no `go mod tidy`; -mod=readonly makes a stale one an error.
# The host pins its own sdk/v3 (its go.mod) whatever AEP_PULUMI_VERSION says: it only uses the
# language-runtime protocol, which stays compatible across 3.x engines.
run_go "$HOST_SRC" "build the language host" build -mod=readonly -buildvcs=false -trimpath \
  -ldflags "-X main.version=$VERSION+aep.$HOST_HASH" -o "$STAGE/bin/pulumi-language-nodejs" . >&2
cp "$SHIM_SRC" "$STAGE/bin/$SHIM_NAME"
chmod +x "$STAGE/bin/$SHIM_NAME"
got="$("$STAGE/bin/pulumi-language-nodejs" -version 2>/dev/null || true)"
if [ "$got" != "$VERSION+aep.$HOST_HASH" ]; then
  log "the built language host reports '$got', not $VERSION+aep.$HOST_HASH"
  exit 1
fi
install_stage "$STAGE" "$ENTRY"
log "host: built in $((SECONDS - HOST_START)) s ($(du -sh "$BIN/pulumi-language-nodejs" | cut -f1)); total $((SECONDS - START)) s"
printf '%s\n' "$BIN"
