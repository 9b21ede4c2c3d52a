#!/usr/bin/env bash
# preview.sh — the CI kit's one script: what its GitHub Actions workflow (github-actions.yml) and
# GitLab CI job (gitlab-ci.yml) run on every pull or merge request. Copy it to ci/preview.sh in
# the repository that holds your Pulumi program (the two workflows call it there).
#
# Two modes, chosen by what the job has (AEP_PREVIEW_MODE=aep|emulator forces one):
#   * aep: real credentials are present (AEP_CLIENT_ID, AEP_ORG_ID, and AEP_CLIENT_SECRET or
#     AEP_ACCESS_TOKEN) and PULUMI_STACK names the stack: `pulumi preview` of that stack on its own
#     backend (PULUMI_BACKEND_URL / PULUMI_ACCESS_TOKEN, as the job sets them). A preview makes no
#     request to Adobe (validation runs locally); the credentials are there for the provider's
#     configuration checks and for the policy pack to see the real stack.
#   * emulator: otherwise (a pull request from a fork, or the secrets are not set): starts the
#     package's Flow Service emulator (aep-flow-emulator, from the program's node_modules) on a
#     free port, and runs `pulumi up` then `pulumi destroy` of a throwaway stack (EMULATOR_STACK,
#     default "emulator") on a throwaway file backend: the program is proven to apply, with no
#     Adobe account. If the program reads config, commit a Pulumi.<EMULATOR_STACK>.yaml with test
#     values; its secrets are encrypted with the passphrase EMULATOR_PASSPHRASE (default
#     "emulator"; the real stack's PULUMI_CONFIG_PASSPHRASE is not used), so they are test values too.
#
# Settings (environment). Paths may hold spaces; relative ones are from the folder the script
# runs in (the repository's root in both workflows):
#   PROGRAM_DIR         the Pulumi program's folder (Pulumi.yaml), its npm dependencies installed; default "."
#   PULUMI_STACK        aep mode: the stack to preview (e.g. "acme/prod")
#   POLICY_PACK         optional: a policy pack folder, passed as --policy-pack (this package's
#                       policy/ folder, installed with npm ci); POLICY_PACK_CONFIG: its --policy-pack-config
#   SUMMARY_FILE        where the Markdown summary is appended; default $GITHUB_STEP_SUMMARY (the job's
#                       summary page on GitHub), else pulumi-preview.md (an artifact on GitLab)
#   AEP_EMULATOR        emulator mode: the emulator's executable (a path, no arguments); default
#                       aep-flow-emulator from PROGRAM_DIR/node_modules/.bin
#
# Exit code: 0 when every step passed; otherwise the failing step's. The summary says which step
# failed and shows its output (the CLI's own output: it never prints secret values).
set -euo pipefail

log() { printf 'preview: %s\n' "$*" >&2; }

PROGRAM_DIR="$(cd "${PROGRAM_DIR:-.}" && pwd)"
SUMMARY_FILE="${SUMMARY_FILE:-${GITHUB_STEP_SUMMARY:-pulumi-preview.md}}"
EMULATOR_STACK="${EMULATOR_STACK:-emulator}"
MAX_LINES=400 # of each step's output in the summary (GitHub keeps 1 MiB of summary per step)
export PULUMI_SKIP_UPDATE_CHECK=true

# Made absolute here: pulumi runs in PROGRAM_DIR, where a path relative to the repository's root
# (the workflows' `npm ci --prefix "$POLICY_PACK"`) would name another folder.
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }
policy_args=()
if [ -n "${POLICY_PACK:-}" ]; then
  if [ ! -d "$POLICY_PACK" ]; then
    log "POLICY_PACK=$POLICY_PACK: no such folder (from $PWD); set it to the policy pack's folder, or leave it empty"
    exit 2
  fi
  policy_args+=(--policy-pack "$(absolute "$POLICY_PACK")")
fi
if [ -n "${POLICY_PACK_CONFIG:-}" ]; then
  if [ ! -f "$POLICY_PACK_CONFIG" ]; then
    log "POLICY_PACK_CONFIG=$POLICY_PACK_CONFIG: no such file (from $PWD); set it to the --policy-pack-config JSON file, or leave it empty"
    exit 2
  fi
  policy_args+=(--policy-pack-config "$(absolute "$POLICY_PACK_CONFIG")")
fi

mode="${AEP_PREVIEW_MODE:-auto}"
if [ "$mode" = auto ]; then
  if [ -n "${AEP_CLIENT_ID:-}" ] && [ -n "${AEP_ORG_ID:-}" ] && { [ -n "${AEP_CLIENT_SECRET:-}" ] || [ -n "${AEP_ACCESS_TOKEN:-}" ]; } && [ -n "${PULUMI_STACK:-}" ]; then
    mode=aep
  else
    mode=emulator
  fi
