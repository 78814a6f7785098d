"""Where the cursor is in a (possibly half-typed) document: which object, key or value.

Works on the tolerant parser's tree, so it copes with syntax errors: an unterminated string,
a key without a colon, a bare word where a key should be, a missing closing brace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from factory_lint.jsonc import Member, Node

Place = Literal["key", "value", "none"]


@dataclass(slots=True)
class Cursor:
    """The completion/hover context at an offset."""

    place: Place
    #: Keys and array indexes from the root to the object (for ``key``) or to the value.
    path: list[str] = field(default_factory=list)
    #: The object whose keys are being completed, or the object that holds the value.
    container: Node | None = None
    #: The member whose key or value the cursor is on (None for a new key / array item).
    member: Member | None = None
    #: The value node under the cursor, if there is one.
    node: Node | None = None
    #: The text to replace: ``[start, end)``; empty at the cursor when nothing is typed yet.
    start: int = 0
    end: int = 0
    #: True when the replaced token is a string (it starts with ``"``).
    quoted: bool = False
    #: The value being completed is an item of this array.
    array: Node | None = None
    #: Ancestors from the root down to the container (object/array nodes).
    ancestors: list[Node] = field(default_factory=list)


def _string_end(text: str, node: Node) -> int:
    """Where the cursor may still be inside a string token."""
    closed = node.end - node.start >= 2 and text[node.end - 1] == '"'
    return node.end - 1 if closed else node.end


def _inside_token(text: str, node: Node, offset: int) -> bool:
    if node.type == "string" and text[node.start : node.start + 1] == '"':
        return node.start < offset <= _string_end(text, node)
    return node.start < offset <= node.end


def _inside_container(text: str, node: Node, offset: int) -> bool:
    if not node.start < offset:
        return False
    closer = "}" if node.type == "object" else "]"
    closed = node.end > node.start + 1 and text[node.end - 1] == closer
    return offset < node.end if closed else offset <= node.end


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/@$")


def _word_end(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and text[end] in _WORD_CHARS:
        end += 1
    return end


def _after_colon(text: str, member: Member, offset: int) -> bool:
    """The cursor sits after ``"key":`` and only whitespace separates them."""
    between = text[member.key_end : offset]
    return between.strip() == ":"


def locate(text: str, root: Node | None, offset: int) -> Cursor:
    """The cursor context at ``offset`` (an index into ``text``)."""
    if root is None:
        return Cursor("value", [], start=offset, end=offset)
    node = root
    path: list[str] = []
    ancestors: list[Node] = []
    if node.type not in ("object", "array"):
        if _inside_token(text, node, offset) or offset == node.start:
            return _value_cursor(text, node, path, None, None, None, ancestors, offset)
        return Cursor("none")
    if not _inside_container(text, node, offset):
        return Cursor("none")
    while True:
        ancestors.append(node)
        if node.type == "object":
            child: Node | None = None
            for member in node.members:
                key_end = member.key_end
                quoted = text[member.key_start : member.key_start + 1] == '"'
                closed = quoted and key_end - member.key_start >= 2 and text[key_end - 1] == '"'
                if member.key_start < offset <= key_end and not (closed and offset == key_end):
                    return Cursor(
                        "key",
                        path,
                        node,
                        member,
                        None,
                        member.key_start,
                        key_end if closed or not quoted else _word_end(text, offset),
                        quoted,
                        ancestors=ancestors,
                    )
                value = member.value
                if value is not None:
                    if value.type in ("object", "array"):
                        if _inside_container(text, value, offset):
                            path = [*path, member.key]
                            child = value
                            break
                    elif _inside_token(text, value, offset) or value.start == offset:
                        return _value_cursor(
                            text, value, [*path, member.key], node, member, None, ancestors, offset
                        )
                elif offset > key_end and _after_colon(text, member, offset):
                    return Cursor(
                        "value",
                        [*path, member.key],
                        node,
                        member,
                        None,
                        offset,
                        offset,
                        ancestors=ancestors,
                    )
            if child is None:
                if any(m.key_start < offset <= m.end for m in node.members):
                    return Cursor("none")  # between a key and its colon, or after a value
                return Cursor("key", path, node, None, None, offset, offset, ancestors=ancestors)
            node = child
            continue
        # array
        child = None
        for index, item in enumerate(node.items):
            if item.type in ("object", "array"):
                if _inside_container(text, item, offset):
                    path = [*path, str(index)]
                    child = item
                    break
            elif _inside_token(text, item, offset) or item.start == offset:
                return _value_cursor(
                    text, item, [*path, str(index)], None, None, node, ancestors, offset
                )
        if child is None:
            index = sum(1 for item in node.items if item.end <= offset)
            return Cursor(
                "value",
                [*path, str(index)],
                None,
                None,
                None,
                offset,
                offset,
                array=node,
                ancestors=ancestors,
            )
        node = child


def _value_cursor(
    text: str,
    node: Node,
    path: list[str],
    container: Node | None,
    member: Member | None,
    array: Node | None,
    ancestors: list[Node],
    offset: int,
) -> Cursor:
    quoted = node.type == "string" and text[node.start : node.start + 1] == '"'
    end = node.end
    if quoted and not (end - node.start >= 2 and text[end - 1] == '"'):
        end = _word_end(text, offset)  # unterminated: do not swallow the rest of the line
    return Cursor(
        "value",
        path,
        container,
        member,
        node,
        node.start,
        end,
        quoted,
        array,
        ancestors,
    )


@dataclass(slots=True)
class Token:
    """The key or value under a hover position."""

    path: list[str]
    container: Node | None
    member: Member | None
    #: True for a key, False for a scalar value.
    is_key: bool
    node: Node | None
    start: int
    end: int


def token_at(root: Node | None, offset: int) -> Token | None:
    """The key or scalar value whose text contains the character at ``offset``."""
    if root is None:
        return None
    node = root
    path: list[str] = []
    while True:
        if not node.start <= offset < max(node.end, node.start + 1):
            return None
        if node.type == "object":
            child: Node | None = None
            for member in node.members:
                if member.key_start <= offset < member.key_end:
                    return Token(path, node, member, True, None, member.key_start, member.key_end)
                value = member.value
                if value is not None and value.start <= offset < value.end:
                    if value.type in ("object", "array"):
                        path = [*path, member.key]
                        child = value
                        break
                    return Token(
                        [*path, member.key], node, member, False, value, value.start, value.end
                    )
            if child is None:
                return None
            node = child
        elif node.type == "array":
            child = None
            for index, item in enumerate(node.items):
                if item.start <= offset < item.end:
                    if item.type in ("object", "array"):
                        path = [*path, str(index)]
                        child = item
                        break
                    return Token([*path, str(index)], None, None, False, item, item.start, item.end)
            if child is None:
                return None
            node = child
        else:
            return Token(path, None, None, False, node, node.start, node.end)
