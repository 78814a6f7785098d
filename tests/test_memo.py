"""remember_short: answers for short strings are remembered, longer ones computed each time."""

from __future__ import annotations

from factory_lint.memo import remember_short


def test_short_strings_are_remembered_and_long_ones_are_not() -> None:
    calls: list[str] = []

    @remember_short(max_length=5, maxsize=8)
    def upper(value: str) -> str:
        """Upper case."""
        calls.append(value)
        return value.upper()

    assert [upper("abc"), upper("abc"), upper("abcdef"), upper("abcdef")] == ["ABC"] * 2 + [
        "ABCDEF"
    ] * 2
    assert calls == ["abc", "abcdef", "abcdef"]
    assert upper.__doc__ == "Upper case."
