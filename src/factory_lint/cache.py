"""A cache of lint results, so that files that have not changed are not linted again.

One SQLite database, ``$XDG_CACHE_HOME/factory-lint/v2.sqlite3`` (else under
``~/.cache/factory-lint``), with one row per linted path. An entry is used only when everything
a result depends on is unchanged, in two stages:

1. the file's bytes, its name as given, ``--kind``, and factory-lint itself (version, Python,
   and the size and time stamp of every module and data file of the package): these decide the
   file's kind (or why it is skipped) and whether it holds anything credential-shaped;
2. the options in force (``--select``, ``--ignore``, the configuration file's settings) and
   everything :class:`~factory_lint.context.FileInfo` tells the rules: the path, the scope, whether
   the file is committed (git-ignored or not), its mode, and the text of every related file
   (``settings.local.json`` next to it, the user's ``~/.factory`` files).

An entry holds the findings after the engine's scrubbing and the offsets of the secrets (for
masking), never the file's text; a file whose findings would carry a secret anyway (in a fix's
text) is not cached. New entries are kept in memory and written in one transaction per 64
files and at the end of a run (:meth:`Cache.flush`): a file per entry cost 0.1-1.5 ms of
system time to create and rename, more than linting the file. SQLite's write-ahead log lets
several factory-lint processes (pre-commit runs some at once, and the parallel workers) read
and write the database together. The database has mode 600 in a folder of mode 700; a cache
that cannot be read or written is ignored. A damaged database (not a database, or "disk image
is malformed") is not read again and is replaced at the next write; when several processes find
it damaged at once, entries written in between may be lost (linted again next time), never
given for the wrong file: every entry is checked against the file's hash.
``--fix`` and ``--diff`` never use the cache.

The cache must not be something another local user can steer (an emptied result would hide a
committed key; forged masking offsets would print one). It is used only when the folder is a
real directory (not a symbolic link) owned by the current user that nobody else can write to
(one that others can only read or enter is made 700); the database and its ``-wal`` / ``-shm``
files must be regular files owned by the user, never symbolic links or FIFOs (the database is
made with ``O_NOFOLLOW | O_NONBLOCK``). Otherwise the run goes without a cache, with one line
on stderr under ``FACTORY_LINT_DEBUG``. A record that is not exactly what this version writes
(wrong types, unknown rule codes, ranges outside the file) is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from factory_lint import __version__
from factory_lint.context import FileInfo
from factory_lint.findings import Edit, Finding, Fix, Severity

try:  # BLAKE2 is built into CPython; hashlib would also initialise OpenSSL (~3 ms)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b as _blake2b

#: Changes when the layout of an entry or of the database changes (the name of the database).
CACHE_FORMAT = 2
#: New entries written in one transaction (a worker's chunk of files is at most this many).
FLUSH_ENTRIES = 64
#: How long a process waits for another one's write to the database to end.
BUSY_SECONDS = 5.0
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# factory-lint's cache (CACHEDIR.TAG)\n"
_SCHEMA = "CREATE TABLE IF NOT EXISTS entries (slot TEXT PRIMARY KEY, record BLOB NOT NULL)"
#: Connections made before a fork: a forked worker keeps them open and never uses them (closing
#: one would checkpoint the parent's write-ahead log from the child).
_INHERITED: list[Any] = []


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "factory-lint"


def _owner() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else -1


def private_folder(folder: Path) -> bool | None:
    """Whether ``folder`` may hold the cache: None when it does not exist, True for a real
    directory owned by this user that nobody else can write to (group or other read and search
    bits are removed), False for anything else (a symbolic link, another user's folder, one
    that others could have written to)."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    owner = _owner()
    if not stat.S_ISDIR(info.st_mode) or (owner >= 0 and info.st_uid != owner):
        return False
    if info.st_mode & 0o022:
        return False  # others could have put a database (or a link) in it
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700, follow_symlinks=False)
        except (OSError, NotImplementedError):
            return False
    return True


