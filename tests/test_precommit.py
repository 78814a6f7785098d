"""The real pre-commit hook, run with ``pre-commit try-repo`` and with ``pre-commit run`` (a
`.pre-commit-config.yaml` as the README shows it) on temporary git repositories.

``try-repo`` clones this checkout (its committed and tracked-modified files: untracked files are
not part of the hook) and builds a fresh virtualenv with ``pip install .`` of the clone, so it
needs PyPI for the build requirements. ``try-repo`` always uses its own throw-away store, so the
environment is built per call (two builds); the ``pre-commit run`` cases share one store, so one
more build. ``PRE_COMMIT_HOME`` points into pytest's temporary folder so nothing touches the
user's pre-commit cache.
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
#: Only a warning: Droid normalises the spelling (FL202).
WARNING_ONLY = {"customModels": [{**_ENTRY, "provider": "Generic_Chat_Completion_API"}]}
#: The variable's name as the key, sent to api.openai.com: a certain 401, so an error (FL304).
NAME_AS_KEY = {
    "customModels": [
        {
            "model": "gpt-5.5",
            "displayName": "GPT-5.5",
            "provider": "openai",
            "baseUrl": "https://api.openai.com/v1",
            "apiKey": "OPENAI_API_KEY",
        }
    ]
}


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


def test_hook_fails_on_an_env_var_name_as_a_key(tmp_path: Path, pre_commit_home: Path) -> None:
    """`"apiKey": "OPENAI_API_KEY"` loads in Droid 0.225.2 and is sent as the key: OpenAI
    answers 401, so the hook must not let it through silently."""
    env = _env(pre_commit_home)
    _project(tmp_path, NAME_AS_KEY, env)
    result = _try_repo(tmp_path, env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert re.search(r": error: .*OpenAI rejects with 401 .*\[FL304 ", output), output


@pytest.fixture(scope="module")
def this_checkout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this checkout with its tracked changes committed (as ``try-repo`` makes
    one), and that commit's SHA: what a `.pre-commit-config.yaml` can point at."""
    env = _env(tmp_path_factory.mktemp("unused-home"))
    clone = tmp_path_factory.mktemp("checkout") / "factory-lint"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True, env=env)
    diff = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "diff", "HEAD", "--binary"],
        check=True,
        env=env,
        capture_output=True,
    ).stdout
    if diff:
        subprocess.run(["git", "-C", str(clone), "apply"], input=diff, check=True, env=env)
    subprocess.run(["git", "-C", str(clone), "add", "-A"], check=True, env=env)
    subprocess.run(
        ["git", "-C", str(clone), "commit", "-q", "--allow-empty", "-m", "under test"],
        check=True,
        env=env,
    )
    sha = subprocess.run(
        ["git", "-C", str(clone), "rev-parse", "HEAD"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return clone, sha


def _pre_commit_run(
    project: Path, checkout: tuple[Path, str], env: dict[str, str], args: str = ""
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` as a user runs it, with the README's snippet pointing at a commit
    of this checkout (no ``--verbose``: the hook's own settings decide what is shown)."""
    repo, sha = checkout
    config = f"repos:\n  - repo: {repo}\n    rev: {sha}\n    hooks:\n      - id: factory-lint\n"
    if args:
        config += f"        args: {args}\n"
    (project / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_hook_passes_a_clean_config(
    tmp_path: Path, pre_commit_home: Path, this_checkout: tuple[Path, str]
) -> None:
    env = _env(pre_commit_home)
    _project(tmp_path, CLEAN, env)
    result = _pre_commit_run(tmp_path, this_checkout, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output, output
    assert re.search(r"\[FL\d{3} ", output) is None, output


def test_warnings_are_shown_and_fail_only_with_strict(
    tmp_path: Path, pre_commit_home: Path, this_checkout: tuple[Path, str]
) -> None:
    env = _env(pre_commit_home)
    _project(tmp_path, WARNING_ONLY, env)
    result = _pre_commit_run(tmp_path, this_checkout, env)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Passed" in output, output
    assert re.search(r"settings\.json:\d+:\d+: warning: .*\[FL202 ", output), output
    strict = _pre_commit_run(tmp_path, this_checkout, env, "[--strict]")
    output = strict.stdout + strict.stderr
    assert strict.returncode == 1 and "Failed" in output, output
    assert "FL202" in output, output
