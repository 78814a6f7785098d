"""The real pre-commit hook, run with ``pre-commit try-repo`` on a temporary git repository.

``try-repo`` clones this checkout (its committed and tracked-modified files: untracked files are
not part of the hook) and builds a fresh virtualenv with ``pip install .`` of the clone, so it
needs PyPI for the build requirements. ``try-repo`` always uses its own throw-away store, so the
environment is built per call; one call per case keeps that to two builds. ``PRE_COMMIT_HOME``
points into pytest's temporary folder so nothing touches the user's pre-commit cache.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# A self-hosted endpoint: no model catalog knows it, so the clean file stays clean as catalogued
# models age (deprecation warnings would not fail the hook, but keep the output quiet).
_ENTRY = {
    "model": "team-coder",
    "displayName": "Team coder",
    "baseUrl": "https://llm.internal.example.com/v1",
    "apiKey": "${TEAM_LLM_KEY}",
}
BROKEN = {"customModels": [{**_ENTRY, "provider": "openai-compatible"}]}
CLEAN = {"customModels": [{**_ENTRY, "provider": "generic-chat-completion-api"}]}


def _is_git_work_tree(path: Path) -> bool:
    if shutil.which("git") is None:
        return False
    result = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and result.stdout.strip() == "true"


pytestmark = pytest.mark.skipif(
    not _is_git_work_tree(REPO_ROOT),
    reason="pre-commit try-repo needs this source tree to be a git checkout",
)


def _env(home: Path) -> dict[str, str]:
    # Drop GIT_* variables (set when pytest itself runs inside a git hook) so that every git
    # command acts on the repository it is pointed at.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="factory-lint tests",
        GIT_AUTHOR_EMAIL="tests@factory-lint.invalid",
        GIT_COMMITTER_NAME="factory-lint tests",
        GIT_COMMITTER_EMAIL="tests@factory-lint.invalid",
    )
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    return env


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(root: Path, settings: dict[str, object], env: dict[str, str]) -> Path:
    """A git repository with ``.factory/settings.json`` staged, as before a commit."""
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    target = root / ".factory" / "settings.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    subprocess.run(["git", "add", "--", ".factory/settings.json"], cwd=root, check=True, env=env)
    return target


def _try_repo(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(REPO_ROOT),
            "factory-lint",
            "--color",
            "never",
            "--verbose",
            "--files",
            ".factory/settings.json",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_hook_fails_on_a_broken_config(tmp_path: Path, pre_commit_home: Path) -> None:
    env = _env(pre_commit_home)
    _project(tmp_path, BROKEN, env)
    result = _try_repo(tmp_path, env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "factory-lint" in output
    assert "Failed" in output, output
    assert "FL201" in output, output
    assert ".factory/settings.json" in output, output


def test_hook_passes_a_clean_config(tmp_path: Path, pre_commit_home: Path) -> None:
    env = _env(pre_commit_home)
    _project(tmp_path, CLEAN, env)
    result = _try_repo(tmp_path, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output, output
    assert re.search(r": error: .*\[FL\d{3} ", output) is None, output