def private_file(path: Path | str) -> bool | None:
    """None when ``path`` does not exist, True for a regular file owned by this user that only
    the user can write, False for anything else (a symbolic link, a FIFO, another user's)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    owner = _owner()
    return (
        stat.S_ISREG(info.st_mode)
        and (owner < 0 or info.st_uid == owner)
        and not info.st_mode & 0o022
    )


def _debug(message: str) -> None:
    if os.environ.get("FACTORY_LINT_DEBUG"):
        print(f"factory-lint: {message}", file=sys.stderr)


def _code_stamp() -> str:
    """What identifies this factory-lint: its version, the Python running it, and the size and
    modification time of every file of the package (an edited or reinstalled module, a new
    catalog, give a new stamp)."""
    package = Path(__file__).resolve().parent
    from factory_lint.clock import today

    # results depend on the date (FL606: retired or not yet), so a new day is a new stamp
    parts = [__version__, sys.version, sys.platform, str(CACHE_FORMAT), today().isoformat()]
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                parts.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    return _digest("\n".join(parts).encode("utf-8", "surrogatepass"))


def _digest(data: bytes) -> str:
    return _blake2b(data, digest_size=32).hexdigest()


class Entry:
    """A file's cached facts: stage 1 (kind, note, secrets) and, when present, its result."""

    __slots__ = ("content", "has_secrets", "kind", "note", "record", "slot")

    def __init__(self, slot: str, content: str, record: dict[str, Any] | None) -> None:
        self.slot = slot
        self.content = content
        #: The stored record when its first stage matches this file (and is well formed).
        self.record = (
            record
            if record is not None and record.get("content") == content and _well_formed(record)
            else None
        )
        self.kind: str | None = self.record.get("kind") if self.record else None
        self.note: str | None = self.record.get("note") if self.record else None
        self.has_secrets = bool(self.record.get("has_secrets")) if self.record else False


