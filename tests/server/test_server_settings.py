"""Server settings (initializationOptions, workspace/configuration) and the incremental path."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from lsp_harness import ENV, PROFILES, SERVER, Session, make_client, start
from lsprotocol import types

from factory_lint.server.analysis import LintSetup, full_analysis

pytestmark = pytest.mark.asyncio(loop_scope="session")

TEXT = json.dumps(
    {
        "customModels": [
            {
                "model": "m",
                "baseUrl": "https://api.anthropic.com/v1",
                "provider": "Anthropic",
                "reasoningEffort": "HIGH",
            }
        ],
        "unknownSetting": 1,
    },
    indent=2,
)


def codes(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


@asynccontextmanager
async def server(
    profile: str, options: dict[str, Any], configuration: dict[str, Any] | None = None
) -> AsyncIterator[Session]:
    client = make_client()
    if configuration is not None:
        client.set_configuration(configuration)
    await client.start_io(*SERVER, env=ENV)
    try:
        await start(client, profile, options)
        yield Session(client, profile)
        await client.shutdown_session()
    finally:
        await client.stop()


@pytest.mark.parametrize("profile", PROFILES)
async def test_initialization_options_and_default_debounce(profile: str) -> None:
    options = {"factoryLint": {"ignore": ["FL104"], "severity": {"FL202": "error", "FL108": "off"}}}
    async with server(profile, options) as session:
        uri = session.open(TEXT)
        found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
        assert "FL104" not in codes(found)  # ignored
        assert "FL108" not in codes(found)  # severity "off"
        provider = next(d for d in found if d.code == "FL202")
        assert provider.severity == types.DiagnosticSeverity.Error  # overridden

        # The default debounce (150 ms) turns five quick edits into one lint.
        before = len(session.published)
        start = session.texts[uri].index('"m"') + 2
        for step in range(5):
            session.edit(uri, start + step, start + step, "x")
        await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
        if not session.pull:
            versions = [p.version for p in session.published[before:] if p.uri == uri]
            assert versions == [session.versions[uri]]


@pytest.mark.parametrize("profile", PROFILES)
async def test_workspace_configuration(profile: str) -> None:
    configuration = {"factoryLint": {"select": ["FL2"]}}
    async with server(profile, {}, configuration) as session:
        uri = session.open(TEXT)
        found = await session.diagnostics(
            uri, lambda ds: bool(ds) and all(str(d.code).startswith("FL2") for d in ds)
        )
        assert "FL202" in codes(found)
        # The client changes its settings and says so.
        session.client.set_configuration({"factoryLint": {"select": ["FL1"]}})
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings=None)
        )
        found = await session.diagnostics(
            uri, lambda ds: bool(ds) and all(str(d.code).startswith("FL1") for d in ds)
        )
        assert "FL104" in codes(found)


def big_document(count: int) -> str:
    entries = []
    for index in range(count):
        entries.append(
            {
                "model": "claude-sonnet-4-5-20250929",
                "displayName": f"Model {index}",
                "baseUrl": "https://api.anthropic.com",
                "apiKey": "${ANTHROPIC_API_KEY}",
                "provider": "anthropic",
                "maxOutputTokens": 16000,
            }
        )
    return json.dumps({"customModels": entries}, indent=2)


@pytest.mark.parametrize("profile", PROFILES)
async def test_incremental_path_matches_full_lint(profile: str) -> None:
    options = {
        "factoryLint": {"debounceMs": 0, "incrementalMinChars": 1000, "fullLintDelayMs": 100}
    }
    async with server(profile, options) as session:
        uri = session.open(big_document(40))
        await session.diagnostics(uri)
        text = session.texts[uri]
        # Break entry 20's provider, then its reasoning effort: edits inside one entry.
        start = text.index('"provider": "anthropic"', text.index('"Model 20"'))
        session.edit(uri, start + 13, start + 22, "Anthropic")
        found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
        diagnostic = next(d for d in found if d.code == "FL202")
        assert session.offset(uri, diagnostic.range.start) == start + 12
        # Insert a duplicate id in entry 5 and see the cross-entry rules settle after a pause.
        text = session.texts[uri]
        entry5 = text.index('"Model 5"')
        session.edit(
            uri, entry5 + len('"Model 5"'), entry5 + len('"Model 5"'), ', "id": "custom:Model-20-0"'
        )
        setup = LintSetup(None, full_setup_info(), options_none())
        expected = full_analysis(session.texts[uri], 0, setup)
        want = {(f.code, f.start) for f in expected.findings}
        await session.diagnostics(
            uri,
            lambda ds: {(str(d.code), session.offset(uri, d.range.start)) for d in ds} >= want,
        )


def full_setup_info() -> Any:
    from factory_lint.context import FileInfo

    return FileInfo("settings.json", "project", True, None)


def options_none() -> Any:
    from factory_lint.engine import Options

    return Options()
