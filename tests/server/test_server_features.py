"""Hover, code actions (applied for real), document symbols, robustness, secrets."""

from __future__ import annotations

import json

import pytest
from lsp_harness import Session
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="session")

KEY = "sk-ant-api03-" + "Q7vX2mK9pL4rT8wZ" * 5 + "AA"
DOCUMENT = json.dumps(
    {
        "customModels": [
            {
                "model": "claude-sonnet-4-5-20250929",
                "displayName": "Sonnet",
                "baseUrl": "https://api.anthropic.com",
                "apiKey": KEY,
                "provider": "anthropic",
                "reasoningEffort": "HIGH",
            },
            {
                "model": "openai/gpt-oss-120b",
                "displayName": "GPT-OSS 120B",
                "baseUrl": "https://openrouter.ai/api/v1",
                "apiKey": "${OPENROUTER_API_KEY}",
                "provider": "Generic_Chat_Completion_API",
            },
        ],
        "sessionDefaultSettings": {"model": "custom:Sonnet-0"},
    },
    indent=2,
)


def codes(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def at(session: Session, uri: str, needle: str, nth: int = 0, inside: int = 2) -> int:
    text = session.texts[uri]
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return offset + inside


async def test_hover_key_docs(session: Session) -> None:
    uri = session.open(DOCUMENT)
    value = await session.hover(uri, at(session, uri, '"provider"'))
    assert value is not None
    assert "**provider**" in value and "Messages API" in value


async def test_hover_model_limits(session: Session) -> None:
    uri = session.open(DOCUMENT)
    value = await session.hover(uri, at(session, uri, '"claude-sonnet-4-5-20250929"'))
    assert value is not None
    assert "context window" in value and "max output" in value


async def test_hover_provider_shows_the_request(session: Session) -> None:
    uri = session.open(DOCUMENT)
    value = await session.hover(uri, at(session, uri, '"anthropic"'))
    assert value is not None
    assert "POST https://api.anthropic.com/v1/messages" in value
    generic = await session.hover(uri, at(session, uri, '"https://openrouter.ai/api/v1"'))
    assert generic is not None and "OpenRouter" in generic


async def test_hover_api_key_never_shows_the_key(session: Session) -> None:
    uri = session.open(DOCUMENT)
    value = await session.hover(uri, at(session, uri, KEY, inside=5))
    assert value is not None
    assert KEY not in value and KEY[13:30] not in value
    assert "api.anthropic.com" in value and "x-api-key" in value
    env = await session.hover(uri, at(session, uri, "${OPENROUTER_API_KEY}"))
    assert env is not None and "OPENROUTER_API_KEY" in env and "environment" in env


async def test_hover_custom_reference(session: Session) -> None:
    uri = session.open(DOCUMENT)
    value = await session.hover(uri, at(session, uri, '"custom:Sonnet-0"'))
    assert value is not None and "claude-sonnet-4-5-20250929" in value


async def test_quick_fix_applies_and_diagnostic_disappears(session: Session) -> None:
    uri = session.open(DOCUMENT)
    found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    target = next(d for d in found if d.code == "FL202")
    actions = await session.code_actions(uri, [target], only=[types.CodeActionKind.QuickFix])
    fix = next(a for a in actions if a.is_preferred)
    assert fix.kind == types.CodeActionKind.QuickFix
    assert fix.diagnostics and fix.diagnostics[0].code == "FL202"
    assert fix.edit is not None
    session.apply(uri, fix.edit)
    assert '"provider": "generic-chat-completion-api"' in session.texts[uri]
    await session.diagnostics(uri, lambda ds: "FL202" not in codes(ds))


async def test_fix_all(session: Session) -> None:
    uri = session.open(DOCUMENT)
    found = await session.diagnostics(uri, lambda ds: {"FL202", "FL108"} <= codes(ds))
    actions = await session.code_actions(uri, [], only=["source.fixAll"], start=0, end=0)
    assert [a.kind for a in actions] == ["source.fixAll.factory-lint"]
    assert actions[0].edit is not None
    session.apply(uri, actions[0].edit)
    text = session.texts[uri]
    assert '"reasoningEffort": "high"' in text and "generic-chat-completion-api" in text
    remaining = await session.diagnostics(uri, lambda ds: not ({"FL202", "FL108"} & codes(ds)))
    assert len(remaining) < len(found)


async def test_suppress_comment(session: Session) -> None:
    uri = session.open(DOCUMENT)
    found = await session.diagnostics(uri, lambda ds: "FL108" in codes(ds))
    target = next(d for d in found if d.code == "FL108")
    actions = await session.code_actions(uri, [target])
    suppress = next(a for a in actions if a.title.startswith("Suppress FL108"))
    assert suppress.edit is not None
    session.apply(uri, suppress.edit)
    assert "// factory-lint: ignore[FL108]" in session.texts[uri]
    await session.diagnostics(uri, lambda ds: "FL108" not in codes(ds) and "FL090" not in codes(ds))


async def test_no_secret_in_any_message(session: Session) -> None:
    uri = session.open(DOCUMENT)
    found = await session.diagnostics(uri, lambda ds: bool(ds))
    actions = await session.code_actions(uri, found, start=0, end=len(session.texts[uri]))
    texts = [d.message for d in found] + [a.title for a in actions]
    texts += [m.message for m in session.client.log_messages]
    for text in texts:
        assert KEY not in text and KEY[13:40] not in text


async def test_document_symbols(session: Session) -> None:
    uri = session.open(DOCUMENT)
    result = await session.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert result is not None
    symbols = [s for s in result if isinstance(s, types.DocumentSymbol)]
    assert [s.name for s in symbols] == ["Sonnet", "GPT-OSS 120B"]
    assert symbols[0].detail == "claude-sonnet-4-5-20250929 · anthropic"
    text = session.texts[uri]
    assert session.offset(uri, symbols[1].range.start) == text.index('{\n      "model": "openai')


async def test_server_survives_bad_requests(session: Session) -> None:
    missing = "file:///nowhere/.factory/settings.json"  # never opened
    result = await session.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=missing),
            position=types.Position(line=99, character=99),
        )
    )
    assert result is None
    uri = session.open(DOCUMENT)
    far = await session.client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=10_000, character=10_000),
        )
    )
    assert far is None or isinstance(far, (types.CompletionList, list))
    # Still alive and linting.
    assert await session.diagnostics(uri, lambda ds: bool(ds))


async def test_project_configuration_per_file(session: Session) -> None:
    folder = session.folder()
    uri = session.open(DOCUMENT, folder=folder)
    await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    config = folder.parent / ".factory-lint.toml"
    config.write_text('ignore = ["FL202"]\n', "utf-8")
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    found = await session.diagnostics(uri, lambda ds: bool(ds) and "FL202" not in codes(ds))
    assert "FL108" in codes(found)
