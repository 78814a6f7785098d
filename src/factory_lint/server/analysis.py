"""Linting a document for the server: full runs, and a fast incremental path for large files.

Everything here is plain Python (no pygls), so it can run in a worker thread and be unit-tested.

The incremental path exists because a settings file with thousands of custom models takes a few
hundred milliseconds to parse and lint in full. While the user types inside one entry of
``customModels``, only that entry changes: it is re-parsed in place
(:func:`factory_lint.jsonc.parse_fragment`), spliced into the previous tree, and linted on its
own in a copy of the document that holds just that entry. Findings elsewhere are carried over
(shifted). Rules that compare entries with each other (duplicates, ``custom:`` references) may be
briefly out of date on that path, so the server always follows it with a full lint once typing
pauses; the full result replaces the incremental one.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import PurePath

from factory_lint.context import FileInfo
from factory_lint.engine import Options, lint_text, parse_document
from factory_lint.files import value_budget_error
from factory_lint.findings import Edit, Finding, Fix, Severity
from factory_lint.jsonc import Comment, Document, Member, Node, SyntaxProblem, parse, parse_fragment
from factory_lint.kinds import (
    MARKDOWN_KINDS,
    Kind,
    kind_from_content,
    kind_from_path,
    resolve_kind,
)

#: Findings are matched by rule and range (messages may differ in how secrets are masked).
FindingKey = tuple[str, int, int]


@dataclass(slots=True)
class Analysis:
    """The parse tree and the findings of one exact text."""

    text: str
    version: int | None
    document: Document
    #: None when the document is not a Droid file (then ``findings`` is empty).
    kind: Kind | None
    note: str | None
    findings: list[Finding]
    severities: list[Severity]
    #: True for a full lint; False when produced by the incremental path.
    exact: bool = True
    #: The last entry linted on its own: its span and the keys of its findings then.
    isolated: tuple[int, int, frozenset[FindingKey]] | None = None

    @property
    def is_factory(self) -> bool:
        return self.kind is not None


@dataclass(frozen=True, slots=True)
class LintSetup:
    """What a lint needs besides the text: the file's place and the enabled rules."""

    path: PurePath | None
    info: FileInfo
    options: Options


def factory_kind(path: PurePath | None, root: Node | None) -> tuple[Kind | None, str | None]:
    """The Droid file kind of a document, or None with a reason.

    Same detection as the CLI (:func:`resolve_kind`), except that a file named
    ``settings.json``/``config.json`` outside a Factory folder counts only when its content
    looks like Droid's: editors open many unrelated ``settings.json`` files (``.vscode/``).
    """
    kind, note = resolve_kind(path, root)
    if kind is None:
        return None, note
    if path is None or kind_from_path(path) is not None or kind_from_content(root) is not None:
        return kind, None
    return None, "a settings.json or config.json outside a .factory folder without Droid keys"


def _parse(text: str, path: PurePath | None) -> Document:
    """The document as its kind is read (JSONC unless the path names a Markdown kind)."""
    kind = kind_from_path(path) if path is not None else None
    if kind is not None and kind in MARKDOWN_KINDS:
        return parse_document(text, kind)
    return parse(text, lazy_offsets=False)  # (positions are read for every request)


def _refused(text: str, version: int | None, path: PurePath | None) -> Analysis | None:
    """A text over the CLI's limits (16 MB, 250,000 values) is neither parsed nor linted, as
    the command line refuses the file: an empty analysis, and a warning in the log."""
    refused = value_budget_error(str(path) if path is not None else "the document", text)
    if refused is None:
        return None
    logging.getLogger("factory_lint.server").warning("not linted: %s", refused)
    return Analysis(text, version, Document(None, [], []), None, refused, [], [])


def full_analysis(text: str, version: int | None, setup: LintSetup) -> Analysis:
    """Parse and lint ``text`` from scratch."""
    refused = _refused(text, version, setup.path)
    if refused is not None:
        return refused
    document = _parse(text, setup.path)
    kind, note = factory_kind(setup.path, document.root)
    if kind is None:
        return Analysis(text, version, document, None, note, [], [])
    result = lint_text(text, kind, setup.info, setup.options, document)
    return Analysis(text, version, document, kind, None, result.findings, result.severities)


