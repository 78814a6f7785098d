#!/usr/bin/env bash
# VS Code extension: install (lockfile), type-check, lint, unit tests, end-to-end test against
# the real `factory-lint server` (on PATH: .ci/run activates the venv), package the .vsix.
set -euo pipefail
cd "$(dirname "$0")"
repo="$(cd ../.. && pwd)"
if ! command -v factory-lint >/dev/null && [ -z "${VIRTUAL_ENV:-}" ] && [ -f "$repo/.venv/bin/activate" ]; then
  # shellcheck disable=SC1091
  . "$repo/.venv/bin/activate"
fi
start=$SECONDS
step() { echo "-- $1 ($((SECONDS - start)) s)"; }

step "npm ci"
# --ignore-scripts: no dependency needs its install script (esbuild's binary comes from its
# platform package; @vscode/vsce-sign's would download a signing tool, which packaging does not use).
npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error

step "type-check"
npx tsc --noEmit -p .

step "lint"
npx eslint --max-warnings 0 .

step "compile tests"
rm -rf out
npx tsc -p tsconfig.test.json

step "unit tests"
node --test --test-reporter=spec out/test/unit/

step "smoke test of the bundle"
node scripts/build.mjs --minify
node --test --test-reporter=spec out/test/smoke/

step "end-to-end test against $(command -v factory-lint || echo 'factory-lint (missing)')"
node --test --test-reporter=spec out/test/e2e/

step "package"
rm -f ./*.vsix
npx vsce package --no-dependencies --out factory-lint.vsix
npx vsce ls --no-dependencies | sort | tr '\n' ' '; echo

step "done"
