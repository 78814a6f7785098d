"""A tolerant JSONC parser that never raises and keeps a range for every key and value.

It accepts what Droid's bundled ``jsonc-parser`` accepts (JSON plus ``//`` and ``/* */``
comments) and reports everything else as :class:`SyntaxProblem` values with exact offsets,
recovering so that later rules still see as much of the tree as possible.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Literal

from factory_lint.lazy_re import lazy_compile
from factory_lint.records import FrozenValueRecord, Record, ValueRecord

NodeType = Literal["object", "array", "string", "number", "boolean", "null", "invalid"]

#: Deeper nesting than this is skipped (and reported), so the parser never hits Python's
#: recursion limit. Real settings files nest fewer than 10 levels.
MAX_DEPTH = 200

_WHITESPACE = lazy_compile(r"[ \t\n\r]+")
_STRING_FAST = lazy_compile(r'"[^"\\\x00-\x1f]*(?:\\["\\/bfnrt][^"\\\x00-\x1f]*)*"')
_NUMBER = lazy_compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WORD = lazy_compile(r"[A-Za-z0-9_$.+\-]+")
_HEX4 = lazy_compile(r"[0-9a-fA-F]{4}")
_LOW_SURROGATE = lazy_compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_SEPARATORS = frozenset(' \t\n\r{}[]:,"')
_VALUE_START = lazy_compile(r"""["'{\[\-0-9A-Za-z_$]""")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class Node(Record):
    """A JSON value with its ``[start, end)`` offsets and RFC 6901 pointer.

    A tree built by :func:`parse` from a strict-JSON text gets its offsets on first use (see
    :class:`_Offsets`): the first read of any offset makes a table of them all, and each node
    copies its own from it when first read.
    """

    __slots__ = (
        "_end",
        "_index",
        "_offsets",
        "_start",
        "items",
        "members",
        "opaque",
        "pointer",
        "type",
        "value",
    )
    __match_args__ = ("type", "start", "end", "pointer", "value", "members", "items", "opaque")

    type: NodeType
    pointer: str
    value: object
    members: list[Member]
    items: list[Node]
    #: True when a value was skipped (too deep) and its contents are not in the tree.
    opaque: bool
    #: Set while the offsets of a tree built from strict JSON are still to be filled in.
    _offsets: _Offsets
    #: The members by name, made by the first :meth:`get`.
    _index: dict[str, Member]

    def __init__(
        self,
        type: NodeType,
        start: int,
        end: int,
        pointer: str,
        value: object = None,
        members: list[Member] | None = None,
        items: list[Node] | None = None,
        opaque: bool = False,
    ) -> None:
        self.type = type
        self._start = start
        self._end = end
        self.pointer = pointer
        self.value = value
        self.members = [] if members is None else members
        self.items = [] if items is None else items
        self.opaque = opaque

    # The offsets are properties (not plain slots) so that a tree built from strict JSON can
    # get them on first read; a ``__getattr__`` would do it too, but in CPython 3.11 it makes
    # every read of every field of the class slower (no specialised attribute access).

    @property
    def start(self) -> int:
        try:
            return self._start
        except AttributeError:
            _fill(self)
            return self._start

    @start.setter
    def start(self, value: int) -> None:
        self._start = value

    @property
    def end(self) -> int:
        try:
            return self._end
        except AttributeError:
            _fill(self)
            return self._end

    @end.setter
    def end(self, value: int) -> None:
        self._end = value

    def get(self, key: str) -> Member | None:
        """The last member named ``key`` (Droid's JSON.parse semantics: last one wins)."""
        try:
            return self._index.get(key)
        except AttributeError:
            return self._indexed().get(key)

    def value_of(self, key: str) -> Node | None:
        try:
            member = self._index.get(key)
        except AttributeError:
            member = self._indexed().get(key)
        return member.value if member is not None else None

    def string(self, key: str) -> str | None:
        """The member's value if it is a string, else None."""
        node = self.value_of(key)
        return node.value if node is not None and isinstance(node.value, str) else None

    def _indexed(self) -> dict[str, Member]:
        """The members by name (the last one of a name wins), made on the first lookup: rules
        look members up ~300 times in a typical file, and a scan cost ~0.5 us a lookup.
        ``members`` must not change after it."""
        index = self._index = {member.key: member for member in self.members}
        return index

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, without recursion."""
        stack: list[Node] = [self]
        pop = stack.pop
        while stack:
            node = pop()
            yield node
            if node.items:
                stack.extend(reversed(node.items))
            if node.members:
                stack.extend([m.value for m in reversed(node.members) if m.value is not None])


class Member(Record):
    """An object member: the key's range and the value (None when the value is missing)."""

    __slots__ = ("_key_end", "_key_start", "_offsets", "key", "value")
    __match_args__ = ("key", "key_start", "key_end", "value")

    key: str
    value: Node | None
    _offsets: _Offsets

    def __init__(self, key: str, key_start: int, key_end: int, value: Node | None) -> None:
        self.key = key
        self._key_start = key_start
        self._key_end = key_end
        self.value = value

    @property
    def key_start(self) -> int:
        try:
            return self._key_start
        except AttributeError:
            _fill(self)
            return self._key_start

    @key_start.setter
    def key_start(self, value: int) -> None:
        self._key_start = value

    @property
    def key_end(self) -> int:
        try:
            return self._key_end
        except AttributeError:
            _fill(self)
            return self._key_end

    @key_end.setter
    def key_end(self, value: int) -> None:
        self._key_end = value

    @property
    def end(self) -> int:
        return self.value.end if self.value is not None else self.key_end


