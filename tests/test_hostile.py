"""Hostile files: each gives a clear finding or error message, never a crash.

Functional assertions only (no timing): bench/hostile.py generates the same inputs at full size
and measures time and memory; the figures are in docs/reliability.md. Here the big inputs are
smaller (a 5 MB file instead of 50 MB, fewer models) to keep CI fast.

The CLI runs in-process (``main``) where that is safe, and in a subprocess where an input could
block (a FIFO) or needs real standard input.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import factory_lint.files as files
from factory_lint.cli import main
from factory_lint.report import FORMATS, render
from factory_lint.runner import LintRequest, lint_one

ROOT = Path(__file__).resolve().parent.parent


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_bench", ROOT / "bench" / "hostile.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


bench = _load_bench()
CASES = {case.name: case for case in bench.CASES}


def cli(
    capsys: pytest.CaptureFixture[str], *args: str, output_format: str = "json"
) -> tuple[int, str, str]:
    out = io.StringIO()
    capsys.readouterr()
    code = main(["--no-config", "--output-format", output_format, *args], stdout=out)
    err = capsys.readouterr().err
    assert code != 3 and "internal error" not in err and "Traceback" not in err, err
    return code, out.getvalue(), err


def lint_case(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    scale: float = 1.0,
    output_format: str = "json",
    render_all: bool = True,
) -> tuple[int, Counter[str], str, str]:
    """Lint a bench case in-process: exit code, findings per rule, stdout, stderr."""
    case = CASES[name]
    path, stdin = case.make(tmp_path, scale)
    assert stdin is None
    args = ["--kind", case.kind, path] if case.kind else [path]
    code, out, err = cli(capsys, *args, output_format=output_format)
    codes: Counter[str] = Counter()
    if output_format == "json":
        codes = Counter(f["code"] for f in json.loads(out)["findings"])
    if case.kind and render_all:  # every other format renders too, and is valid UTF-8
        report = lint_one(path, LintRequest(kind=case.kind, use_config=False)).report
        for other in FORMATS:
            render([report], other).encode("utf-8")
    return code, codes, out, err


# --- structure --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["deep-array", "deep-object", "deep-unclosed"])
def test_100000_deep_nesting_is_reported_not_a_recursion_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    code, codes, _, _ = lint_case(capsys, tmp_path, name)
    assert code == 1
    assert codes["FL010"] == 1, codes  # nesting-too-deep, once
    if name == "deep-unclosed":
        assert codes["FL001"] >= 1  # never closed


def test_a_5_mb_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, codes, out, _ = lint_case(capsys, tmp_path, "big-50MB", scale=0.1, render_all=False)
    assert (tmp_path / "big.json").stat().st_size >= 5 * 1024 * 1024
    assert code in (0, 1)
    assert json.loads(out)["files"][0]["kind"] == "settings"
    assert not any(c.startswith("FL0") for c in codes), codes  # no syntax problem


def test_a_1_mb_string_is_linted_and_shown_clipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, codes, _, _ = lint_case(capsys, tmp_path, "string-1MB")
    assert code == 0 and not any(c.startswith("FL0") for c in codes)
    _, out, _ = cli(
        capsys, "--kind", "settings", str(tmp_path / "string.json"), output_format="full"
    )
    assert len(out) < 50_000, "the full format shows a window of a long line, not all of it"


def test_a_1_mb_literal_key_is_reported_and_never_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = CASES["key-1MB"]
    path, _ = case.make(tmp_path, 1.0)
    for output_format in ("json", "concise", "full", "sarif", "github"):
        _, out, err = cli(capsys, "--kind", "settings", path, output_format=output_format)
        assert "a1B2a1B2" not in out and "a1B2a1B2" not in err, output_format
        assert len(out) < 200_000, output_format


def test_many_models(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """100,000 models take minutes in the rules today (see docs/reliability.md); 1,000 here."""
    code, codes, _, _ = lint_case(capsys, tmp_path, "models-100k", scale=0.01)
    assert code in (0, 1)
    assert not any(c.startswith("FL0") and c != "FL091" for c in codes), codes
    # 1,000 FL606 and 999 FL703: the 500 most severe are shown, and FL091 counts the others
    assert sum(codes.values()) == 501 and codes["FL091"] == 1, codes
    (tmp_path / "unknown").mkdir()
    code, _, _, _ = lint_case(capsys, tmp_path / "unknown", "models-100k-unknown", scale=0.001)
    assert code in (0, 1)


def test_a_minified_file_with_many_findings_keeps_the_full_output_small(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Regression: the full format printed the whole (one) line for every finding, so a
    minified file with n findings printed n times its own size."""
    text = bench._models(300, "my-model-{index}").replace("\n", "")
    text = text.replace('"${OPENAI_API_KEY}"', '"sk-proj-Zq3vT8pL2mN6xR1cW9yB4kD7fH0jS5aE"')
    path = tmp_path / "minified.json"
    path.write_text(text)
    _, out, _ = cli(capsys, "--kind", "settings", str(path), output_format="full")
    findings = out.count("\n  = docs: ")
    assert findings >= 300
    assert len(out) < findings * 1500, "each finding shows a window of the line"
    # A secret cut by the window's edge is still masked, never shown in part.
    for fragment in ("Zq3vT8pL", "cW9yB4kD", "H0jS5aE"):
        assert fragment not in out


