"""Lint one file from disk or stdin: read, pick the kind, lint, optionally fix and write."""

from __future__ import annotations

from pathlib import Path

from factory_lint.cache import Cache, Entry
from factory_lint.config import Config, find_config_in
from factory_lint.context import FileInfo
from factory_lint.engine import LintResult, Options, lint_text, parse_document
from factory_lint.files import (
    FileError,
    decode,
    file_info,
    read_file,
    resolved_folder,
    value_budget_error,
)
from factory_lint.findings import Finding
from factory_lint.fixes import FileChangedError, FixRefusedError, fix_text, write_atomically
from factory_lint.jsonc import Document, SyntaxProblem, parse
from factory_lint.kinds import KINDS, MARKDOWN_KINDS, Kind, kind_from_path, resolve_kind
from factory_lint.records import FrozenValueRecord, ValueRecord
from factory_lint.report import FileReport
from factory_lint.text import SourceText


class LintRequest(FrozenValueRecord):
    __slots__ = ("ignore", "kind", "pre_commit", "select", "strict", "use_config")
    __match_args__ = ("kind", "select", "ignore", "pre_commit", "use_config", "strict")

    kind: Kind | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    pre_commit: bool
    use_config: bool
    strict: bool

    def __init__(
        self,
        kind: Kind | None = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        pre_commit: bool = False,
        use_config: bool = True,
        strict: bool = False,
    ) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "pre_commit", pre_commit)
        object.__setattr__(self, "use_config", use_config)
        object.__setattr__(self, "strict", strict)


class Outcome(ValueRecord):
    __slots__ = (
        "failed",
        "fixed_text",
        "fixes_applied",
        "original_text",
        "report",
        "secrets",
        "write_error",
        "written",
    )
    __match_args__ = (
        "report",
        "failed",
        "original_text",
        "fixed_text",
        "fixes_applied",
        "written",
        "write_error",
        "secrets",
    )

    report: FileReport
    failed: bool
    original_text: str | None
    fixed_text: str | None
    fixes_applied: int
    written: bool
    write_error: str | None
    secrets: list[str]

    def __init__(
        self,
        report: FileReport,
        failed: bool = False,
        original_text: str | None = None,
        fixed_text: str | None = None,
        fixes_applied: int = 0,
        written: bool = False,
        write_error: str | None = None,
        secrets: list[str] | None = None,
    ) -> None:
        self.report = report
        self.failed = failed
        self.original_text = original_text
        self.fixed_text = fixed_text
        self.fixes_applied = fixes_applied
        self.written = written
        self.write_error = write_error
        self.secrets = [] if secrets is None else secrets


def options_for(request: LintRequest, config: Config, path: Path | None) -> Options:
    ignores = (*config.ignore, *(config.ignores_for(path) if path else ()), *request.ignore)
    return Options(
        select=request.select or config.select,
        ignore=ignores,
        severity=config.severity,
    )


def parse_with(text: str, problems: list[SyntaxProblem], kind: Kind | None = None) -> Document:
    document = parse_document(text, kind) if kind is not None else parse(text)
    if problems and kind not in MARKDOWN_KINDS:
        document.problems[:0] = problems
    return document


def parse_and_resolve(
    path: Path | None, text: str, problems: list[SyntaxProblem], forced: Kind | None
) -> tuple[Document, Kind | None, str | None]:
    """The parsed document and its kind: a kind the path (or ``--kind``) names decides how
    the text is parsed; otherwise the JSONC tree's content may tell."""
    known = forced if forced is not None else (kind_from_path(path) if path is not None else None)
    if known is not None and known in MARKDOWN_KINDS:
        kind, note = resolve_kind(path, None, forced)
        if kind is None:
            return Document(None, [], []), None, note
        return parse_with(text, problems, kind), kind, note
    document = parse_with(text, problems)
    kind, note = resolve_kind(path, document.root, forced)
    return document, kind, note


