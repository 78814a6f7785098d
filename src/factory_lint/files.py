"""Reading files safely and finding the ones Droid reads."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from factory_lint.context import FileInfo, RelatedFile, Scope
from factory_lint.jsonc import SyntaxProblem
from factory_lint.kinds import MARKDOWN_KINDS, base_name_of, in_factory_dir, kind_from_path
from factory_lint.records import ValueRecord

#: Files larger than this are refused: no Droid file comes close, and it bounds memory.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Files with more values than this are refused before they are parsed: each value costs
#: about 0.8 KB of memory at the peak and tens of microseconds, so 10 MB of numbers (1.4
#: million values) reached gigabytes. A large real settings file holds a few thousand.
MAX_VALUES = 250_000
#: The custom-model files of a Droid folder.
DROID_FILES = ("settings.json", "settings.local.json", "config.json")
#: The JSON files of a Droid folder whose text another file's rules may need (the custom-model
#: files, mcp.json, hooks.json); :data:`LEGACY_HOOKS` is the role of ``hooks/hooks.json``.
RELATED_FILES = (*DROID_FILES, "mcp.json", "hooks.json")
LEGACY_HOOKS = "hooks/hooks.json"


def __getattr__(name: str) -> Any:
    # ``subprocess`` is imported only when git is asked (``files.subprocess`` still works).
    if name == "subprocess":
        import subprocess

        return subprocess
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class FileError(Exception):
    """A file that cannot be read at all (exit code 2), with a message for the user."""


class Loaded(ValueRecord):
    __slots__ = ("data", "mode", "problems", "text")
    __match_args__ = ("text", "data", "problems", "mode")

    text: str
    data: bytes
    problems: list[SyntaxProblem]
    mode: int | None

    def __init__(
        self, text: str, data: bytes, problems: list[SyntaxProblem], mode: int | None
    ) -> None:
        self.text = text
        self.data = data
        self.problems = problems
        self.mode = mode


def decode(data: bytes) -> tuple[str, list[SyntaxProblem]]:
    """Decode file bytes as Droid does (UTF-8), reporting anything that is not clean UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
        text = data.decode(codec, errors="replace").lstrip("\ufeff")
        return text, [
            SyntaxProblem(
                "invalid-encoding",
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); Droid reads UTF-8 "
                "and cannot parse it: re-save it as UTF-8",
                0,
                min(1, len(text)),
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        text = data.decode("utf-8", errors="replace")
        offset = len(data[: error.start].decode("utf-8", errors="replace"))
        bad = sum(1 for char in text if char == "\ufffd") - data.decode(
            "utf-8", errors="ignore"
        ).count("\ufffd")
        more = f" ({bad} invalid sequences in all)" if bad > 1 else ""
        return text, [
            SyntaxProblem(
                "invalid-encoding",
                f"byte 0x{data[error.start]:02X} at byte offset {error.start} is not valid UTF-8"
                f"{more}; Droid reads the file as UTF-8: re-save it as UTF-8",
                offset,
                offset + 1,
            )
        ]


def value_budget_error(name: str, data: bytes | str) -> str | None:
    """Why ``data`` is refused before parsing (too large, too many values), or None.

    Values are counted from the commas and opening brackets (every value but the first of a
    container follows a comma), a few milliseconds for megabytes; commas inside strings count
    too, which only matters for files far beyond any Droid file."""
    if len(data) > MAX_FILE_BYTES:
        return (
            f"{name}: {len(data)} bytes is larger than the {MAX_FILE_BYTES} bytes factory-lint "
            "reads; no Droid file is this big"
        )
    if len(data) // 2 < MAX_VALUES:
        return None  # each value takes at least two characters with its comma
    if isinstance(data, str):
        values = data.count(",") + data.count("[") + data.count("{")
    else:
        values = data.count(b",") + data.count(b"[") + data.count(b"{")
    if values <= MAX_VALUES:
        return None
    return (
        f"{name}: about {values:,} values (counted by their commas and brackets), more than the "
        f"{MAX_VALUES:,} factory-lint reads; no Droid file has this many"
    )


def read_file(path: Path) -> Loaded:
    """Read a regular file; raise :class:`FileError` with a clear reason otherwise."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileError(f"{path}: no such file") from None
    except OSError as error:
        raise FileError(f"{path}: cannot read: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileError(f"{path}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise FileError(f"{path}: not a regular file (a FIFO, socket or device); skipped")
    if info.st_size > MAX_FILE_BYTES:
        raise FileError(
            f"{path}: {info.st_size} bytes is larger than the {MAX_FILE_BYTES} bytes "
            "factory-lint reads; no Droid file is this big"
        )
    try:
        data = _read_bytes(path, info.st_size)
    except OSError as error:
        raise FileError(f"{path}: cannot read: {error.strerror or error}") from None
    refused = value_budget_error(str(path), data)
    if refused is not None:
        raise FileError(refused)
    text, problems = decode(data)
    return Loaded(text, data, problems, stat.S_IMODE(info.st_mode))


def _read_bytes(path: Path, size: int) -> bytes:
    """The file's bytes, up to MAX_FILE_BYTES + 1. Asking for the size found (plus one byte)
    instead of MAX_FILE_BYTES + 1 at once spares a 64 MB allocation per file; a file that grew
    meanwhile is read on, up to the same limit. (``os.read``, not ``open()``: a buffered file
    costs three more system calls, ~15 us a file on a VM.)"""
    # O_NONBLOCK: a FIFO swapped in since the ``stat`` reads as empty instead of blocking.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    handle = os.open(path, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        parts = []
        left = MAX_FILE_BYTES + 1
        want = min(size + 1, left)
        while left > 0:
            part = os.read(handle, want)
            if not part:
                break
            parts.append(part)
            left -= len(part)
            want = min(max(want, 1 << 16), left)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(handle)


def open_output(name: str) -> TextIO:
    """``--output-file``, opened for writing (created or truncated); :class:`FileError` naming
    it when it cannot be: a directory, a FIFO or socket nobody reads (opened with
    ``O_NONBLOCK``, so that never blocks), a missing folder, no permission. A FIFO with a
    reader, a terminal or ``/dev/null`` are written as usual."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(name, flags, 0o666)
    except OSError as error:
        if isinstance(error, IsADirectoryError) or os.path.isdir(name):
            reason = "it is a directory"
        elif error.errno == errno.ENXIO:
            reason = "it is a FIFO or socket that nothing reads"
        else:
            reason = error.strerror or str(error)
        raise FileError(f"{name}: cannot write the report: {reason}") from None
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)  # a FIFO with a reader: ordinary writes
        return open(descriptor, "w", encoding="utf-8")
    except BaseException:
        os.close(descriptor)
        raise


