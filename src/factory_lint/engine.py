"""The pure core: text in, findings out. No I/O, no printing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, cast

from factory_lint.context import FileInfo, LintContext
from factory_lint.findings import (
    MAX_FINDINGS,
    MAX_PER_CHECK,
    SEVERITY_RANK,
    Edit,
    Finding,
    Fix,
    Severity,
)
from factory_lint.jsonc import Document, parse
from factory_lint.kinds import MARKDOWN_KINDS, Kind
from factory_lint.lazy_re import lazy_compile
from factory_lint.records import FrozenValueRecord, ValueRecord
from factory_lint.text import SourceText

if TYPE_CHECKING:
    from factory_lint.redaction import Secrets
    from factory_lint.rules.registry import Checker, Rule


def _registry() -> ModuleType:
    """The rule registry, with every rule family registered. Imported on first use: a run
    whose results all come from the cache never loads the rules."""
    from factory_lint.rules import registry

    return registry


def resolve(selector: str) -> list[Rule]:
    return cast("list[Rule]", _registry().resolve(selector))


def _checkers(kind: Kind) -> list[Checker]:
    return cast("list[Checker]", _registry().CHECKERS_BY_KIND[kind])


def _rules() -> dict[str, Rule]:
    return cast("dict[str, Rule]", _registry().RULES)


def parse_document(text: str, kind: Kind) -> Document:
    """Parse a file's text as its kind is read: JSONC, or Markdown with YAML frontmatter
    (:func:`factory_lint.markdown.parse_markdown`, imported only for those kinds)."""
    if kind in MARKDOWN_KINDS:
        from factory_lint.markdown import parse_markdown

        return parse_markdown(text)
    return parse(text)


_SUPPRESS = lazy_compile(r"factory-lint:\s*ignore(?:\[([^\]]*)\])?")


class Options(FrozenValueRecord):
    """Which rules run and how severe they are."""

    __slots__ = ("ignore", "select", "severity")
    __match_args__ = ("select", "ignore", "severity")

    select: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: tuple[tuple[str, Severity], ...]

    def __init__(
        self,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        severity: tuple[tuple[str, Severity], ...] = (),
    ) -> None:
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "severity", severity)

    def enabled_codes(self) -> set[str]:
        codes = {r.code for s in self.select for r in resolve(s)} if self.select else set(_rules())
        for selector in self.ignore:
            codes -= {r.code for r in resolve(selector)}
        return codes

    def severity_for(self, finding: Finding) -> Severity:
        for selector, severity in self.severity:
            if any(r.code == finding.code for r in resolve(selector)):
                return severity
        return finding.severity or _rules()[finding.code].severity


class LintResult(ValueRecord):
    __slots__ = ("document", "findings", "kind", "secret_spans", "severities", "source")
    __match_args__ = ("kind", "source", "document", "findings", "severities", "secret_spans")

    kind: Kind
    source: SourceText
    document: Document
    findings: list[Finding]
    #: Effective severity of each finding (same order as ``findings``).
    severities: list[Severity]
    #: ``[start, end)`` ranges that hold secrets; renderers must mask them.
    secret_spans: list[tuple[int, int]]

    def __init__(
        self,
        kind: Kind,
        source: SourceText,
        document: Document,
        findings: list[Finding] | None = None,
        severities: list[Severity] | None = None,
        secret_spans: list[tuple[int, int]] | None = None,
    ) -> None:
        self.kind = kind
        self.source = source
        self.document = document
        self.findings = [] if findings is None else findings
        self.severities = [] if severities is None else severities
        self.secret_spans = [] if secret_spans is None else secret_spans

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for severity in self.severities:
            counts[severity] += 1
        return counts


def run_checks(context: LintContext) -> Iterator[Finding]:
    """Every finding of the checkers registered for the context's kind."""
    for check in _checkers(context.kind):
        yield from check(context)


def _collect(context: LintContext, enabled: set[str]) -> tuple[list[Finding], bool]:
    """The enabled findings of every check, each check stopped after MAX_PER_CHECK; and
    whether one was stopped."""
    findings: list[Finding] = []
    stopped = False
    for check in _checkers(context.kind):
        count = 0
        for finding in check(context):
            if finding.code in enabled:
                findings.append(finding)
                count += 1
                if count >= MAX_PER_CHECK:
                    stopped = True
                    break
    return findings, stopped


def lint_text(
    text: str,
    kind: Kind,
    info: FileInfo | None = None,
    options: Options | None = None,
    document: Document | None = None,
    secrets: Secrets | None = None,
) -> LintResult:
    """Lint one document's text as the given kind of Droid file.

    ``secrets``: ``find_secrets(text)`` when the caller has computed it already.
    """
    options = options or Options()
    source = SourceText(text)
    document = document if document is not None else parse_document(text, kind)
    context = LintContext(source, document, kind, info or FileInfo())
    enabled = options.enabled_codes()
    findings, stopped = _collect(context, enabled)
    findings = _apply_inline_suppressions(findings, context, enabled)
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    severities = [options.severity_for(f) for f in findings]
    if len(findings) > MAX_FINDINGS or stopped:
        findings, severities = _cap(findings, severities, stopped, len(text), options, enabled)
    if "\r" in text:
        findings = keep_line_endings(findings, text)
    result = LintResult(kind, source, document, findings)
    result.severities = severities
    if secrets is None:
        from factory_lint.redaction import find_secrets

        secrets = find_secrets(text)
    result.secret_spans = secrets.spans
    result.findings = scrub_findings(findings, secrets.values + secrets.short)
    return result


