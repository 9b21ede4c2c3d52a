#!/usr/bin/env bash
# preview.sh — the CI kit's one script: what its GitHub Actions workflow (github-actions.yml) and
# GitLab CI pipeline (gitlab-ci.yml) run, one job per stack. Copy it to ci/preview.sh in the
# repository that holds your Pulumi program (the two workflows call it there), with comment.sh.
#
# KIT_JOB picks the job (default preview):
#   * stacks:  prints the program's stacks as a JSON array (one per Pulumi.<stack>.yaml in PROGRAM_DIR,
#              but EMULATOR_STACK's), for the workflows' matrix; nothing else.
#   * preview: a pull or merge request. With credentials (aep mode): `pulumi preview --refresh --diff`
#              of PULUMI_STACK. Without them (emulator mode): the program applied to the emulator.
#   * drift:   a scheduled job: `pulumi preview --refresh --expect-no-changes --diff` of PULUMI_STACK.
#              Exits 7 when the sandbox differs from the stack (drift), with the drifted resources and
#              properties in the summary; 0 when it does not; any other failure keeps its own status.
#   * deploy:  on merge: `pulumi up --diff` of PULUMI_STACK (the workflows gate it per environment).
#   drift and deploy need credentials: without them they stop with status 2 before running anything.
#
# Two modes, chosen by what the job has (AEP_PREVIEW_MODE=aep|emulator forces one):
#   * aep: real credentials are present (AEP_CLIENT_ID, AEP_ORG_ID, and AEP_CLIENT_SECRET or
#     AEP_ACCESS_TOKEN) and PULUMI_STACK names the stack, on its own backend (PULUMI_BACKEND_URL /
#     PULUMI_ACCESS_TOKEN, as the job sets them). `--refresh` reads the stack's resources from Adobe
#     (reads only); the rest of a preview is validated locally. A program that calls one of the
#     package's functions (getConnectionSpec, getConnection, exploreConnection, or an …Output form)
#     runs it at preview with these credentials: an IMS token, then one request per call (2 for one
#     getConnectionSpecOutput); without credentials such a program cannot be previewed, and emulator
#     mode runs its lookups against the emulator instead.
#   * emulator: otherwise (a pull request from a fork, or the secrets are not set): starts the
#     package's Flow Service emulator (aep-flow-emulator, from the program's node_modules) on a free
#     port, and runs `pulumi up` then `pulumi destroy` of a throwaway stack (EMULATOR_STACK, default
#     "emulator") on a throwaway file backend: the program is proven to apply, with no Adobe account.
#     It never reads the stack's sandbox, and its summary says so. Config: a committed
#     Pulumi.<EMULATOR_STACK>.yaml with test values (its secrets encrypted with the passphrase
#     EMULATOR_PASSPHRASE, default "emulator"; the real stack's passphrase is not used). When
#     PULUMI_STACK is set (the matrix), that stack's `aep:sandbox` (from Pulumi.<stack>.yaml) is the
#     run's default sandbox, so leave aep:sandbox out of Pulumi.<EMULATOR_STACK>.yaml. The emulator's
#     client is given every sandbox the program names: `prod` and `dev`, each Pulumi.*.yaml's
#     `aep:sandbox`, EMULATOR_SEED's, and EMULATOR_SANDBOXES (for a resource's own `sandbox`).
#     A program that adopts existing entities (existingId) needs them to exist: commit
#     EMULATOR_SEED, a JSON array of the connections as Flow Service answers `GET /connections/{id}`
#     (the item, with its `sandboxName`; masked secret values are dropped), and the emulator starts
#     holding them, so `pulumi up` adopts them as it would in the sandbox. The emulator never invents
#     a connection: an id missing from the seed fails as it would against Adobe.
#
# Settings (environment). Paths may hold spaces; relative ones are from the folder the script
# runs in (the repository's root in both workflows):
#   KIT_JOB             stacks | preview | drift | deploy (above); default preview
#   PROGRAM_DIR         the Pulumi program's folder (Pulumi.yaml), its npm dependencies installed; default "."
#   PULUMI_STACK        the stack (e.g. "acme/prod"); its last part names Pulumi.<name>.yaml
#   POLICY_PACK         optional: a policy pack folder, passed as --policy-pack (this package's pack
#                       is installed with it: node_modules/pulumi-aep-flow/policy under PROGRAM_DIR);
#                       POLICY_PACK_CONFIG: its --policy-pack-config
#   SUMMARY_FILE        where the Markdown summary is appended; default $GITHUB_STEP_SUMMARY (the job's
#                       summary page on GitHub), else pulumi-preview.md (an artifact on GitLab)
#   AEP_EMULATOR        emulator mode: the emulator's executable (a path, no arguments); default
#                       aep-flow-emulator from PROGRAM_DIR/node_modules/.bin
#   EMULATOR_SEED       emulator mode: the connections the program adopts (above)
#   EMULATOR_SANDBOXES  emulator mode: more sandbox names for its client (space or comma separated)
#
# Exit status: 0 when every step passed; 7 for drift (the drift job); 2 for bad settings; otherwise
# the failing step's. The summary names the stack, the job and what it ran against, says which step
# failed and shows its output (the CLI's own output: it never prints secret values). It starts with an
# HTML comment naming the stack, which comment.sh uses to gather every stack's summary in one comment.
set -euo pipefail

