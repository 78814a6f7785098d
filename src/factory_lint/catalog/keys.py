"""The key catalog: API-key formats (value-level patterns) and placeholder heuristics."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

from factory_lint.catalog._data import load_json
from factory_lint.lazy_re import lazy_compile
from factory_lint.memo import remember_short
from factory_lint.records import FrozenValueRecord

if sys.version_info >= (3, 11):
    from re import _parser as _regex_parser  # type: ignore[attr-defined]
else:  # pragma: no cover
    import sre_parse as _regex_parser

_AUTH_SCHEME = lazy_compile(r"^(?:bearer|token|basic)\s+", re.IGNORECASE)


class KeyFormat(FrozenValueRecord):
    """A credential format, recognised on a whole value (``pattern.fullmatch``)."""

    __slots__ = (
        "confidence",
        "description",
        "exclusive",
        "id",
        "kind",
        "pattern",
        "prefix",
        "provider",
        "source",
    )
    __match_args__ = (
        "id",
        "provider",
        "prefix",
        "pattern",
        "description",
        "source",
        "exclusive",
        "kind",
        "confidence",
    )

    id: str
    #: endpoint id of the issuer, or None (Factory's own key, GitHub tokens, generic shapes)
    provider: str | None
    #: literal prefix every key of this format starts with ("" when there is none)
    prefix: str
    pattern: re.Pattern[str]
    description: str
    source: str
    #: True when the format identifies its issuer on its own (a unique prefix or signature);
    #: False for shapes several issuers share (bare ``sk-`` + hex, 32 alphanumerics, JWTs),
    #: which must not be used to say "this key belongs to another provider".
    exclusive: bool
    #: inference (an LLM API key) | admin | oauth | factory (Droid login key) | credential
    #: (a secret that is not an LLM key: GitHub, GitLab, AWS access key id, LangSmith)
    kind: str
    #: high | medium | low
    confidence: str

    def __init__(
        self,
        id: str,
        provider: str | None,
        prefix: str,
        pattern: re.Pattern[str],
        description: str,
        source: str,
        exclusive: bool = True,
        kind: str = "inference",
        confidence: str = "high",
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "provider", provider)
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "exclusive", exclusive)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "confidence", confidence)


@functools.cache
def _raw_formats() -> tuple[Mapping[str, Any], ...]:
    return tuple(load_json("keys.json")["formats"])


@functools.cache
def _format(index: int) -> KeyFormat:
    """The ``index``-th key format, its pattern compiled on first use (most files need few)."""
    raw = _raw_formats()[index]
    return KeyFormat(
        id=str(raw["id"]),
        provider=raw.get("provider"),
        prefix=str(raw.get("prefix", "")),
        pattern=lazy_compile(str(raw["pattern"])),
        description=str(raw["description"]),
        source=str(raw["source"]),
        exclusive=bool(raw.get("exclusive", True)),
        kind=str(raw.get("kind", "inference")),
        confidence=str(raw.get("confidence", "high")),
    )


@functools.cache
def key_formats() -> tuple[KeyFormat, ...]:
    """Every key format, in the order ``identify_key`` tries them (most specific first)."""
    return tuple(_format(index) for index in range(len(_raw_formats())))


@functools.cache
def _formats_by_id() -> Mapping[str, KeyFormat]:
    return MappingProxyType({f.id: f for f in key_formats()})


def key_format_by_id(format_id: str) -> KeyFormat | None:
    return _formats_by_id().get(format_id)


def _bare(value: str) -> str:
    """The value without surrounding blanks and a leading ``Bearer``/``Token``/``Basic``."""
    value = value.strip()
    if value[:1] not in _SCHEME_INITIALS:  # cheap: most values start with no auth scheme
        return value
    return _AUTH_SCHEME.sub("", value, count=1).strip()


_SCHEME_INITIALS = frozenset("bBtT")


@functools.cache
def _width(index: int) -> tuple[int, int]:
    """The shortest and longest text the ``index``-th format's pattern can match (the regex
    parser's own bounds), so that most values are ruled out without running any pattern.
    The catalog ships them (``lengths``, computed by the build script with the same parser);
    parsing the patterns here took ~5 ms at start-up."""
    raw = _raw_formats()[index]
    lengths = raw.get("lengths")
    if isinstance(lengths, list) and len(lengths) == 2:
        return (int(lengths[0]), int(lengths[1]))
    return cast(tuple[int, int], _regex_parser.parse(str(raw["pattern"])).getwidth())


@functools.cache
def shortest_exclusive_key() -> int:
    """The length of the shortest value any exclusive key format matches (after stripping a
    leading ``Bearer``): :func:`identify_key` finds no exclusive format in anything shorter."""
    return min(
        _width(index)[0] for index, raw in enumerate(_raw_formats()) if raw.get("exclusive", True)
    )


#: (first character, length) -> indices of the formats a bare value of that shape may match,
#: in catalog order.
_CANDIDATES: dict[tuple[str, int], tuple[int, ...]] = {}


def _candidates(first: str, length: int) -> tuple[int, ...]:
    found = []
    for index, raw in enumerate(_raw_formats()):
        prefix = str(raw.get("prefix", ""))
        if prefix and (prefix[0] != first or len(prefix) > length):
            continue
        low, high = _width(index)
        if low <= length <= high:
            found.append(index)
    candidates = _CANDIDATES[(first, length)] = tuple(found)
    return candidates


# Remembered: the rules ask about every key and string of a file (~140 per settings file), and
# files linted together share most of them.
@remember_short()
def identify_key(value: str) -> KeyFormat | None:
    """The most specific key format the whole value matches, or None.

    Surrounding whitespace and a leading ``Bearer `` (header values) are ignored.  Exclusive
    formats are tried first (longest literal prefix first, e.g. ``sk-ant-api03-`` long before any
    bare ``sk-`` shape); the shared shapes come last, the generic LiteLLM ``sk-…`` last of all.
    """
    bare = _bare(value)
    if not bare:
        return None
    shape = (bare[0], len(bare))
    candidates = _CANDIDATES.get(shape)
    if candidates is None:
        candidates = _candidates(*shape)
    for index in candidates:
        fmt = _format(index)
        if fmt.prefix and not bare.startswith(fmt.prefix):
            continue
        if fmt.pattern.fullmatch(bare):
            return fmt
    return None


class _Heuristics:
    # A plain class, not a dataclass: creating a dataclass costs about a millisecond of start-up.

    __slots__ = ("min_length", "strong", "weak", "words")

    def __init__(
        self,
        words: frozenset[str],
        strong: tuple[tuple[str, re.Pattern[str]], ...],
        weak: tuple[tuple[str, re.Pattern[str]], ...],
        min_length: int,
    ) -> None:
        self.words = words
        self.strong = strong
        self.weak = weak
        self.min_length = min_length


@functools.cache
def _heuristics() -> _Heuristics:
    data: Mapping[str, Any] = load_json("keys.json")["placeholders"]
    words = frozenset(str(w).lower() for group in data["words"] for w in group["values"])
    strong: list[tuple[str, re.Pattern[str]]] = []
    weak: list[tuple[str, re.Pattern[str]]] = []
    for raw in data["patterns"]:
        entry = (str(raw["id"]), lazy_compile(str(raw["regex"])))
        (strong if raw["strength"] == "strong" else weak).append(entry)
    return _Heuristics(words, tuple(strong), tuple(weak), int(data["min_length"]))


@remember_short()  # the same model names, URLs and ``${NAME}`` references in file after file
def placeholder_reason(value: str) -> str | None:
    """Why ``value`` looks like a placeholder or test value rather than a real key, or None.

    The answer is an id: ``empty``, ``known-placeholder`` (a word such as ``YOUR_API_KEY``,
    ``not-needed``, ``ollama``), a pattern id from the catalog (``env-reference``,
    ``angle-brackets``, ``your-word``, ``ellipsis``, ``repeated-char``, ``placeholder-token``,
    ``letters-only``, ``env-var-name``, ...) or ``too-short``.  A value that matches an
    exclusive key format is only a placeholder under the strong patterns (``sk-ant-…xxxxxx…``):
    weak hints never hide a real-shaped key.
    """
    bare = _bare(value)
    if not bare:
        return "empty"
    heur = _heuristics()
    if bare.lower() in heur.words or value.strip().lower() in heur.words:
        return "known-placeholder"
    for pattern_id, pattern in heur.strong:
        if pattern.search(bare):
            return pattern_id
    fmt = identify_key(bare)
    if fmt is not None and fmt.exclusive:
        return None
    for pattern_id, pattern in heur.weak:
        if pattern.search(bare):
            return pattern_id
    if fmt is None and len(bare) < heur.min_length:
        return "too-short"
    return None


def is_placeholder(value: str) -> bool:
    """True for obvious placeholders and test values (``YOUR_API_KEY``, ``<your-key>``,
    ``sk-xxx…``, ``changeme``, ``dummy``, ``not-needed``, ``ollama``, ``${VAR}``, empty, ...)."""
    return placeholder_reason(value) is not None
