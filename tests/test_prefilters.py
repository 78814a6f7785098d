"""Cheap tests that skip a regular expression give the same answers as the expression."""

from __future__ import annotations

import random

import pytest

from factory_lint import secrets
from factory_lint.rules import apikeys

ALPHABET = "yYsSxXkK$%{}[]<>*.-_=?+: envENVabcAPI_KEYtoken1209ſKİı\u00b5 \t\n"
SAMPLES = [
    "",
    " ",
    "${OPENAI_API_KEY}",
    "${OPENAI_API_KEY:-x}",
    "${A=b}",
    "$OPENAI_API_KEY",
    "$env:OPENAI_API_KEY",
    "$ENV:KEY",
    "%APPDATA%",
    "{env:KEY}",
    "YOUR_API_KEY",
    "your-key-here",
    "ſk-xxxx",
    "\u212aey here",
    "İnsert key",
    "<key>",
    "sk-...",
    "OPENAI_API_KEY",
    "Bearer ${KEY}",
    "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
]


def _strings() -> list[str]:
    rng = random.Random(20261122)
    out = list(SAMPLES)
    for _ in range(20_000):
        out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12))))
    for sample in SAMPLES:
        for _ in range(20):
            chars = list(sample)
            if chars:
                chars[rng.randrange(len(chars))] = rng.choice(ALPHABET)
            out.append("".join(chars))
    return out


@pytest.mark.parametrize("value", SAMPLES)
def test_samples(value: str) -> None:
    assert secrets.is_placeholder(value) == bool(secrets.PLACEHOLDER.match(value.strip()))


def test_is_placeholder_prefilter_is_exact() -> None:
    for value in _strings():
        assert secrets.is_placeholder(value) == bool(secrets.PLACEHOLDER.match(value.strip()))
    # every character a placeholder can start with is in the prefilter's set
    for code in range(0x80):
        char = chr(code)
        if secrets.PLACEHOLDER.match(char + "xxxx") or secrets.PLACEHOLDER.match(char + "..."):
            assert char in secrets._PLACEHOLDER_INITIALS


def test_wrong_env_syntax_prefilter_is_exact() -> None:
    for value in _strings():
        matched = any(p.match(value) for p, _ in apikeys._WRONG_ENV_SYNTAX)
        if matched:
            assert apikeys._may_be_wrong_syntax(value), value
        bare = bool(apikeys._BARE_ENV_NAME.match(value))
        assert bare == ("A" <= value[:1] <= "Z" and bare)
