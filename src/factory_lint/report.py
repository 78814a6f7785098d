"""Render lint results: full, concise, json, sarif and github. Secrets are always masked."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from factory_lint import __version__
from factory_lint.engine import LintResult
from factory_lint.findings import Edit, Finding, Severity
from factory_lint.lazy_re import lazy_compile
from factory_lint.records import ValueRecord
from factory_lint.text import SourceText

if TYPE_CHECKING:
    from factory_lint.redaction import Secrets
    from factory_lint.rules.registry import Rule

FORMATS = ("full", "concise", "json", "sarif", "github")
JSON_VERSION = 1
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_COLORS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1", "fix": "32"}


def _rule(code: str) -> Rule:
    """A finding's rule; the registry (every rule family) is imported only for a report that
    has findings: results from the cache carry none of it."""
    from factory_lint.rules.registry import RULES

    return RULES[code]


class FileReport(ValueRecord):
    """One linted file: the display name and its result (or a note when it was skipped)."""

    __slots__ = ("note", "path", "result")
    __match_args__ = ("path", "result", "note")

    path: str
    result: LintResult | None
    note: str | None

    def __init__(
        self, path: str, result: LintResult | None = None, note: str | None = None
    ) -> None:
        self.path = path
        self.result = result
        self.note = note


def _range(source: SourceText, finding: Finding) -> dict[str, dict[str, int]]:
    start = source.position(finding.start)
    end = source.position(max(finding.end, finding.start))
    return {
        "start": {"line": start.line + 1, "column": start.column + 1},
        "end": {"line": end.line + 1, "column": end.column + 1},
    }


#: Longer source lines are shown as a window of this many characters around the finding, so
#: that the full format stays small for minified files (one line, many findings).
MAX_SHOWN_COLUMNS = 240


def line_length(source: SourceText, line: int) -> int:
    """The length of a 0-based line without its line break and BOM, without copying it."""
    start = source.line_starts[line]
    end = source.line_starts[line + 1] if line + 1 < len(source.line_starts) else len(source.text)
    while end > start and source.text[end - 1] in "\r\n":
        end -= 1
    return end - start - (1 if line == 0 and source.has_bom and end > start else 0)


def mask_line(
    source: SourceText,
    line: int,
    spans: Sequence[tuple[int, int]],
    window: tuple[int, int] | None = None,
) -> tuple[str, Callable[[int], int]]:
    """A line with every secret span replaced by its redaction, and a column mapper.

    With ``window`` (first and end column), only that part of the line, with `…` marking
    what is cut off; the mapper still takes columns of the whole line.
    """
    from factory_lint.secrets import redact

    start = source.line_starts[line]
    offset = start + (1 if line == 0 and source.has_bom else 0)
    lead, before, after = 0, "", ""
    if window is None:
        text = source.line_text(line)
    else:
        lead, stop = window
        text = source.text[offset + lead : offset + stop]
        offset += lead
        before = "…" if lead > 0 else ""
        after = "…" if stop < line_length(source, line) else ""
    pieces: list[str] = []
    shifts: list[tuple[int, int, int]] = []  # (column, end column, growth)
    cursor = 0
    for span_start, span_end in sorted(spans):
        a, b = span_start - offset, span_end - offset
        if b <= max(cursor, 0) or a >= len(text):
            continue
        # A span cut by the window's start, or overlapping the previous one, is still masked.
        a, b = max(a, cursor), min(b, len(text))
        pieces.append(text[cursor:a])
        secret = source.text[span_start:span_end]  # the whole token, even when cut
        body = secret.strip('"')
        replacement = f'"{redact(body)}"' if secret.startswith('"') else redact(body)
        pieces.append(replacement)
        shifts.append((a, b, len(replacement) - (b - a)))
        cursor = b
    pieces.append(text[cursor:])

    def column(original: int) -> int:
        original = min(max(original - lead, 0), len(text))
        moved = original
        for a, b, growth in shifts:
            if original >= b:
                moved += growth
            elif original > a:
                moved = a + sum(g for x, _, g in shifts if x < a) + (b - a + growth)
        return moved + len(before)

    return before + "".join(pieces) + after, column


class _SpanIndex:
    """Secret spans sorted by start, to find the few near a line in O(log n)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [start for start, _ in self.spans]
        #: The largest end among the first i + 1 spans (non-decreasing, so bisectable).
        self.reach = list(accumulate((end for _, end in self.spans), max))

    def near(self, low: int, high: int) -> Sequence[tuple[int, int]]:
        """Every span that overlaps offsets ``[low, high]``, and perhaps a few more."""
        return self.spans[bisect_right(self.reach, low) : bisect_right(self.starts, high)]


