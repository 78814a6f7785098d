"""mcp.json and hooks rules end to end: fixes, secrets, cross-file facts, discovery."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import lint_text
from factory_lint.fixes import fix_text
from factory_lint.jsonc import parse

PROJECT = FileInfo(".factory/x.json", "project", True, 0o644)


def fixed(text: str, kind: str, unsafe: bool = False) -> str:
    def relint(current: str) -> list:  # type: ignore[type-arg]
        return lint_text(current, kind, PROJECT).findings  # type: ignore[arg-type]

    return fix_text(text, relint, unsafe).text


def test_hooks_fixes_give_a_file_droid_loads() -> None:
    text = (
        '{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash|Write", "hooks": [ '
        '{ "type": "command", "command": "/bin/guard", "timeout": "30" } ] }\n    ],\n'
        '    "PostToolUse": [ { "type": "command", "command": "/bin/fmt" } ]\n  }\n}\n'
    )
    after = fixed(text, "hooks")
    data = json.loads(after)
    assert set(data) == {"PreToolUse", "PostToolUse"}
    group = data["PreToolUse"][0]
    assert group["matcher"] == "Execute|Create"
    assert group["hooks"][0]["timeout"] == 30
    assert data["PostToolUse"] == [{"hooks": [{"type": "command", "command": "/bin/fmt"}]}]
    assert not [f for f in lint_text(after, "hooks", PROJECT).findings if f.code.startswith("HOOK")]


def test_top_level_hooks_disabled_moves_into_hooks() -> None:
    for text in (
        '{\n  "hooksDisabled": true,\n  "hooks": {\n    "Stop": []\n  }\n}\n',
        '{\n  "autonomyLevel": "low",\n  "hooksDisabled": true\n}\n',
        '{ "hooksDisabled": false, "hooks": {} }',
    ):
        data = json.loads(fixed(text, "settings"))
        assert "hooksDisabled" not in data
        assert isinstance(data["hooks"]["hooksDisabled"], bool)


def test_a_broken_top_level_hooks_disabled_gets_no_fix() -> None:
    """Only a boolean is moved: copying a broken value would add a syntax error (fuzz find)."""
    text = '{\n  "autonomyLevel": wlo,"\n " "hooksDisabled": true\n}\n'
    found = [f for f in lint_text(text, "settings", PROJECT).findings if f.code == "HOOK114"]
    assert found and all(f.fix is None for f in found)


def test_mcp_fixes_give_servers_droid_starts() -> None:
    text = (
        '{\n  // mine\n  "mcpServers": {\n'
        '    "gh": { "command": "npx -y @modelcontextprotocol/server-github", "timeoutMs": 5 },\n'
        '    "fs": { "command": "npx -y pkg", "args": ["--root", "/tmp"] },\n'
        '    "docs": { "url": "https://mcp.example.com/sse" },\n'
        '    "x": { "type": "streamable-http", "url": "https://x.example.com/mcp" },\n'
        '    "y": { "command": "y", "args": "-a \'b c\'", "disabled": "false" }\n  }\n}\n'
    )
    after = fixed(text, "mcp")
    assert not parse(after).problems
    data = json.loads(after.replace("  // mine\n", ""))
    servers_data = data["mcpServers"]
    assert servers_data["gh"] == {
        "command": "npx",
        "args": ["-y", "@modelcontextprotocol/server-github"],
        "timeout": 5,
    }
    assert servers_data["fs"]["args"] == ["-y", "pkg", "--root", "/tmp"]
    assert servers_data["docs"]["type"] == "sse"
    assert servers_data["x"]["type"] == "http"
    assert servers_data["y"]["args"] == ["-a", "b c"] and servers_data["y"]["disabled"] is False
    assert "// mine" in after


def test_mcp_secrets_are_reported_and_never_printed(tmp_path: Path) -> None:
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    bearer = "sk-proj-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCD"
    project = tmp_path / "repo"
    (project / ".git").mkdir(parents=True)
    path = project / ".factory" / "mcp.json"
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "gh": {"command": "gh-mcp", "env": {"GITHUB_TOKEN": token}},
                    "api": {
                        "type": "http",
                        "url": "https://api.example.com/mcp",
                        "headers": {"Authorization": f"Bearer {bearer}"},
                    },
                }
            }
        ),
        encoding="utf-8",
    )
    for fmt in ("full", "json", "sarif"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "factory_lint",
                "--no-cache",
                "--output-format",
                fmt,
                "--diff",
                "--unsafe-fixes",
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert token not in result.stdout + result.stderr
        assert bearer not in result.stdout + result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "factory_lint",
            "--no-cache",
            "--output-format",
            "concise",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.count("FL501") == 2
    assert '"${GITHUB_TOKEN}"' in result.stdout


def test_shadowing_and_mcp_servers_come_from_the_neighbours() -> None:
    hooks_json = '{ "PreToolUse": [ { "matcher": "Execute", "hooks": [ { "type": "command", "command": "/bin/x" } ] } ] }'
    settings = '{ "hooks": { "PreToolUse": [], "Stop": [] } }'
    info = FileInfo(
        ".factory/settings.json",
        "project",
        True,
        0o644,
        (RelatedFile(".factory/hooks.json", "hooks.json", hooks_json),),
    )
    codes = [(f.code, f.pointer) for f in lint_text(settings, "settings", info).findings]
    assert ("HOOK115", "/hooks/PreToolUse") in codes
    assert all(pointer != "/hooks/Stop" for _, pointer in codes)
    broken = hooks_json.replace('"command"', '"prompt"', 1)
    info = FileInfo(
        ".factory/settings.json",
        "project",
        True,
        0o644,
        (RelatedFile(".factory/hooks.json", "hooks.json", broken),),
    )
    assert "HOOK115" not in {f.code for f in lint_text(settings, "settings", info).findings}
    mcp = '{ "mcpServers": { "github": { "command": "gh-mcp" } } }'
    matcher = '{ "PreToolUse": [ { "matcher": "github___create_issue", "hooks": [ { "type": "command", "command": "/bin/x" } ] } ] }'
    info = FileInfo(
        ".factory/hooks.json",
        "project",
        True,
        0o644,
        (RelatedFile("/home/me/.factory/mcp.json", "mcp.json", mcp, "user"),),
    )
    assert "HOOK109" not in {f.code for f in lint_text(matcher, "hooks", info).findings}
    info = FileInfo(".factory/hooks.json", "project", True, 0o644, ())
    assert "HOOK109" in {f.code for f in lint_text(matcher, "hooks", info).findings}
    # stdin (no place): nothing is said about servers
    assert "HOOK109" not in {f.code for f in lint_text(matcher, "hooks").findings}


def test_no_path_run_lints_mcp_and_hooks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".factory").mkdir(parents=True)
    (home / ".factory" / "mcp.json").write_text('{ "servers": {} }', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".factory").mkdir()
    (repo / ".factory" / "hooks.json").write_text('{ "hooks": { "Stop": [] } }', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "factory_lint", "--no-cache", "--output-format", "concise"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"FACTORY_HOME_OVERRIDE": str(home), "PATH": "/usr/bin:/bin"},
    )
    assert "MCP101" in result.stdout and "HOOK101" in result.stdout, result.stdout + result.stderr
