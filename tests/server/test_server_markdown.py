"""The language server on droids, skills, commands and output styles: diagnostics, completion of
frontmatter keys, tool ids, model ids and MCP servers, hover, quick fixes."""

from __future__ import annotations

import json

import pytest
from lsp_harness import Session, marked
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="session")

DROID = "---\nname: fixer\ndescription: Fixes failing tests\ntools: [Read, Bash]\n---\nFix it.\n"


def droid_folder(session: Session, settings: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    factory = session.folder(".factory")
    if settings is not None:
        (factory / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (factory / "mcp.json").write_text(
        json.dumps({"mcpServers": {"github": {"type": "http", "url": "https://x.example/mcp"}}}),
        encoding="utf-8",
    )
    droids = factory / "droids"
    droids.mkdir()
    return droids


def labels(items: list[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]


async def test_droid_diagnostics_with_codes(session: Session) -> None:
    uri = session.open(DROID, "fixer.md", droid_folder(session))
    diagnostics = await session.diagnostics(uri, lambda d: bool(d))
    codes = {d.code for d in diagnostics}
    assert "DROID103" in codes
    bash = next(d for d in diagnostics if d.code == "DROID103")
    assert bash.range.start.line == 3
    assert "Execute" in bash.message


async def test_skill_diagnostics(session: Session) -> None:
    skills = session.folder(".factory") / "skills" / "notes"
    skills.mkdir(parents=True)
    uri = session.open("---\nname: notes\n---\nWrite notes.\n", "SKILL.md", skills)
    diagnostics = await session.diagnostics(uri, lambda d: bool(d))
    assert [d.code for d in diagnostics] == ["SKILL102"]


async def test_frontmatter_key_completion(session: Session) -> None:
    text, offset = marked("---\nname: fixer\nto|\n---\nFix it.\n")
    uri = session.open(text, "fixer.md", droid_folder(session))
    items = await session.completion(uri, offset)
    assert "tools" in labels(items) and "model" in labels(items)
    assert "name" not in labels(items)  # already there


async def test_tool_completion_in_droid_tools(session: Session) -> None:
    text, offset = marked("---\nname: fixer\ntools: [Read, Ex|]\n---\nFix it.\n")
    uri = session.open(text, "fixer.md", droid_folder(session))
    items = await session.completion(uri, offset)
    names = labels(items)
    assert "Execute" in names and "Bash" not in names
    assert "read-only" not in names  # categories only as the whole value
    execute = next(item for item in items if item.label == "Execute")
    assert isinstance(execute.text_edit, types.TextEdit)
    assert execute.text_edit.new_text == "Execute"


async def test_model_completion_lists_custom_models(session: Session) -> None:
    settings = {
        "customModels": [
            {
                "model": "glm-4.6",
                "displayName": "GLM 4.6",
                "baseUrl": "https://api.z.ai/api/coding/paas/v4",
                "apiKey": "${ZAI_API_KEY}",
                "provider": "generic-chat-completion-api",
            }
        ]
    }
    text, offset = marked("---\nname: fixer\nmodel: |\n---\nFix it.\n")
    uri = session.open(text, "fixer.md", droid_folder(session, settings))
    names = labels(await session.completion(uri, offset))
    assert "inherit" in names and "custom:GLM-4.6-0" in names
    assert "claude-opus-4-7" in names


async def test_mcp_server_completion(session: Session) -> None:
    text, offset = marked("---\nname: fixer\nmcpServers:\n  - gi|\n---\nFix it.\n")
    uri = session.open(text, "fixer.md", droid_folder(session))
    assert labels(await session.completion(uri, offset)) == ["github"]


async def test_skill_allowed_tools_and_boolean_completion(session: Session) -> None:
    skills = session.folder(".factory") / "skills" / "notes"
    skills.mkdir(parents=True)
    text, offset = marked("---\nname: notes\nallowed-tools: Read, |\n---\nWrite notes.\n")
    uri = session.open(text, "SKILL.md", skills)
    assert "Grep" in labels(await session.completion(uri, offset))
    text2, offset2 = marked("---\nname: notes\nuser-invocable: |\n---\nWrite notes.\n")
    uri2 = session.open(text2, "SKILL.md", skills)
    assert labels(await session.completion(uri2, offset2)) == ["true", "false"]


async def test_hover_on_key_and_tool(session: Session) -> None:
    uri = session.open(DROID, "fixer.md", droid_folder(session))
    key_hover = await session.hover(uri, DROID.index("tools"))
    assert key_hover is not None and "category" in key_hover
    tool_hover = await session.hover(uri, DROID.index("Read"))
    assert tool_hover is not None and "Read a file" in tool_hover


async def test_quick_fix_renames_claude_tool(session: Session) -> None:
    uri = session.open(DROID, "fixer.md", droid_folder(session))
    diagnostics = await session.diagnostics(uri, lambda d: bool(d))
    bash = next(d for d in diagnostics if d.code == "DROID103")
    actions = await session.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=bash.range,
            context=types.CodeActionContext(diagnostics=[bash]),
        )
    )
    assert actions
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert any("Execute" in title for title in titles), titles
