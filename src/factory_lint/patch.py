"""``--diff``: unified diffs that ``git apply`` and ``patch`` accept, and that never show a secret.

Lines are split on ``\\n`` only (a U+2028 or form feed inside a string is not a line break for
``patch``), a last line without a newline gets ``\\ No newline at end of file``, and ``\\r`` stays
part of its line. A change whose removed or added lines hold a secret (of the text before or
after the fixes, found by :func:`factory_lint.redaction.find_secrets`) is not shown, and
:class:`FileDiff` lists it so that the caller says so; context never extends over a line that
holds a secret. So every diff printed applies, and shows no secret.
"""

from __future__ import annotations

import difflib
import os

from factory_lint.redaction import Secrets, find_secrets, mask_text, redact


class FileDiff:
    """The diff of one file, and the changes not shown (1-based lines of the original text)."""

    __slots__ = ("text", "withheld")

    def __init__(self, text: str, withheld: list[int]) -> None:
        self.text = text
        self.withheld = withheld


def _lines(text: str) -> tuple[list[str], list[int]]:
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    starts = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    return lines, starts


def _range(start: int, length: int) -> str:
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _masked_line(line: str, start: int, source: str, secrets: Secrets, values: list[str]) -> str:
    """``line`` (at ``start`` in ``source``) with its secret spans and ``values`` masked."""
    end = start + len(line)
    if secrets.touches(start, end):
        pieces = []
        cursor = start
        for span_start, span_end in secrets.spans:
            if span_end <= start or span_start >= end:
                continue
            pieces.append(source[cursor:span_start] if span_start > cursor else "")
            pieces.append(redact(source[span_start:span_end]))
            cursor = max(cursor, min(span_end, end))
        pieces.append(source[cursor:end])
        line = "".join(pieces)
    return mask_text(line, values)


def display_path(path: str) -> str:
    """A path as a diff header shows it: relative to the working folder when it is inside it."""
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive (Windows)
            return path
        if not relative.startswith(".."):
            return relative
    return path


_CONTEXT, _CHANGE, _TRAIL = 0, 1, 2


class _Side:
    """One text of the diff: its lines, where they start, and which hold a secret."""

    def __init__(self, text: str, values: list[str] | None = None) -> None:
        self.text = text
        self.lines, self.starts = _lines(text)
        self.secrets = find_secrets(text)
        self.values: list[str] = values or []
        self._secret: dict[int, bool] = {}

    def holds_secret(self, index: int) -> bool:
        known = self._secret.get(index)
        if known is None:
            line = self.lines[index]
            masked = _masked_line(line, self.starts[index], self.text, self.secrets, self.values)
            known = self._secret[index] = masked != line
        return known


def unified_diff(path: str, before: str, after: str, context: int = 3) -> FileDiff:
    """The unified diff of ``before`` -> ``after`` for ``path``, without its secret changes."""
    from factory_lint.report import safe_text

    old, new = _Side(before), _Side(after)
    values = sorted(set(old.secrets.values) | set(new.secrets.values), key=len, reverse=True)
    old.values = new.values = values
    matcher = difflib.SequenceMatcher(None, old.lines, new.lines, autojunk=False)
    changes: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            # line for line: each pair is its own change (one may hold a secret, the next not)
            changes.extend((i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1))
        elif tag != "equal":
            changes.append((i1, i2, j1, j2))
    shown: list[tuple[int, int, int, int]] = []
    withheld: list[int] = []
    for i1, i2, j1, j2 in changes:
        if any(old.holds_secret(i) for i in range(i1, i2)) or any(
            new.holds_secret(j) for j in range(j1, j2)
        ):
            withheld.append(i1 + 1)
        else:
            shown.append((i1, i2, j1, j2))
    hunks = _hunks(shown, old, context, withheld)
    out: list[str] = []
    delta = 0
    for items in hunks:
        old_first = items[0][1]
        old_count = new_count = 0
        body: list[str] = []
        for item in items:
            if item[0] == _CONTEXT:
                _emit(body, " ", old.lines[item[1]])
                old_count += 1
                new_count += 1
            else:
                _, i1, i2, j1, j2 = item
                for i in range(i1, i2):
                    _emit(body, "-", old.lines[i])
                for j in range(j1, j2):
                    _emit(body, "+", new.lines[j])
                old_count += i2 - i1
                new_count += j2 - j1
        new_first = old_first + delta
        out.append(f"@@ -{_range(old_first, old_count)} +{_range(new_first, new_count)} @@\n")
        out.extend(body)
        delta += new_count - old_count
    withheld.sort()
    if not out:
        return FileDiff("", withheld)
    shown_path = safe_text(display_path(path))
    return FileDiff("".join([f"--- a/{shown_path}\n", f"+++ b/{shown_path}\n", *out]), withheld)


