"""The rule registry: every rule's stable code, kebab-case name, severity and docs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, overload

from factory_lint.findings import Severity
from factory_lint.kinds import KINDS, SETTINGS_KINDS, Kind
from factory_lint.records import FrozenValueRecord

DOCS_URL = "https://github.com/factory-lint/factory-lint/blob/main/docs/rules.md"


class Rule(FrozenValueRecord):
    __slots__ = (
        "code",
        "example",
        "example_encoding",
        "example_link",
        "example_mode",
        "example_path",
        "example_with",
        "family",
        "fix",
        "fixable",
        "name",
        "severity",
        "summary",
        "why",
    )
    __match_args__ = (
        "code",
        "name",
        "severity",
        "family",
        "summary",
        "why",
        "example",
        "fix",
        "fixable",
        "example_path",
        "example_with",
        "example_mode",
        "example_encoding",
        "example_link",
    )

    code: str
    name: str
    severity: Severity
    family: str
    summary: str
    why: str
    example: str
    fix: str
    #: "safe", "unsafe" or "" (no automatic fix).
    fixable: str
    #: Where the example file lives, as the docs show it (``~/`` is Droid's home, else a path in
    #: a project folder; Markdown kinds: the path decides the kind); "" for
    #: ``.factory/settings.json``. tests/test_docs.py lints every example there and expects
    #: the rule to fire. Key values may be elided with ``…`` (the test fills them in).
    example_path: str
    #: Other files the example needs beside it: (path, text).
    example_with: tuple[tuple[str, str], ...]
    #: The example file's permission bits (e.g. ``0o644``), when the rule is about them.
    example_mode: int | None
    #: "utf-8", or "utf-16" for an example about a file saved in UTF-16.
    example_encoding: str
    #: When set, the example file is a symbolic link to this path (relative to the link's
    #: folder), which holds ``example``.
    example_link: str

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        family: str,
        summary: str,
        why: str,
        example: str,
        fix: str,
        fixable: str = "",
        example_path: str = "",
        example_with: tuple[tuple[str, str], ...] = (),
        example_mode: int | None = None,
        example_encoding: str = "utf-8",
        example_link: str = "",
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "why", why)
        object.__setattr__(self, "example", example)
        object.__setattr__(self, "fix", fix)
        object.__setattr__(self, "fixable", fixable)
        object.__setattr__(self, "example_path", example_path)
        object.__setattr__(self, "example_with", example_with)
        object.__setattr__(self, "example_mode", example_mode)
        object.__setattr__(self, "example_encoding", example_encoding)
        object.__setattr__(self, "example_link", example_link)

    @property
    def example_file(self) -> str:
        """The example's path as the docs show it: ``example_path``, else the file a first-line
        comment names (``// .factory/hooks.json``), else ``.factory/settings.json``."""
        if self.example_path:
            return self.example_path
        first = self.example.split("\n", 1)[0]
        if first.startswith("// .") or first.startswith("// ~/"):
            return first[3:].split(" ", 1)[0]
        return ".factory/settings.json"

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"


RULES: dict[str, Rule] = {}
RULES_BY_NAME: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    family: str,
    summary: str,
    *,
    why: str,
    example: str,
    fix: str,
    fixable: str = "",
    example_path: str = "",
    example_with: tuple[tuple[str, str], ...] = (),
    example_mode: int | None = None,
    example_encoding: str = "utf-8",
    example_link: str = "",
) -> Rule:
    """Register a rule; codes and names must be unique. ``example`` is a whole file in which
    the rule fires, at ``example_path`` (default ``.factory/settings.json``) with the files of
    ``example_with`` beside it; a Markdown example is kept verbatim apart from a leading
    newline."""
    if code in RULES or name in RULES_BY_NAME:
        raise ValueError(f"duplicate rule {code} {name}")
    markdown = bool(example_path) and not example_path.endswith(".json")
    shown = example.lstrip("\n") if markdown else example.strip("\n")
    registered = Rule(
        code,
        name,
        severity,
        family,
        summary,
        why,
        shown,
        fix,
        fixable,
        example_path,
        example_with,
        example_mode,
        example_encoding,
        example_link,
    )
    RULES[code] = registered
    RULES_BY_NAME[name] = registered
    return registered


def resolve(selector: str) -> list[Rule]:
    """Rules matched by a code (``FL201``), a code prefix (``FL2``), a name, or ``ALL``."""
    key = selector.strip()
    if key.upper() == "ALL":
        return list(RULES.values())
    if key in RULES_BY_NAME:
        return [RULES_BY_NAME[key]]
    upper = key.upper()
    return [r for code, r in RULES.items() if code.startswith(upper)] if upper else []


if TYPE_CHECKING:
    from factory_lint.context import LintContext
    from factory_lint.findings import Finding

Checker = Callable[["LintContext"], Iterable["Finding"]]
#: Every checker, in registration order (whatever kinds it runs on).
CHECKERS: list[Checker] = []
#: The checkers that run on each kind of file, in registration order.
CHECKERS_BY_KIND: dict[Kind, list[Checker]] = {kind: [] for kind in KINDS}


@overload
def checker(function: Checker) -> Checker: ...


@overload
def checker(*, kinds: Iterable[Kind]) -> Callable[[Checker], Checker]: ...


def checker(
    function: Checker | None = None, *, kinds: Iterable[Kind] = SETTINGS_KINDS
) -> Checker | Callable[[Checker], Checker]:
    """Register a function that yields findings for a document of one of ``kinds``
    (``@checker`` alone: the custom-model files, settings and legacy)."""
    wanted = tuple(kind for kind in KINDS if kind in frozenset(kinds))

    def register(found: Checker) -> Checker:
        CHECKERS.append(found)
        for kind in wanted:
            CHECKERS_BY_KIND[kind].append(found)
        return found

    return register(function) if function is not None else register
