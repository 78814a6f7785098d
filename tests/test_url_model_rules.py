"""Unit tests for the helpers behind the base-URL (FL4xx) and model-catalog (FL6xx) rules;
the golden folders cover the messages."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from factory_lint.catalog import endpoint_by_id, endpoints, find_model, models_for
from factory_lint.engine import lint_text
from factory_lint.kinds import Kind
from factory_lint.rules.modelcat import alias_base, name_size, single_vendor, successors


def findings(entry: Mapping[str, object], kind: Kind = "settings") -> list[tuple[str, str, str]]:
    key = "customModels" if kind == "settings" else "custom_models"
    text = json.dumps({key: [entry]})
    result = lint_text(text, kind)
    return [
        (f.code, severity, text[f.start : f.end])
        for f, severity in zip(result.findings, result.severities, strict=True)
        if f.code[:3] in ("FL4", "FL6")
    ]


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("qwen2.5-coder:7b", (7.0, None)),
        ("Qwen/Qwen3-Coder-480B-A35B-Instruct", (480.0, 35.0)),
        ("deepseek-r1-distill-qwen-1.5b", (1.5, None)),
        ("mixtral-8x7b", (None, None)),
        ("gemma-3n-e4b", (None, None)),
        ("qwen35-a3b-iq4xs", (None, None)),
        ("claude-opus-4-7", (None, None)),
    ],
)
def test_name_size(model: str, size: tuple[float | None, float | None]) -> None:
    assert name_size(model) == size


def test_single_vendor_endpoints() -> None:
    complete = {e.id for e in endpoints() if single_vendor(e)}
    assert {"anthropic", "openai", "gemini", "xai", "deepseek", "zai"} <= complete
    # serve other vendors' models too, or are gateways: their lists are samples
    assert not complete & {"dashscope", "perplexity", "openrouter", "ollama", "cliproxyapi"}


def test_successors_are_newer_and_current() -> None:
    sonnet = find_model("anthropic", "claude-sonnet-4-5")
    assert sonnet is not None
    newer = successors(sonnet)
    assert newer and "claude-sonnet-4-0" not in newer
    for model_id in newer:
        info = find_model("anthropic", model_id)
        assert info is not None and not info.deprecated
    gpt5 = find_model("openai", "gpt-5")
    assert gpt5 is not None
    assert all("-20" not in m for m in successors(gpt5))  # no dated snapshots


def test_alias_base() -> None:
    catalog = models_for("xai")
    assert alias_base("grok-4-0709", catalog) == '"grok-4"'
    assert alias_base("grok-4", catalog) is None
    assert alias_base("claude-3-7-sonnet-latest", models_for("anthropic")) is not None


def test_escaped_string_falls_back_to_the_whole_value() -> None:
    text = (
        '{"customModels": [{"model": "claude-opus-4-7", "provider": "anthropic", '
        '"baseUrl": "http:\\/\\/localhost:8317\\/v1"}]}'
    )
    (finding,) = [f for f in lint_text(text, "settings").findings if f.code == "FL405"]
    assert text[finding.start : finding.end] == '"http:\\/\\/localhost:8317\\/v1"'
    assert finding.fix is not None
    assert finding.fix.edits[0].text == '"http://localhost:8317"'


def test_path_segment_range_inside_the_string() -> None:
    assert findings(
        {
            "model": "claude-opus-4-7",
            "provider": "anthropic",
            "baseUrl": " http://localhost:8317/v1",
        }
    ) == [("FL405", "warning", "/v1")]


def test_credentials_never_reach_messages_or_fixes() -> None:
    for url in ("https://user:hunter2@llm.example.com", "http:/x:hunter2@localhost:11434"):
        text = json.dumps({"customModels": [{"model": "m", "provider": "openai", "baseUrl": url}]})
        for finding in lint_text(text, "settings").findings:
            assert "hunter2" not in finding.message
            if finding.fix is not None:
                assert all("hunter2" not in e.text for e in finding.fix.edits)


def test_unknown_hosts_and_models_are_never_errors() -> None:
    for entry in (
        {"model": "gpt-5", "provider": "anthropic", "baseUrl": "https://llm.example.com/v1"},
        {"model": "x", "provider": "openai", "baseUrl": "https://llm.example.com"},
        {"model": "claude-opus-4-7", "provider": "openai", "baseUrl": "http://10.0.0.2:9999"},
    ):
        assert all(severity != "error" for _, severity, _ in findings(entry))


def test_local_server_by_port_is_only_info_off_loopback() -> None:
    entry = {
        "model": "m",
        "provider": "generic-chat-completion-api",
        "baseUrl": "http://box:1234/api",
    }
    assert findings(entry) == [("FL408", "info", "/api")]
    entry["baseUrl"] = "http://localhost:1234/api"
    assert findings(entry) == [("FL408", "warning", "/api")]


def test_legacy_fields() -> None:
    entry = {
        "model": "gpt-5.2",
        "provider": "openai",
        "base_url": "https://api.openai.com",
        "max_tokens": 200000,
    }
    codes = {code for code, _, _ in findings(entry, "legacy")}
    assert codes == {"FL406", "FL603"}


def test_catalog_ids_used_by_the_rules_exist() -> None:
    assert endpoint_by_id("gemini") is not None
    assert "gemini-2.5-pro" in models_for("gemini")


def test_did_you_mean_has_a_budget_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each suggestion search compares the id with the endpoint's whole catalog: a file with
    thousands of unknown ids (a hostile input took 11 minutes) gets suggestions for the first
    SUGGESTION_BUDGET only; every id is still reported. (The engine's cap of findings per
    file, which would hide the ids past the budget, is lifted here.)"""
    import factory_lint.engine as engine
    from factory_lint.rules.modelcat import SUGGESTION_BUDGET

    monkeypatch.setattr(engine, "MAX_FINDINGS", 100_000)
    monkeypatch.setattr(engine, "MAX_PER_CHECK", 100_001)

    count = SUGGESTION_BUDGET + 20
    models = [
        {"model": "gpt-5-minii", "provider": "openai", "baseUrl": "https://api.openai.com/v1"}
        for i in range(count)
    ]
    text = json.dumps({"customModels": models})
    unknown = [f for f in lint_text(text, "settings").findings if f.code == "FL601"]
    assert len(unknown) == count
    with_hint = [f for f in unknown if "did you mean" in f.message]
    assert len(with_hint) == SUGGESTION_BUDGET
    assert all("did you mean" in f.message for f in unknown[:SUGGESTION_BUDGET])
