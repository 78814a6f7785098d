""" "Probe this model": the `probeCodeLens` setting, the `factory-lint.probeModel` command, and the
probe findings shown as diagnostics until the document changes.

The model servers are the probe suite's loopback fakes (tests/probe/probe_fakes.py); nothing
leaves the machine.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from lsp_harness import ENV, HOME, PROFILES, SERVER, Session, make_client, start
from lsprotocol import types
from pytest_lsp import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "probe"))
from probe_fakes import FakeServer, OpenAIFake, Recorded, Reply

asyncio_test = pytest.mark.asyncio(loop_scope="session")

COMMAND = "factory-lint.probeModel"
PROBE = "factory-lint probe"
KEY = "sk-proj-test"  # what OpenAIFake accepts
#: Variables that would send the probe's requests elsewhere (as tests/probe/conftest.py).
NETWORK_VARIABLES = {
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
}
SERVER_ENV = {
    **{k: v for k, v in ENV.items() if k not in NETWORK_VARIABLES},
    "OPENAI_API_KEY": KEY,
}
OPTIONS = {"factoryLint": {"debounceMs": 10, "fullLintDelayMs": 50}}


def settings_text(base_url: str) -> str:
    def entry(model: str, name: str) -> dict[str, str]:
        return {
            "model": model,
            "displayName": name,
            "provider": "generic-chat-completion-api",
            "baseUrl": base_url,
            "apiKey": "${OPENAI_API_KEY}",
        }

    models: list[object] = [entry("gpt-5-codx", "Codex"), "not an entry", entry("GPT-4o", "Four")]
    return json.dumps({"customModels": models, "unknownSetting": 1}, indent=2) + "\n"


@pytest.fixture
def openai() -> Iterator[FakeServer]:
    server = FakeServer(OpenAIFake())
    yield server
    server.close()


def _on_question(client: LanguageClient, params: types.ShowMessageRequestParams) -> Any:
    client.questions.append(params.message)  # type: ignore[attr-defined]
    consent = client.consent  # type: ignore[attr-defined]
    return types.MessageActionItem(title=consent) if consent else None


@asynccontextmanager
async def server(
    profile: str, options: dict[str, Any], env: dict[str, str] | None = None
) -> AsyncIterator[Session]:
    client = make_client()
    # The documents `Session.open` makes are outside the user's ~/.factory, so the server asks
    # before sending ${OPENAI_API_KEY}: this client says "Send" unless a test sets `consent`.
    client.consent = "Send"  # type: ignore[attr-defined]
    client.questions = []  # type: ignore[attr-defined]
    client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)(_on_question)
    await client.start_io(*SERVER, env={**SERVER_ENV, **(env or {})})
    clean = False
    try:
        await start(client, profile, options)
        yield Session(client, profile)
        await client.shutdown_session()
        clean = True
    finally:
        process = getattr(client, "_server", None)
        if not clean and process is not None and process.returncode is None:
            process.kill()  # a failed test must not leave stop() waiting for the server
        await client.stop()


async def lenses(session: Session, uri: str) -> list[types.CodeLens]:
    result = await session.client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return list(result or [])


async def probe(session: Session, *arguments: object) -> Any:
    return await session.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=COMMAND, arguments=list(arguments))
    )


def probed(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.source == PROBE]


def value_range(session: Session, uri: str, value: str) -> types.Range:
    text = session.texts[uri]
    start = text.index(json.dumps(value))
    return types.Range(
        start=session.position(uri, start),
        end=session.position(uri, start + len(json.dumps(value))),
    )


@asyncio_test
async def test_no_lenses_by_default(session: Session) -> None:
    uri = session.open(settings_text("http://127.0.0.1:9/v1"))
    await session.diagnostics(uri, lambda ds: any(d.code == "FL104" for d in ds))
    assert await lenses(session, uri) == []
    # The capabilities are there (a client may bind the command to a key without lenses).
    result = session.client.initialize_result  # type: ignore[attr-defined]
    assert result.capabilities.code_lens_provider is not None
    assert COMMAND in result.capabilities.execute_command_provider.commands


@asyncio_test
@pytest.mark.parametrize("profile", PROFILES)
async def test_lenses_when_enabled(profile: str) -> None:
    options = {"factoryLint": {**OPTIONS["factoryLint"], "probeCodeLens": True}}
    async with server(profile, options) as session:
        uri = session.open(settings_text("http://127.0.0.1:9/v1"))
        found = await lenses(session, uri)
        assert [lens.command.title for lens in found if lens.command] == ["Probe this model"] * 2
        assert [list(lens.command.arguments or []) for lens in found if lens.command] == [
            [uri, 0, 1],
            [uri, 2, 1],  # index 1 is a string, not a custom model
        ]
        text = session.texts[uri]
        first = text.index("{", text.index("customModels"))
        assert found[0].range.start == session.position(uri, first)


@asyncio_test
@pytest.mark.parametrize("profile", PROFILES)
async def test_lenses_follow_configuration_changes(profile: str) -> None:
    async with server(profile, OPTIONS) as session:
        uri = session.open(settings_text("http://127.0.0.1:9/v1"))
        assert await lenses(session, uri) == []
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"factoryLint": {"probeCodeLens": True}})
        )
        await session.diagnostics(uri)
        assert len(await lenses(session, uri)) == 2


@asyncio_test
@pytest.mark.parametrize("profile", PROFILES)
async def test_probe_command_shows_findings_until_an_edit(profile: str, openai: FakeServer) -> None:
    async with server(profile, OPTIONS) as session:  # the command works without lenses
        uri = session.open(settings_text(f"{openai.url}/v1"))
        linted = await session.diagnostics(uri, lambda ds: any(d.code == "FL104" for d in ds))
        lint_codes = {str(d.code) for d in linted}
        assert "FL805" not in lint_codes
        refreshes = session.client.diagnostic_refresh_count

        result = await probe(session, uri, 0, 1)
        assert result["entryIndex"] == 0 and result["shown"] is True
        assert [f["code"] for f in result["findings"]] == ["FL805"]
        assert openai.requests[0].headers["authorization"] == f"Bearer {KEY}"  # from the env

        found = await session.diagnostics(uri, lambda ds: bool(probed(ds)))
        assert {str(d.code) for d in found} == lint_codes | {"FL805"}  # merged with the lint
        (diagnostic,) = probed(found)
        assert diagnostic.code == "FL805"
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.range == value_range(session, uri, "gpt-5-codx")
        assert '"gpt-5-codex"' in diagnostic.message  # the closest listed id
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.endswith("#fl805-model-not-listed")
        if session.pull:
            assert session.client.diagnostic_refresh_count > refreshes

        messages = [m.message for m in session.client.messages]
        assert any("FL805" in m and "customModels[0]" in m for m in messages)
        assert not any(KEY in m for m in messages)

        # The entry at a cursor position (a key binding): a case-only mismatch, with a fix.
        text = session.texts[uri]
        cursor = session.position(uri, text.index('"Four"'))
        result = await probe(session, uri, {"line": cursor.line, "character": cursor.character})
        assert result["entryIndex"] == 2
        found = await session.diagnostics(uri, lambda ds: len(probed(ds)) == 2)
        upper = next(d for d in probed(found) if d.range == value_range(session, uri, "GPT-4o"))
        actions = await session.code_actions(uri, [upper])
        assert 'Replace with "gpt-4o" (unsafe: check the result)' in [a.title for a in actions]
        assert not any(a.title.startswith("Suppress FL805") for a in actions)

        # Any edit drops the probe results; the lint ones stay.
        start = session.texts[uri].index('"Codex"') + 1
        session.edit(uri, start, start, "x")
        found = await session.diagnostics(
            uri, lambda ds: not probed(ds) and any(d.code == "FL104" for d in ds)
        )
        assert {str(d.code) for d in found} == lint_codes


@asyncio_test
@pytest.mark.parametrize("profile", PROFILES)
async def test_probe_runs_off_the_event_loop_and_a_stale_result_is_not_shown(
    profile: str, openai: FakeServer
) -> None:
    release = threading.Event()
    answer = openai.app

    def held(request: Recorded) -> Reply:
        release.wait(10)
        return answer(request)

    openai.app = held
    options = {"factoryLint": {**OPTIONS["factoryLint"], "probeCodeLens": True}}
    async with server(profile, options) as session:
        uri = session.open(settings_text(f"{openai.url}/v1"))
        await session.diagnostics(uri)
        running = asyncio.ensure_future(probe(session, uri, 0, 1))
        try:
            for _ in range(200):
                if openai.requests:
                    break
                await asyncio.sleep(0.02)
            assert openai.requests, "the probe never reached the fake"
            # The server answers while the probe waits on the network.
            assert len(await asyncio.wait_for(lenses(session, uri), 3)) == 2
            start = session.texts[uri].index('"Codex"') + 1
            session.edit(uri, start, start, "x")
            await asyncio.wait_for(session.diagnostics(uri), 3)
        finally:
            release.set()
        result = await asyncio.wait_for(running, 20)
        assert result["shown"] is False
        assert [f["code"] for f in result["findings"]] == ["FL805"]
        assert any(
            "while probing, so nothing is shown" in m.message for m in session.client.messages
        )
        await asyncio.sleep(0.3)
        assert not probed(await session.diagnostics(uri))


@asyncio_test
async def test_probe_command_with_bad_arguments_or_setup(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    async with server("neovim", OPTIONS, env={"SSL_CERT_FILE": str(bundle)}) as session:
        uri = session.open(settings_text("http://127.0.0.1:9/v1"))
        await session.diagnostics(uri)
        assert await probe(session, uri, 1, 1) is None  # a string, not a custom model
        assert await probe(session, uri, "zero") is None
        assert await probe(session, "file:///not/open.json", 0) is None
        outside = session.position(uri, 1)  # inside the top-level object, not in an entry
        assert await probe(session, uri, {"line": outside.line, "character": 0}) is None
        result = await probe(session, uri, 0, 1)  # the CA bundle makes the probe fail
        assert result["error"] is True
        messages = [m.message for m in session.client.messages]
        assert any("no custom model at customModels[1]" in m for m in messages)
        assert any("expects [uri, entryIndex, version]" in m for m in messages)
        assert any("not open" in m for m in messages)
        assert any("the cursor is not inside a custom model" in m for m in messages)
        assert any("could not run: ProbeSetupError" in m and "PEM" in m for m in messages)
        assert not probed(await session.diagnostics(uri))


def test_probe_package_is_imported_only_when_needed() -> None:
    code = textwrap.dedent(
        """
        import asyncio, dataclasses, sys
        from lsprotocol import types
        from factory_lint.server.app import Server
        from factory_lint.server.documents import OpenDocument

        async def main():
            server = Server()
            uri = "untitled:Untitled-1"
            text = '{"customModels": [{"model": "m", "baseUrl": "http://127.0.0.1:9/v1"}]}'
            server.docs[uri] = OpenDocument(uri, None, "json", 1, text)
            params = types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
            off = await server.on_code_lens(params)
            print(off == [], "factory_lint.probe" in sys.modules)
            server.settings = dataclasses.replace(server.settings, probe_code_lens=True)
            on = await server.on_code_lens(params)
            print(len(on.value), "factory_lint.probe" in sys.modules)

        asyncio.run(main())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["True False", "1 True"]


