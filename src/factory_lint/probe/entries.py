"""The custom-model entries of a document, as Droid reads them, with the ranges of their values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from factory_lint.catalog import PROVIDER_STYLES, Style
from factory_lint.context import LEGACY_NAMES
from factory_lint.jsonc import Document, Node, parse
from factory_lint.kinds import Kind

#: Only ``${NAME}`` is expanded, and only in settings files' ``apiKey`` (spec §2).
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: Droid drops an entry whose key is exactly one of these (spec §3 rule 2).
DROPPED_KEYS = ("YOUR_API_KEY", "YOUR_OPENAI_API_KEY")


@dataclass(slots=True)
class ModelEntry:
    """One custom-model object: its position, its fields and the nodes that hold them."""

    kind: Kind
    #: Position in the ``customModels`` / ``custom_models`` array.
    index: int
    node: Node
    model: str | None = None
    provider: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    auth_mode: str | None = None
    has_bedrock: bool = False
    extra_headers: dict[str, str] = field(default_factory=dict)
    extra_args: dict[str, object] = field(default_factory=dict)

    @property
    def pointer(self) -> str:
        return self.node.pointer

    @property
    def start(self) -> int:
        return self.node.start

    @property
    def end(self) -> int:
        return self.node.end

    def field_node(self, camel: str) -> Node | None:
        """The value node of a field given by its settings.json (camelCase) name."""
        name = camel if self.kind == "settings" else LEGACY_NAMES.get(camel, camel)
        return self.node.value_of(name)

    @property
    def style(self) -> Style | None:
        """The API style of the provider as Droid normalises it (case, ``_`` for ``-``)."""
        if self.provider is None:
            return None
        return PROVIDER_STYLES.get(self.provider.strip().lower().replace("_", "-"))

    @property
    def label(self) -> str:
        name = self.model if self.model is not None else f"#{self.index}"
        return f'"{name}"' if self.model is not None else name


def to_python(node: Node) -> object:
    """A plain Python value for a node (objects and arrays included)."""
    if node.type == "object":
        return {m.key: to_python(m.value) for m in node.members if m.value is not None}
    if node.type == "array":
        return [to_python(item) for item in node.items]
    return node.value


def model_entries(text: str, kind: Kind, document: Document | None = None) -> list[ModelEntry]:
    """Every custom-model object of ``text`` (a settings or legacy file), in file order."""
    document = document if document is not None else parse(text)
    root = document.root
    if root is None or root.type != "object":
        return []
    array = root.value_of("customModels" if kind == "settings" else "custom_models")
    if array is None or array.type != "array":
        return []
    entries = []
    for index, item in enumerate(array.items):
        if item.type != "object":
            continue
        entry = ModelEntry(kind, index, item)
        entry.model = _string(entry, "model")
        entry.provider = _string(entry, "provider")
        entry.base_url = _string(entry, "baseUrl")
        entry.api_key = _string(entry, "apiKey")
        entry.auth_mode = _string(entry, "authMode") if kind == "settings" else None
        bedrock = entry.field_node("bedrock")
        entry.has_bedrock = bedrock is not None and bedrock.type == "object"
        headers = entry.field_node("extraHeaders")
        if headers is not None and headers.type == "object":
            entry.extra_headers = {
                m.key: m.value.value
                for m in headers.members
                if m.value is not None and isinstance(m.value.value, str)
            }
        args = entry.field_node("extraArgs")
        if args is not None and args.type == "object":
            value = to_python(args)
            if isinstance(value, dict):
                entry.extra_args = value
        entries.append(entry)
    return entries


def _string(entry: ModelEntry, camel: str) -> str | None:
    node = entry.field_node(camel)
    return node.value if node is not None and isinstance(node.value, str) else None


def resolve_key(
    raw: str | None, kind: Kind, env: Mapping[str, str]
) -> tuple[str | None, list[str]]:
    """The key Droid would send, and the names of ``${NAME}`` references that are unset.

    Settings files expand ``${NAME}`` anywhere in ``apiKey``; an unset variable stays as the
    literal ``${NAME}`` and an empty one expands to ``""``. Legacy ``api_key`` is literal.
    """
    if raw is None or kind == "legacy":
        return raw, []
    unset: list[str] = []

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in env:
            return env[name]
        unset.append(name)
        return match.group(0)

    return ENV_REF.sub(expand, raw), unset
