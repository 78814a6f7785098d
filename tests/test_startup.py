"""The lint path stays light: linting never imports pydantic, jsonschema or the LSP stack.

pydantic is only for generating the schemas, jsonschema only for tests, pygls/lsprotocol only for
``factory-lint server``. Importing any of them would cost start-up time on every pre-commit run
(and pydantic and jsonschema are not even installed by a plain ``pip install factory-lint``).
Each check runs in a fresh interpreter so that nothing imported by other tests can hide a leak.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("pydantic", "pydantic_core", "jsonschema", "pygls", "lsprotocol", "cattrs")

TYPICAL = REPO_ROOT / "bench" / "fixtures" / "typical-settings.json"
BROKEN = """{
  // a comment, as Droid allows
  "customModels": [
    { "model": "gpt-5", "provider": "openai-compatible", "apiKey": "YOUR_API_KEY",
      "baseUrl": "https://api.openai.com/v1", "maxTokens": "8192", },
  ],
  "custom_models": [],
  "sessionDefaultSettings": { "reasoningEffort": "HIGH" }
}
"""

SNIPPET = """
import io, json, sys
from factory_lint.cli import main
out = io.StringIO()
status = main(sys.argv[1:], stdout=out)
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _modules_after(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return int(data["status"]), list(data["modules"])


def _leaks(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in FORBIDDEN]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text(BROKEN, encoding="utf-8")
    return target


@pytest.mark.parametrize("output_format", ["concise", "full", "json", "sarif", "github"])
def test_linting_a_clean_file_imports_no_heavy_dependency(
    output_format: str, tmp_path: Path
) -> None:
    status, modules = _modules_after(
        ["--output-format", output_format, "--pre-commit", str(TYPICAL)], tmp_path
    )
    assert status == 0
    assert _leaks(modules) == []
    assert "factory_lint.engine" in modules  # the lint really ran in that interpreter


@pytest.mark.parametrize("output_format", ["concise", "full", "json", "sarif", "github"])
def test_linting_a_broken_file_imports_no_heavy_dependency(
    output_format: str, broken: Path, tmp_path: Path
) -> None:
    status, modules = _modules_after(
        ["--output-format", output_format, "--statistics", str(broken)], tmp_path
    )
    assert status == 1
    assert _leaks(modules) == []


def test_fix_and_diff_import_no_heavy_dependency(broken: Path, tmp_path: Path) -> None:
    status, modules = _modules_after(["--diff", "--unsafe-fixes", str(broken)], tmp_path)
    assert status != 3  # 2 is fine: fixes that leave syntax errors are not written
    assert _leaks(modules) == []
    status, modules = _modules_after(["--fix", "--unsafe-fixes", str(broken)], tmp_path)
    assert status != 3  # 2 is fine: fixes that leave syntax errors are not written
    assert _leaks(modules) == []


def test_rule_docs_import_no_heavy_dependency(tmp_path: Path) -> None:
    for args in (["rules"], ["rule", "FL201"]):
        status, modules = _modules_after(args, tmp_path)
        assert status == 0
        assert _leaks(modules) == []


def test_version_imports_almost_nothing(tmp_path: Path) -> None:
    """``--version`` answers before any rule, schema or parser module is loaded."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "factory_lint", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("factory-lint ")
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert not {m for m in imported if m.split(".")[0] in FORBIDDEN}
    assert "factory_lint.engine" not in imported
    assert "factory_lint.jsonc" not in imported


def test_many_files_are_linted_in_parallel_without_the_pool_modules(tmp_path: Path) -> None:
    """More than 32 files run on forked workers; importing multiprocessing and
    concurrent.futures for them cost 40-55 ms of start-up (docs/performance.md, round 4)."""
    names = []
    for index in range(40):
        target = tmp_path / f"p{index}" / ".factory" / "settings.json"
        target.parent.mkdir(parents=True)
        target.write_text(TYPICAL.read_text(encoding="utf-8"), encoding="utf-8")
        names.append(str(target))
    status, modules = _modules_after(["--output-format", "concise", *names], tmp_path)
    assert status == 0
    assert "factory_lint.parallel" in modules
    assert not [m for m in modules if m.split(".")[0] in ("multiprocessing", "concurrent")]
    assert _leaks(modules) == []
