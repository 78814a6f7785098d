"""FL1xx: the document's shape, checked against the shipped JSON Schema.

The schema is generated from the pydantic models in :mod:`factory_lint.formats`; this module
walks it with a small interpreter so that every problem gets an exact range and a helpful
message, without importing pydantic or jsonschema on the lint path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, cached_property
from typing import Any

from factory_lint.context import CAMEL_NAMES, LEGACY_NAMES, LintContext
from factory_lint.findings import MAX_PER_CHECK, Edit, Finding, Fix
from factory_lint.jsonc import Member, Node
from factory_lint.kinds import Kind
from factory_lint.lazy_re import lazy_compile
from factory_lint.rules.registry import checker, rule
from factory_lint.schema import Schema, load_schema, resolve_ref
from factory_lint.secrets import looks_like_key, redact

ROOT_NOT_OBJECT = rule(
    "FL101",
    "root-not-object",
    "error",
    "structure",
    "The top-level value is not a JSON object.",
    why="Droid ignores a settings file whose root is not an object, and loads no models from "
    "such a config.json.",
    example='[ { "model": "gpt-5" } ]',
    fix='Wrap the content in an object, e.g. `{ "customModels": [ … ] }`.',
)
MISSING_REQUIRED = rule(
    "FL102",
    "missing-required-field",
    "error",
    "structure",
    "A required field is missing (for custom models: `model`, `provider`, and `baseUrl` "
    "unless `bedrock` is set).",
    why="Droid silently drops a custom model that lacks a required field: it just never shows up "
    "in `/model`, with no error message.",
    example='{ "customModels": [ { "model": "gpt-5", "provider": "openai" } ] }',
    fix="Add the missing field.",
)
WRONG_TYPE = rule(
    "FL103",
    "wrong-type",
    "error",
    "structure",
    "A value has the wrong JSON type (e.g. a number written as a string).",
    why="Droid ignores a field with the wrong type as if it were not set (and drops a custom "
    "model entry that is not an object); `droid doctor --config` reports it.",
    example='{ "customModels": [ { "maxOutputTokens": "16384" } ] }',
    fix="Write the value with the expected type; a number or boolean in quotes is unquoted by "
    "the fix.",
    fixable="unsafe",
)
UNKNOWN_KEY = rule(
    "FL104",
    "unknown-key",
    "warning",
    "structure",
    "A key Droid does not know; usually a typo or a camelCase/snake_case mix-up.",
    why="Droid silently ignores unknown keys, so a misspelt setting simply has no effect.",
    example='{ "customModels": [ { "maxTokens": 8192 } ] }',
    fix="Rename it to the key suggested (did you mean …?), or remove it.",
    fixable="unsafe",
)
LEGACY_KEY = rule(
    "FL105",
    "legacy-key",
    "info",
    "structure",
    "A key that older Droid versions wrote or read and that is now obsolete.",
    why="Harmless, but the setting has no effect (or is migrated elsewhere), which can mislead. "
    "Keys Droid writes into the file itself are never reported, however old: Droid 0.225.2 "
    "writes `sessionDefaultSettings.autonomyMode` next to `interactionMode` and "
    "`autonomyLevel` whenever the mode changes (found in the CLI's settings writer).",
    example='{ "autonomyLevel": "auto-high" }',
    fix="Remove it, or move it where the message says.",
)
WRONG_FILE_KEY = rule(
    "FL106",
    "models-key-in-wrong-file",
    "error",
    "structure",
    "`custom_models` in settings.json, or `customModels` in the legacy config.json.",
    why="Each file reads only its own spelling: settings.json reads `customModels` (camelCase "
    "fields), config.json reads `custom_models` (snake_case). The other spelling is ignored, so "
    "none of the models appear. Some integration guides tell people to do exactly this.",
    example=(
        "// .factory/settings.json holds `customModels`; `custom_models` is config.json's key\n"
        "{\n"
        '  "custom_models": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "provider": "openai",\n'
        '      "base_url": "https://api.openai.com/v1",\n'
        '      "api_key": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Rename the key and the fields of each entry to the file's spelling (unsafe fix).",
    fixable="unsafe",
)
INVALID_VALUE = rule(
    "FL107",
    "invalid-value",
    "error",
    "structure",
    'A value outside the allowed set (e.g. `reasoningEffort: "extreme"`).',
    why="Droid ignores the value at load time (falling back to its default) and "
    "`droid doctor --config` reports it.",
    example='{ "customModels": [ { "reasoningEffort": "extreme" } ] }',
    fix="Use one of the values listed in the message.",
)
VALUE_CASE = rule(
    "FL108",
    "value-case",
    "warning",
    "structure",
    'An allowed value written with the wrong letter case (e.g. `"HIGH"`).',
    why="Droid lower-cases some values when loading, but `droid doctor --config` and strict "
    "schema validation reject them.",
    example='{ "customModels": [ { "reasoningEffort": "High" } ] }',
    fix="Use the canonical spelling (safe fix).",
    fixable="safe",
)
OUT_OF_RANGE = rule(
    "FL109",
    "value-out-of-range",
    "error",
    "structure",
    "A number or string outside the limits Droid accepts (e.g. a negative token count).",
    why="Droid's schema rejects the value, so the setting is ignored.",
    example='{ "customModels": [ { "maxOutputTokens": -1 } ] }',
    fix="Use a value inside the range given in the message.",
)

#: The keywords :meth:`_Walker.check_limits` reads.
_LIMIT_KEYS = frozenset(
    {"minimum", "exclusiveMinimum", "maximum", "minLength", "maxLength", "pattern", "maxItems"}
)
_SCALARS = ("string", "number", "boolean", "null")
_ARTICLES = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


@checker
def check_structure(context: LintContext) -> Iterator[Finding]:
    root = context.root
    if root is None:
        return
    if root.type != "object":
        if root.type != "invalid":
            yield Finding(
                ROOT_NOT_OBJECT.code,
                f"the file's top-level value is {_describe_node(root)}; Droid expects an object "
                "(`{ … }`) and ignores this file",
                root.start,
                root.end if root.end - root.start < 200 else root.start + 1,
            )
        return
    found: list[Finding] = []
    _Walker(context).walk(root, _root_shape(context.kind), found)
    if context.kind == "settings":
        # Inside `hooks` the hooks family (HOOK1xx) reports, with Droid's hook semantics.
        found = [f for f in found if not f.pointer.startswith("/hooks/")]
    yield from found


class _Shapes:
    """The compiled :class:`_Shape` of each schema dict of one root schema, by identity."""

    def __init__(self, root: Schema) -> None:
        self.root = root
        #: id(schema) -> (schema, shape); the schema is kept so that its id is not reused.
        self._by_id: dict[int, tuple[Schema, _Shape]] = {}

    def shape_of(self, schema: Schema) -> _Shape:
        cached = self._by_id.get(id(schema))
        if cached is None:
            cached = (schema, _Shape(resolve_ref(schema, self.root), self))
            self._by_id[id(schema)] = cached
        return cached[1]


class _Shape:
    """A schema node compiled for the walker: its ``$ref`` followed and the keywords read on
    every visit looked up in advance. Sub-shapes are compiled on first use (the schema is
    recursive through ``$defs``) and kept for the process. (Following ``$ref``s and reading
    keywords again for each value made the rule ~2.8x dearer: 1.63M against 0.58M
    instructions for a typical file.)"""

    def __init__(self, schema: Schema, shapes: _Shapes) -> None:
        #: The resolved schema, for the keywords read only where they apply.
        self.schema = schema
        self._shapes = shapes
        #: The ``type`` keyword as a list; empty when absent.
        self.types = _types_of(schema)
        #: The node types accepted as such; see :meth:`accepts`.
        self.accepted: frozenset[str] | None = frozenset(self.types)
        if not self.types:
            if "enum" in schema or "const" in schema:
                values = schema.get("enum", [schema.get("const")])
                self.accepted = frozenset(_json_type(v) for v in values)
            else:
                self.accepted = None
        self.integer = "integer" in self.types
        self.enum: list[Any] | None = list(schema["enum"]) if "enum" in schema else None
        self.has_limits = not _LIMIT_KEYS.isdisjoint(schema)
        self.deprecated = bool(schema.get("deprecated"))
        #: The raw ``properties``; :attr:`properties` has those met so far compiled (compiling
        #: all of them would double the cost of the first file).
        self.property_schemas: dict[str, Any] = schema.get("properties", {})
        self.properties: dict[str, _Shape] = {}
        properties = self.property_schemas
        self.is_model_entry = "provider" in properties and "model" in properties
        self.required: tuple[str, ...] = tuple(schema.get("required", ()))
        additional = schema.get("additionalProperties", True)
        self.closed = additional is False
        self._additional = additional if isinstance(additional, dict) else None
        items = schema.get("items")
        self._items = items if isinstance(items, dict) else None
        self.has_branches = bool(schema.get("anyOf"))
        #: The node types of values that need no walk: scalars of the schema's types when it
        #: checks nothing else (and "invalid", never checked). Not calling :meth:`_Walker.walk`
        #: for those saves 45 of its ~100 calls for a typical file (-17% instructions).
        self.trivial = frozenset({"invalid"})
        if not (self.has_branches or self.enum is not None or self.has_limits or "const" in schema):
            self.trivial |= {t for t in self.types or _SCALARS if t in _SCALARS}

    def accepts(self, node: Node) -> bool:
        """Whether the node has one of the schema's types (any type if it names none)."""
        if self.accepted is None or node.type in self.accepted:
            return True
        if self.integer and node.type == "number":
            value = node.value
            return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        return False

    def compile_property(self, name: str) -> _Shape:
        """The shape of property ``name``, kept in :attr:`properties`."""
        shape = self.properties[name] = self._shapes.shape_of(self.property_schemas[name])
        return shape

    @cached_property
    def additional(self) -> _Shape | None:
        """The shape of keys not in ``properties``, when ``additionalProperties`` is a schema."""
        return None if self._additional is None else self._shapes.shape_of(self._additional)

    @cached_property
    def items(self) -> _Shape | None:
        return None if self._items is None else self._shapes.shape_of(self._items)

    @cached_property
    def branches(self) -> list[tuple[_Shape, _Shape]]:
        """Each ``anyOf`` branch, with the schema's other keywords merged into it."""
        base = {k: v for k, v in self.schema.items() if k != "anyOf"}
        branches = [self._shapes.shape_of(b) for b in self.schema["anyOf"]]
        return [(b, _Shape({**base, **b.schema}, self._shapes)) for b in branches]

    @cached_property
    def union_types(self) -> list[str]:
        return _union_types([branch.schema for branch, _ in self.branches])


