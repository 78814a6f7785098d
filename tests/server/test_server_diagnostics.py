"""Diagnostics over LSP: appear, clear, carry codes/links/fixes, right ranges in any encoding."""

from __future__ import annotations

import json

import pytest
from lsp_harness import Session
from lsprotocol import types

from factory_lint.rules.registry import RULES

pytestmark = pytest.mark.asyncio(loop_scope="session")

BROKEN = """{
  "customModels": [
    {
      "model": "claude-sonnet-4-5-20250929",
      "displayName": "Sonnet",
      "baseUrl": "https://api.anthropic.com",
      "apiKey": "${ANTHROPIC_API_KEY}",
      "provider": "Anthropic"
    }
  ]
}
"""


def codes(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


async def test_negotiated_encoding(session: Session) -> None:
    result = session.client.initialize_result  # type: ignore[attr-defined]
    expected = "utf-16" if session.profile == "vscode" else "utf-8"
    assert result.capabilities.position_encoding == expected
    assert (result.capabilities.diagnostic_provider is not None) is True
    if session.profile == "vscode":  # dynamic registration: the server watches config files
        methods = [r.method for r in session.client.registrations]  # type: ignore[attr-defined]
        assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods


async def test_diagnostics_appear_and_clear(session: Session) -> None:
    uri = session.open(BROKEN)
    found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    provider = next(d for d in found if d.code == "FL202")
    rule = RULES["FL202"]
    assert provider.source == "factory-lint"
    assert provider.severity == types.DiagnosticSeverity.Warning
    assert provider.code_description is not None
    assert provider.code_description.href == rule.url
    text = session.texts[uri]
    start = text.index('"Anthropic"')
    assert session.offset(uri, provider.range.start) == start
    assert session.offset(uri, provider.range.end) == start + len('"Anthropic"')
    assert isinstance(provider.data, dict)
    assert provider.data["fix"]["edits"][0]["newText"] == '"anthropic"'
    assert provider.data["fix"]["safe"] is True

    session.edit(uri, start, start + len('"Anthropic"'), '"anthropic"')
    cleared = await session.diagnostics(uri, lambda ds: "FL202" not in codes(ds))
    assert "FL202" not in codes(cleared)


async def test_error_and_info_severities(session: Session) -> None:
    text = json.dumps(
        {
            "customModels": [
                {
                    "model": "m",
                    "baseUrl": "http://localhost:11434/v1",
                    "provider": "claude",
                }
            ],
            "autonomyLevel": "high",
        },
        indent=2,
    )
    uri = session.open(text)
    found = await session.diagnostics(uri, lambda ds: "FL201" in codes(ds))
    by_code = {str(d.code): d for d in found}
    assert by_code["FL201"].severity == types.DiagnosticSeverity.Error
    infos = [d for d in found if RULES[str(d.code)].severity == "info"]
    for diagnostic in infos:
        assert diagnostic.severity == types.DiagnosticSeverity.Information


async def test_syntax_error_then_fixed(session: Session) -> None:
    uri = session.open('{\n  "customModels": [],\n}\n')
    found = await session.diagnostics(uri, lambda ds: "FL002" in codes(ds))
    assert found[0].severity == types.DiagnosticSeverity.Error
    session.replace_all(uri, '{\n  "customModels": []\n}\n')
    await session.diagnostics(uri, lambda ds: not ds)


async def test_emoji_before_error_utf16_and_utf8(session: Session) -> None:
    # The error (a wrong provider) comes after a displayName with emoji on the same line:
    # the column differs between UTF-16 (2 units per emoji), UTF-8 (4 bytes) and code points.
    line = (
        '    { "displayName": "🚀 Fast 😀 model", "model": "m", '
        '"baseUrl": "https://api.anthropic.com", "provider": "claude" }'
    )
    text = '{\n  "customModels": [\n' + line + "\n  ]\n}\n"
    uri = session.open(text)
    found = await session.diagnostics(uri, lambda ds: "FL201" in codes(ds))
    diagnostic = next(d for d in found if d.code == "FL201")
    prefix = line[: line.index('"claude"')]
    units = {
        "utf-16": len(prefix.encode("utf-16-le")) // 2,
        "utf-8": len(prefix.encode("utf-8")),
    }[session.encoding]
    assert diagnostic.range.start.line == 2
    assert diagnostic.range.start.character == units
    assert units != len(prefix)  # the emoji really make a difference
    width = len('"claude"')
    assert diagnostic.range.end.character == units + width


async def test_crlf_ranges(session: Session) -> None:
    text = BROKEN.replace("\n", "\r\n")
    uri = session.open(text)
    found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    diagnostic = next(d for d in found if d.code == "FL202")
    assert diagnostic.range.start.line == 7
    assert session.offset(uri, diagnostic.range.start) == text.index('"Anthropic"')


async def test_not_a_factory_file_gets_nothing(session: Session) -> None:
    package = '{ "name": "x", "customModelz": 1, "provider": "nope" }'
    uri = session.open(package, name="package.json", folder=session.folder("app"))
    vscode_settings = '{ "editor.tabSize": 2 }'
    other = session.open(vscode_settings, name="settings.json", folder=session.folder(".vscode"))
    if session.pull:
        assert await session.diagnostics(uri) == []
        assert await session.diagnostics(other) == []
    else:
        # A Droid file opened after them is linted, so by then they were handled too.
        probe = session.open(BROKEN)
        await session.diagnostics(probe, lambda ds: bool(ds))
        for target in (uri, other):
            pushes = [p for p in session.published if p.uri == target]
            assert all(not p.diagnostics for p in pushes)


async def test_rapid_edits_publish_only_current_versions(session: Session) -> None:
    uri = session.open(BROKEN)
    await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    before = len(session.published)
    start = session.texts[uri].index("Sonnet")
    for step in range(8):  # faster than the debounce: only the last version is linted
        session.edit(uri, start + step, start + step, "x")
    found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    assert found
    if not session.pull:
        pushes = [p.version for p in session.published[before:] if p.uri == uri]
        assert pushes[-1] == session.versions[uri]
        assert pushes == sorted(pushes)  # never an older version after a newer one


async def test_fix_edits_travel_in_data(session: Session) -> None:
    uri = session.open(BROKEN)
    found = await session.diagnostics(uri, lambda ds: "FL202" in codes(ds))
    for diagnostic in found:
        assert isinstance(diagnostic.data, dict)
        assert diagnostic.data["rule"] == RULES[str(diagnostic.code)].name