class SyntaxProblem(FrozenValueRecord):
    """A syntax error found while parsing; ``kind`` selects the rule that reports it."""

    __slots__ = ("end", "fix", "kind", "message", "pointer", "start")
    __match_args__ = ("kind", "message", "start", "end", "fix", "pointer")

    kind: str
    message: str
    start: int
    end: int
    #: Replacement text for ``[start, end)`` that repairs the problem, if one is certain.
    fix: str | None
    pointer: str

    def __init__(
        self,
        kind: str,
        message: str,
        start: int,
        end: int,
        fix: str | None = None,
        pointer: str = "",
    ) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "fix", fix)
        object.__setattr__(self, "pointer", pointer)


class Comment(FrozenValueRecord):
    __slots__ = ("end", "start", "text")
    __match_args__ = ("start", "end", "text")

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)


class Document(ValueRecord):
    __slots__ = ("comments", "problems", "root")
    __match_args__ = ("root", "problems", "comments")

    root: Node | None
    problems: list[SyntaxProblem]
    comments: list[Comment]

    def __init__(
        self, root: Node | None, problems: list[SyntaxProblem], comments: list[Comment]
    ) -> None:
        self.root = root
        self.problems = problems
        self.comments = comments


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self.pos = 0
        self.problems: list[SyntaxProblem] = []
        self.comments: list[Comment] = []
        self.reported_eof = False
        #: End offset of the last string that was never closed: a comma "missing" there
        #: would land inside that string, so it gets no fix.
        self.unclosed_string_end = -1

    # --- lexing ------------------------------------------------------------------------------

    def problem(
        self, kind: str, message: str, start: int, end: int, fix: str | None = None
    ) -> None:
        self.problems.append(SyntaxProblem(kind, message, start, max(end, start), fix))

    def skip_trivia(self) -> None:
        """Skip whitespace and comments, recording comments."""
        text = self.text
        while self.pos < self.length:
            match = _WHITESPACE.match(text, self.pos)
            if match:
                self.pos = match.end()
                continue
            if text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                end = self.length if end < 0 else end
                if end > self.pos and text[end - 1] == "\r":
                    end -= 1
                self.comments.append(Comment(self.pos, end, text[self.pos : end]))
                self.pos = end
                continue
            if text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    self.problem(
                        "unterminated-comment",
                        "block comment opened here is never closed; add `*/`",
                        self.pos,
                        self.pos + 2,
                    )
                    end = self.length
                else:
                    end += 2
                self.comments.append(Comment(self.pos, end, text[self.pos : end]))
                self.pos = end
                continue
            char = text[self.pos]
            if char in "\u00a0\u2028\u2029\ufeff" or (char.isspace() and char not in " \t\n\r"):
                self.problem(
                    "invalid-token",
                    f"unexpected character {_describe_char(char)}: only spaces, tabs and line "
                    "breaks may separate JSON tokens",
                    self.pos,
                    self.pos + 1,
                    fix="" if char == "\ufeff" and self.deletable(self.pos) else " ",
                )
                self.pos += 1
                continue
            return

    def deletable(self, offset: int) -> bool:
        """True when deleting the character at ``offset`` cannot join the tokens around it
        (as `2<BOM>0` would become `20`, and `/<BOM>/` a comment)."""
        before = self.text[offset - 1] if offset > 0 else ""
        after = self.text[offset + 1] if offset + 1 < self.length else ""
        return not before or not after or before in _SEPARATORS or after in _SEPARATORS

    def comma_fix(self, offset: int, here: int) -> str | None:
        """The fix for a comma missing at ``offset`` before the token at ``here``, if certain.

        None right after an unclosed string (the comma would land inside it), when something
        other than whitespace and comments was skipped in between, and before junk.
        """
        if offset == self.unclosed_string_end or not self.only_trivia(offset, here):
            return None
        if not _VALUE_START.match(self.text, here):  # junk follows, not a value or a name
            return None
        return ","

    def only_trivia(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` holds nothing but whitespace and comments."""
        text = self.text
        while start < end:
            if match := _WHITESPACE.match(text, start, end):
                start = match.end()
            elif text.startswith("//", start, end):
                line_end = text.find("\n", start, end)
                start = end if line_end < 0 else line_end
            elif text.startswith("/*", start, end):
                close = text.find("*/", start + 2, end)
                if close < 0:
                    return False
                start = close + 2
            else:
                return False
        return True

    def peek(self) -> str:
        self.skip_trivia()
        return self.text[self.pos] if self.pos < self.length else ""

    # --- values ------------------------------------------------------------------------------

    def parse_value(self, pointer: str, depth: int) -> Node | None:
        """Parse one value at the cursor, or return None (with a problem) if there is none."""
        char = self.peek()
        start = self.pos
        if char == "{" or char == "[":
            if depth >= MAX_DEPTH:
                return self.skip_deep(pointer)
            return (
                self.parse_object(pointer, depth)
                if char == "{"
                else self.parse_array(pointer, depth)
            )
        if char == '"':
            value, end = self.scan_string()
            return Node("string", start, end, pointer, value)
        if char == "-" or char.isdigit():
            return self.scan_number(pointer)
        if char == "'":
            return self.scan_single_quoted(pointer)
        if char == "":
            self.problem(
                "value-expected", "expected a value, found the end of the file", start, start
            )
            return None
        word = _WORD.match(self.text, start)
        if word:
            token = word.group()
            self.pos = word.end()
            if token in ("true", "false"):
                return Node("boolean", start, self.pos, pointer, token == "true")
            if token == "null":
                return Node("null", start, self.pos, pointer, None)
            if token in ("NaN", "Infinity", "+Infinity", "-Infinity", "undefined"):
                message = f"`{token}` is not valid JSON; use a number or null"
            elif token in ("True", "False", "TRUE", "FALSE", "Null", "NULL", "None"):
                fixed = {"none": "null"}.get(token.lower(), token.lower())
                self.problem(
                    "invalid-token",
                    f"`{token}` is not valid JSON; did you mean `{fixed}`?",
                    start,
                    self.pos,
                    fix=fixed,
                )
                node_type: NodeType = "null" if fixed == "null" else "boolean"
                literal = None if fixed == "null" else fixed == "true"
                return Node(node_type, start, self.pos, pointer, literal)
            else:
                message = f"unexpected `{_clip(token)}`: a value must be a string in double quotes, a number, an object, an array, true, false or null"
            self.problem("invalid-token", message, start, self.pos)
            return Node("invalid", start, self.pos, pointer, None)
        if char not in "}],":
            self.pos += 1
        self.problem(
            "value-expected",
            f"expected a value, found {_describe_char(char)}",
            start,
            start + 1,
        )
        return None

    def parse_object(self, pointer: str, depth: int) -> Node:
        text = self.text
        node = Node("object", self.pos, self.pos, pointer)
        self.pos += 1
        separator_end = self.pos  # just after the `{` or the last comma
        seen: dict[str, Member] = {}
        last_comma: int | None = None
        need_comma_after: int | None = None
        while True:
            char = self.peek()
            here = self.pos
            if char == "}":
                if last_comma is not None:
                    self.problem(
                        "trailing-comma",
                        "trailing comma before `}`: Droid's JSONC parser rejects it; remove the comma",
                        last_comma,
                        last_comma + 1,
                        # Not certain when junk the parser skipped sits in between.
                        fix="" if self.only_trivia(last_comma + 1, here) else None,
                    )
                self.pos += 1
                break
            if char == "":
                if not self.reported_eof:
                    self.reported_eof = True
                    self.problem(
                        "unclosed",
                        "object is never closed: expected `}` before the end of the file",
                        node.start,
                        node.start + 1,
                        fix=None,
                    )
                break
            if char == "]":
                self.problem(
                    "unexpected-token",
                    "found `]` where a property or `}` was expected",
                    here,
                    here + 1,
                )
                self.pos += 1
                continue
            if char == ",":
                if last_comma is not None or need_comma_after is None:
                    # Certainly extra only right after `{` or another comma, not after junk
                    # the parser skipped.
                    extra = self.only_trivia(separator_end, here)
                    self.problem(
                        "unexpected-token",
                        "extra comma: remove it",
                        here,
                        here + 1,
                        fix="" if extra else None,
                    )
                else:
                    last_comma = here
                    need_comma_after = None
                self.pos += 1
                separator_end = self.pos
                continue
            if need_comma_after is not None:
                self.problem(
                    "missing-comma",
                    "missing comma between object members: add `,` after the previous value",
                    need_comma_after,
                    need_comma_after,
                    fix=self.comma_fix(need_comma_after, here),
                )
            last_comma = None
            # Property name.
            key_start = here
            if char == '"':
                key_value, key_end = self.scan_string()
                key = key_value
            elif char == "'":
                key_node = self.scan_single_quoted("")
                key, key_end = str(key_node.value), key_node.end
            else:
                word = _WORD.match(text, here)
                if not word:
                    self.problem(
                        "property-name-expected",
                        f"expected a property name in double quotes, found {_describe_char(char)}",
                        here,
                        here + 1,
                    )
                    self.pos += 1
                    self.recover_in_object()
                    need_comma_after = None
                    continue
                key, key_end = word.group(), word.end()
                self.pos = key_end
                self.problem(
                    "property-name-expected",
                    f"property name `{_clip(key)}` must be in double quotes",
                    key_start,
                    key_end,
                    fix=json.dumps(key),
                )
            child_pointer = f"{pointer}/{escape_pointer_token(key)}"
            member = Member(key, key_start, key_end, None)
            if self.peek() == ":":
                self.pos += 1
                member.value = self.parse_value(child_pointer, depth + 1)
            else:
                after = self.pos
                self.problem(
                    "colon-expected",
                    f"expected `:` after property name {json.dumps(_clip(key))}",
                    key_start,
                    key_end,
                    fix=None,
                )
                # `"a" "b"` style: a value follows without a colon.
                if self.peek() not in (",", "}", "") and after == self.pos:
                    member.value = self.parse_value(child_pointer, depth + 1)
            previous = seen.get(key)
            if previous is not None:
                self.problem(
                    "duplicate-key",
                    f"duplicate key {json.dumps(_clip(key))}: Droid keeps only the last one "
                    f"and ignores the value set earlier; remove one of them",
                    key_start,
                    key_end,
                )
                self.problems[-1] = _with_pointer(self.problems[-1], child_pointer)
            seen[key] = member
            node.members.append(member)
            need_comma_after = member.end
            if member.value is None:
                self.recover_in_object()
        node.end = self.pos
        return node

    def recover_in_object(self) -> None:
        """Skip to the next `,` or `}` (or a line that starts a new property)."""
        while self.pos < self.length:
            char = self.peek()
            if char in (",", "}", ""):
                return
            if char == '"':
                return
            if char in "{[":
                self.skip_deep("", report=False)
                continue
            self.pos += 1

    def parse_array(self, pointer: str, depth: int) -> Node:
        node = Node("array", self.pos, self.pos, pointer)
        self.pos += 1
        last_comma: int | None = None
        need_comma_after: int | None = None
        while True:
            char = self.peek()
            here = self.pos
            if char == "]":
                if last_comma is not None:
                    self.problem(
                        "trailing-comma",
                        "trailing comma before `]`: Droid's JSONC parser rejects it; remove the comma",
                        last_comma,
                        last_comma + 1,
                        # Not certain when junk the parser skipped sits in between.
                        fix="" if self.only_trivia(last_comma + 1, here) else None,
                    )
                self.pos += 1
                break
            if char == "":
                if not self.reported_eof:
                    self.reported_eof = True
                    self.problem(
                        "unclosed",
                        "array is never closed: expected `]` before the end of the file",
                        node.start,
                        node.start + 1,
                    )
                break
            if char == "}":
                self.problem(
                    "unexpected-token",
                    "found `}` where a value or `]` was expected",
                    here,
                    here + 1,
                )
                self.pos += 1
                continue
            if char == ",":
                if last_comma is not None or need_comma_after is None:
                    self.problem(
                        "value-expected", "expected a value before this comma", here, here + 1
                    )
                else:
                    last_comma = here
                    need_comma_after = None
                self.pos += 1
                continue
            if need_comma_after is not None:
                self.problem(
                    "missing-comma",
                    "missing comma between array items: add `,` after the previous value",
                    need_comma_after,
                    need_comma_after,
                    fix=self.comma_fix(need_comma_after, here),
                )
            last_comma = None
            item = self.parse_value(f"{pointer}/{len(node.items)}", depth + 1)
            if item is None:
                continue
            node.items.append(item)
            need_comma_after = item.end
        node.end = self.pos
        return node

    def skip_deep(self, pointer: str, report: bool = True) -> Node:
        """Skip a bracketed value without building it (for nesting deeper than MAX_DEPTH)."""
        start = self.pos
        opener = self.text[start]
        depth = 0
        while self.pos < self.length:
            char = self.text[self.pos]
            if char == '"':
                self.scan_string(report=False)
                continue
            if char == "/" and self.text.startswith(("//", "/*"), self.pos):
                self.skip_trivia()
                continue
            if char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    break
            self.pos += 1
        if report:
            self.problem(
                "too-deep",
                f"nesting deeper than {MAX_DEPTH} levels: factory-lint does not check inside; "
                "no Droid setting nests like this",
                start,
                start + 1,
            )
        return Node("object" if opener == "{" else "array", start, self.pos, pointer, opaque=True)

    # --- scalars -----------------------------------------------------------------------------

    def scan_string(self, report: bool = True) -> tuple[str, int]:
        """Scan a double-quoted string at the cursor; return its decoded value and end offset."""
        text = self.text
        start = self.pos
        match = _STRING_FAST.match(text, start)
        if match:
            self.pos = match.end()
            raw = match.group()
            if "\\" not in raw:
                return raw[1:-1], self.pos
            return json.loads(raw), self.pos
        pieces: list[str] = []
        index = start + 1
        while True:
            if index >= self.length:
                if report:
                    self.problem(
                        "unterminated-string",
                        'string is never closed: add the closing `"`',
                        start,
                        index,
                        fix=None,
                    )
                self.pos = self.unclosed_string_end = index
                return "".join(pieces), index
            char = text[index]
            if char == '"':
                self.pos = index + 1
                return "".join(pieces), self.pos
            if char in "\r\n":
                if report:
                    self.problem(
                        "unterminated-string",
                        'string is not closed before the end of the line: add the closing `"`',
                        start,
                        index,
                    )
                self.pos = self.unclosed_string_end = index
                return "".join(pieces), index
            if char == "\\":
                escape = text[index + 1 : index + 2]
                if escape in _ESCAPES:
                    pieces.append(_ESCAPES[escape])
                    index += 2
                    continue
                if escape == "u" and _HEX4.match(text, index + 2):
                    code = int(text[index + 2 : index + 6], 16)
                    index += 6
                    # A surrogate pair is one character, as in JSON.parse and json.loads.
                    if 0xD800 <= code < 0xDC00 and _LOW_SURROGATE.match(text, index):
                        low = int(text[index + 2 : index + 6], 16)
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    pieces.append(chr(code))
                    continue
                if report:
                    shown = escape if escape.isprintable() and escape else _describe_char(escape)
                    self.problem(
                        "invalid-escape",
                        f'invalid escape `\\{shown}` in a string: JSON allows \\" \\\\ \\/ \\b '
                        "\\f \\n \\r \\t and \\uXXXX; write `\\\\` for a literal backslash",
                        index,
                        index + 1,
                        fix="\\\\",
                    )
                if escape in ("", "\r", "\n"):  # the line break still ends the string
                    index += 1
                    continue
                pieces.append(escape)
                index += 2
                continue
            if char < " ":
                if report:
                    fix = {"\t": "\\t", "\b": "\\b", "\f": "\\f"}.get(char, f"\\u{ord(char):04x}")
                    self.problem(
                        "control-character",
                        f"{_describe_char(char)} inside a string must be escaped as `{fix}`",
                        index,
                        index + 1,
                        fix=fix,
                    )
                pieces.append(char)
                index += 1
                continue
            pieces.append(char)
            index += 1

    def scan_single_quoted(self, pointer: str) -> Node:
        start = self.pos
        end = self.text.find("'", start + 1)
        newline = self.text.find("\n", start + 1)
        if end < 0 or (0 <= newline < end):
            end = newline if newline >= 0 else self.length
            self.pos = self.unclosed_string_end = end
            value = self.text[start + 1 : end]
            fix = None
        else:
            self.pos = end + 1
            value = self.text[start + 1 : end]
            fix = json.dumps(value) if "\\" not in value else None
        self.problem(
            "single-quotes",
            "strings must use double quotes in JSON",
            start,
            self.pos,
            fix=fix,
        )
        return Node("string", start, self.pos, pointer, value)

    def scan_number(self, pointer: str) -> Node:
        start = self.pos
        match = _NUMBER.match(self.text, start)
        word = _WORD.match(self.text, start)
        word_end = word.end() if word else start + 1
        if match and match.end() == word_end:
            raw = match.group()
            self.pos = match.end()
            number: float | int
            if any(c in raw for c in ".eE"):
                number = float(raw)
            else:
                number = int(raw) if len(raw) <= 4000 else float(raw)
            return Node("number", start, self.pos, pointer, number)
        self.pos = word_end
        raw = self.text[start:word_end]
        self.problem(
            "invalid-number",
            f"`{_clip(raw)}` is not a valid JSON number (no leading zeros, `+`, hex, "
            "`NaN` or `Infinity`; a fraction needs digits on both sides of `.`)",
            start,
            word_end,
        )
        return Node("invalid", start, word_end, pointer, None)


