"""Plain data that the rules produce and every front end renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` (offsets into the document text) with ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """Exact edits that repair a finding. ``safe`` fixes keep the file's meaning otherwise."""

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at ``[start, end)`` of a document, reported by rule ``code``."""

    code: str
    message: str
    start: int
    end: int
    pointer: str = ""
    fix: Fix | None = None
    #: Overrides the rule's default severity when the same rule can be softer or harsher
    #: depending on context (e.g. an empty key is a warning remotely, info locally).
    severity: Severity | None = None
    help: str | None = None
    #: Extra structured data for front ends (never secrets).
    data: dict[str, object] = field(default_factory=dict)
