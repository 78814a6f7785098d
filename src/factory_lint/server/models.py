"""The custom models a document defines (and sees), with the ids other settings use for them.

A thin layer over :mod:`factory_lint.rules.references`, so the server and FL7xx agree on what
a ``custom:`` id means.
"""

from __future__ import annotations

from dataclasses import dataclass

from factory_lint.context import FileInfo
from factory_lint.jsonc import Node
from factory_lint.kinds import Kind
from factory_lint.rules import references

THIS_FILE = "this file"


@dataclass(frozen=True, slots=True)
class Entry:
    """One custom model entry of the document, by its fields (None when absent)."""

    node: Node
    model: str | None
    provider: str | None
    base_url: str | None
    display_name: str | None


def models_key(kind: Kind) -> str:
    return "customModels" if kind == "settings" else "custom_models"


def entry_fields(node: Node, kind: Kind) -> Entry:
    base_url = node.string("baseUrl" if kind == "settings" else "base_url")
    display = node.string("displayName" if kind == "settings" else "model_display_name")
    return Entry(node, node.string("model"), node.string("provider"), base_url, display)


def entries(root: Node | None, kind: Kind) -> list[Node]:
    """The object entries of the document's model list."""
    if root is None or root.type != "object":
        return []
    array = root.value_of(models_key(kind))
    if array is None or array.type != "array":
        return []
    return [item for item in array.items if item.type == "object"]


def visible_models(root: Node | None, kind: Kind, info: FileInfo) -> list[references.CustomModel]:
    """This file's models, then those of the Droid files Droid merges with it."""
    found = references.load_models(root, kind, THIS_FILE, own=True)
    for related in info.related:
        try:
            found.extend(references.related_models(related))
        except Exception:
            continue
    return found


def resolve(reference: str, models: list[references.CustomModel]) -> references.CustomModel | None:
    return references.resolve(reference, models)
