"""Completion and hover in the frontmatter of droids, skills, commands and output styles.

Completion works on the text line by line (the YAML is usually half-typed); hover uses the
frontmatter tree. Keys, tool ids (droid ``tools``, skill ``allowed-tools``), model ids (droid
``model``: built-in and the ``custom:`` ids of the settings around the file), MCP server names
(droid ``mcpServers``) and booleans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types

from factory_lint.catalog import factory_builtin_models
from factory_lint.catalog.tools import CORE_TOOLS, TOOL_IDS
from factory_lint.context import FileInfo
from factory_lint.jsonc import Node, parse
from factory_lint.kinds import Kind
from factory_lint.server.convert import Positions
from factory_lint.server.locate import token_at

#: Frontmatter keys Droid reads, per kind, with what they do.
KEYS: dict[str, dict[str, str]] = {
    "droid": {
        "name": "The droid's name (lowercase letters, digits, `-`, `_`). Without it Droid names "
        "the droid after its file.",
        "description": "When the model should use this droid (shown in the list of available "
        "subagents).",
        "model": "`inherit` (the session's model, the default), a built-in model id, or a "
        "`custom:` id from `customModels`. An unknown id silently falls back to `inherit`.",
        "reasoningEffort": "Reasoning effort for the droid's model (ignored with `inherit`).",
        "tools": "Tool ids (`[Read, Grep, Execute]` or `Read, Grep`), or one category: "
        "`read-only`, `edit`, `execute`, `web`, `mcp`. Omit for every tool. Unknown ids are "
        "silently dropped.",
        "mcpServers": "MCP servers whose tools the droid gets (names from mcp.json); `[]` for "
        "none. Omit to inherit the session's servers.",
    },
    "skill": {
        "name": "Required. Lowercase letters, digits and `-`; `/name` invokes the skill. "
        "Without it Droid disables the skill.",
        "description": "Required. When the model should use the skill. Without it Droid "
        "disables the skill, silently.",
        "allowed-tools": "Tools the skill expects (a list or a comma-separated string).",
        "user-invocable": "`false` hides the skill from `/` (default `true`). A boolean: "
        'quoted `"false"` or `no` disable the skill.',
        "disable-model-invocation": "`true` hides the skill from the model (default `false`).",
        "enabled": "`false` disables the skill (default `true`).",
        "license": "A string.",
        "compatibility": "A string.",
        "metadata": "A mapping of your own keys (a plain string disables the skill).",
        "version": "A version string (wrong types are ignored).",
    },
    "command": {
        "description": "Shown in `/` suggestions (default: the first line of the body).",
        "argument-hint": "Shown after the command's name, e.g. `<issue-number>`.",
    },
    "output-style": {
        "name": "The style's name (default: the file name).",
        "description": "What the style does.",
    },
}
#: What Droid's tools do (hover and completion details).
TOOL_DOCS: dict[str, str] = {
    "Read": "Read a file.",
    "LS": "List a directory.",
    "Grep": "Search file contents.",
    "Glob": "Find files by pattern.",
    "Create": "Create or overwrite a file (swapped for ApplyPatch on OpenAI-family models).",
    "Edit": "Edit a file (swapped for ApplyPatch on OpenAI-family models).",
    "ApplyPatch": "Create or edit files with a patch (OpenAI-family models).",
    "Execute": "Run a shell command (Claude Code's `Bash`).",
    "WebSearch": "Search the web.",
    "FetchUrl": "Fetch a URL as Markdown (Claude Code's `WebFetch`).",
    "Task": "Start a subagent (not available inside subagents).",
    "TodoWrite": "Keep a plan (always given to droids).",
    "Skill": "Load a skill (always given to droids).",
    "AskUser": "Ask the user questions (not available inside subagents).",
    "GenerateImage": "Generate an image.",
    "TaskOutput": "Read a background task's output.",
    "TaskStop": "Stop a background task.",
}
CATEGORY_DOCS = {
    "read-only": "Read, Grep, Glob, LS (and other read-only tools).",
    "edit": "Edit, Create, ApplyPatch.",
    "execute": "Execute.",
    "execution": "Execute (alias of `execute`).",
    "web": "WebSearch, FetchUrl.",
    "mcp": "No tool by itself in Droid 0.225.2: name servers in `mcpServers`.",
}
_KEY_LINE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]?(.*)$")
_WORD = re.compile(r"[A-Za-z0-9_:.\-]*$")


@dataclass(slots=True)
class Place:
    """Where the cursor is in the frontmatter."""

    #: "key" or "value"
    what: str
    key: str | None
    #: The range the completion replaces.
    start: int
    end: int
    #: True when the value is (or continues) a YAML list.
    in_list: bool


def frontmatter_span(text: str) -> tuple[int, int] | None:
    """``[start, end)`` of the frontmatter's content while it is being typed (no closing
    ``---`` yet: up to the end of the text)."""
    match = re.match(r"---\r?\n", text)
    if match is None:
        return None
    close = re.search(r"\r?\n---", text[match.end() - 1 :])
    end = match.end() - 1 + close.start() if close else len(text)
    return match.end(), max(end, match.end())


def place_at(text: str, offset: int) -> Place | None:
    span = frontmatter_span(text)
    if span is None or not span[0] <= offset <= span[1]:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    word = _WORD.search(before)
    word_start = offset - (len(word.group()) if word else 0)
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end == -1 else line_end
    after = re.match(r"[A-Za-z0-9_:.\-]*", text[offset:line_end])
    word_end = offset + (len(after.group()) if after else 0)
    key = _KEY_LINE.match(before)
    if key is not None and not before.startswith((" ", "\t")):
        value = key.group(2)
        return Place("value", key.group(1), word_start, word_end, value.lstrip().startswith("["))
    stripped = before.lstrip()
    if stripped.startswith("- ") or stripped == "-":
        owner = _owner_key(text, line_start, span[0])
        return Place("value", owner, word_start, word_end, True) if owner else None
    if not before.startswith((" ", "\t")) and ":" not in before:
        return Place("key", None, line_start, word_end, False)
    return None


def _owner_key(text: str, line_start: int, content_start: int) -> str | None:
    """The key of the ``- item`` list the line belongs to."""
    position = line_start
    while position > content_start:
        previous = text.rfind("\n", 0, position - 1) + 1
        line = text[previous : position - 1]
        if line and not line.startswith((" ", "\t", "-")):
            match = _KEY_LINE.match(line)
            return match.group(1) if match and not match.group(2).strip() else None
        position = previous
    return None


def complete(
    text: str,
    kind: Kind,
    offset: int,
    positions: Positions,
    info: FileInfo,
    markdown: bool = True,
) -> list[types.CompletionItem]:
    place = place_at(text, offset)
    if place is None or kind not in KEYS:
        return []

    def item(
        label: str,
        new: str,
        item_kind: types.CompletionItemKind,
        doc: str | None,
        sort: str = "5",
        detail: str | None = None,
    ) -> types.CompletionItem:
        documentation = (
            types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc)
            if doc and markdown
            else doc
        )
        return types.CompletionItem(
            label=label,
            kind=item_kind,
            detail=detail,
            documentation=documentation,
            sort_text=f"{sort}{label}",
            text_edit=types.TextEdit(range=positions.range(place.start, place.end), new_text=new),
        )

    if place.what == "key":
        present = set(re.findall(r"(?m)^([A-Za-z][\w-]*)[ \t]*:", text[: len(text)]))
        return [
            item(key, f"{key}: ", types.CompletionItemKind.Property, doc)
            for key, doc in KEYS[kind].items()
            if key not in present or text[place.start : place.end] == key
        ]
    key = place.key
    if key is None:
        return []
    prefix = (
        ""
        if text[place.start - 1 : place.start] in (" ", "[", ",", "\t") or (place.start == 0)
        else " "
    )
    if (kind == "droid" and key == "tools") or (
        kind == "skill" and key in ("allowed-tools", "tools")
    ):
        items = [
            item(
                tool,
                prefix + tool,
                types.CompletionItemKind.Function,
                TOOL_DOCS.get(tool),
                "1" if tool in CORE_TOOLS else "3",
                "Droid tool",
            )
            for tool in TOOL_IDS
            if not (kind == "droid" and tool in ("ExitSpecMode", "GenerateDroid"))
        ]
        if kind == "droid" and not place.in_list:
            items += [
                item(name, prefix + name, types.CompletionItemKind.Enum, doc, "2", "category")
                for name, doc in CATEGORY_DOCS.items()
            ]
        return items
    if kind == "droid" and key == "model":
        items = [
            item(
                "inherit",
                prefix + "inherit",
                types.CompletionItemKind.Value,
                "The session's model (the default).",
                "0",
            )
        ]
        items += [
            item(model, prefix + model, types.CompletionItemKind.Value, None, "2", "built-in model")
            for model in sorted(factory_builtin_models())
        ]
        items += [
            item(
                model, prefix + model, types.CompletionItemKind.Reference, None, "1", "custom model"
            )
            for model in custom_model_ids(info)
        ]
        return items
    if kind == "droid" and key == "mcpServers":
        return [
            item(name, prefix + name, types.CompletionItemKind.Module, None, "1", "MCP server")
            for name in sorted(mcp_server_names(info))
        ]
    if kind == "skill" and key in ("user-invocable", "disable-model-invocation", "enabled"):
        return [
            item(word, prefix + word, types.CompletionItemKind.Value, None, "1")
            for word in ("true", "false")
        ]
    return []


def custom_model_ids(info: FileInfo) -> list[str]:
    from factory_lint.rules.references import related_models

    ids: list[str] = []
    for related in info.related:
        ids.extend(m.id for m in related_models(related) if m.skipped is None)
    return list(dict.fromkeys(ids))


def mcp_server_names(info: FileInfo) -> set[str]:
    names: set[str] = set()
    for related in info.related:
        if related.name != "mcp.json":
            continue
        root = parse(related.text).root
        servers = root.value_of("mcpServers") if root and root.type == "object" else None
        if servers is not None and servers.type == "object":
            names.update(member.key for member in servers.members)
    return names


def hover(
    root: Node | None, kind: Kind, offset: int, info: FileInfo
) -> tuple[str, int, int] | None:
    """Markdown for the key or value under ``offset``, with its range."""
    token = token_at(root, offset)
    if token is None or (token.member is None and not token.path):
        return None
    key = token.path[0] if token.path else None
    if token.is_key and token.member is not None and not token.path:
        doc = KEYS.get(kind, {}).get(token.member.key)
        if doc is None:
            return None
        return f"**`{token.member.key}`** — {doc}", token.start, token.end
    node = token.node
    if node is None or not isinstance(node.value, str) or key is None:
        return None
    value = node.value.strip()
    if (kind == "droid" and key == "tools") or (
        kind == "skill" and key in ("allowed-tools", "tools")
    ):
        doc = TOOL_DOCS.get(value) or CATEGORY_DOCS.get(value)
        if doc is None and value in TOOL_IDS:
            doc = "A Droid tool."
        if doc is None:
            return None
        return f"**`{value}`** — {doc}", token.start, token.end
    if kind == "droid" and key == "model":
        if value == "inherit":
            doc = "The session's model."
        elif value in factory_builtin_models():
            doc = "A built-in model."
        elif value in custom_model_ids(info):
            doc = "A custom model from `customModels` in settings."
        else:
            return None
        return f"**`{value}`** — {doc}", token.start, token.end
    doc = KEYS.get(kind, {}).get(key)
    return (f"**`{key}`** — {doc}", token.start, token.end) if doc else None
