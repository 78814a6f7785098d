"""The result cache and the parallel lint: same output as a fresh serial run, always.

The cache (``$XDG_CACHE_HOME/factory-lint``; tests/conftest.py gives every test its own) must
give back exactly what linting would, must notice every change that changes a result (the file,
the options, the configuration, the file's mode, whether git ignores it, the files merged with it),
and must never hold a secret or a file's text.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from factory_lint.cache import CACHE_FORMAT
from factory_lint.cli import main

GOLDEN = Path(__file__).parent / "golden"
KEY = "sk-ant-api03-" + "Q7vTz2Lm9Xc4Rb8Np1Kd6Hw3Jf5Gs0Ye" * 3 + "AA"


def model(key: str) -> str:
    return (
        '{ "model": "claude-sonnet-4-5", "provider": "anthropic", '
        f'"baseUrl": "https://api.anthropic.com", "apiKey": "{key}" }}'
    )


def lint(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--output-format", "json", *args], stdout=out)
    return status, out.getvalue()


def cache_files(cache_home: Path) -> list[Path]:
    folder = cache_home / "factory-lint"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def database(cache_home: Path) -> Path:
    return cache_home / "factory-lint" / f"v{CACHE_FORMAT}.sqlite3"


def cache_records(cache_home: Path) -> dict[str, dict[str, Any]]:
    """The stored entries by slot, read with SQLite (the write-ahead log included)."""
    with contextlib.closing(sqlite3.connect(database(cache_home))) as connection:
        rows = connection.execute("SELECT slot, record FROM entries").fetchall()
    return {slot: json.loads(record) for slot, record in rows}


def cache_home() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"])


def golden_inputs() -> list[Path]:
    return sorted(p for p in GOLDEN.rglob("*.json") if "expected" not in p.name)


def test_cached_results_equal_fresh_ones_on_every_golden_file() -> None:
    files = [str(p) for p in golden_inputs()]
    assert len(files) > 50
    for output_format in ("json", "full", "concise", "sarif", "github"):
        args = ["--output-format", output_format, "--statistics", *files]
        fresh_out, cold_out, warm_out = io.StringIO(), io.StringIO(), io.StringIO()
        fresh = main([*args, "--no-cache"], stdout=fresh_out)
        cold = main(args, stdout=cold_out)
        warm = main(args, stdout=warm_out)
        assert fresh == cold == warm
        assert fresh_out.getvalue() == cold_out.getvalue() == warm_out.getvalue(), output_format
    assert len(cache_records(cache_home())) == len(files)


def test_a_cache_hit_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [], "maxTokens": 1 }\n')
    first = lint(str(target))
    calls = []
    import factory_lint.runner as runner

    original = runner.lint_text
    monkeypatch.setattr(runner, "lint_text", lambda *a, **k: calls.append(1) or original(*a, **k))
    assert lint(str(target)) == first
    assert calls == []  # answered from the cache
    assert lint("--no-cache", str(target)) == first
    assert calls == [1]


def test_a_changed_file_is_linted_again(tmp_path: Path) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [] }\n')
    assert lint(str(target))[0] == 0
    target.write_text('{ "customModels": [ { "model": "m", "provider": "claude" } ] }\n')
    status, out = lint(str(target))
    assert status == 1 and "FL201" in out


def test_options_and_configuration_are_part_of_the_key(tmp_path: Path) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [], "maxTokens": 1 }\n')
    assert "FL104" in lint(str(target))[1]
    assert "FL104" not in lint("--ignore", "FL104", str(target))[1]
    assert "FL104" in lint(str(target))[1]
    (tmp_path / ".factory-lint.toml").write_text('ignore = ["unknown-key"]\n')
    from factory_lint.config import _find_config

    _find_config.cache_clear()  # a new config file, as between two runs of the command
    assert "FL104" not in lint(str(target))[1]
    (tmp_path / ".factory-lint.toml").write_text('[severity]\nFL104 = "error"\n')
    _find_config.cache_clear()
    status, out = lint(str(target))
    assert status == 1 and '"severity": "error"' in out


def test_related_files_are_part_of_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FL702 (a favourite naming no model) depends on the models of the files merged with this
    one: a changed settings.local.json next to it changes the result."""
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(tmp_path / "home"))
    factory = tmp_path / "project" / ".factory"
    factory.mkdir(parents=True)
    target = factory / "settings.json"
    target.write_text('{ "modelFavorites": ["custom:Local-0"] }\n')
    missing = lint(str(target))[1]
    assert "FL702" in missing
    (factory / "settings.local.json").write_text(
        '{ "customModels": [ { "model": "m", "displayName": "Local", "provider": "openai", '
        '"baseUrl": "http://localhost:8000/v1", "apiKey": "x" } ] }\n'
    )
    assert "FL702" not in lint(str(target))[1]
    (factory / "settings.local.json").unlink()
    assert lint(str(target))[1] == missing


