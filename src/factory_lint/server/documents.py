"""Open documents: their text (kept in sync with the client) and what is known about them."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from factory_lint.findings import Finding
from factory_lint.server.analysis import Analysis, LintSetup
from factory_lint.text import SourceText


def uri_to_path(uri: str) -> Path | None:
    """The local path of a ``file:`` URI (None for ``untitled:`` and other schemes)."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        if parts.netloc:
            return Path(f"//{parts.netloc}{path}")
        if len(path) >= 3 and path[0] == "/" and path[2] == ":":
            path = path[1:]
    elif parts.netloc and parts.netloc != "localhost":
        return Path(f"//{parts.netloc}{path}")
    return Path(path)


@dataclass(slots=True)
class Change:
    """One content change: a range in (line, character) units, or the whole text."""

    text: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None


def apply_changes(
    text: str, changes: list[Change], encoding: str, source: SourceText | None = None
) -> str:
    """The text after the changes; ``source`` may hold the line table of ``text`` already."""
    for change in changes:
        if change.start is None or change.end is None:
            text = change.text
            source = None
            continue
        if source is None or source.text is not text:
            source = SourceText(text)
        start = source.offset_at(change.start[0], change.start[1], encoding)
        end = source.offset_at(change.end[0], change.end[1], encoding)
        if end < start:
            start, end = end, start
        text = text[:start] + change.text + text[end:]
        source = None
    return text


@dataclass(eq=False)
class OpenDocument:
    uri: str
    path: Path | None
    language_id: str
    version: int
    text: str
    #: The newest analysis (possibly of an older version while a lint is pending).
    analysis: Analysis | None = None
    setup: LintSetup | None = None
    setup_generation: int = -1
    lint_task: asyncio.Task[None] | None = None
    full_task: asyncio.Task[None] | None = None
    #: A full lint running for this version, shared by everyone who needs it.
    inflight: tuple[int, asyncio.Future[Analysis]] | None = None
    #: What was last pushed: the version and whether it held any diagnostics.
    published: tuple[int, bool] | None = None
    published_key: object = None
    #: "Probe this model" results for version ``probes_version``, by entry index (scrubbed
    #: findings, offsets into that version's text); dropped when the text changes.
    probes: dict[int, list[Finding]] = field(default_factory=dict)
    probes_version: int | None = None
    #: Bumped whenever ``probes`` changes (part of the published result's identity).
    probes_serial: int = 0
    _source: SourceText | None = field(default=None, repr=False)

    def source(self) -> SourceText:
        if self._source is None or self._source.text is not self.text:
            self._source = SourceText(self.text)
        return self._source

    def cached_source(self) -> SourceText | None:
        """The line table of the current text if it was computed already."""
        if self._source is not None and self._source.text is self.text:
            return self._source
        return None

    def source_for(self, analysis: Analysis) -> SourceText:
        if analysis.text is self.text:
            return self.source()
        return SourceText(analysis.text)

    def probe_findings(self, version: int | None) -> list[Finding]:
        """The probe findings that belong to ``version`` of the text (entry order)."""
        if not self.probes or version is None or self.probes_version != version:
            return []
        return [f for index in sorted(self.probes) for f in self.probes[index]]

    def drop_probes(self) -> None:
        if self.probes:
            self.probes = {}
            self.probes_serial += 1
        self.probes_version = None

    def current(self) -> Analysis | None:
        """The analysis of the current text, if there is one."""
        analysis = self.analysis
        if analysis is not None and analysis.version == self.version and analysis.text is self.text:
            return analysis
        return None
