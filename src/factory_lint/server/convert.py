"""Offsets ↔ LSP positions, and findings → LSP diagnostics."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from factory_lint.findings import Edit, Finding, Fix, Severity
from factory_lint.rules.registry import RULES
from factory_lint.server.analysis import changed_region
from factory_lint.text import SourceText

if TYPE_CHECKING:
    from factory_lint.redaction import Secrets

SOURCE = "factory-lint"
#: The source of the diagnostics of "Probe this model" (live checks, not lint).
PROBE_SOURCE = "factory-lint probe"
SEVERITIES: dict[Severity, types.DiagnosticSeverity] = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
#: Rules whose findings are shown faded (unused code) or struck through (deprecated).
UNNECESSARY = frozenset({"FL090"})
DEPRECATED = frozenset({"FL105", "FL606"})


class Positions:
    """Converts between document offsets and positions in the negotiated encoding."""

    def __init__(self, source: SourceText, encoding: str) -> None:
        self.source = source
        self.encoding = encoding

    def position(self, offset: int) -> types.Position:
        position = self.source.lsp_position(offset, self.encoding)
        return types.Position(line=position.line, character=position.column)

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        return self.source.offset_at(position.line, position.character, self.encoding)

    def text_edit(self, edit: Edit) -> types.TextEdit:
        return types.TextEdit(range=self.range(edit.start, edit.end), new_text=edit.text)

    def range_json(self, start: int, end: int) -> dict[str, dict[str, int]]:
        first = self.source.lsp_position(start, self.encoding)
        last = self.source.lsp_position(end, self.encoding)
        return {
            "start": {"line": first.line, "character": first.column},
            "end": {"line": last.line, "character": last.column},
        }


@functools.lru_cache(maxsize=4)
def _secrets_of(text: str) -> Secrets:
    from factory_lint.redaction import find_secrets

    return find_secrets(text)


def _fix_data(fix: Fix, positions: Positions) -> dict[str, Any]:
    """A fix as a diagnostic's data carries it; edits whose text would show a secret of the
    document are left out (the quick fix, computed by the server, still applies them)."""
    secrets = _secrets_of(positions.source.text)
    if any(secrets.shows(e.text) for e in fix.edits):
        return {"title": fix.description, "safe": fix.safe, "edits": None, "withheld": True}
    return {
        "title": fix.description,
        "safe": fix.safe,
        "edits": [
            {"range": positions.range_json(e.start, e.end), "newText": e.text} for e in fix.edits
        ],
    }


def diagnostic(
    finding: Finding,
    severity: Severity,
    positions: Positions,
    version: int | None,
    tags: bool = True,
) -> types.Diagnostic:
    """The LSP diagnostic of a finding; its fix edits travel in ``data``."""
    rule = RULES.get(finding.code)
    message = finding.message
    if finding.help:
        message = f"{message}\n{finding.help}"
    data: dict[str, Any] = {"version": version}
    if rule is not None:
        data["rule"] = rule.name
    if finding.fix is not None:
        data["fix"] = _fix_data(finding.fix, positions)
    diagnostic_tags: list[types.DiagnosticTag] | None = None
    if tags and finding.code in UNNECESSARY:
        diagnostic_tags = [types.DiagnosticTag.Unnecessary]
    elif tags and finding.code in DEPRECATED:
        diagnostic_tags = [types.DiagnosticTag.Deprecated]
    return types.Diagnostic(
        range=positions.range(finding.start, finding.end),
        message=message,
        severity=SEVERITIES[severity],
        code=finding.code,
        code_description=types.CodeDescription(href=rule.url) if rule is not None else None,
        source=SOURCE,
        tags=diagnostic_tags,
        data=data,
    )


def diagnostic_json(
    finding: Finding,
    severity: Severity,
    positions: Positions,
    version: int | None,
    tags: bool = True,
    source: str = SOURCE,
) -> dict[str, Any]:
    """The same diagnostic as :func:`diagnostic`, built directly as JSON-ready data.

    Publishing thousands of diagnostics through lsprotocol objects and cattrs costs several
    times more than building the dictionaries ourselves.
    """
    rule = RULES.get(finding.code)
    message = finding.message
    if finding.help:
        message = f"{message}\n{finding.help}"
    data: dict[str, Any] = {"version": version}
    result: dict[str, Any] = {
        "range": positions.range_json(finding.start, finding.end),
        "severity": int(SEVERITIES[severity]),
        "code": finding.code,
        "source": source,
        "message": message,
        "data": data,
    }
    if rule is not None:
        data["rule"] = rule.name
        result["codeDescription"] = {"href": rule.url}
    if finding.fix is not None:
        data["fix"] = _fix_data(finding.fix, positions)
    if tags and finding.code in UNNECESSARY:
        result["tags"] = [int(types.DiagnosticTag.Unnecessary)]
    elif tags and finding.code in DEPRECATED:
        result["tags"] = [int(types.DiagnosticTag.Deprecated)]
    return result


def diagnostics_json(
    findings: Sequence[Finding],
    severities: Sequence[Severity],
    positions: Positions,
    version: int | None,
    tags: bool = True,
) -> list[dict[str, Any]]:
    return [
        diagnostic_json(f, s, positions, version, tags)
        for f, s in zip(findings, severities, strict=True)
    ]


def diagnostics(
    findings: Sequence[Finding],
    severities: Sequence[Severity],
    positions: Positions,
    version: int | None,
    tags: bool = True,
) -> list[types.Diagnostic]:
    return [
        diagnostic(f, s, positions, version, tags)
        for f, s in zip(findings, severities, strict=True)
    ]


def same_range(diagnostic: types.Diagnostic, finding: Finding, positions: Positions) -> bool:
    return diagnostic.range == positions.range(finding.start, finding.end)


def minimal_edit(old: str, new: str) -> Edit | None:
    """One edit turning ``old`` into ``new`` that touches as little text as possible.

    The edit never starts or ends inside a CRLF pair (an LSP position cannot point there).
    """
    if old == new:
        return None
    start, old_end, new_end = changed_region(old, new)
    if start > 0 and old[start - 1 : start + 1] == "\r\n":
        start -= 1
    if 0 < old_end < len(old) and old[old_end - 1 : old_end + 1] == "\r\n":
        old_end += 1
        new_end += 1
    return Edit(start, old_end, new[start:new_end])
