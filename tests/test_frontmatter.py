"""Frontmatter parsing as Droid 0.225.2 does it: the block pattern, js-yaml's typing, the
line-based fallback, and a position for every key and value.

``JS_YAML=/path/to/node_modules/js-yaml`` (js-yaml 4.1, the version bundled in Droid 0.225.2)
with ``node`` on PATH also runs a differential test against the real js-yaml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from factory_lint.frontmatter import (
    JsDate,
    describe,
    js_type,
    normalise_style_text,
    parse_frontmatter,
)


def spans(text: str) -> list[tuple[str, str, object]]:
    """(key text, value text, value) for every entry."""
    fm = parse_frontmatter(text)
    return [
        (text[e.key_start : e.key_end], text[e.value.start : e.value.end], e.value.value)
        for e in fm.entries
    ]


# --- the block -------------------------------------------------------------------------------


def test_frontmatter_and_body_split_like_droid() -> None:
    text = "---\nname: a\n---\nBody\n"
    fm = parse_frontmatter(text)
    assert fm.found and fm.parser == "yaml"
    assert text[fm.body_start :] == "Body\n"
    assert text[fm.content_start : fm.content_end] == "name: a"


def test_crlf_delimiters_are_accepted() -> None:
    text = "---\r\nname: a\r\ntools: Read\r\n---\r\nBody"
    fm = parse_frontmatter(text)
    assert fm.found and fm.get("name") is not None
    assert spans(text) == [("name", "a", "a"), ("tools", "Read", "Read")]
    assert text[fm.body_start :] == "Body"


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("\ufeff---\nname: a\n---\n", "bom"),
        ("\n---\nname: a\n---\n", "leading-blank"),
        ("  ---\nname: a\n---\n", "leading-blank"),
        ("--- \nname: a\n---\n", "delimiter-text"),
        ("---\nname: a\n", "unclosed"),
        ("---\n---\nbody\n", "empty"),
        ("# Title\n\nno frontmatter\n", None),
        ("", None),
    ],
)
def test_no_frontmatter_and_why(text: str, missing: str | None) -> None:
    fm = parse_frontmatter(text)
    assert not fm.found and fm.parser == "none"
    assert fm.missing == missing
    assert fm.body_start == 0


def test_closing_delimiter_is_the_first_line_starting_with_three_dashes() -> None:
    # Droid's pattern closes at "\n---" even when more text follows on that line.
    text = "---\nname: a\n----\nrest"
    fm = parse_frontmatter(text)
    assert fm.found and text[fm.body_start :] == "-\nrest"


# --- js-yaml typing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("", None),
        ("5", 5),
        ("0x1F", 31),
        ("0o17", 15),
        ("1_000", 1000),
        ("012", 12),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("1.0", 1.0),
        ("v1.0", "v1.0"),
        ("1.2.3", "1.2.3"),
        ("gpt-5", "gpt-5"),
        ('"5"', "5"),
        ("'true'", "true"),
        ("!!str 5", "5"),
    ],
)
def test_scalars_are_typed_as_js_yaml_does(raw: str, expected: object) -> None:
    fm = parse_frontmatter(f"---\nkey: {raw}\n---\n")
    entry = fm.get("key")
    assert entry is not None
    assert entry.value.value == expected
    assert js_type(entry.value.value) == js_type(expected)


def test_dates_are_not_strings() -> None:
    fm = parse_frontmatter("---\ndescription: 2024-01-01\nat: 2024-1-2 10:00:00\n---\n")
    for key in ("description", "at"):
        entry = fm.get(key)
        assert entry is not None and isinstance(entry.value.value, JsDate)
        assert describe(entry.value.value) == "a date"


def test_positions_of_keys_values_and_list_items() -> None:
    text = '---\nname: reviewer\ntools: [Read, "Grep"]\nmcpServers:\n  - a\n  - b\n---\n'
    fm = parse_frontmatter(text)
    tools = fm.get("tools")
    assert tools is not None
    assert [text[i.start : i.end] for i in tools.value.items] == ["Read", '"Grep"']
    servers = fm.get("mcpServers")
    assert servers is not None
    assert text[servers.value.start : servers.value.end] == "- a\n  - b"
    assert [i.value for i in servers.value.items] == ["a", "b"]


def test_a_list_at_the_top_is_not_an_object() -> None:
    fm = parse_frontmatter("---\n- name: a\n---\n")
    assert fm.parser == "yaml" and not fm.is_object
    assert fm.root is not None and fm.root.value == [{"name": "a"}]


def test_nested_mappings_have_entries() -> None:
    text = "---\nmetadata:\n  team: core\n  level: 2\n---\n"
    fm = parse_frontmatter(text)
    metadata = fm.get("metadata")
    assert metadata is not None
    assert metadata.value.value == {"team": "core", "level": 2}
    assert [text[e.key_start : e.key_end] for e in metadata.value.entries] == ["team", "level"]


def test_aliases_and_merge_keys() -> None:
    fm = parse_frontmatter("---\nbase: &b {model: x}\nother:\n  <<: *b\n  name: y\n---\n")
    other = fm.get("other")
    assert other is not None and other.value.value == {"name": "y", "model": "x"}


def test_alias_bombs_stay_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 12):
        previous = f"*a{n - 1}"
        lines.append(f"a{n}: &a{n} [{', '.join([previous] * 10)}]")
    fm = parse_frontmatter("---\n" + "\n".join(lines) + "\n---\n")
    assert fm.parser == "fallback"  # js-yaml would run out of memory; we refuse the tree
    assert fm.yaml_error is not None


def test_deep_nesting_falls_back_without_crashing() -> None:
    fm = parse_frontmatter("---\nkey: " + "[" * 5000 + "\n---\n")
    assert fm.found and fm.parser == "fallback"


# --- the fallback ----------------------------------------------------------------------------


def test_broken_yaml_uses_the_line_parser() -> None:
    # droid-surface.md §4.2 case `badyaml`: "tools: [Read" became the string "[Read".
    text = "---\nname: a\ntools: [Read\n---\n"
    fm = parse_frontmatter(text)
    assert fm.parser == "fallback"
    assert fm.yaml_error and fm.yaml_error_at is not None
    assert spans(text) == [("name", "a", "a"), ("tools", "[Read", "[Read")]


def test_duplicate_keys_make_js_yaml_fail() -> None:
    text = "---\nname: a\nname: b\n---\n"
    fm = parse_frontmatter(text)
    assert fm.parser == "fallback" and fm.yaml_error == "duplicated mapping key"
    entry = fm.get("name")
    assert entry is not None and entry.value.value == "b"


def test_fallback_values() -> None:
    text = (
        "---\n"
        "description: Use when: the user asks\n"  # invalid YAML: ": " in a plain scalar
        "flag: true\n"
        "quoted: 'x'\n"
        "tools: Read, Grep,\n"
        'mcpServers: ["a", "b"]\n'
        "other: [1, 2\n"
        "---\n"
    )
    fm = parse_frontmatter(text)
    assert fm.parser == "fallback"
    values = {e.key: e.value.value for e in fm.entries}
    assert values == {
        "description": "Use when: the user asks",
        "flag": True,
        "quoted": "x",
        "tools": ["Read", "Grep", ""],
        "mcpServers": ["a", "b"],
        "other": "[1, 2",
    }
    tools = fm.get("tools")
    assert tools is not None
    assert [text[i.start : i.end] for i in tools.value.items] == ["Read", "Grep", ""]
    servers = fm.get("mcpServers")
    assert servers is not None
    assert [text[i.start : i.end] for i in servers.value.items] == ['"a"', '"b"']


def test_fallback_list_lines_only_for_tools_and_mcp_servers() -> None:
    text = "---\nbad: [\ntools:\n  - Read\n  # note\n  - 'Grep'\nallowed-tools:\n  - Execute\n---\n"
    fm = parse_frontmatter(text)
    assert fm.parser == "fallback"
    values = {e.key: e.value.value for e in fm.entries}
    assert values["tools"] == ["Read", "Grep"]
    assert values["allowed-tools"] == ""


def test_a_bare_string_runs_the_fallback() -> None:
    fm = parse_frontmatter("---\njust text\n---\n")
    assert fm.found and fm.parser == "fallback" and fm.entries == ()


def test_output_style_normalisation_maps_offsets_back() -> None:
    text = "\ufeff\r\n---\r\nname: x\r\n---\r\nBody  \r\n"
    normal, offsets = normalise_style_text(text)
    assert normal == "---\nname: x\n---\nBody"
    assert len(offsets) == len(normal) + 1
    assert text[offsets[normal.index("name")] :].startswith("name")
    assert text[offsets[normal.index("Body")] :].startswith("Body")


# --- differential: the real js-yaml ----------------------------------------------------------

JS_YAML = os.environ.get("JS_YAML")
DIFF_CASES = [
    "name: a\nmodel: 5",
    "a: yes\nb: no\nc: on\nd: off\ne: y",
    "a: 0x1F\nb: 0o17\nc: 0b101\nd: 1_000\ne: 012\nf: 1__0\ng: _1\nh: 1_",
    "a: .5\nb: 1.\nc: 1e3\nd: -.inf\ne: .NaN\nf: 1.5e\ng: +1\nh: -0",
    "a: 2024-01-01\nb: 2024-1-1\nc: 2024-01-01T10:00:00Z\nd: 2024-01-01 10:00:00 +02:00",
    "a: ~\nb:\nc: null\nd: Null\ne: NULL\nf: nUll",
    "a: True\nb: TRUE\nc: tRue\nd: 'true'",
    "a: [x, y]\nb: {c: d}\nc:\n  - 1\n  - two",
    "a: b: c",
    "a: 1\na: 2",
    "a: &x 1\nb: *x",
    "a: !!str 1\nb: !!int '2'",
    "a: !custom x",
    "- a\n- b",
    "just a string",
    "",
    "# only a comment",
    "a: |\n  multi\n  line\nb: >\n  folded",
    "tools: [Read",
    "a:\tb",
    "a: 'it''s'\nb: \"esc\\u0041\"",
    "<<: {a: 1}\nb: 2",
    "? complex\n: value",
    "1: a\ntrue: b\n~: c",
    "a: @b",
    "a: `b`",
    "description: Use when: x",
    "a: 1 # comment\nb: x#y",
    "a: 1\n  b: 2",
]


def _js_yaml_types(cases: list[str]) -> list[object]:
    script = """
