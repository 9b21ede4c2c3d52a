#!/usr/bin/env bash
# The README's demo command on a fresh clone: clones this repository's HEAD (committed work only) into
# a temp dir, with no node_modules and no dist, and runs `npm run demo` there with the caller's PATH
# (which may hold only Node.js >= 20, npm and Go). The command must set everything up itself and
# succeed, and leave the clone's work tree as it found it. Prints the time it took.
# Run by .ci/run; locally: bash test/setup/fresh-clone-demo.sh (KEEP=1 keeps the clone).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/aep-fresh-clone.XXXXXX")"
cleanup() { if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

git clone --quiet --no-hardlinks "$ROOT" "$work/clone"
cd "$work/clone"
echo "fresh clone of $(git rev-parse --short HEAD) in $work/clone: node $(node --version 2>/dev/null || echo none), no node_modules"
[ ! -e node_modules ] && [ ! -e dist ]

start=$(date +%s)
npm run demo 2>&1 | tee "$work/demo.log"
seconds=$(( $(date +%s) - start ))

grep -q "Connections left in the emulator: 0" "$work/demo.log" || { echo "fresh-clone demo: the demo did not end with an empty emulator"; exit 1; }
changed="$(git status --porcelain)"
if [ -n "$changed" ]; then
  echo "fresh-clone demo: the demo left changes in the work tree:"
  echo "$changed"
  exit 1
fi
echo "fresh-clone demo: passed in $seconds s"