@cache
def _root_shape(kind: Kind) -> _Shape:
    root = load_schema(kind)
    return _Shapes(root).shape_of(root)


class _Walker:
    def __init__(self, context: LintContext) -> None:
        self.context = context
        self.wrong_file_key_name = "custom_models" if context.kind == "settings" else "customModels"

    def walk(self, node: Node, shape: _Shape, out: list[Finding]) -> None:
        """Check ``node`` against ``shape``, appending the findings to ``out``. (Appending, not a
        generator per node: generators cost a third of the rule's time on clean files.)
        Stops adding findings after MAX_PER_CHECK (the engine reports at most MAX_FINDINGS)."""
        if node.type == "invalid" or node.opaque or len(out) >= MAX_PER_CHECK:
            return
        if shape.has_branches:
            matching = [merged for branch, merged in shape.branches if branch.accepts(node)]
            if not matching:
                out.append(self.type_error(node, shape.union_types))
                return
            if len(matching) > 1:
                # Unions of object shapes: report against the branch that fits best (the first
                # of the fewest findings; a branch with none cannot be beaten, so stop there).
                best: list[Finding] | None = None
                for merged in matching:
                    attempt: list[Finding] = []
                    self.walk(node, merged, attempt)
                    if best is None or len(attempt) < len(best):
                        best = attempt
                        if not best:
                            break
                out.extend(best or ())
                return
            shape = matching[0]
        if shape.types and node.type not in shape.types and not shape.accepts(node):
            out.append(self.type_error(node, shape.types))
            return
        schema = shape.schema
        if "const" in schema and node.value != schema["const"] and node.type != "object":
            out.append(self.value_error(node, [schema["const"]]))
            return
        enum = shape.enum
        if enum is not None and _not_in_enum(node.value, enum) and not self.skip_enum(node):
            out.append(self.value_error(node, enum))
            return
        if shape.has_limits:
            problem = self.check_limits(node, schema)
            if problem is not None:
                out.append(problem)
        if node.type == "object":
            self.walk_object(node, shape, out)
        elif node.type == "array":
            items = shape.items
            if items is not None:
                for item in node.items:
                    if item.type not in items.trivial:
                        self.walk(item, items, out)

    def walk_object(self, node: Node, shape: _Shape, out: list[Finding]) -> None:
        properties = shape.properties
        wrong_file_key_name = None if node.pointer else self.wrong_file_key_name
        for member in node.members:
            if len(out) >= MAX_PER_CHECK:
                return
            key = member.key
            value = member.value
            child = properties.get(key)
            if child is None and key in shape.property_schemas:
                child = shape.compile_property(key)
            if key == wrong_file_key_name:
                out.append(wrong_file_key(self.context, member))
            elif child is not None:
                if child.deprecated and _member_pointer(member) not in DROID_WRITTEN:
                    out.append(self.legacy_key(member, child.schema))
                if value is not None and value.type not in child.trivial:
                    self.walk(value, child, out)
            elif shape.additional is not None:
                if value is not None and value.type not in shape.additional.trivial:
                    self.walk(value, shape.additional, out)
            elif shape.closed and _member_pointer(member) not in DROID_WRITTEN:
                out.append(self.unknown_key(node, member, shape.property_schemas))
        if shape.required and not shape.is_model_entry:
            out.extend(self.missing_required(node, shape.required))

    def skip_enum(self, node: Node) -> bool:
        """``provider`` values have their own rules (FL2xx)."""
        return node.pointer.endswith("/provider")

    # --- findings ----------------------------------------------------------------------------

    def type_error(self, node: Node, expected: list[str]) -> Finding:
        wanted = " or ".join(_ARTICLES.get(t, t) for t in expected)
        name = _field_label(node.pointer)
        fix = _retype_fix(node, expected)
        dropped = _is_model_entry_pointer(node.pointer) or bool(
            re.fullmatch(r"/(customModels|custom_models)/\d+/(model|provider)", node.pointer)
        )
        consequence = (
            "Droid drops this custom model entry" if dropped else "Droid ignores the value"
        )
        return Finding(
            WRONG_TYPE.code,
            f"{name} must be {wanted}, found {_describe_node(node)}; {consequence}",
            node.start,
            node.end,
            node.pointer,
            fix,
        )

    def value_error(self, node: Node, allowed: list[Any]) -> Finding:
        import difflib  # for did-you-mean suggestions only

        name = _field_label(node.pointer)
        shown = ", ".join(json.dumps(v) for v in allowed)
        value = node.value
        if isinstance(value, str):
            canonical = [v for v in allowed if isinstance(v, str) and v.lower() == value.lower()]
            if canonical:
                return Finding(
                    VALUE_CASE.code,
                    f"{name} is {json.dumps(value)}; the canonical spelling is "
                    f"{json.dumps(canonical[0])}",
                    node.start,
                    node.end,
                    node.pointer,
                    Fix(
                        f"Replace with {json.dumps(canonical[0])}",
                        (Edit(node.start, node.end, json.dumps(canonical[0])),),
                    ),
                )
            strings = [v for v in allowed if isinstance(v, str)]
            close = difflib.get_close_matches(value.lower(), strings, n=1, cutoff=0.6)
            hint = f"; did you mean {json.dumps(close[0])}?" if close else ""
            fix = (
                Fix(
                    f"Replace with {json.dumps(close[0])}",
                    (Edit(node.start, node.end, json.dumps(close[0])),),
                    safe=False,
                )
                if close
                else None
            )
            found = json.dumps(_clip(value))
        else:
            hint, fix, found = "", None, _describe_node(node)
        return Finding(
            INVALID_VALUE.code,
            f"{name} is {found}, which Droid ignores: expected one of {shown}{hint}",
            node.start,
            node.end,
            node.pointer,
            fix,
        )

    def check_limits(self, node: Node, schema: Schema) -> Finding | None:
        value = node.value
        problem = None  # what follows the field's label in the message
        end = None  # the finding's end when not the node's (offsets are read for a finding only)
        if node.type == "number" and isinstance(value, (int, float)):
            bound = None
            if "minimum" in schema and value < schema["minimum"]:
                bound = f"at least {schema['minimum']}"
            elif "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
                bound = f"greater than {schema['exclusiveMinimum']}"
            elif "maximum" in schema and value > schema["maximum"]:
                bound = f"at most {schema['maximum']}"
            if bound:
                problem = f"is {_clip(str(value))}, must be {bound}"
        elif node.type == "string" and isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                problem = f"must have at least {schema['minLength']} characters"
            elif "maxLength" in schema and len(value) > schema["maxLength"]:
                problem = f"has {len(value)} characters, at most {schema['maxLength']} allowed"
            elif "pattern" in schema and not re.search(schema["pattern"], value):
                problem = (
                    f"{json.dumps(_clip(value))} does not match the expected format "
                    f"`{schema['pattern']}`"
                )
        elif node.type == "array" and "maxItems" in schema and len(node.items) > schema["maxItems"]:
            problem = f"has {len(node.items)} items, at most {schema['maxItems']} allowed"
            end = node.start + 1
        if not problem:
            return None
        # The label is built only for a finding: this runs for every node with limits.
        return Finding(
            OUT_OF_RANGE.code,
            f"{_field_label(node.pointer)} {problem}",
            node.start,
            node.end if end is None else end,
            node.pointer,
        )

    def legacy_key(self, member: Member, schema: Schema) -> Finding:
        description = str(schema.get("description", "")).strip()
        detail = f": {description}" if description else ""
        # `mcp.callTimeoutMs` is a timeout the user expects to apply (droid-surface.md §13:
        # a warning); other legacy keys are leftovers.
        timeout = self.context.kind == "settings" and _member_pointer(member) == "/mcp"
        return Finding(
            LEGACY_KEY.code,
            f"`{member.key}` is a legacy setting{detail}",
            member.key_start,
            member.key_end,
            _member_pointer(member),
            severity="warning" if timeout else None,
        )

    def unknown_key(self, node: Node, member: Member, properties: dict[str, Any]) -> Finding:
        pointer = _member_pointer(member)
        kind = self.context.kind
        if (kind == "settings" and member.key == "custom_models") or (
            kind == "legacy" and member.key == "customModels"
        ):
            return wrong_file_key(self.context, member)
        suggestion = suggest_key(member.key, list(properties))
        where = _object_label(node.pointer, self.context)
        home = nested_home(member.key, kind) if not node.pointer else None
        if home is not None:
            message = (
                f"unknown key `{member.key}` at the top level; Droid ignores it here: it belongs "
                f"in `{home}`"
            )
            return Finding(UNKNOWN_KEY.code, message, member.key_start, member.key_end, pointer)
        if suggestion:
            message = (
                f"unknown key `{member.key}` in {where}; did you mean `{suggestion}`? "
                "Droid ignores unknown keys"
            )
            fix: Fix | None = Fix(
                f"Rename to `{suggestion}`",
                (Edit(member.key_start, member.key_end, json.dumps(suggestion)),),
                safe=False,
            )
            if node.get(suggestion) is not None:
                message += f" (and `{suggestion}` is already set here)"
                fix = None
        else:
            shown = redact(member.key) if looks_like_key(member.key) else _clip(member.key)
            message = f"unknown key `{shown}` in {where}; Droid ignores it"
            fix = None
        return Finding(UNKNOWN_KEY.code, message, member.key_start, member.key_end, pointer, fix)

    def missing_required(self, node: Node, required: tuple[str, ...]) -> Iterator[Finding]:
        for name in required:
            if node.get(name) is None:
                where = _object_label(node.pointer, self.context)
                yield Finding(
                    MISSING_REQUIRED.code,
                    f"{where} is missing the required key `{name}`",
                    node.start,
                    node.start + 1,
                    node.pointer,
                )