# --- untrusted documents and bounded answers (issue 14) ----------------------------------------


@asyncio_test
async def test_a_project_file_asks_before_sending_environment_values(openai: FakeServer) -> None:
    async with server("neovim", OPTIONS) as session:
        session.client.consent = "Don't send"  # type: ignore[attr-defined]
        uri = session.open(settings_text(f"{openai.url}/v1"))
        await session.diagnostics(uri)
        result = await probe(session, uri, 0, 1)
        assert [f["code"] for f in result["findings"]] == ["FL813"]
        assert "takes ${OPENAI_API_KEY} from your environment" in result["findings"][0]["message"]
        assert openai.requests == []  # nothing went out
        [question] = session.client.questions  # type: ignore[attr-defined]
        assert "settings.json is not one of your own Droid files" in question
        assert "takes ${OPENAI_API_KEY} from the language server's environment" in question
        assert f"Send that value to {openai.url}/v1?" in question
        assert KEY not in question

        session.client.consent = "Send"  # type: ignore[attr-defined]
        result = await probe(session, uri, 0, 1)
        assert [f["code"] for f in result["findings"]] == ["FL805"]
        assert openai.requests[0].headers["authorization"] == f"Bearer {KEY}"


@asyncio_test
async def test_the_users_own_file_is_probed_without_a_question(openai: FakeServer) -> None:
    async with server("neovim", OPTIONS) as session:
        session.client.consent = None  # type: ignore[attr-defined]
        folder = HOME / ".factory"
        folder.mkdir(exist_ok=True)
        uri = session.open(settings_text(f"{openai.url}/v1"), folder=folder)
        await session.diagnostics(uri)
        result = await probe(session, uri, 0, 1)
        assert [f["code"] for f in result["findings"]] == ["FL805"]
        assert session.client.questions == []  # type: ignore[attr-defined]
        assert openai.requests[0].headers["authorization"] == f"Bearer {KEY}"


@asyncio_test
async def test_the_command_answers_when_a_server_drips(openai: FakeServer) -> None:
    """A server that sends one byte at a time: the command answers at the request's deadline
    (5 s, the default timeout), with a finding, and the server keeps answering meanwhile."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b" ")
                except OSError:
                    return
                stop.wait(0.5)

    threading.Thread(target=serve, daemon=True).start()
    try:
        async with server("neovim", OPTIONS) as session:
            uri = session.open(settings_text(f"http://127.0.0.1:{port}/v1"))
            await session.diagnostics(uri)
            loop = asyncio.get_running_loop()
            started = loop.time()
            result = await asyncio.wait_for(probe(session, uri, 0, 1), 30)
            elapsed = loop.time() - started
            assert [f["code"] for f in result["findings"]] == ["FL801"]
            assert "within 5 s" in result["findings"][0]["message"]
            assert elapsed < 9, elapsed
    finally:
        stop.set()
        listener.close()