# --- bytes and encodings ----------------------------------------------------------------------


def test_nul_bytes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, codes, out, _ = lint_case(capsys, tmp_path, "nul-bytes")
    assert code == 1 and codes["FL005"] == 1 and codes["FL001"] == 1, codes
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert any("U+0000" in m for m in messages), messages


def test_a_file_of_nul_bytes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, codes, _, _ = lint_case(capsys, tmp_path, "nul-only")
    assert code == 1 and codes["FL001"] >= 1


def test_invalid_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, codes, out, _ = lint_case(capsys, tmp_path, "invalid-utf8")
    assert codes["FL012"] == 1
    message = next(f["message"] for f in json.loads(out)["findings"] if f["code"] == "FL012")
    assert "not valid UTF-8" in message and "0xE9" in message
    assert code in (0, 1)  # a warning: Droid reads the file with a replacement character


@pytest.mark.parametrize("name", ["utf16-le-bom", "utf16-be-bom"])
def test_utf16_with_a_bom(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    code, codes, out, _ = lint_case(capsys, tmp_path, name)
    assert code == 1 and codes["FL012"] == 1
    assert "UTF-16" in json.dumps(json.loads(out)["findings"])


def test_utf8_with_a_bom(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, codes, _, _ = lint_case(capsys, tmp_path, "utf8-bom")
    assert code == 1 and codes["FL011"] == 1


def test_lone_surrogate_escapes_render_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, codes, out, _ = lint_case(capsys, tmp_path, "lone-surrogates")
    assert codes["FL104"] == 1  # the unknown key "\ud800"
    pointers = [f["pointer"] for f in json.loads(out)["findings"]]
    assert "/customModels/0/\ud800" in pointers  # stays escaped in the JSON text
    assert "\\ud800" in out


def test_non_utf8_file_name_with_a_strict_utf8_terminal(tmp_path: Path) -> None:
    """Regression: concise/full/diff output crashed (exit 3) on a file name that is not UTF-8
    when stdout is strict UTF-8 (en_US.UTF-8 terminals)."""
    name = os.fsdecode(b"caf\xe9.json")
    (tmp_path / name).write_text('{"customModels": [1,]}')
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1"}
    for args in (["--output-format", "concise"], ["--output-format", "full"], ["--diff"]):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "factory_lint",
                "--no-config",
                "--kind",
                "settings",
                *args,
                name,
            ],
            capture_output=True,
            env=environment,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert result.returncode == 1, (args, result.stderr)
        assert b"caf\\udce9.json" in result.stdout, args


def test_u0000_escapes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, codes, _, _ = lint_case(capsys, tmp_path, "u0000-escapes")
    assert code in (0, 1) and codes["FL104"] == 1  # the key "a\u0000b" is unknown


def test_huge_tiny_and_negative_zero_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, codes, out, _ = lint_case(capsys, tmp_path, "numbers")
    assert code == 1
    by_pointer = {f["pointer"]: f for f in json.loads(out)["findings"]}
    assert "/customModels/0/maxOutputTokens" in by_pointer  # 1e999 is not a token count
    assert "/customModels/0/thinkingMaxTokens" in by_pointer  # nor is a 5,000-digit number
    assert not any(c.startswith("FL0") for c in codes), codes  # all valid JSON


def test_nan_and_infinity_tokens(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, out, _ = lint_case(capsys, tmp_path, "nan-infinity")
    assert code == 1
    messages = " ".join(f["message"] for f in json.loads(out)["findings"])
    assert "`NaN` is not valid JSON" in messages and "`Infinity` is not valid JSON" in messages
    assert "-Infinity" in messages


def test_duplicate_keys_by_the_thousand(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """2,999 FL006 and 3,000 FL105 (all warnings): 500 are shown, FL091 counts the others."""
    _, codes, _, _ = lint_case(capsys, tmp_path, "duplicate-keys", scale=0.3)
    assert codes["FL006"] > 0 and codes["FL091"] == 1 and sum(codes.values()) == 501, codes
    (tmp_path / "models").mkdir()
    _, codes, _, _ = lint_case(capsys, tmp_path / "models", "duplicate-keys-models", scale=0.02)
    assert codes["FL006"] == 2 * 100


# --- things that are not regular files ----------------------------------------------------------


def test_symlink_loop(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _, err = lint_case(capsys, tmp_path, "symlink-loop")
    assert code == 2
    assert "loop-a.json: cannot read: Too many levels of symbolic links" in err


def test_discovery_skips_a_factory_folder_that_is_a_symlink_loop(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".factory").symlink_to(".factory")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(tmp_path / "home"))
    code, _, err = cli(capsys)
    assert code == 0 and "no Droid files found" in err


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO with no writer would block a reader forever: it must be refused, not opened."""
    path, _ = CASES["fifo"].make(tmp_path, 1.0)
    result = subprocess.run(
        [sys.executable, "-m", "factory_lint", "--no-config", path],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "not a regular file (a FIFO, socket or device); skipped" in result.stderr


def test_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _, err = lint_case(capsys, tmp_path, "directory")
    assert code == 2 and "settings.json: is a directory, not a file" in err


def test_a_device(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "/dev/zero")
    assert code == 2 and "not a regular file" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_a_file_without_read_permission(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _, err = lint_case(capsys, tmp_path, "unreadable")
    assert code == 2 and "unreadable.json: cannot read: Permission denied" in err


def test_a_file_that_cannot_be_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as root: opening fails with EACCES (as for a mode-000 file)."""
    path = tmp_path / "settings.json"
    path.write_text("{}")

    real_open = os.open

    def denied(name: object, *args: Any, **kwargs: Any) -> int:
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)
    code, _, err = cli(capsys, str(path))
    assert code == 2 and "settings.json: cannot read: Permission denied" in err


def test_a_file_over_the_size_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _, err = lint_case(capsys, tmp_path, "too-big")
    assert code == 2 and "is larger than the 16777216 bytes factory-lint reads" in err


def test_endless_standard_input_is_cut_off(tmp_path: Path) -> None:
    """Regression: `-` read all of standard input into memory (`cat /dev/zero | factory-lint -`)."""
    _, stdin = CASES["stdin-flood"].make(tmp_path, 1.0)
    assert stdin is not None
    with open(stdin, "rb") as feed:
        result = subprocess.run(
            [sys.executable, "-m", "factory_lint", "--no-config", "-"],
            stdin=feed,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2
    assert "standard input is larger than the 16777216 bytes" in result.stderr


def test_missing_and_empty_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, str(tmp_path / "nope.json"))
    assert code == 2 and "nope.json: no such file" in err
    empty = tmp_path / "settings.json"
    empty.write_text("")
    code, out, _ = cli(capsys, "--kind", "settings", str(empty))
    assert code == 1 and "FL013" in out


def test_reading_bytes_follows_a_file_that_grew_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.json"
    for content, stated in (
        (b"", 0),
        (b"{}", 2),
        (b"x" * 300_000, 300_000),
        (b"y" * 300_000, 10),  # grew after the stat: read on
        (b"z" * 300_000, 0),
    ):
        target.write_bytes(content)
        assert files._read_bytes(target, stated) == content
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100_000)
    assert files._read_bytes(target, 10) == b"z" * 100_001  # the limit, plus one to tell
