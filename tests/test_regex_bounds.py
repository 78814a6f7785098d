"""Every regular expression in src/ (and in the catalog data) runs in linear time on hostile
input: issue 14 found a clean 20 KB file (``{}//c`` then 20,000 newlines) taking 40 s, from
one pattern that went quadratic on whitespace.

``test_every_pattern_is_linear`` finds the patterns by reading the source (every
``re.compile``/``lazy_compile``/``re.match``… with a literal pattern) and the catalog files,
and times each on generated inputs (runs of one character, of two alternating ones, of the
pattern's own words) at two sizes: a quadratic pattern takes 16 times longer on the 4 times
larger input. The few patterns that are quadratic under ``search`` but only ever used anchored
(``match``/``fullmatch``) on input that cannot trigger it are listed in ``ANCHORED_ONLY`` with
the reason. ``test_hostile_texts_lint_in_bounded_time`` lints 1 MB files built to hit the
patterns that read whole files and values.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
import time
from pathlib import Path

import pytest

from factory_lint import frontmatter, jsonc
from factory_lint.engine import lint_text
from factory_lint.files import MAX_FILE_BYTES
from factory_lint.jsonc import parse

SRC = Path(__file__).resolve().parents[1] / "src" / "factory_lint"
_CALLS = {"compile", "match", "search", "sub", "findall", "finditer", "fullmatch", "split"}

#: Quadratic under ``search``/``finditer`` from every position, but only used in a way that
#: cannot be: pattern -> where and why.
ANCHORED_ONLY = {
    # jsonc.py: ``_STRING_FAST.match(text, start)`` at a string's opening quote only; a string
    # it cannot match (unterminated) is then read by the tolerant parser to its line's end.
    r'"[^"\\\x00-\x1f]*(?:\\["\\/bfnrt][^"\\\x00-\x1f]*)*"': "match at a quote",
    # jsonc.py: ``_OFFSET_TOKEN.finditer`` runs only on texts ``json.loads`` accepted, where
    # every string is terminated, so no string alternative scans past its closing quote.
    r'"[^"\\]*(?:\\.[^"\\]*)*"|[^ \t\n\r"{}\[\]:,]+|[{}\[\]]': "valid JSON only",
    # jsonc.py: the fast path's tokeniser; its loop stops at the first token it does not
    # expect, so an unterminated string is scanned once (the tolerant parser takes over).
    jsonc._FAST_TOKEN.pattern: "finditer stopped at the first unexpected token",
    # frontmatter.py: ``_FAST_LINE.fullmatch(line)`` only (its value part was quadratic even
    # so, on spaces, before issue 14).
    frontmatter._FAST_LINE.pattern: "fullmatch on one line",
    # catalog key formats: ``fullmatch`` on one value (catalog/keys.py), never ``search``.
    "sk-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}": "fullmatch",
    r"ey[A-Za-z0-9_-]{17,}\.ey[A-Za-z0-9_/-]{17,}\.[A-Za-z0-9_/-]*={0,2}": "fullmatch",
}


def _literal(node: ast.expr, names: dict[str, str]) -> str | bytes | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, names), _literal(node.right, names)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
    return None


def _flags(call: ast.Call, name: str) -> int:
    value = 0
    extra = call.args[1:] if name in ("compile", "lazy_compile") else call.args[2:]
    for node in [*extra, *(k.value for k in call.keywords if k.arg == "flags")]:
        for attr in ast.walk(node):
            if isinstance(attr, ast.Attribute) and hasattr(re, attr.attr):
                flag = getattr(re, attr.attr)
                if isinstance(flag, re.RegexFlag):
                    value |= flag
    return value


def source_patterns() -> list[tuple[str, str | bytes, int]]:
    """(where, pattern, flags) of every regex with a literal pattern in src/."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str] = {}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                value = _literal(node.value, names)
                if isinstance(value, str):
                    names[node.targets[0].id] = value
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                name = func.attr if func.value.id == "re" and func.attr in _CALLS else ""
            else:
                name = "lazy_compile" if getattr(func, "id", "") == "lazy_compile" else ""
            if not name:
                continue
            pattern = _literal(node.args[0], names)
            if pattern is not None:
                where = f"{path.relative_to(SRC)}:{node.lineno}"
                found.append((where, pattern, _flags(node, name)))
    return found