def parse_only(text: str, version: int | None, path: PurePath | None) -> Analysis:
    """A tree without findings (for completions while a lint is pending)."""
    refused = _refused(text, version, path)
    if refused is not None:
        refused.exact = False
        return refused
    document = _parse(text, path)
    kind, note = factory_kind(path, document.root)
    return Analysis(text, version, document, kind, note, [], [], exact=False)


# --- incremental path ------------------------------------------------------------------------


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """``(start, old_end, new_end)``: ``old[start:old_end]`` became ``new[start:new_end]``.

    Binary search over slices keeps the comparisons in C, so this costs a few copies of the text
    rather than a Python loop over every character.
    """
    limit = min(len(old), len(new))
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    start = low
    room = limit - start
    low, high = 0, room
    old_len, new_len = len(old), len(new)
    while low < high:
        middle = (low + high + 1) // 2
        if old[old_len - middle : old_len - low] == new[new_len - middle : new_len - low]:
            low = middle
        else:
            high = middle - 1
    return start, old_len - low, new_len - low


def _models_array(analysis: Analysis) -> tuple[Node, Member, Node] | None:
    root = analysis.document.root
    if root is None or root.type != "object" or analysis.kind is None:
        return None
    key = "customModels" if analysis.kind == "settings" else "custom_models"
    members = [m for m in root.members if m.key == key]
    if len(members) != 1:
        return None
    array = members[0].value
    if array is None or array.type != "array" or array.opaque:
        return None
    return root, members[0], array


def _shift_tree(node: Node, delta: int) -> None:
    """Move a subtree by ``delta`` (hot on large files: scalar values are handled inline)."""
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        current = pop()
        current.start += delta
        current.end += delta
        for member in current.members:
            member.key_start += delta
            member.key_end += delta
            value = member.value
            if value is not None:
                if value.members or value.items:
                    push(value)
                else:
                    value.start += delta
                    value.end += delta
        for item in current.items:
            if item.members or item.items:
                push(item)
            else:
                item.start += delta
                item.end += delta


class _Shift:
    """Maps offsets of the old text to the new one around the edited span ``[start, old_end)``."""

    def __init__(self, start: int, old_end: int, delta: int) -> None:
        self.start, self.old_end, self.delta = start, old_end, delta

    def touches(self, start: int, end: int, adjacent: bool = False) -> bool:
        """Whether the old range ``[start, end)`` overlaps the edit (or borders it)."""
        if adjacent:
            return start <= self.old_end and end >= self.start
        if self.start == self.old_end:
            return start < self.start < end
        if start == end:
            return self.start < start < self.old_end
        return start < self.old_end and end > self.start

    def offset(self, offset: int) -> int:
        return offset if offset <= self.start else offset + self.delta

    def finding(self, finding: Finding) -> Finding:
        start, end = self.offset(finding.start), self.offset(finding.end)
        fix = finding.fix
        if fix is not None and any(e.end > self.start for e in fix.edits):
            if any(self.touches(e.start, e.end) for e in fix.edits):
                fix = None
            else:
                edits = tuple(
                    Edit(self.offset(e.start), self.offset(e.end), e.text) for e in fix.edits
                )
                fix = Fix(fix.description, edits, fix.safe)
        if start == finding.start and end == finding.end and fix is finding.fix:
            return finding
        # The constructor, not dataclasses.replace: this runs for thousands of findings.
        return Finding(
            finding.code,
            finding.message,
            start,
            end,
            finding.pointer,
            fix,
            finding.severity,
            finding.help,
            finding.data,
        )


def _key(finding: Finding) -> FindingKey:
    return (finding.code, finding.start, finding.end)


def _isolated_document(
    root: Node, models: Member, array: Node, item: Node, document: Document
) -> Document:
    """A copy of the document's top level whose model list holds only ``item``."""
    lone = Node("array", array.start, array.end, array.pointer, items=[item])
    members = [
        Member(m.key, m.key_start, m.key_end, lone) if m is models else m for m in root.members
    ]
    shell = Node("object", root.start, root.end, root.pointer, members=members)
    return Document(shell, document.problems, document.comments)


def _inside(start: int, end: int, low: int, high: int) -> bool:
    return low <= start and end <= high and not (start == end == low)


