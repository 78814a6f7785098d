"""Code actions: each finding's fix, fix-all, and suppression comments."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lsprotocol import types

from factory_lint.findings import Edit, Finding, Severity
from factory_lint.fixes import fix_text
from factory_lint.rules.registry import RULES
from factory_lint.server.convert import SOURCE, Positions, minimal_edit

FIX_ALL_KIND = "source.fixAll.factory-lint"
#: Syntax errors make Droid drop the file: they are fixed, never silenced.
_NO_SUPPRESS_FAMILIES = frozenset({"syntax", "suppression"})
_ALWAYS_SUPPRESSIBLE = frozenset({"FL006"})
_SUPPRESS_COMMENT = re.compile(r"^(\s*)//\s*factory-lint:\s*ignore\[([^\]]*)\]\s*$")


@dataclass(frozen=True, slots=True)
class EditTarget:
    """How to address the document in a workspace edit."""

    uri: str
    version: int | None
    document_changes: bool


def workspace_edit(
    target: EditTarget, positions: Positions, edits: Sequence[Edit]
) -> types.WorkspaceEdit:
    text_edits = [positions.text_edit(e) for e in sorted(edits, key=lambda e: (e.start, e.end))]
    if target.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=target.uri, version=target.version
                    ),
                    edits=list(text_edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={target.uri: list(text_edits)})


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(o + ".") for o in only)


def can_suppress(code: str) -> bool:
    rule = RULES.get(code)
    if rule is None:
        return False
    return code in _ALWAYS_SUPPRESSIBLE or rule.family not in _NO_SUPPRESS_FAMILIES


def line_break(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


def suppress_edit(text: str, positions: Positions, finding: Finding) -> Edit:
    """Insert (or extend) ``// factory-lint: ignore[CODE]`` on the line above the finding."""
    source = positions.source
    line = source.line_of(finding.start)
    if line > 0:
        above = source.line_text(line - 1)
        match = _SUPPRESS_COMMENT.match(above)
        if match:
            codes = [c.strip() for c in match.group(2).split(",") if c.strip()]
            if finding.code not in codes:
                codes.append(finding.code)
            start = source.line_starts[line - 1]
            end = start + len(above)
            if line - 1 == 0 and source.has_bom:
                start += 1
                end += 1
            return Edit(start, end, f"{match.group(1)}// factory-lint: ignore[{', '.join(codes)}]")
    current = source.line_text(line)
    indent = current[: len(current) - len(current.lstrip(" \t"))]
    start = source.line_starts[line] + (1 if line == 0 and source.has_bom else 0)
    return Edit(start, start, f"{indent}// factory-lint: ignore[{finding.code}]{line_break(text)}")


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    if start == end:
        return finding.start <= start <= finding.end
    return (finding.start < end and start < finding.end) or finding.start == finding.end == start


def _matching(
    diagnostics: Sequence[types.Diagnostic],
    finding: Finding,
    positions: Positions,
    source: str = SOURCE,
) -> list[types.Diagnostic]:
    found_range = positions.range(finding.start, finding.end)
    return [
        d
        for d in diagnostics
        if d.source == source and d.code == finding.code and d.range == found_range
    ]


def quick_fixes(
    text: str,
    findings: Sequence[Finding],
    severities: Sequence[Severity],
    positions: Positions,
    start: int,
    end: int,
    context: Sequence[types.Diagnostic],
    target: EditTarget,
    scrub: Callable[[str], str],
    suppress: bool,
    source: str = SOURCE,
) -> list[types.CodeAction]:
    """A quick fix per finding under the range (or named by the client's diagnostics).

    ``source`` is the diagnostics' source the findings were published under.
    """
    actions: list[types.CodeAction] = []
    suppressed: set[tuple[int, str]] = set()
    for finding, _severity in zip(findings, severities, strict=True):
        matching = _matching(context, finding, positions, source)
        if not matching and not _overlaps(finding, start, end):
            continue
        diagnostic_list = matching or None
        fix = finding.fix
        if fix is not None:
            title = scrub(fix.description)
            if not fix.safe:
                title += " (unsafe: check the result)"
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostic_list,
                    is_preferred=fix.safe,
                    edit=workspace_edit(target, positions, fix.edits),
                )
            )
        line = positions.source.line_of(finding.start)
        if suppress and can_suppress(finding.code) and (line, finding.code) not in suppressed:
            suppressed.add((line, finding.code))
            rule = RULES[finding.code]
            actions.append(
                types.CodeAction(
                    title=f"Suppress {finding.code} ({rule.name}) on this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostic_list,
                    edit=workspace_edit(
                        target, positions, [suppress_edit(text, positions, finding)]
                    ),
                )
            )
    return actions


def fix_all_edit(text: str, lint: Callable[[str], list[Finding]]) -> Edit | None:
    """One edit that applies every safe fix (repeatedly, like ``--fix``)."""
    outcome = fix_text(text, lint, unsafe=False)
    return minimal_edit(text, outcome.text)


def has_safe_fix(findings: Sequence[Finding]) -> bool:
    return any(f.fix is not None and f.fix.safe for f in findings)