@pytest.mark.skipif(sys.platform == "win32", reason="Unix file modes")
def test_the_mode_is_part_of_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))
    target = home / ".factory" / "settings.json"
    target.parent.mkdir(parents=True)
    target.write_text(f'{{ "customModels": [ {model(KEY)} ] }}\n')
    target.chmod(0o644)
    assert "FL502" in lint(str(target))[1]
    target.chmod(0o600)
    assert "FL502" not in lint(str(target))[1]
    target.chmod(0o640)
    assert "FL502" in lint(str(target))[1]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_ignoring_the_file_is_part_of_the_key(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    target = repo / ".factory" / "settings.local.json"
    target.parent.mkdir()
    target.write_text(f'{{ "customModels": [ {model(KEY)} ] }}\n')
    assert "FL501" in lint(str(target))[1]
    (repo / ".gitignore").write_text(".factory/settings.local.json\n")
    from factory_lint import files

    files._IGNORED.clear()  # what git said is remembered for a run; this is a new run
    assert "FL501" not in lint(str(target))[1]


def test_the_cache_holds_no_secret_and_no_text(tmp_path: Path) -> None:
    target = tmp_path / "repo" / ".factory" / "settings.json"
    target.parent.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    text = (
        f'{{ "customModels": [ {model(KEY)}, {model("Bearer " + KEY[::-1])} ],\n'
        f'  "{KEY[5:40]}": 1, "unknownKey": "some plain text value" }}\n'
    )
    target.write_text(text)
    cold = lint(str(target))
    assert "FL501" in cold[1]
    assert lint(str(target)) == cold
    assert len(cache_records(cache_home())) == 1
    # every byte the cache wrote: the database, its write-ahead log, free pages included
    stored = b"".join(p.read_bytes() for p in cache_files(cache_home()))
    assert b'"findings"' in stored
    for secret in (KEY, KEY[13:40], KEY[::-1][:30], KEY[5:40], "some plain text value"):
        assert secret.encode() not in stored


def test_fixing_never_uses_or_fills_the_cache(tmp_path: Path) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text(
        '{ "customModels": [ { "model": "m", "provider": "Anthropic", '
        '"baseUrl": "https://api.anthropic.com", "apiKey": "${K}" } ] }\n'
    )
    main(["--diff", str(target)], stdout=io.StringIO())
    main(["--fix", str(target)], stdout=io.StringIO())
    assert cache_files(cache_home()) == []
    assert '"anthropic"' in target.read_text()


def test_no_cache_writes_nothing_and_an_unusable_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [], "maxTokens": 1 }\n')
    expected = lint("--no-cache", str(target))
    assert cache_files(cache_home()) == []
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert lint(str(target)) == expected
    assert lint(str(target)) == expected


def test_a_damaged_entry_is_ignored(tmp_path: Path) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [], "maxTokens": 1 }\n')
    expected = lint(str(target))
    ((slot, record),) = cache_records(cache_home()).items()
    for damaged in (b"{", b"[]", b"\xff", json.dumps({**record, "findings": [["FL104"]]}).encode()):
        with contextlib.closing(sqlite3.connect(database(cache_home()))) as connection:
            connection.execute("UPDATE entries SET record = ? WHERE slot = ?", (damaged, slot))
            connection.commit()
        assert lint(str(target)) == expected
    assert cache_records(cache_home())[slot] == record  # written again


def test_a_damaged_database_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [], "maxTokens": 1 }\n')
    expected = lint(str(target))
    for name in ("v2.sqlite3-wal", "v2.sqlite3-shm"):
        (cache_home() / "factory-lint" / name).unlink(missing_ok=True)
    database(cache_home()).write_bytes(b"not a database, " * 300)
    assert lint(str(target)) == expected  # read: ignored
    assert len(cache_records(cache_home())) == 1  # written: a new database
    assert lint(str(target)) == expected


