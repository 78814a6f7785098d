"""The forked workers of parallel.lint_paths: the serial order and answers, every failure
reported as a serial run would report it, and no process left behind."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from factory_lint import parallel
from factory_lint.files import FileError
from factory_lint.runner import Outcome

PARENT = os.getpid()
NAMES = [f"file-{index:03d}" for index in range(200)]


def refuse(name: str) -> Outcome:
    """A task whose answer is a FileError naming the file and the process that linted it."""
    raise FileError(f"{name} in {'parent' if os.getpid() == PARENT else 'worker'}")


def answers(results: Iterator[parallel.Result]) -> list[tuple[str, str]]:
    return [(name, str(outcome)) for name, outcome in results]


@pytest.fixture(autouse=True)
def workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the workers a test starts."""
    started: list[int] = []
    original = parallel._Worker.__init__

    def start(self: parallel._Worker, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        started.append(self.pid)

    monkeypatch.setattr(parallel._Worker, "__init__", start)
    return started


def no_children_left(pids: list[int]) -> bool:
    """Every worker was started, has ended and was waited for."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return len(pids) == 2


def test_results_come_in_order_from_the_workers(workers: list[int]) -> None:
    flushed: list[int] = []
    found = answers(parallel.lint_paths(NAMES, refuse, flush=lambda: flushed.append(1)))
    assert found == [(name, f"{name} in worker") for name in NAMES]
    assert flushed == []  # called in the workers, after each chunk: not here
    assert no_children_left(workers)


def test_a_bug_in_a_worker_is_raised_here(workers: list[int]) -> None:
    def task(name: str) -> Outcome:
        if name == "file-150":
            raise KeyError("boom")
        return refuse(name)

    seen = []
    with pytest.raises(KeyError, match="boom"):
        for name, _ in parallel.lint_paths(NAMES, task):
            seen.append(name)
    assert seen == NAMES[:150]
    assert no_children_left(workers)


def test_workers_that_die_before_any_result_leave_the_work_to_this_process(
    workers: list[int],
) -> None:
    def task(name: str) -> Outcome:
        if os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return refuse(name)

    found = answers(parallel.lint_paths(NAMES, task))
    assert found == [(name, f"{name} in parent") for name in NAMES]
    assert no_children_left(workers)


def test_a_worker_that_dies_later_is_an_error(workers: list[int]) -> None:
    def task(name: str) -> Outcome:
        if name == NAMES[-1] and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return refuse(name)

    results = parallel.lint_paths(NAMES, task)
    with pytest.raises(RuntimeError, match="worker process ended"):
        answers(results)
    assert no_children_left(workers)


def test_stopping_early_ends_the_workers(workers: list[int]) -> None:
    results = parallel.lint_paths(NAMES, refuse)
    assert next(results)[0] == NAMES[0]
    results.close()
    assert no_children_left(workers)


def test_few_files_are_linted_here(workers: list[int]) -> None:
    few = NAMES[: parallel.PARALLEL_MIN_FILES]
    assert answers(parallel.lint_paths(few, refuse)) == [(n, f"{n} in parent") for n in few]
    assert workers == []


def test_workers_end_on_their_own_when_all_is_read(
    workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """lint_paths stops reading after the last result: the idle workers then end because
    their pipes close, not because they are killed."""
    killed: list[int] = []
    real_kill = os.kill

    def kill(pid: int, sig: int) -> None:
        killed.append(pid)
        real_kill(pid, sig)

    monkeypatch.setattr(os, "kill", kill)
    found = answers(parallel.lint_paths(NAMES, refuse))
    assert found == [(name, f"{name} in worker") for name in NAMES]
    assert killed == []
    assert no_children_left(workers)


def test_a_worker_that_dies_in_the_middle_of_its_results_is_an_error(
    workers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half a message (the worker killed while writing) is a dead worker, not a pickle error."""
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        if os.getpid() != PARENT and len(data) > 1000 and b"file-1" in bytes(data):
            real_write(fd, bytes(data)[: len(data) // 2])
            os._exit(1)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    try:
        found = answers(parallel.lint_paths(NAMES, refuse))
    except RuntimeError as error:
        assert "worker process ended" in str(error)
    else:  # (the worker died before this process had any result: all linted here instead)
        assert found == [(name, f"{name} in parent") for name in NAMES]
    assert no_children_left(workers)
