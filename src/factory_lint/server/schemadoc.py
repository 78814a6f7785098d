"""Reading the shipped JSON Schema for completions and hovers: properties, types, docs."""

from __future__ import annotations

import json
from typing import Any

from factory_lint.kinds import Kind
from factory_lint.schema import Schema, load_schema, resolve_ref, subschema


def at(kind: Kind, path: list[str]) -> Schema | None:
    """The schema at a path, or None when the schema does not describe it."""
    try:
        return subschema(kind, path)
    except Exception:
        return None


def object_branch(kind: Kind, schema: Schema | None) -> Schema | None:
    """The object form of a schema (some settings take an object or a string)."""
    if schema is None:
        return None
    if "properties" in schema:
        return schema
    root = load_schema(kind)
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            resolved = resolve_ref(branch, root)
            if "properties" in resolved:
                return resolved
    return None


def properties(kind: Kind, path: list[str]) -> list[tuple[str, Schema, bool]]:
    """``(name, schema, required)`` of the keys an object at ``path`` may have."""
    schema = object_branch(kind, at(kind, path))
    if schema is None:
        return []
    root = load_schema(kind)
    required = set(schema.get("required", ()))
    return [
        (name, resolve_ref(prop, root) if isinstance(prop, dict) else {}, name in required)
        for name, prop in schema.get("properties", {}).items()
    ]


def property_schema(kind: Kind, path: list[str], key: str) -> Schema | None:
    for name, schema, _required in properties(kind, path):
        if name == key:
            return schema
    return None


def types_of(schema: Schema) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        found = [kind]
    elif isinstance(kind, list):
        found = [str(k) for k in kind]
    else:
        found = []
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            if isinstance(branch, dict):
                found.extend(t for t in types_of(branch) if t not in found)
    if not found and "enum" in schema:
        found = sorted({_json_type(v) for v in schema["enum"]})
    if not found and "$ref" in schema:
        found = ["object"]
    return found


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "string" if isinstance(value, str) else "object"


def type_label(schema: Schema) -> str:
    names = [t for t in types_of(schema) if t != "null"] or ["any"]
    label = " | ".join(names)
    if schema.get("deprecated"):
        label += " (deprecated)"
    return label


def enum_values(schema: Schema | None) -> list[Any]:
    if schema is None:
        return []
    values = list(schema.get("enum", ()))
    if "const" in schema:
        values.append(schema["const"])
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            if isinstance(branch, dict):
                values.extend(v for v in enum_values(branch) if v not in values)
    return values


def markdown(name: str, schema: Schema) -> str:
    """Hover/documentation text for a key."""
    lines = [f"**{name}** · `{type_label(schema)}`"]
    description = schema.get("description")
    if description:
        lines += ["", str(description)]
    values = enum_values(schema)
    if values:
        lines += ["", "Allowed: " + ", ".join(f"`{json.dumps(v)}`" for v in values)]
    examples = [e for e in schema.get("examples", ()) if not isinstance(e, (dict, list))]
    if examples and not values:
        lines += ["", "Examples: " + ", ".join(f"`{json.dumps(e)}`" for e in examples[:4])]
    if schema.get("deprecated"):
        lines += ["", "_Deprecated._"]
    return "\n".join(lines)


def takes_model_reference(kind: Kind, path: list[str]) -> bool:
    """Whether the value at ``path`` names a model (built-in id or ``custom:`` id)."""
    if not path:
        return False
    own = at(kind, path)
    if own is None or "string" not in types_of(own):
        return False
    candidates = [path]
    if path[-1].isdigit():
        candidates.append(path[:-1])
    for candidate in candidates:
        schema = at(kind, candidate)
        if schema is not None and "`custom:`" in str(schema.get("description", "")):
            return candidate[-1] not in ("displayName", "id")
    return False
