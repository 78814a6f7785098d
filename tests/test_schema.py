"""Tests for the generated JSON Schemas (src/factory_lint/data, schemas/) and their fixtures."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pydantic")
jsonschema = pytest.importorskip("jsonschema")

from pydantic import BaseModel, ValidationError  # noqa: E402

from factory_lint.formats import (  # noqa: E402
    PROVIDERS,
    REASONING_EFFORTS,
    CustomModel,
    LegacyConfig,
    Settings,
)
from factory_lint.schema_gen import (  # noqa: E402
    SCHEMA_FILES,
    build_schemas,
    check_vocabulary,
    render,
)

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIRS = [REPO / "src" / "factory_lint" / "data", REPO / "schemas"]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "schema"
CORPUS = REPO.parent / "shared" / "corpus"
REGENERATE = "run `python -m factory_lint.schema_gen` to regenerate the schema files"

VALID = sorted((FIXTURES / "valid").glob("*.json"))
INVALID = sorted((FIXTURES / "invalid").glob("*.json"))
EXPECTED_ERRORS: dict[str, list[str]] = {
    name: pointers
    for name, pointers in json.loads((FIXTURES / "expected-errors.json").read_text("utf-8")).items()
    if not name.startswith("$")
}

MODELS: dict[str, type[BaseModel]] = {"settings": Settings, "legacy-config": LegacyConfig}


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return build_schemas()


def _schema_name(path: Path) -> str:
    if path.name.startswith("settings-"):
        return "settings"
    if path.name.startswith("legacy-"):
        return "legacy-config"
    raise AssertionError(f"fixture {path.name} must start with settings- or legacy-")


def _validator(schema: dict[str, Any]) -> Any:
    return jsonschema.Draft202012Validator(schema)


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _error_pointers(schema: dict[str, Any], instance: Any) -> set[str]:
    """Instance locations of all schema errors; unknown keys point at the key itself."""
    out: set[str] = set()
    for error in _validator(schema).iter_errors(instance):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            out.update(_pointer([*path, key]) for key in error.instance if key not in known)
        else:
            out.add(_pointer(path))
    return out


def _within(pointer: str, parent: str) -> bool:
    return pointer == parent or pointer.startswith(parent + "/")


# --- (1) the files on disk are up to date -----------------------------------------------------


@pytest.mark.parametrize("folder", SCHEMA_DIRS, ids=lambda p: p.parent.name + "/" + p.name)
@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_files_match_models(
    schemas: dict[str, dict[str, Any]], folder: Path, name: str
) -> None:
    path = folder / SCHEMA_FILES[name]
    assert path.is_file(), f"{path} is missing; {REGENERATE}"
    on_disk = path.read_text(encoding="utf-8")
    assert json.loads(on_disk) == schemas[name], f"{path} is out of date; {REGENERATE}"
    assert on_disk == render(schemas[name]), f"{path} is not formatted as generated; {REGENERATE}"


# --- (2) the schemas are valid draft 2020-12 and stay within the linter's vocabulary -----------


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_is_valid_draft_2020_12(schemas: dict[str, dict[str, Any]], name: str) -> None:
    schema = schemas[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://factory-lint.dev/schemas/{SCHEMA_FILES[name]}"
    assert schema["title"]
    assert schema["description"]
    assert schema["type"] == "object"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_schema_uses_only_the_interpreter_vocabulary(
    schemas: dict[str, dict[str, Any]], name: str
) -> None:
    assert check_vocabulary(schemas[name]) == []
    text = render(schemas[name])
    assert '"type": "null"' not in text
    assert '"default": null' not in text


def test_vocabulary_check_flags_unsupported_keywords() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"oneOf": [{"type": "string"}]},
            "b": {"type": "string", "maxLength": 3},
        },
    }
    assert sorted(check_vocabulary(schema)) == [
        "#/properties/a: oneOf",
        "#/properties/b: maxLength",
    ]


def test_every_property_has_a_description(schemas: dict[str, dict[str, Any]]) -> None:
    missing = []
    for name, schema in schemas.items():
        for where, obj in [("#", schema), *schema["$defs"].items()]:
            for prop, sub in obj.get("properties", {}).items():
                if not sub.get("description"):
                    missing.append(f"{name} {where}.{prop}")
    assert missing == []


def test_custom_model_shape(schemas: dict[str, dict[str, Any]]) -> None:
    entry = schemas["settings"]["$defs"]["CustomModel"]
    assert entry["additionalProperties"] is False
    assert entry["required"] == ["model", "provider"]
    assert entry["anyOf"] == [{"required": ["baseUrl"]}, {"required": ["bedrock"]}]
    props = entry["properties"]
    assert props["provider"]["enum"] == list(PROVIDERS)
    assert props["reasoningEffort"]["enum"] == list(REASONING_EFFORTS)
    for key in ("maxOutputTokens", "maxContextLimit"):
        assert props[key]["type"] == "integer"
        assert props[key]["exclusiveMinimum"] == 0
    assert props["extraHeaders"]["additionalProperties"] == {"type": "string"}
    assert props["bedrock"]["$ref"] == "#/$defs/BedrockConfig"
    for key in ("provider", "baseUrl", "model", "apiKey"):
        assert props[key]["examples"], key
    assert "${ANTHROPIC_API_KEY}" in props["apiKey"]["examples"]
    assert schemas["settings"]["$defs"]["BedrockConfig"]["additionalProperties"] is False
    legacy = schemas["legacy-config"]
    assert legacy["additionalProperties"] is True
    assert legacy["$defs"]["LegacyCustomModel"]["additionalProperties"] is False
    assert legacy["$defs"]["LegacyCustomModel"]["anyOf"] == [
        {"required": ["base_url"]},
        {"required": ["bedrock"]},
    ]


LEGACY_TOP_LEVEL_KEYS = [
    "model",
    "reasoningEffort",
    "autonomyMode",
    "specModeModel",
    "specModeReasoningEffort",
    "autonomyLevel",
    "enableCustomDroids",
    "enableHooks",
    "enableReadinessReport",
    "enableWarmup",
    "allowBackgroundProcesses",
    "opus45PriceChangeDismissed",
    "terminalColorMode",
    "showContextUtilization",
    "compactionModelMode",
    "mcp",
    "persistToCloud",
    "autoModeAllow",
    "autoModeDeny",
]


def test_legacy_keys_are_deprecated(schemas: dict[str, dict[str, Any]]) -> None:
    settings = schemas["settings"]
    props = settings["properties"]
    for key in LEGACY_TOP_LEVEL_KEYS:
        assert props[key].get("deprecated") is True, key
        assert props[key]["description"], key
    hooks = settings["$defs"]["Hooks"]["properties"]
    assert hooks["claudeHooksImported"]["deprecated"] is True
    assert hooks["importedClaudeHooks"]["deprecated"] is True
    assert settings["$defs"]["SessionDefaultSettings"]["properties"]["autonomyMode"]["deprecated"]
    # Current keys are not deprecated.
    for key in ("customModels", "sessionDefaultSettings", "hooks", "hooksDisabled"):
        assert "deprecated" not in props[key], key


# --- (3) fixtures ------------------------------------------------------------------------------


def test_fixture_sets_are_complete() -> None:
    assert len(VALID) >= 10
    assert len(INVALID) >= 10
    assert sorted(p.name for p in INVALID) == sorted(EXPECTED_ERRORS)
    for path in VALID + INVALID:
        _schema_name(path)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_is_accepted(schemas: dict[str, dict[str, Any]], path: Path) -> None:
    instance = json.loads(path.read_text(encoding="utf-8"))
    name = _schema_name(path)
    errors = [e.message for e in _validator(schemas[name]).iter_errors(instance)]
    assert errors == []
    # The pydantic models agree with the generated schema.
    MODELS[name].model_validate(instance)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_is_rejected(schemas: dict[str, dict[str, Any]], path: Path) -> None:
    instance = json.loads(path.read_text(encoding="utf-8"))
    name = _schema_name(path)
    found = _error_pointers(schemas[name], instance)
    assert found, "schema accepted an invalid fixture"
    expected = EXPECTED_ERRORS[path.name]
    unexpected = [p for p in found if not any(_within(p, e) for e in expected)]
    unmatched = [e for e in expected if not any(_within(p, e) for p in found)]
    assert unexpected == [], f"errors outside {expected}"
    assert unmatched == [], f"no error at {unmatched}; got {sorted(found)}"
    # The pydantic models agree with the generated schema.
    with pytest.raises(ValidationError):
        MODELS[name].model_validate(instance)


def test_model_validators_mirror_cross_field_rules() -> None:
    ok = {"model": "m", "provider": "anthropic", "baseUrl": "https://api.anthropic.com"}
    CustomModel.model_validate(ok)
    CustomModel.model_validate({**ok, "authMode": "bearer"})
    CustomModel.model_validate({"model": "m", "provider": "openai", "bedrock": {}})
    bad = [
        ({"model": "m", "provider": "openai"}, "baseUrl is required unless bedrock"),
        ({**ok, "provider": "openai", "authMode": "bearer"}, "authMode"),
        ({**ok, "authMode": "bearer", "bedrock": {}}, "authMode"),
        ({**ok, "provider": "bedrock-converse"}, "requires a bedrock object"),
        ({**ok, "provider": "generic-chat-completion-api", "bedrock": {}}, "bedrock requires"),
        ({**ok, "maxOutputTokens": "16384"}, "maxOutputTokens"),
        ({**ok, "maxOutputTokens": 0}, "maxOutputTokens"),
        ({**ok, "apiKey": None}, "apiKey must not be null"),
    ]
    for data, message in bad:
        with pytest.raises(ValidationError, match=re.escape(message)):
            CustomModel.model_validate(data)


# --- (4) real-world corpus: the validator runs without crashing -------------------------------

_LINE_COMMENT = re.compile(r'^((?:[^"\n]|"(?:[^"\\\n]|\\.)*")*?)\s*//[^\n]*$', re.MULTILINE)


def _load_lenient(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(_LINE_COMMENT.sub(r"\1", text))


CORPUS_FILES = (
    sorted(p for p in CORPUS.glob("*.json") if p.name != "DROID-VERDICTS.json")
    if CORPUS.is_dir()
    else []
)


@pytest.mark.skipif(not CORPUS_FILES, reason=f"no corpus at {CORPUS}")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_file_validates_without_crashing(
    schemas: dict[str, dict[str, Any]], path: Path
) -> None:
    try:
        instance = _load_lenient(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        pytest.skip("not parseable as JSON after stripping // comments")
    is_legacy = "legacy" in path.name or (
        isinstance(instance, dict) and "custom_models" in instance
    )
    schema = schemas["legacy-config" if is_legacy else "settings"]
    errors = list(_validator(schema).iter_errors(instance))
    for error in errors:
        assert isinstance(error.message, str)


def _verdicts() -> dict[str, Any]:
    path = CORPUS / "DROID-VERDICTS.json"
    if not path.is_file():
        return {}
    verdicts: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["verdicts"]
    return verdicts


VERDICTS = _verdicts()


@pytest.mark.skipif(not VERDICTS, reason="no DROID-VERDICTS.json in the corpus")
@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_schema_flags_what_droid_skips(schemas: dict[str, dict[str, Any]], name: str) -> None:
    """Every entry droid 0.225.2 skipped (and every file it rejected) has a schema error; entries
    it loaded have none apart from unknown keys (which droid ignores)."""
    verdict = VERDICTS[name]
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} missing")
    instance = _load_lenient(path.read_text(encoding="utf-8"))
    legacy = "custom_models" in instance
    schema = schemas["legacy-config" if legacy else "settings"]
    array = "/custom_models" if legacy else "/customModels"
    errors = list(_validator(schema).iter_errors(instance))
    if verdict["file"] == "rejected":
        assert errors
    for index, status in enumerate(verdict["models"]):
        entry = f"{array}/{index}"
        here = [e for e in errors if _within(_pointer(e.absolute_path), entry)]
        if status == "skipped":
            assert here, f"droid skipped {entry} but the schema accepts it"
        else:
            assert all(e.validator == "additionalProperties" for e in here), [
                e.message for e in here
            ]