def safe_text(text: str) -> str:
    """Make arbitrary text printable on any terminal (lone surrogates, control characters)."""
    if text.isprintable() or text.replace("\t", " ").isprintable():
        return text  # the common case, checked in C
    cleaned = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(c if c.isprintable() or c == "\t" else f"\\x{ord(c):02x}" for c in cleaned)


#: What a fix's edit says instead of a ``newText`` that would show a secret.
WITHHELD_TEXT = (
    "not shown: the new text would show a secret of the file; `factory-lint --fix` applies it"
)


def _edit_json(source: SourceText, edit: Edit, secrets: Secrets) -> dict[str, object]:
    """An edit as JSON; a ``newText`` that would show a secret is null, with the reason."""
    shown: dict[str, object] = {"range": _range(source, Finding("", "", edit.start, edit.end))}
    if secrets.shows(edit.text):
        shown.update(newText=None, withheld=WITHHELD_TEXT)
    else:
        shown["newText"] = edit.text
    return shown


def _finding_json(
    path: str,
    result: LintResult,
    finding: Finding,
    severity: Severity,
    secrets: Callable[[], Secrets],
) -> object:
    rule = _rule(finding.code)
    fix = None
    if finding.fix is not None:
        fix = {
            "description": finding.fix.description,
            "applicability": "safe" if finding.fix.safe else "unsafe",
            "edits": [_edit_json(result.source, e, secrets()) for e in finding.fix.edits],
        }
    return {
        "file": path,
        "code": finding.code,
        "rule": rule.name,
        "severity": severity,
        "message": finding.message,
        "pointer": finding.pointer,
        "range": _range(result.source, finding),
        "fix": fix,
        "help": finding.help,
        "url": rule.url,
    }


def _secrets_of(result: LintResult) -> Callable[[], Secrets]:
    """The secrets of a result's text, found when first asked for (only fixes need them)."""
    found: list[Secrets] = []

    def get() -> Secrets:
        if not found:
            from factory_lint.redaction import find_secrets

            found.append(find_secrets(result.source.text))
        return found[0]

    return get


def render_json(reports: Sequence[FileReport]) -> str:
    findings = []
    files = []
    for report in reports:
        files.append(
            {
                "file": report.path,
                "kind": report.result.kind if report.result else None,
                "skipped": report.note,
            }
        )
        if report.result is not None:
            secrets = _secrets_of(report.result)
            for finding, severity in zip(
                report.result.findings, report.result.severities, strict=True
            ):
                findings.append(
                    _finding_json(report.path, report.result, finding, severity, secrets)
                )
    return _dumps({"version": JSON_VERSION, "findings": findings, "files": files})


def render_concise(reports: Sequence[FileReport]) -> str:
    lines = []
    for report in reports:
        if report.result is None:
            continue
        for finding, severity in zip(report.result.findings, report.result.severities, strict=True):
            position = report.result.source.position(finding.start)
            rule = _rule(finding.code)
            lines.append(
                f"{safe_text(report.path)}:{position.line + 1}:{position.column + 1}: {severity}: "
                f"{safe_text(finding.message)} [{finding.code} {rule.name}]"
            )
    return "\n".join(lines)


