"""FL7xx: how custom models relate to each other and to the settings that name them.

Duplicate ids, `custom:` references that resolve to nothing, the same model defined twice, and a
legacy config.json next to a settings.json.

Which models are visible: this file's entries plus, when the file is on disk, the other Droid
files in its folder (settings.json, settings.local.json, config.json) and, for a project file,
the user's ~/.factory files (``FileInfo.related``, read by the runner). Droid merges those levels
by id, so a reference is resolved against their union (lenient: it does not model
settings.local.json replacing the folder's `customModels` array). Entries Droid does not load
(a missing field, a dropped placeholder key, a skipped legacy entry, a related settings file
that fails to load) are not visible; this file's own entries count even when its provider is
unsupported, because FL201 already reports that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import cast

from factory_lint.catalog import identify_key
from factory_lint.context import LintContext, RelatedFile
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.jsonc import Document, Node, parse
from factory_lint.kinds import Kind
from factory_lint.lazy_re import lazy_compile
from factory_lint.records import ValueRecord
from factory_lint.rules.leaks import env_name_for, file_role, is_literal_key
from factory_lint.rules.registry import checker, rule
from factory_lint.secrets import has_key_token, looks_like_key, redact, secret_nodes

DUPLICATE_ID = rule(
    "FL701",
    "duplicate-model-id",
    "warning",
    "references",
    "Two custom models in one file with the same `id` (written, or generated from the display "
    "name).",
    why="Droid looks a model up by id and takes the first match, so the later entry can never "
    "be selected (/model, `--model`, `sessionDefaultSettings.model`, …). Generated ids are "
    "`custom:<displayName with spaces as ->-<n>`, so an `id` written by hand can collide with "
    "another entry's generated one.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}",\n'
        '      "id": "custom:gpt"\n'
        "    },\n"
        "    {\n"
        '      "model": "gpt-5.5-pro",\n'
        '      "displayName": "GPT-5.5 Pro",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}",\n'
        '      "id": "custom:gpt"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Give one of them a unique `id` (and update references to it).",
)
UNRESOLVED_REFERENCE = rule(
    "FL702",
    "unresolved-model-reference",
    "warning",
    "references",
    "A `custom:` model reference (`sessionDefaultSettings.model`, `specModeModel`, "
    "`missionModelSettings.*Model`, `missionOrchestratorModel`, `subagentModelSettings.*Model`, "
    "`compactionModel`, `modelFavorites`, legacy top-level `model`) that matches no custom model.",
    why="Droid resolves `custom:` ids in this order: an entry's exact `id`; the generated "
    "`custom:<displayName with whitespace as ->-<n>`; `custom:<model>` matching an entry's "
    "`model` field. When nothing matches, Droid 0.225.2's `droid exec` stops with \"Custom model "
    'configuration is unavailable" (exit 1, checked with the real CLI) and an interactive '
    "session falls back to another model (`custom_model_not_configured`), so a session, mission "
    "or subagent runs on a model you did not choose. Models in this file, the other Droid files in its folder and (for a project "
    "file) ~/.factory are considered, as their union (Droid merges levels by id); entries Droid "
    "drops or skips do not count, and the message says when one would have matched.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "kimi-k2",\n'
        '      "displayName": "Kimi K2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://api.moonshot.ai/v1",\n'
        '      "apiKey": "${MOONSHOT_API_KEY}"\n'
        "    }\n"
        "  ],\n"
        '  "sessionDefaultSettings": { "model": "custom:kimi-k2.6" }\n'
        "}"
    ),
    fix="Use the id the message suggests (unsafe fix), or add the missing model.",
    fixable="unsafe",
)
DUPLICATE_MODEL = rule(
    "FL703",
    "duplicate-model",
    "info",
    "references",
    "The same model defined twice in one file: same `model`, `baseUrl`, key and request "
    "settings (only the id, display name or provider differ).",
    why="/model lists both, and references may point at either. Entries that differ in "
    "reasoning effort, `extraArgs`, headers, limits or key are deliberate variants and are not "
    "reported. When the providers differ, only one API style is likely served at that URL.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    },\n"
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5 (copy)",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1/",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Remove one of them, and point references at the one you keep.",
)
LEGACY_MIGRATION = rule(
    "FL704",
    "legacy-config-migration",
    "info",
    "references",
    "A legacy config.json next to a settings.json: its models belong in settings.json.",
    why="Droid still reads `custom_models` from config.json, and at startup copies "
    "~/.factory/config.json models into settings.json (skipping ids already there) without "
    "deleting config.json; project-level config.json files are read but never migrated. Two "
    "files with overlapping models drift apart, and only settings.json supports `${NAME}` in "
    "`apiKey`. Droid matches models by id only: a config.json model that settings.json holds "
    "under another id (same model and base URL, e.g. after a hand edit or an older CLI's id "
    "scheme) is listed twice in /model, and the startup migration appends it again. On "
    "settings.json the finding lists the models not there yet; on config.json it says whether "
    "the file is now redundant.",
    example=('{\n  "customModels": []\n}'),
    example_path="~/.factory/settings.json",
    example_with=(
        (
            "~/.factory/config.json",
            '{\n  "custom_models": [\n    {\n      "model": "glm-4.6",\n      "display_name": "GLM 4.6",\n      "provider": "generic-chat-completion-api",\n      "base_url": "https://api.z.ai/api/coding/paas/v4"\n    }\n  ]\n}',
        ),
    ),
    fix="On settings.json (unsafe fix): append the missing models to `customModels` as Droid's "
    "own migration writes them (camelCase, generated `id` and `index`, `noImageSupport`), "
    'keeping comments. A literal `api_key` is not copied: it becomes `"${PROVIDER_API_KEY}"`, '
    "so no key is printed in a diff or a fix. Entries with a credential elsewhere (e.g. in "
    "`extra_headers`) are left for you to copy, and models already there under another id are "
    "not appended again. Then delete config.json.",
    fixable="unsafe",
)

_PROVIDERS = ("anthropic", "openai", "generic-chat-completion-api", "bedrock-converse")
_DROPPED_KEYS = ("YOUR_API_KEY", "YOUR_OPENAI_API_KEY")
_REASONING = ("none", "dynamic", "off", "minimal", "low", "medium", "high", "xhigh", "max")
_LEGACY_SESSION_KEYS = ("model", "specModeModel")
_SUFFIX = lazy_compile(r"0|[1-9][0-9]*")


# --- Droid's view of the custom models --------------------------------------------------------


class CustomModel(ValueRecord):
    """One custom-model entry as Droid's loader sees it."""

    __slots__ = (
        "display_name",
        "explicit_id",
        "id",
        "index",
        "model",
        "node",
        "pointer",
        "position",
        "provider",
        "skipped",
        "source",
    )
    __match_args__ = (
        "id",
        "display_name",
        "index",
        "model",
        "source",
        "position",
        "pointer",
        "explicit_id",
        "skipped",
        "provider",
        "node",
    )
    #: the node is compared but not shown
    _repr_fields = __match_args__[:-1]

    id: str
    display_name: str
    index: float
    model: str
    #: "this file", or the related file's path
    source: str
    #: position in its file's array
    position: int
    pointer: str
    explicit_id: bool
    #: why Droid does not load it; None when it does
    skipped: str | None
    provider: str | None
    node: Node | None

    def __init__(
        self,
        id: str,
        display_name: str,
        index: float,
        model: str,
        source: str,
        position: int,
        pointer: str,
        explicit_id: bool,
        skipped: str | None = None,
        provider: str | None = None,
        node: Node | None = None,
    ) -> None:
        self.id = id
        self.display_name = display_name
        self.index = index
        self.model = model
        self.source = source
        self.position = position
        self.pointer = pointer
        self.explicit_id = explicit_id
        self.skipped = skipped
        self.provider = provider
        self.node = node