log() { printf 'preview: %s\n' "$*" >&2; }

DRIFT_STATUS=7
PROGRAM_DIR="$(cd "${PROGRAM_DIR:-.}" && pwd)"
SUMMARY_FILE="${SUMMARY_FILE:-${GITHUB_STEP_SUMMARY:-pulumi-preview.md}}"
EMULATOR_STACK="${EMULATOR_STACK:-emulator}"
MAX_LINES=400 # of each step's output in the summary (GitHub keeps 1 MiB of summary per step)
export PULUMI_SKIP_UPDATE_CHECK=true

job="${KIT_JOB:-preview}"
case "$job" in
  stacks | preview | drift | deploy) ;;
  *)
    log "KIT_JOB=$job: expected stacks, preview, drift or deploy"
    exit 2
    ;;
esac

# The stacks: one per committed Pulumi.<stack>.yaml (what `pulumi config` writes), as a JSON array.
if [ "$job" = stacks ]; then
  names=()
  for f in "$PROGRAM_DIR"/Pulumi.*.yaml; do
    [ -e "$f" ] || continue
    name="$(basename "$f" .yaml)"
    name="${name#Pulumi.}"
    if [ "$name" != "$EMULATOR_STACK" ]; then names+=("\"$name\""); fi
  done
  if [ "${#names[@]}" = 0 ]; then
    log "no Pulumi.<stack>.yaml in $PROGRAM_DIR: commit each stack's config file (pulumi config set writes it)"
    exit 2
  fi
  printf '[%s]\n' "$(IFS=,; printf '%s' "${names[*]}")"
  exit 0
fi

# Made absolute here: pulumi runs in PROGRAM_DIR, where a path relative to the repository's root
# (as the workflows set it) would name another folder.
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
seed=""
if [ -n "${EMULATOR_SEED:-}" ]; then
  if [ ! -f "$EMULATOR_SEED" ]; then
    log "EMULATOR_SEED=$EMULATOR_SEED: no such file (from $PWD); set it to the JSON array of the connections the program adopts, or leave it empty"
    exit 2
  fi
  seed="$(absolute "$EMULATOR_SEED")"
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
if [ "$mode" = aep ] && [ -z "${PULUMI_STACK:-}" ]; then
  log "AEP_PREVIEW_MODE=aep needs PULUMI_STACK, the stack to $job (e.g. acme/prod)"
  exit 2
