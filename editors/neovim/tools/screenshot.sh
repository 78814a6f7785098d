#!/usr/bin/env bash
# Render editors/neovim/screenshot.png: Neovim (headless in tmux) with the plugin, the broken
# settings file of the e2e test, its diagnostics and the model-ID completion menu. Optional, by
# hand: needs tmux, nvim (editors/neovim/ci.sh installs one into the venv), factory-lint on
# PATH, and Pillow for ansi_to_png.py (PYTHON=/path/to/python-with-pillow).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
plugin="$(cd "$here/.." && pwd)"
nvim="${NVIM_BIN:-$(command -v nvim)}"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'tmux kill-session -t fl-shot 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$work/proj/.git" "$work/proj/.factory" "$work/home"
# the fixture of tests/test_neovim_e2e.py
"$python" -c "
import importlib.util, sys
spec = importlib.util.spec_from_file_location('t', '$plugin/tests/test_neovim_e2e.py')
t = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)
open('$work/proj/.factory/settings.json', 'w', encoding='utf-8').write(t.BROKEN)
" 2>/dev/null || { echo "needs pytest importable by $python for the fixture" >&2; exit 1; }
cat > "$work/init.lua" <<LUA
vim.opt.rtp:prepend('$plugin')
vim.cmd('runtime! plugin/factory_lint.lua')
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.completeopt = 'menuone,noselect'
vim.o.pumheight = 8
vim.diagnostic.config({ virtual_text = { prefix = '●' }, severity_sort = true })
vim.lsp.enable('factory_lint')
LUA
tmux new-session -d -s fl-shot -x 118 -y 30 -c "$work/proj" \
  "env TERM=xterm-256color HOME=$work/home $nvim -u $work/init.lua .factory/settings.json"
sleep 10   # server start-up and the first diagnostics
tmux send-keys -t fl-shot ':5s/claude-sonnet-4-5/claude-/' Enter
sleep 1
tmux send-keys -t fl-shot '0f-' 'a'
sleep 0.5
tmux send-keys -t fl-shot C-x C-o
sleep 3
tmux capture-pane -t fl-shot -e -p > "$work/capture.txt"
"$python" "$here/ansi_to_png.py" "$work/capture.txt" "$plugin/screenshot.png"
echo "wrote $plugin/screenshot.png"