def lint_one(
    name: str,
    request: LintRequest,
    data: bytes | None = None,
    fix: bool = False,
    want_fixed: bool = False,
    unsafe: bool = False,
    cache: Cache | None = None,
) -> Outcome:
    """Lint ``name`` (or ``data`` when given, for stdin) and apply fixes when asked.

    With ``cache``, a file on disk whose result is cached (see :mod:`factory_lint.cache`) is
    not linted again, and a linted one is remembered; fixing never uses the cache. The result
    of a cached file has no parsed tree (``result.document`` is empty).
    """
    path = Path(name) if name != "-" else None
    mode = None
    if data is None:
        if path is None:
            raise FileError("-: nothing to read")
        loaded = read_file(path)
        data, text, problems, mode = loaded.data, loaded.text, loaded.problems, loaded.mode
    else:
        refused = value_budget_error(name, data)
        if refused is not None:
            raise FileError(refused)
        text, problems = decode(data)
    entry = None
    if cache is not None and path is not None and not want_fixed:
        entry = cache.entry(name, request.kind, data)
        if entry.record is not None:
            hit = _cached(cache, entry, name, path, text, mode, request)
            if hit is not None:
                return hit
    document, kind, note = parse_and_resolve(path, text, problems, request.kind)
    if kind is None:
        if cache is not None and entry is not None:
            cache.store(entry, None, note, False)
        return Outcome(FileReport(name, None, note))
    config = Config()
    if request.use_config:
        config = find_config_in(resolved_folder(path.parent if path is not None else Path.cwd()))
    options = options_for(request, config, path)
    from factory_lint.redaction import find_secrets  # not needed for cached files

    found = find_secrets(text)
    secrets = found.values + found.short
    info = (
        file_info(path, mode, request.pre_commit, has_secrets=bool(secrets))
        if path is not None
        else FileInfo(name, "unknown", request.pre_commit, None)
    )
    result = lint_text(text, kind, info, options, document, found)
    outcome = Outcome(FileReport(name, result), failed=_fails(result, request.strict))
    outcome.secrets = secrets
    if cache is not None and entry is not None:
        cache.store(
            entry,
            kind,
            None,
            bool(secrets),
            cache.result_key(entry, _options_key(options), info),
            result.findings,
            result.severities,
            result.secret_spans,
            secrets,
        )
    if want_fixed:
        _fix(
            outcome,
            result,
            text,
            kind,
            info,
            options,
            problems,
            path,
            data,
            fix,
            unsafe,
            request.strict,
        )
    return outcome


def lint_cached(name: str, request: LintRequest, cache: Cache) -> Outcome | None:
    """The outcome of the file ``name`` from ``cache``, or None when it must be linted."""
    if not cache.may_hold_entries():
        return None  # a first run: nothing to read or hash (the file is read when linted)
    path = Path(name)
    loaded = read_file(path)
    entry = cache.entry(name, request.kind, loaded.data)
    if entry.record is None:
        return None
    return _cached(cache, entry, name, path, loaded.text, loaded.mode, request)


def _options_key(options: Options) -> tuple[tuple[object, ...], ...]:
    return (options.select, options.ignore, options.severity)


def _cached(
    cache: Cache,
    entry: Entry,
    name: str,
    path: Path,
    text: str,
    mode: int | None,
    request: LintRequest,
) -> Outcome | None:
    """The outcome of ``name`` from the cache, or None when its result must be computed."""
    if entry.kind is None:
        return Outcome(FileReport(name, None, entry.note))  # skipped: not a Droid file
    if entry.kind not in KINDS:
        return None
    config = find_config_in(resolved_folder(path.parent)) if request.use_config else Config()
    options = options_for(request, config, path)
    info = file_info(path, mode, request.pre_commit, has_secrets=entry.has_secrets)
    key = cache.result_key(entry, _options_key(options), info)
    found = cache.cached_result(entry, key, len(text))
    if found is None:
        return None
    findings, severities, spans = found
    result = LintResult(
        entry.kind,
        SourceText(text),
        Document(None, [], []),
        findings,
        severities,
        spans,
    )
    return Outcome(FileReport(name, result), failed=_fails(result, request.strict))


def _duplicates(problems: list[SyntaxProblem]) -> int:
    return sum(1 for p in problems if p.kind == "duplicate-key")


def _fails(result: LintResult, strict: bool) -> bool:
    failing = {"error", "warning"} if strict else {"error"}
    return any(severity in failing for severity in result.severities)


def _fix(
    outcome: Outcome,
    result: LintResult,
    text: str,
    kind: Kind,
    info: FileInfo,
    options: Options,
    problems: list[SyntaxProblem],
    path: Path | None,
    data: bytes,
    write: bool,
    unsafe: bool,
    strict: bool,
) -> None:
    if problems:
        outcome.write_error = f"{outcome.report.path}: not fixed: the file is not valid UTF-8"
        return

    def relint(current: str) -> list[Finding]:
        return lint_text(current, kind, info, options).findings

    fixed = fix_text(text, relint, unsafe)
    outcome.original_text = text
    if fixed.text == text:
        return
    # Duplicate keys are warnings (Droid parses the file) and must not block other fixes, but
    # fixes must not create new ones (two unknown keys renamed to the same name).
    remaining = parse_document(fixed.text, kind).problems
    if any(p.kind != "duplicate-key" for p in remaining):
        outcome.write_error = (
            f"{outcome.report.path}: not fixed: the file still has syntax errors that need a "
            "manual edit"
        )
        return
    if _duplicates(remaining) > _duplicates(result.document.problems):
        outcome.write_error = (
            f"{outcome.report.path}: not fixed: the fixes would create a duplicate key; "
            "fix it by hand"
        )
        return
    outcome.fixed_text = fixed.text
    outcome.fixes_applied = fixed.applied
    if not write or path is None:
        return
    try:
        write_atomically(path, fixed.text, data)
    except (FileChangedError, FixRefusedError) as error:
        outcome.write_error = str(error)
        return
    except OSError as error:
        outcome.write_error = f"{outcome.report.path}: not rewritten: {error.strerror or error}"
        return
    outcome.written = True
    after = lint_text(fixed.text, kind, info, options)
    outcome.report = FileReport(outcome.report.path, after)
    outcome.failed = _fails(after, strict)
