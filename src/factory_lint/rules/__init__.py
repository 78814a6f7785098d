"""Rule families. Importing this package registers every rule and checker."""

from factory_lint.rules import (
    apikeys,
    baseurl,
    entries,
    leaks,
    modelcat,
    references,
    structure,
    syntax,
)

__all__ = [
    "apikeys",
    "baseurl",
    "entries",
    "leaks",
    "modelcat",
    "references",
    "structure",
    "syntax",
]