def _emit(body: list[str], mark: str, line: str) -> None:
    body.append(mark + line)
    if not line.endswith("\n"):
        body.append("\n\\ No newline at end of file\n")


def _context(
    old: _Side, shown: list[tuple[int, int, int, int]], index: int, context: int
) -> tuple[int, int]:
    """How many lines of context the change ``shown[index]`` can have before and after it:
    up to ``context``, never a line that holds a secret or belongs to another shown change."""
    i1, i2 = shown[index][0], shown[index][1]
    floor = shown[index - 1][1] if index else 0
    ceiling = shown[index + 1][0] if index + 1 < len(shown) else len(old.lines)
    lead = 0
    while lead < context and i1 - lead - 1 >= floor and not old.holds_secret(i1 - lead - 1):
        lead += 1
    trail = 0
    while trail < context and i2 + trail < ceiling and not old.holds_secret(i2 + trail):
        trail += 1
    return lead, trail


def _hunks(
    shown: list[tuple[int, int, int, int]], old: _Side, context: int, withheld: list[int]
) -> list[list[tuple[int, ...]]]:
    """Group the changes to show into hunks with up to ``context`` lines around them, never a
    line that holds a secret. A change that cannot get a line of context on a side (other than
    at the start or end of the file, or next to another change shown) is withheld too:
    ``git apply`` and ``patch`` would place it wrong."""
    total = len(old.lines)
    settled = False
    while not settled:
        settled = True
        for index, (i1, i2, _j1, _j2) in enumerate(shown):
            lead, trail = _context(old, shown, index, context)
            joined_before = index > 0 and shown[index - 1][1] == i1
            joined_after = index + 1 < len(shown) and shown[index + 1][0] == i2
            if (lead == 0 and i1 > 0 and not joined_before) or (
                trail == 0 and i2 < total and not joined_after
            ):
                withheld.append(i1 + 1)
                del shown[index]
                settled = False
                break
    hunks: list[list[tuple[int, ...]]] = []
    current: list[tuple[int, ...]] = []
    current_end = -1  # old line after the current hunk's last change
    for index, (i1, i2, j1, j2) in enumerate(shown):
        lead, trail = _context(old, shown, index, context)
        gap = range(current_end, i1)
        if current and len(gap) <= 2 * context and not any(old.holds_secret(i) for i in gap):
            current.extend((_CONTEXT, i) for i in gap)
        else:
            if current:
                hunks.append(current)
            current = [(_CONTEXT, i) for i in range(i1 - lead, i1)]
        current.append((_CHANGE, i1, i2, j1, j2))
        # Trailing context is added when the hunk closes (the next change may merge into it).
        current_end = i2
        current.append((_TRAIL, trail))
    if current:
        hunks.append(current)
    return [_close(hunk, total) for hunk in hunks]


def _close(hunk: list[tuple[int, ...]], total: int) -> list[tuple[int, ...]]:
    """Replace the markers of trailing context (only the last change's trail is kept), and
    make the context even on both sides except at the start or end of the file: ``patch``
    takes a hunk with less leading than trailing context to belong at the start."""
    items: list[tuple[int, ...]] = []
    last_change_end = 0
    trail = 0
    for item in hunk:
        if item[0] == _TRAIL:
            trail = item[1]
            continue
        items.append(item)
        if item[0] == _CHANGE:
            last_change_end = item[2]
    lead = 0
    while lead < len(items) and items[lead][0] == _CONTEXT:
        lead += 1
    at_start = items[0][1] == 0  # a context line or a change, both start at old line [1]
    at_end = last_change_end + trail >= total
    if not at_start and not at_end:
        even = min(lead, trail)
        items = items[lead - even :]
        trail = even
    elif at_start and not at_end and lead > trail:
        items = items[lead - trail :]
    elif at_end and not at_start and trail > lead:
        trail = lead
    items.extend((_CONTEXT, i) for i in range(last_change_end, last_change_end + trail))
    return items
