"""The VS Code extension's package.json exposes every server setting and command."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from factory_lint.server.probing import PROBE_COMMAND
from factory_lint.server.settings import ServerSettings, parse_settings

MANIFEST = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "package.json"
#: Settings only the extension reads (where to find the server, the protocol trace).
CLIENT_ONLY = {"path", "interpreter", "trace.server"}


def _properties() -> dict[str, dict[str, Any]]:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    properties = manifest["contributes"]["configuration"]["properties"]
    return {key.removeprefix("factoryLint."): value for key, value in properties.items()}


def _other_value(schema: dict[str, Any]) -> object:
    """A valid value of the setting that is not its default."""
    kind, default = schema["type"], schema["default"]
    if kind == "boolean":
        return not default
    if kind == "integer":
        return default + 1 if default < schema.get("maximum", default + 1) else default - 1
    if kind == "array":
        return ["FL104"]
    if kind == "object":
        return {"FL104": "error"}
    raise AssertionError(f"unexpected type {kind}")


def test_defaults_are_the_servers() -> None:
    for key, schema in _properties().items():
        if key in CLIENT_ONLY:
            continue
        settings, warnings = parse_settings({key: schema["default"]})
        assert warnings == [], key
        assert settings == ServerSettings(), key


def test_every_server_setting_can_be_set_from_vs_code() -> None:
    changed: set[str] = set()
    for key, schema in _properties().items():
        if key in CLIENT_ONLY:
            continue
        settings, warnings = parse_settings({key: _other_value(schema)})
        assert warnings == [], key
        changed |= {
            field.name
            for field in dataclasses.fields(ServerSettings)
            if getattr(settings, field.name) != getattr(ServerSettings(), field.name)
        }
    assert changed == {field.name for field in dataclasses.fields(ServerSettings)}


def test_the_server_commands_are_contributed() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    commands = {command["command"] for command in manifest["contributes"]["commands"]}
    assert PROBE_COMMAND in commands