def incremental_analysis(
    base: Analysis, text: str, version: int | None, setup: LintSetup
) -> Analysis | None:
    """Update ``base`` to ``text`` when the change lies inside one custom model entry.

    Returns None when the change is elsewhere (or changes the structure), so the caller runs a
    full lint instead. On success ``base`` must no longer be used: its tree is reused.
    """
    found = _models_array(base)
    if found is None or base.kind is None or value_budget_error("", text) is not None:
        return None  # (over the limits: the full path refuses it)
    root, models, array = found
    start, old_end, new_end = changed_region(base.text, text)
    if start == old_end == new_end and len(base.text) == len(text):
        return Analysis(
            text,
            version,
            base.document,
            base.kind,
            base.note,
            base.findings,
            base.severities,
            base.exact,
            base.isolated,
        )
    items = array.items
    index = bisect_right([item.start for item in items], start) - 1
    if index < 0:
        return None
    item = items[index]
    old_text = base.text
    if (
        item.type != "object"
        or item.opaque
        or not item.start < start
        or old_end > item.end - 1
        or old_text[item.end - 1] != "}"
    ):
        return None
    delta = new_end - old_end
    fragment = parse_fragment(text, item.start, item.pointer, 2)
    node = fragment.node
    if (
        node is None
        or node.type != "object"
        or fragment.reached_end
        or node.end != item.end + delta
    ):
        return None
    shift = _Shift(start, old_end, delta)

    # Syntax problems and comments: keep those outside the entry (shifted), take the entry's anew.
    problems: list[SyntaxProblem] = []
    problems_after: list[SyntaxProblem] = []
    for problem in base.document.problems:
        if problem.end <= item.start:
            problems.append(problem)
        elif problem.start >= item.end:
            problems_after.append(
                SyntaxProblem(
                    problem.kind,
                    problem.message,
                    problem.start + delta,
                    problem.end + delta,
                    problem.fix,
                    problem.pointer,
                )
            )
        elif not _inside(problem.start, problem.end, item.start, item.end):
            return None
    problems += fragment.problems + problems_after
    comments: list[Comment] = []
    comments_after: list[Comment] = []
    for comment in base.document.comments:
        if comment.end <= item.start:
            comments.append(comment)
        elif comment.start >= item.end:
            comments_after.append(Comment(comment.start + delta, comment.end + delta, comment.text))
        elif not _inside(comment.start, comment.end, item.start, item.end):
            return None
    comments += fragment.comments + comments_after

    # What the entry's findings were when linted on its own, to tell which of its current
    # findings come from rules that compare it with other entries.
    if base.isolated is not None and base.isolated[:2] == (item.start, item.end):
        alone_before = base.isolated[2]
    else:
        old_alone = lint_text(
            old_text,
            base.kind,
            setup.info,
            setup.options,
            _isolated_document(root, models, array, item, base.document),
        )
        alone_before = frozenset(
            _key(f) for f in old_alone.findings if _inside(f.start, f.end, item.start, item.end)
        )

    # Splice the new entry into the tree and move everything after it.
    items[index] = node
    for later in items[index + 1 :]:
        _shift_tree(later, delta)
    array.end += delta
    root.end += delta
    seen_models = False
    for member in root.members:
        if member is models:
            seen_models = True
        elif seen_models and member.key_start >= item.end:
            member.key_start += delta
            member.key_end += delta
            if member.value is not None:
                _shift_tree(member.value, delta)
    document = Document(root, problems, comments)

    alone = lint_text(
        text,
        base.kind,
        setup.info,
        setup.options,
        _isolated_document(root, models, array, node, document),
    )
    pairs: list[tuple[Finding, Severity]] = []
    for finding, severity in zip(base.findings, base.severities, strict=True):
        # Inside the entry keep only what the isolated lint cannot see (findings that compare
        # entries), and only where the edit left them alone.
        if _inside(finding.start, finding.end, item.start, item.end) and (
            _key(finding) in alone_before
            or shift.touches(finding.start, finding.end, adjacent=True)
        ):
            continue
        pairs.append((shift.finding(finding), severity))
    fresh_keys: set[FindingKey] = set()
    for finding, severity in zip(alone.findings, alone.severities, strict=True):
        if _inside(finding.start, finding.end, node.start, node.end):
            pairs.append((finding, severity))
            fresh_keys.add(_key(finding))
    pairs.sort(key=lambda pair: (pair[0].start, pair[0].end, pair[0].code))
    return Analysis(
        text,
        version,
        document,
        base.kind,
        None,
        [f for f, _ in pairs],
        [s for _, s in pairs],
        exact=False,
        isolated=(node.start, node.end, frozenset(fresh_keys)),
    )
