"""Rule families. Importing this package registers every rule and checker."""

from factory_lint.rules import (
    agents_md,
    apikeys,
    baseurl,
    commands,
    droids,
    entries,
    leaks,
    markdown_names,
    modelcat,
    references,
    skills,
    structure,
    styles,
    syntax,
)

__all__ = [
    "agents_md",
    "apikeys",
    "baseurl",
    "commands",
    "droids",
    "entries",
    "leaks",
    "markdown_names",
    "modelcat",
    "references",
    "skills",
    "structure",
    "styles",
    "syntax",
]
