"""The command line: discovery, kinds, formats, exit codes, configuration and --fix."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from factory_lint.cli import main

KEY = (
    "sk-ant-api03-"
    + "Zx8Qw2Er4Ty6Ui8Op0As2Df4Gh6Jk8Lz1Xc3Vb5Nm7Qa9Ws1Ed3Rf5Tg7Yh9Uj1Ik3Ol5Pz7Xa9Sd"
    + "AA"
)
BROKEN = """{
  // my models
  "customModels": [
    {
      "model": "claude-sonnet-4-6",
      "provider": "Anthropic",
      "baseUrl": "https://api.anthropic.com",
      "apiKey": "${ANTHROPIC_API_KEY}",
    }
  ]
}
"""
CLEAN = """{
  "customModels": [
    { "model": "gpt-5.5", "provider": "openai", "baseUrl": "https://api.openai.com/v1",
      "apiKey": "${OPENAI_API_KEY}" }
  ]
}
"""


def run(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    environment.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    if env and "FACTORY_LINT_OUTPUT_FORMAT" in env:
        environment["FACTORY_LINT_OUTPUT_FORMAT"] = env["FACTORY_LINT_OUTPUT_FORMAT"]
    return subprocess.run(
        [sys.executable, "-m", "factory_lint", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    factory = tmp_path / ".factory"
    factory.mkdir()
    return tmp_path


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_clean_file_exits_zero(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", CLEAN)
    result = run(str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_errors_exit_one_with_concise_output(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    result = run(str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{path}:6:19: warning: provider" in lines[0]
    assert lines[0].endswith("[FL202 provider-spelling]")
    assert f"{path}:8:39: error: trailing comma" in lines[1]
    assert "Found 1 error, 1 warning." in result.stderr


def test_strict_fails_on_warnings(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN.replace('",\n    }', '"\n    }'))
    assert run(str(path)).returncode == 0
    assert run("--strict", str(path)).returncode == 1


def test_full_format_shows_snippet_and_caret(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    result = run("--output-format", "full", str(path))
    assert '6 |       "provider": "Anthropic",' in result.stdout
    assert "  |                   ^^^^^^^^^^^" in result.stdout
    assert '= fix: Replace with "anthropic"' in result.stdout
    assert "\x1b[" not in result.stdout


def test_output_format_from_environment(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    result = run(str(path), env={"FACTORY_LINT_OUTPUT_FORMAT": "github"})
    assert result.stdout.startswith("::warning file=")
    assert "title=FL202 provider-spelling::" in result.stdout


def test_json_contract(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    result = run("--output-format", "json", str(path))
    data = json.loads(result.stdout)
    assert data["version"] == 1
    first = data["findings"][0]
    assert set(first) >= {"file", "code", "rule", "severity", "message", "pointer", "range", "fix"}
    assert first["pointer"] == "/customModels/0/provider"
    assert first["range"] == {"start": {"line": 6, "column": 19}, "end": {"line": 6, "column": 30}}
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0]["newText"] == '"anthropic"'
    assert data["findings"][1]["code"] == "FL002" and data["findings"][1]["severity"] == "error"


def test_sarif_output(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    data = json.loads(run("--output-format", "sarif", str(path)).stdout)
    assert data["version"] == "2.1.0"
    run_ = data["runs"][0]
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} == {"FL002", "FL202"}
    region = run_["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 19, "endLine": 6, "endColumn": 30}


def test_select_and_ignore(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    assert "FL202" not in run("--ignore", "provider-spelling", str(path)).stdout
    only = run("--select", "FL2", str(path)).stdout
    assert "FL202" in only and "FL002" not in only
    bad = run("--select", "NOPE", str(path))
    assert bad.returncode == 2 and "no rule matches" in bad.stderr


def test_stdin_with_filename() -> None:
    result = run("-", "--stdin-filename", "home/.factory/settings.json", stdin=BROKEN.encode())
    assert result.returncode == 1
    assert result.stdout.startswith("home/.factory/settings.json:6:19:")


def test_unreadable_and_missing_files_exit_two(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing.json")).returncode == 2
    directory = run(str(tmp_path))  # a directory stands for its Droid files (none here)
    assert directory.returncode == 0 and "no Droid files found" in directory.stderr
    fifo = tmp_path / ".factory" / "settings.json"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    result = run(str(fifo))
    assert result.returncode == 2 and "not a regular file" in result.stderr


def test_foreign_config_json_is_skipped(project: Path) -> None:
    path = write(project / ".factory" / "config.json", '{ "workers": 4, "queue": "redis" }')
    result = run(str(path))
    assert result.returncode == 0
    assert "belongs to another tool" in result.stderr


def test_discovery_without_arguments(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write(home / ".factory" / "settings.json", BROKEN)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(
        repo / ".factory" / "config.json",
        '{"custom_models": [{"model": "x", "provider": "claude", "base_url": "http://localhost:8317", "api_key": "sk-dummy"}]}',
    )
    sub = repo / "pkg"
    sub.mkdir()
    result = run(cwd=sub, env={"FACTORY_HOME_OVERRIDE": str(home)})
    assert str(home / ".factory" / "settings.json") in result.stdout
    assert str(repo / ".factory" / "config.json") in result.stdout
    assert "FL201" in result.stdout


def test_config_file_ignores(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    write(project / ".factory-lint.toml", '[per-file-ignores]\n".factory/*.json" = ["FL202"]\n')
    assert "FL202" not in run(str(path)).stdout
    write(
        project / ".factory-lint.toml", 'ignore = ["trailing-comma"]\n[severity]\nFL202 = "error"\n'
    )
    out = run(str(path)).stdout
    assert "FL002" not in out and "error: provider" in out
    write(project / ".factory-lint.toml", "bogus = 1\n")
    bad = run(str(path))
    assert bad.returncode == 2 and "unknown option" in bad.stderr


def test_pyproject_table(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN)
    write(project / "pyproject.toml", '[tool.factory-lint]\nignore = ["FL2"]\n')
    assert "FL202" not in run(str(path)).stdout


def test_inline_suppression_comment(project: Path) -> None:
    text = BROKEN.replace(
        '"provider": "Anthropic",', '"provider": "Anthropic", // factory-lint: ignore[FL202]'
    )
    path = write(project / ".factory" / "settings.json", text)
    out = run(str(path)).stdout
    assert "FL202" not in out and "FL090" not in out


def test_fix_rewrites_safely(project: Path) -> None:
    path = write(project / ".factory" / "settings.json", BROKEN, mode=0o600)
    result = run("--fix", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    fixed = path.read_text()
    assert fixed == BROKEN.replace('"Anthropic"', '"anthropic"').replace('}",\n', '}"\n')
    assert "// my models" in fixed
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.stat().st_mtime_ns
    assert run("--fix", str(path)).returncode == 0
    assert path.stat().st_mtime_ns == before, "no write when nothing changes"


def test_fix_keeps_symlink(project: Path) -> None:
    real = write(project / "dotfiles" / "settings.json", BROKEN)
    link = project / ".factory" / "settings.json"
    link.symlink_to(real)
    run("--fix", str(link))
    assert link.is_symlink()
    assert '"anthropic"' in real.read_text()


def test_unsafe_fixes_need_the_flag(project: Path) -> None:
    text = CLEAN.replace('"openai"', '"opnai"', 1)
    path = write(project / ".factory" / "settings.json", text)
    run("--fix", str(path))
    assert '"opnai"' in path.read_text()
    run("--fix", "--unsafe-fixes", str(path))
    assert '"provider": "openai"' in path.read_text()


def test_file_with_unfixable_syntax_error_is_not_rewritten(project: Path) -> None:
    text = BROKEN.replace('"${ANTHROPIC_API_KEY}",', '"${ANTHROPIC_API_KEY},')
    path = write(project / ".factory" / "settings.json", text)
    result = run("--fix", str(path))
    assert path.read_text() == text
    assert "not fixed" in result.stderr


def test_diff_writes_nothing_and_masks_keys(project: Path) -> None:
    text = BROKEN.replace("${ANTHROPIC_API_KEY}", KEY)
    path = write(project / ".factory" / "settings.json", text)
    result = run("--diff", str(path))
    assert path.read_text() == text
    assert '-      "provider": "Anthropic",' in result.stdout
    assert '+      "provider": "anthropic",' in result.stdout
    assert KEY not in result.stdout and KEY[:20] not in result.stdout


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "sarif", "github"])
def test_no_output_format_prints_a_key(project: Path, fmt: str) -> None:
    text = BROKEN.replace("${ANTHROPIC_API_KEY}", KEY).replace(
        '"model": "claude', f'"{KEY}": 1, "model": "claude'
    )
    path = write(project / ".factory" / "settings.json", text)
    result = run("--output-format", fmt, "--statistics", str(path))
    assert result.stdout, fmt
    for chunk in (KEY, KEY[14:40], KEY[-30:]):
        assert chunk not in result.stdout and chunk not in result.stderr


def test_internal_errors_exit_three(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import factory_lint.runner as runner

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret-bearing message " + KEY)

    monkeypatch.setattr(runner, "lint_one", boom)
    monkeypatch.delenv("FACTORY_LINT_DEBUG", raising=False)
    path = write(tmp_path / ".factory" / "settings.json", CLEAN)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert main([str(path)], stdout=io.StringIO()) == 3
    assert "internal error: RuntimeError" in err.getvalue() and KEY not in err.getvalue()


def test_rule_explanation() -> None:
    result = run("rule", "FL201")
    assert result.returncode == 0 and "## FL201 unknown-provider" in result.stdout
    assert "FL002" in run("rules").stdout
