"""The probe against an Anthropic-style fake: headers, paginated list, aliases, /v1, --deep."""

from __future__ import annotations

from probe_fakes import AnthropicFake, FakeServer, at, codes, probe, settings_text

KEY = "sk-ant-api03-test"
ENV = {"ANTHROPIC_API_KEY": KEY}


def entry(server: FakeServer, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "model": "claude-sonnet-4-5-20250929",
        "provider": "anthropic",
        "baseUrl": server.url,
        "apiKey": "${ANTHROPIC_API_KEY}",
    }
    values.update(fields)
    return values


def app(server: FakeServer) -> AnthropicFake:
    assert isinstance(server.app, AnthropicFake)
    return server.app


def test_lists_with_x_api_key_and_version_over_pages(anthropic: FakeServer) -> None:
    text = settings_text(entry(anthropic, model="claude-haiku-4-5-20251001"))  # on page 2
    assert probe(text, env=ENV) == []
    first, second = anthropic.requests[:2]
    assert first.path == "/v1/models?limit=1000"
    assert second.path == "/v1/models?limit=1000&after_id=claude-sonnet-4-5-20250929"
    assert first.headers["x-api-key"] == KEY
    assert first.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in first.headers


def test_alias_without_date_is_accepted(anthropic: FakeServer) -> None:
    assert probe(settings_text(entry(anthropic, model="claude-sonnet-4-5")), env=ENV) == []


def test_unknown_model_lists_closest(anthropic: FakeServer) -> None:
    findings = probe(settings_text(entry(anthropic, model="claude-sonet-4-5")), env=ENV)
    assert codes(findings) == ["FL805"]
    assert '"claude-sonnet-4-5-20250929"' in findings[0].message


def test_invalid_key_shows_the_providers_message(anthropic: FakeServer) -> None:
    text = settings_text(entry(anthropic))
    findings = probe(text, env={"ANTHROPIC_API_KEY": "sk-ant-api03-wrong"})
    assert codes(findings) == ["FL803"]
    assert at(text, findings[0]) == '"${ANTHROPIC_API_KEY}"'
    assert "authentication_error: invalid x-api-key" in findings[0].message


def test_bearer_auth_mode_sends_authorization(anthropic: FakeServer) -> None:
    app(anthropic).key = None
    assert probe(settings_text(entry(anthropic, authMode="bearer")), env=ENV) == []
    assert anthropic.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert "x-api-key" not in anthropic.requests[0].headers


def test_trailing_v1_is_confirmed_live_and_fixed(anthropic: FakeServer) -> None:
    text = settings_text(entry(anthropic, baseUrl=f"{anthropic.url}/v1"))
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL806"]
    assert anthropic.requests[0].path == "/v1/v1/models?limit=1000"
    assert "must not end in `/v1`" in findings[0].message
    assert findings[0].fix is not None
    assert findings[0].fix.edits[0].text == f'"{anthropic.url}"'


def test_deep_sends_one_token_message(anthropic: FakeServer) -> None:
    assert probe(settings_text(entry(anthropic)), env=ENV, deep=True) == []
    post = anthropic.requests[-1]
    assert (post.method, post.path) == ("POST", "/v1/messages")
    assert post.json == {
        "model": "claude-sonnet-4-5-20250929",
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "ping"}],
    }
    assert post.headers["x-api-key"] == KEY


def test_deep_model_not_found(anthropic: FakeServer) -> None:
    findings = probe(settings_text(entry(anthropic, model="claude-5")), env=ENV, deep=True)
    assert codes(findings) == ["FL805", "FL809"]
    assert "not_found_error: model: claude-5" in findings[1].message


def test_deep_low_credit_is_a_billing_error(anthropic: FakeServer) -> None:
    app(anthropic).low_credit = True
    findings = probe(settings_text(entry(anthropic)), env=ENV, deep=True)
    assert codes(findings) == ["FL804"]
    assert "credit balance is too low" in findings[0].message
