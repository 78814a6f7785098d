"""The tolerant JSONC parser and the position arithmetic."""

from __future__ import annotations

import json

import pytest

from factory_lint.files import decode
from factory_lint.jsonc import parse
from factory_lint.text import SourceText


def kinds(text: str) -> list[str]:
    return [p.kind for p in parse(text).problems]


def test_every_key_and_value_has_its_range() -> None:
    text = '{\n  "a": [1, {"b": null}],\n  "c": "d"\n}'
    root = parse(text).root
    assert root is not None and root.type == "object"
    for node in root.walk():
        piece = text[node.start : node.end]
        if node.type in ("number", "string", "null"):
            assert json.loads(piece) == node.value
        for member in node.members:
            assert text[member.key_start : member.key_end] == json.dumps(member.key)
    assert [n.pointer for n in root.walk()] == ["", "/a", "/a/0", "/a/1", "/a/1/b", "/c"]


def test_pointer_escaping() -> None:
    root = parse('{"a/b": {"c~d": 1}}').root
    assert root is not None
    assert [n.pointer for n in root.walk()] == ["", "/a~1b", "/a~1b/c~0d"]


def test_comments_are_allowed_and_recorded() -> None:
    document = parse('// head\n{ /* inline */ "a": 1 // tail\n}')
    assert document.problems == []
    assert [c.text for c in document.comments] == ["// head", "/* inline */", "// tail"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,}', ["trailing-comma"]),
        ("[1,]", ["trailing-comma"]),
        ('{"a": 1 "b": 2}', ["missing-comma"]),
        ('{"a": "x\n}', ["unterminated-string"]),
        ('{"a": "x\ty"}', ["control-character"]),
        ('{"a": 1, "a": 2}', ["duplicate-key"]),
        ("{} /*", ["unterminated-comment"]),
        (r'{"a": "\q"}', ["invalid-escape"]),
        ('{"a": 01}', ["invalid-number"]),
        ('{"a": NaN}', ["invalid-token"]),
        ("\ufeff{}", ["byte-order-mark"]),
        ("", ["empty-document"]),
        ("{} {}", ["end-of-file-expected"]),
        ("{'a': 1}", ["single-quotes"]),
        ("{a: 1}", ["property-name-expected"]),
        ('{"a" 1}', ["colon-expected"]),
        ('{"a": }', ["value-expected"]),
    ],
)
def test_syntax_problems(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


def test_trailing_comma_range_is_the_comma() -> None:
    problem = parse('{"a": 1,\n}').problems[0]
    assert (problem.start, problem.end, problem.fix) == (7, 8, "")


def test_recovery_keeps_later_members() -> None:
    root = parse('{"a": 1 "b": tru, "c": [1 2], "d": "ok"}').root
    assert root is not None
    assert [m.key for m in root.members] == ["a", "b", "c", "d"]
    assert root.string("d") == "ok"


def test_duplicate_keys_last_one_wins() -> None:
    root = parse('{"a": 1, "a": 2}').root
    assert root is not None and root.value_of("a") is not None
    assert root.value_of("a").value == 2  # type: ignore[union-attr]


def test_deep_nesting_is_a_finding_not_a_recursion_error() -> None:
    text = "[" * 100_000 + "]" * 100_000
    document = parse(text)
    assert [p.kind for p in document.problems] == ["too-deep"]
    unclosed = parse("{" * 100_000)
    assert {p.kind for p in unclosed.problems} <= {"too-deep", "unclosed", "property-name-expected"}


def test_never_raises_on_garbage() -> None:
    for text in ["\x00", "{\x00}", '{"\ud800": 1}', "]]]", "{{{{", '"', '{"a":"\\', "-", "1e999"]:
        parse(text)


def test_numbers() -> None:
    root = parse('{"a": -0, "b": 1e999, "c": 12345678901234567890, "d": 1.5}').root
    assert root is not None
    assert [m.value.value for m in root.members if m.value] == [
        0,
        float("inf"),
        12345678901234567890,
        1.5,
    ]


class TestPositions:
    def test_columns_count_code_points_and_lines_handle_crlf(self) -> None:
        text = '{\r\n  "displayName": "🚀 Rocket",\r\n\t"x": 1\r\n}'
        source = SourceText(text)
        x = text.index('"x"')
        assert source.position(x) == source.position(x)  # stable
        assert (source.position(x).line, source.position(x).column) == (2, 1)
        after = text.index("Rocket")
        assert source.position(after).column == 20
        assert source.lsp_position(after, "utf-16").column == 21
        assert source.lsp_position(after, "utf-8").column == 23
        assert source.offset_at(1, 21, "utf-16") == after
        assert source.offset_at(1, 23, "utf-8") == after
        assert source.line_text(1) == '  "displayName": "🚀 Rocket",'

    def test_bom_takes_no_column(self) -> None:
        source = SourceText('\ufeff{"a": 1}')
        assert source.position(1).column == 0
        assert source.position(2).column == 1
        assert source.line_text(0) == '{"a": 1}'

    def test_offset_at_clamps(self) -> None:
        source = SourceText("ab\ncd")
        assert source.offset_at(0, 99) == 2
        assert source.offset_at(9, 0) == 5


def test_invalid_utf8_is_reported_with_its_position() -> None:
    text, problems = decode(b'{"a": "caf\xe9"}')
    assert problems[0].kind == "invalid-encoding" and problems[0].start == 10
    assert "0xE9" in problems[0].message
    text, problems = decode('{"a": 1}'.encode("utf-16"))
    assert text == '{"a": 1}' and problems[0].kind == "invalid-encoding"