def factory_home() -> Path:
    """Droid's home: ``$FACTORY_HOME_OVERRIDE`` or ``$HOME`` (then ``~``), plus ``.factory``."""
    base = os.environ.get("FACTORY_HOME_OVERRIDE") or os.environ.get("HOME")
    base = base or os.environ.get("USERPROFILE") or str(Path.home())
    return Path(base) / ".factory"


def git_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a work tree), if any."""
    if _BATCH is not None and start.is_absolute():
        return _git_root_in_batch(_BATCH.git_roots, str(start))
    folder = start
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = folder.parent
        if parent == folder:
            return None
        folder = parent


def _git_root_in_batch(memo: dict[str, Path | None], start: str) -> Path | None:
    """:func:`git_root` of an absolute folder, walking up by strings (for an absolute path
    ``os.path.dirname`` is ``Path.parent``) and remembering the answer for every folder."""
    visited: list[str] = []
    found: Path | None = None
    folder = start
    while True:
        if folder in memo:
            found = memo[folder]
            break
        visited.append(folder)
        if os.path.exists(os.path.join(folder, ".git")):
            found = Path(folder)
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for folder in visited:
        memo[folder] = found
    return found


class _Batch:
    """Facts about folders that cannot change while one command-line run lints its files."""

    def __init__(self) -> None:
        # Keyed by the folders' strings: hashing a new Path object costs more than the lookup.
        self.git_roots: dict[str, Path | None] = {}
        self.resolved: dict[str, Path] = {}
        self.places: dict[str, tuple[bool, Path | None]] = {}
        self.listings: dict[str, list[tuple[str, str, Path]]] = {}
        self.user_files: list[tuple[str, Path]] | None = None
        self.home: Path | None = None
        #: folder as given (``os.path.dirname`` of the file's path) -> its facts
        self.folders: dict[str, _Folder] = {}
        #: paths whose git-ignore status is fetched together on the first question
        self.unasked: list[str | Path] = []
        #: ~/.factory files found missing (see :func:`_user_text`)
        self.absent: set[str] = set()


_BATCH: _Batch | None = None


def begin_batch() -> None:
    """Remember git roots and resolved folders until :func:`end_batch` (the command line lints
    many files in a few folders; the language server, which runs for long, does not do this)."""
    global _BATCH
    _BATCH = _Batch()


def end_batch() -> None:
    global _BATCH
    _BATCH = None


def _resolve_file(path: Path) -> Path:
    """``path.resolve()`` for a file that exists, else ``path.absolute()``; with a batch, a file
    that is not a symlink is resolved through its folder's remembered resolution."""
    mode = None
    if _BATCH is not None and path.name not in ("", ".", ".."):
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError):
            mode = None
    if mode is None or stat.S_ISLNK(mode):
        return path.resolve() if path.exists() else path.absolute()
    return resolved_folder(path.parent) / path.name


