"""Markdown frontmatter exactly as Droid 0.225.2 reads it, with a position for every key and value.

Droid (droid-surface.md §4.2, read from the binary): the frontmatter is the text between a
``---`` line at offset 0 and the next line that starts with ``---``
(``/^---\\r?\\n([\\s\\S]*?)\\r?\\n---\\r?\\n?/``), so a byte-order mark, a blank line or a space
after ``---`` means *no frontmatter*. That text is loaded with js-yaml 4 (YAML 1.2 core schema
plus timestamps: ``yes`` is a string, ``2024-01-01`` a date, a duplicated key an error). When
js-yaml throws, or yields something that is not an object (an empty block, a bare string), a
line-based fallback parser runs instead: ``key: value`` lines, ``true``/``false``, JSON after
``[``/``{``, and comma lists or ``- item`` lines for ``tools``/``mcpServers`` only.

YAML is parsed with PyYAML's composer (node positions), imported on first use; plain scalars are
typed with js-yaml's rules, not PyYAML's YAML 1.1 ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from factory_lint.records import ValueRecord

if TYPE_CHECKING:
    import yaml

#: Droid's frontmatter pattern (``an`` in the 0.225.2 bundle), anchored at offset 0.
_BLOCK = re.compile(r"---\r?\n([\s\S]*?)\r?\n---\r?\n?")
#: What JavaScript's ``String.prototype.trim`` removes.
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: Keys whose fallback value is a list (comma-separated, or ``- item`` lines below).
_FALLBACK_LIST_KEYS = frozenset({"tools", "mcpServers"})
#: Nodes visited per document at most (aliases can make a small text a huge tree).
_NODE_BUDGET = 20_000

Parser = Literal["yaml", "fallback", "none"]
#: Why a file that seems to have frontmatter has none for Droid.
Missing = Literal["bom", "leading-blank", "delimiter-text", "unclosed", "empty"]


class JsDate(ValueRecord):
    """A js-yaml timestamp (``2024-01-01``): a JavaScript ``Date``, not a string."""

    __slots__ = ("text",)
    __match_args__ = ("text",)

    text: str

    def __init__(self, text: str) -> None:
        self.text = text


class Value(ValueRecord):
    """One frontmatter value as Droid sees it, with its span in the document.

    ``value`` is the JavaScript value in Python clothes: str, int/float (a JS number), bool,
    None (null), list, dict, :class:`JsDate`, bytes (``!!binary``). ``items`` hold the element
    values of a list (with their own spans), ``entries`` the members of an object.
    """

    __slots__ = ("end", "entries", "items", "plain", "start", "value")
    __match_args__ = ("value", "start", "end", "items", "entries", "plain")

    value: object
    start: int
    end: int
    items: tuple[Value, ...]
    entries: tuple[Entry, ...]
    #: True for an unquoted YAML scalar or a fallback value written without quotes.
    plain: bool

    def __init__(
        self,
        value: object,
        start: int,
        end: int,
        items: tuple[Value, ...] = (),
        entries: tuple[Entry, ...] = (),
        plain: bool = False,
    ) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.items = items
        self.entries = entries
        self.plain = plain


class Entry(ValueRecord):
    """A ``key: value`` pair of the frontmatter (or of a nested object)."""

    __slots__ = ("key", "key_end", "key_start", "value")
    __match_args__ = ("key", "key_start", "key_end", "value")

    key: str
    key_start: int
    key_end: int
    value: Value

    def __init__(self, key: str, key_start: int, key_end: int, value: Value) -> None:
        self.key = key
        self.key_start = key_start
        self.key_end = key_end
        self.value = value


class Frontmatter(ValueRecord):
    """A Markdown file split as Droid splits it: frontmatter metadata and body.

    Offsets are into the text given to :func:`parse_frontmatter`.
    """

    __slots__ = (
        "block_end",
        "body_start",
        "content_end",
        "content_start",
        "entries",
        "found",
        "missing",
        "parser",
        "root",
        "yaml_error",
        "yaml_error_at",
    )
    __match_args__ = ("found", "parser", "entries")

    #: True when Droid's pattern matched (there is a frontmatter block).
    found: bool
    parser: Parser
    #: The metadata's keys in order; a key written twice (fallback) appears twice, the last
    #: one is what Droid keeps.
    entries: tuple[Entry, ...]
    #: The YAML value when js-yaml would return something other than a plain object (a
    #: list, a string): Droid then checks that value against its schema (an array) or runs
    #: the fallback (anything else); None otherwise.
    root: Value | None
    #: ``[content_start, content_end)``: the text between the delimiters.
    content_start: int
    content_end: int
    #: Where the closing delimiter ends and the body begins.
    block_end: int
    body_start: int
    #: js-yaml's failure (reworded from PyYAML) and its offset, when the fallback ran.
    yaml_error: str | None
    yaml_error_at: int | None
    #: Why a file that looks like it starts with frontmatter has none (``None`` when it has
    #: frontmatter or clearly has none).
    missing: Missing | None

    def __init__(
        self,
        found: bool,
        parser: Parser,
        entries: tuple[Entry, ...] = (),
        root: Value | None = None,
        content_start: int = 0,
        content_end: int = 0,
        block_end: int = 0,
        yaml_error: str | None = None,
        yaml_error_at: int | None = None,
        missing: Missing | None = None,
    ) -> None:
        self.found = found
        self.parser = parser
        self.entries = entries
        self.root = root
        self.content_start = content_start
        self.content_end = content_end
        self.block_end = block_end
        self.body_start = block_end
        self.yaml_error = yaml_error
        self.yaml_error_at = yaml_error_at
        self.missing = missing

    def get(self, key: str) -> Entry | None:
        """The entry Droid keeps for ``key`` (the last one written), or None."""
        found = None
        for entry in self.entries:
            if entry.key == key:
                found = entry
        return found

    def keys(self) -> list[str]:
        return list(dict.fromkeys(entry.key for entry in self.entries))

    @property
    def is_object(self) -> bool:
        """Droid's metadata is a plain object (what every schema expects)."""
        return self.root is None


