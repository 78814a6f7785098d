"""Rule families. Importing this package registers every rule and checker."""

from factory_lint.rules import apikeys, entries, structure, syntax

__all__ = ["apikeys", "entries", "structure", "syntax"]
