"""The parser's fast paths build exactly what the tolerant parser builds, or step aside.

``parse`` first tries ``_parse_json`` (the json module's decoder, for strict JSON; offsets filled
in on first read), then ``_parse_fast`` (a regex tokeniser for problem-free files), and falls back
to ``parse_tolerant``. Whenever a fast path returns a document it must equal the tolerant parser's:
same tree (types, ranges, pointers, values and their Python types), same comments, no problems.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factory_lint.engine import lint_text
from factory_lint.jsonc import (
    MAX_DEPTH,
    Document,
    Node,
    _parse_fast,
    _parse_json,
    parse,
    parse_tolerant,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def _shape(node: Node | None) -> object:
    if node is None:
        return None
    value = node.value
    if isinstance(value, float) and value != value:  # NaN never equals itself
        value = "NaN"
    return (
        node.type,
        node.start,
        node.end,
        node.pointer,
        type(node.value).__name__,
        value,
        node.opaque,
        [(m.key, m.key_start, m.key_end, _shape(m.value)) for m in node.members],
        [_shape(item) for item in node.items],
    )


def _same(fast: Document, reference: Document) -> None:
    assert reference.problems == []
    assert fast.problems == []
    assert _shape(fast.root) == _shape(reference.root)
    assert fast.comments == reference.comments


def check(text: str) -> bool:
    """Compare the three parsers on ``text``; True when the fast path took it."""
    reference = parse_tolerant(text)
    fast = _parse_fast(text)
    plain = _parse_json(text)
    if plain is not None:
        assert fast is not None, "the json path took a text the fast path declines"
        _same(plain, reference)  # (reading the offsets fills them in from the fast path)
    if fast is None:
        return False
    _same(fast, reference)
    return True


def _files() -> list[Path]:
    found = sorted((ROOT / "tests").rglob("*.json")) + sorted((ROOT / "bench").rglob("*.json"))
    if CORPUS.is_dir():
        found += sorted(CORPUS.glob("*.json"))
    return [p for p in found if "node_modules" not in p.parts]


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_fixture_files(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8")
    check(text)
    # whatever path it takes, parse() answers like the tolerant parser
    assert _shape(parse(text).root) == _shape(parse_tolerant(text).root)
    assert parse(text).problems == parse_tolerant(text).problems


def test_clean_typical_file_takes_the_fast_path() -> None:
    text = (ROOT / "bench" / "fixtures" / "typical-settings.json").read_text(encoding="utf-8")
    assert check(text)
    assert _parse_json(text) is not None


def _offsets_pending(node: Node) -> bool:
    try:
        node._start  # noqa: B018  (the storage behind the ``start`` property)
    except AttributeError:
        return True
    return False


def test_json_path_fills_offsets_on_first_read() -> None:
    document = parse('{"a": [1, {"b": "c"}], "d": null}')
    root = document.root
    assert root is not None and _offsets_pending(root)
    inner = root.members[0].value
    assert inner is not None
    assert inner.items[1].members[0].key_start == 11  # the first read makes the table
    assert all(_offsets_pending(node) for node in root.walk())  # each node copies its own
    assert (root.start, root.end, inner.start, inner.end) == (0, 33, 6, 21)
    assert not _offsets_pending(root) and _offsets_pending(inner.items[0])
    with pytest.raises(AttributeError):
        root.no_such_field  # noqa: B018  (an unknown attribute is still an AttributeError)


def test_a_clean_lint_reads_no_offsets() -> None:
    """The point of the json path: linting a clean file never asks where its nodes are."""
    text = (ROOT / "bench" / "fixtures" / "typical-settings.json").read_text(encoding="utf-8")
    document = parse(text)
    result = lint_text(text, "settings", document=document)
    assert result.findings == []
    assert document.root is not None and _offsets_pending(document.root)


TAKEN = [
    "{}",
    "[]",
    " \t\r\n{ } \r\n",
    '{"a": 1}',
    '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
    '{"a/b": {"c~d": {"~/": 1}}}',
    '{"": {"": [""]}}',
    '{"n": [0, -0, 1.5, -1.5e+10, 2E-3, 1e5, 123456789012345678901234567890]}',
    '{"s": "esc \\" \\\\ \\/ \\b \\f \\n \\r \\t end"}',
    '{"k\\n": "v"}',
    '{"emoji": "🙂 ü", "日本": "語"}',
    '// head\n{ /* inline */ "a": 1 // tail\n}',
    '{"a": 1} // trailing',
    '// crlf comment\r\n{"a": 1 // x\r\n}\r\n',
    "{} // only a CR at the end\r",
    '{"a": /* between */ 1 /* after */, /* before key */ "b" /* before colon */ : 2}',
    "/**/{}/***/",
    "/* multi\nline */ {}",
    '{"a": "//not a comment", "b": "/* nor this */"}',
    '"just a string"',
    "42",
    "null",
    "[[[[[]]]]]",
    "[" * MAX_DEPTH + "]" * MAX_DEPTH,  # nesting as deep as the tolerant parser reads
    '{"big": ' + "9" * 4001 + "}",
    '{"big": ' + "9" * 4000 + "}",
    '{"x": 1e999}',
]

DECLINED = [
    "",
    "   ",
    "// only a comment",
    "\ufeff{}",
    '{"a": 1,}',
    "[1,]",
    '{"a": 1 "b": 2}',
    '{"a": 1, "a": 2}',
    '{"a": "\\u00e9"}',
    '{"a": "x\ty"}',
    '{"a": "unterminated}',
    '{"a": 01}',
    '{"a": 1.}',
    '{"a": .5}',
    '{"a": +1}',
    '{"a": 1e}',
    '{"a": -}',
    '{"a": 1x}',
    '{"a": NaN}',
    '{"a": True}',
    '{"a": truex}',
    '{"a": true"b"}',
    "{'a': 1}",
    "{a: 1}",
    '{"a" 1}',
    '{"a": }',
    '{"a": 1]',
    "[1}",
    "{} {}",
    "{} /*",
    "{} /",
    "{\u00a0}",
    "{\u2028}",
    '{"a": 1}\x00',
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # one level too deep
    "{",
    "[1, 2",
    "}",
    '{"a": 1}}',
    '{"a": 1 /* unterminated',
    '{"a": "\\q"}',
    '{"a": "\\',
]


@pytest.mark.parametrize("text", TAKEN)
def test_fast_path_takes_and_agrees(text: str) -> None:
    assert check(text), "the fast path declined a problem-free text"
    if "/" not in text and "\\u" not in text and "9" * 4000 not in text:
        assert _parse_json(text) is not None, "the json path declined strict JSON"


@pytest.mark.parametrize("text", DECLINED)
def test_fast_path_declines(text: str) -> None:
    assert _parse_fast(text) is None
    assert _parse_json(text) is None
    assert parse(text) == parse_tolerant(text) or (
        _shape(parse(text).root) == _shape(parse_tolerant(text).root)
        and parse(text).problems == parse_tolerant(text).problems
    )


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    value=_json_values,
    indent=st.sampled_from([None, 0, 1, 2, "\t", "\r\n  "]),
    ascii_only=st.booleans(),
)
def test_generated_json(value: object, indent: int | str | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    took = check(text)
    if "\\u" not in text:
        assert took, "the fast path declined valid JSON without \\u escapes"
        assert _parse_json(text) is not None, "the json path declined strict JSON"


_PIECES = [
    *"{}[]:,\"\\/*\n\r\t -+.0123456789eEtrufalsn\ufeff\u00a0\u2028x'",
    "//",
    "/*",
    "*/",
    "true",
    "null",
    '"k": ',
    "\r\n",
]


@settings(max_examples=500, deadline=None)
@given(
    base=st.sampled_from(TAKEN[:22]),
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000), st.sampled_from(_PIECES), st.booleans()
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_texts(base: str, edits: list[tuple[int, str, bool]]) -> None:
    text = base
    for where, piece, delete in edits:
        index = where % (len(text) + 1)
        text = text[:index] + text[index + 1 :] if delete else text[:index] + piece + text[index:]
    check(text)


def test_a_tree_is_freed_without_the_cyclic_collector() -> None:
    """No reference cycle in a parsed tree, offsets read or not: a run over many files frees
    each tree as soon as it is dropped (collecting them took 12-13 % of such a run)."""
    import gc

    text = (ROOT / "bench" / "fixtures" / "typical-settings.json").read_text(encoding="utf-8")
    gc.collect()
    gc.disable()
    try:
        for read in (False, True):
            document = parse(text)
            assert document.root is not None and _offsets_pending(document.root)
            if read:
                assert [m.key_start for m in document.root.members][:1] == [4]
                assert all(node.end > node.start for node in document.root.walk())
            del document
            assert gc.collect() == 0
    finally:
        gc.enable()