def js_type(value: object) -> str:
    """The name zod would give ``value``'s type: string, number, boolean, null, array,
    object, date, binary."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "array"
    if isinstance(value, JsDate):
        return "date"
    if isinstance(value, bytes):
        return "binary"
    return "object"


def describe(value: object) -> str:
    """``value``'s type for a message: "a number", "a list", "empty (null)"."""
    return {
        "string": "a string",
        "number": "a number",
        "boolean": "a boolean",
        "null": "empty (null)",
        "array": "a list",
        "object": "a mapping",
        "date": "a date",
        "binary": "binary data",
    }[js_type(value)]


def js_trim(text: str) -> str:
    return text.strip(JS_WHITESPACE)


# --- splitting the file -----------------------------------------------------------------------


def parse_frontmatter(text: str) -> Frontmatter:
    """Split ``text`` as Droid's droid, skill and command loaders do (no normalisation: a BOM
    or a blank first line means no frontmatter)."""
    match = _BLOCK.match(text)
    if match is None:
        return Frontmatter(False, "none", missing=_why_missing(text))
    start, end = match.span(1)
    content = match.group(1)
    result = _parse_yaml(content, start)
    if isinstance(result, Frontmatter):
        result.block_end = result.body_start = match.end()
        result.content_start, result.content_end = start, end
        return result
    error, error_at = result
    entries = tuple(_fallback(content, start))
    return Frontmatter(
        True,
        "fallback",
        entries,
        None,
        start,
        end,
        match.end(),
        error,
        error_at,
    )


