"""Markdown files with optional YAML frontmatter (droids, skills, commands, output styles,
AGENTS.md).

The frontmatter parser with positions belongs to the Markdown kinds' rule families; until it
lands a Markdown file parses to a document with no tree, so that no JSON rule sees it.
"""

from __future__ import annotations

from factory_lint.jsonc import Document


def parse_markdown(text: str) -> Document:
    """The document of a Markdown file: no JSON tree, no syntax problems."""
    del text
    return Document(None, [], [])