def resolved_folder(folder: Path) -> Path:
    """``folder.resolve()``, remembered during a batch.

    In a batch a folder that is not a symlink resolves to its parent's resolution plus its
    name (one ``lstat`` instead of one per component: many files in sibling folders share
    their parents)."""
    if _BATCH is None:
        return folder.resolve()
    memo = _BATCH.resolved
    resolved = memo.get(str(folder))
    if resolved is not None:
        return resolved
    pending: list[Path] = []  # folders below the first one resolved, innermost first
    current = folder
    while True:
        resolved = memo.get(str(current))
        if resolved is not None:
            break
        parent = current.parent
        if current.name in ("", ".", "..") or parent == current or _is_link_or_missing(current):
            resolved = memo[str(current)] = current.resolve()
            break
        pending.append(current)
        current = parent
    for below in reversed(pending):
        resolved = memo[str(below)] = resolved / below.name
    return resolved


def _is_link_or_missing(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return True


def discover(cwd: Path) -> Iterator[Path]:
    """Every file Droid reads for ``cwd`` (droid-surface.md §1), user level first: the files of
    ``~/.factory`` (and the skills, commands and AGENTS.md of ``~/.agents``, ``~/.agent``), then
    for each folder from cwd up to the git root its instruction files (AGENTS.md, CLAUDE.md) and
    the files of its ``.factory/``, ``.agents/`` and ``.agent/``. Files Droid skips though the
    user meant it to read them (``skill.md``, a nested droid) are included: their rules say so.
    """
    home = factory_home()
    seen: set[str] = set()
    try:
        resolved_home = home.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        resolved_home = home
    for folder in (home, home.parent / ".agents", home.parent / ".agent"):
        yield from _unseen(droid_files_of_folder(folder), seen)
    yield from _unseen(_instruction_files(home.parent), seen)
    root = git_root(cwd)
    folders = [cwd]
    if root is not None:
        folders = [cwd, *[p for p in cwd.parents if root in (p, *p.parents)]]
    for folder in folders:
        yield from _unseen(_instruction_files(folder), seen)
        for name in (".factory", ".agents", ".agent"):
            factory = folder / name
            try:
                if not factory.is_dir() or factory.resolve() == resolved_home:
                    continue
            except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
                continue
            yield from _unseen(droid_files_of_folder(factory), seen)
        yield from _unseen(_claude_skills(folder), seen)


def _claude_skills(folder: Path) -> list[Path]:
    """The skills of Claude Code's ``.claude/skills/`` in a folder that also has a ``.factory``
    folder (Droid is used there but never reads them; a SKILL rule says so)."""
    skills = folder / ".claude" / "skills"
    try:
        if not (folder / ".factory").is_dir() or not skills.is_dir():
            return []
        names = sorted(os.listdir(skills))
    except (OSError, ValueError):
        return []
    found = []
    for name in names[:MAX_WALK_FILES]:
        skill = skills / name / "SKILL.md"
        if os.path.isfile(skill):
            found.append(skill)
    return found


def _unseen(paths: Iterable[Path], seen: set[str]) -> Iterator[Path]:
    for path in paths:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            yield path


#: Sub-folders of a Droid folder that hold Markdown files of a kind (walked recursively).
MARKDOWN_FOLDERS = ("droids", "skills", "commands", "output-styles")
#: Bounds of the walk below a Droid folder: no real one comes close.
MAX_WALK_DEPTH = 8
MAX_WALK_FILES = 2000


def droid_files_of_folder(folder: Path) -> list[Path]:
    """The files of one Droid folder (a ``.factory``, ``.agents`` or ``.agent`` folder, or a
    dotfile layout's) that have a kind (:func:`~factory_lint.kinds.kind_from_path`): its JSON
    files, the legacy ``hooks/hooks.json`` and AGENTS.md, and the Markdown files below
    ``droids/``, ``skills/``, ``commands/`` and ``output-styles/`` (hidden folders and
    ``node_modules`` are not entered). Sorted by path within each part; empty when ``folder``
    is not a readable folder."""
    from factory_lint.kinds import kind_from_path

    try:
        names = sorted(os.listdir(folder))
    except (OSError, ValueError):
        return []
    found: list[Path] = []
    for name in names:
        path = folder / name
        if base_name_of(name) in MARKDOWN_FOLDERS:
            continue
        if kind_from_path(path) is not None and os.path.isfile(path):
            found.append(path)
    if "hooks" in names and "hooks.json" not in names:
        nested = folder / "hooks" / "hooks.json"
        if os.path.isfile(nested):
            found.append(nested)
    budget = [MAX_WALK_FILES]
    for name in names:
        if base_name_of(name) in MARKDOWN_FOLDERS:
            found.extend(_walk(folder / name, 1, budget, kind_from_path))
    return found


def _walk(
    folder: Path, depth: int, budget: list[int], kind_of: Callable[[Path], object]
) -> Iterator[Path]:
    if depth > MAX_WALK_DEPTH:
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (OSError, ValueError):
        return
    for entry in entries:
        if budget[0] <= 0:
            return
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        path = Path(entry.path)
        if is_dir:
            if not entry.name.startswith(".") and entry.name != "node_modules":
                yield from _walk(path, depth + 1, budget, kind_of)
        elif is_file:
            budget[0] -= 1
            if kind_of(path) is not None:
                yield path


def _instruction_files(folder: Path) -> list[Path]:
    """The AGENTS.md-like files directly in ``folder`` (any case of the names Droid loads)."""
    from factory_lint.kinds import AGENTS_MD_NAMES

    try:
        names = sorted(os.listdir(folder))
    except (OSError, ValueError):
        return []
    return [
        folder / name
        for name in names
        if name.lower() in AGENTS_MD_NAMES and os.path.isfile(folder / name)
    ]


#: Folders a directory walk never enters: version control, dependencies, caches.
SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".cache"}
)
#: Hidden folders a directory walk does enter (other hidden folders are skipped).
WALKED_HIDDEN_FOLDERS = frozenset({".factory", ".agents", ".agent"})


