"""--diff's patches (factory_lint.patch): they apply with git apply and patch, and show no secret."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from factory_lint.patch import unified_diff

KEY = "sk-ant-api03-" + "Hq3Zr8Wm1Kx6Tn4Bv9Lc2Pd7Fs5Gj0Ya" * 3
TOOLS = [t for t in ("git", "patch") if shutil.which(t)]


def _applies(tmp_path: Path, before: str, after: str, diff: str) -> str:
    """Apply ``diff`` to ``before`` with each tool; the text it gives."""
    results = []
    for tool in TOOLS:
        folder = tmp_path / tool
        (folder / ".factory").mkdir(parents=True)
        target = folder / ".factory" / "settings.json"
        target.write_bytes(before.encode())
        (folder / "x.patch").write_bytes(diff.encode())
        command = (
            ["git", "apply", "x.patch"] if tool == "git" else ["patch", "-p1", "-i", "x.patch"]
        )
        if tool == "git":
            subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (tool, done.stdout, done.stderr, diff)
        results.append(target.read_bytes().decode())
    assert len(set(results)) <= 1
    return results[0] if results else after


@pytest.mark.skipif(not TOOLS, reason="neither git nor patch")
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("last", ["", "\n"], ids=["no-final-newline", "final-newline"])
def test_patches_apply(tmp_path: Path, newline: str, last: str) -> None:
    lines = ["{", '  "a": 1,', '  "provider": "Anthropic",', '  "b": "\u2028 x"', "}"]
    before = newline.join(lines) + (newline if last else "")
    after = before.replace("Anthropic", "anthropic").replace('"b"', '"c"')
    diff = unified_diff(".factory/settings.json", before, after)
    assert diff.withheld == []
    assert _applies(tmp_path, before, after, diff.text) == after


@pytest.mark.skipif(not TOOLS, reason="neither git nor patch")
def test_a_change_that_would_show_a_secret_is_left_out(tmp_path: Path) -> None:
    """The key's removal is withheld; the change near it applies with the context that does
    not hold the key."""
    before = (
        "{\n"
        '  "model": "claude-sonnet-4-5",\n'
        f'  "apiKey": "{KEY}",\n'
        '  "displayName": "Sonnet",\n'
        '  "provider": "Anthropic",\n'
        '  "maxOutputTokens": 8192,\n'
        '  "baseUrl": "https://api.anthropic.com"\n'
        "}\n"
    )
    after = before.replace(KEY, "${ANTHROPIC_API_KEY}").replace("Anthropic", "anthropic")
    diff = unified_diff(".factory/settings.json", before, after)
    assert diff.withheld == [3]
    assert KEY[13:21] not in diff.text and "apiKey" not in diff.text
    assert _applies(tmp_path, before, after, diff.text) == before.replace("Anthropic", "anthropic")


def test_nothing_to_show() -> None:
    before = f'{{"apiKey": "{KEY}"}}\n'
    diff = unified_diff("s.json", before, '{"apiKey": "${ANTHROPIC_API_KEY}"}\n')
    assert (diff.text, diff.withheld) == ("", [1])
    assert unified_diff("s.json", before, before).text == ""