def normalise_name(name: str) -> str:
    """Droid's id normalisation: trim, then every whitespace run becomes ``-``."""
    # (str.split takes the same whitespace as re's \s; 0.35 us, a regex sub took 1.7 us)
    return "-".join(name.split())


def generated_id(display_name: str, number: float) -> str:
    return _generated(normalise_name(display_name), number)


def _generated(normal_name: str, number: float) -> str:
    return f"custom:{normal_name}-{_js_number(number)}"


def _js_number(number: float) -> str:
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


def _generated_ids(names: list[str]) -> list[str]:
    """The id Droid generates for each of these entry names, numbering equal names 0, 1, …"""
    seen: dict[str, int] = {}
    ids = []
    for name in names:
        key = normalise_name(name)
        count = seen.get(key, 0)
        seen[key] = count + 1
        ids.append(_generated(key, count))
    return ids


def _provider_ok(provider: str) -> bool:
    return provider.lower().replace("_", "-") in _PROVIDERS


def load_models(root: Node | None, kind: Kind, source: str, own: bool = False) -> list[CustomModel]:
    """Every entry of a file's model list, loaded or skipped as Droid 0.225.2 does."""
    if root is None or root.type != "object":
        return []
    array = root.value_of("customModels" if kind == "settings" else "custom_models")
    if array is None or array.type != "array":
        return []
    return _load_settings(array, source, own) if kind == "settings" else _load_legacy(array, source)


def _load_settings(array: Node, source: str, own: bool) -> list[CustomModel]:
    # Each field of an entry is read once, and each name normalised once (_generated_ids):
    # 540k -> 295k instructions per file of 7 models
    valid: list[tuple[int, Node, str, str]] = []  # position, entry, its model and provider
    skipped: list[CustomModel] = []
    for position, item in enumerate(array.items):
        if item.type != "object":
            continue  # (not listed as skipped: it has no `model` to show)
        model, provider = item.string("model"), item.string("provider")
        if model is not None and provider is not None:
            reason = _settings_entry_problem(item)
            if reason is None:
                valid.append((position, item, model, provider))
                continue
        else:
            reason = "it has no string `model` or `provider`"
        if model is not None:
            skipped.append(_skipped(item, position, source, reason))
    # Droid: a string displayName (even "") is the name, else the model
    names = [_settings_name(item, model) for _, item, model, _ in valid]
    generated = _generated_ids(names)
    bad_provider = next((p for _, _, _, p in valid if not _provider_ok(p)), None)
    skip = None
    if bad_provider is not None and not own:
        skip = f'the whole file is dropped: provider "{_clip(bad_provider)}" is not supported'
    models: list[CustomModel] = []
    for number, (position, item, model, provider) in enumerate(valid):
        explicit = item.string("id")
        index_node = item.value_of("index")
        index = (
            index_node.value
            if index_node is not None
            and index_node.type == "number"
            and isinstance(index_node.value, (int, float))
            else number
        )
        models.append(
            CustomModel(
                explicit if explicit is not None else generated[number],
                names[number],
                index,
                model,
                source,
                position,
                item.pointer,
                explicit is not None,
                skip,
                provider,
                item,
            )
        )
    return models + skipped