def droid_files_in(directory: Path) -> list[Path]:
    """The Droid files under ``directory``, sorted: every file whose path says which kind of
    Droid file it is (:func:`~factory_lint.kinds.kind_from_path`: ``.factory/settings.json``,
    ``dot_factory/private_config.json``, …). Symlinked folders are not followed (the walk
    ends); version control, dependency and cache folders and hidden folders other than
    ``.factory``, ``.agents`` and ``.agent`` are skipped (``directory`` itself is always walked)."""
    from factory_lint.kinds import kind_from_path

    found: list[Path] = []
    for folder, subfolders, names in os.walk(directory):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if name not in SKIPPED_FOLDERS
            and (not name.startswith(".") or name in WALKED_HIDDEN_FOLDERS)
        )
        base = Path(folder)
        found.extend(
            base / name for name in sorted(names) if kind_from_path(base / name) is not None
        )
    return found


def file_info(
    path: Path, mode: int | None, pre_commit: bool = False, has_secrets: bool = False
) -> FileInfo:
    """Where a file lives, whether it is (or will be) committed, and its neighbours.

    ``has_secrets``: the file holds something credential-shaped. Only then is git asked
    whether the file is ignored (one ``git check-ignore`` per such file), so that a git-ignored
    ``settings.local.json`` counts as not committed while linting stays fast for many files.
    """
    if _BATCH is not None:
        info = _file_info_in_batch(_BATCH, path, mode, pre_commit, has_secrets)
        if info is not None:
            return info
    resolved = _resolve_file(path)
    level = _level_folder(resolved)
    in_home, repo = _place(level)
    scope, committed = _scope(in_home, repo, level)
    if committed and repo is not None and has_secrets and not pre_commit:
        committed = not is_git_ignored(resolved, repo)
    related: tuple[RelatedFile, ...] = ()
    if level != resolved.parent:
        related = _related(level, LEGACY_HOOKS, scope, in_home)
    elif in_home or in_factory_dir(path):
        related = related_files(resolved, scope, in_home)
    siblings = markdown_siblings(resolved, scope, in_home)
    return FileInfo(
        str(path), scope, committed or pre_commit, mode, related + siblings, _link_outside(path)
    )