def render_full(reports: Sequence[FileReport], color: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if color else text

    blocks = []
    for report in reports:
        result = report.result
        if result is None:
            continue
        source = result.source
        spans = _SpanIndex(result.secret_spans)
        for finding, severity in zip(result.findings, result.severities, strict=True):
            rule = _rule(finding.code)
            start = source.position(finding.start)
            end = source.position(max(finding.end, finding.start))
            header = (
                f"{paint(f'{safe_text(report.path)}:{start.line + 1}:{start.column + 1}', 'bold')}: "
                f"{paint(f'{severity}[{finding.code}]', severity)} "
                f"{safe_text(finding.message)} {paint(f'({rule.name})', 'dim')}"
            )
            gutter = len(str(start.line + 1))
            length = line_length(source, start.line)
            shown = (0, length)
            window = None
            if length > MAX_SHOWN_COLUMNS:
                lead = min(start.column - MAX_SHOWN_COLUMNS // 4, length - MAX_SHOWN_COLUMNS)
                window = shown = (max(lead, 0), max(lead, 0) + MAX_SHOWN_COLUMNS)
            line_start = source.line_starts[start.line]
            if start.line == 0 and source.has_bom:
                line_start += 1
            near = spans.near(line_start + shown[0], line_start + shown[1])
            masked_text, column = mask_line(source, start.line, near, window)
            line_text = safe_text(masked_text)
            first = column(start.column)
            last = column(end.column) if end.line == start.line else len(line_text)
            prefix = "".join(c if c == "\t" else " " for c in line_text[:first])
            carets = "^" * max(last - first, 1)
            lines = [
                header,
                f"{' ' * gutter} {paint('|', 'dim')}",
                f"{paint(str(start.line + 1), 'dim')} {paint('|', 'dim')} {line_text}",
                f"{' ' * gutter} {paint('|', 'dim')} {prefix}{paint(carets, severity)}",
            ]
            if finding.help:
                lines.append(f"{' ' * gutter} = help: {safe_text(finding.help)}")
            if finding.fix is not None:
                kind = "fix" if finding.fix.safe else "unsafe fix"
                lines.append(
                    f"{' ' * gutter} = {paint(kind, 'fix')}: {safe_text(finding.fix.description)}"
                )
            lines.append(f"{' ' * gutter} = docs: {rule.url}")
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _github_escape(text: str, property_value: bool = False) -> str:
    """Escape as GitHub's workflow-command parser unescapes (``%25``, ``%0D``, ``%0A``; in a
    property also ``%3A`` and ``%2C``), before any other unprintable character is shown as
    ``\\xNN``: a file name with a newline then reads back as itself."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return safe_text(text)


def render_github(reports: Sequence[FileReport]) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for report in reports:
        if report.result is None:
            continue
        for finding, severity in zip(report.result.findings, report.result.severities, strict=True):
            bounds = _range(report.result.source, finding)
            rule = _rule(finding.code)
            props = ",".join(
                [
                    f"file={_github_escape(report.path, True)}",
                    f"line={bounds['start']['line']}",
                    f"col={bounds['start']['column']}",
                    f"endLine={bounds['end']['line']}",
                    f"endColumn={bounds['end']['column']}",
                    f"title={_github_escape(f'{finding.code} {rule.name}', True)}",
                ]
            )
            lines.append(f"::{level[severity]} {props}::{_github_escape(finding.message)}")
    return "\n".join(lines)


def render_sarif(reports: Sequence[FileReport]) -> str:
    used = sorted({f.code for r in reports if r.result for f in r.result.findings})
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": _rule(code).name,
            "shortDescription": {"text": _rule(code).summary},
            "fullDescription": {"text": _rule(code).why},
            "helpUri": _rule(code).url,
            "help": {"text": _rule(code).fix},
            "defaultConfiguration": {"level": _SARIF_LEVEL[_rule(code).severity]},
        }
        for code in used
    ]
    results = []
    for report in reports:
        if report.result is None:
            continue
        for finding, severity in zip(report.result.findings, report.result.severities, strict=True):
            bounds = _range(report.result.source, finding)
            entry: dict[str, object] = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _SARIF_LEVEL[severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": report.path.replace("\\", "/")},
                            "region": {
                                "startLine": bounds["start"]["line"],
                                "startColumn": bounds["start"]["column"],
                                "endLine": bounds["end"]["line"],
                                "endColumn": bounds["end"]["column"],
                            },
                        },
                        **(
                            {"logicalLocations": [{"fullyQualifiedName": finding.pointer}]}
                            if finding.pointer
                            else {}
                        ),
                    }
                ],
            }
            results.append(entry)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "factory-lint",
                        "version": __version__,
                        "informationUri": "https://github.com/factory-lint/factory-lint",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return _dumps(document)


_LONE_SURROGATE = lazy_compile("[\ud800-\udfff]")


def _dumps(document: object) -> str:
    """JSON text that can always be written as UTF-8: lone surrogates (from `\\ud800` escapes
    in a key or value) stay escaped instead of making the output unencodable."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(reports: Sequence[FileReport], output_format: str, color: bool = False) -> str:
    if output_format == "json":
        return render_json(reports)
    if output_format == "sarif":
        return render_sarif(reports)
    if output_format == "github":
        return render_github(reports)
    if output_format == "full":
        return render_full(reports, color)
    return render_concise(reports)


def render_statistics(reports: Sequence[FileReport]) -> str:
    counts: Counter[tuple[str, str]] = Counter()
    for report in reports:
        if report.result is None:
            continue
        for finding, severity in zip(report.result.findings, report.result.severities, strict=True):
            counts[(finding.code, severity)] += 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "\n".join(
        f"{count:5d}  {code}  {severity:<7}  {_rule(code).name}" for (code, severity), count in rows
    )
