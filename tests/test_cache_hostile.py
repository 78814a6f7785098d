"""The cache on a shared machine (issue 14): another user's folder, symbolic links, FIFOs and
forged records are never used, never followed, never waited on, and never an exit 3.

The other-user test needs root (it runs factory-lint as ``nobody`` with ``setpriv``); the
others run as anyone. Every run that could hang on a FIFO is a subprocess with a timeout, so a
regression fails instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from factory_lint.cache import CACHE_FORMAT, Cache, private_file, private_folder
from factory_lint.cli import main

KEY = "sk-ant-api03-" + "Q7vTz2Lm9Xc4Rb8Np1Kd6Hw3Jf5Gs0Ye" * 3 + "AA"
TEXT = (
    '{ "customModels": [ { "model": "claude-sonnet-4-5", "provider": "anthropic",\n'
    f'  "baseUrl": "https://api.anthropic.com", "apiKey": "{KEY}" }} ],\n'
    '  "maxTokens": 1 }\n'
)
NOBODY = 65534
DB = f"v{CACHE_FORMAT}.sqlite3"


def lint(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--output-format", "json", *args], stdout=out)
    return status, out.getvalue()


def run(
    args: list[str], cache_home: Path, *, prefix: tuple[str, ...] = (), timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """factory-lint in a subprocess (as another user with ``prefix``), with a timeout."""
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(cache_home),
        "NO_COLOR": "1",
        "FACTORY_LINT_DEBUG": "1",
    }
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "factory_lint", "--output-format", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "project" / ".factory" / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_text(TEXT)
    return path


@pytest.fixture
def expected(target: Path) -> tuple[int, str]:
    """What linting the file says without a cache: a committed key, exit 1."""
    status, out = lint("--no-cache", str(target))
    assert status == 1 and json.loads(out)["findings"]
    return status, out


def folder_of(cache_home: Path) -> Path:
    return cache_home / "factory-lint"


# --- another user's cache ----------------------------------------------------------------------


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder under /tmp that the user ``nobody`` can use too (pytest's tmp_path is 700)."""
    folder = Path(tempfile.mkdtemp(prefix="factory-lint-shared-"))
    os.chmod(folder, 0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to act as another user",
)
def test_another_users_cache_is_not_used(shared: Path) -> None:
    """``nobody`` makes the cache first and empties the result of root's file; root must not
    believe it (before issue 14 it did: the committed key exited 0, unreported)."""
    as_nobody = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
    project = shared / "project" / ".factory"
    project.mkdir(parents=True)
    os.chmod(project.parent, 0o755)
    os.chmod(project, 0o755)
    path = project / "settings.json"
    path.write_text(TEXT)
    os.chmod(path, 0o644)
    cache_home = shared / "cache"
    cache_home.mkdir()
    os.chmod(cache_home, 0o1777)  # a shared XDG_CACHE_HOME (e.g. /tmp)

    first = run([str(path)], cache_home, prefix=as_nobody)
    assert first.returncode == 1, first.stderr
    folder = folder_of(cache_home)
    assert folder.stat().st_uid == NOBODY
    forge = (
        "import json, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "for slot, record in c.execute('SELECT slot, record FROM entries').fetchall():\n"
        "    r = json.loads(record)\n"
        "    if 'findings' in r:\n"
        "        r.update(findings=[], severities=[], spans=[])\n"
        "        c.execute('UPDATE entries SET record = ? WHERE slot = ?', (json.dumps(r), slot))\n"
        "c.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
    )
    database = folder / DB
    subprocess.run([*as_nobody, sys.executable, "-c", forge, str(database)], check=True, timeout=60)
    forged = run([str(path)], cache_home, prefix=as_nobody)
    assert forged.returncode == 0  # the forged record works for its owner...
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}

    mine = run([str(path)], cache_home)  # ...but root ignores nobody's folder
    assert mine.returncode == 1
    assert json.loads(mine.stdout) == json.loads(first.stdout)
    assert "cache not used" in mine.stderr and len(mine.stderr.splitlines()) == 1
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # not written
    assert all(p.stat().st_uid == NOBODY for p in folder.iterdir())