def _with_pointer(problem: SyntaxProblem, pointer: str) -> SyntaxProblem:
    return SyntaxProblem(
        problem.kind, problem.message, problem.start, problem.end, problem.fix, pointer
    )


def _describe_char(char: str) -> str:
    if not char:
        return "the end of the file"
    if char == "\ufeff":
        return "a byte-order mark (U+FEFF)"
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    return f"U+{ord(char):04X}"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- fast path ---------------------------------------------------------------------------------
#
# Most files are clean: strict JSON, perhaps with comments. For those, one regular expression
# tokenises the text (whitespace included) and a small state machine builds exactly the tree the
# tolerant parser would build. On anything it does not expect (a problem of any kind, a string
# with a ``\u`` escape, a BOM, nesting as deep as MAX_DEPTH, duplicate keys) it gives up and the
# tolerant parser runs from the start, so the result never differs; tests/test_jsonc_fastpath.py
# compares the two on valid and broken inputs.

#: One match: the whitespace before it, then one of
#:   a key, its colon, and (when the value is a string, number or literal) the value with the
#:     whitespace and comma after it: ``key, separator, member_value, member_tail``;
#:   a value or a closing bracket, with the whitespace and comma after it: ``token, tail``;
#:   an opening bracket, a lone colon or comma, or a comment: ``other``;
#:   anything else: ``bad``.
#: Consecutive matches cover the text up to its trailing whitespace, so positions follow from
#: the lengths. Folding a member into one match (instead of key, colon, value and comma) runs
#: the loop below 2.5 times less often (-17% instructions on the bench files). A comment inside
#: a member breaks the folded forms up, and the parts are then read one by one.
_STR = r'"[^"\\\x00-\x1f]*(?:\\["\\/bfnrt][^"\\\x00-\x1f]*)*"'  # as _STRING_FAST: no \u escapes
_SCALAR = (
    _STR
    + r"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?![A-Za-z0-9_$.+\-])"
    # a whole _WORD, as the tolerant parser reads it
    + r"|(?:true|false|null)(?![A-Za-z0-9_$.+\-])"
)
_FAST_TOKEN = re.compile(
    r"([ \t\n\r]*)(?:"
    r"(" + _STR + r")([ \t\n\r]*:[ \t\n\r]*)(?:(" + _SCALAR + r")([ \t\n\r]*,?))?"
    r"|(" + _SCALAR + r"|[}\]])([ \t\n\r]*,?)"
    r"|([{\[:,]|//[^\n]*|/\*.*?\*/)"
    r"|([^ \t\n\r])"
    # the end of the text: trailing whitespace is one match instead of a failed try at each of
    # its positions (each costing the rest of it: 20,000 trailing newlines took 40 s)
    r"|\Z)",
    re.DOTALL,
)