def _settings_name(item: Node, model: str) -> str:
    display = item.string("displayName")
    return display if display is not None else model


def _settings_entry_problem(item: Node) -> str | None:
    """Why Droid drops an entry that has a string `model` and `provider`, or None."""
    base = item.value_of("baseUrl")
    if not (base is not None and base.type == "string"):
        bedrock = item.value_of("bedrock")
        if not (bedrock is not None and bedrock.type == "object"):
            return "it has neither a `baseUrl` nor a `bedrock` object"
    api_key = item.string("apiKey")
    if api_key in _DROPPED_KEYS:
        return f'its apiKey is the placeholder "{api_key}"'
    return None


_BEDROCK_STRINGS = frozenset(
    {"awsProfile", "awsRegion", "bedrockBaseUrl", "awsAuthRefresh", "awsCredentialExport"}
)
_LEGACY_TYPES: dict[str, tuple[str, ...]] = {
    "base_url": ("string",),
    "api_key": ("string",),
    "model_display_name": ("string",),
    "max_context_limit": ("number",),
    "enable_thinking": ("boolean",),
    "thinking_max_tokens": ("number",),
    "max_tokens": ("number",),
    "reasoning_effort": ("string",),
    "extra_args": ("object",),
    "supports_images": ("boolean",),
    "bedrock": ("object",),
}


def _legacy_entry_problem(item: Node) -> str | None:
    """Droid's legacy zod schema (unknown keys pass through)."""
    if item.type != "object":
        return "not an object"
    if item.string("model") is None or item.string("provider") is None:
        return "it has no string `model` or `provider`"
    for name, types in _LEGACY_TYPES.items():
        node = item.value_of(name)
        if node is not None and node.type not in types:
            return f"`{name}` has the wrong type"
    headers = item.value_of("extra_headers")
    if headers is not None and (
        headers.type != "object"
        or any(m.value is None or m.value.type != "string" for m in headers.members)
    ):
        return "`extra_headers` is not an object of strings"
    bedrock = item.value_of("bedrock")
    if bedrock is not None:
        for member in bedrock.members:
            if member.key in _BEDROCK_STRINGS and (
                member.value is None or member.value.type != "string"
            ):
                return f"`bedrock.{member.key}` is not a string"
    if item.get("base_url") is None and bedrock is None:
        return "it has neither a `base_url` nor a `bedrock` object"
    if item.string("api_key") in _DROPPED_KEYS:
        return f'its api_key is the placeholder "{item.string("api_key")}"'
    return None


def _load_legacy(array: Node, source: str) -> list[CustomModel]:
    valid: list[tuple[int, Node]] = []
    skipped: list[CustomModel] = []
    for position, item in enumerate(array.items):
        reason = _legacy_entry_problem(item)
        if reason is None:
            valid.append((position, item))
        elif item.type == "object" and isinstance(item.string("model"), str):
            skipped.append(_skipped(item, position, source, reason))
    names = [item.string("model_display_name") or str(item.string("model")) for _, item in valid]
    generated = _generated_ids(names)
    models = []
    for number, ((position, item), name) in enumerate(zip(valid, names, strict=True)):
        provider = str(item.string("provider"))
        skip = None if _provider_ok(provider) else f'provider "{_clip(provider)}" is not supported'
        models.append(
            CustomModel(
                generated[number],
                name,
                number,
                str(item.string("model")),
                source,
                position,
                item.pointer,
                False,
                skip,
                provider,
                item,
            )
        )
    return models + skipped


def _skipped(item: Node, position: int, source: str, reason: str) -> CustomModel:
    name = (
        item.string("displayName") or item.string("model_display_name") or str(item.string("model"))
    )
    return CustomModel(
        item.string("id") or generated_id(name, 0),
        name,
        position,
        str(item.string("model")),
        source,
        position,
        item.pointer,
        item.string("id") is not None,
        reason,
        item.string("provider"),
        item,
    )


def resolve(reference: str, models: list[CustomModel]) -> CustomModel | None:
    """The model Droid picks for a ``custom:`` reference among loaded ``models``, or None."""
    if not reference.startswith("custom:") or not models:
        return None
    for model in models:
        if model.id == reference:
            return model
    rest = reference[len("custom:") :]
    cut = rest.rfind("-")
    if cut > 0 and _SUFFIX.fullmatch(rest[cut + 1 :]):
        name = rest[:cut]
        normal = [normalise_name(model.display_name) for model in models]
        for model, its in zip(models, normal, strict=True):
            if model.id.startswith(f"custom:{its}-") and _generated(its, model.index) == reference:
                return model
        same = [m for m, its in zip(models, normal, strict=True) if its == name]
        if len(same) == 1 and same[0].id.startswith(f"custom:{name}-"):
            return same[0]
    for model in models:
        if model.model == rest:
            return model
    return None


#: Roles of the related files that hold custom models.
MODEL_FILE_ROLES = frozenset({"settings.json", "settings.local.json", "config.json"})


@lru_cache(maxsize=64)
def _parse_cached(text: str) -> Document:
    return parse(text)


def related_kind(related: RelatedFile) -> Kind:
    return "legacy" if related.name == "config.json" else "settings"


def related_models(related: RelatedFile) -> list[CustomModel]:
    """The custom models of a related settings or config file (none for other roles)."""
    if related.name not in MODEL_FILE_ROLES:
        return []
    return list(_related_models(related))


