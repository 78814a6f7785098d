"""Property tests: the parser, every rule, the fixer and every renderer on arbitrary input.

Profiles (select with the environment variable ``HYPOTHESIS_PROFILE``):

- ``ci`` (default): a few hundred examples per property, the whole file runs in well under 60 s;
- ``thorough``: thousands of examples per property and shrinking of failures, for a local
  soak (``HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest -q tests/test_properties.py``).

The profiles are applied per test (not with ``settings.load_profile``) so that other test
modules keep hypothesis's defaults.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from factory_lint.engine import LintResult, lint_text
from factory_lint.files import decode
from factory_lint.fixes import apply_edits, fix_text
from factory_lint.jsonc import Document, Node, parse
from factory_lint.kinds import Kind
from factory_lint.report import FORMATS, FileReport, render, render_statistics

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    # No shrinking in CI: shrinking a failure on these inputs can take minutes. The failing
    # input is printed as is; rerun with the thorough profile to get a minimal one.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
PROFILE = settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")))
#: The slower end-to-end properties (fix twice, render) run a third of the examples.
PROFILE_SLOW = settings(PROFILE, max_examples=max(PROFILE.max_examples // 3, 20))

KINDS: tuple[Kind, ...] = ("settings", "legacy")

# --- strategies -------------------------------------------------------------------------------

#: Characters that matter to a JSONC lexer, weighted so that random text looks like JSON.
_JSONISH = [
    *"{}[]:,\"'\\/*\n\r\t  -+.0123456789eEaflnrstuNIy_$",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\x00",
    "\x1f",
    "\ud800",
    "é",
    "😀",
]
jsonish_text = st.text(st.sampled_from(_JSONISH), max_size=300)
any_text = st.text(st.characters(codec=None), max_size=300)
text_input = st.one_of(jsonish_text, any_text)

_PROVIDERS = [
    "anthropic",
    "openai",
    "generic-chat-completion-api",
    "bedrock-converse",
    "Anthropic",
    "OPENAI",
    "Generic_Chat_Completion_API",
    "claude",
    "openrouter",
    "google",
    "",
]
_BASE_URLS = [
    "https://api.anthropic.com",
    "https://api.anthropic.com/v1",
    "https://api.openai.com/v1",
    "https://api.openai.com",
    "https://api.openai.com/v1/v1",
    "https://openrouter.ai/api/v1",
    "https://openrouter.ai/api/v1/chat/completions",
    "http://localhost:11434/v1",
    "http://localhost:11434",
    "https://generativelanguage.googleapis.com/v1beta/openai",
    "https://api.groq.com/openai/v1",
    "https://${HOST}/v1",
    "api.openai.com/v1",
    "https://api.openai.com/v1 ",
    "",
]
_API_KEYS = [
    "${OPENAI_API_KEY}",
    "${ANTHROPIC_API_KEY}",
    "$OPENAI_API_KEY",
    "OPENROUTER_API_KEY",
    "%OPENAI_API_KEY%",
    "${env:OPENAI_API_KEY}",
    "YOUR_API_KEY",
    "<your-api-key>",
    "sk-...",
    "",
    "ollama",
    "sk-proj-Zq3vT8pL2mN6xR1cW9yB4kD7fH0jS5aE",
    "sk-ant-api03-Zq3vT8pL2mN6xR1cW9yB4kD7fH0jS5aEZq3vT8pL2mN6xR1cW9yB4kD7f",
    "gsk_Zq3vT8pL2mN6xR1cW9yB4kD7fH0jS5aEZq3vT8pL2mN6",
    "AKIAZQ3VT8PL2MN6XR1C",
]
_MODELS = [
    "claude-sonnet-4-5-20250929",
    "gpt-5",
    "gpt-5-codex",
    "openai/gpt-oss-120b",
    "qwen2.5-coder:32b",
    "gemini-2.5-pro",
    "llama-3.3-70b-versatile",
    "",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


def _model_entry(legacy: bool) -> st.SearchStrategy[dict[str, object]]:
    """A custom-model entry, mostly well formed, sometimes with wrong types or extra keys."""
    camel = {
        "model": st.sampled_from(_MODELS),
        "provider": st.sampled_from(_PROVIDERS),
        "baseUrl": st.sampled_from(_BASE_URLS),
        "apiKey": st.sampled_from(_API_KEYS),
        "displayName": st.text(max_size=20),
        "maxOutputTokens": st.one_of(st.integers(-10, 10**7), st.sampled_from(["8192", 1.5])),
        "maxContextLimit": st.integers(0, 10**7),
        "noImageSupport": st.booleans(),
        "reasoningEffort": st.sampled_from(["low", "medium", "high", "none", "High", "max"]),
        "enableThinking": st.booleans(),
        "thinkingMaxTokens": st.integers(0, 10**6),
        "extraHeaders": st.dictionaries(
            st.sampled_from(["Authorization", "x-api-key", "HTTP-Referer", "X-Title"]),
            st.sampled_from([*_API_KEYS, "Bearer ${OPENAI_API_KEY}", "factory"]),
            max_size=3,
        ),
        "extraArgs": st.dictionaries(st.text(max_size=8), _SCALARS, max_size=3),
        "bedrock": st.fixed_dictionaries(
            {},
            optional={
                "awsRegion": st.sampled_from(["us-east-1", "${AWS_REGION}", ""]),
                "awsProfile": st.sampled_from(["default", "dev"]),
                "awsAuthRefresh": st.just("aws sso login"),
                "awsCredentialExport": st.just("aws configure export-credentials"),
            },
        ),
        "maxTokens": st.integers(0, 10**5),  # a common misspelling
    }
    names = {
        "baseUrl": "base_url",
        "apiKey": "api_key",
        "displayName": "model_display_name",
        "maxOutputTokens": "max_tokens",
        "maxContextLimit": "max_context_limit",
        "enableThinking": "enable_thinking",
        "thinkingMaxTokens": "thinking_max_tokens",
        "reasoningEffort": "reasoning_effort",
        "extraHeaders": "extra_headers",
        "extraArgs": "extra_args",
    }
    required = ("model", "provider", "baseUrl", "apiKey")
    fields = {(names.get(k, k) if legacy else k): v for k, v in camel.items()}
    required_names = [names.get(k, k) if legacy else k for k in required]
    return st.fixed_dictionaries(
        {name: fields[name] for name in required_names},
        optional={name: value for name, value in fields.items() if name not in required_names},
    )


@st.composite
def config_object(draw: st.DrawFn) -> tuple[Kind, dict[str, object]]:
    kind: Kind = draw(st.sampled_from(KINDS))
    key = draw(
        st.sampled_from(
            ["customModels", "custom_models"] if kind == "settings" else ["custom_models"] * 3
        )
        if draw(st.integers(0, 9)) == 0
        else st.just("customModels" if kind == "settings" else "custom_models")
    )
    models = draw(st.lists(_model_entry(kind == "legacy"), max_size=4))
    for model in models:
        if draw(st.integers(0, 4)) == 0:  # a required field missing
            model.pop(draw(st.sampled_from(sorted(model))))
    root: dict[str, object] = {key: models}
    if kind == "settings":
        extra = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "$schema": st.just("https://factory-lint.dev/schemas/settings.schema.json"),
                    "model": st.sampled_from(["custom:gpt-5-0", "gpt-5", "custom:nope"]),
                    "reasoningEffort": st.sampled_from(["low", "high", "HIGH"]),
                    "autonomyMode": st.sampled_from(["normal", "auto-low", "spec"]),
                    "diffMode": st.sampled_from(["github", "unified", 3]),
                    "enableHooks": st.booleans(),
                    "env": st.dictionaries(st.sampled_from(["OPENAI_API_KEY", "A"]), _SCALARS),
                    "unknownSetting": _SCALARS,
                },
            )
        )
        root.update(extra)
    return kind, root


@st.composite
def config_text(draw: st.DrawFn) -> tuple[Kind, str]:
    """A config serialised the way people write them: indented, sometimes with comments."""
    kind, root = draw(config_object())
    indent = draw(st.sampled_from([None, 2, 4, "\t"]))
    text = json.dumps(root, indent=indent, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines)))
        comment = draw(
            st.sampled_from(
                [
                    "// a comment",
                    "/* block */",
                    "// factory-lint: ignore",
                    "// factory-lint: ignore[FL201]",
                    "/* factory-lint: ignore[FL3] */",
                ]
            )
        )
        lines.insert(at, comment)
        text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return kind, text


@st.composite
def mutated_config(draw: st.DrawFn) -> tuple[Kind, str]:
    """A real-looking config with a few characters inserted, deleted or replaced."""
    kind, text = draw(config_text())
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        at = draw(st.integers(0, len(text)))
        if operation == "insert":
            text = (
                text[:at]
                + draw(st.text(st.sampled_from(_JSONISH), min_size=1, max_size=3))
                + text[at:]
            )
        elif operation == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        elif operation == "replace":
            text = text[:at] + draw(st.sampled_from(_JSONISH)) + text[at + 1 :]
        else:
            length = draw(st.integers(1, 40))
            text = text[:at] + text[at : at + length] + text[at:]
    return kind, text


any_document = st.one_of(
    st.tuples(st.sampled_from(KINDS), text_input),
    config_text(),
    mutated_config(),
    mutated_config(),
)

# --- invariants -------------------------------------------------------------------------------


def check_document(text: str, document: Document) -> None:
    length = len(text)
    for problem in document.problems:
        assert 0 <= problem.start <= problem.end <= length, problem
    for comment in document.comments:
        assert 0 <= comment.start <= comment.end <= length, comment
        assert text[comment.start : comment.end] == comment.text
    if document.root is None:
        return
    stack: list[tuple[Node, int, int]] = [(document.root, 0, length)]
    while stack:
        node, low, high = stack.pop()
        assert low <= node.start <= node.end <= high, (node.type, node.pointer, low, high)
        for item in node.items:
            stack.append((item, node.start, node.end))
        for member in node.members:
            assert node.start <= member.key_start <= member.key_end <= node.end, member.key
            if member.value is not None:
                stack.append((member.value, member.key_end, node.end))


def check_result(text: str, result: LintResult) -> None:
    length = len(text)
    assert len(result.findings) == len(result.severities)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= length, finding
        if finding.fix is not None:
            spans = sorted((e.start, e.end) for e in finding.fix.edits)
            for start, end in spans:
                assert 0 <= start <= end <= length, finding
            for (_, a_end), (b_start, _) in itertools.pairwise(spans):
                assert a_end <= b_start, f"overlapping edits in one fix: {finding}"
    for start, end in result.secret_spans:
        assert 0 <= start <= end <= length


def relinter(kind: Kind):  # type: ignore[no-untyped-def]
    return lambda current: lint_text(current, kind).findings


def problem_kinds(text: str, duplicates: bool = True) -> Counter[str]:
    """How many syntax problems of each kind ``text`` has (optionally without duplicate keys,
    which are warnings: Droid parses such a file)."""
    return Counter(p.kind for p in parse(text).problems if duplicates or p.kind != "duplicate-key")


def check_fix(kind: Kind, text: str, unsafe: bool) -> None:
    """Fixing adds no syntax problem, and fixing the fixed text again changes nothing."""
    # Unsafe renames of two unknown keys to the same name can create a duplicate key (the
    # runner refuses to write that; see test_fix_safety.py), so only safe fixes are held to it.
    before = problem_kinds(text, duplicates=not unsafe)
    once = fix_text(text, relinter(kind), unsafe)
    after = problem_kinds(once.text, duplicates=not unsafe)
    assert not (after - before), f"new syntax problems {dict(after - before)} in {once.text!r}"
    assert sum(after.values()) <= sum(before.values())
    twice = fix_text(once.text, relinter(kind), unsafe)
    assert (twice.text, twice.applied) == (once.text, 0), "fixing twice differs from once"


def check_render(text: str) -> None:
    reports = [FileReport(f"{kind}.json", lint_text(text, kind)) for kind in KINDS]
    reports.append(FileReport("skipped.json", None, "skipped: not a Droid file"))
    for output_format in FORMATS:
        for color in (False, True):
            rendered = render(reports, output_format, color)
            assert isinstance(rendered, str)
            rendered.encode("utf-8")  # printable: no lone surrogates reach the terminal
            if output_format in ("json", "sarif"):
                json.loads(rendered)
    render_statistics(reports)


# --- regressions: every input that once crashed or broke a property ---------------------------

REGRESSIONS = Path(__file__).parent / "regressions"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in REGRESSIONS.iterdir() if p.suffix != ".md"),
    ids=lambda p: p.name,
)
def test_regression_inputs(path: Path) -> None:
    text, problems = decode(path.read_bytes())
    for problem in problems:
        assert 0 <= problem.start <= problem.end <= len(text)
    check_document(text, parse(text))
    for kind in KINDS:
        check_result(text, lint_text(text, kind))
        for unsafe in (False, True):
            check_fix(kind, text, unsafe)
    check_render(text)


# --- properties -------------------------------------------------------------------------------


@PROFILE
@given(text_input)
@example("")
@example("\ufeff")
@example("{" * 300 + "}" * 300)
@example("[" * 5000)
@example('{"a": "\\ud800", "b": "\\u0000", "c": 1e999, "d": -0, "e": NaN}')
@example("{\"a\": 'x', b: True, /* open")
def test_parser_never_raises_and_ranges_are_inside(text: str) -> None:
    check_document(text, parse(text))


@PROFILE
@given(st.binary(max_size=300))
@example(b"\xff\xfe{\x00}\x00")
@example(b"\xfe\xff\x00{\x00")
@example(b"\xff\xfe\x00\xd8")
@example(b'{"a": "\xed\xa0\x80"}')
@example(b"\xef\xbb\xbf{}")
def test_decoding_any_bytes_then_linting_never_raises(data: bytes) -> None:
    text, problems = decode(data)
    for problem in problems:
        assert 0 <= problem.start <= problem.end <= len(text)
    for kind in KINDS:
        check_result(text, lint_text(text, kind))


@PROFILE
@given(any_document)
def test_lint_never_raises_and_ranges_are_inside(case: tuple[Kind, str]) -> None:
    _, text = case
    check_document(text, parse(text))
    for kind in KINDS:
        check_result(text, lint_text(text, kind))


@PROFILE
@given(any_document, st.booleans())
@example(("settings", '{"customModels": [1,],}'), False)
@example(("settings", '{"a": 1 "b": 2}'), False)
@example(("settings", '["a\n 1]'), False)
def test_fixes_never_add_syntax_errors_and_are_idempotent(
    case: tuple[Kind, str], unsafe: bool
) -> None:
    """Parsing the text a fix produces never yields a syntax error the input did not have,
    and applying all fixes twice equals applying them once."""
    kind, text = case
    check_fix(kind, text, unsafe)


@PROFILE
@given(any_document)
@example(("settings", '{"\\\x1fcustomModels": []}'))
def test_every_fix_alone_applies_cleanly(case: tuple[Kind, str]) -> None:
    """Each fix on its own (an editor's quick fix), applied to the original text, does not
    increase the number of syntax problems. (It may change their kind: escaping the backslash
    of `"\\<U+001F>` turns an invalid escape into a control character, which has its own fix.)"""
    kind, text = case
    before = sum(problem_kinds(text).values())
    for finding in lint_text(text, kind).findings:
        if finding.fix is None:
            continue
        fixed = apply_edits(text, finding.fix.edits)
        assert sum(problem_kinds(fixed).values()) <= before, (finding.code, fixed)


@PROFILE_SLOW
@given(any_document)
def test_every_output_format_renders(case: tuple[Kind, str]) -> None:
    check_render(case[1])
