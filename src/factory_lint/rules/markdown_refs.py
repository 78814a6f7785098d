"""What a droid's `model` and `mcpServers` may name: built-in models, the custom models and MCP
servers of the Droid files around it (``FileInfo.related``, read by the runner)."""

from __future__ import annotations

from difflib import get_close_matches

from factory_lint.catalog import factory_builtin_models
from factory_lint.context import LintContext
from factory_lint.jsonc import parse
from factory_lint.rules.references import CustomModel, related_models, resolve

#: Claude Code's model aliases (a droid imported from Claude Code keeps them).
_CLAUDE_ALIASES = frozenset({"sonnet", "opus", "haiku"})


def _models_around(context: LintContext) -> list[CustomModel] | None:
    """The custom models Droid loads for this file's folder, or None when the file's place is
    unknown (stdin, an unsaved editor buffer)."""
    if not context.info.path or context.info.scope == "unknown":
        return None
    models: list[CustomModel] = []
    for related in context.info.related:
        models.extend(m for m in related_models(related) if m.skipped is None)
    return models


def _fallbacks_around(context: LintContext) -> set[str]:
    """Models that a settings file's ``modelFallbacks`` maps to another model."""
    found: set[str] = set()
    for related in context.info.related:
        if related.name not in ("settings.json", "settings.local.json"):
            continue
        root = parse(related.text).root
        node = root.value_of("modelFallbacks") if root and root.type == "object" else None
        if node is not None and node.type == "object":
            found.update(member.key for member in node.members)
    return found


def model_problem(context: LintContext, model: str) -> tuple[str, str | None] | None:
    """Why Droid cannot use ``model`` for a droid (and a replacement), or None."""
    if not model or model == "inherit":
        return None
    builtin = factory_builtin_models()
    if model in builtin:
        return None
    consequence = "Droid runs the droid on the session's model (`inherit`) instead"
    if model.startswith("custom:"):
        models = _models_around(context)
        if models is None or model in {m.id for m in models}:
            return None
        if model in _fallbacks_around(context):
            return None
        meant = resolve(model, models)
        if meant is not None:
            return (
                f"`{model}` is not the id of a custom model (Droid compares droid models with "
                f"ids exactly); the model it names has the id `{meant.id}`: use that. Otherwise "
                f"{consequence}",
                meant.id,
            )
        where = (
            "the settings files Droid reads for this folder"
            if context.info.scope == "project"
            else "~/.factory settings"
        )
        return (
            f"no custom model with the id `{model}` in {where}, so {consequence}; use an id "
            "from `/model` or `inherit`",
            None,
        )
    if model in _fallbacks_around(context):
        return None
    lowered = model.lower()
    same = [b for b in builtin if b.lower() == lowered]
    if same:
        return (f"`{model}` is not a model id (ids are case-sensitive): use `{same[0]}`", same[0])
    if lowered in _CLAUDE_ALIASES:
        family = sorted(b for b in builtin if lowered in b)
        hint = f" such as `{family[-1]}`" if family else ""
        return (
            f"`{model}` is Claude Code's model alias, not a Droid model id, so {consequence}; "
            f"use a model id{hint} or `inherit`",
            None,
        )
    close = get_close_matches(model, sorted(builtin), n=1, cutoff=0.75)
    hint = f"; did you mean `{close[0]}`?" if close else "; use an id from `/model` or `inherit`"
    return (f"`{model}` is not a Droid model id, so {consequence}{hint}", None)


def known_mcp_servers(context: LintContext) -> set[str] | None:
    """The MCP server names of the mcp.json files Droid reads for a project file, or None when
    that cannot be known (no path, or a user-level file: which project it runs in decides)."""
    if not context.info.path or context.info.scope != "project":
        return None
    names: set[str] = set()
    for related in context.info.related:
        if related.name != "mcp.json":
            continue
        root = parse(related.text).root
        servers = root.value_of("mcpServers") if root and root.type == "object" else None
        if servers is not None and servers.type == "object":
            names.update(member.key for member in servers.members)
    return names
