"""The ``factory-lint`` command line: a thin front end over :mod:`factory_lint.engine`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from factory_lint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
#: The reader of the output went away (``factory-lint … | head -1``): 128 + SIGPIPE, the status
#: a shell reports for any Unix tool that a closed pipe stops.
EXIT_CLOSED_PIPE = 141
ENV_FORMAT = "FACTORY_LINT_OUTPUT_FORMAT"


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized as ``shutil.get_terminal_size`` would size it without
    importing shutil (which imports bz2, lzma and zlib, ~3 ms; argparse makes a formatter for
    every argument it adds)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal's width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return columns


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factory-lint",
        formatter_class=_HelpFormatter,
        description="Lint Factory Droid CLI configuration files (settings.json, "
        "settings.local.json, legacy config.json). With no paths, lint the files Droid reads: "
        "~/.factory/* and the .factory/ folders from here up to the git root.",
        epilog="Subcommands: `factory-lint server` starts the language server; "
        "`factory-lint probe` checks live that each custom model answers (see --help there); "
        "`factory-lint rule CODE` explains a rule; `factory-lint rules` lists them. "
        "Exit status: 0 clean, 1 errors found (or warnings with --strict), "
        "2 usage error or unreadable file, 3 internal error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        help="files to lint, directories (the Droid files in them), or `-` (standard input)",
    )
    from factory_lint.kinds import KINDS

    parser.add_argument("--kind", choices=KINDS, help="force the file kind")
    parser.add_argument("--stdin-filename", help="the path to report for standard input")
    parser.add_argument(
        "--output-format",
        choices=("full", "concise", "json", "sarif", "github"),
        help=f"output format (default: full on a terminal, concise otherwise; env {ENV_FORMAT})",
    )
    parser.add_argument("--output-file", help="write the report to this file instead of stdout")
    parser.add_argument(
        "--select", action="append", default=[], help="only these rules (codes, prefixes, names)"
    )
    parser.add_argument("--ignore", action="append", default=[], help="skip these rules")
    parser.add_argument("--strict", action="store_true", help="warnings also fail (exit 1)")
    parser.add_argument("--statistics", action="store_true", help="print counts per rule")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    parser.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff, also apply unsafe fixes"
    )
    parser.add_argument(
        "--diff", action="store_true", help="print the changes fixes would make; write nothing"
    )
    parser.add_argument(
        "--pre-commit",
        action="store_true",
        help="treat every file as committed (used by the pre-commit hook)",
    )
    parser.add_argument("--no-config", action="store_true", help="ignore configuration files")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="lint every file again instead of reusing the results of unchanged files "
        "(cached in $XDG_CACHE_HOME/factory-lint, else ~/.cache/factory-lint; "
        "--fix and --diff never use the cache)",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="show the version and the catalog's date, and exit"
    )
    return parser


class _VersionAction(argparse.Action):
    """``--version``: the program's version and what its model catalog was built from (read only
    when asked, so that other runs do not open the catalog)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object, **__: object) -> None:
        from factory_lint.catalog import catalog_date, catalog_sources

        lines = [f"factory-lint {__version__}", f"catalog {catalog_date()}, built from:"]
        lines += [f"  {source}" for source in catalog_sources()]
        print("\n".join(lines))
        parser.exit()


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    try:
        return _main(argv, stdout)
    except BrokenPipeError:
        # The reader closed the pipe (``| head -1``): end quietly, as Unix tools do.
        if argv is None and stdout is None:
            _exit_closed_pipe()
        return EXIT_CLOSED_PIPE


def _exit_closed_pipe() -> None:
    """End the process after a closed pipe without a word (``os._exit``: Python's own flush
    of stdout at exit would fail again and print a traceback)."""
    import contextlib

    with contextlib.suppress(Exception):
        sys.stderr.flush()  # notes already written, when stderr is not the closed pipe
    os._exit(EXIT_CLOSED_PIPE)