#: Roles of :func:`markdown_siblings`' related files (the Markdown kind of each).
SIBLING_ROLES = frozenset({"droid", "skill", "command", "agents-md"})
#: Folders below a level that hold several files of one kind, and the levels they live in.
_SIBLING_HOMES = {
    "droids": frozenset({".factory", "dot_factory", "private_dot_factory"}),
    "skills": frozenset({".factory", "dot_factory", "private_dot_factory", ".agents", ".agent"}),
    "commands": frozenset({".factory", "dot_factory", "private_dot_factory", ".agents", ".agent"}),
}
_ROLE_OF = {"droids": "droid", "skills": "skill", "commands": "command"}
#: Bounds on what one sibling listing reads.
_SIBLING_FILES = 200
_SIBLING_DEPTH = 6


def markdown_siblings(resolved: Path, scope: Scope, in_home: bool) -> tuple[RelatedFile, ...]:
    """The other files of the same Markdown kind that Droid reads at the same level (all
    droids, skills or commands of the level; the other instruction files of an AGENTS.md's
    folder) and, for a project droid, the user's droids: name collisions are decided there."""
    if resolved.name.lower() in ("agents.md", "claude.md"):
        try:
            entries = sorted(os.listdir(resolved.parent))
        except OSError:
            return ()
        found = []
        for entry in entries:
            if entry.lower() in ("agents.md", "claude.md") and entry != resolved.name:
                text = _cached_text(resolved.parent / entry)
                if text is not None:
                    found.append(RelatedFile(str(resolved.parent / entry), "agents-md", text))
        return tuple(found)
    for depth, folder in enumerate(resolved.parents):
        if depth > _SIBLING_DEPTH:
            return ()
        homes = _SIBLING_HOMES.get(folder.name)
        if homes is not None and folder.parent.name in homes:
            role = _ROLE_OF[folder.name]
            found = [
                RelatedFile(str(other), role, text, "folder")
                for other, text in _kind_files(folder, role)
                if other != resolved
            ]
            if role == "droid" and scope == "project" and not in_home:
                found += [
                    RelatedFile(str(other), role, text, "user")
                    for other, text in _kind_files(factory_home() / "droids", role)
                    if other != resolved
                ]
            return tuple(found)
    return ()


