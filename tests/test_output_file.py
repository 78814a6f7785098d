"""`--output-file` that cannot be written (a directory, a FIFO nobody reads, a missing folder)
is a one-line error naming it (exit 2), never a crash or a hang; the `github` format escapes
file names the way GitHub's workflow commands read them."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

BROKEN = '{"customModels": [1]}\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    options = () if args[0] == "probe" else ("--no-config", "--no-cache")
    return subprocess.run(
        [sys.executable, "-m", "factory_lint", *options, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    path = tmp_path / "settings.json"
    path.write_text(BROKEN)
    return path


@pytest.mark.parametrize("command", [(), ("probe",)], ids=["lint", "probe"])
def test_a_directory(tmp_path: Path, settings: Path, command: tuple[str, ...]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    if command:
        settings.write_text("{}")  # nothing to probe: no network
    result = run(*command, "--output-file", str(folder), str(settings), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"factory-lint: {folder}: cannot write the report: it is a directory"
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_fifo_that_nothing_reads_does_not_hang(tmp_path: Path, settings: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    result = run("--output-file", str(fifo), str(settings), cwd=tmp_path)  # timeout: 60 s
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"factory-lint: {fifo}: cannot write the report: it is a FIFO or socket that nothing reads"
    )


def test_a_fifo_with_a_reader_gets_the_report(tmp_path: Path, settings: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[str] = []

    def read() -> None:
        with open(fifo, encoding="utf-8") as handle:  # blocks until the writer opens it
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.2)  # the reader waits in open() before the linter opens the FIFO
    result = run(
        "--output-format", "concise", "--output-file", str(fifo), str(settings), cwd=tmp_path
    )
    reader.join(30)
    assert result.returncode == 1, result.stderr
    assert "FL103" in received[0]


def test_a_missing_folder(tmp_path: Path, settings: Path) -> None:
    target = tmp_path / "missing" / "report.json"
    result = run("--output-file", str(target), str(settings), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"factory-lint: {target}: cannot write the report: No such file or directory"
    )


def test_the_report_is_written_to_the_file(tmp_path: Path, settings: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old content that is much longer than the report will be " * 100)
    result = run(
        "--output-format", "json", "--output-file", str(target), str(settings), cwd=tmp_path
    )
    assert result.returncode == 1 and result.stdout == ""
    assert target.read_text().startswith("{") and "old content" not in target.read_text()


def _github_unescape(value: str) -> str:
    """What GitHub's runner does to a property value of a workflow command."""
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


@pytest.mark.skipif(sys.platform == "win32", reason="file names with newlines")
def test_github_escapes_file_names_as_github_reads_them(tmp_path: Path) -> None:
    name = "a\nb\r%0Ac:d,e.json"
    (tmp_path / name).write_text(BROKEN)
    result = run("--kind", "settings", "--output-format", "github", name, cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines  # one annotation, on one line
    command = lines[0]
    assert command.startswith("::error file=")
    props = command[len("::error ") :].split("::", 1)[0]
    fields = dict(part.split("=", 1) for part in props.split(","))
    assert _github_unescape(fields["file"]) == name
    assert fields["line"] == "1"