@lru_cache(maxsize=64)
def _related_models(related: RelatedFile) -> tuple[CustomModel, ...]:
    """Loaded once per file: every project file of a run shares the user's ~/.factory files
    (callers only read the models)."""
    return tuple(load_models(_parse_cached(related.text).root, related_kind(related), related.path))


def _own_models(context: LintContext) -> list[CustomModel]:
    """This file's models (computed once per lint: several checks need them; callers only
    read the list)."""
    models = context.memo.get("references.own_models")
    if models is None:
        models = context.memo["references.own_models"] = load_models(
            context.root, context.kind, "this file", own=True
        )
    return cast(list[CustomModel], models)


# --- FL701, FL703 -----------------------------------------------------------------------------


@checker
def check_duplicates(context: LintContext) -> Iterator[Finding]:
    models = [m for m in _own_models(context) if m.skipped is None]
    first_by_id: dict[str, CustomModel] = {}
    for model in models:
        first = first_by_id.setdefault(model.id, model)
        if first is model or model.node is None:
            continue
        yield _duplicate_id(context, model, first)
    yield from _duplicate_models(context, models)


def _duplicate_id(context: LintContext, model: CustomModel, first: CustomModel) -> Finding:
    assert model.node is not None
    id_node = model.node.value_of("id")
    how = "" if model.explicit_id else " (generated from its display name)"
    other = "" if first.explicit_id else " as its generated id"
    line = context.source.line_of(first.node.start) + 1 if first.node is not None else 0
    if id_node is not None:
        start, end, pointer = id_node.start, id_node.end, id_node.pointer
    else:
        anchor = model.node.value_of(context.field_name("displayName")) or model.node.value_of(
            "model"
        )
        assert anchor is not None
        start, end, pointer = anchor.start, anchor.end, anchor.pointer
    return Finding(
        DUPLICATE_ID.code,
        f'custom model {model.position} has the id "{_show(model.id)}"{how}, which custom model '
        f"{first.position} (line {line}) already uses{other}: Droid always picks the first, so "
        "this entry can never be selected by id (/model, --model, sessionDefaultSettings.model). "
        "Expected a unique `id`; give one of them another id",
        start,
        end,
        pointer,
    )


_VARIANT_EXCLUDED = frozenset({"id", "index", "displayName", "model_display_name", "provider"})
_VARIANT_EXCLUDED_SETTINGS = _VARIANT_EXCLUDED | {"noImageSupport", "supports_images"}


def _duplicate_models(context: LintContext, models: list[CustomModel]) -> Iterator[Finding]:
    if len({m.model for m in models}) == len(models):
        # `model` is part of the compared shape, so no two entries can match: the usual case,
        # which then serialises nothing (476k -> 9k instructions per file of 7 models)
        return
    base_field = context.field_name("baseUrl")
    seen: dict[tuple[str, str], CustomModel] = {}
    for model in models:
        node = model.node
        if node is None:
            continue
        base = node.string(base_field)
        bedrock = node.value_of("bedrock")
        where = _normal_url(base) if base is not None else _canonical(bedrock)
        shape = json.dumps(
            {
                m.key: _plain(m.value)
                for m in node.members
                if m.key not in _VARIANT_EXCLUDED_SETTINGS and m.key != base_field
            },
            sort_keys=True,
        )
        key = (where, shape)
        first = seen.setdefault(key, model)
        if first is model:
            continue
        model_node = node.value_of("model")
        assert model_node is not None
        differs = ""
        if (first.provider or "").lower() != (model.provider or "").lower():
            differs = (
                f', but with provider "{_clip(model.provider or "")}" instead of '
                f'"{_clip(first.provider or "")}": only one of those API styles is likely served '
                "at that URL"
            )
        at = f" at {_clip(base, 60)}" if base is not None else " on the same bedrock settings"
        yield Finding(
            DUPLICATE_MODEL.code,
            f"custom model {model.position} defines the same model as custom model "
            f'{first.position} ("{_show(model.model)}"{at}, same key and settings){differs}; '
            f'/model lists it twice. Remove one and point references at the other ("{_show(first.id)}")',
            model_node.start,
            model_node.end,
            model_node.pointer,
        )


def _normal_url(url: str) -> str:
    text = url.strip().rstrip("/")
    scheme, sep, rest = text.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}" if sep else text


def _canonical(node: Node | None) -> str:
    return json.dumps(_plain(node), sort_keys=True)


def _plain(node: Node | None) -> object:
    if node is None:
        return None
    if node.type == "object":
        return {m.key: _plain(m.value) for m in node.members}
    if node.type == "array":
        return [_plain(item) for item in node.items]
    return node.value


# --- FL702 ------------------------------------------------------------------------------------


@checker
def check_references(context: LintContext) -> Iterator[Finding]:
    if context.kind != "settings" or context.root is None or context.root.type != "object":
        return
    sites = list(_reference_sites(context.root))
    if not sites:
        return
    own = _own_models(context)
    others = [m for r in context.info.related for m in related_models(r)]
    everything = own + others
    visible = [m for m in everything if m.skipped is None]
    # A reference that is an entry's id or `custom:<its model>` resolves (resolve's first and
    # last rules): only the others need resolve's search among generated ids (43k -> 11k
    # instructions per file of 7 models)
    ids = {m.id for m in visible}
    targets = {m.model for m in visible}
    for label, node, favourite in sites:
        reference = str(node.value)
        if reference in ids or reference[len("custom:") :] in targets:
            continue
        if resolve(reference, visible) is not None:
            continue
        yield _unresolved(context, label, node, favourite, reference, visible, everything)


