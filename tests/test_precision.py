"""Precision on real files (issue 15): what Droid 0.225.2 really does, said exactly; no finding a
user cannot act on. Each fact a test pins here was checked with the real CLI (the offline oracle)
or the provider's documentation; see docs/droid-behaviour.md."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from factory_lint.engine import LintResult, lint_text
from factory_lint.kinds import Kind


def lint(data: Mapping[str, object], kind: Kind = "settings") -> LintResult:
    return lint_text(json.dumps(data), kind)


def found(data: Mapping[str, object], code: str, kind: Kind = "settings") -> list[tuple[str, str]]:
    """(severity, message) of each ``code`` finding."""
    result = lint(data, kind)
    return [
        (severity, f.message)
        for f, severity in zip(result.findings, result.severities, strict=True)
        if f.code == code
    ]


def entry(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "model": "gpt-5",
        "provider": "openai",
        "baseUrl": "https://api.openai.com/v1",
        "apiKey": "${OPENAI_API_KEY}",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


# --- FL201: whole file dropped only for entries that reach Droid's provider check -------------


def test_unknown_provider_on_a_complete_entry_drops_the_whole_file() -> None:
    [(severity, message)] = found({"customModels": [entry(provider="claude")]}, "FL201")
    assert severity == "error"
    assert "whole settings file" in message


def test_unknown_provider_on_an_entry_droid_drops_first_only_skips_it() -> None:
    # oracle: provider "claude" with apiKey YOUR_API_KEY, or without baseUrl: the file loads
    for bad in (
        entry(provider="claude", apiKey="YOUR_API_KEY"),
        entry(provider="claude", baseUrl=None),
    ):
        [(severity, message)] = found({"customModels": [bad]}, "FL201")
        assert severity == "error"
        assert "whole" not in message and "skips this entry" in message


# --- FL405: /v1/v1/messages wherever the host is ----------------------------------------------


def test_anthropic_v1_is_a_warning_on_any_host() -> None:
    for url in (
        "http://cliproxyapi:8317/v1",  # a proxy recognised only by its port
        "http://localhost:8080/v1",  # a shared development port
        "https://llm.example.com/v1",  # a host the catalog does not know
        "http://localhost:1337/v1",  # a local server whose docs do not mention Anthropic
    ):
        result = found({"customModels": [entry(provider="anthropic", baseUrl=url)]}, "FL405")
        assert [severity for severity, _ in result] == ["warning"], url
        assert "/v1/v1/messages" in result[0][1]


# --- FL407: the provider is the fix when the URL serves another API style ---------------------


def test_wrong_path_proposes_the_provider_on_the_same_url() -> None:
    text = json.dumps(
        {"customModels": [entry(provider="openai", baseUrl="https://api.z.ai/api/paas/v4")]}
    )
    result = lint_text(text, "settings")
    [finding] = [f for f in result.findings if f.code == "FL407"]
    assert 'use provider "generic-chat-completion-api" with this same URL' in finding.message
    assert finding.fix is not None
    [edit] = finding.fix.edits
    assert text[edit.start : edit.end] == '"openai"'
    assert edit.text == '"generic-chat-completion-api"'


# --- FL104: a key that belongs in a settings group --------------------------------------------


def test_top_level_mission_worker_model_points_to_its_group() -> None:
    [(severity, message)] = found({"missionWorkerModel": "custom:x"}, "FL104")
    assert "`missionModelSettings.workerModel`" in message
    assert "missionOrchestratorModel" not in message and severity == "warning"
    [(_, message)] = found({"interactionMode": "spec"}, "FL104")
    assert "`sessionDefaultSettings.interactionMode`" in message


# --- FL603: what the provider does with a too-large output limit ------------------------------


def test_ollama_output_limit_is_capped_not_rejected() -> None:
    from factory_lint.rules.modelcat import output_limit_effect

    assert "rejects" not in output_limit_effect("ollama-cloud")
    assert "rejects" not in output_limit_effect("ollama")
    assert "rejects" in output_limit_effect("anthropic")
    assert "rejects" not in output_limit_effect("together")


# --- keys Droid writes itself ------------------------------------------------------------------


def test_settings_droid_writes_itself_get_no_finding() -> None:
    """The defaults Droid 0.225.2 persists (its settings writer's ``reset()``), with
    ``setInteractionSettings``' trio: nothing to report, whatever the rule."""
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "droid-written-defaults.settings.json").read_text()
    assert not lint_text(text, "settings").findings
    alone = {"sessionDefaultSettings": {"reasoningEffort": "high", "autonomyMode": "normal"}}
    assert not lint(alone).findings


