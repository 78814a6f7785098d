"""Document symbols: one per custom model, for outlines and breadcrumbs."""

from __future__ import annotations

from lsprotocol import types

from factory_lint.engine import scrub
from factory_lint.jsonc import Node
from factory_lint.kinds import Kind
from factory_lint.server.convert import Positions
from factory_lint.server.models import entries, entry_fields


def _name(node: Node, kind: Kind, index: int) -> tuple[str, Node | None]:
    fields = entry_fields(node, kind)
    display_key = "displayName" if kind == "settings" else "model_display_name"
    if fields.display_name:
        return fields.display_name, node.value_of(display_key)
    if fields.model:
        return fields.model, node.value_of("model")
    return f"custom model {index}", None


def document_symbols(
    root: Node | None, kind: Kind, positions: Positions
) -> list[types.DocumentSymbol]:
    symbols = []
    for index, node in enumerate(entries(root, kind)):
        fields = entry_fields(node, kind)
        name, anchor = _name(node, kind, index)
        detail = " · ".join(p for p in (fields.model, fields.provider) if p)
        anchor_range = (
            positions.range(anchor.start, anchor.end)
            if anchor is not None
            else positions.range(node.start, min(node.end, node.start + 1))
        )
        symbols.append(
            types.DocumentSymbol(
                # Masked where a name looks like a key: outlines are shown, not edited.
                name=scrub(name, []) or f"custom model {index}",
                detail=scrub(detail, []) or None,
                kind=types.SymbolKind.Object,
                range=positions.range(node.start, node.end),
                selection_range=anchor_range,
            )
        )
    return symbols


def symbol_information(
    root: Node | None, kind: Kind, positions: Positions, uri: str
) -> list[types.SymbolInformation]:
    """The flat form, for clients without hierarchical document symbols."""
    return [
        types.SymbolInformation(
            name=symbol.name + (f" ({symbol.detail})" if symbol.detail else ""),
            kind=symbol.kind,
            location=types.Location(uri=uri, range=symbol.range),
            container_name="customModels" if kind == "settings" else "custom_models",
        )
        for symbol in document_symbols(root, kind, positions)
    ]
