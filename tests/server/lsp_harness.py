"""End-to-end harness: `python -m factory_lint server` over stdio, driven by pytest-lsp.

Every test runs twice, once per client profile:

- ``vscode``: VS Code's capabilities (UTF-16 only, snippets, code action literals and resolve,
  document changes) plus pull diagnostics, as VS Code 1.74+ has.
- ``neovim``: Neovim 0.11's capabilities (offers UTF-8 and UTF-16, snippets), without pull
  diagnostics, so the server pushes.

One server per profile serves the whole session; each test opens its own documents in its own
folder, so tests do not see each other's files.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from factory_lint.findings import Edit
from factory_lint.fixes import apply_edits
from factory_lint.text import SourceText

PROFILES = ("vscode", "neovim")
HOME = Path(tempfile.mkdtemp(prefix="factory-lint-server-home-"))
WORK = Path(tempfile.mkdtemp(prefix="factory-lint-server-work-"))
ENV = {**os.environ, "HOME": str(HOME), "FACTORY_HOME_OVERRIDE": str(HOME)}
SERVER = [sys.executable, "-m", "factory_lint", "server", "--log-level", "warning"]
#: Short debounce so the suite is quick; the default (150 ms) has its own test.
INIT_OPTIONS: dict[str, Any] = {"factoryLint": {"debounceMs": 10, "fullLintDelayMs": 50}}
_folders = itertools.count()


def capabilities(profile: str) -> types.ClientCapabilities:
    if profile == "vscode":
        caps = client_capabilities("visual-studio-code@v1.65.2")
        assert caps.text_document is not None and caps.workspace is not None
        caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
            dynamic_registration=True, related_document_support=False
        )
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
            refresh_support=True
        )
        return caps
    caps = client_capabilities("neovim@v0.11.0")
    assert caps.text_document is not None
    caps.text_document.diagnostic = None  # the brief's Neovim profile: push only
    caps.general = types.GeneralClientCapabilities(
        position_encodings=[
            types.PositionEncodingKind.Utf8,
            types.PositionEncodingKind.Utf16,
            types.PositionEncodingKind.Utf32,
        ]
    )
    return caps


class Session:
    """A connected client plus the text of every document it opened."""

    def __init__(self, client: LanguageClient, profile: str) -> None:
        self.client = client
        self.profile = profile
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.published: list[types.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]

    @property
    def pull(self) -> bool:
        return self.profile == "vscode"

    @property
    def encoding(self) -> str:
        return "utf-16" if self.profile == "vscode" else "utf-8"

    def folder(self, name: str = ".factory") -> Path:
        folder = WORK / f"p{next(_folders)}" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def open(self, text: str, name: str = "settings.json", folder: Path | None = None) -> str:
        path = (folder or self.folder()) / name
        uri = path.as_uri()
        self.texts[uri] = text
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="jsonc", version=1, text=text
                )
            )
        )
        return uri

    def position(self, uri: str, offset: int) -> types.Position:
        position = SourceText(self.texts[uri]).lsp_position(offset, self.encoding)
        return types.Position(line=position.line, character=position.column)

    def offset(self, uri: str, position: types.Position) -> int:
        return SourceText(self.texts[uri]).offset_at(
            position.line, position.character, self.encoding
        )

    def edit(self, uri: str, start: int, end: int, new_text: str) -> None:
        """Send an incremental change replacing ``[start, end)`` of the current text."""
        old = self.texts[uri]
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=self.position(uri, start), end=self.position(uri, end)),
            text=new_text,
        )
        self.texts[uri] = old[:start] + new_text + old[end:]
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[change],
            )
        )

    def replace_all(self, uri: str, text: str) -> None:
        self.edit(uri, 0, len(self.texts[uri]), text)

    def apply(self, uri: str, edit: types.WorkspaceEdit) -> None:
        """Apply a workspace edit from the server to our copy, then tell the server."""
        text_edits: list[types.TextEdit] = []
        if edit.document_changes:
            for change in edit.document_changes:
                assert isinstance(change, types.TextDocumentEdit)
                assert change.text_document.uri == uri
                assert change.text_document.version == self.versions[uri]
                text_edits.extend(e for e in change.edits if isinstance(e, types.TextEdit))
        if edit.changes:
            text_edits.extend(edit.changes[uri])
        old = self.texts[uri]
        edits = [
            Edit(self.offset(uri, e.range.start), self.offset(uri, e.range.end), e.new_text)
            for e in text_edits
        ]
        self.replace_all(uri, apply_edits(old, edits))

    async def diagnostics(
        self,
        uri: str,
        expect: Callable[[list[types.Diagnostic]], bool] = lambda _: True,
        timeout: float = 10.0,
    ) -> list[types.Diagnostic]:
        """The diagnostics of the current version (pulled or pushed), once ``expect`` holds."""
        deadline = asyncio.get_running_loop().time() + timeout
        last: list[types.Diagnostic] | None = None
        while asyncio.get_running_loop().time() < deadline:
            if self.pull:
                report = await self.client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(
                        text_document=types.TextDocumentIdentifier(uri=uri)
                    )
                )
                assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
                last = list(report.items)
            else:
                pushes = [p for p in self.published if p.uri == uri]
                if pushes and pushes[-1].version == self.versions[uri]:
                    last = list(pushes[-1].diagnostics)
            if last is not None and expect(last):
                return last
            await asyncio.sleep(0.03)
        raise AssertionError(f"diagnostics for {uri} never matched; last seen: {last}")

    async def completion(self, uri: str, offset: int) -> list[types.CompletionItem]:
        result = await self.client.text_document_completion_async(
            types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=self.position(uri, offset),
            )
        )
        if result is None:
            return []
        return list(result.items if isinstance(result, types.CompletionList) else result)

    async def hover(self, uri: str, offset: int) -> str | None:
        result = await self.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=self.position(uri, offset),
            )
        )
        if result is None:
            return None
        assert isinstance(result.contents, types.MarkupContent)
        return result.contents.value

    async def code_actions(
        self,
        uri: str,
        diagnostics: list[types.Diagnostic],
        only: list[str] | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> list[types.CodeAction]:
        if diagnostics and start is None:
            first = diagnostics[0].range
            position_range = first
        else:
            position_range = types.Range(
                start=self.position(uri, start or 0), end=self.position(uri, end or start or 0)
            )
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=position_range,
                context=types.CodeActionContext(diagnostics=diagnostics, only=only),
            )
        )
        actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
        resolved = []
        for action in actions:
            if action.edit is None and action.data is not None:
                action = await self.client.code_action_resolve_async(action)
            resolved.append(action)
        return resolved


def _on_publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)  # type: ignore[attr-defined]
    client.diagnostics[params.uri] = params.diagnostics


def _on_register(client: LanguageClient, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    """pytest-lsp's client, recording every publish (with its version) in ``published`` and
    accepting dynamic registrations (as VS Code and Neovim do) into ``registrations``."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_publish
    features[types.CLIENT_REGISTER_CAPABILITY] = _on_register
    register_lsp_features(client, features)
    return client


async def start(
    client: LanguageClient, profile: str, options: dict[str, Any] | None = None
) -> types.InitializeResult:
    client.profile = profile  # type: ignore[attr-defined]
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(profile),
            initialization_options=options if options is not None else INIT_OPTIONS,
            workspace_folders=None,
            root_uri=None,
        )
    )


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER, server_env=ENV, client_factory=make_client),
    params=PROFILES,
    scope="session",
)
async def lsp_client(client: LanguageClient, request: pytest.FixtureRequest) -> AsyncIterator[None]:
    result = await start(client, request.param)
    client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await client.shutdown_session()


@pytest.fixture(scope="session")
def session(lsp_client: LanguageClient) -> Session:
    return Session(lsp_client, lsp_client.profile)  # type: ignore[attr-defined]


def marked(text: str, marker: str = "|") -> tuple[str, int]:
    """A text with a cursor marker, as ``(text without the marker, offset)``."""
    offset = text.index(marker)
    return text[:offset] + text[offset + len(marker) :], offset
