"""Rule families. Importing this package registers every rule and checker."""

from factory_lint.rules import (
    agents_md,
    apikeys,
    baseurl,
    commands,
    droids,
    entries,
    hooks,
    leaks,
    markdown_names,
    mcp,
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
    "hooks",
    "leaks",
    "markdown_names",
    "mcp",
    "modelcat",
    "references",
    "skills",
    "structure",
    "styles",
    "syntax",
]
