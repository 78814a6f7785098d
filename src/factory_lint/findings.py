"""Plain data that the rules produce and every front end renders."""

from __future__ import annotations

from typing import Literal

from factory_lint.records import FrozenValueRecord

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

#: At most this many findings of one file are reported (the most severe first); a finding
#: FL091 says how many more there are. A file with a problem in each of its 100,000 values
#: printed 300 MB and reached gigabytes of memory before.
MAX_FINDINGS = 500
#: A check stops after this many findings of one file (a check that collects its findings in
#: a list stops adding to it), which bounds the time and memory one file can cost (a finding
#: costs up to a few milliseconds: an unknown key's did-you-mean search); enough to choose the
#: MAX_FINDINGS most severe ones and to know there are more.
MAX_PER_CHECK = MAX_FINDINGS + 1


class Edit(FrozenValueRecord):
    """Replace ``[start, end)`` (offsets into the document text) with ``text``."""

    __slots__ = ("end", "start", "text")
    __match_args__ = ("start", "end", "text")

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)


class Fix(FrozenValueRecord):
    """Exact edits that repair a finding. ``safe`` fixes keep the file's meaning otherwise."""

    __slots__ = ("description", "edits", "safe")
    __match_args__ = ("description", "edits", "safe")

    description: str
    edits: tuple[Edit, ...]
    safe: bool

    def __init__(self, description: str, edits: tuple[Edit, ...], safe: bool = True) -> None:
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "edits", edits)
        object.__setattr__(self, "safe", safe)


class Finding(FrozenValueRecord):
    """One problem at ``[start, end)`` of a document, reported by rule ``code``."""

    __slots__ = ("code", "data", "end", "fix", "help", "message", "pointer", "severity", "start")
    __match_args__ = (
        "code",
        "message",
        "start",
        "end",
        "pointer",
        "fix",
        "severity",
        "help",
        "data",
    )

    code: str
    message: str
    start: int
    end: int
    pointer: str
    fix: Fix | None
    #: Overrides the rule's default severity when the same rule can be softer or harsher
    #: depending on context (e.g. an empty key is a warning remotely, info locally).
    severity: Severity | None
    help: str | None
    #: Extra structured data for front ends (never secrets).
    data: dict[str, object]

    def __init__(
        self,
        code: str,
        message: str,
        start: int,
        end: int,
        pointer: str = "",
        fix: Fix | None = None,
        severity: Severity | None = None,
        help: str | None = None,
        data: dict[str, object] | None = None,
    ) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "pointer", pointer)
        object.__setattr__(self, "fix", fix)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "help", help)
        object.__setattr__(self, "data", {} if data is None else data)
