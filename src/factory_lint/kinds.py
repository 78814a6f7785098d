"""Which Droid file a path (or a text) is, or that it is not Droid's at all.

The kinds (droid-surface.md §0-§1): ``settings`` (settings.json, settings.local.json), ``legacy``
(config.json), ``mcp`` (mcp.json), ``hooks`` (hooks.json and the legacy hooks/hooks.json) — all
JSONC — and the Markdown kinds ``droid`` (droids/*.md), ``skill`` (skills/**/SKILL.md),
``command`` (commands/**), ``output-style`` (output-styles/*.md) and ``agents-md`` (AGENTS.md and
the files Droid loads beside it). See docs/kinds.md for how a kind plugs in.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

from factory_lint.lazy_re import lazy_compile

if TYPE_CHECKING:
    from factory_lint.jsonc import Node

Kind = Literal[
    "settings", "legacy", "mcp", "hooks", "droid", "skill", "command", "output-style", "agents-md"
]
KINDS: tuple[Kind, ...] = (
    "settings",
    "legacy",
    "mcp",
    "hooks",
    "droid",
    "skill",
    "command",
    "output-style",
    "agents-md",
)
#: The custom-model files (the rule families FL1xx-FL7xx run on these).
SETTINGS_KINDS: frozenset[Kind] = frozenset({"settings", "legacy"})
#: Kinds parsed as JSONC (FL0xx syntax rules and ``// factory-lint: ignore`` apply).
JSON_KINDS: frozenset[Kind] = frozenset({"settings", "legacy", "mcp", "hooks"})
#: Kinds parsed as Markdown with optional YAML frontmatter.
MARKDOWN_KINDS: frozenset[Kind] = frozenset(
    {"droid", "skill", "command", "output-style", "agents-md"}
)

#: Folder names that hold Droid's files: the real one and the dotfile-manager layouts
#: (chezmoi ``dot_factory``/``private_dot_factory``, GNU stow --dotfiles ``dot-factory``, plain
#: ``factory/`` in dotfile repos).
FACTORY_DIRS = frozenset(
    {".factory", "dot_factory", "private_dot_factory", "dot-factory", "factory"}
)
_CHEZMOI_PREFIXES = lazy_compile(r"^(?:(?:private|readonly|empty|executable|create|modify)_)+")
SETTINGS_NAMES = frozenset({"settings.json", "settings.local.json"})
LEGACY_NAMES = frozenset({"config.json"})
MCP_NAMES = frozenset({"mcp.json"})
HOOKS_NAMES = frozenset({"hooks.json"})
#: Folders that hold only skills, commands and AGENTS.md (droid-surface.md §1).
COMPAT_DIRS = frozenset({".agents", ".agent", "dot_agents", "dot_agent"})
#: The instruction files Droid loads from each folder (``AGENT.md`` is recognised so that the
#: agents-md rules can say it is not read).
AGENTS_MD_NAMES = frozenset({"agents.md", "claude.md", "agent.md"})
_FOLDER_PREFIXES = lazy_compile(r"^(?:(?:exact|private|readonly|empty)_)+")

#: Top-level keys that only a Droid settings file has (used to sniff unknown names).
SETTINGS_MARKERS = frozenset(
    {
        "customModels",
        "sessionDefaultSettings",
        "commandAllowlist",
        "commandDenylist",
        "enableDroidShield",
        "missionModelSettings",
        "subagentModelSettings",
        "modelFavorites",
        "compactionModel",
        "autonomyLevel",
        "autonomyMode",
        "includeCoAuthoredByDroid",
        "cloudSessionSync",
    }
)
LEGACY_MARKERS = frozenset({"custom_models"})


def base_name(path: PurePath) -> str:
    """The file name with chezmoi attribute prefixes removed (``private_settings.json``)."""
    return _CHEZMOI_PREFIXES.sub("", path.name)


def base_name_of(name: str) -> str:
    """:func:`base_name` of a plain file name (no folder), without making a path of it."""
    return _CHEZMOI_PREFIXES.sub("", name)


def in_factory_dir(path: PurePath) -> bool:
    return _is_factory_folder(path.parent.name)


def _folder_name(part: str) -> str:
    """A folder's name with chezmoi's folder prefixes removed (``exact_private_dot_factory``)."""
    return _FOLDER_PREFIXES.sub("", part)


def _is_factory_folder(part: str) -> bool:
    return part in FACTORY_DIRS or _folder_name(part) in {"dot_factory", "private_dot_factory"}


def _is_markdown_home(part: str) -> bool:
    """A folder that may hold droids/skills/commands/output styles: a real ``.factory`` (or
    chezmoi's ``dot_factory``, stow's ``dot-factory``), or ``.agents``/``.agent``. A plain
    ``factory/`` folder is too common a name to claim its Markdown files."""
    name = _folder_name(part)
    return part != "factory" and (
        _is_factory_folder(part) or name == "dot-factory" or name in COMPAT_DIRS
    )


def kind_from_path(path: PurePath) -> Kind | None:
    """The kind a path's name and folder imply, or None when only the content can tell."""
    name = base_name(path)
    if in_factory_dir(path):
        if name in SETTINGS_NAMES:
            return "settings"
        if name in LEGACY_NAMES:
            return "legacy"
        if name in MCP_NAMES:
            return "mcp"
        if name in HOOKS_NAMES:
            return "hooks"
    parts = path.parts
    if (
        name in HOOKS_NAMES
        and len(parts) >= 3
        and _folder_name(parts[-2]) == "hooks"
        and _is_factory_folder(parts[-3])
    ):
        return "hooks"  # the legacy <level>/.factory/hooks/hooks.json
    return markdown_kind_from_parts(parts, name)


