"""The shipped JSON Schema files, loaded lazily as plain JSON (no pydantic at run time)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, cast

from factory_lint import read_data
from factory_lint.kinds import Kind

SCHEMA_FILES: dict[Kind, str] = {
    "settings": "settings.schema.json",
    "legacy": "legacy-config.schema.json",
    "mcp": "mcp.schema.json",
    "hooks": "hooks.schema.json",
}

Schema = dict[str, Any]


@cache
def load_schema(kind: Kind) -> Schema:
    """The JSON Schema for a kind of file, as shipped in ``factory_lint/data`` (an empty
    schema for a kind that has none, e.g. the Markdown kinds)."""
    name = SCHEMA_FILES.get(kind)
    if name is None:
        return {}
    text = read_data(name)
    return cast(Schema, json.loads(text))


def resolve_ref(schema: Schema, root: Schema) -> Schema:
    """Follow ``$ref`` pointers into ``$defs`` (merging sibling keywords like descriptions)."""
    seen = 0
    while "$ref" in schema and seen < 32:
        ref = str(schema["$ref"])
        target: Any = root
        for token in ref.removeprefix("#/").split("/"):
            target = target.get(token, {}) if isinstance(target, dict) else {}
        merged = dict(target)
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        schema = merged
        seen += 1
    return schema


def subschema(kind: Kind, pointer_tokens: list[str]) -> Schema | None:
    """The schema for a location given as object keys / array indexes, if the schema knows it."""
    root = load_schema(kind)
    schema = resolve_ref(root, root)
    for token in pointer_tokens:
        schema = _pick_object_branch(schema, root)
        if token.isdigit() and "items" in schema:
            schema = resolve_ref(schema["items"], root)
            continue
        properties = schema.get("properties", {})
        if token in properties:
            schema = resolve_ref(properties[token], root)
        elif isinstance(schema.get("additionalProperties"), dict):
            schema = resolve_ref(schema["additionalProperties"], root)
        else:
            return None
    return schema


def _pick_object_branch(schema: Schema, root: Schema) -> Schema:
    for branch in schema.get("anyOf", ()):
        resolved = resolve_ref(branch, root)
        if resolved.get("type") in ("object", "array") or "properties" in resolved:
            return resolved
    return schema
