"""Applying fix edits to text, and writing files back atomically."""

from __future__ import annotations

import contextlib
import os
import stat
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
    """Replace ``path``'s content with ``text`` (UTF-8), keeping its mode, owner and symlinks.

    Everything that can be done before the rename is done first (the new content written to a
    temporary file in the same folder and fsynced, its mode and owner set); the file is then
    read again and compared with ``original`` (and with the file identity seen first)
    immediately before the rename, so a change made by another program while the fix was
    prepared is never overwritten. What remains is the window between that last read and the
    rename (one ``read``, one comparison and one ``rename`` system call); see
    docs/reliability.md.

    Raises ``FileChangedError`` when the file no longer holds ``original`` or is no longer a
    regular file, and ``FixRefusedError`` when rewriting it would change who may read or write
    it (a read-only file, another user's file). Never opens a FIFO or device for reading
    without ``O_NONBLOCK``, so a file swapped for one cannot make it hang.
    """
    import tempfile  # only when a file is written; before the checks, not between them

    target = path.resolve()
    info, content = _read_regular(path, target)
    if content != original:
        raise FileChangedError(f"{path}: changed on disk since it was read; not rewritten")
    _refuse_unsafe(path, info)
    mode = info.st_mode & 0o7777
    data = text.encode("utf-8", "surrogatepass")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner(path, temporary, info)
        os.chmod(temporary, mode)
        # The last check, immediately before the rename: same file, same content.
        now, content = _read_regular(path, target)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or content != original:
            raise FileChangedError(f"{path}: changed on disk since it was read; not rewritten")
        os.replace(temporary, target)
    except BaseException:
        if os.path.lexists(temporary):
            os.unlink(temporary)
        raise


def _read_regular(path: Path, target: Path) -> tuple[os.stat_result, bytes]:
    """The status and content of ``target``, which must still be a regular file.

    ``stat`` before opening (a FIFO or device is never opened), then ``O_NONBLOCK`` and
    ``fstat`` on the open descriptor for one swapped in between the two calls."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise FileChangedError(f"{path}: was removed since it was read; not rewritten") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileChangedError(f"{path}: is no longer a regular file; not rewritten")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    handle = os.open(target, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise FileChangedError(f"{path}: is no longer a regular file; not rewritten")
        parts = []
        left = info.st_size + 1  # one more byte tells a file that grew
        while left > 0:
            part = os.read(handle, min(left, 1 << 20))
            if not part:
                break
            parts.append(part)
            left -= len(part)
        return info, b"".join(parts)
    finally:
        os.close(handle)


def _refuse_unsafe(path: Path, info: os.stat_result) -> None:
    """Refuse files whose rewrite would change who may read or write them."""
    if not info.st_mode & stat.S_IWUSR:
        raise FixRefusedError(
            f"{path}: not rewritten: the file is read-only (mode {stat.S_IMODE(info.st_mode):04o}); "
            "make it writable (chmod u+w) to apply the fixes"
        )
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and geteuid() not in (0, info.st_uid):
        raise FixRefusedError(
            f"{path}: not rewritten: the file belongs to user {info.st_uid} and factory-lint "
            f"runs as user {geteuid()}, so the fixed file would change owner; run the fix as "
            "its owner"
        )


def _keep_owner(path: Path, temporary: str, original: os.stat_result) -> None:
    """Give the new file the old one's owner and group (as root: always); refuse the write when
    they cannot be kept and it matters (another group would get the group's permissions).

    Without this, `sudo factory-lint --fix` on a user's 0600 settings file would hand it to
    root and lock the user out of it.
    """
    chown = getattr(os, "chown", None)
    if chown is None:  # Windows
        return
    current = os.stat(temporary)
    if (current.st_uid, current.st_gid) == (original.st_uid, original.st_gid):
        return
    with contextlib.suppress(OSError):
        chown(temporary, original.st_uid, original.st_gid)
    current = os.stat(temporary)
    if current.st_uid == original.st_uid and not original.st_mode & 0o070:
        return  # only the group differs, and the mode gives the group nothing
    if (current.st_uid, current.st_gid) != (original.st_uid, original.st_gid):
        raise FixRefusedError(
            f"{path}: not rewritten: its owner and group ({original.st_uid}:{original.st_gid}) "
            "could not be kept on the fixed file; run the fix as its owner"
        )


class FixRefusedError(Exception):
    """Rewriting the file would change who may read or write it."""


class FileChangedError(Exception):
    pass
