"""What a rule sees: the text, its parsed tree, and where the file lives."""

from __future__ import annotations

from typing import Literal

from factory_lint.jsonc import Document, Node
from factory_lint.kinds import Kind
from factory_lint.records import FrozenValueRecord, ValueRecord
from factory_lint.text import SourceText

Scope = Literal["user", "project", "unknown"]
#: ``folder``: a file in the same folder (settings.json, settings.local.json, config.json);
#: ``user``: one of the user's ~/.factory files, seen from a project file.
RelatedLevel = Literal["folder", "user"]


class RelatedFile(FrozenValueRecord):
    """Another Droid file whose custom models Droid merges with this file's.

    Rules stay pure: the runner reads these files and hands their text in.
    """

    __slots__ = ("level", "name", "path", "text")
    __match_args__ = ("path", "name", "text", "level")

    #: the path as shown to the user
    path: str
    #: ``settings.json``, ``settings.local.json`` or ``config.json`` (the role, without any
    #: chezmoi prefix)
    name: str
    text: str
    level: RelatedLevel

    def __init__(self, path: str, name: str, text: str, level: RelatedLevel = "folder") -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "level", level)


class FileInfo(FrozenValueRecord):
    """Facts about the file's place that change what is a problem."""

    __slots__ = ("committed", "link_target", "mode", "path", "related", "scope")
    __match_args__ = ("path", "scope", "committed", "mode", "related", "link_target")

    path: str | None
    #: ``user``: the user's own ~/.factory; ``project``: inside a repository (committed);
    #: ``unknown``: stdin or a file whose place we cannot tell.
    scope: Scope
    #: True when the file is (or will be) committed: inside a git work tree, a project
    #: ``.factory/``, or handed to the pre-commit hook.
    committed: bool
    #: Unix permission bits of the file, when known.
    mode: int | None
    #: The other Droid files next to this one (and, for a project file, the user's own
    #: ~/.factory files); empty when the file is not on disk (stdin) or has no neighbours.
    related: tuple[RelatedFile, ...]
    #: For a symbolic link whose real file lies outside the link's folder: that real path
    #: (Droid skips such an AGENTS.md); None otherwise or when unknown.
    link_target: str | None

    def __init__(
        self,
        path: str | None = None,
        scope: Scope = "unknown",
        committed: bool = False,
        mode: int | None = None,
        related: tuple[RelatedFile, ...] = (),
        link_target: str | None = None,
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "scope", scope)
        object.__setattr__(self, "committed", committed)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "related", related)
        object.__setattr__(self, "link_target", link_target)


class LintContext(ValueRecord):
    __slots__ = ("document", "info", "kind", "memo", "source")
    __match_args__ = ("source", "document", "kind", "info", "memo")
    #: memo is neither shown nor compared (``field(repr=False, compare=False)``)
    _repr_fields = _compare_fields = __match_args__[:-1]

    source: SourceText
    document: Document
    kind: Kind
    info: FileInfo
    #: What one rule family derives from the document and wants to reuse in its other checks
    #: of the same lint (e.g. the custom models as Droid loads them); lives as long as the
    #: context, which is made anew for every lint.
    memo: dict[str, object]

    def __init__(
        self,
        source: SourceText,
        document: Document,
        kind: Kind,
        info: FileInfo | None = None,
        memo: dict[str, object] | None = None,
    ) -> None:
        self.source = source
        self.document = document
        self.kind = kind
        self.info = FileInfo() if info is None else info
        self.memo = {} if memo is None else memo

    @property
    def root(self) -> Node | None:
        return self.document.root

    @property
    def text(self) -> str:
        return self.source.text

    def models(self) -> list[Node]:
        """The custom-model entries of this file's kind (objects only)."""
        key = "customModels" if self.kind == "settings" else "custom_models"
        root = self.root
        if root is None or root.type != "object":
            return []
        array = root.value_of(key)
        if array is None or array.type != "array":
            return []
        return [item for item in array.items if item.type == "object"]

    def field_name(self, camel: str) -> str:
        """The spelling of a custom-model field in this file's kind (camelCase or legacy)."""
        return camel if self.kind == "settings" else LEGACY_NAMES.get(camel, camel)


#: settings.json field → legacy config.json field (spec §4).
LEGACY_NAMES: dict[str, str] = {
    "model": "model",
    "provider": "provider",
    "baseUrl": "base_url",
    "apiKey": "api_key",
    "displayName": "model_display_name",
    "maxOutputTokens": "max_tokens",
    "maxContextLimit": "max_context_limit",
    "enableThinking": "enable_thinking",
    "thinkingMaxTokens": "thinking_max_tokens",
    "reasoningEffort": "reasoning_effort",
    "extraHeaders": "extra_headers",
    "extraArgs": "extra_args",
    "bedrock": "bedrock",
}
CAMEL_NAMES: dict[str, str] = {v: k for k, v in LEGACY_NAMES.items()}