_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _COMMA_OR_CLOSE, _DONE = range(7)


def _scalar(token: str, start: int, end: int, pointer: str) -> Node:
    """The node of a string, number or literal token, as the tolerant parser makes it."""
    char = token[0]
    if char == '"':
        return Node(
            "string", start, end, pointer, token[1:-1] if "\\" not in token else json.loads(token)
        )
    if char == "t":
        return Node("boolean", start, end, pointer, True)
    if char == "f":
        return Node("boolean", start, end, pointer, False)
    if char == "n":
        return Node("null", start, end, pointer, None)
    number: float | int
    if "." in token or "e" in token or "E" in token:
        number = float(token)
    else:
        number = int(token) if len(token) <= 4000 else float(token)
    return Node("number", start, end, pointer, number)


def _parse_fast(text: str) -> Document | None:
    """The document of a problem-free ``text``, or None when the tolerant parser must run."""
    comments: list[Comment] = []
    stack: list[Node] = []
    top: Node | None = None
    in_object = False
    key_pointer = ""
    root: Node | None = None
    state = _VALUE
    pos = 0
    # One match at a time (not ``findall``): the loop stops at the first unexpected token, so
    # an unclosed ``/*`` is scanned to the end once, not once for each ``/*`` after it
    # (quadratic), and no list of every token's groups is built (~150 bytes a token).
    for match in _FAST_TOKEN.finditer(text):
        space, key, sep, member_value, member_tail, token, tail, other, bad = match.groups("")
        start = pos + len(space)
        if key:
            # a key, its colon and perhaps a scalar value with the comma after it
            if state not in (_KEY, _KEY_OR_CLOSE) or top is None:
                return None
            pos = start + len(key)
            name = key[1:-1] if "\\" not in key else json.loads(key)
            escaped = name if "~" not in name and "/" not in name else escape_pointer_token(name)
            key_pointer = f"{top.pointer}/{escaped}"
            member = Member(name, start, pos, None)
            top.members.append(member)
            pos += len(sep)
            if not member_value:
                state = _VALUE
                continue
            value_start = pos
            pos += len(member_value)
            member.value = _scalar(member_value, value_start, pos, key_pointer)
            if member_tail:
                pos += len(member_tail)
                state = _KEY if member_tail[-1] == "," else _COMMA_OR_CLOSE
            else:
                state = _COMMA_OR_CLOSE
            continue
        if other:
            pos = start + len(other)
            char = other[0]
            if char == "/":
                end = pos - 1 if other[1] == "/" and other[-1] == "\r" else pos
                comments.append(Comment(start, end, text[start:end]))
                continue
            if char == ",":
                if state != _COMMA_OR_CLOSE:
                    return None
                state = _KEY if in_object else _VALUE
                continue
            if char == ":":
                if state != _COLON:
                    return None
                state = _VALUE
                continue
            # { or [
            if state not in (_VALUE, _VALUE_OR_CLOSE):
                return None
            if top is None:
                pointer = ""
            elif in_object:
                pointer = key_pointer
            else:
                pointer = f"{top.pointer}/{len(top.items)}"
            if len(stack) >= MAX_DEPTH:
                return None
            in_object = char == "{"
            top = Node("object" if in_object else "array", start, start, pointer)
            stack.append(top)
            state = _KEY_OR_CLOSE if in_object else _VALUE_OR_CLOSE
            continue
        if bad:
            return None
        if not token:
            break  # the end of the text
        # a scalar or a closing bracket, with the whitespace and comma after it
        pos = start + len(token)
        char = token[0]
        if char == "}" or char == "]":
            if top is None:
                return None
            if char == "}":
                if not in_object or (state not in (_KEY_OR_CLOSE, _COMMA_OR_CLOSE)):
                    return None
                members = top.members
                if len(members) > 1 and len({m.key for m in members}) != len(members):
                    return None
            elif in_object or (state not in (_VALUE_OR_CLOSE, _COMMA_OR_CLOSE)):
                return None
            value = top
            value._end = pos
            stack.pop()
            if stack:
                top = stack[-1]
                in_object = top.type == "object"
            else:
                top = None
        elif state in (_KEY, _KEY_OR_CLOSE):
            # a key followed by a comment before its colon
            if char != '"' or "," in tail or top is None:
                return None
            name = token[1:-1] if "\\" not in token else json.loads(token)
            escaped = name if "~" not in name and "/" not in name else escape_pointer_token(name)
            key_pointer = f"{top.pointer}/{escaped}"
            top.members.append(Member(name, start, pos, None))
            pos += len(tail)
            state = _COLON
            continue
        else:
            if state not in (_VALUE, _VALUE_OR_CLOSE):
                return None
            if top is None:
                pointer = ""
            elif in_object:
                pointer = key_pointer
            else:
                pointer = f"{top.pointer}/{len(top.items)}"
            value = _scalar(token, start, pos, pointer)
        if top is None:
            root = value
            state = _DONE
        else:
            if in_object:
                top.members[-1].value = value
            else:
                top.items.append(value)
            state = _COMMA_OR_CLOSE
        if tail:
            pos += len(tail)
            if tail[-1] == ",":
                if state != _COMMA_OR_CLOSE:
                    return None
                state = _KEY if in_object else _VALUE
    if state != _DONE or text[pos:].strip(" \t\n\r"):
        return None
    return Document(root, [], comments)