const yaml = require(process.argv[1]);
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const kind = (v) => v === null ? 'null' : Array.isArray(v) ? 'array'
  : v instanceof Date ? 'date' : typeof v;
console.log(JSON.stringify(cases.map((text) => {
  let value;
  try { value = yaml.load(text); } catch (e) { return 'error'; }
  if (typeof value !== 'object' || value === null) return 'fallback';
  if (Array.isArray(value)) return 'array';
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, kind(v)]));
})));
"""
    done = subprocess.run(
        ["node", "-e", script, JS_YAML or ""],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _our_types(text: str) -> object:
    fm = parse_frontmatter(f"---\n{text}\n---\n")
    if fm.parser == "fallback":
        return "error" if fm.yaml_error else "fallback"
    if not fm.is_object:
        return "array"
    kinds = {"number": "number", "array": "object", "date": "date", "null": "null"}
    return {e.key: kinds.get(js_type(e.value.value), js_type(e.value.value)) for e in fm.entries}


@pytest.mark.skipif(
    not JS_YAML or shutil.which("node") is None or not Path(JS_YAML).is_dir(),
    reason="set JS_YAML to a js-yaml 4.1 package directory (and have node) to compare",
)
def test_matches_real_js_yaml() -> None:
    expected = _js_yaml_types(DIFF_CASES)
    for text, theirs in zip(DIFF_CASES, expected, strict=True):
        ours = _our_types(text)
        if isinstance(theirs, dict):
            theirs = {k: ("object" if v == "array" else v) for k, v in theirs.items()}
        assert ours == theirs, text


# --- the fast path agrees with the YAML path --------------------------------------------------


def _shape(result: object) -> object:
    from factory_lint.frontmatter import Frontmatter, Value

    if not isinstance(result, Frontmatter):
        return ("fallback", result)

    def value(v: Value) -> object:
        shown = v.value.text if isinstance(v.value, JsDate) else v.value
        return (js_type(v.value), repr(shown), v.start, v.end, [value(i) for i in v.items])

    return [(e.key, e.key_start, e.key_end, value(e.value)) for e in result.entries]


def test_fast_path_matches_the_yaml_path() -> None:
    import random

    from factory_lint.frontmatter import _fast_yaml, _parse_yaml

    keys = ["name", "description", "model", "tools", "mcpServers", "true", "a-b", "x_1", "True"]
    values = [
        "",
        "reviewer",
        "Reviews diffs",
        "5",
        "1.0",
        "0x1F",
        "1_000",
        "yes",
        "no",
        "null",
        "2024-01-01",
        "claude-opus-4-7",
        "custom:GLM-4.6-0",
        "[Read, Grep]",
        "[ Read ,Grep ]",
        "[]",
        "[Read,]",
        "[1, two]",
        "a, b",
        "Don't",
        "(x) y",
        "a=b",
        "v1.2.3",
        "1e3",
        "_x",
        "/abs/path",
        "x  ",
        "a #b",
        "a: b",
        "-5",
        ".5",
        "@x",
        "it's",
    ]
    rng = random.Random(7)
    answered = 0
    for _ in range(3000):
        lines = [
            f"{rng.choice(keys)}:{rng.choice([' ', '  ', ''])}{rng.choice(values)}"
            for _ in range(rng.randint(1, 5))
        ]
        if rng.random() < 0.2:
            lines.insert(rng.randint(0, len(lines)), rng.choice(["", "# note", "  "]))
        content = rng.choice(["\n", "\r\n"]).join(lines)
        if _fast_yaml(content, 4) is None:
            continue
        answered += 1
        assert _shape(_parse_yaml(content, 4)) == _shape(_parse_yaml(content, 4, False)), content
    assert answered > 200