fi
case "$mode" in
  aep | emulator) ;;
  *)
    log "AEP_PREVIEW_MODE=$mode: expected aep, emulator or auto"
    exit 2
    ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/aep-preview.XXXXXX")"
emulator_pid=""
# shellcheck disable=SC2329 # called by the EXIT trap
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

summary() { printf '%s\n' "$@" >>"$SUMMARY_FILE"; }
results=()
failed=0

# step NAME ARGS...: runs `pulumi ARGS...` in the program folder; its output goes to the log and,
# cut to its last MAX_LINES lines, to the summary.
step() {
  local name="$1" out="$WORK/$1.txt" code=0
  shift
  log "pulumi $*"
  (cd "$PROGRAM_DIR" && pulumi "$@" --non-interactive --color never --suppress-progress) >"$out" 2>&1 || code=$?
  cat "$out" >&2
  local counts
  counts="$(grep -E '^ +[-+~]? ?[0-9]+ (to create|created|to update|updated|to delete|deleted|to replace|replaced|unchanged)' "$out" | sed 's/^ *//' | paste -sd ',' - | sed 's/,/, /g' || true)"
  if [ "$code" = 0 ]; then
    results+=("| \`pulumi $name\` | passed | ${counts:-} |")
  else
    results+=("| \`pulumi $name\` | **failed** (exit $code) | ${counts:-} |")
    failed=$code
  fi
  {
    printf '<details%s><summary><code>pulumi %s</code> output</summary>\n\n```text\n' "$([ "$code" = 0 ] || printf ' open')" "$name"
    tail -n "$MAX_LINES" "$out"
    printf '```\n\n</details>\n\n'
  } >>"$WORK/details.md"
  return 0
}

if [ "$mode" = aep ]; then
  what="Adobe Experience Platform, stack \`$PULUMI_STACK\`"
  step preview preview --stack "$PULUMI_STACK" "${policy_args[@]}"
else
  what="the Flow Service emulator (no Adobe credentials in this job), a throwaway stack on a throwaway file backend"
  emulator_cmd="${AEP_EMULATOR:-$PROGRAM_DIR/node_modules/.bin/aep-flow-emulator}"
  if [ -z "${AEP_EMULATOR:-}" ] && [ ! -x "$emulator_cmd" ]; then
    log "no emulator at $emulator_cmd: install the program's dependencies first (npm ci in $PROGRAM_DIR), or set AEP_EMULATOR"
    exit 1
  fi
  # The emulator prints the client settings to use as `export AEP_…=…` lines once it listens.
  "$emulator_cmd" --port 0 >"$WORK/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 300); do
    if grep -q '^  export AEP_SANDBOX=' "$WORK/emulator.log"; then break; fi
    if ! kill -0 "$emulator_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if ! grep -q '^  export AEP_SANDBOX=' "$WORK/emulator.log"; then
    log "the emulator did not start:"
    cat "$WORK/emulator.log" >&2
    exit 1
  fi
  while IFS= read -r line; do
    if [[ "$line" =~ ^\ \ export\ (AEP_[A-Z_]+)=(.*)$ ]]; then export "${BASH_REMATCH[1]}=${BASH_REMATCH[2]}"; fi
  done <"$WORK/emulator.log"
  unset AEP_ACCESS_TOKEN
  log "emulator at $AEP_ENDPOINT"
  export PULUMI_BACKEND_URL="file://$WORK/backend"
  # Its own passphrase, never the real stack's: the throwaway stack's config holds test values only.
  export PULUMI_CONFIG_PASSPHRASE="${EMULATOR_PASSPHRASE:-emulator}"
  unset PULUMI_CONFIG_PASSPHRASE_FILE
  mkdir -p "$WORK/backend"
  (cd "$PROGRAM_DIR" && pulumi stack init "$EMULATOR_STACK" --non-interactive) >&2
  step up up --stack "$EMULATOR_STACK" --yes "${policy_args[@]}"
  # Destroy even after a failed up: it may have created part of the program.
  step destroy destroy --stack "$EMULATOR_STACK" --yes
fi

summary "## Pulumi preview: $(basename "$PROGRAM_DIR")" ""
summary "Against $what." ""
summary "| Step | Result | Resources |" "|---|---|---|" "${results[@]}" ""
if [ "$failed" = 0 ]; then summary "Every step passed." ""; else summary "A step failed: its output is below." ""; fi
cat "$WORK/details.md" >>"$SUMMARY_FILE"
log "summary written to $SUMMARY_FILE"
exit "$failed"