def test_the_database_is_private(tmp_path: Path) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [] }\n')
    lint(str(target))
    folder = cache_home() / "factory-lint"
    assert folder.stat().st_mode & 0o777 == 0o700
    names = [p.name for p in cache_files(cache_home())]
    assert names[:2] == ["CACHEDIR.TAG", "v2.sqlite3"]
    assert set(names[2:]) <= {"v2.sqlite3-shm", "v2.sqlite3-wal"}  # the log, while open
    for name in names[1:]:
        assert (folder / name).stat().st_mode & 0o777 == 0o600, name


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("FACTORY_LINT_OUTPUT_FORMAT", None)
    return subprocess.run(
        [sys.executable, "-m", "factory_lint", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_many_files_in_parallel_give_the_serial_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past 32 files the CLI lints on several processes; the report is the same as a serial
    run's, in the order of the paths, with unreadable files reported in place, whether the
    cached results come from this process or from the workers."""
    sources = golden_inputs()
    names = []
    for index in range(90):
        folder = tmp_path / f"p{index:03d}" / ".factory"
        folder.mkdir(parents=True)
        source = sources[index % len(sources)]
        target = folder / source.name
        target.write_bytes(source.read_bytes())
        names.append(str(target.relative_to(tmp_path)))
    names.insert(40, "p999/.factory/settings.json")  # missing: exit 2, reported in place
    monkeypatch.chdir(tmp_path)
    import factory_lint.parallel as parallel_module

    for output_format in ("concise", "json"):
        args = ["--output-format", output_format, "--statistics", *names]
        parallel = _run(args, tmp_path)
        assert "Found" in parallel.stderr or output_format == "json"
        warm = _run(args, tmp_path)
        assert (warm.returncode, warm.stdout, warm.stderr) == (
            parallel.returncode,
            parallel.stdout,
            parallel.stderr,
        )
        for setting, value, extra in (
            ("CACHE_IN_WORKERS_MIN_FILES", 0, []),  # the workers answer from the cache
            ("PARALLEL_MIN_FILES", 10**6, ["--no-cache"]),  # serial, in this process
        ):
            with monkeypatch.context() as patched:
                patched.setattr(parallel_module, setting, value)
                out = io.StringIO()
                capsys.readouterr()
                status = main([*extra, *args], stdout=out)
            assert (status, out.getvalue(), capsys.readouterr().err) == (
                parallel.returncode,
                parallel.stdout,
                parallel.stderr,
            ), setting
        assert status == 2


def test_batch_file_info_matches_the_general_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a command-line run file_info answers from per-folder facts; it must give what the
    general code gives, for every layout (symlinks, relative paths, home, chezmoi, git)."""
    from factory_lint import files

    home = tmp_path / "home"
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))
    (home / ".factory").mkdir(parents=True)
    (home / ".factory" / "settings.json").write_text('{ "customModels": [] }')
    (home / ".factory" / "config.json").write_text('{ "custom_models": [] }')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".factory").mkdir()
    (repo / ".factory" / "settings.json").write_text("{}")
    (repo / ".factory" / "settings.local.json").write_text('{ "customModels": [] }')
    (repo / "dot_factory").mkdir()
    (repo / "dot_factory" / "private_settings.json").write_text("{}")
    (repo / "sub").mkdir()
    (repo / "sub" / "other.json").write_text("{}")
    plain = tmp_path / "plain" / ".factory"
    plain.mkdir(parents=True)
    (plain / "config.json").write_text('{ "custom_models": [] }')
    (tmp_path / "linked").symlink_to(repo / ".factory", target_is_directory=True)
    (tmp_path / "file-link.json").symlink_to(repo / ".factory" / "settings.json")
    monkeypatch.chdir(repo)
    paths = [
        home / ".factory" / "settings.json",
        home / ".factory" / "config.json",
        repo / ".factory" / "settings.json",
        repo / ".factory" / "settings.local.json",
        Path(".factory/settings.json"),
        Path("./.factory/settings.local.json"),
        Path("dot_factory/private_settings.json"),
        Path("sub/other.json"),
        Path("../plain/.factory/config.json"),
        plain / "config.json",
        tmp_path / "linked" / "settings.json",
        tmp_path / "file-link.json",
        tmp_path / "missing" / "settings.json",
    ]
    for secrets in (False, True):
        for pre_commit in (False, True):
            expected = [files.file_info(p, 0o640, pre_commit, secrets) for p in paths]
            files.begin_batch()
            try:
                for _ in range(2):  # the second time from the remembered facts
                    got = [files.file_info(p, 0o640, pre_commit, secrets) for p in paths]
                    assert got == expected
            finally:
                files.end_batch()


