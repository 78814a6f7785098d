"""Generate the JSON Schema files from the pydantic models in :mod:`factory_lint.formats`.

Run ``python -m factory_lint.schema_gen`` after changing :mod:`factory_lint.formats`. It writes

* ``src/factory_lint/data/settings.schema.json`` and ``legacy-config.schema.json`` (shipped in the
  package and loaded by the linter at run time), and
* ``schemas/settings.schema.json`` and ``schemas/legacy-config.schema.json`` (for editors and
  SchemaStore).

The linter walks the shipped schema with a tiny interpreter, so the output is post-processed to
stay within a small vocabulary (see :data:`PROPERTY_KEYWORDS`): ``Optional[X]`` becomes plain
``X`` (a JSON ``null`` is not valid for these fields in droid either), ``default: null`` is
dropped, and pydantic's auto-generated per-field titles are omitted. Only model-level schemas may
additionally use ``anyOf`` of ``required`` lists and ``allOf`` of ``if``/``then`` rules, which
the linter implements as bespoke rules.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from factory_lint.formats import HooksFile, LegacyConfig, McpFile, Settings

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "PROPERTY_KEYWORDS",
    "SCHEMA_BASE_URL",
    "SCHEMA_FILES",
    "build_schemas",
    "check_vocabulary",
    "main",
    "render",
    "write_schemas",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE_URL = "https://factory-lint.dev/schemas/"

SCHEMA_FILES: dict[str, str] = {
    "settings": "settings.schema.json",
    "legacy-config": "legacy-config.schema.json",
    "mcp": "mcp.schema.json",
    "hooks": "hooks.schema.json",
}
"""Schema name (key of :func:`build_schemas`) → file name."""

_MODELS: dict[str, type[BaseModel]] = {
    "settings": Settings,
    "legacy-config": LegacyConfig,
    "mcp": McpFile,
    "hooks": HooksFile,
}

PROPERTY_KEYWORDS: frozenset[str] = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "anyOf",
        "minimum",
        "exclusiveMinimum",
        "maximum",
        "minLength",
        "maxItems",
        "pattern",
        "description",
        "deprecated",
        "default",
        "title",
        "examples",
    }
)
"""The JSON Schema keywords the linter's run-time interpreter understands."""

_TOP_LEVEL_KEYWORDS = frozenset({"$schema", "$id", "$defs"})
_MODEL_LEVEL_KEYWORDS = frozenset({"allOf"})
"""Extra keywords allowed on object schemas (root and ``$defs`` entries): the ``anyOf`` of
``required`` lists and ``allOf`` of ``if``/``then`` rules handled by bespoke linter rules."""


