"""Applying fix edits to text, and writing files back atomically."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from factory_lint.findings import Edit, Finding
from factory_lint.records import ValueRecord

#: Each pass applies non-overlapping fixes; later passes pick up fixes that overlapped.
MAX_PASSES = 10


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (they must not overlap; callers ensure it)."""
    pieces = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.text)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def select_edits(findings: Iterable[Finding], unsafe: bool) -> tuple[list[Edit], int]:
    """The edits of every applicable fix that does not overlap an earlier one."""
    chosen: list[Edit] = []
    applied = 0
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        fix = finding.fix
        if fix is None or (not fix.safe and not unsafe):
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_overlaps(span, other) for span in spans for other in taken):
            continue
        chosen.extend(fix.edits)
        taken.extend(spans)
        applied += 1
    return chosen, applied


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a == b:
        return True
    return (a[0] < b[1] and b[0] < a[1]) or (a[0] == a[1] == b[0]) or (b[0] == b[1] == a[0])


class FixOutcome(ValueRecord):
    __slots__ = ("applied", "refused", "text")
    __match_args__ = ("text", "applied", "refused")

    text: str
    applied: int
    #: Why the fixed text must not be written, if it must not.
    refused: str | None

    def __init__(self, text: str, applied: int, refused: str | None = None) -> None:
        self.text = text
        self.applied = applied
        self.refused = refused


def fix_text(text: str, lint: Callable[[str], list[Finding]], unsafe: bool) -> FixOutcome:
    """Apply fixes repeatedly until none is left; ``lint`` re-lints the current text."""
    current = text
    applied = 0
    for _ in range(MAX_PASSES):
        edits, count = select_edits(lint(current), unsafe)
        if not edits:
            break
        current = apply_edits(current, edits)
        applied += count
    return FixOutcome(current, applied)


def write_atomically(path: Path, text: str, original: bytes, bom: bool = False) -> None:
    """Replace ``path``'s content with ``text`` (UTF-8), keeping its mode and symlinks.

    Raises ``FileChangedError`` when the file no longer holds ``original`` (changed on disk).
    """
    target = path.resolve()
    with open(target, "rb") as handle:
        if handle.read() != original:
            raise FileChangedError(f"{path}: changed on disk since it was read; not rewritten")
    info = os.stat(target)
    mode = info.st_mode & 0o7777
    data = text.encode("utf-8", "surrogatepass")
    import tempfile  # only when a file is written

    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner(temporary, info)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _keep_owner(temporary: str, original: os.stat_result) -> None:
    """Give the new file the old one's owner and group when allowed (as root: always).

    Without this, `sudo factory-lint --fix` on a user's 0600 settings file would hand it to
    root and lock the user out of it.
    """
    chown = getattr(os, "chown", None)
    if chown is None:  # Windows
        return
    current = os.stat(temporary)
    if (current.st_uid, current.st_gid) == (original.st_uid, original.st_gid):
        return
    try:
        chown(temporary, original.st_uid, original.st_gid)
    except OSError:
        with contextlib.suppress(OSError):  # not root: keep the group, if we are a member
            chown(temporary, -1, original.st_gid)


class FileChangedError(Exception):
    pass
