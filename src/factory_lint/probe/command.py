"""``factory-lint probe``: the command line of the live check.

Which files, and what may be sent: with no paths, only the user's own files (``~/.factory``)
are probed. ``${NAME}`` values of the environment are only expanded and sent for those, or
for other files when the user passes ``--allow-project-env`` or says yes to the question the
probe asks on a terminal (listing each variable and the host it would go to); otherwise such
an entry is reported as not probed (FL813). Keys go over plain ``http://`` to another machine
only with ``--allow-http``.

Findings go through the lint reporters (:mod:`factory_lint.report`) and exit codes are lint's:
0 no errors, 1 errors (or warnings with ``--strict``), 2 usage error or unreadable file,
3 internal error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from factory_lint.engine import LintResult, scrub_findings
from factory_lint.files import FileError, decode, discover, open_output, read_file
from factory_lint.findings import Finding
from factory_lint.jsonc import Document, parse
from factory_lint.kinds import Kind, resolve_kind
from factory_lint.probe.core import (
    DEFAULT_TIMEOUT,
    MODEL_BUDGET_TIMEOUTS,
    ProbeOptions,
    is_users_own,
    needs_environment,
    probe_model,
)
from factory_lint.probe.entries import ModelEntry, model_entries
from factory_lint.probe.transport import ProbeSetupError, show_url, ssl_context
from factory_lint.report import FORMATS, FileReport, render
from factory_lint.rules.registry import RULES
from factory_lint.text import SourceText

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
ENV_FORMAT = "FACTORY_LINT_OUTPUT_FORMAT"
DEFAULT_CONCURRENCY = 4
#: The longest --timeout (an hour; a deep request may take 3 times as long).
MAX_TIMEOUT = 3600
T = TypeVar("T")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factory-lint probe",
        description="Live check (opt-in, uses the network): for each custom model in the files "
        "given (or your own ~/.factory files), reach its baseUrl, list the models the way its API "
        "style does, and report unreachable hosts, rejected keys, exhausted credit, model ids "
        "the server does not list, base URLs that answer at another path (the /v1 mistakes), "
        "and Ollama models that are not pulled or have a small context window. Keys are read "
        "as Droid reads them (${NAME} in settings apiKey) and are only ever sent to the "
        "baseUrl's own origin; they are never printed. With no paths, only your own files "
        "(~/.factory) are probed; ${NAME} in any other file is not expanded unless you pass "
        "--allow-project-env or confirm on a terminal.",
        epilog="Proxies: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY. CA bundles: "
        "SSL_CERT_FILE, SSL_CERT_DIR, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, NODE_EXTRA_CA_CERTS. "
        "Exit status as for lint: 0 no errors, 1 errors (or warnings with --strict), "
        "2 usage error or unreadable file, 3 internal error, 130 interrupted.",
    )
    parser.add_argument("paths", nargs="*", help="files to probe; `-` reads standard input")
    parser.add_argument("--kind", choices=("settings", "legacy"), help="force the file kind")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds each request may take in all: connection, answer and body "
        f"(default {DEFAULT_TIMEOUT:g}, at most {MAX_TIMEOUT}); --deep requests may take 3 "
        "times as long, at least "
        f"30 s; the requests of one model together at most {MODEL_BUDGET_TIMEOUTS} times as "
        "long (plus the deep requests)",
    )
    parser.add_argument(
        "--deep",
        action="store_true",
        help="also send the smallest real request Droid would send for each model (one "
        "output token; 16 with provider openai, the Responses API minimum) and report the "
        "provider's error. This can cost a token (up to 16) on paid APIs",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"models probed at the same time (default {DEFAULT_CONCURRENCY})",
    )
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        help=f"output format (default: full on a terminal, concise otherwise; env {ENV_FORMAT})",
    )
    parser.add_argument("--output-file", help="write the report to this file instead of stdout")
    parser.add_argument(
        "--allow-project-env",
        action="store_true",
        help="expand ${NAME} in the apiKey of files outside your ~/.factory (project files, "
        "standard input) and send the values to those files' baseUrl hosts; without it the "
        "probe asks on a terminal, and otherwise reports such entries as not probed",
    )
    parser.add_argument(
        "--allow-http",
        action="store_true",
        help="send keys over plain http:// to hosts that are not this machine (refused by "
        "default: anyone on the network path could read them)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    parser.add_argument("--stdin-filename", help="the path to report for standard input")
    return parser


@dataclass(slots=True)
class _File:
    name: str
    text: str
    kind: Kind
    document: Document
    entries: list[ModelEntry]
    #: The user's own file (under ~/.factory): its ${NAME} references may be expanded.
    trusted: bool


def main(argv: Sequence[str], stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    parser = build_parser()
    args = parser.parse_args(list(argv))
    if not 0 < args.timeout <= MAX_TIMEOUT:
        parser.error(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT}")
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")
    try:
        return _probe(args, out)
    except KeyboardInterrupt:
        print("factory-lint: probe interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ProbeSetupError as error:
        print(f"factory-lint: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # the reader of the output went away: the command line ends quietly
    except Exception as error:
        print(
            f"factory-lint: internal error: {type(error).__name__}; please report it "
            "(rerun with FACTORY_LINT_DEBUG=1 for details)",
            file=sys.stderr,
        )
        if os.environ.get("FACTORY_LINT_DEBUG"):
            raise
        return EXIT_INTERNAL


def _probe(args: argparse.Namespace, out: TextIO) -> int:
    output_format = (
        args.output_format or os.environ.get(ENV_FORMAT) or ("full" if out.isatty() else "concise")
    )
    if output_format not in FORMATS:
        print(
            f"factory-lint: unknown output format {output_format!r} in {ENV_FORMAT}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    status = EXIT_OK
    paths: list[str] = list(args.paths)
    if not paths:
        found = [str(p) for p in discover(Path.cwd())]
        paths = [p for p in found if is_users_own(p)]
        for project in found:
            if project not in paths:
                print(
                    f"factory-lint: not probing {project}: with no paths the probe checks your "
                    "own files (~/.factory) only; pass a project file's path to probe it",
                    file=sys.stderr,
                )
        if not paths:
            print(
                "factory-lint: none of your own Droid files found (~/.factory/settings.json, "
                "~/.factory/config.json); pass paths to probe",
                file=sys.stderr,
            )
            return EXIT_OK
    files: list[_File] = []
    skipped: list[FileReport] = []
    for name in paths:
        stdin = name == "-"
        try:
            if stdin:
                text, _ = decode(sys.stdin.buffer.read())
                name = args.stdin_filename or "-"
                path = Path(name) if args.stdin_filename else None
            else:
                path = Path(name)
                text = read_file(path).text
        except FileError as error:
            print(f"factory-lint: {error}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        document = parse(text)
        kind, note = resolve_kind(path, document.root, args.kind)
        if kind is None:
            print(f"factory-lint: {name}: {note}", file=sys.stderr)
            skipped.append(FileReport(name, None, note))
            continue
        if kind not in ("settings", "legacy"):  # mcp.json, hooks, droids…: no custom models
            if args.paths:
                note = f"a {kind} file has no custom models to probe"
                print(f"factory-lint: {name}: {note}", file=sys.stderr)
                skipped.append(FileReport(name, None, note))
            continue
        entries = model_entries(text, kind, document)
        trusted = not stdin and is_users_own(path)
        files.append(_File(name, text, kind, document, entries, trusted))
    count = sum(len(f.entries) for f in files)
    env = dict(os.environ)
    ssl_context(env)  # a broken CA bundle is a usage error, reported once
    options = ProbeOptions(args.timeout, args.deep, env, allow_http=args.allow_http)
    allow_project_env = args.allow_project_env or _confirm_project_env(files, paths)
    if sys.stderr.isatty() and count:
        print(
            f"factory-lint: probing {count} custom model{'s' if count != 1 else ''}…",
            file=sys.stderr,
        )
    started = time.monotonic()
    jobs: list[Callable[[], list[Finding]]] = [
        functools.partial(
            probe_model,
            entry,
            dataclasses.replace(options, expand_env=f.trusted or allow_project_env),
        )
        for f in files
        for entry in f.entries
    ]
    results = run_bounded(jobs, args.concurrency)
    elapsed = time.monotonic() - started
    reports: list[FileReport] = []
    position = 0
    failing = {"error", "warning"} if args.strict else {"error"}
    for file in files:
        findings = [f for r in results[position : position + len(file.entries)] for f in r]
        position += len(file.entries)
        result = result_for(file.text, file.kind, file.document, findings)
        reports.append(FileReport(file.name, result))
        if any(severity in failing for severity in result.severities):
            status = max(status, EXIT_FINDINGS)
    try:
        _write(reports + skipped, output_format, out, args.output_file, count, len(files), elapsed)
    except FileError as error:
        print(f"factory-lint: {error}", file=sys.stderr)
        return EXIT_USAGE
    return status


def _confirm_project_env(files: list[_File], paths: list[str]) -> bool:
    """Ask on a terminal whether ``${NAME}`` values may go to the hosts project files chose;
    False without a terminal (or when standard input is being probed)."""
    asks = [
        (file.name, entry, names)
        for file in files
        if not file.trusted
        for entry in file.entries
        if (names := needs_environment(entry))
    ]
    if not asks or "-" in paths or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    lines = [
        "factory-lint: these files are not your own (outside ~/.factory), but their apiKey "
        "asks for values from your environment:"
    ]
    for name, entry, names in asks:
        try:
            where = show_url(entry.base_url or "") if entry.base_url else "(no baseUrl)"
        except ValueError:  # a port that is not a number: the entry is not probed anyway
            where = "(an invalid baseUrl)"
        lines.append(
            f"  {name}: model {entry.label}: {', '.join(f'${{{n}}}' for n in names)} -> {where}"
        )
    lines.append("Send these values to those hosts? [y/N] ")
    return ask("\n".join(lines))


def ask(question: str) -> bool:
    """Print ``question`` to stderr and read a yes/no answer from the terminal (no: default)."""
    print(question, end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("y", "yes")


def result_for(text: str, kind: Kind, document: Document, findings: list[Finding]) -> LintResult:
    """Probe findings as a :class:`LintResult`, so every reporter renders them as lint's."""
    from factory_lint.redaction import find_secrets

    secrets = find_secrets(text)
    findings = sorted(findings, key=lambda f: (f.start, f.end, f.code))
    findings = scrub_findings(findings, secrets.values + secrets.short)
    result = LintResult(kind, SourceText(text), document, findings)
    result.severities = [f.severity or RULES[f.code].severity for f in findings]
    result.secret_spans = secrets.spans
    return result