def parse(text: str, lazy_offsets: bool = True) -> Document:
    """Parse JSONC ``text`` into a :class:`Document`; never raises for any input string.

    ``lazy_offsets``: a strict-JSON text may give a tree whose offsets are filled in when first
    read (cheaper when few are read, as when linting a clean file). A caller that reads offsets
    anyway (the language server) passes False: the fast path then costs less than the json path
    and the filling together (~1.4x on the typical file).
    """
    document = _parse_json(text) if lazy_offsets else None
    if document is None:
        document = _parse_fast(text)
    if document is not None:
        return document
    return parse_tolerant(text)


# --- strict JSON: the tree from json.loads, offsets on demand ----------------------------------
#
# Most files are strict JSON. For those, the C decoder of the json module reads the values (30
# us for a typical settings.json, against 450 us for the fast path above) and a short
# recursive function makes the nodes, with pointers but without offsets. A clean file needs
# none: only findings, fixes and the language server read them. The first read of a node's
# ``start``/``end`` (or a member's ``key_start``/``key_end``) runs the fast path on the text and
# copies every offset into the tree. Texts with comments, a ``\u`` escape, duplicate keys,
# nesting as deep as MAX_DEPTH, NaN or an integer of 4,000 digits or more, and texts with any
# problem, are left to the fast path and the tolerant parser. tests/test_jsonc_fastpath.py
# compares the trees, offsets included, with the tolerant parser's.