def catalog_patterns() -> list[tuple[str, str | bytes, int]]:
    found: list[tuple[str, str | bytes, int]] = []

    def walk(value: object, where: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("pattern", "regex") and isinstance(item, str):
                    found.append((where, item, 0))
                else:
                    walk(item, f"{where}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{where}/{index}")

    for path in sorted((SRC / "data" / "catalog").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")), path.name)
    return found


PATTERNS = source_patterns() + catalog_patterns()
_SINGLES = list(" \t\n\r\"'\\/{}[]:,.-_=+*<>?$%@#&!~`^|();0aAzZxXkKeEyY")
_PAIRED = list(' \n"\\a0-.{<*:')


def _inputs(pattern: str | bytes) -> list[str]:
    text = pattern if isinstance(pattern, str) else pattern.decode("latin-1")
    words = sorted(set(re.findall(r"[A-Za-z0-9_\-]{2,}", text)))[:12]
    pieces = [c * 500 for c in _SINGLES]
    pieces += [(a + b) * 250 for a, b in itertools.permutations(_PAIRED, 2)]
    for word in words:
        pieces += [word * (500 // len(word)), (word + " ") * (500 // (len(word) + 1))]
        pieces += [word + "a" * 500, (word + "-") * (500 // (len(word) + 1))]
    return pieces


def _cost(regex: re.Pattern[str] | re.Pattern[bytes], text: str | bytes, anchored: bool) -> float:
    started = time.perf_counter()
    regex.match(text)  # type: ignore[arg-type]
    regex.fullmatch(text)  # type: ignore[arg-type]
    if not anchored:
        regex.search(text)  # type: ignore[arg-type]
        for _ in regex.finditer(text):  # type: ignore[arg-type]
            pass
    return time.perf_counter() - started


def test_the_inventory_finds_the_patterns() -> None:
    """The collector sees the tokeniser, the placeholder pattern and the catalog's key formats
    (a collector that found nothing would make the next test pass for nothing)."""
    sources = {pattern for _, pattern, _ in PATTERNS}
    assert len(PATTERNS) > 80
    assert any(isinstance(p, str) and p.startswith(r"([ \t\n\r]*)(?:") for p in sources)
    assert any(isinstance(p, str) and "change[_\\-]?me" in p for p in sources)
    assert "AIza[A-Za-z0-9_-]{35}" in sources
    assert set(ANCHORED_ONLY) <= sources, set(ANCHORED_ONLY) - sources


@pytest.mark.parametrize("where,pattern,flags", PATTERNS, ids=[w for w, _, _ in PATTERNS])
def test_every_pattern_is_linear(where: str, pattern: str | bytes, flags: int) -> None:
    regex = re.compile(pattern, flags)
    anchored = pattern in ANCHORED_ONLY
    for piece in _inputs(pattern):
        tiny: str | bytes = piece
        small: str | bytes = piece * 4
        large: str | bytes = piece * 16
        if isinstance(pattern, bytes):
            tiny, small, large = (t.encode("latin-1", "replace") for t in (piece, small, large))
        # ~500 characters first: a cubic pattern (1,000 backticks took 109 s) fails here
        # instead of running for hours on the larger inputs.
        took = min(_cost(regex, tiny, anchored) for _ in range(2))
        assert took < 0.1, f"{where}: {took:.3f} s on {len(tiny)} characters of {piece[:12]!r}…"
        first = _cost(regex, large, anchored)
        if first < 0.03:
            continue  # too fast to be quadratic at this size (8,000² steps take ~0.1 s or more)
        # Measured again, the best of three (the machine may be busy): 4 times the input may
        # cost at most ~4 times the time (allowing 10), not 16.
        big = min(first, *(_cost(regex, large, anchored) for _ in range(2)))
        little = min(_cost(regex, small, anchored) for _ in range(3))
        assert big < 0.03 or big < 10 * max(little, 0.003), (
            f"{where}: {big:.3f} s on {len(large):,} characters of {str(piece)[:12]!r}… "
            f"against {little:.3f} s on a quarter of it"
        )


def _hostile_texts() -> dict[str, str]:
    size = 1_000_000
    model = '{"customModels": [{"model": "m", "provider": "openai", "apiKey": "%s"}]}'
    return {
        "trailing-newlines": "{}//c" + "\n" * size,
        "trailing-spaces": "{}" + " " * size,
        "unclosed-block-comments": "{}" + "/*" * (size // 2),
        "block-comment-starts": '{"a": 1}' + "/*/" * (size // 3),
        "escaped-quotes": '{"a": "' + '\\"' * (size // 2),
        "escaped-quotes-lines": ('{"a": "' + '\\"' * 50 + "\n") * (size // 108),
        # 200 KB: linear, but each of its 100,000 empty strings is a syntax problem (~10 us each)
        "quotes": '{"a": ' + '"' * (size // 5),
        "brackets-key-placeholder": model % ("[" + "key" * (size // 3)),
        "your-key-placeholder": model % ("your" + "-key" * (size // 4) + "!"),
        "long-key-run": model % ("sk-" + "a" * size),
        "sk-runs": model % ("sk-" * (size // 3)),
        "ey-runs": model % ("ey-" * (size // 3)),
        "suppression-comments": "{}\n// " + "factory-lint: ignore[" * (size // 21),
        "backslashes": '{"a": "' + "\\" * size + '"}',
        "unicode-escapes": '{"a": "' + "\\u00" * (size // 4) + '"}',
        "minus-signs": '{"a": ' + "-" * size + "}",
        "digits-dots": '{"a": ' + "1." * (size // 2) + "}",
        "url": model.replace('"apiKey"', '"baseUrl": "https://' + "a." * (size // 2) + '/v1", "x"')
        % "k",
    }


HOSTILE = _hostile_texts()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_texts_lint_in_bounded_time(name: str) -> None:
    """1 MB files aimed at the whole-text and per-value patterns: parsed and linted in linear
    time (1-5 s each on an idle 2-vCPU VM, the worst ~15 s with 8 test runs sharing it; with a
    quadratic pattern the same files took hours). The limit is for a busy CI machine."""
    text = HOSTILE[name]
    assert len(text.encode()) < MAX_FILE_BYTES
    started = time.perf_counter()
    parse(text)
    lint_text(text, "settings")
    elapsed = time.perf_counter() - started
    assert elapsed < 120, f"{name}: {elapsed:.1f} s"


def test_markdown_lines_in_linear_time() -> None:
    """Two Markdown patterns found by the audit: a front-matter line with a long run of spaces
    inside its value (12 s for 32,000 spaces) and a line of backticks in a custom command (109 s
    for 1,000, cubic)."""
    from factory_lint.rules.commands import _mask_code_spans

    started = time.perf_counter()
    assert frontmatter._FAST_LINE.fullmatch("k: a" + " " * 1_000_000 + "b") is not None
    assert _mask_code_spans("`" * 1_000_000) == "`" * 1_000_000
    assert _mask_code_spans("`$1` " * 200_000).strip() == ""
    assert time.perf_counter() - started < 30