def wrong_file_key(context: LintContext, member: Member) -> Finding:
    """``custom_models`` in settings.json or ``customModels`` in config.json, with a rename fix."""
    settings = context.kind == "settings"
    right = "customModels" if settings else "custom_models"
    names = CAMEL_NAMES if settings else LEGACY_NAMES
    edits = [Edit(member.key_start, member.key_end, json.dumps(right))]
    value = member.value
    if value is not None and value.type == "array":
        for entry in value.items:
            for field in entry.members:
                renamed = names.get(field.key)
                if renamed and renamed != field.key and entry.get(renamed) is None:
                    edits.append(Edit(field.key_start, field.key_end, json.dumps(renamed)))
    if settings:
        message = (
            "`custom_models` is the legacy config.json key; settings.json reads only "
            "`customModels` (with camelCase fields such as `baseUrl`, `apiKey`), so none of "
            "these models load"
        )
    else:
        message = (
            "`customModels` is the settings.json key; the legacy config.json reads only "
            "`custom_models` (with snake_case fields), so Droid loads none of these models and "
            "says nothing (not even `droid doctor`); better, move them to settings.json"
        )
    return Finding(
        WRONG_FILE_KEY.code,
        message,
        member.key_start,
        member.key_end,
        _member_pointer(member),
        Fix(f"Rename to `{right}` and convert the entries' field names", tuple(edits), safe=False),
    )


