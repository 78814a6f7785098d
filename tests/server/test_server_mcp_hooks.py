"""The server on mcp.json and hooks.json: diagnostics, completions, hover, quick fixes."""

from __future__ import annotations

import pytest
from lsp_harness import Session, marked

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_hooks_json_completions_hover_and_fix(session: Session) -> None:
    text, offset = marked('{\n  "PreToolUse": [ { "matcher": "|", "hooks": [] } ]\n}')
    uri = session.open(text, "hooks.json")
    labels = [item.label for item in await session.completion(uri, offset)]
    assert "Execute" in labels and "Edit" in labels and "Bash" not in labels
    text, offset = marked('{\n  "Pre|\n}')
    uri = session.open(text, "hooks.json")
    labels = [item.label for item in await session.completion(uri, offset)]
    assert "PreToolUse" in labels and "SessionStart" in labels
    text = '{\n  "hooks": {\n    "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "/bin/x" } ] } ]\n  }\n}\n'
    uri = session.open(text, "hooks.json")
    diagnostics = await session.diagnostics(uri)
    codes = {str(d.code) for d in diagnostics}
    assert {"HOOK101", "HOOK107"} <= codes
    text = '{\n  "PreToolUse": [ { "matcher": "Execute", "hooks": [] } ]\n}\n'
    uri = session.open(text, "hooks.json")
    hover = await session.hover(uri, text.index("PreToolUse") + 2)
    assert hover is not None and "tool call" in hover
    hover = await session.hover(uri, text.index("matcher") + 2)
    assert hover is not None and "regular expression" in hover


async def test_mcp_json_type_completion_and_diagnostics(session: Session) -> None:
    text, offset = marked(
        '{ "mcpServers": { "docs": { "type": "|", "url": "https://x.example/mcp" } } }'
    )
    uri = session.open(text, "mcp.json")
    labels = [item.label for item in await session.completion(uri, offset)]
    assert {"stdio", "http", "sse"} <= set(labels)
    text = '{\n  // comments are fine\n  "mcpServers": { "gh": { "command": "npx -y pkg" } }\n}\n'
    uri = session.open(text, "mcp.json")
    codes = {str(d.code) for d in await session.diagnostics(uri)}
    assert "MCP105" in codes and not any(code.startswith("FL0") for code in codes)