def markdown_kind_from_parts(parts: tuple[str, ...], name: str) -> Kind | None:
    """The Markdown kind of a file from its path's parts (``name``: the last part without
    chezmoi's attribute prefixes). Files Droid never reads though the user meant it to (a
    nested or ``.MD`` droid, ``skill.md``, an ``.mdx`` command) get the kind meant, so that
    that kind's rules can say where Droid looks."""
    lowered = name.lower()
    for index in range(len(parts) - 2, -1, -1):
        if not _is_markdown_home(parts[index]):
            continue
        below = [_folder_name(part) for part in parts[index + 1 : -1]]
        if not below:
            if lowered in AGENTS_MD_NAMES or (
                lowered == "design.md" and _is_factory_folder(parts[index])
            ):
                return "agents-md"
            continue
        top = below[0]
        compat = _folder_name(parts[index]) in COMPAT_DIRS
        if top == "skills":
            # A skill's other files (references/, templates) are not skills.
            if lowered in ("skill.md", "skill.mdx") or (
                len(below) == 1 and lowered.endswith((".md", ".mdx", ".markdown"))
            ):
                return "skill"
            return None
        if top == "commands":
            return "command"
        if compat:
            continue
        if top == "droids" and lowered.endswith((".md", ".markdown", ".mdx")):
            return "droid"
        if top == "output-styles" and lowered.endswith((".md", ".markdown", ".mdx")):
            return "output-style"
    if lowered in AGENTS_MD_NAMES:
        return "agents-md"
    if (
        lowered == "skill.md"
        and len(parts) >= 4
        and parts[-4] == ".claude"
        and parts[-3] == "skills"
    ):
        return "skill"  # Claude Code's .claude/skills/<name>/SKILL.md: Droid never reads it
    return None


def kind_from_content(root: Node | None) -> Kind | None:
    """Sniff a parsed document: ``custom_models`` means legacy, settings keys mean settings."""
    if root is None or root.type != "object":
        return None
    keys = {m.key for m in root.members}
    if keys & LEGACY_MARKERS and not keys & SETTINGS_MARKERS:
        return "legacy"
    if keys & SETTINGS_MARKERS:
        return "settings"
    return None


def is_foreign_config(root: Node | None) -> bool:
    """A ``.factory/config.json`` that belongs to another tool: an object with no model list."""
    if root is None or root.type != "object" or not root.members:
        return False
    keys = {m.key for m in root.members}
    return not keys & {"custom_models", "customModels", "models"}


def resolve_kind(
    path: PurePath | None, root: Node | None, forced: Kind | None = None
) -> tuple[Kind | None, str | None]:
    """The kind to lint a document as, or ``(None, reason)`` when it is not a Droid file."""
    if forced is not None:
        return forced, None
    by_path = kind_from_path(path) if path is not None else None
    name = base_name(path) if path is not None else ""
    if name.endswith(".tmpl"):
        return None, "a chezmoi template; lint the file chezmoi renders instead"
    if by_path == "legacy" and is_foreign_config(root):
        return None, "a config.json without `custom_models`: it belongs to another tool, skipped"
    if by_path is not None:
        if (
            by_path in SETTINGS_KINDS
            and path is not None
            and path.parent.name == "factory"
            and not _droid_shaped(root)
        ):
            return None, (
                "in a plain `factory/` folder but not shaped like a Droid file (a JSON object "
                "with Droid's keys): not Droid's, skipped (use --kind to force)"
            )
        return by_path, None
    sniffed = kind_from_content(root)
    if sniffed is not None:
        return sniffed, None
    if name in SETTINGS_NAMES or name in LEGACY_NAMES:
        # Editors and other tools keep many settings.json files (.vscode/): outside a Factory
        # folder only the content can make one Droid's (the language server agrees).
        return None, (
            f"a {name} outside a .factory folder without Droid keys: not Droid's, skipped "
            "(use --kind to force)"
        )
    return None, "not recognised as a Droid settings or config file (use --kind to force)"


def _droid_shaped(root: Node | None) -> bool:
    """Whether a file in a plain ``factory/`` folder (a common name: ``src/factory/`` of a
    Python package) can be Droid's: an object, empty or with a key Droid's settings or legacy
    config has; or a text too broken to tell (its syntax errors are worth reporting)."""
    if root is None:
        return True
    if root.type != "object":
        return False
    if not root.members:
        return True
    from factory_lint.schema import load_schema  # only for files in a plain factory/ folder

    known = {
        key
        for kind in ("settings", "legacy")
        for key in load_schema(kind).get("properties", {})
        if key != "$schema"
    }
    return any(member.key in known for member in root.members)
