"""Pure parts of the server: settings parsing, cursor location, minimal edits, URIs."""

from __future__ import annotations

import pytest

from factory_lint.fixes import apply_edits
from factory_lint.jsonc import parse
from factory_lint.server.convert import minimal_edit
from factory_lint.server.documents import Change, apply_changes, uri_to_path
from factory_lint.server.locate import locate
from factory_lint.server.settings import ServerSettings, parse_settings


def test_settings_nested_and_flat() -> None:
    nested, warnings = parse_settings(
        {"factoryLint": {"select": "FL2, FL4", "severity": {"FL105": "off", "FL303": "Error"}}}
    )
    assert warnings == []
    assert nested.select == ("FL2", "FL4")
    assert nested.severity == (("FL303", "error"),)
    assert nested.ignore == ("FL105",)
    flat, _ = parse_settings({"ignore": ["FL104"], "debounceMs": 0})
    assert flat.ignore == ("FL104",) and flat.debounce_ms == 0


def test_settings_bad_values_are_reported_and_ignored() -> None:
    settings, warnings = parse_settings(
        {"select": 3, "debounceMs": -1, "severity": {"FL1": "loud"}, "bogus": 1, "path": "x"}
    )
    assert settings.select == () and settings.debounce_ms == ServerSettings().debounce_ms
    assert len(warnings) == 4  # select, debounceMs, severity.FL1, bogus (path is the client's)
    assert parse_settings(None)[0] == ServerSettings()


@pytest.mark.parametrize(
    ("text", "place", "path", "token"),
    [
        ('{ "customModels": [ { "prov| } ] }', "key", ["customModels", "0"], '"prov'),
        ('{ "customModels": [ { "model": "x",\n  pro| } ] }', "key", ["customModels", "0"], "pro"),
        (
            '{ "customModels": [ { "provider": | } ] }',
            "value",
            ["customModels", "0", "provider"],
            "",
        ),
        (
            '{ "customModels": [ { "provider": "an|" } ] }',
            "value",
            ["customModels", "0", "provider"],
            '"an"',
        ),
        ('{ "customModels": [ {}, | ] }', "value", ["customModels", "1"], ""),
        ('{ "modelFavorites": [ "|" ] }', "value", ["modelFavorites", "0"], '""'),
        ('{ "model"|: 1 }', "none", [], ""),
        ('{ "model": "x"| }', "none", [], ""),
        ('{ "customModels": [] }|', "none", [], ""),
    ],
)
def test_locate(text: str, place: str, path: list[str], token: str) -> None:
    offset = text.index("|")
    clean = text.replace("|", "")
    cursor = locate(clean, parse(clean).root, offset)
    assert cursor.place == place
    if place != "none":
        assert cursor.path == path
        assert clean[cursor.start : cursor.end] == token


def test_minimal_edit_never_splits_crlf() -> None:
    old, new = "a\r\nb", "a\r\r\nb"
    edit = minimal_edit(old, new)
    assert edit is not None
    assert apply_edits(old, [edit]) == new
    assert old[edit.start - 1 : edit.start + 1] != "\r\n"


def test_apply_changes_utf16_and_utf8() -> None:
    text = 'x😀"y"\n'
    # Replace "y" (after the emoji: column 4 in UTF-16 units, 6 in UTF-8 bytes).
    assert apply_changes(text, [Change("z", (0, 4), (0, 5))], "utf-16") == 'x😀"z"\n'
    assert apply_changes(text, [Change("z", (0, 6), (0, 7))], "utf-8") == 'x😀"z"\n'
    assert apply_changes(text, [Change("new")], "utf-16") == "new"


def test_uri_to_path() -> None:
    path = uri_to_path("file:///home/u/.factory/settings%20x.json")
    assert path is not None and path.name == "settings x.json"
    assert uri_to_path("untitled:Untitled-1") is None


def test_a_failing_handler_is_logged_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    from factory_lint.server.app import Server

    server = Server()

    def explode(_params: object) -> list[str]:
        raise KeyError("sk-ant-api03-" + "Zz9" * 30)

    guarded = server.guard(list)(explode)
    with caplog.at_level("ERROR", logger="factory_lint.server"):
        assert guarded(None) == []
    assert "explode failed: KeyError" in caplog.text
    assert "Zz9Zz9Zz9" not in caplog.text  # the key-shaped text is masked


def test_cli_lint_path_does_not_import_pygls() -> None:
    import subprocess
    import sys

    code = (
        "import sys, factory_lint.cli, factory_lint.runner, factory_lint.engine;"
        "print('pygls' in sys.modules or 'lsprotocol' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