#: Keys Droid 0.225.2 writes into settings.json on its own, found in the shipped CLI's settings
#: writer: the defaults ``reset()`` persists (``sessionDefaultSettings: {reasoningEffort,
#: autonomyMode}``, ``toolExecutionMode``, ``modelFavorites``, ``missionModelSettings``…) and
#: every ``updateSettings({general: {…}})`` call; ``setInteractionSettings`` writes
#: ``autonomyMode`` next to ``interactionMode`` and ``autonomyLevel`` whenever either changes.
#: The user cannot act on a note about them (Droid writes them back), so none is given.
DROID_WRITTEN = frozenset(
    {
        "/allowSubagentsInScripts",
        "/awaitingInputSound",
        "/cloudSessionSync",
        "/commandAllowlist",
        "/commandBlocklist",
        "/commandDenylist",
        "/compactionModel",
        "/compactionThresholdCheckEnabled",
        "/compactionTokenLimit",
        "/compactionTokenLimitPerModel",
        "/completionSound",
        "/diffMode",
        "/dismissedNewModels",
        "/enableCompletionBell",
        "/enableDroidShield",
        "/enableOneHourAnthropicCaching",
        "/hasSeenMissionOnboarding",
        "/hideChangelog",
        "/ideActivationNudgedForVersion",
        "/ideAutoConnect",
        "/ideExtensionPromptedAt",
        "/includeCoAuthoredByDroid",
        "/keepSystemAwakeDuringMissions",
        "/locale",
        "/logoAnimation",
        "/mcpAutonomyOverrides",
        "/missionModelSettings",
        "/missionOrchestratorModel",
        "/missionOrchestratorReasoningEffort",
        "/modelFavorites",
        "/nerdFont",
        "/outputStyle",
        "/overrideTerminalColors",
        "/preferredComputer",
        "/reauthBannerShownTui",
        "/routedModelVisibilityEnabled",
        "/sessionDefaultSettings",
        "/sessionDefaultSettings/autonomyLevel",
        "/sessionDefaultSettings/autonomyMode",
        "/sessionDefaultSettings/interactionMode",
        "/sessionDefaultSettings/model",
        "/sessionDefaultSettings/reasoningEffort",
        "/sessionDefaultSettings/specModeModel",
        "/sessionDefaultSettings/specModeReasoningEffort",
        "/showThinkingInMainView",
        "/showTokenUsageIndicator",
        "/soundFocusMode",
        "/specSaveDir",
        "/statusLine",
        "/streamAssistantResponses",
        "/subagentAutonomyLevel",
        "/subagentModelSettings",
        "/subagentSounds",
        "/theme",
        "/todoDisplayMode",
        "/toolExecutionMode",
        "/toolResultDisplay",
    }
)