def _reference_sites(root: Node) -> Iterator[tuple[str, Node, bool]]:
    def is_ref(node: Node | None) -> bool:
        return node is not None and isinstance(node.value, str) and node.value.startswith("custom:")

    session = root.value_of("sessionDefaultSettings")
    if session is not None and session.type != "object":
        session = None
    for key in ("model", "specModeModel"):
        node = session.value_of(key) if session is not None else None
        if is_ref(node):
            assert node is not None
            yield f"sessionDefaultSettings.{key}", node, False
    for key in _LEGACY_SESSION_KEYS:
        node = root.value_of(key)
        if is_ref(node) and (session is None or session.get(key) is None):
            assert node is not None
            yield key, node, False
    for group in ("missionModelSettings", "subagentModelSettings"):
        holder = root.value_of(group)
        if holder is None or holder.type != "object":
            continue
        for member in holder.members:
            if member.key.endswith("Model") and is_ref(member.value):
                assert member.value is not None
                yield f"{group}.{member.key}", member.value, False
    for key in ("missionOrchestratorModel", "compactionModel"):
        node = root.value_of(key)
        if is_ref(node):
            assert node is not None
            yield key, node, False
    favourites = root.value_of("modelFavorites")
    if favourites is not None and favourites.type == "array":
        for number, item in enumerate(favourites.items):
            if is_ref(item):
                yield f"modelFavorites[{number}]", item, True


def _unresolved(
    context: LintContext,
    label: str,
    node: Node,
    favourite: bool,
    reference: str,
    visible: list[CustomModel],
    everything: list[CustomModel],
) -> Finding:
    hidden = [m for m in everything if m.skipped is not None]
    blocked = resolve(reference, hidden)
    scope = _scope_text(context)
    consequence = (
        "Droid ignores this favourite"
        if favourite
        else 'Droid cannot use it (`droid exec` stops with "Custom model configuration is '
        'unavailable"; an interactive session falls back to another model)'
    )
    if blocked is not None:
        where = "this file" if blocked.source == "this file" else blocked.source
        message = (
            f'`{label}` is "{_show(reference)}", which would match custom model '
            f"{blocked.position} of {where}, but Droid does not load that entry "
            f"({blocked.skipped}): {consequence}"
        )
        suggestion = None
    else:
        suggestion = _suggest(reference, visible)
        hint = f'; did you mean "{_show(suggestion)}"?' if suggestion else ""
        if visible:
            message = (
                f'`{label}` is "{_show(reference)}", which matches no custom model {scope}: no '
                "entry has that id or generated id, and no entry's `model` equals the part after "
                f"`custom:`. {consequence}{hint}"
            )
        else:
            message = (
                f'`{label}` is "{_show(reference)}", but no custom model is defined {scope}: '
                f"{consequence}"
            )
    fix = None
    if suggestion is not None:
        fix = Fix(
            f'Replace with "{suggestion}"',
            (Edit(node.start, node.end, json.dumps(suggestion, ensure_ascii=False)),),
            safe=False,
        )
    return Finding(UNRESOLVED_REFERENCE.code, message, node.start, node.end, node.pointer, fix)


def _scope_text(context: LintContext) -> str:
    levels = {r.level for r in context.info.related if r.name in MODEL_FILE_ROLES}
    if "user" in levels:
        return "in this file, next to it or in ~/.factory"
    if levels:
        return "in this file or next to it"
    return "in this file"


def _suggest(reference: str, models: list[CustomModel]) -> str | None:
    """The id of the model the reference most likely means."""
    import difflib  # for did-you-mean suggestions only

    rest = reference.lower()[len("custom:") :]
    rest_name = rest.rsplit("-", 1)[0] if re.search(r"-\d+$", rest) else rest
    best: tuple[float, str] | None = None
    for model in models:
        if has_key_token(model.id) or looks_like_key(model.id):
            continue
        candidates = (
            difflib.SequenceMatcher(None, rest, model.id.lower().removeprefix("custom:")).ratio(),
            difflib.SequenceMatcher(None, rest, model.model.lower()).ratio(),
            difflib.SequenceMatcher(
                None, rest_name, normalise_name(model.display_name).lower()
            ).ratio(),
        )
        score = max(candidates)
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, model.id)
    return best[1] if best else None


# --- FL704 ------------------------------------------------------------------------------------


@checker
def check_legacy_migration(context: LintContext) -> Iterator[Finding]:
    folder = [r for r in context.info.related if r.level == "folder"]
    role = file_role(context.info.path)
    if context.kind == "legacy":
        settings = [r for r in folder if r.name == "settings.json"]
        if settings:
            yield from _on_legacy(context, settings[0])
    elif role == "settings.json":
        legacy = [r for r in folder if r.name == "config.json"]
        if legacy:
            yield from _on_settings(context, legacy[0])


def _present_ids(root: Node | None) -> set[str]:
    """Ids Droid's migration treats as already present in settings.json: the loaded entries'
    ids (written or generated) and any `id` written on an entry."""
    models = load_models(root, "settings", "settings.json", own=True)
    ids = {m.id for m in models if m.skipped is None}
    ids |= {m.id for m in models if m.explicit_id}
    return ids