def normalise_style_text(text: str) -> tuple[str, list[int]]:
    """Droid's output-style normalisation (strip a BOM, CRLF/CR to LF, trim) with a map from
    each normalised offset (and the end) back to an offset in ``text``."""
    offsets: list[int] = []
    chars: list[str] = []
    index = 1 if text.startswith("\ufeff") else 0
    while index < len(text):
        char = text[index]
        if char == "\r":
            chars.append("\n")
            offsets.append(index)
            index += 2 if text.startswith("\r\n", index) else 1
            continue
        chars.append(char)
        offsets.append(index)
        index += 1
    offsets.append(len(text))
    normal = "".join(chars)
    lead = len(normal) - len(normal.lstrip(JS_WHITESPACE))
    trimmed = normal.strip(JS_WHITESPACE)
    return trimmed, offsets[lead : lead + len(trimmed) + 1]


def _why_missing(text: str) -> Missing | None:
    if text.startswith("\ufeff") and _BLOCK.match(text, 1):
        return "bom"
    stripped = text.lstrip(JS_WHITESPACE)
    if stripped != text and stripped.startswith("---") and _BLOCK.match(stripped):
        return "leading-blank"
    first, _, rest = text.partition("\n")
    first = first.rstrip("\r")
    if first.startswith("---") and first != "---":
        tail = first[3:]
        if js_trim(tail) == "" and re.search(r"(?m)^---", rest):
            return "delimiter-text"
        return None
    if first == "---":
        if re.match(r"---\r?\n---", text):
            return "empty"
        return "unclosed"
    return None


# --- js-yaml, emulated on PyYAML's composer ---------------------------------------------------

_PLAIN = "?plain"
_YAML = "tag:yaml.org,2002:"
_KNOWN_TAGS = frozenset(
    _YAML + name
    for name in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "seq",
        "map",
        "timestamp",
        "binary",
        "omap",
        "pairs",
        "set",
        "merge",
    )
)
_INT_DIGITS = {"b": "01", "x": "0123456789abcdefABCDEF", "o": "01234567"}
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN))$"
)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9]{2}))?))?$"
)

_loader: type[Any] | None = None


def _loader_class() -> type[Any]:
    """A SafeLoader whose resolver leaves plain scalars untyped (js-yaml types them)."""
    global _loader
    if _loader is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class _Loader(base):  # type: ignore[misc,valid-type]
            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is yaml.ScalarNode and implicit[0]:
                    return _PLAIN
                return super().resolve(kind, value, implicit)

        _loader = _Loader
    return _loader