class _GenerateSchema(GenerateJsonSchema):
    """Pydantic schema generator without auto-generated per-field titles ("Baseurl")."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _strip_null(node: Any) -> Any:
    """Recursively make ``Optional[X]`` plain ``X`` and drop ``default: null``."""
    if isinstance(node, list):
        return [_strip_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {key: _strip_null(value) for key, value in node.items()}
    if "default" in out and out["default"] is None:
        del out["default"]
    branches = out.get("anyOf")
    if isinstance(branches, list) and any(b == {"type": "null"} for b in branches):
        kept = [b for b in branches if b != {"type": "null"}]
        rest = {key: value for key, value in out.items() if key != "anyOf"}
        if len(kept) == 1 and isinstance(kept[0], dict) and not (set(kept[0]) & set(rest)):
            out = {**kept[0], **rest}
        else:
            out = {"anyOf": kept, **rest}
    return out


def _tidy_descriptions(node: Any) -> Any:
    """Unwrap hard-wrapped docstring descriptions into single-line paragraphs."""
    if isinstance(node, list):
        return [_tidy_descriptions(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "description" and isinstance(value, str):
            paragraphs = value.split("\n\n")
            out[key] = "\n\n".join(" ".join(p.split()) for p in paragraphs)
        elif key in ("examples", "default", "const", "enum"):
            out[key] = value
        else:
            out[key] = _tidy_descriptions(value)
    return out


_OBJECT_ORDER = (
    "$schema",
    "$id",
    "title",
    "description",
    "deprecated",
    "type",
    "additionalProperties",
    "required",
    "anyOf",
    "allOf",
    "examples",
    "properties",
    "$defs",
)
_VALUE_ORDER = (
    "$ref",
    "type",
    "enum",
    "const",
    "items",
    "additionalProperties",
    "anyOf",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "minLength",
    "maxItems",
    "pattern",
    "title",
    "description",
    "deprecated",
    "default",
    "examples",
)


def _ordered(node: Any) -> Any:
    """Order keywords for readability: object schemas lead with title and description,
    value schemas with their type. Property and definition order is kept as declared."""
    if isinstance(node, list):
        return [_ordered(item) for item in node]
    if not isinstance(node, dict):
        return node
    order = _OBJECT_ORDER if "properties" in node else _VALUE_ORDER
    keys = sorted(node, key=lambda k: order.index(k) if k in order else len(order))
    out: dict[str, Any] = {}
    for key in keys:
        value = node[key]
        if key in ("properties", "$defs"):
            out[key] = {name: _ordered(sub) for name, sub in value.items()}
        elif key in ("examples", "default", "const", "enum", "required"):
            out[key] = value
        else:
            out[key] = _ordered(value)
    return out


def _build_one(name: str, model: type[BaseModel]) -> dict[str, Any]:
    raw = model.model_json_schema(
        by_alias=True, mode="validation", schema_generator=_GenerateSchema
    )
    body = _tidy_descriptions(_strip_null(raw))
    body["$schema"] = JSON_SCHEMA_DIALECT
    body["$id"] = SCHEMA_BASE_URL + SCHEMA_FILES[name]
    ordered: dict[str, Any] = _ordered(body)
    return ordered


def build_schemas() -> dict[str, dict[str, Any]]:
    """Return ``{"settings": <schema>, "legacy-config": <schema>}`` (JSON Schema 2020-12)."""
    schemas = {name: _build_one(name, model) for name, model in _MODELS.items()}
    for schema in schemas.values():
        problems = check_vocabulary(schema)
        if problems:  # pragma: no cover - guards future edits of formats.py
            raise ValueError("schema uses unsupported keywords:\n" + "\n".join(problems))
    return schemas


def _object_schemas(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "#", schema
    for def_name, definition in schema.get("$defs", {}).items():
        yield f"#/$defs/{def_name}", definition


def check_vocabulary(schema: dict[str, Any]) -> list[str]:
    """List every place where ``schema`` uses a keyword the run-time interpreter lacks.

    The root and the ``$defs`` entries may also carry ``allOf`` (if/then rules) and an ``anyOf``
    of ``required`` lists; everything below them must use :data:`PROPERTY_KEYWORDS` only.
    """
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, bool):
            return
        if not isinstance(node, dict):
            problems.append(f"{where}: not a schema")
            return
        for key in set(node) - PROPERTY_KEYWORDS:
            problems.append(f"{where}: {key}")
        for prop, sub in node.get("properties", {}).items():
            walk(sub, f"{where}/properties/{prop}")
        for key in ("items", "additionalProperties"):
            if key in node:
                walk(node[key], f"{where}/{key}")
        for i, sub in enumerate(node.get("anyOf", [])):
            walk(sub, f"{where}/anyOf/{i}")

    for where, obj in _object_schemas(schema):
        allowed_extra = _MODEL_LEVEL_KEYWORDS | (_TOP_LEVEL_KEYWORDS if where == "#" else set())
        top = {key: value for key, value in obj.items() if key not in allowed_extra}
        branches = top.get("anyOf")
        if isinstance(branches, list) and all(
            isinstance(b, dict) and set(b) == {"required"} for b in branches
        ):
            del top["anyOf"]
        walk(top, where)
    return problems


def render(schema: dict[str, Any]) -> str:
    """Serialise a schema exactly as it is written to disk."""
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


def _default_targets() -> list[Path]:
    package_dir = Path(__file__).resolve().parent
    repo_root = package_dir.parent.parent
    return [package_dir / "data", repo_root / "schemas"]


def write_schemas(targets: list[Path] | None = None) -> list[Path]:
    """Write every schema into each target folder; return the paths written."""
    schemas = build_schemas()
    written: list[Path] = []
    for folder in targets if targets is not None else _default_targets():
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            path = folder / SCHEMA_FILES[name]
            path.write_text(render(schema), encoding="utf-8", newline="\n")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m factory_lint.schema_gen``."""
    args = sys.argv[1:] if argv is None else argv
    if args:
        print("usage: python -m factory_lint.schema_gen", file=sys.stderr)
        return 2
    for path in write_schemas():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
