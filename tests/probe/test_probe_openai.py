"""The probe against an OpenAI-style fake: keys, billing, model ids, base paths, --deep."""

from __future__ import annotations

from probe_fakes import (
    FakeServer,
    OpenAIFake,
    Recorded,
    Reply,
    at,
    codes,
    json_reply,
    openai_error,
    probe,
    settings_text,
)

KEY = "sk-proj-test"
ENV = {"OPENAI_API_KEY": KEY}


def entry(server: FakeServer, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "model": "gpt-4o",
        "provider": "generic-chat-completion-api",
        "baseUrl": f"{server.url}/v1",
        "apiKey": "${OPENAI_API_KEY}",
    }
    values.update(fields)
    return values


def app(server: FakeServer) -> OpenAIFake:
    assert isinstance(server.app, OpenAIFake)
    return server.app


def test_answering_model_has_no_findings_and_key_comes_from_env(openai: FakeServer) -> None:
    assert probe(settings_text(entry(openai)), env=ENV) == []
    assert openai.paths() == ["GET /v1/models", "GET /api/version"]  # local: Ollama?
    assert openai.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_rejected_key_is_reported_at_api_key(openai: FakeServer) -> None:
    text = settings_text(entry(openai))
    findings = probe(text, env={"OPENAI_API_KEY": "sk-proj-revoked0000"})
    assert codes(findings) == ["FL803"]
    assert at(text, findings[0]) == '"${OPENAI_API_KEY}"'
    assert "401 Unauthorized" in findings[0].message
    assert "the key from ${OPENAI_API_KEY} is rejected" in findings[0].message
    assert "sk-proj-revoked0000" not in findings[0].message


def test_missing_key_says_none_was_sent(openai: FakeServer) -> None:
    text = settings_text(entry(openai, apiKey=""))
    findings = probe(text)
    assert codes(findings) == ["FL803"]
    assert "no key was sent" in findings[0].message
    assert "authorization" not in openai.requests[0].headers


def test_unset_variable_is_sent_literally_and_reported(openai: FakeServer) -> None:
    text = settings_text(entry(openai))
    findings = probe(text, env={})
    assert codes(findings) == ["FL803", "FL811"]
    assert openai.requests[0].headers["authorization"] == "Bearer ${OPENAI_API_KEY}"
    assert "OPENAI_API_KEY is not set" in findings[1].message


def test_legacy_api_key_is_literal(openai: FakeServer) -> None:
    legacy = {
        "model": "gpt-4o",
        "provider": "generic-chat-completion-api",
        "base_url": f"{openai.url}/v1",
        "api_key": "${OPENAI_API_KEY}",
    }
    findings = probe(settings_text(legacy, kind="legacy"), kind="legacy", env=ENV)
    assert codes(findings) == ["FL803"]  # Droid does not expand ${...} in config.json
    assert openai.requests[0].headers["authorization"] == "Bearer ${OPENAI_API_KEY}"


def test_payment_required_is_an_error(openai: FakeServer) -> None:
    app(openai).billing = "payment"
    findings = probe(settings_text(entry(openai)), env=ENV)
    assert codes(findings) == ["FL804"]
    assert findings[0].severity is None  # the rule's default: error
    assert "402 Payment Required" in findings[0].message


def test_exhausted_quota_is_an_error_and_rate_limit_a_warning(openai: FakeServer) -> None:
    app(openai).billing = "quota"
    quota = probe(settings_text(entry(openai)), env=ENV)
    assert codes(quota) == ["FL804"] and quota[0].severity is None
    assert "exceeded your current quota" in quota[0].message
    app(openai).billing = "rate"
    rate = probe(settings_text(entry(openai)), env=ENV)
    assert codes(rate) == ["FL804"] and rate[0].severity == "warning"
    assert "rate limited" in rate[0].message


def test_model_missing_from_list_names_the_closest_ids(openai: FakeServer) -> None:
    text = settings_text(entry(openai, model="gpt-4o-mni"))
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL805"]
    assert at(text, findings[0]) == '"gpt-4o-mni"'
    assert 'closest: "gpt-4o-mini", "gpt-4o"' in findings[0].message
    assert findings[0].data["suggestions"][:2] == ["gpt-4o-mini", "gpt-4o"]


def test_model_in_wrong_case_gets_a_fix(openai: FakeServer) -> None:
    text = settings_text(entry(openai, model="GPT-4o"))
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL805"]
    assert findings[0].fix is not None and not findings[0].fix.safe
    assert findings[0].fix.edits[0].text == '"gpt-4o"'


def test_missing_v1_is_confirmed_live_and_fixed(openai: FakeServer) -> None:
    text = settings_text(entry(openai, baseUrl=openai.url))
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL806"]
    assert at(text, findings[0]) == f'"{openai.url}"'
    assert "GET /models" in openai.paths() and "GET /v1/models" in openai.paths()
    assert findings[0].fix is not None
    assert findings[0].fix.edits[0].text == f'"{openai.url}/v1"'
    assert "version segment" in findings[0].message


