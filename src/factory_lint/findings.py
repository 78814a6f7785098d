"""Plain data that the rules produce and every front end renders."""

from __future__ import annotations

from typing import Literal

from factory_lint.records import frozen_delattr, frozen_setattr

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


class Edit:
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

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, text={self.text!r})"
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    __setattr__ = frozen_setattr
    __delattr__ = frozen_delattr

    def __reduce__(self) -> tuple[type[Edit], tuple[object, ...]]:
        return (Edit, (self.start, self.end, self.text))


class Fix:
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

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(description={self.description!r}, edits={self.edits!r}, safe={self.safe!r})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.description, self.edits, self.safe) == (
            other.description,
            other.edits,
            other.safe,
        )

    def __hash__(self) -> int:
        return hash((self.description, self.edits, self.safe))

    __setattr__ = frozen_setattr
    __delattr__ = frozen_delattr

    def __reduce__(self) -> tuple[type[Fix], tuple[object, ...]]:
        return (Fix, (self.description, self.edits, self.safe))


class Finding:
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

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}(code={self.code!r}, message={self.message!r}, start={self.start!r}, end={self.end!r}, pointer={self.pointer!r}, fix={self.fix!r}, severity={self.severity!r}, help={self.help!r}, data={self.data!r})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (
            self.code,
            self.message,
            self.start,
            self.end,
            self.pointer,
            self.fix,
            self.severity,
            self.help,
            self.data,
        ) == (
            other.code,
            other.message,
            other.start,
            other.end,
            other.pointer,
            other.fix,
            other.severity,
            other.help,
            other.data,
        )

    def __hash__(self) -> int:
        return hash(
            (
                self.code,
                self.message,
                self.start,
                self.end,
                self.pointer,
                self.fix,
                self.severity,
                self.help,
                self.data,
            )
        )

    __setattr__ = frozen_setattr
    __delattr__ = frozen_delattr

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        return (
            Finding,
            (
                self.code,
                self.message,
                self.start,
                self.end,
                self.pointer,
                self.fix,
                self.severity,
                self.help,
                self.data,
            ),
        )
