#!/usr/bin/env python3
"""Coverage-guided fuzz target (atheris / libFuzzer) for the whole lint pipeline.

Each input is the bytes of a file. The target decodes them as the CLI does, parses them, lints
them as both kinds and with kind sniffing, applies the fixes, renders every output format and
checks the invariants the property tests check (tests/test_properties.py):

- nothing raises;
- every range (syntax problems, findings, fix edits, secret spans) lies inside the text;
- the fixed text has no syntax-problem kind the input did not have, and fixing it again
  changes nothing;
- every output format renders to text that can be written as UTF-8 (JSON and SARIF parse).

A violated invariant raises AssertionError, which libFuzzer reports as a crash and saves the
input as ``crash-<sha1>`` (see fuzz/README.md for what to do with it).

Run: ``python fuzz/fuzz_lint.py [libFuzzer flags] CORPUS_DIR [SEED_DIR...]``, e.g.
``python fuzz/fuzz_lint.py -max_total_time=600 -dict=fuzz/jsonc.dict /tmp/fl-corpus tests/golden``.

``FACTORY_LINT_FUZZ_MODE=parser`` fuzzes only the decoder, the parser and the syntax fixes
(about 20 times more inputs per second than the default ``full`` mode).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

import atheris

with atheris.instrument_imports(include=["factory_lint"]):
    from factory_lint.context import LintContext
    from factory_lint.engine import LintResult, lint_text
    from factory_lint.files import decode
    from factory_lint.fixes import fix_text
    from factory_lint.jsonc import parse
    from factory_lint.report import FORMATS, FileReport, render, render_statistics
    from factory_lint.rules.syntax import check_syntax
    from factory_lint.runner import LintRequest, lint_one
    from factory_lint.text import SourceText

KINDS = ("settings", "legacy")
REQUEST = LintRequest(use_config=False)
MODE = os.environ.get("FACTORY_LINT_FUZZ_MODE", "full")


def _kinds(text: str, duplicates: bool) -> Counter[str]:
    return Counter(p.kind for p in parse(text).problems if duplicates or p.kind != "duplicate-key")


def _check_result(text: str, result: LintResult) -> None:
    length = len(text)
    assert len(result.findings) == len(result.severities)
    for problem in result.document.problems:
        assert 0 <= problem.start <= problem.end <= length, problem
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= length, finding
        if finding.fix is not None:
            for edit in finding.fix.edits:
                assert 0 <= edit.start <= edit.end <= length, finding
    for start, end in result.secret_spans:
        assert 0 <= start <= end <= length


def _syntax_findings(text: str) -> list:  # type: ignore[type-arg]
    return list(check_syntax(LintContext(SourceText(text), parse(text), "settings")))


def _check_fix(text: str, kind: str, unsafe: bool, syntax_only: bool = False) -> None:
    def relint(current: str) -> list:  # type: ignore[type-arg]
        if syntax_only:
            return _syntax_findings(current)
        return lint_text(current, kind).findings  # type: ignore[arg-type]

    # Unsafe renames may collide into a duplicate key; the runner refuses to write those.
    before = _kinds(text, duplicates=not unsafe)
    once = fix_text(text, relint, unsafe)
    after = _kinds(once.text, duplicates=not unsafe)
    assert not (after - before), f"fix added syntax problems {dict(after - before)}"
    assert sum(after.values()) <= sum(before.values()), "fix added syntax problems"
    twice = fix_text(once.text, relint, unsafe)
    assert twice.text == once.text and twice.applied == 0, "fixing twice differs from once"


def _check_render(reports: list[FileReport], output_format: str) -> None:
    rendered = render(reports, output_format, output_format == "full")
    rendered.encode("utf-8")
    if output_format in ("json", "sarif"):
        json.loads(rendered)
    render_statistics(reports).encode("utf-8")


def _check_document(text: str) -> None:
    document = parse(text)
    length = len(text)
    for problem in document.problems:
        assert 0 <= problem.start <= problem.end <= length, problem
    for comment in document.comments:
        assert text[comment.start : comment.end] == comment.text
    if document.root is None:
        return
    stack = [(document.root, 0, length)]
    while stack:
        node, low, high = stack.pop()
        assert low <= node.start <= node.end <= high, node.pointer
        stack.extend((item, node.start, node.end) for item in node.items)
        for member in node.members:
            assert node.start <= member.key_start <= member.key_end <= node.end
            if member.value is not None:
                stack.append((member.value, member.key_end, node.end))


def _parser_input(data: bytes) -> None:
    text, problems = decode(data)
    for problem in problems:
        assert 0 <= problem.start <= problem.end <= len(text)
    _check_document(text)
    source = SourceText(text)
    for finding in _syntax_findings(text):
        source.position(finding.start)
        source.lsp_position(finding.end)
    if not problems:
        _check_fix(text, "settings", unsafe=False, syntax_only=True)


def TestOneInput(data: bytes) -> None:
    if MODE == "parser":
        _parser_input(data)
        return
    text, problems = decode(data)
    for problem in problems:
        assert 0 <= problem.start <= problem.end <= len(text)
    _check_document(text)
    reports = []
    for kind in KINDS:
        result = lint_text(text, kind)  # type: ignore[arg-type]
        _check_result(text, result)
        reports.append(FileReport(f"{kind}.json", result))
    # The CLI's path for standard input: decoding, kind sniffing, fixes.
    outcome = lint_one("-", REQUEST, data=data)
    reports.append(outcome.report)
    # Rendering and fixing are the expensive parts (fixing re-lints up to 10 times): one
    # format, one kind and one mode per input, chosen from the length so that the choice
    # does not eat bytes the mutator works on. Across a run every combination is exercised.
    selector = len(data)
    _check_render(reports, FORMATS[selector % len(FORMATS)])
    if not problems:
        _check_fix(text, KINDS[selector % 2], unsafe=selector % 4 >= 2)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