@cache
def nested_home(key: str, kind: Kind) -> str | None:
    """Where an unknown top-level ``key`` belongs: ``missionModelSettings.workerModel`` for
    ``missionWorkerModel`` (the group's name without ``ModelSettings``/``Settings`` as a
    prefix), ``sessionDefaultSettings.interactionMode`` for ``interactionMode``; None when no
    settings group has such a field."""
    root = load_schema(kind)
    top = resolve_ref(root, root).get("properties", {})
    if key in top:
        return None
    found: list[str] = []
    for group, raw in top.items():
        schema = _object_schema(resolve_ref(raw, root), root)
        fields = schema.get("properties")
        if not isinstance(fields, dict):
            continue
        if key in fields:
            found.append(f"{group}.{key}")
            continue
        prefix = group.removesuffix("Settings").removesuffix("Model").removesuffix("Default")
        rest = key[len(prefix) :] if key.startswith(prefix) and len(key) > len(prefix) else ""
        if rest[:1].isupper():
            field = rest[0].lower() + rest[1:]
            if field in fields:
                found.append(f"{group}.{field}")
    return found[0] if len(found) == 1 else None


def _object_schema(schema: Schema, root: Schema) -> Schema:
    for branch in schema.get("anyOf", ()):
        resolved = resolve_ref(branch, root)
        if "properties" in resolved:
            return resolved
    return schema