def _split_missing(
    missing: list[CustomModel], settings_root: Node | None, base_field: str
) -> tuple[list[CustomModel], list[tuple[CustomModel, CustomModel]]]:
    """Legacy models whose id is not in settings.json: those really missing, and those that are
    there under another id (same `model` and base URL), paired with that settings entry."""
    here = [
        m
        for m in load_models(settings_root, "settings", "settings.json", own=True)
        if m.skipped is None and m.node is not None
    ]
    by_target: dict[tuple[str, str], CustomModel] = {}
    for model in here:
        assert model.node is not None
        base = model.node.string("baseUrl")
        if base is not None:
            by_target.setdefault((model.model, _normal_url(base)), model)
    new: list[CustomModel] = []
    elsewhere: list[tuple[CustomModel, CustomModel]] = []
    for model in missing:
        assert model.node is not None
        base = model.node.string(base_field)
        twin = by_target.get((model.model, _normal_url(base))) if base is not None else None
        if twin is None:
            new.append(model)
        else:
            elsewhere.append((model, twin))
    return new, elsewhere


def _elsewhere_text(pairs: list[tuple[CustomModel, CustomModel]], limit: int = 2) -> str:
    shown = ", ".join(f'"{_show(a.id)}" is "{_show(b.id)}"' for a, b in pairs[:limit])
    more = f" and {len(pairs) - limit} more" if len(pairs) > limit else ""
    return shown + more


def _on_legacy(context: LintContext, settings: RelatedFile) -> Iterator[Finding]:
    models = [m for m in _own_models(context) if m.skipped is None]
    if not models or context.root is None:
        return
    member = context.root.get("custom_models")
    if member is None:
        return
    settings_root = _parse_cached(settings.text).root
    present = _present_ids(settings_root)
    missing = [m for m in models if m.id not in present]
    new, elsewhere = _split_missing(missing, settings_root, "base_url")
    user = context.info.scope == "user"
    parts = []
    if elsewhere:
        parts.append(
            f"{_models(len(elsewhere))} {_are(len(elsewhere))} already in {settings.path} under "
            f"another id (same model and base URL: {_elsewhere_text(elsewhere)}), so /model lists "
            f"{'them' if len(elsewhere) > 1 else 'it'} twice"
            + (
                " and Droid's startup migration, which matches by id, appends copies"
                if user
                else ""
            )
        )
    if new:
        copies = (
            " and copies {} into settings.json at startup"
            if user
            else (" (it migrates only ~/.factory/config.json)")
        )
        them = "them" if len(new) > 1 else "it"
        parts.append(
            f"{_models(len(new))} {_are(len(new))} not in {settings.path} yet "
            f"({_list_ids(new)}): Droid still reads {them} from here{copies.format(them)}; run "
            f"`factory-lint --fix --unsafe-fixes {settings.path}` to append {them} in camelCase"
        )
    if not parts:
        message = (
            f"every model in this legacy config.json ({len(models)}) is already in "
            f"{settings.path} (same id), which wins: this file is redundant; expected one model "
            "list, so delete this file"
        )
    else:
        message = (
            "legacy config.json next to settings.json: "
            + "; ".join(parts)
            + ". Expected every model in settings.json only; then delete this file"
        )
    yield Finding(
        LEGACY_MIGRATION.code,
        message,
        member.key_start,
        member.key_end,
        member.value.pointer if member.value is not None else "",
    )


def _on_settings(context: LintContext, legacy: RelatedFile) -> Iterator[Finding]:
    root = context.root
    if root is None or root.type != "object":
        return
    legacy_root = _parse_cached(legacy.text).root
    loaded = [m for m in load_models(legacy_root, "legacy", legacy.path) if m.skipped is None]
    present = _present_ids(root)
    missing = [m for m in loaded if m.id not in present]
    if not missing:
        return
    member = root.get("customModels")
    if member is not None and (member.value is None or member.value.type != "array"):
        return
    new, elsewhere = _split_missing(missing, root, "base_url")
    user = context.info.scope == "user"
    parts = []
    if elsewhere:
        parts.append(
            f"{_models(len(elsewhere))} in the legacy {legacy.path} {_are(len(elsewhere))} here "
            f"under another id (same model and base URL: {_elsewhere_text(elsewhere)}), so "
            f"/model lists {'them' if len(elsewhere) > 1 else 'it'} twice"
            + (
                " and Droid's startup migration, which matches by id, appends copies"
                if user
                else ""
            )
            + f"; delete {legacy.path} (or give these entries the ids Droid generates)"
        )
    fix = None
    if new:
        them, they = ("them", "they") if len(new) > 1 else ("it", "it")
        copies = (
            f"Droid copies {them} here at startup, but until then {they} "
            f"{'live' if len(new) > 1 else 'lives'} only in config.json"
            if user
            else f"Droid reads {them} from there but migrates only ~/.factory/config.json"
        )
        note = ""
        entries, names, blocked = _migrated_entries(new)
        if blocked:
            note = (
                f" (no automatic fix: {_list_ids(blocked)} hold a credential outside `api_key`; "
                "copy them by hand)"
            )
        else:
            fix = _migration_fix(context, root, entries, names)
        parts.insert(
            0,
            f"{_models(len(new))} in the legacy {legacy.path} {_are(len(new))} not in "
            f"`customModels` ({_list_ids(new)}); {copies}. Expected one model list here, in "
            f"camelCase{note}",
        )
    start, end, pointer = (
        (member.key_start, member.key_end, member.value.pointer if member.value else "")
        if member is not None
        else (root.start, root.start + 1, "")
    )
    yield Finding(LEGACY_MIGRATION.code, "; ".join(parts), start, end, pointer, fix)