fi
# Drift is a difference between the stack and its sandbox, and a deploy writes to the sandbox: the
# emulator can answer neither, so these jobs never fall back to it.
if [ "$job" != preview ] && [ "$mode" != aep ]; then
  log "KIT_JOB=$job needs Adobe credentials (AEP_CLIENT_ID, AEP_ORG_ID, and AEP_CLIENT_SECRET or AEP_ACCESS_TOKEN) and PULUMI_STACK; only a preview runs against the emulator"
  exit 2
fi

stack_name="${PULUMI_STACK:-$EMULATOR_STACK}"
stack_name="${stack_name##*/}"

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
drifted=0

# step NAME ARGS...: runs `pulumi ARGS...` in the program folder; its output goes to the log and,
# cut to its last MAX_LINES lines, to the summary.
step() {
  local name="$1" out="$WORK/$1.txt" code=0
  shift
  log "pulumi $*"
  (cd "$PROGRAM_DIR" && pulumi "$@" --non-interactive --color never --suppress-progress) >"$out" 2>&1 || code=$?
  cat "$out" >&2
  local counts
  counts="$(grep -E '^ +(\+-|[-+~])? ?[0-9]+ (to create|created|to update|updated|to delete|deleted|to replace|replaced|unchanged)|^ +[0-9]+ changes?\. [0-9]+ unchanged' "$out" | sed 's/^ *//' | paste -sd ',' - | sed 's/,/, /g' || true)"
  if [ "$code" = 0 ]; then
    results+=("| \`pulumi $name\` | passed | ${counts:-} |")
  elif [ "$job" = drift ] && grep -qE '^error: no changes were expected.* but changes were proposed' "$out"; then
    # --expect-no-changes failed the preview because it proposed changes: that is the drift.
    results+=("| \`pulumi $name\` | **drift** (exit $DRIFT_STATUS) | ${counts:-} |")
    drifted=1
    failed=$DRIFT_STATUS
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

# changes KIND FILE: from the CLI's --diff output, one line per resource, "- `name` (Type): property,
# property": KIND refresh lists what the refresh read differently from the stack (what drifted in the
# sandbox), KIND update what the preview would then change. Each resource block is its `Type: (op)`
# line, its `[urn=…]` line, then `~`/`+`/`-` property lines; etags are left out (every write renews one).
changes() {
  awk -v kind="$1" '
    function flush() { if (res != "" && props != "") print "- `" res "` (" type "): " props; res = ""; props = "" }
    /^ *[~+-]+ ?[A-Za-z0-9:\/_.-]+: \([a-z-]+\)$/ {
      flush(); op = $0; sub(/.*\(/, "", op); sub(/\).*/, "", op)
      want = (kind == "refresh") ? (op == "refresh") : (op != "refresh" && op != "same"); next }
    /^ *\[urn=/ && want { u = $0; sub(/.*::/, "", u); sub(/\]$/, "", u); if (u ~ /^[^:]*$/ && $0 !~ /pulumi:pulumi:Stack/) { res = u; t = $0; sub(/::[^:]*$/, "", t); sub(/.*[:\/]/, "", t); type = (op == "refresh") ? t : t ", " op }; next }
    /^ *(Resources|Outputs):/ { flush(); want = 0; next }
    /^ *[~+-]+ [A-Za-z_][A-Za-z0-9_.]* *: / && res != "" {
      p = $0; sub(/^ *[~+-]+ /, "", p); sub(/ *:.*/, "", p)
      if (p != "etag" && index(", " props ", ", ", " p ", ") == 0) props = props (props == "" ? "" : ", ") p; next }
    END { flush() }
  ' "$2"
}

if [ "$mode" = aep ]; then
  what="Adobe Experience Platform: stack \`$PULUMI_STACK\` and the sandbox its config names"
  case "$job" in
    preview) step preview preview --stack "$PULUMI_STACK" --refresh --diff "${policy_args[@]}" ;;
    drift) step preview preview --stack "$PULUMI_STACK" --refresh --expect-no-changes --diff "${policy_args[@]}" ;;
    deploy) step up up --stack "$PULUMI_STACK" --yes --diff "${policy_args[@]}" ;;
  esac