class _Members(list[tuple[str, Any]]):
    """An object's members as the json decoder reads them (its ``object_pairs_hook``)."""

    __slots__ = ()


class _NotPlain(Exception):
    """The text holds something :func:`_parse_json` leaves to the other parsers."""


def _refuse_constant(name: str) -> object:
    raise _NotPlain(name)  # NaN, Infinity, -Infinity: not JSON


_decode = json.JSONDecoder(object_pairs_hook=_Members, parse_constant=_refuse_constant).decode
_new = object.__new__
#: Integers this large are left to the fast path, which reads those of over 4,000 characters as
#: floats (and the json module refuses those of over 4,300 digits).
_HUGE_INT = 10**3999


def _parse_json(text: str) -> Document | None:
    """The document of a strict-JSON ``text`` without ``\\u`` escapes, or None."""
    if "\\u" in text:
        return None
    try:
        root = _node(_decode(text), "", 0, _Offsets(text))
    except (ValueError, RecursionError, _NotPlain):
        return None
    return Document(root, [], [])


def _node(value: object, pointer: str, depth: int, offsets: _Offsets) -> Node:
    """The node of a decoded ``value`` (and of everything in it), without offsets."""
    node: Node = _new(Node)
    node.pointer = pointer
    node.opaque = False
    node._offsets = offsets
    kind = type(value)
    if kind is _Members:
        members: _Members = value  # type: ignore[assignment]
        if depth >= MAX_DEPTH or (len(members) > 1 and len(dict(members)) != len(members)):
            raise _NotPlain(pointer)  # too deep, or duplicate keys: both are problems
        node.type = "object"
        node.value = None
        node.items = []
        node.members = nodes = []
        for key, item in members:
            member: Member = _new(Member)
            member.key = key
            member._offsets = offsets
            escaped = key if "~" not in key and "/" not in key else escape_pointer_token(key)
            member.value = _node(item, f"{pointer}/{escaped}", depth + 1, offsets)
            nodes.append(member)
        return node
    node.members = []
    if kind is list:
        if depth >= MAX_DEPTH:
            raise _NotPlain(pointer)
        node.type = "array"
        node.value = None
        items: list[object] = value  # type: ignore[assignment]
        node.items = [
            _node(item, f"{pointer}/{index}", depth + 1, offsets)
            for index, item in enumerate(items)
        ]
        return node
    node.items = []
    node.value = value
    if kind is str:
        node.type = "string"
    elif kind is bool:
        node.type = "boolean"
    elif value is None:
        node.type = "null"
    else:
        if kind is int and not -_HUGE_INT < value < _HUGE_INT:  # type: ignore[operator]
            raise _NotPlain(pointer)
        node.type = "number"
    return node