def suggest_key(key: str, candidates: list[str]) -> str | None:
    """Did-you-mean for keys: case/underscore confusion first, then edit distance."""
    import difflib  # for did-you-mean suggestions only

    normal = _normalise(key)
    for candidate in candidates:
        if _normalise(candidate) == normal:
            return candidate
    for mapping in (CAMEL_NAMES, LEGACY_NAMES):
        mapped = mapping.get(key)
        if mapped in candidates:
            return mapped
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.75)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        close = [lowered[m] for m in difflib.get_close_matches(key.lower(), list(lowered), 1, 0.75)]
    return close[0] if close else None


def _normalise(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def _types_of(schema: Schema) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return []


def _union_types(branches: list[Schema]) -> list[str]:
    types: list[str] = []
    for branch in branches:
        for kind in _types_of(branch) or (["string"] if "enum" in branch else []):
            if kind not in types:
                types.append(kind)
    return types


def _not_in_enum(value: object, enum: list[Any]) -> bool:
    """Whether ``value`` is not one of ``enum`` (where ``true`` is not ``1``)."""
    if value not in enum:
        return True
    return not isinstance(value, str) and isinstance(value, bool) != any(
        isinstance(v, bool) for v in enum if v == value
    )


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "object" if isinstance(value, dict) else "array"


def _retype_fix(node: Node, expected: list[str]) -> Fix | None:
    if node.type != "string" or not isinstance(node.value, str):
        return None
    raw = node.value.strip()
    if ("number" in expected or "integer" in expected) and re.fullmatch(r"-?\d+(\.\d+)?", raw):
        if "integer" in expected and "number" not in expected and "." in raw:
            return None
        return Fix(f"Write {raw} as a number", (Edit(node.start, node.end, raw),), safe=False)
    if "boolean" in expected and raw in ("true", "false"):
        return Fix(f"Write {raw} as a boolean", (Edit(node.start, node.end, raw),), safe=False)
    return None


def _describe_node(node: Node) -> str:
    if node.type == "string":
        return (
            f"a string {json.dumps(_clip(str(node.value)))}"
            if len(str(node.value)) < 60
            else "a string"
        )
    if node.type == "number":
        return f"the number {_clip(str(node.value))}"
    if node.type == "boolean":
        return "true" if node.value else "false"
    return _ARTICLES.get(node.type, node.type)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _member_pointer(member: Member) -> str:
    if member.value is not None:
        return member.value.pointer
    return ""


_MODEL_ENTRY_POINTER = lazy_compile(r"/(customModels|custom_models)/\d+")


def _is_model_entry_pointer(pointer: str) -> bool:
    return _MODEL_ENTRY_POINTER.fullmatch(pointer) is not None


def _field_label(pointer: str) -> str:
    if not pointer:
        return "the top-level value"
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]
    if _is_model_entry_pointer(pointer):
        return f"custom model entry {tokens[1]}"
    if len(tokens) >= 3 and tokens[0] in ("customModels", "custom_models") and tokens[1].isdigit():
        return f"`{'.'.join(tokens[2:])}` (custom model {tokens[1]})"
    return f"`{'.'.join(tokens)}`"


def _object_label(pointer: str, context: LintContext) -> str:
    if not pointer:
        return "settings.json" if context.kind == "settings" else "config.json"
    tokens = pointer.split("/")[1:]
    if len(tokens) == 2 and tokens[0] in ("customModels", "custom_models"):
        return f"custom model {tokens[1]}"
    return _field_label(pointer)