class _YamlFailure(Exception):
    def __init__(self, message: str, offset: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


#: One ``key: value`` line the fast path reads: a plain one-line scalar of common characters
#: (no ``: ``, `` #``, quotes or YAML indicators), or a flow list of simple words.
_FAST_LINE = re.compile(
    r"(?P<key>[A-Za-z][A-Za-z0-9_-]*):"
    r"(?:[ ]+(?P<value>[A-Za-z0-9_/(](?:[A-Za-z0-9 _.,/()+=@'-]*[A-Za-z0-9_.,/()+=@'-])?"
    r"|\[[A-Za-z0-9_., -]*\]))?[ ]*"
)
# (The value ends at its last non-space character, greedily: a lazy value before ``[ ]*`` was
# quadratic in the spaces of a line, 12 s for 32,000: issue 14.)
_FAST_ITEM = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _fast_yaml(content: str, base: int) -> Frontmatter | None:
    """The common frontmatter (one-line ``key: value`` pairs, ``[a, b]`` lists) without
    PyYAML, typed by the same js-yaml rules; None for anything else (the YAML path decides).
    A test checks that both paths agree wherever this one answers."""
    entries: list[Entry] = []
    seen: set[str] = set()
    offset = base
    for line in content.split("\n"):
        start = offset
        offset += len(line) + 1
        text = line[:-1] if line.endswith("\r") else line
        if not text.strip(" ") or text.startswith("#"):
            continue
        match = _FAST_LINE.fullmatch(text)
        if match is None:
            return None
        key = match.group("key")
        if key in seen or not isinstance(_resolve_plain(key), str):
            return None
        seen.add(key)
        raw = match.group("value")
        if raw is None:
            at = start + match.end("key") + 1
            value = Value(None, at, at, plain=True)
        elif raw.startswith("["):
            at = start + match.start("value")
            items: list[Value] = []
            inner = raw[1:-1]
            if inner.strip(" "):
                position = at + 1
                for part in inner.split(","):
                    word = part.strip(" ")
                    if not _FAST_ITEM.fullmatch(word):
                        return None
                    item_start = position + part.index(word)
                    items.append(
                        Value(_resolve_plain(word), item_start, item_start + len(word), plain=True)
                    )
                    position += len(part) + 1
            value = Value([i.value for i in items], at, at + len(raw), tuple(items))
        else:
            if ": " in raw or " #" in raw:
                return None
            at = start + match.start("value")
            value = Value(_resolve_plain(raw), at, at + len(raw), plain=True)
        entries.append(Entry(key, start, start + len(key), value))
    if not entries:
        return None
    return Frontmatter(True, "yaml", tuple(entries))


def _parse_yaml(
    content: str, base: int, fast_path: bool = True
) -> Frontmatter | tuple[str | None, int | None]:
    """Droid's metadata from YAML, or ``(error, offset)`` when Droid falls back (error None:
    js-yaml returned something other than an object, e.g. an empty block)."""
    fast = _fast_yaml(content, base) if fast_path else None
    if fast is not None:
        return fast
    import yaml

    try:
        node = yaml.compose(content, Loader=_loader_class())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        offset = base + mark.index if mark is not None else None
        return _reword(error.problem or error.context or "invalid YAML"), offset
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        return (str(error).splitlines()[0] if str(error) else "invalid YAML"), None
    if node is None:
        return None, None
    try:
        value = _Converter(content, base).value(node)
    except _YamlFailure as failure:
        return failure.message, failure.offset
    except RecursionError:
        return "the frontmatter is nested too deeply", None
    if isinstance(value.value, dict) and not isinstance(value.value, list):
        return Frontmatter(True, "yaml", value.entries)
    if isinstance(value.value, list):
        # js-yaml returns an array: an object for `typeof`, so no fallback runs.
        return Frontmatter(True, "yaml", (), value)
    return None, None


def _reword(problem: str) -> str:
    return problem.replace("found character '\\t'", "a tab character")


class _Converter:
    """Typed :class:`Value` trees from PyYAML nodes, the way js-yaml constructs them."""

    def __init__(self, content: str, base: int) -> None:
        self.content = content
        self.base = base
        self.budget = _NODE_BUDGET

    def _end(self, start: int, end: int) -> int:
        """A collection's end without the line breaks and comments PyYAML counts in it."""
        text = self.content[start - self.base : end - self.base]
        lines = text.split("\n")
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
            lines.pop()
        return start + len("\n".join(lines).rstrip())

    def value(self, node: yaml.Node) -> Value:
        import yaml

        self.budget -= 1
        if self.budget < 0:
            raise _YamlFailure("the frontmatter expands to too many values", None)
        start = self.base + node.start_mark.index
        end = self.base + node.end_mark.index
        tag = node.tag
        if tag != _PLAIN and tag not in _KNOWN_TAGS:
            raise _YamlFailure(f"unknown tag !<{tag}>", start)
        if isinstance(node, yaml.ScalarNode):
            return Value(self.scalar(node, start), start, end, plain=not node.style)
        if isinstance(node, yaml.SequenceNode):
            items = tuple(self.value(item) for item in node.value)
            return Value([item.value for item in items], start, self._end(start, end), items)
        assert isinstance(node, yaml.MappingNode)
        entries = self.entries(node)
        values = {e.key: e.value.value for e in entries}
        return Value(values, start, self._end(start, end), (), entries)

    def entries(self, node: yaml.MappingNode) -> tuple[Entry, ...]:
        import yaml

        kept: dict[str, Entry] = {}
        merged: list[Entry] = []
        for key_node, value_node in node.value:
            key_start = self.base + key_node.start_mark.index
            key_end = self.base + key_node.end_mark.index
            if (
                isinstance(key_node, yaml.ScalarNode)
                and key_node.value == "<<"
                and key_node.tag in (_PLAIN, _YAML + "merge")
            ):
                merged.extend(self._merge(value_node))
                continue
            key = self.key(key_node)
            if key in kept:
                raise _YamlFailure("duplicated mapping key", key_start)
            kept[key] = Entry(key, key_start, key_end, self.value(value_node))
        for entry in merged:
            kept.setdefault(entry.key, entry)
        return tuple(kept.values())

    def _merge(self, node: yaml.Node) -> list[Entry]:
        import yaml

        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        entries: list[Entry] = []
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise _YamlFailure(
                    "cannot merge mappings; the provided source object is unacceptable",
                    self.base + source.start_mark.index,
                )
            entries.extend(self.entries(source))
        return entries

    def key(self, node: yaml.Node) -> str:
        import yaml

        if not isinstance(node, yaml.ScalarNode):
            self.value(node)
            return "[object Object]"
        value = self.scalar(node, self.base + node.start_mark.index)
        return _js_string(value, node.value)

    def scalar(self, node: yaml.ScalarNode, start: int) -> object:
        text: str = node.value
        tag = node.tag
        if tag == _PLAIN:
            return _resolve_plain(text)
        if tag == _YAML + "str":
            return text
        resolved = _resolve_plain(text)
        expected = {
            _YAML + "null": "null",
            _YAML + "bool": "boolean",
            _YAML + "int": "number",
            _YAML + "float": "number",
            _YAML + "timestamp": "date",
        }.get(tag)
        if tag == _YAML + "binary":
            return text.encode("utf-8", "replace")
        if tag == _YAML + "int" and _int(text) is None:
            expected = None
        if tag == _YAML + "float" and not (_FLOAT.match(text) and not text.endswith("_")):
            expected = None
        if expected is None or js_type(resolved) != expected:
            raise _YamlFailure(f"cannot resolve a node with !<{tag}> explicit tag", start)
        return resolved


def _js_string(value: object, raw: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    return raw


def _resolve_plain(text: str) -> object:
    """A plain scalar typed as js-yaml 4's default schema does (null, bool, int, float,
    timestamp, else string)."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    number = _int(text)
    if number is not None:
        return number
    if _FLOAT.match(text) and not text.endswith("_"):
        return _float(text)
    if _DATE.match(text) or _TIMESTAMP.match(text):
        return JsDate(text)
    return text


def _int(text: str) -> int | None:
    """js-yaml 4.1's ``resolveYamlInteger`` + ``constructYamlInteger``."""
    body = text
    sign = 1
    if body[:1] in ("-", "+"):
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if not body:
        return None
    if body == "0":
        return 0
    if body[0] == "0" and len(body) > 1 and body[1] in _INT_DIGITS:
        digits = body[2:]
        allowed = _INT_DIGITS[body[1]]
        if (
            not digits.replace("_", "")
            or digits.endswith("_")
            or any(c not in allowed for c in digits.replace("_", ""))
        ):
            return None
        return sign * int(digits.replace("_", ""), {"b": 2, "x": 16, "o": 8}[body[1]])
    if body[0] == "_" or body.endswith("_"):
        return None
    digits = body.replace("_", "")
    if not digits or not all("0" <= c <= "9" for c in digits):
        return None
    return sign * int(digits)


def _float(text: str) -> float:
    lowered = text.replace("_", "").lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    try:
        return float(lowered)
    except ValueError:  # "1." and the like
        return float(lowered.rstrip(".") or 0)


# --- Droid's line-based fallback parser -------------------------------------------------------


def _fallback(content: str, base: int) -> Iterator[Entry]:
    """Droid's fallback parser (``l`` in the 0.225.2 bundle), with spans."""
    list_key: str | None = None
    list_items: list[Value] = []
    list_entry: Entry | None = None
    offset = base
    pending: list[Entry] = []
    for line in content.split("\n"):
        line_start = offset
        offset += len(line) + 1
        lead = len(line) - len(line.lstrip(JS_WHITESPACE))
        trimmed = js_trim(line)
        at = line_start + lead
        if not trimmed or trimmed.startswith("#"):
            continue
        if list_key is not None and trimmed.startswith("- "):
            raw = trimmed[2:]
            item_lead = len(raw) - len(raw.lstrip(JS_WHITESPACE))
            item = js_trim(raw)
            item_start = at + 2 + item_lead
            text, plain = _unquote(item)
            list_items.append(Value(text, item_start, item_start + len(item), plain=plain))
            assert list_entry is not None
            list_entry.value = Value(
                [v.value for v in list_items],
                list_entry.value.start,
                item_start + len(item),
                tuple(list_items),
            )
            continue
        colon = trimmed.find(":")
        if colon == -1:
            continue
        key_raw = trimmed[:colon]
        key = js_trim(key_raw)
        key_start = at + (len(key_raw) - len(key_raw.lstrip(JS_WHITESPACE)))
        value_raw = trimmed[colon + 1 :]
        value_text = js_trim(value_raw)
        value_start = at + colon + 1 + (len(value_raw) - len(value_raw.lstrip(JS_WHITESPACE)))
        value_end = value_start + len(value_text)
        list_key = None
        text, plain = _unquote(value_text)
        entry = Entry(key, key_start, key_start + len(key), Value(None, value_start, value_end))
        entry.value = _fallback_value(key, text, plain, value_start, value_end, value_text)
        if key in _FALLBACK_LIST_KEYS and not text and entry.value.value == []:
            list_key, list_items, list_entry = key, [], entry
        pending.append(entry)
    yield from pending


def _unquote(text: str) -> tuple[str, bool]:
    if (text.startswith('"') and text.endswith('"')) or (
        text.startswith("'") and text.endswith("'")
    ):
        return text[1:-1], False
    return text, True


def _fallback_value(key: str, text: str, plain: bool, start: int, end: int, raw: str) -> Value:
    if text.startswith(("[", "{")):
        parsed = _json_value(text, start + (0 if plain else 1))
        if parsed is not None:
            return Value(parsed.value, start, end, parsed.items, parsed.entries, plain)
    if text == "true":
        return Value(True, start, end, plain=plain)
    if text == "false":
        return Value(False, start, end, plain=plain)
    if key in _FALLBACK_LIST_KEYS and not text:
        return Value([], start, end, plain=plain)
    if key in _FALLBACK_LIST_KEYS and not text.startswith("["):
        inner = start + (0 if plain else 1)
        items: list[Value] = []
        position = 0
        for part in text.split(","):
            lead = len(part) - len(part.lstrip(JS_WHITESPACE))
            item = js_trim(part)
            item_start = inner + position + lead
            items.append(Value(item, item_start, item_start + len(item), plain=True))
            position += len(part) + 1
        return Value([v.value for v in items], start, end, tuple(items), plain=plain)
    return Value(text, start, end, plain=plain)


def _json_value(text: str, start: int) -> Value | None:
    """``JSON.parse(text)`` with spans for a top-level array's items, or None on failure."""

    def reject(constant: str) -> object:
        raise ValueError(constant)

    try:
        parsed = json.loads(text, parse_constant=reject)
    except (ValueError, RecursionError):
        return None
    if not isinstance(parsed, list):
        return Value(parsed, start, start + len(text))
    from factory_lint.jsonc import parse

    root = parse(text).root
    items: tuple[Value, ...] = ()
    if root is not None and root.type == "array" and len(root.items) == len(parsed):
        items = tuple(
            Value(item, start + node.start, start + node.end)
            for item, node in zip(parsed, root.items, strict=True)
        )
    return Value(parsed, start, start + len(text), items)