def test_a_folder_others_can_write_is_not_used(
    target: Path, expected: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    folder = folder_of(cache_home)
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    assert private_folder(folder) is False
    assert lint(str(target)) == expected
    assert list(folder.iterdir()) == []  # nothing read, nothing written


def test_a_readable_folder_of_ours_is_made_private(
    target: Path, expected: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    folder = folder_of(cache_home)
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    assert lint(str(target)) == expected
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / DB).is_file()


def test_a_symlinked_folder_is_not_followed(
    target: Path, expected: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home = tmp_path / "cache"
    cache_home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    folder_of(cache_home).symlink_to(elsewhere)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    assert lint(str(target)) == expected
    assert lint(str(target)) == expected
    assert list(elsewhere.iterdir()) == []


# --- links and FIFOs at the database path ------------------------------------------------------


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache_home = tmp_path / "cache"
    folder_of(cache_home).mkdir(parents=True, mode=0o700)
    os.chmod(folder_of(cache_home), 0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    return cache_home


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_a_symlink_at_the_database_is_not_followed(
    target: Path, expected: tuple[int, str], private_cache: Path, tmp_path: Path, suffix: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (folder_of(private_cache) / f"{DB}{suffix}").symlink_to(victim)
    for _ in range(2):
        assert lint(str(target)) == expected
    assert victim.read_text() == "keep me\n"


def test_a_dangling_symlink_creates_nothing(
    target: Path, expected: tuple[int, str], private_cache: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "created-by-the-cache"
    (folder_of(private_cache) / DB).symlink_to(victim)
    for _ in range(2):
        assert lint(str(target)) == expected
    assert not victim.exists() and not victim.is_symlink()


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_a_fifo_at_the_database_does_not_hang(
    target: Path, expected: tuple[int, str], private_cache: Path, suffix: str
) -> None:
    fifo = folder_of(private_cache) / f"{DB}{suffix}"
    os.mkfifo(fifo, 0o600)
    for _ in range(2):
        done = run([str(target)], private_cache, timeout=60)  # a hang fails here
        assert (done.returncode, done.stdout) == expected
        assert "cache not used" in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_the_checks(tmp_path: Path) -> None:
    assert private_folder(tmp_path / "missing") is None
    assert private_file(tmp_path / "missing") is None
    (tmp_path / "file").write_text("")
    os.chmod(tmp_path / "file", 0o600)
    assert private_file(tmp_path / "file") is True
    os.chmod(tmp_path / "file", 0o666)
    assert private_file(tmp_path / "file") is False
    assert private_folder(tmp_path / "file") is False
    os.mkfifo(tmp_path / "fifo")
    assert private_file(tmp_path / "fifo") is False
    (tmp_path / "link").symlink_to(tmp_path / "file")
    assert private_file(tmp_path / "link") is False


# --- forged or malformed records ---------------------------------------------------------------


def records(cache_home: Path) -> dict[str, dict[str, object]]:
    with contextlib.closing(sqlite3.connect(folder_of(cache_home) / DB)) as connection:
        rows = connection.execute("SELECT slot, record FROM entries").fetchall()
    return {slot: json.loads(record) for slot, record in rows}


def forge(cache_home: Path, slot: str, record: object) -> None:
    data = record if isinstance(record, bytes) else json.dumps(record).encode()
    with contextlib.closing(sqlite3.connect(folder_of(cache_home) / DB)) as connection:
        connection.execute("UPDATE entries SET record = ? WHERE slot = ?", (data, slot))
        connection.commit()


def test_malformed_records_are_misses(
    target: Path, expected: tuple[int, str], private_cache: Path
) -> None:
    assert lint(str(target)) == expected
    assert lint(str(target)) == expected  # a hit
    ((slot, good),) = records(private_cache).items()
    finding = list(good["findings"][0])  # type: ignore[index]
    length = len(TEXT)

    def with_finding(**changes: object) -> dict[str, object]:
        raw = list(finding)
        for index, value in changes.items():
            raw[int(index[1:])] = value
        return {**good, "findings": [raw]}

    malformed: list[object] = [
        {**good, "kind": 7},
        {**good, "kind": "something-else"},
        {**good, "note": ["x"]},
        {**good, "has_secrets": "yes"},
        {**good, "findings": "none"},
        {**good, "findings": [], "severities": [], "spans": []} | {"severities": ["fatal"]},
        {**good, "severities": ["fatal"] * len(good["severities"])},  # type: ignore[arg-type]
        {**good, "spans": [[0, length + 50]]},
        {**good, "spans": [[5, 2]]},
        {**good, "spans": [["0", "9"]]},
        {**good, "spans": "all"},
        with_finding(i0="FL999"),
        with_finding(i0=None),
        with_finding(i2=length + 1),
        with_finding(i2=-1),
        with_finding(i2=True),
        with_finding(i3="9"),
        with_finding(i6="fatal"),
        with_finding(i8=[]),
        with_finding(i5=["fix", [[0, length + 9, "x"]], True]),
        with_finding(i5=["fix", [[0]], True]),
        with_finding(i5="fix"),
        {**good, "findings": [finding[:5]]},
        {**good, "findings": [7]},
        with_finding(i8={"a": [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}),
        b"[" * 100_000,
        b'{"content": ' + b"[" * 100_000,
        b"\x00\xff",
        b"[1, 2]",
        b"null",
    ]
    for record in malformed:
        forge(private_cache, slot, record)
        assert lint(str(target)) == expected, record
    assert records(private_cache)[slot] == good  # written again, right


def test_a_cached_result_still_hits(target: Path, private_cache: Path) -> None:
    """The checks do not turn good records into misses."""
    lint(str(target))
    cache = Cache()
    assert cache.may_hold_entries()
    entry = cache.entry(str(target), None, target.read_bytes())
    assert entry.record is not None and entry.kind == "settings"
