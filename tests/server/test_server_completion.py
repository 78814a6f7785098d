"""Completions by context, on half-typed documents."""

from __future__ import annotations

import pytest
from lsp_harness import Session, marked
from lsprotocol import types

from factory_lint.findings import Edit
from factory_lint.fixes import apply_edits

pytestmark = pytest.mark.asyncio(loop_scope="session")

ENTRY = (
    '{ "model": "claude-sonnet-4-5-20250929", "displayName": "My Sonnet", '
    '"baseUrl": "https://api.anthropic.com", "provider": "anthropic" }'
)


async def items_at(
    session: Session, text_with_cursor: str
) -> tuple[str, list[types.CompletionItem]]:
    text, offset = marked(text_with_cursor)
    uri = session.open(text)
    return uri, await session.completion(uri, offset)


def labels(items: list[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]


def by_label(items: list[types.CompletionItem], label: str) -> types.CompletionItem:
    return next(item for item in items if item.label == label)


def applied(session: Session, uri: str, item: types.CompletionItem) -> str:
    edit = item.text_edit
    assert isinstance(edit, types.TextEdit)
    start = session.offset(uri, edit.range.start)
    end = session.offset(uri, edit.range.end)
    return apply_edits(session.texts[uri], [Edit(start, end, edit.new_text)])


async def test_top_level_keys(session: Session) -> None:
    _uri, items = await items_at(session, '{\n  "customModels": [],\n  |\n}')
    names = labels(items)
    assert "sessionDefaultSettings" in names
    assert "customModels" not in names  # already present
    session_item = by_label(items, "sessionDefaultSettings")
    assert isinstance(session_item.text_edit, types.TextEdit)
    assert session_item.text_edit.new_text.startswith('"sessionDefaultSettings": {')


async def test_entry_keys_with_snippets(session: Session) -> None:
    uri, items = await items_at(session, '{ "customModels": [ { "model": "x", "prov| } ] }')
    provider = by_label(items, "provider")
    assert "model" not in labels(items)
    assert "baseUrl" in labels(items)
    assert provider.insert_text_format == types.InsertTextFormat.Snippet
    assert provider.documentation is not None
    result = applied(session, uri, provider)
    assert result.startswith('{ "customModels": [ { "model": "x", "provider": "')


async def test_bedrock_keys(session: Session) -> None:
    _uri, items = await items_at(
        session,
        '{ "customModels": [ { "model": "m", "provider": "bedrock-converse", "bedrock": { | } } ] }',
    )
    assert {"awsRegion", "awsProfile", "bedrockBaseUrl"} <= set(labels(items))


async def test_provider_values_with_meaning(session: Session) -> None:
    uri, items = await items_at(
        session,
        '{ "customModels": [ { "model": "m", "baseUrl": "https://openrouter.ai/api/v1", "provider": "ge|" } ] }',
    )
    assert set(labels(items)) == {
        "anthropic",
        "openai",
        "generic-chat-completion-api",
        "bedrock-converse",
    }
    generic = by_label(items, "generic-chat-completion-api")
    assert generic.detail is not None and "Chat Completions" in generic.detail
    doc = generic.documentation
    assert isinstance(doc, types.MarkupContent)
    assert "https://openrouter.ai/api/v1/chat/completions" in doc.value
    assert '"provider": "generic-chat-completion-api"' in applied(session, uri, generic)


async def test_base_url_suggestions_fit_the_provider(session: Session) -> None:
    _uri, items = await items_at(
        session,
        '{ "customModels": [ { "model": "claude-sonnet-4-5", "provider": "anthropic", "baseUrl": "|" } ] }',
    )
    urls = labels(items)
    assert "https://api.anthropic.com" in urls
    assert "https://api.openai.com/v1" not in urls  # OpenAI does not serve the Messages API
    assert all("/chat/completions" not in url for url in urls)
    ranked = sorted(items, key=lambda i: i.sort_text or "")
    assert ranked[0].label == "https://api.anthropic.com"  # the host that serves this model

    _uri, chat = await items_at(
        session,
        '{ "customModels": [ { "model": "m", "provider": "generic-chat-completion-api", "baseUrl": "|" } ] }',
    )
    assert "https://openrouter.ai/api/v1" in labels(chat)
    assert "http://localhost:11434/v1" in labels(chat)


async def test_model_ids_for_the_entry_endpoint(session: Session) -> None:
    uri, items = await items_at(
        session,
        '{ "customModels": [ { "provider": "anthropic", "baseUrl": "https://api.anthropic.com", "model": "cl|" } ] }',
    )
    ids = labels(items)
    assert ids and all(i.startswith("claude") for i in ids)
    first = by_label(items, ids[0])
    assert first.detail is not None and "context" in first.detail  # limits shown
    result = applied(session, uri, first)
    assert f'"model": "{ids[0]}"' in result

    _uri, ollama = await items_at(
        session,
        '{ "customModels": [ { "provider": "generic-chat-completion-api", "baseUrl": "http://localhost:11434/v1", "model": "|" } ] }',
    )
    assert any(":" in label for label in labels(ollama))  # Ollama tags like qwen2.5-coder:32b

    _uri, openrouter = await items_at(
        session,
        '{ "customModels": [ { "provider": "generic-chat-completion-api", "baseUrl": "https://openrouter.ai/api/v1", "model": "|" } ] }',
    )
    assert any("/" in label for label in labels(openrouter))  # vendor/model ids


async def test_enum_values(session: Session) -> None:
    _uri, items = await items_at(
        session, '{ "customModels": [ { "model": "m", "reasoningEffort": "|" } ] }'
    )
    assert {"low", "medium", "high", "off"} <= set(labels(items))
    _uri, top = await items_at(session, '{ "sessionDefaultSettings": { "autonomyLevel": | } }')
    assert set(labels(top)) == {"off", "low", "medium", "high"}


async def test_custom_references(session: Session) -> None:
    uri, items = await items_at(
        session,
        '{ "customModels": [ ' + ENTRY + ' ], "sessionDefaultSettings": { "model": "|" } }',
    )
    reference = by_label(items, "custom:My-Sonnet-0")
    assert reference.detail is not None and "claude-sonnet-4-5-20250929" in reference.detail
    assert '"model": "custom:My-Sonnet-0"' in applied(session, uri, reference)

    _uri, favourites = await items_at(
        session, '{ "customModels": [ ' + ENTRY + ' ], "modelFavorites": [ | ] }'
    )
    assert "custom:My-Sonnet-0" in labels(favourites)


async def test_whole_entry_snippet(session: Session) -> None:
    _uri, items = await items_at(session, '{\n  "customModels": [\n    |\n  ]\n}')
    snippets = [i for i in items if i.kind == types.CompletionItemKind.Snippet]
    assert len(snippets) >= 4
    anthropic = next(i for i in snippets if "Anthropic" in i.label)
    assert anthropic.insert_text_format == types.InsertTextFormat.Snippet
    assert isinstance(anthropic.text_edit, types.TextEdit)
    body = anthropic.text_edit.new_text
    for key in ("model", "baseUrl", "apiKey", "provider"):
        assert f'"{key}"' in body


async def test_completion_on_broken_document(session: Session) -> None:
    # Unclosed everything: the tolerant parser still finds the entry.
    _uri, items = await items_at(
        session, '{ "customModels": [ { "provider": "anthropic", "model": "|'
    )
    assert any(label.startswith("claude") for label in labels(items))


async def test_no_completion_outside_factory_files(session: Session) -> None:
    text, offset = marked('{ "name": "|" }')
    uri = session.open(text, name="package.json", folder=session.folder("app"))
    assert await session.completion(uri, offset) == []


async def test_legacy_config_keys_and_values(session: Session) -> None:
    text, offset = marked('{ "custom_models": [ { "model": "m", "provider": "anthropic", | } ] }')
    uri = session.open(text, name="config.json")
    names = labels(await session.completion(uri, offset))
    assert {"base_url", "api_key", "model_display_name", "max_tokens"} <= set(names)
    assert "baseUrl" not in names
    text, offset = marked(
        '{ "custom_models": [ { "provider": "anthropic", "base_url": "https://api.anthropic.com", "model": "|" } ] }'
    )
    uri = session.open(text, name="config.json")
    assert any(
        label.startswith("claude") for label in labels(await session.completion(uri, offset))
    )
