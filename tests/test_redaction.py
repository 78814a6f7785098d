"""The redaction step (factory_lint.redaction): what is a secret, what is not, escapes, bounds."""

from __future__ import annotations

import time

import pytest

import canaries
from factory_lint.redaction import (
    find_secrets,
    is_credential_name,
    is_non_secret_value,
    key_token_spans,
    mask_runs,
    mask_text,
)


def _masked(text: str) -> list[str]:
    return [text[start:end] for start, end in find_secrets(text).spans]


@pytest.mark.parametrize("name", sorted(canaries.documents()))
def test_every_canary_is_inside_a_span(name: str) -> None:
    text = canaries.documents()[name]
    spans = find_secrets(text).spans
    cursor, outside = 0, []
    for start, end in spans:
        outside.append(text[cursor:start])
        cursor = end
    outside.append(text[cursor:])
    rest = "".join(outside)
    assert canaries.leaks(rest) == []
    for visible in canaries.VISIBLE:
        assert text.count(visible) == rest.count(visible), visible


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("apiKey", True),
        ("api_key", True),
        ("x-api-key", True),
        ("Ocp-Apim-Subscription-Key", True),
        ("awsAccessKeyId", True),
        ("awsSecretAccessKey", True),
        ("awsSessionToken", True),
        ("password", True),
        ("Authorization", True),
        ("OPENAI_API_KEY", True),
        ("githubToken", True),
        ("client_secret", True),
        ("maxTokens", False),
        ("maxOutputTokens", False),
        ("apiKeyHelper", False),
        ("authType", False),
        ("tokenLimit", False),
        ("awsCredentialExport", False),
        ("keybindings", False),
        ("model", False),
        ("baseUrl", False),
    ],
)
def test_credential_names(name: str, credential: bool) -> None:
    assert is_credential_name(name) is credential


@pytest.mark.parametrize(
    "value",
    [
        "dummy-not-used",
        "not-needed",
        "ollama",
        "sk-no-key-required",
        "${OPENAI_API_KEY}",
        "Bearer ${TOKEN}",
        "OPENAI_API_KEY",
        "YOUR_API_KEY",
        "<your key>",
        "sk-xxxxxxxxxxxx",
        "true",
        "12345",
    ],
)
def test_values_that_are_not_secrets(value: str) -> None:
    assert is_non_secret_value(value)
    assert _masked(f'{{"apiKey": "{value}"}}') == []


@pytest.mark.parametrize(
    "model",
    [
        "MiniMax-M2.7-highspeed",
        "claude-sonnet-4-5-20250929",
        "kimi-for-coding",
        "Qwen3-Coder-480B-A35B-Instruct",
        "anthropic.claude-3-5-sonnet-20241022-v2:0",
        "accounts/fireworks/models/llama-v3p1-405b-instruct",
        "OpenCode-Go---DeepSeek-V4-Pro-9",
        "Qwen3-Coder-480B-A35B-Instruct-FP8-Turbo",
    ],
)
def test_model_ids_are_never_masked(model: str) -> None:
    """issue 15: one message printed "… (22 chars)" for a model id."""
    assert key_token_spans(model) == []
    assert _masked(f'{{"model": "{model}", "displayName": "{model}"}}') == []
    assert mask_text(f'"{model}" is not a model id of api.minimax.io') == (
        f'"{model}" is not a model id of api.minimax.io'
    )


def test_escaped_secrets_are_masked_where_written() -> None:
    key = "sk-ant-api03-" + "Zq8Lm2Xv7Rt4Kp1Wn6Bc3Hd9Fg5Js0Ya" * 2
    escaped = "\\u0073" + key[1:20] + "\\/" + key[20:] + "\\n"
    text = f'{{"apiKey": "{escaped}"}}'
    secrets = find_secrets(text)
    assert [text[s:e] for s, e in secrets.spans] == [escaped]
    # Masked by value too: the decoded key wherever an output quotes it.
    assert key[:20] + "/" + key[20:] not in secrets.mask(f"x {key[:20]}/{key[20:]} y")


def test_url_credentials_and_unparsable_text() -> None:
    text = (
        '{"baseUrl": "https://admin:s3cret-Pass@h.example/v1?api_key=abc123def&x=1",\n'
        "  // old: OPENAI_API_KEY=sk-Q2w3E4r5T6y7U8i9O0pAsDfGhJkL\n"
        '  "apiKey": sk-proj-Q2w3E4r5T6y7U8i9O0pAsDfGhJkLzx, "password": hunter2hunter ]'
    )
    assert _masked(text) == [
        "s3cret-Pass",
        "abc123def",
        "sk-Q2w3E4r5T6y7U8i9O0pAsDfGhJkL",
        "sk-proj-Q2w3E4r5T6y7U8i9O0pAsDfGhJkLzx",
        "hunter2hunter",
    ]
    shown = mask_text("Droid calls https://admin:pw12@h.example/v1?key=Zx9&sig=abc")
    assert "pw12" not in shown and "Zx9" not in shown and "abc" not in shown


def test_mask_runs_leaves_unrelated_text() -> None:
    key = "sk-proj-" + "Lw8Zn3Hb6Jc1Fd5Gs0YaQm7Rt2Vx9Kp4"
    assert mask_runs("model gpt-4o not found (404)", [key]) == "model gpt-4o not found (404)"
    assert "Fd5Gs0Ya" not in mask_runs(f"key ...{key[-8:]} rejected", [key])


@pytest.mark.parametrize(
    "text",
    [
        "{}//c" + "\n" * 200_000,
        "a" * 1_000_000,
        '"a":' * 250_000,
        "key=" * 250_000,
        "apiKey " * 150_000,
        "\\u0041" * 160_000,
        "Ab1+/" * 200_000,
        "http://" + "a:" * 300_000,
        '"key":"' * 150_000,
        "auth" * 250_000 + ":x",
    ],
    ids=[
        "newlines",
        "alnum",
        "quotes",
        "key=",
        "apiKey",
        "escapes",
        "base64",
        "userinfo",
        "keyq",
        "name-run",
    ],
)
def test_adversarial_megabyte_inputs_take_bounded_time(text: str) -> None:
    started = time.perf_counter()
    find_secrets(text)
    mask_text(text)
    assert time.perf_counter() - started < 20  # about 1 s each on an idle machine