def test_droid_written_keys_are_known_to_the_schema() -> None:
    from factory_lint.rules.structure import DROID_WRITTEN
    from factory_lint.schema import subschema

    for pointer in DROID_WRITTEN:
        assert subschema("settings", pointer.strip("/").split("/")) is not None, pointer


def test_top_level_legacy_session_keys_are_still_reported() -> None:
    # Droid moves them into sessionDefaultSettings; it never writes them at the top level
    assert [s for s, _ in found({"autonomyMode": "normal"}, "FL105")] == ["info"]


# --- FL601: a warning only for a near miss on a complete list -----------------------------------


def test_near_miss_is_token_aware() -> None:
    from factory_lint.rules.modelcat import near_miss

    listed = ["claude-opus-4-5", "claude-sonnet-4-5", "claude-opus-4-1", "MiniMax-M2.7"]
    assert near_miss("claude-4-5-opus", listed) == (
        "claude-opus-4-5",
        "the same words in another order",
    )
    assert near_miss("claude-sonet-4-5", listed) == (
        "claude-sonnet-4-5",
        '"sonnet" misspelt as "sonet"',
    )
    # another number or another word is another model, not a typo
    assert near_miss("claude-opus-4-6", listed) is None
    assert near_miss("MiniMax-M2.7-highspeed", listed) is None
    assert near_miss("MiniMax-M2.5", listed) is None
    # too short a word to call a change a typo
    assert near_miss("gpt-5-nan", ["gpt-5-nano"]) is None


def test_unknown_model_severity_follows_list_completeness() -> None:
    anthropic = {"provider": "anthropic", "baseUrl": "https://api.anthropic.com"}
    assert [
        s
        for s, _ in found({"customModels": [entry(**anthropic, model="claude-4-5-opus")]}, "FL601")
    ] == ["warning"]
    [(severity, message)] = found(
        {"customModels": [entry(**anthropic, model="claude-opus-9")]}, "FL601"
    )
    assert severity == "info" and "factory-lint probe" in message and "catalog of 20" in message
    for model, url in (
        ("kimi-for-coding", "https://api.kimi.com/coding"),
        ("MiniMax-M2.7-highspeed", "https://api.minimax.io/anthropic"),
        ("MiniMax-M3-highspeed", "https://api.minimax.io/anthropic"),
        ("glm-9-air", "https://api.z.ai/api/anthropic"),
    ):
        assert not found(
            {"customModels": [entry(provider="anthropic", baseUrl=url, model=model)]}, "FL601"
        )


def test_catalog_marks_complete_lists() -> None:
    from factory_lint.catalog import model_list_complete

    assert model_list_complete("anthropic") and model_list_complete("openai")
    assert not model_list_complete("moonshot") and not model_list_complete("minimax")
    assert not model_list_complete("openrouter") and not model_list_complete("ollama")


# --- FL606 and completions: today's date ---------------------------------------------------------


def test_retired_model_says_it_was_retired(monkeypatch: pytest.MonkeyPatch) -> None:
    codex = {"customModels": [entry(model="gpt-5-codex")]}  # catalog: deprecation 2026-07-23
    monkeypatch.setenv("FACTORY_LINT_TODAY", "2026-07-01")
    [(severity, message)] = found(codex, "FL606")
    assert severity == "warning" and "will be retired on 2026-07-23 (in 22 days)" in message
    monkeypatch.setenv("FACTORY_LINT_TODAY", "2026-01-01")
    [(severity, message)] = found(codex, "FL606")
    assert severity == "info" and "will be retired on 2026-07-23" in message
    monkeypatch.setenv("FACTORY_LINT_TODAY", "2026-07-23")
    [(severity, message)] = found(codex, "FL606")
    assert severity == "warning"
    assert "was retired on api.openai.com (OpenAI) on 2026-07-23: requests for it fail" in message


