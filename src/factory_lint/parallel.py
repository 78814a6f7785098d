"""Lint many files on several processes, with the results in the order of the paths.

The command line hands every path to :func:`lint_paths`; with few paths, or where processes
cannot be forked, it lints them one after the other in this process. Either way each path gives
the same :class:`~factory_lint.runner.Outcome` (or the same exception) as a serial run: the
workers are forked from this process (so they share its imports, configuration caches and the
git answers fetched before), they lint contiguous chunks of the paths, and the parent yields the
chunks' results in order. Workers never change the linted files: a run that fixes files stays
serial.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

from factory_lint.config import ConfigError
from factory_lint.files import FileError
from factory_lint.jsonc import Document
from factory_lint.runner import Outcome

#: More paths than this are linted in parallel (fewer are not worth a process start-up).
PARALLEL_MIN_FILES = 32
#: From this many paths on, the workers answer from the result cache too (each lint checks the
#: cache first); below it, this process answers what it can before any worker starts. Cached
#: files, whole runs (2 CPUs, medians of 12): 100 files 0.13 s here, 0.15 s on workers; 200
#: files 0.17 s either way; 400 files 0.25 s here, 0.21 s on workers.
CACHE_IN_WORKERS_MIN_FILES = 200
#: Paths per task sent to a worker: large enough to amortise the round trip, small enough that
#: the workers finish together.
CHUNK_FILES = 64

Task = Callable[[str], Outcome]
Result = tuple[str, "Outcome | FileError | ConfigError"]

#: The task of the current parallel run, and what to call after each chunk; a forked worker
#: inherits both.
_TASK: Task | None = None
_FLUSH: Callable[[], None] | None = None


def lint_paths(
    names: Sequence[str],
    task: Task,
    parallel: bool = True,
    cached: Callable[[str], Outcome | None] | None = None,
    flush: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """``(name, task(name))`` for every name, in order; a :class:`FileError` or
    :class:`ConfigError` the task raises is yielded in place of its outcome.

    ``flush()``: called by each worker after each of its chunks, to write what the task kept for
    later (new cache entries); what the task keeps in this process is the caller's to flush.

    ``cached(name)``: the outcome from the result cache, or None. When there are many files
    but fewer than CACHE_IN_WORKERS_MIN_FILES, this process answers what it can from the cache
    first (cheap, and not worth a process), and only the files left over are linted in
    parallel; with more, every file goes to the workers, whose ``task`` checks the cache itself.
    """
    jobs = _jobs(len(names)) if parallel else 1
    if jobs == 1:
        for name in names:
            yield name, _attempt(task, name)
        return
    found: list[Outcome | FileError | ConfigError | None] = [None] * len(names)
    if cached is not None and len(names) < CACHE_IN_WORKERS_MIN_FILES:
        found = [_attempt_cached(cached, name) for name in names]
    missing = [name for name, outcome in zip(names, found, strict=True) if outcome is None]
    linted = _lint_all(missing, task, _jobs(len(missing)), flush)
    try:
        for name, outcome in zip(names, found, strict=True):
            yield (name, outcome) if outcome is not None else next(linted)
    finally:
        linted.close()


def _lint_all(
    names: list[str], task: Task, jobs: int, flush: Callable[[], None] | None
) -> Generator[Result, None, None]:
    if jobs > 1:
        try:
            yield from _parallel(names, task, jobs, flush)
            return
        except _Unavailable:
            pass  # no processes here (a sandbox, a broken pool): lint in this process
    for name in names:
        yield name, _attempt(task, name)


def _attempt_cached(
    cached: Callable[[str], Outcome | None], name: str
) -> Outcome | FileError | ConfigError | None:
    try:
        return cached(name)
    except (FileError, ConfigError) as error:
        return error


def _jobs(count: int) -> int:
    if count <= PARALLEL_MIN_FILES or not sys.platform.startswith("linux"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, -(-count // PARALLEL_MIN_FILES)))


def _attempt(task: Task, name: str) -> Outcome | FileError | ConfigError:
    try:
        return task(name)
    except (FileError, ConfigError) as error:
        return error


class _Unavailable(Exception):
    """The process pool could not start or broke before yielding anything."""


def _parallel(
    names: Sequence[str], task: Task, jobs: int, flush: Callable[[], None] | None
) -> Iterator[Result]:
    global _TASK, _FLUSH
    size = max(1, min(CHUNK_FILES, -(-len(names) // (jobs * 4))))
    chunks = [list(names[i : i + size]) for i in range(0, len(names), size)]
    _TASK, _FLUSH = task, flush
    # Objects that exist now (modules, schemas, catalogs) are shared with the workers and never
    # garbage: the collector skips them in every process.
    gc.freeze()
    workers: list[_Worker] = []
    yielded = finished = False
    try:
        try:
            for _ in range(min(jobs, len(chunks))):
                workers.append(_Worker(chunks, workers))
        except OSError as error:
            raise _Unavailable from error
        import select

        by_fd = {worker.results: worker for worker in workers}
        poller = select.poll()
        for worker in workers:
            poller.register(worker.results, select.POLLIN)
        upcoming = iter(range(len(chunks)))
        for worker in workers:  # two chunks each: the next is there when one is done
            for index in itertools.islice(upcoming, 2):
                worker.send(index)
        done: dict[int, tuple[bool, Any]] = {}
        for wanted in range(len(chunks)):
            while wanted not in done:
                for fd, _ in poller.poll():
                    worker = by_fd[fd]
                    index, ok, value = worker.receive(yielded)
                    done[index] = ok, value
                    for following in itertools.islice(upcoming, 1):
                        worker.send(following)
            ok, value = done.pop(wanted)
            if not ok:
                raise value  # a bug, raised after the results before it, as in a serial run
            yielded = True
            # After the last chunk the workers are idle: they end when their pipes close, even
            # if the caller stops reading before the end (as lint_paths does).
            finished = wanted == len(chunks) - 1
            yield from value
    finally:
        for worker in workers:
            worker.stop(finished)
        _TASK = _FLUSH = None
        gc.unfreeze()


class _Worker:
    """A forked process that lints the chunks whose numbers it is sent, and sends back each
    chunk's results, pickled, in the order it finished them.

    Forked, not started through ``multiprocessing``/``concurrent.futures``: importing those took
    40-55 ms of every run of more than 32 files (their logging, queues and threads), more than
    half of the command's start-up.
    """

    def __init__(self, chunks: list[list[str]], others: list[_Worker]) -> None:
        task_read, self.tasks = os.pipe()
        self.results, result_write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            for fd in (task_read, self.tasks, self.results, result_write):
                os.close(fd)
            raise
        if self.pid == 0:  # the worker: never returns
            try:
                for other in others:  # so that each worker sees the end of its own tasks
                    os.close(other.tasks)
                    os.close(other.results)
                os.close(self.tasks)
                os.close(self.results)
                _serve(chunks, task_read, result_write)
            finally:
                os._exit(0)
        os.close(task_read)
        os.close(result_write)
        _widen(self.results)

    def send(self, index: int) -> None:
        with contextlib.suppress(OSError):  # a dead worker: its results pipe says so next
            os.write(self.tasks, index.to_bytes(4, "little"))

    def receive(self, yielded: bool) -> tuple[int, bool, Any]:
        """The next finished chunk: its number and (True, its results) or (False, the exception
        its lint raised). When the worker died, raises :class:`_Unavailable` if nothing was
        yielded yet."""
        import pickle

        header = _read(self.results, 8)
        size = int.from_bytes(header, "little") if len(header) == 8 else 0
        body = _read(self.results, size) if size else b""
        if not body or len(body) != size:  # ended, perhaps in the middle of a message
            if yielded:
                raise RuntimeError("a factory-lint worker process ended unexpectedly")
            raise _Unavailable
        index, ok, value = pickle.loads(body)
        return index, ok, value

    def stop(self, finished: bool) -> None:
        """End the worker and wait for it: closing its task pipe ends it once it has finished
        its chunks; when the run is abandoned (an error, Ctrl-C), it is killed."""
        import signal

        os.close(self.tasks)
        os.close(self.results)
        try:
            if not finished:
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass


def _serve(chunks: list[list[str]], tasks: int, results: int) -> None:
    """A worker's loop: lint each chunk whose number arrives, until the task pipe closes."""
    import pickle
    import signal

    # Ctrl-C is the parent's to handle: it stops the workers, which would only print tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while len(message := _read(tasks, 4)) == 4:
        index = int.from_bytes(message, "little")
        try:
            body = pickle.dumps((index, True, _lint_chunk(chunks[index])), -1)
        except BaseException as error:  # a bug: raised again in the parent, as in a serial run
            try:
                body = pickle.dumps((index, False, error), -1)
            except Exception:
                # (its type only: the text of an exception may quote a file's values)
                failure = RuntimeError(f"{type(error).__name__} in a worker process")
                body = pickle.dumps((index, False, failure), -1)
        data = memoryview(len(body).to_bytes(8, "little") + body)
        while data:
            data = data[os.write(results, data) :]


def _widen(fd: int) -> None:
    """Let a pipe hold a whole chunk's results (~200 KB; 64 KB by default), so that a worker
    rarely waits for this process to read before it starts its next chunk (Linux only)."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass  # above /proc/sys/fs/pipe-max-size for this user, or not Linux


def _read(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``, or fewer when it ends first."""
    parts = []
    while size:
        part = os.read(fd, min(size, 1 << 20))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _lint_chunk(names: list[str]) -> list[Result]:
    assert _TASK is not None
    results: list[Result] = []
    for name in names:
        outcome = _attempt(_TASK, name)
        if isinstance(outcome, Outcome):
            slim(outcome)
        results.append((name, outcome))
    if _FLUSH is not None:
        _FLUSH()
    return results


_NO_DOCUMENT = Document(None, [], [])


def slim(outcome: Outcome) -> None:
    """Drop the parsed tree from a finished outcome: reports need the text, the findings and
    the secret spans, not the tree, and many kept trees only slow the garbage collector (and
    the transfer from a worker)."""
    result = outcome.report.result
    if result is not None:
        result.document = _NO_DOCUMENT
