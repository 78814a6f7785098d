"""Markdown files with optional YAML frontmatter (droids, skills, commands, output styles,
AGENTS.md).

The document's tree is the frontmatter as Droid reads it (:mod:`factory_lint.frontmatter`),
as JSON nodes with real offsets, so that pointers, ranges, hover, completion and secret masking
work as they do for JSON files. The body is not part of the tree. YAML problems are not syntax
problems here: Droid falls back to its line parser, and the rule families say what that does.
"""

from __future__ import annotations

from functools import lru_cache

from factory_lint.frontmatter import Entry, Frontmatter, Value, js_type, parse_frontmatter
from factory_lint.jsonc import Document, Member, Node, NodeType, escape_pointer_token

_NODE_TYPES: dict[str, NodeType] = {
    "string": "string",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
    "array": "array",
    "object": "object",
}


@lru_cache(maxsize=32)
def frontmatter(text: str) -> Frontmatter:
    """The frontmatter of ``text`` (parsed once per text: the document and the rules share it)."""
    return parse_frontmatter(text)


def parse_markdown(text: str) -> Document:
    """The document of a Markdown file: its frontmatter as a JSON tree (None without one)."""
    parsed = frontmatter(text)
    if not parsed.found:
        return Document(None, [], [])
    if parsed.root is not None:
        return Document(_node(parsed.root, ""), [], [])
    members = [_member(entry, "") for entry in parsed.entries]
    root = Node(
        "object",
        parsed.content_start,
        parsed.content_end,
        "",
        {entry.key: entry.value.value for entry in parsed.entries},
        members,
    )
    return Document(root, [], [])


def _member(entry: Entry, pointer: str) -> Member:
    child = f"{pointer}/{escape_pointer_token(entry.key)}"
    return Member(entry.key, entry.key_start, entry.key_end, _node(entry.value, child))


def _node(value: Value, pointer: str) -> Node:
    kind = _NODE_TYPES.get(js_type(value.value), "invalid")
    if kind == "array":
        items = [_node(item, f"{pointer}/{index}") for index, item in enumerate(value.items)]
        return Node("array", value.start, value.end, pointer, value.value, items=items)
    if kind == "object":
        members = [_member(entry, pointer) for entry in value.entries]
        return Node("object", value.start, value.end, pointer, value.value, members=members)
    return Node(kind, value.start, value.end, pointer, value.value)