def completion_items(text_with_bar: str) -> list[Any]:
    from factory_lint.context import FileInfo
    from factory_lint.jsonc import parse
    from factory_lint.server.completion import Features, Request, complete
    from factory_lint.server.convert import Positions
    from factory_lint.text import SourceText

    offset = text_with_bar.index("|")
    text = text_with_bar.replace("|", "", 1)
    request = Request(
        text,
        parse(text).root,
        "settings",
        offset,
        Positions(SourceText(text), "utf-16"),
        FileInfo("settings.json", "user", False, 0o600, ()),
        Features(snippets=True, deprecated_tag=True),
    )
    return complete(request)


def test_model_completions_skip_retired_tag_deprecated_and_put_newest_first() -> None:
    from lsprotocol import types

    from factory_lint.server import knowledge

    items = completion_items(
        '{"customModels": [{"provider": "openai", "baseUrl": "https://api.openai.com/v1", '
        '"model": "|"}]}'
    )
    ordered = [i.label for i in sorted(items, key=lambda i: i.sort_text)]
    assert "gpt-5-codex" not in ordered  # retired 2026-07-23
    assert "o4-mini" not in ordered  # retired 2026-10-23
    gpt5 = next(i for i in items if i.label == "gpt-5")  # retires 2026-12-11
    assert gpt5.tags == [types.CompletionItemTag.Deprecated]
    assert ordered.index("gpt-5.6") < ordered.index("gpt-5.5") < ordered.index("gpt-5")
    assert ordered.index("gpt-5.6") < ordered.index("gpt-5.6-sol")
    assert ordered.index("gpt-5.5") < ordered.index("gpt-5.5-2026-04-23")
    assert not any(i.tags for i in items if i.label in ("gpt-5.6", "gpt-5.5"))
    builtin = knowledge.builtin_models()
    assert builtin.index("gpt-5.6-sol") < builtin.index("gpt-5.4") < builtin.index("gpt-5.3-codex")


def test_new_model_snippets_insert_current_models() -> None:
    items = completion_items('{"customModels": [|]}')
    snippets = [i for i in items if i.label.startswith("New custom model")]
    assert len(snippets) >= 4
    for item in snippets:
        body = json.loads(str(item.documentation.value).split("```json\n")[1].split("\n```")[0])
        result = lint({"customModels": [body]})
        assert not [f for f in result.findings if f.code in ("FL601", "FL606")], body
    anthropic = next(i for i in snippets if "Anthropic" in i.label)
    assert "claude-sonnet-4-5-20250929" not in anthropic.text_edit.new_text


def test_kimi_code_chat_completions_url_is_known() -> None:
    kimi = {"model": "kimi-for-coding", "baseUrl": "https://api.kimi.com/coding/v1"}
    result = lint({"customModels": [entry(provider="generic-chat-completion-api", **kimi)]})
    assert not [f for f in result.findings if f.code.startswith(("FL4", "FL6"))]
    [(_, message)] = found({"customModels": [entry(provider="openai", **kimi)]}, "FL407")
    assert 'use provider "generic-chat-completion-api" with this same URL' in message


def test_empty_key_on_a_local_server_is_not_reported() -> None:
    local = entry(provider="generic-chat-completion-api", baseUrl="http://localhost:8317/v1")
    assert not found({"customModels": [{**local, "apiKey": ""}]}, "FL303")
    # oracle: with an empty apiKey Droid sends no auth header at all -> hosted APIs answer 401,
    # certainly so on a catalogued hosted API: an error there
    [(severity, _)] = found({"customModels": [entry(apiKey="")]}, "FL303")
    assert severity == "error"