def test_the_entries_of_the_old_format_are_removed(tmp_path: Path) -> None:
    old = cache_home() / "factory-lint" / "v1"
    old.mkdir(parents=True)
    (old / ("0" * 40 + ".json")).write_text("{}")
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [] }\n')
    lint(str(target))
    assert not old.exists()
    assert len(cache_records(cache_home())) == 1


def test_processes_sharing_the_cache_give_the_serial_output(tmp_path: Path) -> None:
    """Three runs at once over the same 120 files (each run on two workers), as pre-commit
    starts them: every run's output is the uncached one, and so is the next, cached, run."""
    names = []
    for i in range(120):
        target = tmp_path / f"p{i:03d}" / ".factory" / "settings.json"
        target.parent.mkdir(parents=True)
        target.write_text(f'{{ "customModels": [], "maxTokens": {i} }}\n')
        names.append(str(target.relative_to(tmp_path)))
    args = ["--output-format", "concise", *names]
    expected = _run(["--no-cache", *args], tmp_path)
    assert expected.returncode == 0 and expected.stdout.count("FL104") == 120
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "factory_lint", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        for _ in range(3)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert (run.returncode, out, err) == (0, expected.stdout, expected.stderr)
    assert len(cache_records(cache_home())) == 120
    again = _run(args, tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (0, expected.stdout, expected.stderr)


def test_without_sqlite_there_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / ".factory" / "settings.json"
    target.parent.mkdir()
    target.write_text('{ "customModels": [], "maxTokens": 1 }\n')
    expected = lint("--no-cache", str(target))
    monkeypatch.setitem(sys.modules, "sqlite3", None)  # import sqlite3 raises ImportError
    assert lint(str(target)) == expected
    assert lint(str(target)) == expected
    assert not database(cache_home()).exists()


def test_a_database_damaged_inside_is_replaced(tmp_path: Path) -> None:
    """Damage found by one process (20 files, linted serially): every entry is written again
    to a new database. Found by two workers at once (40 files): each replaces the database
    it read, so entries written in between may be lost (never a wrong result), and the next
    run writes them again."""
    for count in (20, 40):
        names = []
        for index in range(count):
            target = tmp_path / f"run{count}" / f"p{index}" / ".factory" / "settings.json"
            target.parent.mkdir(parents=True)
            target.write_text(
                f'{{ "customModels": [], "maxTokens": {index}, "pad": "{"x" * 900}" }}\n'
            )
            names.append(str(target))
        expected = lint("--no-cache", *names)
        assert lint(*names) == expected
        with contextlib.closing(sqlite3.connect(database(cache_home()))) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            rows = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        data = bytearray(database(cache_home()).read_bytes())
        assert len(data) >= 4 * 4096  # the entries fill several pages
        data[4096 + 100 : 4096 * 3] = b"\xa5" * (4096 * 2 - 100)  # pages 2 and 3
        database(cache_home()).write_bytes(bytes(data))
        assert lint(*names) == expected  # nothing readable: every file linted again
        with contextlib.closing(sqlite3.connect(database(cache_home()))) as connection:
            assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        stored = len(cache_records(cache_home()))
        assert rows == (20 if count == 20 else 60)  # (the 20 of the first pass are still there)
        if count < 32:
            assert stored == count
        else:
            assert 0 < stored <= count
        assert lint(*names) == expected
        assert len(cache_records(cache_home())) == count  # the damaged database's are gone


def test_a_run_that_begins_without_a_database_reads_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a first run nothing can be found: the database is opened only to write, even after
    the first entries are written (every 5 files here); the next run reads it."""
    from factory_lint.cache import Cache

    names = []
    for index in range(20):
        target = tmp_path / f"p{index}" / ".factory" / "settings.json"
        target.parent.mkdir(parents=True)
        target.write_text(f'{{ "customModels": [], "maxTokens": {index} }}\n')
        names.append(str(target))
    expected = lint("--no-cache", *names)
    monkeypatch.setattr("factory_lint.cache.FLUSH_ENTRIES", 5)
    opened: list[bool] = []
    real_connect = Cache._connect

    def connect(self: Cache, create: bool) -> Any:
        opened.append(create)
        return real_connect(self, create)

    monkeypatch.setattr(Cache, "_connect", connect)
    assert lint(*names) == expected
    assert len(cache_records(cache_home())) == 20
    assert opened and all(opened)  # only to write
    opened.clear()
    assert lint(*names) == expected  # the next run reads
    assert False in opened