def _migration_fix(
    context: LintContext, root: Node, entries: list[dict[str, object]], names: list[str]
) -> Fix | None:
    edits = _append_edits(context, root, entries)
    if not edits:
        return None
    env = ""
    if names:
        env = (
            "; literal api_key values are not copied: they become "
            + ", ".join(f'"${{{n}}}"' for n in names)
            + ", export them before starting droid"
        )
    return Fix(
        f"Append {len(entries)} model{'s' if len(entries) != 1 else ''} from config.json to "
        f"customModels as Droid's migration writes them{env}",
        tuple(edits),
        safe=False,
    )


def _models(count: int) -> str:
    return f"{count} model{'s' if count != 1 else ''}"


def _are(count: int) -> str:
    return "are" if count != 1 else "is"


def _list_ids(models: list[CustomModel], limit: int = 3) -> str:
    shown = ", ".join(f'"{_show(m.id)}"' for m in models[:limit])
    more = f" and {len(models) - limit} more" if len(models) > limit else ""
    return shown + more


def _migrated_entries(
    missing: list[CustomModel],
) -> tuple[list[dict[str, object]], list[str], list[CustomModel]]:
    """The settings.json objects Droid's migration writes for ``missing`` legacy models (same
    keys and order), the env names that replace literal keys, and the models not migratable
    because they hold a credential outside `api_key`."""
    entries: list[dict[str, object]] = []
    names: list[str] = []
    blocked: list[CustomModel] = []
    used: dict[str, str] = {}
    for model in missing:
        item = model.node
        assert item is not None
        key_node = item.value_of("api_key")
        others = [n for n in secret_nodes(item) if n is not key_node]
        if others:
            blocked.append(model)
            continue
        api_key: object = key_node.value if key_node is not None else None
        if isinstance(api_key, str) and is_literal_key(api_key):
            name = env_name_for(identify_key(api_key), item.string("base_url"))
            candidate, counter = name, 2
            while candidate in used and used[candidate] != api_key:
                candidate = f"{name}_{counter}"
                counter += 1
            used[candidate] = api_key
            if candidate not in names:
                names.append(candidate)
            api_key = f"${{{candidate}}}"
        provider = str(item.string("provider")).lower().replace("_", "-")
        supports = item.value_of("supports_images")
        images = supports.value if supports is not None else None
        reasoning = item.string("reasoning_effort")
        effort = reasoning.lower() if reasoning and reasoning.lower() in _REASONING else None
        entry: dict[str, object] = {
            "model": model.model,
            "id": model.id,
            "index": int(model.index),
            "baseUrl": item.string("base_url"),
            "apiKey": api_key,
            "displayName": model.display_name,
            "maxContextLimit": _plain(item.value_of("max_context_limit")),
            "enableThinking": _plain(item.value_of("enable_thinking")),
            "thinkingMaxTokens": _plain(item.value_of("thinking_max_tokens")),
            "maxOutputTokens": _plain(item.value_of("max_tokens")),
            "reasoningEffort": effort,
            "extraHeaders": _plain(item.value_of("extra_headers")),
            "extraArgs": _plain(item.value_of("extra_args")),
            "bedrock": _plain(item.value_of("bedrock")),
            "noImageSupport": images is False
            or (images is None and provider == "generic-chat-completion-api"),
            "provider": provider,
        }
        entries.append({k: v for k, v in entry.items() if v is not None})
    return entries, names, blocked


def _append_edits(context: LintContext, root: Node, entries: list[dict[str, object]]) -> list[Edit]:
    if not entries:
        return []
    text = context.text
    unit = _indent_unit(text)
    array_member = root.get("customModels")
    if array_member is None or array_member.value is None:
        # a new "customModels" member at the end of the root object
        member_indent = _member_indent(context, root) or unit
        item_indent = member_indent + unit
        body = ",\n".join(_render(e, item_indent, unit) for e in entries)
        block = f'{member_indent}"customModels": [\n{body}\n{member_indent}]'
        return _insert_member(context, root, block)
    array = array_member.value
    line_indent = _line_indent(text, array_member.key_start)
    if array.items:
        item_indent = _line_indent(text, array.items[0].start) or (line_indent + unit)
    else:
        item_indent = line_indent + unit
    body = ",\n".join(_render(e, item_indent, unit) for e in entries)
    return _insert_items(context, array, body, line_indent)


def _insert_items(context: LintContext, array: Node, body: str, line_indent: str) -> list[Edit]:
    text = context.text
    close = array.end - 1
    if not array.items and text[array.start + 1 : close].strip() == "":
        return [Edit(array.start + 1, close, "\n" + body + "\n" + line_indent)]
    edits = []
    if array.items:
        edits.append(Edit(array.items[-1].end, array.items[-1].end, ","))
    line_start = text.rfind("\n", 0, close) + 1
    if text[line_start:close].strip() == "":
        edits.append(Edit(line_start, line_start, body + "\n"))
    else:
        edits.append(Edit(close, close, "\n" + body + "\n" + line_indent))
    return edits


def _insert_member(context: LintContext, root: Node, block: str) -> list[Edit]:
    text = context.text
    close = root.end - 1
    edits = []
    if root.members:
        last = root.members[-1]
        edits.append(Edit(last.end, last.end, ","))
    line_start = text.rfind("\n", 0, close) + 1
    if text[line_start:close].strip() == "":
        edits.append(Edit(line_start, line_start, block + "\n"))
    else:
        edits.append(Edit(close, close, "\n" + block + "\n"))
    return edits