def _write(
    reports: list[FileReport],
    output_format: str,
    out: TextIO,
    output_file: str | None,
    count: int,
    file_count: int,
    elapsed: float,
) -> None:
    stream: TextIO = out
    handle = None
    if output_file:
        handle = open_output(output_file)  # FileError: exit 2 with its message
        stream = handle
    try:
        color = output_format == "full" and stream.isatty() and not os.environ.get("NO_COLOR")
        text = render(reports, output_format, color)
        if text:
            print(text, file=stream)
        if output_format in ("full", "concise"):
            print(
                _summary(reports, count, file_count, elapsed),
                file=stream if output_format == "full" else sys.stderr,
            )
    finally:
        if handle is not None:
            handle.close()


def _summary(reports: list[FileReport], count: int, file_count: int, elapsed: float) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        if report.result is not None:
            for severity, n in report.result.counts().items():
                counts[severity] += n
    probed = (
        f"Probed {count} custom model{'s' if count != 1 else ''} in {file_count} "
        f"file{'s' if file_count != 1 else ''} ({elapsed:.1f} s)."
    )
    parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n]
    return probed + (" Found " + ", ".join(parts) + "." if parts else " No problems found.")


def run_bounded(jobs: Sequence[Callable[[], T]], limit: int) -> list[T]:
    """Run ``jobs`` on at most ``limit`` daemon threads; results in job order.

    The calling thread waits in short slices, so Ctrl-C interrupts it at once; no new job
    starts after that, and the daemon threads cannot keep the process alive on exit.
    """
    if not jobs:
        return []
    results: queue.Queue[tuple[int, T | None, BaseException | None]] = queue.Queue()
    stop = threading.Event()
    lock = threading.Lock()
    pending = iter(enumerate(jobs))

    def worker() -> None:
        while not stop.is_set():
            with lock:
                item = next(pending, None)
            if item is None:
                return
            index, job = item
            try:
                results.put((index, job(), None))
            except BaseException as error:  # reported in the calling thread
                results.put((index, None, error))

    threads = [
        threading.Thread(target=worker, name=f"factory-lint-probe-{n}", daemon=True)
        for n in range(min(limit, len(jobs)))
    ]
    for thread in threads:
        thread.start()
    done: dict[int, T] = {}
    try:
        while len(done) < len(jobs):
            try:
                index, value, error = results.get(timeout=0.1)
            except queue.Empty:
                continue
            if error is not None:
                raise error
            done[index] = value  # type: ignore[assignment]
    finally:
        stop.set()
    return [done[i] for i in range(len(jobs))]