else
  emulator_cmd="${AEP_EMULATOR:-$PROGRAM_DIR/node_modules/.bin/aep-flow-emulator}"
  if [ -z "${AEP_EMULATOR:-}" ] && [ ! -x "$emulator_cmd" ]; then
    log "no emulator at $emulator_cmd: install the program's dependencies first (npm ci in $PROGRAM_DIR), or set AEP_EMULATOR"
    exit 1
  fi
  # The stack's own sandbox (a plain value in its config file), as this run's default sandbox.
  sandbox_of() { sed -nE 's/^  aep:sandbox: *["'\'']?([^"'\'' #]+).*$/\1/p' "$1" | head -n 1; }
  sandbox=""
  if [ -f "$PROGRAM_DIR/Pulumi.$stack_name.yaml" ]; then sandbox="$(sandbox_of "$PROGRAM_DIR/Pulumi.$stack_name.yaml")"; fi
  sandbox="${sandbox:-prod}"
  # Every sandbox the program names, so the emulator's client may use each (Adobe's would be
  # granted them): a stack pinned to `stage` must not fail for a sandbox the demo client lacks.
  sandboxes=(prod dev "$sandbox")
  for f in "$PROGRAM_DIR"/Pulumi.*.yaml; do
    if [ -e "$f" ]; then
      s="$(sandbox_of "$f")"
      if [ -n "$s" ]; then sandboxes+=("$s"); fi
    fi
  done
  extra="${EMULATOR_SANDBOXES:-}"
  for s in ${extra//,/ }; do sandboxes+=("$s"); done
  mapfile -t sandboxes < <(printf '%s\n' "${sandboxes[@]}" | awk '!seen[$0]++')
  data="$WORK/emulator-data"
  mkdir -m 700 "$data"
  # The client this run uses: a secret made for it, never printed (the emulator prints a clients
  # file's secret as a placeholder).
  client_secret="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  seeded="$(node - "$data" "$client_secret" "$seed" "${sandboxes[@]}" <<'NODE'
// Writes the emulator's clients file and, from EMULATOR_SEED, its stored connections (the layout of
// its --data-dir: connections/<id>.json), so it starts holding the connections the program adopts.
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const [data, secret, seedFile, ...names] = process.argv.slice(2);
const orgId = "CIKIT000000000000000000@AdobeOrg";
const items = seedFile ? JSON.parse(fs.readFileSync(seedFile, "utf8")) : [];
const fail = (why) => { process.stderr.write(`preview: EMULATOR_SEED=${seedFile}: ${why}\n`); process.exit(2); };
if (!Array.isArray(items)) fail("expected a JSON array of connections as GET /connections/{id} answers them");
const sandboxes = [...new Set([...names, ...items.map((i) => i && i.sandboxName).filter(Boolean)])];
fs.writeFileSync(path.join(data, "clients.json"), JSON.stringify([{ clientId: "aep-ci-kit", clientSecret: secret, orgId, sandboxes }]), { mode: 0o600 });
fs.mkdirSync(path.join(data, "connections"), { mode: 0o700 });
const now = Date.now();
items.forEach((item, i) => {
  const where = `item ${i}`;
  if (!item || typeof item.id !== "string" || !/^[A-Za-z0-9-]+$/.test(item.id)) fail(`${where} needs its id`);
  if (typeof item.sandboxName !== "string" || item.sandboxName === "") fail(`${where} (${item.id}) needs sandboxName, the sandbox it lives in`);
  if (!item.connectionSpec || typeof item.connectionSpec.id !== "string") fail(`${where} (${item.id}) needs connectionSpec.id`);
  // A masked value is no value: the adopting resource declares the secret, and adoption patches it in.
  const params = Object.fromEntries(Object.entries((item.auth && item.auth.params) || {}).filter(([, v]) => v !== "********"));
  const stored = {
    id: item.id, name: item.name || item.id, description: item.description || "",
    connectionSpec: { id: item.connectionSpec.id, version: item.connectionSpec.version || "1.0" },
    state: "enabled", usedByDataflows: 0,
    ...(item.auth ? { auth: { specName: item.auth.specName, params } } : {}),
    createdAt: now, updatedAt: now, createdBy: "ci-kit-seed", updatedBy: "ci-kit-seed", createdClient: "ci-kit-seed", updatedClient: "ci-kit-seed",
    sandboxId: crypto.createHash("sha256").update(`${orgId}/${item.sandboxName}`).digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, "$1-$2-$3-$4-$5"),
    sandboxName: item.sandboxName, imsOrgId: orgId,
    etag: `"${crypto.randomBytes(4).toString("hex")}-0000-0200-0000-000000000000"`, seq: i + 1,
  };
  fs.writeFileSync(path.join(data, "connections", `${item.id}.json`), JSON.stringify(stored, null, 2), { mode: 0o600 });
});
process.stdout.write(String(items.length));
NODE
)"
  # The emulator prints the client settings to use as `export AEP_…=…` lines once it listens.
  "$emulator_cmd" --port 0 --data-dir "$data" --clients "$data/clients.json" >"$WORK/emulator.log" 2>&1 &
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
  export AEP_CLIENT_SECRET="$client_secret" AEP_SANDBOX="$sandbox"
  unset AEP_ACCESS_TOKEN
  log "emulator at $AEP_ENDPOINT (sandboxes $(IFS=' '; printf '%s' "${sandboxes[*]}"); default $sandbox; $seeded connections seeded)"
  what="the Flow Service emulator, **not** the sandbox of stack \`$stack_name\`: this job has no Adobe credentials. A throwaway stack (config Pulumi.$EMULATOR_STACK.yaml) on a throwaway backend, default sandbox \`$sandbox\`"
  if [ "$seeded" != 0 ]; then what="$what, with the $seeded connection(s) of EMULATOR_SEED seeded for adoption (the seed's copies, not the sandbox's connections)"; fi
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

summary "<!-- pulumi-aep-flow stack: $stack_name -->"
summary "## Pulumi $job: \`$stack_name\` ($(basename "$PROGRAM_DIR"))" ""
summary "Against $what." ""
summary "| Step | Result | Resources |" "|---|---|---|" "${results[@]}" ""
if [ "$drifted" = 1 ]; then
  summary "**Drift**: the sandbox differs from the stack. Changed in the sandbox (read by the refresh):" ""
  # Sorted: the refresh reads resources in parallel, so the CLI lists them in no fixed order.
  { changes refresh "$WORK/preview.txt" | sort; } >>"$SUMMARY_FILE" || true
  summary "" "What \`pulumi up\` would then change:" ""
  changes update "$WORK/preview.txt" >>"$SUMMARY_FILE" || true
  summary "" "Keep the sandbox's values by changing the program to match, or run \`pulumi up\` to restore the stack's." ""
elif [ "$failed" = 0 ]; then
  if [ "$job" = drift ]; then summary "No drift: the sandbox matches the stack." ""; else summary "Every step passed." ""; fi
  if [ "$job" = preview ] && [ "$mode" = aep ] && [ -s "$WORK/preview.txt" ]; then
    planned="$(changes update "$WORK/preview.txt" || true)"
    if [ -n "$planned" ]; then summary "What \`pulumi up\` would change:" "" "$planned" ""; fi
  fi
else
  summary "A step failed: its output is below." ""
fi
cat "$WORK/details.md" >>"$SUMMARY_FILE"
log "summary written to $SUMMARY_FILE"
exit "$failed"
