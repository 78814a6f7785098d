"""Command-line edges a newcomer meets: closed pipes, directory arguments, files that are not
Droid's, and the server without its extra."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from factory_lint.cli import EXIT_CLOSED_PIPE

BAD = '{"customModels": [{"model": "m", "provider": "opnai", "baseUrl": "http://localhost:11434/v1", "apiKey": "x"}]}\n'
VSCODE = '{"editor.fontSize": 12, "files.exclude": {"**/.git": true}}\n'


def run(*args: str, cwd: Path | None = None, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    return subprocess.run(
        [sys.executable, "-m", "factory_lint", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=120,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- a closed pipe ------------------------------------------------------------------------------


def run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe whose reader is already gone (``| head -1`` that has read its
    line): the first write fails with EPIPE, every time."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return run(*args, stdout=write_end)
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ("rules",),
        ("rule", "FL201", "FL202"),
        ("--no-cache", "{file}"),
        ("--no-cache", "--output-format", "json", "{file}"),
        ("--no-cache", "--output-format", "full", "{file}"),
    ],
)
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: tuple[str, ...]) -> None:
    path = write(tmp_path / ".factory" / "settings.json", BAD)
    result = run_into_closed_pipe(*(a.replace("{file}", str(path)) for a in args))
    assert result.returncode == EXIT_CLOSED_PIPE == 141
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    assert "BrokenPipe" not in result.stderr


def test_help_into_a_closed_pipe_is_quiet() -> None:
    result = run_into_closed_pipe("--help")  # argparse itself ignores the failed write
    assert result.returncode in (0, EXIT_CLOSED_PIPE) and result.stderr == ""


def test_head_reads_one_line(tmp_path: Path) -> None:
    """The shell pipeline of the issue: whatever the timing, one line and no complaint."""
    path = write(tmp_path / ".factory" / "settings.json", BAD)
    script = (
        f'"{sys.executable}" -m factory_lint rules | head -1; '
        f'"{sys.executable}" -m factory_lint --no-cache "{path}" | head -1'
    )
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, check=False)
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and re.match(r"[A-Z]+\d{3} ", lines[0]) and "FL201" in lines[1]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- a directory argument -----------------------------------------------------------------------


def test_a_directory_lints_the_droid_files_in_it(tmp_path: Path) -> None:
    write(tmp_path / ".factory" / "settings.json", BAD)
    write(tmp_path / "dotfiles" / "private_dot_factory" / "private_settings.json", BAD)
    write(tmp_path / "dotfiles" / "dot_factory" / "settings.json.tmpl", BAD)  # a template
    write(tmp_path / ".vscode" / "settings.json", VSCODE)  # hidden and not Droid's
    write(tmp_path / "node_modules" / "pkg" / ".factory" / "settings.json", BAD)
    write(tmp_path / ".git" / ".factory" / "settings.json", BAD)
    write(tmp_path / "notes" / "settings.json", VSCODE)  # not in a Factory folder
    result = run("--no-cache", "--output-format", "json", str(tmp_path))
    files = [entry["file"] for entry in json.loads(result.stdout)["files"]]
    assert files == [
        str(tmp_path / ".factory" / "settings.json"),
        str(tmp_path / "dotfiles" / "private_dot_factory" / "private_settings.json"),
    ]
    assert result.returncode == 1


def test_the_factory_folder_itself(tmp_path: Path) -> None:
    write(tmp_path / ".factory" / "settings.json", BAD)
    write(tmp_path / ".factory" / "settings.local.json", "{}\n")
    result = run("--no-cache", ".factory/", cwd=tmp_path)
    assert result.returncode == 1
    assert ".factory/settings.json:1:" in result.stdout and "FL201" in result.stdout


def test_a_directory_without_droid_files_is_noted(tmp_path: Path) -> None:
    write(tmp_path / "src" / "app.json", "{}")
    result = run("--no-cache", str(tmp_path))
    assert result.returncode == 0 and result.stdout == ""
    assert "no Droid files found" in result.stderr
    as_json = run("--no-cache", "--output-format", "json", str(tmp_path))
    assert json.loads(as_json.stdout) == {"version": 1, "findings": [], "files": []}


def test_droid_files_in_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    from factory_lint.files import droid_files_in

    write(tmp_path / "a" / ".factory" / "config.json", '{"custom_models": []}')
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    assert droid_files_in(tmp_path) == [tmp_path / "a" / ".factory" / "config.json"]


# --- files that are not Droid's -----------------------------------------------------------------


def test_a_named_file_that_is_not_droids_is_skipped_with_a_note(tmp_path: Path) -> None:
    vscode = write(tmp_path / ".vscode" / "settings.json", '{"editor.rulers": [100],}\n')
    result = run("--no-cache", "--pre-commit", str(vscode))
    assert result.returncode == 0 and result.stdout == ""
    assert "not Droid's, skipped (use --kind to force)" in result.stderr
    forced = run("--no-cache", "--kind", "settings", str(vscode))
    assert forced.returncode == 1 and "FL002" in forced.stdout  # the trailing comma


def test_an_array_in_a_plain_factory_folder_is_not_droids(tmp_path: Path) -> None:
    array = write(tmp_path / "src" / "factory" / "settings.json", '[{"name": "a"}]\n')
    result = run("--no-cache", "--pre-commit", str(array))
    assert result.returncode == 0 and "not Droid's" in result.stderr
    other = write(tmp_path / "src" / "factory" / "config.json", '{"workers": 2}\n')
    assert run("--no-cache", str(other)).returncode == 0
    # In a dotfile repo's factory/ folder a Droid file is still linted ...
    droid = write(tmp_path / "dotfiles" / "factory" / "settings.json", BAD)
    assert run("--no-cache", str(droid)).returncode == 1
    # ... and in .factory/ an array is Droid's file, broken.
    broken = write(tmp_path / ".factory" / "settings.json", '[{"name": "a"}]\n')
    assert run("--no-cache", str(broken)).returncode == 1


# --- the server without its extra ---------------------------------------------------------------


def test_the_server_without_pygls_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['pygls'] = None; sys.argv = ['factory-lint', 'server'];"
        "from factory_lint.cli import main; sys.exit(main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs the `server` extra (pygls is missing)" in lines[0]
    assert f"{sys.executable} -m pip install" in lines[0] and "pygls" in lines[0]


def test_the_missing_extra_message_names_pipx_inside_pipx(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from factory_lint.server import missing_extra_message

    (tmp_path / "pipx_metadata.json").write_text("{}")  # what pipx keeps in each of its venvs
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    message = missing_extra_message("pygls")
    assert "pipx inject factory-lint 'pygls" in message and "lsprotocol" in message
