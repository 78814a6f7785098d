"""`--fix` never loses a user's file: atomic writes, mode, owner and symlinks kept, no write
over a concurrent change, no write when nothing changes."""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import factory_lint.fixes as fixes
import factory_lint.runner as runner
from factory_lint.cli import main
from factory_lint.fixes import FileChangedError, FixRefusedError, write_atomically
from factory_lint.jsonc import parse

BROKEN = """{
  // my models
  "customModels": [
    {
      "model": "claude-sonnet-4-5-20250929",
      "provider": "Anthropic",
      "baseUrl": "https://api.anthropic.com",
      "apiKey": "${ANTHROPIC_API_KEY}",
    }
  ]
}
"""
FIXED = BROKEN.replace('"Anthropic"', '"anthropic"').replace('}",\n', '}"\n')
CLEAN = FIXED


@pytest.fixture
def factory(tmp_path: Path) -> Path:
    folder = tmp_path / "project" / ".factory"
    folder.mkdir(parents=True)
    return folder


def settings(folder: Path, text: str = BROKEN, mode: int = 0o644) -> Path:
    path = folder / "settings.json"
    path.write_bytes(text.encode())
    path.chmod(mode)
    return path


def cli(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stderr
    sys.stderr = err
    try:
        code = main(["--no-config", "--output-format", "concise", *args], stdout=out)
    finally:
        sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- atomicity --------------------------------------------------------------------------------


def test_fix_writes_the_fixed_text(factory: Path) -> None:
    path = settings(factory)
    code, _, err = cli("--fix", str(path))
    assert code == 0, err
    assert path.read_text() == FIXED
    assert listing(factory) == ["settings.json"], "no temporary file left behind"


@pytest.mark.parametrize("failing", ["replace", "fsync", "write", "chmod"])
def test_a_failure_while_writing_leaves_the_old_file_and_no_temp_file(
    factory: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A crash at any step before the rename (disk full, a signal, a bug) keeps the old file."""
    path = settings(factory)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class Failing(io.BufferedWriter):
            def write(self, data: object) -> int:  # type: ignore[override]
                raise OSError(28, "No space left on device")

        def fdopen(fd: int, *args: object, **kwargs: object) -> object:
            return Failing(real_fdopen(fd, "wb", buffering=0))  # type: ignore[arg-type]

        monkeypatch.setattr(fixes.os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(fixes.os, failing, boom)
    code, _, err = cli("--fix", str(path))
    assert code == 2
    assert "No space left on device" in err and "Traceback" not in err
    assert path.read_text() == BROKEN
    assert listing(factory) == ["settings.json"]


def test_keyboard_interrupt_before_the_rename_cleans_up(
    factory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = settings(factory)

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fixes.os, "replace", interrupt)
    code, _, _ = cli("--fix", str(path))
    assert code == 130
    assert path.read_text() == BROKEN
    assert listing(factory) == ["settings.json"]


def test_a_kill_between_write_and_rename_leaves_the_old_file(factory: Path) -> None:
    """SIGKILL the CLI right before the rename: the file is untouched; the temporary file it
    leaves (a killed process cannot clean up) holds the whole new text, with the file's own
    mode (it is created 0600 and only given that mode once written)."""
    path = settings(factory, mode=0o644)
    script = (
        "import os, signal, sys\n"
        "import factory_lint.fixes as fixes\n"
        "fixes.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from factory_lint.cli import main\n"
        "sys.exit(main(['--no-config', '--fix', sys.argv[1]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=120, check=False
    )
    assert result.returncode == -signal.SIGKILL
    assert path.read_text() == BROKEN
    leftovers = [p for p in factory.iterdir() if p.name != "settings.json"]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".settings.json.")
    assert leftovers[0].read_text() == FIXED
    assert stat.S_IMODE(leftovers[0].stat().st_mode) == 0o644


def test_a_kill_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    """SIGKILL a writer at random moments: the file always holds one whole version.

    A killed process cannot clean up, so its temporary file may stay behind (a hidden
    ``.settings.json.*`` next to the file, mode 0600); the file itself is never torn.
    """
    if not hasattr(os, "fork"):
        pytest.skip("needs fork")
    path = tmp_path / "settings.json"
    old = ('{"customModels": [' + ",".join(['{"model": "a"}'] * 40000) + "]}\n").encode()
    new = old.replace(b'"a"', b'"b"')
    assert len(old) == len(new) > 500_000
    path.write_bytes(old)
    path.chmod(0o600)  # a file holding keys: its temporary copies must never be more open
    rng = random.Random(6)
    outcomes = set()
    for _ in range(12):
        pid = os.fork()
        if pid == 0:  # the child rewrites the file back and forth until it is killed
            try:
                current = path.read_bytes()
                while True:
                    following = new if current == old else old
                    write_atomically(path, following.decode(), current)
                    current = following
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        data = path.read_bytes()
        assert data in (old, new), "torn file after a kill"
        outcomes.add(data)
        for leftover in tmp_path.glob(".settings.json.*"):
            assert leftover.stat().st_mode & 0o077 == 0, "a temporary copy was readable"
            leftover.unlink()
    assert outcomes, "the child never ran"


# --- what is kept -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o664, 0o660])
def test_file_mode_is_kept(factory: Path, mode: int) -> None:
    path = settings(factory, mode=mode)
    code, _, err = cli("--fix", str(path))
    assert code == 0, err
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_is_kept_when_root_fixes_a_users_file(factory: Path) -> None:
    """`sudo factory-lint --fix ~user/.factory/settings.json` must not hand the file to root."""
    path = settings(factory, mode=0o600)
    os.chown(path, 4242, 4343)
    code, _, err = cli("--fix", str(path))
    assert code == 0, err
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (4242, 4343)
    assert path.read_text() == FIXED


def test_symlink_is_kept_and_its_target_rewritten(factory: Path, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "factory"
    dotfiles.mkdir(parents=True)
    real = settings(dotfiles, mode=0o600)
    link = factory / "settings.json"
    link.symlink_to(os.path.relpath(real, factory))
    code, _, err = cli("--fix", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(real, factory)
    assert real.read_text() == FIXED
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert listing(factory) == ["settings.json"] and listing(dotfiles) == ["settings.json"]


def test_symlink_chain_is_followed(factory: Path, tmp_path: Path) -> None:
    real = settings(tmp_path, mode=0o600)
    middle = tmp_path / "middle.json"
    middle.symlink_to(real)
    link = factory / "settings.json"
    link.symlink_to(middle)
    assert cli("--fix", str(link))[0] == 0
    assert link.is_symlink() and middle.is_symlink()
    assert real.read_text() == FIXED


def test_line_endings_and_comments_are_kept(factory: Path) -> None:
    path = settings(factory, BROKEN.replace("\n", "\r\n"))
    assert cli("--fix", str(path))[0] == 0
    assert path.read_bytes() == FIXED.replace("\n", "\r\n").encode()


# --- no write over a concurrent change ---------------------------------------------------------


def test_a_file_changed_between_read_and_write_is_not_overwritten(
    factory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = settings(factory)
    theirs = BROKEN.replace("// my models", "// edited in the editor meanwhile")
    real_fix_text = runner.fix_text

    def fix_text_while_someone_edits(*args: object, **kwargs: object) -> object:
        path.write_text(theirs)  # e.g. the user saves in their editor while we lint
        return real_fix_text(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "fix_text", fix_text_while_someone_edits)
    code, _, err = cli("--fix", str(path))
    assert code == 2
    assert "changed on disk since it was read; not rewritten" in err
    assert path.read_text() == theirs
    assert listing(factory) == ["settings.json"]


def test_write_atomically_refuses_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{}")
    with pytest.raises(FileChangedError):
        write_atomically(path, '{"a": 1}', b"{ }")
    assert path.read_text() == "{}"
    assert listing(tmp_path) == ["settings.json"]


def test_a_file_replaced_by_a_directory_meanwhile_is_an_error_not_a_crash(
    factory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = settings(factory)
    real_fix_text = runner.fix_text

    def swap(*args: object, **kwargs: object) -> object:
        path.unlink()
        path.mkdir()
        return real_fix_text(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "fix_text", swap)
    code, _, err = cli("--fix", str(path))
    assert code == 2 and "Traceback" not in err
    assert path.is_dir()


def test_a_file_changed_while_the_fix_is_prepared_is_not_overwritten(
    factory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of issue 14: an editor saves while the new content is written and fsynced
    (the old check ran before that). The last check runs after the fsync, just before the
    rename."""
    path = settings(factory)
    theirs = BROKEN.replace("// my models", "// saved by the editor during the fsync")
    real_fsync = os.fsync

    def fsync_while_someone_saves(descriptor: int) -> None:
        real_fsync(descriptor)
        path.write_text(theirs)

    monkeypatch.setattr(fixes.os, "fsync", fsync_while_someone_saves)
    code, _, err = cli("--fix", str(path))
    assert code == 2
    assert f"{path}: changed on disk since it was read; not rewritten" in err
    assert path.read_text() == theirs
    assert listing(factory) == ["settings.json"]


def test_a_file_replaced_by_a_new_inode_with_the_same_content_is_not_overwritten(
    factory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves by rename makes a new file; even with the same bytes it is not
    the file that was read (it may have another mode or owner), so it is left alone."""
    path = settings(factory)
    real_fsync = os.fsync

    def fsync_while_someone_renames(descriptor: int) -> None:
        real_fsync(descriptor)
        other = factory / "other.json"
        other.write_text(BROKEN)
        os.replace(other, path)

    monkeypatch.setattr(fixes.os, "fsync", fsync_while_someone_renames)
    code, _, err = cli("--fix", str(path))
    assert code == 2 and "changed on disk since it was read" in err
    assert path.read_text() == BROKEN


def _run_with_alarm(seconds: int, call: object) -> object:
    """Run ``call`` and fail (instead of hanging the test run) after ``seconds``."""

    def timeout(*_: object) -> None:
        raise AssertionError("hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        return call()  # type: ignore[operator]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("when", ["before-write", "during-write"])
def test_a_file_swapped_for_a_fifo_is_refused_without_hanging(
    factory: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    path = settings(factory)

    def swap() -> None:
        path.unlink()
        os.mkfifo(path)

    if when == "before-write":
        real_fix_text = runner.fix_text

        def fix_text_then_swap(*args: object, **kwargs: object) -> object:
            result = real_fix_text(*args, **kwargs)  # type: ignore[arg-type]
            swap()
            return result

        monkeypatch.setattr(runner, "fix_text", fix_text_then_swap)
    else:
        real_fsync = os.fsync

        def fsync_then_swap(descriptor: int) -> None:
            real_fsync(descriptor)
            swap()

        monkeypatch.setattr(fixes.os, "fsync", fsync_then_swap)
    code, _, err = _run_with_alarm(10, lambda: cli("--fix", str(path)))  # type: ignore[misc]
    assert code == 2
    assert f"{path}: is no longer a regular file; not rewritten" in err
    assert stat.S_ISFIFO(os.lstat(path).st_mode)
    assert listing(factory) == ["settings.json"]


def test_opening_never_blocks_on_a_fifo_that_appears_after_the_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The FIFO is swapped in between the ``stat`` and the ``open`` of the final check."""
    path = tmp_path / "settings.json"
    path.write_text("{}")
    real_stat = os.stat
    resolved = str(path.resolve())
    calls = []

    def stat_then_swap(target: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]
        if str(target) == resolved:
            calls.append(1)
            if len(calls) == 2:  # the check just before the rename
                path.unlink()
                os.mkfifo(path)
        return result

    monkeypatch.setattr(fixes.os, "stat", stat_then_swap)
    with pytest.raises(FileChangedError, match="no longer a regular file"):
        _run_with_alarm(10, lambda: write_atomically(path, '{"a": 1}', b"{}"))
    assert stat.S_ISFIFO(os.lstat(path).st_mode)
    assert listing(tmp_path) == ["settings.json"]


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o555])
def test_a_read_only_file_is_not_rewritten(factory: Path, mode: int) -> None:
    path = settings(factory, mode=mode)
    code, _, err = cli("--fix", str(path))
    assert code == 2
    assert (
        f"{path}: not rewritten: the file is read-only (mode {mode:04o}); make it writable "
        "(chmod u+w) to apply the fixes"
    ) in err
    assert err.count("\n") == 1 or "Found" in err
    path.chmod(0o600)
    assert path.read_text() == BROKEN
    assert listing(factory) == ["settings.json"]


def _as_user(uid: int, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *command],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": "/nonexistent", "XDG_CACHE_HOME": "/nonexistent"},
        check=False,
    )


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root and setpriv to make another user",
)
def test_another_users_file_in_a_folder_you_own_is_not_rewritten() -> None:
    """User 4242 owns the folder, so renaming over root's file inside it would succeed and
    make the file 4242's: refused."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="fl-owner-"))  # pytest's folders are root-only
    folder = base / "project" / ".factory"
    folder.mkdir(parents=True)
    for part in (base, base / "project", folder):
        part.chmod(0o755)
    os.chown(folder, 4242, 4242)
    try:
        _check_other_owner(folder)
    finally:
        shutil.rmtree(base)


def _check_other_owner(folder: Path) -> None:
    path = settings(folder, mode=0o666)  # writable by anyone: only the owner matters
    result = _as_user(
        4242, sys.executable, "-m", "factory_lint", "--no-config", "--no-cache", "--fix", str(path)
    )
    assert result.returncode == 2, result.stderr
    assert (
        f"{path}: not rewritten: the file belongs to user 0 and factory-lint runs as user 4242"
    ) in result.stderr
    info = path.stat()
    assert (info.st_uid, path.read_text()) == (0, BROKEN)
    assert listing(folder) == ["settings.json"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_a_group_that_cannot_be_kept_refuses_the_write(
    factory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0640 file whose group cannot be given to the new file (chown fails) would open it to
    another group: refused, old file kept."""
    path = settings(factory, mode=0o640)
    os.chown(path, 0, 4343)

    def chown_fails(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(fixes.os, "chown", chown_fails)
    with pytest.raises(FixRefusedError, match="could not be kept"):
        write_atomically(path, FIXED, BROKEN.encode())
    assert path.read_text() == BROKEN and path.stat().st_gid == 4343
    assert listing(factory) == ["settings.json"]


# --- no write when nothing changes -------------------------------------------------------------


def _stamp(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns


@pytest.mark.parametrize(
    "text",
    [
        CLEAN,
        BROKEN.replace('"${ANTHROPIC_API_KEY}",', '"${ANTHROPIC_API_KEY},'),  # unfixable
        CLEAN.replace('"anthropic"', '"antropic"'),  # only an unsafe fix
    ],
    ids=["clean", "unfixable", "unsafe-only"],
)
def test_no_write_when_nothing_changes(factory: Path, text: str) -> None:
    path = settings(factory, text)
    before = _stamp(path)
    time.sleep(0.01)
    cli("--fix", str(path))
    assert _stamp(path) == before, "the file was rewritten"
    assert path.read_text() == text


def test_second_fix_run_writes_nothing(factory: Path) -> None:
    path = settings(factory)
    assert cli("--fix", str(path))[0] == 0
    before = _stamp(path)
    time.sleep(0.01)
    code, _, err = cli("--fix", str(path))
    assert code == 0 and "Fixed" not in err
    assert _stamp(path) == before


def test_diff_never_writes(factory: Path) -> None:
    path = settings(factory)
    before = _stamp(path)
    _, out, _ = cli("--diff", "--unsafe-fixes", str(path))
    assert '+      "provider": "anthropic",' in out
    assert _stamp(path) == before


# --- duplicate keys ---------------------------------------------------------------------------


def test_a_duplicate_key_does_not_block_other_fixes(factory: Path) -> None:
    """Regression: a duplicate key (a warning; Droid parses the file) made --fix refuse the
    whole file with "still has syntax errors", so a trailing comma was never fixed."""
    text = '{\n  "diffMode": "github",\n  "diffMode": "unified",\n  "customModels": [],\n}\n'
    path = settings(factory, text)
    code, _, err = cli("--fix", str(path))
    assert "not fixed" not in err
    assert path.read_text() == text.replace("[],\n}", "[]\n}")
    assert code == 0


def test_fixes_that_would_create_a_duplicate_key_are_not_written(factory: Path) -> None:
    """Two unknown keys with the same did-you-mean would both be renamed to `max_tokens`."""
    text = '{"custom_models": [{"max_tokns": 1, "maxTokens": 2}]}\n'
    path = factory / "config.json"
    path.write_text(text)
    code, _, err = cli("--fix", "--unsafe-fixes", str(path))
    after = parse(path.read_text())
    assert not [p for p in after.problems if p.kind == "duplicate-key"], path.read_text()
    if path.read_text() == text:
        assert "would create a duplicate key" in err and code == 2