def _cap(
    findings: list[Finding],
    severities: list[Severity],
    stopped: bool,
    end: int,
    options: Options,
    enabled: set[str],
) -> tuple[list[Finding], list[Severity]]:
    """The MAX_FINDINGS most severe findings (in file order) and an FL091 finding at the end of
    the file saying what was left out."""
    order = sorted(range(len(findings)), key=lambda i: -SEVERITY_RANK[severities[i]])
    kept = sorted(order[:MAX_FINDINGS])
    left = sorted(order[MAX_FINDINGS:])
    if "FL091" not in enabled:
        return [findings[i] for i in kept], [severities[i] for i in kept]
    counts: dict[str, int] = {}
    for i in left:
        counts[findings[i].code] = counts.get(findings[i].code, 0) + 1
    codes = ", ".join(
        f"{code} ×{count:,}" for code, count in sorted(counts.items(), key=lambda c: -c[1])[:5]
    )
    parts = []
    if left:
        more = (
            "1 more finding in this file is"
            if len(left) == 1
            else f"{len(left):,} more findings in this file are"
        )
        parts.append(f"{more} not shown ({codes})")
    if stopped:
        parts.append(f"some checks stopped after {MAX_PER_CHECK:,} findings, so there may be more")
    summary = Finding(
        "FL091",
        "; ".join(parts) + f": factory-lint reports at most {MAX_FINDINGS:,} findings per file, "
        "the most severe first; fix these and run again",
        end,
        end,
    )
    return (
        [*(findings[i] for i in kept), summary],
        [*(severities[i] for i in kept), options.severity_for(summary)],
    )


def keep_line_endings(findings: list[Finding], text: str) -> list[Finding]:
    """Fix edits are written with ``\\n``; in a file whose first line break is ``\\r\\n`` (or
    ``\\r``) they use that one, so a fix never adds a bare LF line to a CRLF file."""
    first = text.find("\n")
    cr = text.find("\r")
    if cr < 0 or (0 <= first < cr):
        return findings  # the first line break is LF
    newline = "\r\n" if text.startswith("\r\n", cr) else "\r"
    kept = []
    for finding in findings:
        fix = finding.fix
        if fix is not None and any("\n" in edit.text for edit in fix.edits):
            edits = tuple(
                Edit(e.start, e.end, e.text.replace("\r\n", "\n").replace("\n", newline))
                for e in fix.edits
            )
            finding = Finding(
                finding.code,
                finding.message,
                finding.start,
                finding.end,
                finding.pointer,
                Fix(fix.description, edits, fix.safe),
                finding.severity,
                finding.help,
                finding.data,
            )
        kept.append(finding)
    return kept


def scrub_findings(findings: list[Finding], secrets: list[str]) -> list[Finding]:
    """Last line of defence: no message, help, pointer or fix description may show a secret of
    the document (``secrets``: its values) or anything secret-shaped (fix edits are left whole:
    they are applied, and every front end checks them before it shows one)."""
    values = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
    short = sorted({s for s in secrets if 4 <= len(s) < 8}, key=len, reverse=True)
    cleaned = []
    for finding in findings:
        message = scrub(finding.message, values, short)
        help_text = scrub(finding.help, values, short) if finding.help else finding.help
        pointer = "/".join(scrub(token, values, short) for token in finding.pointer.split("/"))
        fix = finding.fix
        if fix is not None:
            description = scrub(fix.description, values, short)
            if description != fix.description:
                fix = Fix(description, fix.edits, fix.safe)
        if (message, help_text, pointer, fix) != (
            finding.message,
            finding.help,
            finding.pointer,
            finding.fix,
        ):
            finding = Finding(
                finding.code,
                message,
                finding.start,
                finding.end,
                pointer,
                fix,
                finding.severity,
                help_text,
                finding.data,
            )
        cleaned.append(finding)
    return cleaned


def scrub(text: str, secrets: list[str], short: list[str] | None = None) -> str:
    """``text`` with each of ``secrets`` (8+ characters, longest first) and ``short`` ones (as
    whole words) masked, and then anything secret-shaped (see :mod:`factory_lint.redaction`)."""
    from factory_lint.redaction import mask_text

    return mask_text(text, secrets, short or ())


def _apply_inline_suppressions(
    findings: list[Finding], context: LintContext, enabled: set[str]
) -> list[Finding]:
    """Honour ``// factory-lint: ignore[CODE,...]`` on the finding's line or the line above."""
    comments = [c for c in context.document.comments if "factory-lint" in c.text]
    if not comments:
        return findings
    source = context.source
    by_line: dict[int, tuple[int, set[str] | None]] = {}
    for index, comment in enumerate(comments):
        match = _SUPPRESS.search(comment.text)
        if not match:
            continue
        selectors = match.group(1)
        codes = (
            {r.code for s in selectors.split(",") if s.strip() for r in resolve(s)}
            if selectors is not None
            else None
        )
        line = source.line_of(comment.start)
        before = source.text[source.line_starts[line] : comment.start]
        target = line if before.strip() else line + 1
        by_line[target] = (index, codes)
    used: set[int] = set()
    kept: list[Finding] = []
    for finding in findings:
        entry = by_line.get(source.line_of(finding.start))
        if entry is not None and (entry[1] is None or finding.code in entry[1]):
            used.add(entry[0])
            continue
        kept.append(finding)
    if "FL090" in enabled:
        for line, (index, _codes) in by_line.items():
            if index not in used:
                comment = comments[index]
                kept.append(
                    Finding(
                        "FL090",
                        "this `factory-lint: ignore` comment suppresses nothing on line "
                        f"{line + 1}; remove it",
                        comment.start,
                        comment.end,
                    )
                )
    return kept


def most_severe(severities: Iterable[Severity]) -> int:
    return max((SEVERITY_RANK[s] for s in severities), default=-1)