def _kind_files(folder: Path, role: str) -> list[tuple[Path, str]]:
    """The files of ``folder`` Droid reads as ``role`` (droids: ``*.md`` at the top; skills:
    every ``SKILL.md`` below; commands: every file below), bounded in depth and number."""
    found: list[tuple[Path, str]] = []
    stack = [(folder, 0)]
    while stack and len(found) < _SIBLING_FILES:
        current, depth = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if role != "droid" and depth < _SIBLING_DEPTH and not entry.name.startswith("."):
                    stack.append((path, depth + 1))
                continue
            if role == "droid":
                wanted = entry.name.endswith(".md")
            else:
                wanted = entry.name == "SKILL.md" if role == "skill" else True
            if wanted:
                text = _cached_text(path)
                if text is not None:
                    found.append((path, text))
    return found


def _level_folder(resolved: Path) -> Path:
    """The Droid folder a file belongs to: its own folder; for the legacy
    ``.factory/hooks/hooks.json`` and for droids, skills, commands and output styles, the
    ``.factory`` folder above."""
    parent = resolved.parent
    if resolved.name == "hooks.json" and parent.name == "hooks" and in_factory_dir(parent):
        return parent.parent
    markdown = markdown_level(resolved)
    return markdown if markdown is not None else parent


def markdown_level(path: Path) -> Path | None:
    """The ``.factory`` folder of a file below its ``droids/``, ``skills/``, ``commands/`` or
    ``output-styles/`` (a few levels deep at most), or None."""
    for depth, folder in enumerate(path.parents):
        if depth > 8:
            break
        if folder.name in MARKDOWN_FOLDERS and in_factory_dir(folder):
            return folder.parent
    return None


def _link_outside(path: Path) -> str | None:
    """For an instruction file (AGENTS.md, CLAUDE.md) that is a symbolic link: the real path
    when it lies outside the link's folder (Droid skips those), else None."""
    if path.name.lower() not in ("agents.md", "claude.md"):
        return None
    try:
        if not path.is_symlink():
            return None
        target = os.path.realpath(path)
        folder = os.path.realpath(path.parent)
    except (OSError, ValueError, RuntimeError):
        return None
    inside = os.path.dirname(target) == folder or target.startswith(folder + os.sep)
    return None if inside else target


def _scope(in_home: bool, repo: Path | None, folder: Path) -> tuple[Scope, bool]:
    """The scope of a file in the resolved ``folder``, and whether it counts as committed
    (before asking git whether it is ignored)."""
    if in_home:
        return "user", repo is not None
    if repo is not None or folder.name == ".factory":
        return "project", True
    return "unknown", False


class _Folder:
    """What :func:`file_info` needs to know about the folder a file is in (as given)."""

    __slots__ = ("committed", "in_factory", "in_home", "listing", "repo", "resolved", "scope")

    def __init__(self, child: Path) -> None:
        self.resolved = resolved_folder(child.parent)
        self.in_home, self.repo = _place(self.resolved)
        self.scope, self.committed = _scope(self.in_home, self.repo, self.resolved)
        self.in_factory = in_factory_dir(child)
        self.listing = _droid_files_in(self.resolved)