def test_base_url_ending_in_the_endpoint_is_confirmed(openai: FakeServer) -> None:
    text = settings_text(entry(openai, baseUrl=f"{openai.url}/v1/chat/completions"))
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL806"]
    assert "ends in `/chat/completions`" in findings[0].message
    assert findings[0].fix is not None
    assert findings[0].fix.edits[0].text == f'"{openai.url}/v1"'


def test_no_list_anywhere_is_a_warning(openai: FakeServer) -> None:
    text = settings_text(entry(openai, baseUrl=f"{openai.url}/v2/api"))
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL810"]
    assert "404 Not Found" in findings[0].message


def test_extra_headers_are_sent(openai: FakeServer) -> None:
    text = settings_text(entry(openai, extraHeaders={"X-Org": "acme"}))
    assert probe(text, env=ENV) == []
    assert openai.requests[0].headers["x-org"] == "acme"


def test_deep_sends_one_token_chat_request(openai: FakeServer) -> None:
    text = settings_text(entry(openai, extraArgs={"temperature": 0.2, "stream": True}))
    assert probe(text, env=ENV, deep=True) == []
    post = openai.requests[-1]
    assert f"{post.method} {post.path}" == "POST /v1/chat/completions"
    assert post.json == {
        "temperature": 0.2,
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "ping"}],
        "max_tokens": 1,
    }


def test_deep_reports_the_providers_error(openai: FakeServer) -> None:
    app(openai).models.append("gpt-9")  # listed but not served
    text = settings_text(entry(openai, model="gpt-9"))
    app(openai).models.remove("gpt-9")
    findings = probe(text, env=ENV, deep=True)
    assert codes(findings) == ["FL805", "FL809"]
    assert "The model `gpt-9` does not exist" in findings[1].message
    assert "404 Not Found" in findings[1].message


def test_deep_responses_api(openai: FakeServer) -> None:
    text = settings_text(entry(openai, provider="openai", model="gpt-5-codex"))
    assert probe(text, env=ENV, deep=True) == []
    post = openai.requests[-1]
    assert f"{post.method} {post.path}" == "POST /v1/responses"
    assert post.json == {"model": "gpt-5-codex", "input": "ping", "max_output_tokens": 16}


def test_deep_openai_provider_on_a_server_without_responses_api(openai: FakeServer) -> None:
    app(openai).responses_api = False
    text = settings_text(entry(openai, provider="openai"))
    findings = probe(text, env=ENV, deep=True)
    assert codes(findings) == ["FL809"]
    assert at(text, findings[0]) == '"openai"'
    assert 'has no OpenAI Responses API, which provider "openai" uses' in findings[0].message
    assert findings[0].help is not None
    assert '"provider": "generic-chat-completion-api"' in findings[0].help


def test_deep_retries_with_max_completion_tokens_when_asked(openai: FakeServer) -> None:
    fake = app(openai)

    def strict(request: Recorded) -> Reply:
        body = request.json
        if request.method == "POST" and isinstance(body, dict) and "max_tokens" in body:
            return openai_error(
                400,
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                "'max_completion_tokens' instead.",
                "invalid_request_error",
                "unsupported_parameter",
            )
        return fake(request)

    openai.app = strict
    assert probe(settings_text(entry(openai, model="o3")), env=ENV, deep=True) == []
    bodies = [r.json for r in openai.requests if r.method == "POST"]
    assert [
        b["max_completion_tokens" if "max_completion_tokens" in b else "max_tokens"] for b in bodies
    ] == [1, 1]  # type: ignore[index,operator]
    assert "max_completion_tokens" in bodies[1]  # type: ignore[operator]


def test_server_error_means_no_list(openai: FakeServer) -> None:
    openai.app = lambda request: json_reply(503, {"error": {"message": "upstream overloaded"}})
    findings = probe(settings_text(entry(openai)), env=ENV)
    assert codes(findings) == ["FL810"]
    assert "503 Service Unavailable (upstream overloaded)" in findings[0].message


def test_entries_that_are_not_probed(openai: FakeServer) -> None:
    text = settings_text(
        {"model": "anthropic.claude", "provider": "bedrock-converse", "bedrock": {}},
        entry(openai, provider="claude"),
        entry(openai, apiKey="YOUR_API_KEY"),
        entry(openai, baseUrl="localhost:11434/v1"),
        entry(openai, baseUrl="http://host /v1"),
    )
    findings = probe(text, env=ENV)
    assert codes(findings) == ["FL813"] * 5
    assert all(f.severity is None for f in findings)  # the rule's default: info
    messages = " | ".join(f.message for f in findings)
    for reason in ("Bedrock", '"claude"', "drops the entry", "not an http", "spaces"):
        assert reason in messages
    assert openai.requests == []
