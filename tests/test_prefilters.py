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


def test_no_exclusive_key_format_matches_a_shorter_string() -> None:
    """leaks._sites skips strings shorter than ``shortest_exclusive_key()`` (and than any
    key-shaped string): nothing that short is an exclusive format or a key-shaped secret."""
    from factory_lint import catalog
    from factory_lint.rules.leaks import _is_other_secret_uncached

    shortest = catalog.shortest_exclusive_key()
    rng = random.Random(5)
    tails = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    candidates = [f.prefix for f in catalog.key_formats()] + ["Bearer ", " ", "sk-", "AKIA"]
    limit = min(shortest, secrets.KEY_MIN_LENGTH)
    checked = 0
    for start in candidates:
        for _ in range(200):
            length = rng.randrange(len(start), limit) if len(start) < limit else len(start)
            value = (start + "".join(rng.choice(tails) for _ in range(length)))[: limit - 1]
            fmt = catalog.identify_key(value)
            assert fmt is None or not fmt.exclusive, (value, fmt.id)
            for name in ("", "token", "OPENAI_API_KEY", "Authorization"):
                assert not _is_other_secret_uncached(name, value)
            checked += 1
    assert checked > 5000
    # and the bound is tight: some exclusive format matches a string of exactly that length
    assert (found := catalog.identify_key("AKIA" + "Q7VTZLMQXCARBWNP")) is not None
    assert found.exclusive and len("AKIA" + "Q7VTZLMQXCARBWNP") == shortest