#: The tokens of a strict-JSON text that carry offsets: strings, other scalars, brackets (the
#: colons, commas and whitespace between them are skipped).
_OFFSET_TOKEN = lazy_compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^ \t\n\r"{}\[\]:,]+|[{}\[\]]')


class _Offsets:
    """The text a tree was built from and, made on the first read of any offset, the offsets of
    every value and member key in it by JSON pointer; each node copies its own on its first read.

    A table, not a reference to the tree: every node refers to this object, so a reference to
    the root here would make each tree a reference cycle, freed only by the cyclic garbage
    collector (12-13 % of the CPU time of a first run over 1,000 files went to collecting them).
    """

    __slots__ = ("keys", "spans", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: dict[str, tuple[int, int]] | None = None
        self.keys: dict[str, tuple[int, int]] = {}

    def span(self, pointer: str) -> tuple[int, int]:
        """The ``[start, end)`` of the value at ``pointer``."""
        spans = self.spans if self.spans is not None else self._index()
        try:
            return spans[pointer]
        except KeyError:  # a bug; the pointer is not shown: a key may be a literal API key
            raise RuntimeError("a node of a strict-JSON tree has no offsets") from None

    def key_span(self, pointer: str) -> tuple[int, int]:
        """The ``[start, end)`` of the key of the member whose value is at ``pointer``."""
        if self.spans is None:
            self._index()
        try:
            return self.keys[pointer]
        except KeyError:  # (as above)
            raise RuntimeError("a member of a strict-JSON tree has no key offsets") from None

    def _index(self) -> dict[str, tuple[int, int]]:
        """One walk over the text's tokens, in document order, with the pointers :func:`_node`
        gives. The text is strict JSON without ``\\u`` escapes (the json module read it), so
        the tokens are the values, keys and brackets of the tree one to one."""
        spans: dict[str, tuple[int, int]] = {}
        _place(list(_OFFSET_TOKEN.finditer(self.text)), 0, "", spans, self.keys)
        self.spans = spans
        return spans


def _place(
    tokens: list[re.Match[str]],
    position: int,
    pointer: str,
    spans: dict[str, tuple[int, int]],
    keys: dict[str, tuple[int, int]],
) -> int:
    """Record the offsets of the value starting at ``tokens[position]`` (and of everything in
    it); return the position after it. (A function, not a closure: a recursive closure is a
    reference cycle.)"""
    token = tokens[position]
    position += 1
    opening = token.group()
    if opening == "{":
        while (key := tokens[position]).group() != "}":
            name = key.group()
            name = json.loads(name) if "\\" in name else name[1:-1]
            if "~" in name or "/" in name:
                name = escape_pointer_token(name)
            child = f"{pointer}/{name}"
            keys[child] = key.span()
            position = _place(tokens, position + 1, child, spans, keys)
    elif opening == "[":
        index = 0
        while tokens[position].group() != "]":
            position = _place(tokens, position, f"{pointer}/{index}", spans, keys)
            index += 1
    else:
        spans[pointer] = token.span()
        return position
    spans[pointer] = (token.start(), tokens[position].end())
    return position + 1


def _fill(record: Node | Member) -> None:
    """Set the offsets of a node or member built without them (from its tree's table)."""
    try:
        offsets = record._offsets
    except AttributeError:
        raise AttributeError(f"{type(record).__name__} has no offsets") from None
    if isinstance(record, Node):
        record._start, record._end = offsets.span(record.pointer)
    else:
        value = record.value
        if value is None:  # (never in a tree of the json path)
            raise AttributeError("Member has no offsets")
        record._key_start, record._key_end = offsets.key_span(value.pointer)


def parse_tolerant(text: str) -> Document:
    """:func:`parse` without the fast path: the reference the fast path is tested against."""
    parser = _Parser(text)
    if text.startswith("\ufeff"):
        parser.problem(
            "byte-order-mark",
            "the file starts with a UTF-8 byte-order mark: Droid rejects the whole file; "
            "save it as UTF-8 without BOM",
            0,
            1,
            fix="",
        )
        parser.pos = 1
    if not parser.peek():
        parser.problem(
            "empty-document",
            "the file is empty: Droid expects a JSON object, e.g. `{}`",
            0,
            parser.pos,
        )
        return Document(None, parser.problems, parser.comments)
    root = parser.parse_value("", 0)
    if parser.peek():
        start = parser.pos
        end = len(text.rstrip())
        parser.problem(
            "end-of-file-expected",
            "unexpected content after the end of the top-level value; a file holds one JSON object",
            start,
            max(end, start + 1),
        )
    return Document(root, parser.problems, parser.comments)


class Fragment(ValueRecord):
    """One value re-parsed in place (see :func:`parse_fragment`)."""

    __slots__ = ("comments", "node", "problems", "reached_end")
    __match_args__ = ("node", "problems", "comments", "reached_end")

    node: Node | None
    problems: list[SyntaxProblem]
    comments: list[Comment]
    #: True when the value ran into the end of the text (it is not closed).
    reached_end: bool

    def __init__(
        self,
        node: Node | None,
        problems: list[SyntaxProblem],
        comments: list[Comment],
        reached_end: bool,
    ) -> None:
        self.node = node
        self.problems = problems
        self.comments = comments
        self.reached_end = reached_end


def parse_fragment(text: str, start: int, pointer: str, depth: int) -> Fragment:
    """Parse the single value that starts at ``start`` of ``text``, as :func:`parse` would.

    Offsets are offsets into ``text``. Used by the language server to re-parse one edited
    value of a large document instead of the whole text.
    """
    parser = _Parser(text)
    parser.pos = start
    node = parser.parse_value(pointer, depth)
    return Fragment(node, parser.problems, parser.comments, parser.reported_eof)