def _member_indent(context: LintContext, root: Node) -> str:
    if root.members:
        return _line_indent(context.text, root.members[0].key_start)
    return ""


def _line_indent(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    prefix = text[start:offset]
    return prefix if prefix.strip() == "" else re.match(r"[ \t]*", prefix).group()  # type: ignore[union-attr]


def _indent_unit(text: str) -> str:
    match = re.search(r"^([ \t]+)\S", text, re.MULTILINE)
    if match is None:
        return "  "
    indent = match.group(1)
    return "\t" if indent.startswith("\t") else " " * min(len(indent), 8)


def _render(value: object, indent: str, unit: str) -> str:
    """``value`` as pretty JSON whose first line starts with ``indent``."""
    return indent + _render_value(value, indent, unit)


def _render_value(value: object, indent: str, unit: str) -> str:
    inner = indent + unit
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [
            f"{inner}{json.dumps(k, ensure_ascii=False)}: {_render_value(v, inner, unit)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(members) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [inner + _render_value(v, inner, unit) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


# --- helpers ----------------------------------------------------------------------------------


def _show(text: str) -> str:
    """A name or id as a message may show it: key-shaped text is redacted, long text clipped."""
    if has_key_token(text) or looks_like_key(text):
        return redact(text)
    return _clip(text, 80)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- FL705 ------------------------------------------------------------------------------------

NOT_A_MODEL_ID = rule(
    "FL705",
    "session-model-not-a-model-id",
    "warning",
    "references",
    "A session model setting (`model`, `specModeModel`, at the top level or in "
    "`sessionDefaultSettings`) that is neither a `custom:` reference nor one of Droid's "
    'built-in model ids: `"glm"`, `"claude-sonnet-4.5"`.',
    why="Droid uses only a built-in model id (`claude-opus-4-8`, `gpt-5.6-sol`…) or "
    "`custom:<id>` of a custom model there. Anything else is not used: checked with the real "
    'CLI (0.225.2), `"model": "glm"` started the session with another model and said nothing. '
    "The message suggests the custom model whose `model` matches, or the built-in id the value "
    "abbreviates. factory-lint's list of built-in ids lags Droid's, so a value that is a "
    "model id of any catalogued provider is not reported.",
    example='{ "model": "glm", "customModels": [ { "model": "glm-4.6", "displayName": "GLM", '
    '"provider": "generic-chat-completion-api", "baseUrl": "https://api.z.ai/api/paas/v4", '
    '"apiKey": "${ZAI_API_KEY}" } ] }',
    fix='Use `custom:<id>` of a custom model, or a built-in id (unsafe fix: "did you mean").',
    fixable="unsafe",
)


@checker
def check_session_model_ids(context: LintContext) -> Iterator[Finding]:
    root = context.root
    if context.kind != "settings" or root is None or root.type != "object":
        return
    from factory_lint.catalog import factory_builtin_models, model_endpoints

    session = root.value_of("sessionDefaultSettings")
    places: list[tuple[str, Node]] = []
    for key in _LEGACY_SESSION_KEYS:
        inner = session.value_of(key) if session is not None and session.type == "object" else None
        if inner is not None:
            places.append((f"sessionDefaultSettings.{key}", inner))
        top = root.value_of(key)
        if top is not None and inner is None:
            places.append((key, top))
    builtin: frozenset[str] | None = None
    for label, node in places:
        value = node.value
        if node.type != "string" or not isinstance(value, str) or not value.strip():
            continue
        if value.startswith("custom:") or "${" in value:
            continue  # FL702 checks references
        if builtin is None:
            builtin = factory_builtin_models()
        if value in builtin or model_endpoints(value):
            # our built-in list lags Droid's (which also has e.g. `glm-4.6`): a real model id
            # of any catalogued provider may be one of them, so it is not reported
            continue
        suggestion = _model_id_for(value, _own_models(context), builtin)
        hint = f'; did you mean "{_show(suggestion)}"?' if suggestion else ""
        yield Finding(
            NOT_A_MODEL_ID.code,
            f'`{label}` is "{_show(value)}", which is neither a `custom:` reference to a custom '
            "model nor one of Droid's built-in model ids: Droid does not use it and falls back "
            f"to another model{hint}",
            node.start,
            node.end,
            node.pointer,
            Fix(
                f'Replace with "{suggestion}"',
                (Edit(node.start, node.end, json.dumps(suggestion, ensure_ascii=False)),),
                safe=False,
            )
            if suggestion
            else None,
        )


def _model_id_for(value: str, models: list[CustomModel], builtin: frozenset[str]) -> str | None:
    """The reference ``value`` most likely means: the one loaded custom model whose `model` or
    display name is ``value`` or starts with it, else the one built-in id whose separators-free
    form starts with it (``claude-sonnet-4.5`` -> ``claude-sonnet-4-5-20250929``)."""
    wanted = _squash(value)
    loaded = [m for m in models if m.skipped is None]
    for exact in (True, False):
        found = {
            m.id
            for m in loaded
            if any(
                (_squash(name) == wanted) if exact else _squash(name).startswith(wanted)
                for name in (m.model, m.display_name)
            )
        }
        if len(found) == 1:
            return next(iter(found))
        if found:
            return None
    matches = sorted(b for b in builtin if _squash(b).startswith(wanted))
    return matches[0] if len(matches) == 1 else None


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