class Cache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self.database = self.folder / f"v{CACHE_FORMAT}.sqlite3"
        self.stamp = _code_stamp()
        self._connection: Any = None  # a sqlite3.Connection, made on first use
        self._pid = 0  # the process that made it
        self._broken = False  # the database cannot be opened: no more tries this run
        self._damaged = False  # the database is damaged: not read until a flush replaces it
        self._inode: tuple[int, int] | None = None  # the database file this process opened
        self._pending: list[tuple[str, bytes]] = []
        state = private_folder(self.folder)
        if state is False or (state and not self._private_files()):
            _debug(
                f"cache not used: {self.folder} (or its database) is not a private folder of "
                "this user (mode 700, no symbolic link, FIFO or another user's file)"
            )
            self._broken = True
        #: No database when this run began: nothing to read (a first run over 1,000 files
        #: asked it for each file once the first chunk had made it).
        self._empty = self._broken or private_file(self.database) is not True

    def _private_files(self) -> bool:
        """The database and its log files: each absent, or a private regular file."""
        return all(
            private_file(f"{self.database}{suffix}") is not False for suffix in ("", "-wal", "-shm")
        )

    # --- reading -------------------------------------------------------------------------------

    def may_hold_entries(self) -> bool:
        """False when no entry can be found: there was no database when this run began."""
        return not self._empty

    def entry(self, name: str, forced_kind: str | None, data: bytes) -> Entry:
        slot_key = f"{os.path.abspath(name)}\0{name}\0{forced_kind}"
        slot = _digest(slot_key.encode("utf-8", "surrogatepass"))[:40]
        content = _digest(
            b"\0".join((self.stamp.encode(), slot_key.encode("utf-8", "surrogatepass"), data))
        )
        return Entry(slot, content, self._load(slot))

    def _load(self, slot: str) -> dict[str, Any] | None:
        if self._empty:
            return None
        connection = self._connect(create=False)
        if connection is None:
            return None
        import sqlite3

        try:
            row = connection.execute(
                "SELECT record FROM entries WHERE slot = ?", (slot,)
            ).fetchone()
            loaded = json.loads(row[0]) if row is not None else None
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError:  # "database disk image is malformed"
            self._damaged = True
            return None
        except (sqlite3.Error, ValueError, TypeError, RecursionError, MemoryError):
            return None  # RecursionError: a forged record nested too deeply to decode
        return loaded if isinstance(loaded, dict) else None

    def _connect(self, create: bool) -> Any:
        """This process's connection to the database, or None when there is none to read
        (``create`` False) or it cannot be opened."""
        if self._connection is not None:
            if self._pid == os.getpid():
                return self._connection
            _INHERITED.append(self._connection)  # made before a fork: never used or closed here
            self._connection = None
        if self._broken or not (
            create or (not self._damaged and private_file(self.database) is True)
        ):
            return None
        try:
            import sqlite3
        except ImportError:  # a Python built without SQLite: no cache
            self._broken = True
            return None
        try:
            try:
                connection = self._open(sqlite3, create)
            except sqlite3.OperationalError:
                raise  # locked, read-only, no such table yet: not damage
            except sqlite3.DatabaseError:
                if not create:
                    self._damaged = True  # not read again; the next flush replaces it
                    with contextlib.suppress(OSError):
                        self._inode = _identity(self.database)
                    return None
                self._remove_database()  # damaged, or not a database: start a new one
                connection = self._open(sqlite3, create)
        except (OSError, sqlite3.Error):
            self._broken = create  # (a reader retries: a writer may be making the database)
            return None
        self._connection, self._pid = connection, os.getpid()
        with contextlib.suppress(OSError):
            self._inode = _identity(self.database)
        return connection

    def _open(self, sqlite3: Any, create: bool) -> Any:
        if create:
            if private_folder(self.folder) is None:
                self.folder.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(FileExistsError):  # another process made it first
                    os.mkdir(self.folder, 0o700)
                if private_folder(self.folder) is not True:
                    raise PermissionError(f"{self.folder} is not a private folder")
                tag = self.folder / "CACHEDIR.TAG"
                if private_file(tag) is None:
                    _write_new(tag, _TAG.encode("utf-8"))
            if private_file(self.database) is None:
                self._remove_old_formats()
            # made here so that it has mode 600 (SQLite gives its log files the same mode);
            # never through a symbolic link, never waiting on a FIFO
            _write_new(self.database, b"", exclusive=False)
        if not self._private_files():
            self._broken = True
            raise PermissionError(f"{self.database} is not a private file")
        connection = sqlite3.connect(self.database, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            # No fsync per commit (only when the log is copied into the database): a cache
            # may lose its last entries in a power cut, never its consistency.
            connection.execute("PRAGMA synchronous = NORMAL")
            if create:
                if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    connection.execute("PRAGMA journal_mode = WAL")
                connection.execute(_SCHEMA)
            else:
                connection.execute("SELECT 1 FROM entries LIMIT 1").fetchall()
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _remove_old_formats(self) -> None:
        """Delete the entries of factory-lint 0.1's cache (a folder ``v1`` of JSON files)."""
        old = self.folder / "v1"
        if old.is_dir() and not old.is_symlink():
            import shutil

            shutil.rmtree(old, ignore_errors=True)

    def _remove_database(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.database}{suffix}")

    @staticmethod
    def result_key(entry: Entry, options: tuple[Any, ...], info: FileInfo) -> str:
        """The second stage: the options and the file's place, on top of the first stage."""
        facts = [
            entry.content,
            [list(part) for part in options],
            info.path,
            info.scope,
            info.committed,
            info.mode,
            [
                [related.path, related.name, related.level, _digest(_utf8(related.text))]
                for related in info.related
            ],
        ]
        return _digest(_utf8(json.dumps(facts, ensure_ascii=False)))

    @staticmethod
    def cached_result(
        entry: Entry, key: str, length: int | None = None
    ) -> tuple[list[Finding], list[Severity], list[tuple[int, int]]] | None:
        """The stored result, or None (a miss) when there is none or it is not exactly what
        this version writes: every field of the expected type, known rule codes, and (given the
        text's ``length``) every range inside the text."""
        record = entry.record
        if record is None or record.get("key") != key:
            return None
        limit = length if length is not None else sys.maxsize
        try:
            raw_findings, severities, raw_spans = (
                record["findings"],
                record["severities"],
                record["spans"],
            )
            if not (
                isinstance(raw_findings, list)
                and isinstance(severities, list)
                and isinstance(raw_spans, list)
                and len(severities) == len(raw_findings)
                and all(s in _SEVERITIES for s in severities)
            ):
                return None
            if raw_findings:
                from factory_lint.rules.registry import RULES  # the report needs it anyway

                if not all(_valid_finding(raw, RULES, limit) for raw in raw_findings):
                    return None
            if not all(_valid_span(span, limit) for span in raw_spans):
                return None
            findings = [_finding(raw) for raw in raw_findings]
            spans = [(start, end) for start, end in raw_spans]
        except (KeyError, TypeError, ValueError):
            return None
        return findings, severities, spans

    # --- writing -------------------------------------------------------------------------------

    def store(
        self,
        entry: Entry,
        kind: str | None,
        note: str | None,
        has_secrets: bool,
        key: str | None = None,
        findings: list[Finding] | None = None,
        severities: list[Severity] | None = None,
        spans: list[tuple[int, int]] | None = None,
        secrets: list[str] | None = None,
    ) -> None:
        """Remember a file's facts (and its result when ``key`` is given); silently does nothing
        when the cache cannot be written or the result cannot be stored exactly and safely."""
        record: dict[str, Any] = {
            "content": entry.content,
            "kind": kind,
            "note": note,
            "has_secrets": has_secrets,
        }
        if key is not None and findings is not None and severities is not None:
            encoded = [_encode(finding) for finding in findings]
            if not _safe(encoded, secrets or []) or [_finding(raw) for raw in encoded] != findings:
                key = None  # a result that would not come back identical (or holds a secret)
            else:
                record.update(key=key, findings=encoded, severities=severities, spans=spans or [])
        try:
            text = json.dumps(record, ensure_ascii=False, allow_nan=False)
        except ValueError:
            return
        self._pending.append((entry.slot, _utf8(text)))
        if len(self._pending) >= FLUSH_ENTRIES:
            self.flush()

    def flush(self) -> None:
        """Write the entries stored since the last flush, in one transaction. A damaged
        database is replaced by a new one; when the database cannot be written (locked for
        longer than BUSY_SECONDS, read-only, a full disk), the entries are dropped."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        if self._damaged:
            self._replace_damaged()
        for _attempt in range(2):
            connection = self._connect(create=True)
            if connection is None:
                return
            import sqlite3

            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    connection.executemany(
                        "INSERT OR REPLACE INTO entries (slot, record) VALUES (?, ?)", pending
                    )
                    connection.execute("COMMIT")
                finally:
                    if connection.in_transaction:
                        connection.execute("ROLLBACK")
                return
            except sqlite3.OperationalError:
                return
            except sqlite3.DatabaseError:  # "database disk image is malformed"
                self._damaged = True
                self._replace_damaged()
            except sqlite3.Error:
                return

    def _replace_damaged(self) -> None:
        """Remove the damaged database this process read, unless another process replaced it
        already; the next connection opens (or makes) the one now there."""
        self._damaged = False
        self._forget_connection()
        try:
            same = self._inode is not None and _identity(self.database) == self._inode
        except OSError:
            same = False
        if same or self._inode is None:
            self._remove_database()
        self._inode = None

    def _forget_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and self._pid == os.getpid():
            with contextlib.suppress(Exception):
                connection.close()


_SEVERITIES = ("error", "warning", "info")


def _write_new(path: Path, data: bytes, exclusive: bool = True) -> None:
    """Create (or, with ``exclusive`` False, open) a private file without following a symbolic
    link or blocking on a FIFO; anything but a regular file of this user is an error."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | (os.O_EXCL if exclusive else 0)
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        return
    try:
        info = os.fstat(descriptor)
        owner = _owner()
        if not stat.S_ISREG(info.st_mode) or (owner >= 0 and info.st_uid != owner):
            raise PermissionError(f"{path} is not a regular file of this user")
        if data:
            os.write(descriptor, data)
    finally:
        os.close(descriptor)


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _valid_span(span: object, limit: int) -> bool:
    return (
        isinstance(span, list)
        and len(span) == 2
        and _int(span[0])
        and _int(span[1])
        and 0 <= span[0] <= span[1] <= limit
    )


def _optional_str(value: object) -> bool:
    return value is None or isinstance(value, str)


def _valid_finding(raw: object, rules: dict[str, Any], limit: int) -> bool:
    """Whether a stored finding is exactly what :func:`_encode` writes."""
    if not isinstance(raw, list) or len(raw) != 9:
        return False
    code, message, start, end, pointer, fix, severity, help_text, data = raw
    if not (
        isinstance(code, str)
        and code in rules
        and isinstance(message, str)
        and _valid_span([start, end], limit)
        and isinstance(pointer, str)
        and (severity is None or severity in _SEVERITIES)
        and _optional_str(help_text)
        and isinstance(data, dict)
        and _shallow(data)
    ):
        return False
    if fix is None:
        return True
    return (
        isinstance(fix, list)
        and len(fix) == 3
        and isinstance(fix[0], str)
        and isinstance(fix[2], bool)
        and isinstance(fix[1], list)
        and all(
            isinstance(edit, list)
            and len(edit) == 3
            and _valid_span(edit[:2], limit)
            and isinstance(edit[2], str)
            for edit in fix[1]
        )
    )


def _shallow(value: object, limit: int = 8) -> bool:
    """Whether ``value`` nests at most ``limit`` lists or objects deep (a finding's data is
    flat; a forged one nested deeply would fail later, in a report)."""
    level: list[object] = [value]
    for _ in range(limit):
        level = [
            item
            for node in level
            if isinstance(node, (list, dict))
            for item in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return True
    return not any(isinstance(node, (list, dict)) for node in level)


def _well_formed(record: dict[str, Any]) -> bool:
    """The first stage of a record has the types this version writes."""
    return (
        _optional_str(record.get("kind"))
        and _optional_str(record.get("note"))
        and isinstance(record.get("has_secrets"), bool)
    )


def _identity(path: Path) -> tuple[int, int]:
    """Which file ``path`` is: its inode and change time (a new file may get a removed one's
    inode number at once)."""
    info = os.stat(path)
    return info.st_ino, info.st_ctime_ns


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _encode(finding: Finding) -> list[Any]:
    fix = finding.fix
    return [
        finding.code,
        finding.message,
        finding.start,
        finding.end,
        finding.pointer,
        None
        if fix is None
        else [fix.description, [[e.start, e.end, e.text] for e in fix.edits], fix.safe],
        finding.severity,
        finding.help,
        finding.data,
    ]


def _finding(raw: list[Any]) -> Finding:
    code, message, start, end, pointer, fix, severity, help_text, data = raw
    return Finding(
        code,
        message,
        start,
        end,
        pointer,
        None if fix is None else Fix(fix[0], tuple(Edit(s, e, t) for s, e, t in fix[1]), fix[2]),
        severity,
        help_text,
        data,
    )


def _safe(encoded: list[list[Any]], secrets: list[str]) -> bool:
    """Nothing secret in what is stored beyond the engine-scrubbed message, help and pointer:
    the fix's description and texts, and the extra data, hold no secret of the document and
    nothing key-shaped (what the engine's scrubbing would mask)."""
    from factory_lint.engine import scrub

    values = sorted({secret for secret in secrets if len(secret) >= 4}, key=len, reverse=True)
    for raw in encoded:
        fix, data = raw[5], raw[8]
        texts = [json.dumps(data, ensure_ascii=False)] if data else []
        if fix is not None:
            texts.append(fix[0])
            texts.extend(edit[2] for edit in fix[1])
        for text in texts:
            if any(secret in text for secret in values) or scrub(text, values) != text:
                return False
    return True
