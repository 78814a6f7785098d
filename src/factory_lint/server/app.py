"""The language server: pygls wiring, document sync, scheduling, and every LSP feature."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar, cast

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from factory_lint import __version__
from factory_lint.config import Config, ConfigError, find_config
from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import Options, lint_text
from factory_lint.files import file_info
from factory_lint.findings import Finding
from factory_lint.kinds import Kind
from factory_lint.redaction import find_secrets
from factory_lint.runner import LintRequest, options_for
from factory_lint.server import (
    actions,
    completion,
    convert,
    hover,
    log,
    probing,
    symbols,
    transport,
)
from factory_lint.server.analysis import (
    Analysis,
    LintSetup,
    full_analysis,
    incremental_analysis,
    parse_only,
)
from factory_lint.server.documents import Change, OpenDocument, apply_changes, uri_to_path
from factory_lint.server.log import LOGGER, scrub_text
from factory_lint.server.settings import SECTION, ServerSettings, parse_settings

if TYPE_CHECKING:
    from factory_lint.probe import ModelEntry

F = TypeVar("F", bound=Callable[..., Any])
#: Texts at least this long are fully linted in a worker thread so the server stays responsive:
#: every text, since even a short one can be slow (20 KB took 40 s before the tokeniser was
#: fixed, and 500 unknown keys with their did-you-mean suggestions take a second), and a lint
#: on the event loop held every other request (a hover on another document waited 46 s).
THREAD_MIN_CHARS = 0


class FactoryLintProtocol(LanguageServerProtocol):
    """pygls' protocol with our position-encoding choice and our own document store.

    pygls keeps a copy of every document and splits lines with ``str.splitlines``, which also
    breaks at U+2028 and friends (not line breaks in LSP); we keep the text ourselves and
    skip that copy.
    """

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        offered = list(general.position_encodings or []) if general is not None else []
        if general is not None and offered:
            # UTF-8 when the client offers it (cheap for us and for it), else UTF-16.
            chosen = (
                types.PositionEncodingKind.Utf8
                if types.PositionEncodingKind.Utf8 in offered
                else types.PositionEncodingKind.Utf16
            )
            general.position_encodings = [chosen]
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        return result

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)
        if handler is not None:
            yield handler, (params,), None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._notification_ids: set[Any] = set()

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: Any = None,
        kwargs: Any = None,
    ) -> None:
        """pygls keeps the future of every notification handled by a coroutine or generator in
        ``_request_futures`` and only removes those of requests: about 1.8 KB per keystroke,
        for the life of the server. The futures of finished notifications are dropped here,
        64 at a time (never from a done callback: pygls iterates the dict while cancelling)."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        futures: dict[Any, Any] = self._request_futures
        if callback != self._check_handler_result or msg_id not in futures:
            return
        pending = self._notification_ids
        pending.add(msg_id)
        if len(pending) >= 64:
            for done in [i for i in pending if i not in futures or futures[i].done()]:
                futures.pop(done, None)
                pending.discard(done)

    # --- sending large payloads without lsprotocol/cattrs ----------------------------------------

    def send_json_notification(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification whose params are already plain JSON data."""
        send = getattr(self, "_send_data", None)
        if send is None:  # pragma: no cover - a pygls without the private hook
            self.notify(method, params)
            return
        send({"jsonrpc": "2.0", "method": method, "params": params})

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        if error is None and isinstance(result, RawResult) and hasattr(self, "_send_data"):
            self._result_types.pop(msg_id, None)
            self._send_data({"jsonrpc": "2.0", "id": msg_id, "result": result.value})
            return
        if isinstance(result, RawResult):
            result = result.value
        super()._send_response(msg_id, result, error)


@dataclass(frozen=True, slots=True)
class RawResult:
    """A request result that is already plain JSON data (sent as is)."""

    value: Any


class FactoryLanguageServer(LanguageServer):
    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls would show the raw error text to the user; log it, scrubbed, instead.
        LOGGER.error("protocol error (%s): %s", type(error).__name__, error)

    def run_stdio(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> int:
        """Serve over stdio through :mod:`transport` (pygls' loop leaves malformed requests
        unanswered); returns the exit status: 0 after ``shutdown``, else 1, as LSP says."""
        writer = StdoutWriter(stdout or sys.stdout.buffer)
        self.protocol.set_writer(writer)
        dispatcher = transport.Dispatcher(self.protocol, writer.write)
        self._stop_event = threading.Event()
        code = 1
        try:
            why = asyncio.run(
                transport.run(
                    dispatcher,
                    stdin or sys.stdin.buffer,
                    self._stop_event,
                    transport.PARENT_CHECK_SECONDS,
                )
            )
            log.disconnect()
            LOGGER.info("stopping: %s", why)
            code = 0 if dispatcher.shut_down else 1
        except SystemExit as exit_:  # the "exit" notification
            code = exit_.code if isinstance(exit_.code, int) else 0
        except BrokenPipeError:
            log.disconnect()
            LOGGER.warning("the client closed the connection: stopping")
        except KeyboardInterrupt:
            code = 130
        finally:
            log.disconnect()
            self.shutdown()  # type: ignore[no-untyped-call]
        return code


@dataclass(slots=True)
class ClientFeatures:
    pull: bool = False
    refresh: bool = False
    configuration: bool = False
    snippets: bool = False
    markdown_completion: bool = True
    markdown_hover: bool = True
    deprecated_tag: bool = False
    diagnostic_tags: bool = False
    document_changes: bool = False
    code_action_literals: bool = True
    code_action_resolve: bool = False
    hierarchical_symbols: bool = True
    work_done: bool = False
    watch_files: bool = False
    code_lens_refresh: bool = False


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def client_features(capabilities: types.ClientCapabilities) -> ClientFeatures:
    text = capabilities.text_document
    item = _get(text, "completion", "completion_item")
    resolve = _get(text, "code_action", "resolve_support", "properties") or []
    hover_formats = _get(text, "hover", "content_format")
    completion_formats = _get(item, "documentation_format")
    return ClientFeatures(
        pull=_get(text, "diagnostic") is not None,
        refresh=bool(_get(capabilities, "workspace", "diagnostics", "refresh_support")),
        configuration=bool(_get(capabilities, "workspace", "configuration")),
        snippets=bool(_get(item, "snippet_support")),
        markdown_completion=completion_formats is None
        or types.MarkupKind.Markdown in completion_formats,
        markdown_hover=hover_formats is None or types.MarkupKind.Markdown in hover_formats,
        deprecated_tag=types.CompletionItemTag.Deprecated
        in (_get(item, "tag_support", "value_set") or []),
        diagnostic_tags=bool(_get(text, "publish_diagnostics", "tag_support"))
        or bool(_get(text, "diagnostic")),
        document_changes=bool(
            _get(capabilities, "workspace", "workspace_edit", "document_changes")
        ),
        code_action_literals=_get(text, "code_action", "code_action_literal_support") is not None,
        code_action_resolve="edit" in resolve,
        hierarchical_symbols=bool(
            _get(text, "document_symbol", "hierarchical_document_symbol_support")
        ),
        work_done=bool(_get(capabilities, "window", "work_done_progress")),
        watch_files=bool(
            _get(capabilities, "workspace", "did_change_watched_files", "dynamic_registration")
        ),
        code_lens_refresh=bool(_get(capabilities, "workspace", "code_lens", "refresh_support")),
    )


class Server:
    """All the state of one server process."""

    def __init__(self) -> None:
        self.ls = FactoryLanguageServer(
            "factory-lint",
            __version__,
            protocol_cls=FactoryLintProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.docs: dict[str, OpenDocument] = {}
        self.init_settings = ServerSettings()
        self.settings = ServerSettings()
        self.generation = 0
        self.encoding = "utf-16"
        self.client = ClientFeatures()
        self._config_errors: set[str] = set()
        self._secrets: dict[str, tuple[Analysis, list[str]]] = {}
        #: Running "Probe this model" tasks by (uri, version, entry index).
        self._probing: dict[tuple[str, int, int], asyncio.Task[dict[str, Any]]] = {}
        self._probe_slots = asyncio.Semaphore(probing.MAX_CONCURRENT)
        self._background: set[asyncio.Task[None]] = set()
        self._register()

    # --- plumbing ----------------------------------------------------------------------------

    def secrets(self) -> list[str]:
        """Every secret in the open documents (for scrubbing error messages)."""
        found: list[str] = []
        for doc in list(self.docs.values()):
            analysis = doc.analysis
            if analysis is None:
                continue
            cached = self._secrets.get(doc.uri)
            if cached is None or cached[0] is not analysis:
                try:
                    secrets = find_secrets(analysis.text)
                    values = secrets.values + secrets.short
                except Exception:
                    values = []
                cached = (analysis, values)
                self._secrets[doc.uri] = cached
            found.extend(cached[1])
        return found

    def scrub(self, text: str) -> str:
        return scrub_text(text, self.secrets())

    def log(self, level: int, message: str) -> None:
        """Log to the client's log (see :mod:`.log`), never with a secret in it."""
        LOGGER.log(level, "%s", self.scrub(message))

    def guard(self, default: Callable[[], object]) -> Callable[[F], F]:
        """Turn any exception of a handler into a logged error and a harmless default."""

        def wrap(function: F) -> F:
            name = function.__name__
            if asyncio.iscoroutinefunction(function):

                @functools.wraps(function)
                async def run_async(*args: Any) -> Any:
                    try:
                        return await function(*args)
                    except asyncio.CancelledError:
                        raise
                    except Exception as error:
                        self._failed(name, error)
                        return default()

                return cast(F, run_async)

            @functools.wraps(function)
            def run(*args: Any) -> Any:
                try:
                    return function(*args)
                except Exception as error:
                    self._failed(name, error)
                    return default()

            return cast(F, run)

        return wrap

    def _failed(self, name: str, error: BaseException) -> None:
        import traceback

        where = "".join(traceback.format_tb(error.__traceback__)[-3:])
        self.log(logging.ERROR, f"{name} failed: {type(error).__name__}: {error}\n{where}")

    def _register(self) -> None:
        ls = self.ls
        none: Callable[[], None] = lambda: None  # noqa: E731
        empty: Callable[[], list[Any]] = list

        ls.feature(types.INITIALIZE)(self.guard(none)(self.on_initialize))
        ls.feature(types.INITIALIZED)(self.guard(none)(self.on_initialized))
        ls.feature(types.SHUTDOWN)(self.guard(none)(self.on_shutdown))
        ls.feature(types.TEXT_DOCUMENT_DID_OPEN)(self.guard(none)(self.on_open))
        ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)(self.guard(none)(self.on_change))
        ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)(self.guard(none)(self.on_close))
        ls.feature(types.TEXT_DOCUMENT_DID_SAVE)(self.guard(none)(self.on_save))
        ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(
            self.guard(none)(self.on_configuration_changed)
        )
        ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)(
            self.guard(none)(self.on_watched_files)
        )
        ls.feature(
            types.TEXT_DOCUMENT_DIAGNOSTIC,
            types.DiagnosticOptions(
                identifier="factory-lint",
                inter_file_dependencies=True,
                workspace_diagnostics=False,
            ),
        )(self.guard(self._empty_report)(self.on_pull))
        ls.feature(
            types.TEXT_DOCUMENT_COMPLETION,
            types.CompletionOptions(trigger_characters=['"', ":"], resolve_provider=False),
        )(self.guard(none)(self.on_completion))
        ls.feature(types.TEXT_DOCUMENT_HOVER)(self.guard(none)(self.on_hover))
        ls.feature(
            types.TEXT_DOCUMENT_CODE_ACTION,
            types.CodeActionOptions(
                code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND],
                resolve_provider=True,
            ),
        )(self.guard(empty)(self.on_code_action))
        ls.feature(types.CODE_ACTION_RESOLVE)(self.guard(self._unresolved)(self.on_resolve))
        ls.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(self.guard(empty)(self.on_symbols))
        ls.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(
            self.guard(empty)(self.on_code_lens)
        )
        ls.command(probing.PROBE_COMMAND)(self.guard(none)(self.on_probe_command))

    @staticmethod
    def _empty_report() -> types.RelatedFullDocumentDiagnosticReport:
        return types.RelatedFullDocumentDiagnosticReport(items=[])

    @staticmethod
    def _unresolved() -> types.CodeAction:
        return types.CodeAction(title="factory-lint: nothing to do")

    # --- lifecycle and settings --------------------------------------------------------------

    def on_initialize(self, params: types.InitializeParams) -> None:
        with contextlib.suppress(RuntimeError):  # no running loop: a unit test's direct call
            protocol = cast(FactoryLintProtocol, self.ls.protocol)
            log.connect(
                lambda kind, message: protocol.send_json_notification(
                    types.WINDOW_LOG_MESSAGE, {"type": kind, "message": message}
                ),
                asyncio.get_running_loop(),
            )
        self.client = client_features(params.capabilities)
        general = params.capabilities.general
        offered = list(general.position_encodings or []) if general is not None else []
        self.encoding = "utf-8" if types.PositionEncodingKind.Utf8 in offered else "utf-16"
        settings, warnings = parse_settings(params.initialization_options)
        self.init_settings = self.settings = settings
        for warning in warnings:
            self.log(logging.WARNING, f"initializationOptions: {warning}")
        LOGGER.info(
            "factory-lint %s: encoding %s, %s diagnostics",
            __version__,
            self.encoding,
            "pull" if self.client.pull else "push",
        )

    async def on_initialized(self, params: types.InitializedParams) -> None:
        await self.refresh_configuration()
        if self.client.watch_files:
            await self._watch_files()

    async def _watch_files(self) -> None:
        """Ask the client to report changes to the files that change what is a problem."""
        patterns = [
            "**/.factory-lint.toml",
            "**/pyproject.toml",
            "**/.factory/{settings,settings.local,config,mcp,hooks}.json",
            "**/.factory/hooks/hooks.json",
        ]
        registration = types.Registration(
            id="factory-lint-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=p) for p in patterns]
            ),
        )
        try:
            await self.ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as error:
            LOGGER.info("file watching not registered: %s", type(error).__name__)

    def on_shutdown(self, params: Any) -> None:
        for doc in self.docs.values():
            self._cancel(doc)
        for task in list(self._probing.values()):
            task.cancel()

    async def refresh_configuration(self) -> None:
        if not self.client.configuration:
            return
        try:
            result = await self.ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
            )
        except Exception as error:
            self.log(logging.WARNING, f"workspace/configuration failed: {type(error).__name__}")
            return
        raw = result[0] if result else None
        if raw is None:
            return
        self.apply_settings({SECTION: raw} if isinstance(raw, dict) else raw, "configuration")

    def apply_settings(self, raw: object, source: str) -> None:
        settings, warnings = parse_settings(raw, self.init_settings)
        for warning in warnings:
            self.log(logging.WARNING, f"{source}: {warning}")
        if settings == self.settings:
            return
        lenses_changed = settings.probe_code_lens != self.settings.probe_code_lens
        self.settings = settings
        self.settings_changed()
        if lenses_changed and self.client.code_lens_refresh:
            task = asyncio.ensure_future(self._refresh_lenses())
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _refresh_lenses(self) -> None:
        try:
            await self.ls.workspace_code_lens_refresh_async(None)
        except Exception as error:
            LOGGER.info("code lens refresh failed: %s", type(error).__name__)

    def settings_changed(self) -> None:
        """Options changed: forget every result and lint again."""
        self.generation += 1
        for doc in self.docs.values():
            doc.analysis = None
            doc.inflight = None
            self.schedule(doc, 0)
        if self.client.pull and self.client.refresh:
            self._refresh_pull()

    async def on_configuration_changed(self, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict) and SECTION in settings:
            self.apply_settings(settings, "settings")
        else:
            await self.refresh_configuration()

    def on_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        self._invalidate_setups()

    def _invalidate_setups(self) -> None:
        from factory_lint import config as config_module

        cache_clear = getattr(getattr(config_module, "_find_config", None), "cache_clear", None)
        if callable(cache_clear):
            cache_clear()
        self.settings_changed()

    # --- documents ---------------------------------------------------------------------------

    def on_open(self, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        doc = OpenDocument(
            item.uri, uri_to_path(item.uri), item.language_id, item.version, item.text
        )
        self.docs[item.uri] = doc
        self.schedule(doc, 0)

    def on_change(self, params: types.DidChangeTextDocumentParams) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return
        changes = []
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                changes.append(
                    Change(change.text, (start.line, start.character), (end.line, end.character))
                )
            else:
                changes.append(Change(change.text))
        doc.text = apply_changes(doc.text, changes, self.encoding, doc.cached_source())
        doc.version = params.text_document.version
        doc.drop_probes()  # they describe the old text
        self.schedule(doc, self.settings.debounce_ms)

    def on_close(self, params: types.DidCloseTextDocumentParams) -> None:
        doc = self.docs.pop(params.text_document.uri, None)
        self._secrets.pop(params.text_document.uri, None)
        if doc is None:
            return
        self._cancel(doc)
        if not self.client.pull and doc.published is not None and doc.published[1]:
            self.ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=[])
            )

    def on_save(self, params: types.DidSaveTextDocumentParams) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return
        # The file's mode and its neighbours may have changed on disk: recompute its place,
        # and that of the other open files in the same folder.
        folder = doc.path.parent if doc.path is not None else None
        for other in self.docs.values():
            if other is doc or (
                folder is not None and other.path is not None and other.path.parent == folder
            ):
                other.setup = None
                other.analysis = None
                other.inflight = None
                self.schedule(other, 0)

    def _cancel(self, doc: OpenDocument) -> None:
        for task in (doc.lint_task, doc.full_task):
            if task is not None and not task.done():
                task.cancel()
        doc.lint_task = doc.full_task = None

    # --- linting -----------------------------------------------------------------------------

    def setup_for(self, doc: OpenDocument) -> LintSetup:
        if doc.setup is not None and doc.setup_generation == self.generation:
            return doc.setup
        path = doc.path
        settings = self.settings
        config = Config()
        if path is not None and settings.use_config:
            try:
                config = find_config(path.parent)
            except ConfigError as error:
                message = str(error)
                if message not in self._config_errors:
                    self._config_errors.add(message)
                    self.log(logging.WARNING, message)
        request = LintRequest(select=settings.select, ignore=settings.ignore)
        base = options_for(request, config, path)
        options = Options(base.select, base.ignore, (*settings.severity, *base.severity))
        info = FileInfo(doc.uri, "unknown", False, None)
        if path is not None:
            try:
                mode = os.stat(path).st_mode & 0o777 if path.exists() else None
                info = file_info(path, mode)
                info = self._with_open_neighbours(info)
            except Exception as error:
                self.log(logging.WARNING, f"cannot inspect {path}: {type(error).__name__}")
                info = FileInfo(str(path), "unknown", False, None)
        doc.setup = LintSetup(path, info, options)
        doc.setup_generation = self.generation
        return doc.setup

    def _with_open_neighbours(self, info: FileInfo) -> FileInfo:
        """Use the editor's unsaved text for neighbouring Droid files that are open."""
        if not info.related:
            return info
        by_path = {str(d.path.resolve()): d for d in self.docs.values() if d.path is not None}
        related = []
        for item in info.related:
            try:
                key = str(Path(item.path).resolve())
            except OSError:
                key = item.path
            open_doc = by_path.get(key)
            related.append(
                RelatedFile(item.path, item.name, open_doc.text, item.level)
                if open_doc is not None
                else item
            )
        return FileInfo(info.path, info.scope, info.committed, info.mode, tuple(related))

    def schedule(self, doc: OpenDocument, delay_ms: int) -> None:
        """Lint ``doc`` after ``delay_ms`` of quiet, then publish (push clients)."""
        if doc.lint_task is not None and not doc.lint_task.done():
            doc.lint_task.cancel()
        if doc.full_task is not None and not doc.full_task.done():
            doc.full_task.cancel()
        doc.lint_task = asyncio.ensure_future(self._lint_later(doc, doc.version, delay_ms))

    async def _lint_later(self, doc: OpenDocument, version: int, delay_ms: int) -> None:
        try:
            if delay_ms > 0:
                await asyncio.sleep(delay_ms / 1000)
            if self.docs.get(doc.uri) is not doc or doc.version != version:
                return
            analysis = await self.analyse(doc)
            if analysis is None or doc.version != version or analysis.version != version:
                return  # stale: a newer edit has its own lint on the way
            if not self.client.pull:
                self.publish(doc, analysis)
            if not analysis.exact:
                doc.full_task = asyncio.ensure_future(self._full_later(doc, version))
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._failed("lint", error)

    async def _full_later(self, doc: OpenDocument, version: int) -> None:
        """After an incremental lint, lint in full once typing pauses."""
        try:
            await asyncio.sleep(self.settings.full_lint_delay_ms / 1000)
            if self.docs.get(doc.uri) is not doc or doc.version != version:
                return
            analysis = await self._full(doc)
            if analysis is None or doc.version != version:
                return
            if not self.client.pull:
                self.publish(doc, analysis)
            elif self.client.refresh:
                self._refresh_pull()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self._failed("full lint", error)

    async def analyse(self, doc: OpenDocument) -> Analysis | None:
        """The analysis of the document's current text (incremental when it can be)."""
        current = doc.current()
        if current is not None:
            return current
        setup = self.setup_for(doc)
        base = doc.analysis
        if (
            base is not None
            and base.kind is not None
            and len(doc.text) >= self.settings.incremental_min_chars
        ):
            started = time.perf_counter()
            updated = incremental_analysis(base, doc.text, doc.version, setup)
            if updated is not None:
                doc.analysis = updated
                LOGGER.debug(
                    "incremental lint of %s: %.1f ms",
                    doc.uri,
                    (time.perf_counter() - started) * 1000,
                )
                return updated
        return await self._full(doc)

    async def _full(self, doc: OpenDocument) -> Analysis | None:
        """A full lint of the current text, shared by every caller that needs it.

        Large texts are linted in a worker thread. The work is not tied to any one caller: a
        caller that is cancelled (a newer edit) does not cancel it for the others.
        """
        version, text = doc.version, doc.text
        if doc.inflight is not None and doc.inflight[0] == version:
            return await asyncio.shield(doc.inflight[1])
        setup = self.setup_for(doc)
        future: asyncio.Future[Analysis]
        if len(text) >= THREAD_MIN_CHARS:
            future = asyncio.ensure_future(asyncio.to_thread(full_analysis, text, version, setup))
            doc.inflight = (version, future)
            future.add_done_callback(
                functools.partial(self._adopt, doc, future, text, version, setup)
            )
            return await asyncio.shield(future)
        analysis = full_analysis(text, version, setup)
        future = asyncio.get_running_loop().create_future()
        future.set_result(analysis)
        self._adopt(doc, future, text, version, setup)
        return analysis

    def _adopt(
        self,
        doc: OpenDocument,
        future: asyncio.Future[Analysis],
        text: str,
        version: int,
        setup: LintSetup,
        _done: object = None,
    ) -> None:
        """Keep a finished full lint as the document's analysis if it still applies."""
        if doc.inflight is not None and doc.inflight[1] is future:
            doc.inflight = None
        if future.cancelled() or future.exception() is not None:
            return
        analysis = future.result()
        if doc.setup is not setup:
            return  # the settings changed meanwhile
        if doc.version == version and doc.text is text:
            doc.analysis = analysis
        elif doc.analysis is None or (doc.analysis.version or 0) < version:
            # Stale, but a newer base than what we had for the next incremental step.
            doc.analysis = analysis

    def current_tree(self, doc: OpenDocument) -> Analysis:
        """A tree of the current text, without waiting for a lint (for completion/hover)."""
        current = doc.current()
        if current is not None:
            return current
        base = doc.analysis
        if (
            base is not None
            and base.kind is not None
            and len(doc.text) >= self.settings.incremental_min_chars
        ):
            updated = incremental_analysis(base, doc.text, doc.version, self.setup_for(doc))
            if updated is not None:
                doc.analysis = updated
                return updated
        return parse_only(doc.text, doc.version, doc.path)

    def _diagnostics(self, doc: OpenDocument, analysis: Analysis) -> list[dict[str, Any]]:
        if not analysis.is_factory:
            return []
        positions = convert.Positions(doc.source_for(analysis), self.encoding)
        items = convert.diagnostics_json(
            analysis.findings,
            analysis.severities,
            positions,
            analysis.version,
            tags=self.client.diagnostic_tags,
        )
        items.extend(
            convert.diagnostic_json(
                finding,
                probing.severity(finding),
                positions,
                analysis.version,
                tags=self.client.diagnostic_tags,
                source=convert.PROBE_SOURCE,
            )
            for finding in doc.probe_findings(analysis.version)
        )
        return items

    @staticmethod
    def _key(doc: OpenDocument, analysis: Analysis) -> int:
        """What identifies the published diagnostics: the lint result and the probe results."""
        key = _result_key(analysis)
        if doc.probe_findings(analysis.version):
            return hash((key, doc.probes_serial))
        return key

    def publish(self, doc: OpenDocument, analysis: Analysis) -> None:
        if self.docs.get(doc.uri) is not doc or analysis.version != doc.version:
            return  # never publish for a version the client no longer has
        key = self._key(doc, analysis)
        if (
            doc.published is not None
            and doc.published[0] == doc.version
            and doc.published_key == key
        ):
            return
        if not analysis.is_factory and doc.published is not None and not doc.published[1]:
            doc.published = (doc.version, False)
            return  # not a Droid file and nothing to clear
        diagnostics = self._diagnostics(doc, analysis)
        protocol = cast(FactoryLintProtocol, self.ls.protocol)
        protocol.send_json_notification(
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
            {"uri": doc.uri, "diagnostics": diagnostics, "version": analysis.version},
        )
        doc.published = (doc.version, bool(diagnostics))
        doc.published_key = key

    def _refresh_pull(self) -> None:
        try:
            self.ls.workspace_diagnostic_refresh(None)
        except Exception as error:
            self.log(logging.WARNING, f"diagnostic refresh failed: {type(error).__name__}")

    async def on_pull(
        self, params: types.DocumentDiagnosticParams
    ) -> (
        types.RelatedFullDocumentDiagnosticReport
        | types.RelatedUnchangedDocumentDiagnosticReport
        | RawResult
    ):
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return self._empty_report()
        analysis: Analysis | None = None
        for _attempt in range(5):
            analysis = await self.analyse(doc)
            if analysis is not None and analysis.version == doc.version:
                break
        if analysis is None:
            return self._empty_report()
        result_id = f"{analysis.version}:{self._key(doc, analysis)}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        if not analysis.exact:
            doc.full_task = asyncio.ensure_future(self._full_later(doc, doc.version))
        return RawResult(
            {"kind": "full", "resultId": result_id, "items": self._diagnostics(doc, analysis)}
        )

    # --- features ----------------------------------------------------------------------------

    def _positions(self, doc: OpenDocument) -> convert.Positions:
        return convert.Positions(doc.source(), self.encoding)

    def on_completion(self, params: types.CompletionParams) -> types.CompletionList | None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return None
        analysis = self.current_tree(doc)
        if analysis.kind is None:
            return None
        positions = self._positions(doc)
        offset = positions.offset(params.position)
        setup = self.setup_for(doc)
        request = completion.Request(
            doc.text,
            analysis.document.root,
            analysis.kind,
            offset,
            positions,
            setup.info,
            completion.Features(
                snippets=self.client.snippets,
                markdown=self.client.markdown_completion,
                deprecated_tag=self.client.deprecated_tag,
            ),
        )
        items = completion.complete(request)
        return types.CompletionList(is_incomplete=False, items=items)

    def on_hover(self, params: types.HoverParams) -> types.Hover | None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return None
        analysis = self.current_tree(doc)
        if analysis.kind is None:
            return None
        positions = self._positions(doc)
        offset = positions.offset(params.position)
        found = hover.hover(
            doc.text, analysis.document.root, analysis.kind, offset, self.setup_for(doc).info
        )
        if found is None:
            return None
        secrets = find_secrets(doc.text)
        value = scrub_text(found.markdown, secrets.values + secrets.short)
        kind = (
            types.MarkupKind.Markdown if self.client.markdown_hover else types.MarkupKind.PlainText
        )
        return types.Hover(
            contents=types.MarkupContent(kind=kind, value=value),
            range=positions.range(found.start, found.end),
        )

    def on_symbols(
        self, params: types.DocumentSymbolParams
    ) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        analysis = self.current_tree(doc)
        if analysis.kind is None:
            return []
        positions = self._positions(doc)
        root = analysis.document.root
        if self.client.hierarchical_symbols:
            return symbols.document_symbols(root, analysis.kind, positions)
        return symbols.symbol_information(root, analysis.kind, positions, doc.uri)

    async def on_code_action(
        self, params: types.CodeActionParams
    ) -> list[types.CodeAction | types.Command]:
        doc = self.docs.get(params.text_document.uri)
        if doc is None or not self.client.code_action_literals:
            return []
        analysis = await self.analyse(doc)
        if analysis is None or analysis.version != doc.version or analysis.kind is None:
            return []
        positions = self._positions(doc)
        start = positions.offset(params.range.start)
        end = positions.offset(params.range.end)
        only = params.context.only
        target = actions.EditTarget(doc.uri, doc.version, self.client.document_changes)
        result: list[types.CodeAction | types.Command] = []
        if actions.wanted(types.CodeActionKind.QuickFix, only):
            result.extend(
                actions.quick_fixes(
                    doc.text,
                    analysis.findings,
                    analysis.severities,
                    positions,
                    start,
                    end,
                    params.context.diagnostics,
                    target,
                    self.scrub,
                    suppress=True,  # both Droid file kinds are JSONC (comments allowed)
                )
            )
            probed = doc.probe_findings(analysis.version)
            if probed:
                result.extend(
                    actions.quick_fixes(
                        doc.text,
                        probed,
                        [probing.severity(f) for f in probed],
                        positions,
                        start,
                        end,
                        params.context.diagnostics,
                        target,
                        self.scrub,
                        suppress=False,  # a live result, not something to silence in the file
                        source=convert.PROBE_SOURCE,
                    )
                )
        if actions.wanted(actions.FIX_ALL_KIND, only) and actions.has_safe_fix(analysis.findings):
            action = types.CodeAction(
                title="Fix all safely fixable factory-lint problems",
                kind=actions.FIX_ALL_KIND,
                data={"uri": doc.uri, "version": doc.version, "action": "fixAll"},
            )
            if self.client.code_action_resolve:
                result.append(action)
            elif only or len(doc.text) < self.settings.incremental_min_chars:
                # No lazy resolve: compute it now, but not for every cursor move on a huge file.
                result.append(await self._resolve_fix_all(action, doc))
        return result

    async def on_resolve(self, params: types.CodeAction) -> types.CodeAction:
        data = params.data if isinstance(params.data, dict) else {}
        doc = self.docs.get(str(data.get("uri", "")))
        if doc is None or data.get("action") != "fixAll":
            return params
        if data.get("version") != doc.version:
            LOGGER.info("fix-all requested for an old version; using the current text")
        return await self._resolve_fix_all(params, doc)

    async def _resolve_fix_all(
        self, action: types.CodeAction, doc: OpenDocument
    ) -> types.CodeAction:
        setup = self.setup_for(doc)
        analysis = doc.current() or self.current_tree(doc)
        kind = analysis.kind
        if kind is None:
            return action
        text, version = doc.text, doc.version

        def relint(current: str) -> list[Finding]:
            return lint_text(current, kind, setup.info, setup.options).findings

        if len(text) >= THREAD_MIN_CHARS:
            edit = await asyncio.to_thread(actions.fix_all_edit, text, relint)
        else:
            edit = actions.fix_all_edit(text, relint)
        if doc.version != version:
            return action  # the text changed meanwhile: no edit rather than a stale one
        target = actions.EditTarget(doc.uri, version, self.client.document_changes)
        positions = self._positions(doc)
        action.edit = actions.workspace_edit(target, positions, [edit] if edit else [])
        return action

    # --- "Probe this model" ------------------------------------------------------------------

    async def _tree(self, doc: OpenDocument) -> Analysis:
        """A tree of the current text (a full lint's when one is due anyway)."""
        analysis = await self.analyse(doc)
        if analysis is None or analysis.version != doc.version or analysis.text is not doc.text:
            analysis = self.current_tree(doc)
        return analysis

    async def on_code_lens(self, params: types.CodeLensParams) -> RawResult | list[Any]:
        if not self.settings.probe_code_lens:
            return []
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return []
        analysis = await self._tree(doc)
        if analysis.kind is None:
            return []
        positions = convert.Positions(doc.source_for(analysis), self.encoding)
        tooltips: dict[str | None, str] = {}  # by base URL: few distinct ones, many entries

        def tooltip(entry: ModelEntry) -> str:
            if entry.base_url not in tooltips:
                tooltips[entry.base_url] = self.scrub(probing.tooltip(entry))
            return tooltips[entry.base_url]

        lenses = [
            {
                "range": positions.range_json(entry.start, entry.end),
                "command": {
                    "title": probing.LENS_TITLE,
                    "command": probing.PROBE_COMMAND,
                    "arguments": [doc.uri, entry.index, analysis.version],
                    "tooltip": tooltip(entry),
                },
            }
            for entry in probing.entries(analysis.text, analysis.kind, analysis.document)
        ]
        return RawResult(lenses)

    def _show(self, level: str, message: str) -> None:
        kind = {
            "error": types.MessageType.Error,
            "warning": types.MessageType.Warning,
        }.get(level, types.MessageType.Info)
        with contextlib.suppress(Exception):
            self.ls.window_show_message(
                types.ShowMessageParams(type=kind, message=self.scrub(message))
            )

    async def on_probe_command(self, *arguments: Any) -> dict[str, Any] | None:
        """``factory-lint.probeModel``: probe one custom model, show the result as diagnostics."""
        request = probing.parse_arguments(arguments)
        if isinstance(request, str):
            self._show("error", request)
            return None
        doc = self.docs.get(request.uri)
        if doc is None:
            self._show("warning", "Probe this model: the document is not open in the server.")
            return None
        analysis = await self._tree(doc)
        if analysis.kind is None:
            self._show("warning", "Probe this model: not a Droid settings or config file.")
            return None
        offset = None
        if request.position is not None:
            line, character = request.position
            offset = doc.source_for(analysis).offset_at(line, character, self.encoding)
        found = probing.entries(analysis.text, analysis.kind, analysis.document)
        entry = probing.select(found, request, offset)
        if entry is None or analysis.version is None:
            what = (
                f"no custom model at {probing.where(analysis.kind, request.index)}"
                if request.index is not None
                else "the cursor is not inside a custom model"
            )
            self._show("warning", f"Probe this model: {what}.")
            return None
        key = (doc.uri, analysis.version, entry.index)
        task = self._probing.get(key)
        if task is None:  # the same entry of the same text is probed once at a time
            task = asyncio.ensure_future(
                self._probe(doc, analysis.text, analysis.version, analysis.kind, entry)
            )
            self._probing[key] = task
            task.add_done_callback(lambda done: self._forget_probe(key, done))
        # A cancelled request (the client gave up) does not stop the probe or lose its result.
        return await asyncio.shield(task)

    def _forget_probe(self, key: tuple[str, int, int], task: asyncio.Task[Any]) -> None:
        if self._probing.get(key) is task:
            del self._probing[key]
        if not task.cancelled() and task.exception() is not None:
            self._failed("probe", task.exception() or RuntimeError())

    async def _probe(
        self, doc: OpenDocument, text: str, version: int, kind: Kind, entry: ModelEntry
    ) -> dict[str, Any]:
        index, label = entry.index, entry.label
        trusted = probing.is_users_own(doc.path)
        names = probing.needs_environment(entry)
        if names and not trusted:
            name = doc.path.name if doc.path is not None else doc.uri
            trusted = await self._consent(probing.consent_question(name, entry, names))
        try:
            async with self._probe_slots:
                findings = await probing.in_daemon_thread(
                    functools.partial(probing.run_probe, text, kind, index, trusted),
                    timeout=probing.answer_within(),
                )
        except TimeoutError:
            self._show(
                "error",
                f"factory-lint probe of {label} ({probing.where(kind, index)}) did not finish "
                f"within {probing.answer_within():g} s",
            )
            return {"uri": doc.uri, "entryIndex": index, "version": version, "error": True}
        except Exception as error:
            # e.g. a CA bundle that is not PEM; the message names files, never a key.
            self._show(
                "error",
                f"factory-lint probe of {label} ({probing.where(kind, index)}) could not run: "
                f"{type(error).__name__}: {error}",
            )
            return {"uri": doc.uri, "entryIndex": index, "version": version, "error": True}
        shown = self.docs.get(doc.uri) is doc and doc.version == version and doc.text is text
        if shown:
            if doc.probes_version != version:
                doc.probes = {}
                doc.probes_version = version
            doc.probes[index] = findings
            doc.probes_serial += 1
            await self._show_probe_results(doc)
        level, message = probing.summary(label, kind, index, findings, shown)
        self._show(level, message)
        return {
            "uri": doc.uri,
            "entryIndex": index,
            "version": version,
            "shown": shown,
            "findings": [
                {"code": f.code, "severity": probing.severity(f), "message": self.scrub(f.message)}
                for f in findings
            ],
        }

    async def _consent(self, question: str) -> bool:
        """Ask the user (``window/showMessageRequest``); no answer, or none in time, is no."""
        try:
            answer = await asyncio.wait_for(
                self.ls.window_show_message_request_async(
                    types.ShowMessageRequestParams(
                        type=types.MessageType.Warning,
                        message=self.scrub(question),
                        actions=[
                            types.MessageActionItem(title=probing.CONSENT_SEND),
                            types.MessageActionItem(title=probing.CONSENT_REFUSE),
                        ],
                    )
                ),
                probing.CONSENT_SECONDS,
            )
        except Exception:  # not supported, failed, or not answered in time
            return False
        return answer is not None and answer.title == probing.CONSENT_SEND

    async def _show_probe_results(self, doc: OpenDocument) -> None:
        """Make the client show the document's diagnostics again, probe results included."""
        if self.client.pull:
            # The next pull includes them; ask for one when the client lets us.
            if self.client.refresh:
                self._refresh_pull()
            return
        analysis = await self.analyse(doc)
        if analysis is not None and analysis.version == doc.version:
            self.publish(doc, analysis)
        # Otherwise a lint of the current version is on its way and will include them.


def _result_key(analysis: Analysis) -> int:
    return hash(
        (
            analysis.kind,
            tuple(
                (f.code, f.start, f.end, f.message, s)
                for f, s in zip(analysis.findings, analysis.severities, strict=True)
            ),
        )
    )