def _file_info_in_batch(
    batch: _Batch, path: Path, mode: int | None, pre_commit: bool, has_secrets: bool
) -> FileInfo | None:
    """:func:`file_info` from the remembered facts of the file's folder; None for a symlink
    (or a path that does not name a file), which the general code handles."""
    name = path.name
    if name in ("", ".", ".."):
        return None
    given = str(path)
    if name == "hooks.json" and path.parent.name == "hooks":
        return None  # the legacy hooks/hooks.json: its level is the folder above
    if markdown_level(path) is not None or kind_from_path(path) in MARKDOWN_KINDS:
        return None  # a droid, skill, command, style or AGENTS.md: levels, siblings, links
    try:
        if stat.S_ISLNK(os.lstat(given).st_mode):
            return None
    except (OSError, ValueError):
        return None
    key = os.path.dirname(given)
    folder = batch.folders.get(key)
    if folder is None:
        folder = batch.folders[key] = _Folder(path)
    committed = folder.committed
    repo = folder.repo
    if committed and repo is not None and has_secrets and not pre_commit:
        committed = not is_git_ignored(folder.resolved / name, repo)
    related = (
        _related(folder.resolved, name, folder.scope, folder.in_home)
        if folder.in_home or folder.in_factory
        else ()
    )
    return FileInfo(given, folder.scope, committed or pre_commit, mode, related)


def _place(folder: Path) -> tuple[bool, Path | None]:
    """Whether the resolved ``folder`` is Droid's home, and its git work tree (remembered
    during a batch)."""
    if _BATCH is not None:
        known = _BATCH.places.get(str(folder))
        if known is not None:
            return known
        if _BATCH.home is None:
            _BATCH.home = factory_home()
        home = _BATCH.home
    else:
        home = factory_home()
    try:
        in_home = folder == resolved_folder(home)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        in_home = False
    place = (in_home, git_root(folder))
    if _BATCH is not None:
        _BATCH.places[str(folder)] = place
    return place


#: path → ignored by git, filled by :func:`prefetch_git_ignored` (one git call per repository).
_IGNORED: dict[Path, bool] = {}


def is_git_ignored(path: Path, repo: Path) -> bool:
    """True when git ignores ``path`` (untracked and matched by .gitignore); False when it is
    tracked, not ignored, or git cannot tell (no git, not a real repository)."""
    if path in _IGNORED:
        return _IGNORED[path]
    if _BATCH is not None and _BATCH.unasked:
        # The first question of a batch asks git about every file of the batch at once.
        unasked, _BATCH.unasked = _BATCH.unasked, []
        prefetch_git_ignored(unasked)
        if path in _IGNORED:
            return _IGNORED[path]
    _IGNORED.update(_check_ignore(repo, [path]))
    return _IGNORED.get(path, False)


def defer_git_prefetch(paths: Iterable[str | Path]) -> None:
    """:func:`prefetch_git_ignored` for the paths of the current batch, done only when a file
    first needs git's answer (most runs lint no literal key in a git work tree; the paths stay
    strings until then: making 1,000 Path objects cost ~6 ms before the workers started)."""
    if _BATCH is None:
        prefetch_git_ignored(paths)
    else:
        _BATCH.unasked.extend(paths)


def prefetch_git_ignored(paths: Iterable[str | Path]) -> None:
    """Ask git once per repository which of ``paths`` it ignores, so that linting many files
    costs one ``git check-ignore`` per repository instead of one per file."""
    by_repo: dict[Path, list[Path]] = {}
    for path in paths:
        try:
            resolved = _resolve_file(Path(path))
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
            continue
        repo = git_root(resolved.parent)
        if repo is not None and resolved not in _IGNORED:
            by_repo.setdefault(repo, []).append(resolved)
    for repo, group in by_repo.items():
        _IGNORED.update(_check_ignore(repo, group))