def _main(argv: Sequence[str] | None, stdout: TextIO | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    if args and args[0] == "server":
        from factory_lint.server import serve  # pygls is imported only here

        status = serve(args[1:])
        if argv is None and stdout is None:
            _exit_server(status)
        return status
    if args and args[0] in ("rule", "rules"):
        return _explain(args[1:], out)
    if args and args[0] == "probe":
        from factory_lint.probe.command import main as probe  # network code is imported only here

        return probe(args[1:], out)
    if argv is None and stdout is None:
        # A command, not a call from a program: a run allocates many long-lived objects
        # (modules, schemas, catalogs) and little garbage, and the cyclic collector's frequent
        # passes over them cost ~7 ms of a one-file run. (mypy does the same.)
        import gc

        gc.set_threshold(200_000, 30, 30)
    try:
        status = _lint(build_parser().parse_args(args), out)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as error:
        print(
            f"factory-lint: internal error: {type(error).__name__}; please report it "
            "(rerun with FACTORY_LINT_DEBUG=1 for details)",
            file=sys.stderr,
        )
        if os.environ.get("FACTORY_LINT_DEBUG"):
            raise
        return EXIT_INTERNAL
    if argv is None and stdout is None:
        _exit_now(status)
    return status


def _exit_now(status: int) -> None:
    """End the process at once when run as a command: everything is written, and tearing the
    interpreter down (freeing every module, catalog and tree one by one) only costs time.
    A closed pipe ends it quietly (see :func:`main`)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        _exit_closed_pipe()
    except Exception:
        return
    os._exit(status)


def _exit_server(status: int) -> None:
    """End the server process: its input reader may still be blocked in a read of stdin, and
    the interpreter cannot shut down under a thread in such a read (a fatal error)."""
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # closed by "exit", or a broken pipe
            stream.flush()
    os._exit(status)


def _explain(args: list[str], out: TextIO) -> int:
    from factory_lint.docs import rule_markdown
    from factory_lint.rules.registry import RULES, resolve

    if not args:
        for rule in RULES.values():
            print(f"{rule.code}  {rule.severity:<7}  {rule.name:<32} {rule.summary}", file=out)
        return EXIT_OK
    status = EXIT_OK
    for selector in args:
        found = resolve(selector)
        if not found:
            print(f"factory-lint: no rule matches {selector!r}", file=sys.stderr)
            status = EXIT_USAGE
        for rule in found:
            print(rule_markdown(rule), file=out)
    return status


def _lint(args: argparse.Namespace, out: TextIO) -> int:
    from factory_lint.config import ConfigError
    from factory_lint.files import (
        MAX_FILE_BYTES,
        FileError,
        begin_batch,
        discover,
        end_batch,
        open_output,
    )
    from factory_lint.parallel import lint_paths, slim
    from factory_lint.report import FileReport, render, render_statistics
    from factory_lint.runner import LintRequest, Outcome, lint_cached, lint_one

    output_format = (
        args.output_format or os.environ.get(ENV_FORMAT) or ("full" if out.isatty() else "concise")
    )
    if output_format not in ("full", "concise", "json", "sarif", "github"):
        print(
            f"factory-lint: unknown output format {output_format!r} in {ENV_FORMAT}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    select, ignore = _split(args.select), _split(args.ignore)
    for selector in (*select, *ignore):
        from factory_lint.rules.registry import resolve  # the rules load only when needed

        if not resolve(selector):
            print(f"factory-lint: no rule matches {selector!r}", file=sys.stderr)
            return EXIT_USAGE
    paths = _expand_directories(args.paths)
    if not paths and not args.paths:
        paths = [str(p) for p in discover(Path.cwd())]
        if not paths:
            print(
                "factory-lint: no Droid files found (~/.factory/settings.json, "
                ".factory/settings.json up to the git root); pass paths to lint",
                file=sys.stderr,
            )
            return EXIT_OK
    reports: list[FileReport] = []
    status = EXIT_OK
    request = LintRequest(
        kind=args.kind,
        select=select,
        ignore=ignore,
        pre_commit=args.pre_commit,
        use_config=not args.no_config,
        strict=args.strict,
    )
    diffs: list[str] = []
    fixed_files = 0
    fixes_applied = 0

    cache = None
    if not (args.no_cache or args.fix or args.diff):
        from factory_lint.cache import Cache

        cache = Cache()

    def lint(name: str) -> Outcome:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise FileError(
                    f"-: standard input is larger than the {MAX_FILE_BYTES} bytes "
                    "factory-lint reads; no Droid file is this big"
                )
            return lint_one(args.stdin_filename or "-", request, data=data)
        return lint_one(
            name,
            request,
            fix=args.fix and not args.diff,
            want_fixed=args.fix or args.diff,
            unsafe=args.unsafe_fixes,
            cache=cache,
        )

    # Files are linted in parallel when there are many, except when fixes are written.
    parallel = not args.fix and "-" not in paths
    begin_batch()
    try:
        if not args.pre_commit:
            # One git call for all files, made when the first file needs git's answer.
            from factory_lint.files import defer_git_prefetch

            defer_git_prefetch(name for name in paths if name != "-")
        cached = None
        if cache is not None:
            store = cache

            def cached(name: str) -> Outcome | None:
                return lint_cached(name, request, store)

        flush = cache.flush if cache is not None else None
        for _name, outcome in lint_paths(paths, lint, parallel, cached, flush):
            if isinstance(outcome, FileError):
                print(f"factory-lint: {outcome}", file=sys.stderr)
                status = max(status, EXIT_USAGE)
                continue
            if isinstance(outcome, ConfigError):
                print(f"factory-lint: {outcome}", file=sys.stderr)
                return EXIT_USAGE
            slim(outcome)
            reports.append(outcome.report)
            if outcome.report.note:
                print(
                    f"factory-lint: {outcome.report.path}: {outcome.report.note}",
                    file=sys.stderr,
                )
            if outcome.fixed_text is not None and args.diff and outcome.original_text is not None:
                diffs.append(_diff(outcome.report.path, outcome.original_text, outcome.fixed_text))
            if outcome.write_error:
                print(f"factory-lint: {outcome.write_error}", file=sys.stderr)
                status = max(status, EXIT_USAGE)
            if outcome.written:
                fixed_files += 1
                fixes_applied += outcome.fixes_applied
            if outcome.failed:
                status = max(status, EXIT_FINDINGS)
    finally:
        end_batch()
        if cache is not None:
            cache.flush()  # the entries of the files linted in this process
    stream: TextIO = out
    handle = None
    if args.output_file:
        try:
            handle = open_output(args.output_file)
        except FileError as error:
            print(f"factory-lint: {error}", file=sys.stderr)
            return EXIT_USAGE
        stream = handle
    try:
        if args.diff:
            text = "".join(diffs)
            if text:
                stream.write(text)
        else:
            color = output_format == "full" and stream.isatty() and not os.environ.get("NO_COLOR")
            text = render(reports, output_format, color)
            if text:
                print(text, file=stream)
            if output_format in ("full", "concise"):
                summary = _summary(reports, fixed_files, fixes_applied)
                if summary:
                    print(summary, file=stream if output_format == "full" else sys.stderr)
        if args.statistics:
            stats = render_statistics(reports)
            if stats:
                print(stats, file=stream if output_format in ("full", "concise") else sys.stderr)
        if handle is not None:
            handle.close()
    except OSError as error:
        if handle is None:
            raise
        print(
            f"factory-lint: {args.output_file}: cannot write the report: {error.strerror or error}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    finally:
        if handle is not None and not handle.closed:
            with contextlib.suppress(OSError):
                handle.close()
    return status


def _expand_directories(names: list[str]) -> list[str]:
    """The paths to lint: a directory stands for the Droid files in it (noted when none)."""
    from factory_lint.files import droid_files_in
    from factory_lint.kinds import kind_from_path

    paths: list[str] = []
    for name in names:
        if (
            name == "-"
            or not os.path.isdir(name)
            or name.rstrip("/").endswith(".json")
            or kind_from_path(Path(name)) is not None
        ):
            # (a folder named like a file, `.factory/settings.json/`, stays an error: Droid
            # cannot read it)
            paths.append(name)
            continue
        found = droid_files_in(Path(name))
        if not found:
            print(
                f"factory-lint: {name}: no Droid files found in this directory",
                file=sys.stderr,
            )
        paths.extend(str(path) for path in found)
    return paths


def _summary(reports: Sequence[object], fixed_files: int, fixes: int) -> str:
    from factory_lint.report import FileReport

    counts = {"error": 0, "warning": 0, "info": 0}
    for report in cast(Sequence[FileReport], reports):
        if report.result is not None:
            for severity, count in report.result.counts().items():
                counts[severity] += count
    parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n]
    line = "Found " + ", ".join(parts) + "." if parts else ""
    if fixed_files:
        line += f" Fixed {fixes} problem{'s' if fixes != 1 else ''} in {fixed_files} file{'s' if fixed_files != 1 else ''}."
    return line.strip()


def _diff(path: str, before: str, after: str) -> str:
    """The diff of one file; a diff that would show a secret masks it and says so on stderr."""
    from factory_lint.patch import unified_diff

    diff = unified_diff(path, before, after)
    if diff.withheld:
        lines = ", ".join(str(n) for n in diff.withheld[:8])
        more = f" and {len(diff.withheld) - 8} more" if len(diff.withheld) > 8 else ""
        count = len(diff.withheld)
        print(
            f"factory-lint: {path}: {count} change{'s' if count != 1 else ''} not shown in the "
            f"diff (line {lines}{more}): showing {'them' if count != 1 else 'it'} would show a "
            "secret; `factory-lint --fix` applies them",
            file=sys.stderr,
        )
    return diff.text