def _check_ignore(repo: Path, paths: list[Path]) -> dict[Path, bool]:
    import subprocess

    try:
        result = subprocess.run(
            ["git", "-C", str(repo), "check-ignore", "--stdin", "-z"],
            input=b"".join(os.fsencode(p) + b"\0" for p in paths),
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode not in (0, 1):  # 128: not a repository, git too old, …
        return {}
    ignored = {os.fsdecode(item) for item in result.stdout.split(b"\0") if item}
    return {p: str(p) in ignored for p in paths}


#: Neighbours larger than this are not read: they are not Droid files.
MAX_RELATED_BYTES = 4 * 1024 * 1024
_TEXT_CACHE: dict[Path, tuple[tuple[int, int], str]] = {}


def _cached_text(path: Path) -> str | None:
    """A neighbour's text, read once per process while its size and mtime stay the same."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RELATED_BYTES:
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _TEXT_CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = decode(path.read_bytes())[0]
    except OSError:
        return None
    _TEXT_CACHE[path] = (stamp, text)
    return text


def related_files(resolved: Path, scope: Scope, in_home: bool) -> tuple[RelatedFile, ...]:
    """The Droid files whose custom models Droid merges with ``resolved``'s: the other
    settings.json / settings.local.json / config.json in its folder (chezmoi names included)
    and, for a project file, the user's ~/.factory files."""
    return _related(resolved.parent, resolved.name, scope, in_home)


def _related(folder: Path, own_name: str, scope: Scope, in_home: bool) -> tuple[RelatedFile, ...]:
    found: list[RelatedFile] = []
    for name, role, neighbour in _droid_files_in(folder):
        if name == own_name:
            continue
        text = _cached_text(neighbour)
        if text is not None:
            found.append(RelatedFile(str(neighbour), role, text, "folder"))
    if scope == "project" and not in_home:
        user_hooks = False
        for role, user_file in _user_files():
            if role == LEGACY_HOOKS and user_hooks:
                continue  # read only when the level has no hooks.json
            text = _user_text(user_file)
            if text is not None:
                user_hooks = user_hooks or role == "hooks.json"
                found.append(RelatedFile(str(user_file), role, text, "user"))
    return tuple(found)


def _user_text(path: Path) -> str | None:
    """:func:`_cached_text` of a ~/.factory file. In a batch, one that does not exist is not
    looked for again: it is asked for with every project file, and nothing a run does makes
    one (fixes only rewrite files that exist)."""
    batch = _BATCH
    if batch is None:
        return _cached_text(path)
    key = str(path)
    if key in batch.absent:
        return None
    text = _cached_text(path)
    if text is None and not os.path.lexists(key):
        batch.absent.add(key)
    return text


def _droid_files_in(folder: Path) -> list[tuple[str, str, Path]]:
    """(name, role, path) of the Droid files in ``folder``, by name (listed once per batch)."""
    if _BATCH is not None:
        known = _BATCH.listings.get(str(folder))
        if known is not None:
            return known
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        names = []
    listing = []
    for name in names:
        role = base_name_of(name)  # a listed name is a plain name: Path(name).name == name
        if role in RELATED_FILES:
            listing.append((name, role, folder / name))
    if "hooks" in names and "hooks.json" not in names:
        # Droid reads the legacy hooks/hooks.json only when the level has no hooks.json.
        nested = folder / "hooks" / "hooks.json"
        if os.path.isfile(nested):
            listing.append((LEGACY_HOOKS, LEGACY_HOOKS, nested))
    if _BATCH is not None:
        _BATCH.listings[str(folder)] = listing
    return listing


def _user_files() -> list[tuple[str, Path]]:
    """(role, path) of the user's ~/.factory files, whether they exist or not."""
    if _BATCH is not None and _BATCH.user_files is not None:
        return _BATCH.user_files
    home = factory_home()
    user_files = [(role, home / role) for role in (*RELATED_FILES, LEGACY_HOOKS)]
    if _BATCH is not None:
        _BATCH.user_files = user_files
    return user_files
