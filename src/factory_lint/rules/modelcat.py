"""FL6xx: model ids checked against the model catalog of the endpoint the base URL points at:
unknown ids, families the endpoint does not serve, token limits, small models, deprecations.

The endpoint comes from the entry's base URL (:func:`factory_lint.catalog.endpoint_for_url`,
local servers also by port).  How sure a rule can be depends on the catalog: for a first-party
API that serves one vendor's models (Anthropic, OpenAI, Gemini, xAI, DeepSeek, Moonshot,
MiniMax, Z.ai) the model list is what LiteLLM, models.dev and the vendor docs know; for
aggregators, hosted and local servers it is a sample, so an id missing there is not reported
unless it is a near-certain misspelling of a listed one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping

from factory_lint.catalog import (
    PROVIDER_STYLES,
    Endpoint,
    ModelInfo,
    catalog_date,
    endpoint_by_id,
    endpoint_for_url,
    families_for,
    find_model,
    model_endpoints,
    model_family,
    model_list_complete,
    model_table,
    models_for,
    split_host_port,
)
from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix, Severity
from factory_lint.jsonc import Node
from factory_lint.lazy_re import lazy_compile
from factory_lint.memo import remember_short
from factory_lint.rules.registry import checker, rule

UNKNOWN_MODEL = rule(
    "FL601",
    "unknown-model",
    "warning",
    "catalog",
    "A model id that the endpoint's catalog does not list, with the closest ids it does list.",
    why="A catalog always lags the providers, so an id missing from it is usually a new "
    "model, not a mistake. It is a warning only when the endpoint's list in the catalog is "
    "complete (Anthropic, OpenAI, Gemini, xAI, DeepSeek: `complete_lists` in the catalog) and "
    "the id is a near miss of a listed one: the same words in another order "
    "(`claude-4-5-opus` for `claude-opus-4-5`), one word misspelt (`claude-sonet-4-5`), or the "
    "same version written differently (`gemini-3.0-pro-preview`); the API then rejects every "
    "request (model not found). A different number or an extra word (`-highspeed`) is another "
    "model, not a typo. Any other id missing from a complete list is an info naming the "
    "catalog's date (`factory-lint probe` checks it live); on coding-plan endpoints (Kimi, "
    "MiniMax, Z.ai), aggregators, hosted and local servers only a near miss or an id that "
    "differs from a listed one only in letter case or `.`/`-`/`_` separators is reported, as "
    "an info.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-4-5-opus",\n'
        '      "displayName": "Opus 4.5",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.anthropic.com",\n'
        '      "apiKey": "${ANTHROPIC_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the listed id the message names (unsafe fix); near misses are searched for the "
    "first 500 unknown ids of a file.",
    fixable="unsafe",
)
FAMILY_NOT_SERVED = rule(
    "FL602",
    "model-not-served",
    "error",
    "catalog",
    "A model of a family the endpoint does not serve: `gpt-5` on api.anthropic.com, "
    "`claude-…` on api.openai.com, `deepseek-…` on the Gemini API.",
    why="A vendor's own API serves only that vendor's models, so the request fails every time "
    "(404 `model_not_found`). Only first-party single-vendor APIs are checked; gateways and "
    "proxies (OpenRouter, LiteLLM, CLIProxyAPI…) are not. DeepSeek's Anthropic endpoint "
    "accepts `claude-*` names, and that is allowed.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.anthropic.com",\n'
        '      "apiKey": "${ANTHROPIC_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Point `baseUrl` (and `provider`) at the API that serves the model; the message names "
    "it when the catalog knows one.",
)
OUTPUT_ABOVE_LIMIT = rule(
    "FL603",
    "max-output-above-limit",
    "warning",
    "catalog",
    "`maxOutputTokens` (legacy `max_tokens`) above the most the model can generate.",
    why="Droid sends the value as the request's output limit. Anthropic, OpenAI and DeepSeek "
    "reject a limit above the model's maximum with 400 `invalid_request_error` (max_tokens "
    "too large); Ollama (local or ollama.com) caps it silently; other providers do one or "
    "the other. The limit is the most permissive one any catalog source gives. On local servers the limit is taken "
    "from hosted copies of the model, so the finding is an info there.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-sonnet-4-5",\n'
        '      "displayName": "Sonnet 4.5",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "https://api.anthropic.com",\n'
        '      "apiKey": "${ANTHROPIC_API_KEY}",\n'
        '      "maxOutputTokens": 200000\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Lower it to the model's limit (unsafe fix).",
    fixable="unsafe",
)
OUTPUT_TENFOLD = rule(
    "FL607",
    "max-output-tenfold",
    "warning",
    "catalog",
    "`maxOutputTokens` (legacy `max_tokens`) ten times or more what the model can generate "
    "(`1280000` for a 128,000-token model), wherever the entry points.",
    why="A value that large is a typo (a zero too many), not a choice. Anthropic, OpenAI and "
    "DeepSeek reject it (400); other providers cap it, so the setting silently does nothing. "
    "The limit is the entry's endpoint's, or, where the catalog does not know the endpoint "
    "(a proxy, a local server), the largest any catalogued provider gives for the same id. "
    "FL603 covers values above the limit but less than ten times it.",
    example='{ "customModels": [ { "model": "gpt-5.4", "provider": "generic-chat-completion-api", '
    '"baseUrl": "http://localhost:8317/v1", "maxOutputTokens": 1280000 } ] }',
    fix="Lower it to the model's limit (unsafe fix).",
    fixable="unsafe",
)
CONTEXT_ABOVE_WINDOW = rule(
    "FL604",
    "context-limit-above-window",
    "warning",
    "catalog",
    "`maxContextLimit` (legacy `max_context_limit`) above the model's context window.",
    why="Droid uses the value to decide when to compact the conversation. Above the model's "
    "real window, the conversation outgrows what the API accepts before Droid compacts, and "
    "requests fail with a context-length error. On local servers the window is taken from "
    "hosted copies of the model, so the finding is an info there.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-4o",\n'
        '      "displayName": "GPT-4o",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}",\n'
        '      "maxContextLimit": 1000000\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Lower it to the model's context window (unsafe fix).",
    fixable="unsafe",
)
SMALL_MODEL = rule(
    "FL605",
    "small-open-weight-model",
    "info",
    "catalog",
    "An open-weight model with fewer than 30 billion parameters in total.",
    why="Factory's BYOK guidance: models below 30B parameters \"have shown significantly lower "
    'performance on agentic coding tasks" and are not recommended for production. For '
    "mixture-of-experts models factory-lint compares the TOTAL parameter count, not the "
    "active one: Factory does not say which it means, its own examples are dense models, "
    "and the active count would also flag strong large MoE coders (gpt-oss-120b has 5.1B "
    "active, MiniMax-M2 10B). The message gives both counts. The size comes from the catalog, "
    "or from the id (`qwen2.5-coder:7b`, `Qwen3-Coder-30B-A3B`).",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "qwen2.5-coder:7b",\n'
        '      "displayName": "Qwen2.5 Coder 7B",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "http://localhost:11434/v1",\n'
        '      "apiKey": "ollama"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use a larger model for agentic work, or ignore the rule for models you keep for "
    "small tasks.",
)
DEPRECATED_MODEL = rule(
    "FL606",
    "deprecated-model",
    "warning",
    "catalog",
    "A model the endpoint has deprecated, with its shutdown date.",
    why="After the date the API rejects requests for the model. The date comes from the "
    "catalog's sources (LiteLLM's `deprecation_date`, models.dev, vendor docs) and is "
    "compared with today's date (`FACTORY_LINT_TODAY=YYYY-MM-DD` pins it): a date in the past "
    "says the model was retired and requests fail (warning); a future date says when "
    "(warning within 90 days, info before). The message lists catalogued ids of the same "
    "family that are not deprecated.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5-codex",\n'
        '      "displayName": "GPT-5 Codex",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Move to a current model before the date.",
)

#: Below this many billion parameters a model is "small" (Factory's BYOK guidance).
SMALL_MODEL_BILLIONS = 30.0
#: Families of proprietary models: a size in their name (``gemini-1.5-flash-8b``) does not
#: make them open-weight.
_CLOSED_FAMILIES = frozenset({"claude", "gemini", "gpt", "grok", "sonar", "command"})
#: ``7b``, ``1.5b``, ``480b-a35b`` as a whole token of the id's last segment.
_SIZE = lazy_compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)b(?:-a(\d+(?:\.\d+)?)b)?(?![a-z0-9])")
_SEPARATORS = lazy_compile(r"[._:\s-]+")
_FAMILY_NAMES = {
    "gpt": "GPT",
    "gpt-oss": "gpt-oss",
    "claude": "Claude",
    "gemini": "Gemini",
    "gemma": "Gemma",
    "grok": "Grok",
    "deepseek": "DeepSeek",
    "qwen": "Qwen",
    "llama": "Llama",
    "glm": "GLM",
    "kimi": "Kimi",
    "minimax": "MiniMax",
    "mistral": "Mistral",
    "nemotron": "Nemotron",
    "sonar": "Sonar",
    "phi": "Phi",
    "command": "Command",
}


class Target:
    """The endpoint an entry's requests go to, and how it was recognised."""

    # A plain class, not a dataclass: creating a dataclass costs about a millisecond of start-up.

    __slots__ = ("endpoint", "guessed", "host")

    def __init__(self, endpoint: Endpoint, host: str, guessed: bool) -> None:
        self.endpoint = endpoint
        #: the base URL's host name, lower case
        self.host = host
        #: recognised only by a local server's default port on a non-loopback host
        self.guessed = guessed


#: Did-you-mean searches per file: each compares the id with the endpoint's whole catalog
#: (~0.5 ms), so a file with more unknown ids gets the rest reported without suggestions.
SUGGESTION_BUDGET = 500


@checker
def check_models(context: LintContext) -> Iterator[Finding]:
    searches = 0
    base_url_field = context.field_name("baseUrl")
    limit_fields = (context.field_name("maxOutputTokens"), context.field_name("maxContextLimit"))
    for entry in context.models():
        model_node = entry.value_of("model")
        if model_node is None or not isinstance(model_node.value, str):
            continue
        model = model_node.value.strip()
        if not model or "${" in model:
            continue
        target = _target(entry, base_url_field)
        info = find_model(target.endpoint.id, model) if target is not None else None
        if target is not None and info is None:
            provider = (entry.string("provider") or "").lower().replace("_", "-")
            problem = _not_served(model_node, model, target, provider)
            if problem is None:
                problem = _unknown(model_node, model, target, searches < SUGGESTION_BUDGET)
                searches += 1
            if problem is not None:
                yield problem
        tenfold = _tenfold(entry, limit_fields[0], model, info)
        if tenfold is not None:
            yield tenfold
        if info is not None and target is not None:
            yield from _limits(entry, limit_fields, info, target, tenfold is None)
            deprecated = _deprecated(model_node, model, info, target)
            if deprecated is not None:
                yield deprecated
        small = _small(model_node, model, info)
        if small is not None:
            yield small


def _target(entry: Node, base_url_field: str) -> Target | None:
    if entry.get("bedrock") is not None:
        return None
    base_url = entry.string(base_url_field)
    if not base_url or "${" in base_url:
        return None
    return _url_target(base_url)


# The same few base URLs recur in file after file: the target of each is worked out once per
# process (a Target is never changed after it is made, so one object can serve every entry).
@remember_short(2048, 4096)
def _url_target(base_url: str) -> Target | None:
    """Where requests to ``base_url`` go; a pure function of the URL."""
    split = split_host_port(base_url)
    if split is None:
        return None
    host = split[0]
    endpoint = endpoint_for_url(base_url)
    if endpoint is not None:
        return Target(endpoint, host, False)
    endpoint = endpoint_for_url(base_url, guess_by_port=True)
    return Target(endpoint, host, True) if endpoint is not None else None


def single_vendor(endpoint: Endpoint) -> bool:
    """Whether the endpoint is a first-party API serving one vendor's models, so its catalog
    is complete enough to call an id unknown and a family foreign."""
    if endpoint.category != "first_party":
        return False
    own = families_for(endpoint.id) - endpoint.accepts_families
    return 0 < len(own) <= 2


def _name(endpoint: Endpoint) -> str:
    return endpoint.name.split(" (", 1)[0]


def _where(target: Target) -> str:
    """``api.anthropic.com (Anthropic)``, or the server's name for a local server."""
    name = _name(target.endpoint)
    if target.endpoint.is_local:
        return f"{name} (port {target.endpoint.local_port})"
    return f"{target.host} ({name})"


def _family_name(family: str) -> str:
    return _FAMILY_NAMES.get(family, family)


def _not_served(node: Node, model: str, target: Target, provider: str | None) -> Finding | None:
    endpoint = target.endpoint
    if target.guessed or not single_vendor(endpoint):
        return None
    family = model_family(model)
    served = families_for(endpoint.id)
    if family is None or family in served:
        return None
    own = sorted(served - endpoint.accepts_families)
    own_names = " and ".join(_family_name(f) for f in own)
    where = _elsewhere(model, provider)
    return Finding(
        FAMILY_NOT_SERVED.code,
        f'"{_clip(model)}" is a {_family_name(family)}-family model, but {_where(target)} '
        f"serves only {own_names} models: every request fails with 404 (model not found); "
        f"{where}",
        node.start,
        node.end,
        node.pointer,
    )


def _elsewhere(model: str, provider: str | None) -> str:
    """Where the catalog says the model is served (first-party APIs first), preferring the
    entry's own provider."""
    homes = [endpoint_by_id(e) for e in model_endpoints(model)]
    known = [e for e in homes if e is not None]
    family = model_family(model)
    # the vendor's own API first, then other first-party APIs, then the rest
    known.sort(
        key=lambda e: (
            not (single_vendor(e) and family in families_for(e.id)),
            e.category != "first_party",
            e.id,
        )
    )
    order = sorted(PROVIDER_STYLES.items(), key=lambda item: item[0] != provider)
    for endpoint in known:
        for provider_name, style in order:
            if endpoint.serves(style):
                base = endpoint.base_url_for(style)
                if base and "{" not in base:
                    return (
                        f'it is served by {_name(endpoint)}: provider "{provider_name}" with '
                        f"baseUrl {base}"
                    )
    return "point baseUrl at an API that serves it"


def _normal(model: str) -> str:
    return _SEPARATORS.sub("-", model.lower().rsplit("/", 1)[-1])


_SPELLINGS: dict[str, dict[str, list[str]]] = {}


def _spellings(endpoint_id: str, catalog: Iterable[str]) -> dict[str, list[str]]:
    """The endpoint's ids by their :func:`_normal` form (built once per endpoint)."""
    table = _SPELLINGS.get(endpoint_id)
    if table is None:
        table = {}
        for listed in catalog:
            table.setdefault(_normal(listed), []).append(listed)
        _SPELLINGS[endpoint_id] = table
    return table


def _unknown(node: Node, model: str, target: Target, suggest: bool = True) -> Finding | None:
    """FL601: a warning only for a near miss of a listed id on an endpoint whose list is
    complete; otherwise at most an info (a catalog always lags the providers)."""
    endpoint = target.endpoint
    catalog = model_table(endpoint.id)
    if not catalog or model_family(model) in endpoint.accepts_families:
        return None
    complete = model_list_complete(endpoint.id) and not target.guessed
    if endpoint.id == "gemini" and model.removeprefix("models/") in catalog:
        return None  # ``models/gemini-2.5-pro``: Google's own spelling of the same id
    same = _spellings(endpoint.id, catalog).get(_normal(model), [])
    severity: Severity | None = None
    if same:
        # The same name spelled differently: certain enough to offer the listed spelling.
        spelled = sorted(same, key=lambda s: (s.lower() != model.lower(), s))[0]
        case_only = spelled.lower() == model.lower()
        if case_only or not complete:
            severity = "info"
        what = "letter case" if case_only else "spelling"
        return Finding(
            UNKNOWN_MODEL.code,
            f'{_where(target)} lists this model as "{spelled}", not "{_clip(model)}" '
            f"(different {what}); model ids are usually matched exactly, so the API may "
            f'answer 404; did you mean "{spelled}"?',
            node.start,
            node.end,
            node.pointer,
            _replace(node, spelled),
            severity=severity,
        )
    miss = near_miss(model, catalog) if suggest else None
    if miss is not None:
        listed, how = miss
        if complete:
            effect = "the API rejects every request for an id it does not serve (model not found)"
        else:
            effect = "model ids are matched exactly, so the API may reject it (model not found)"
        return Finding(
            UNKNOWN_MODEL.code,
            f'"{_clip(model)}" is not a model id on {_where(target)} in factory-lint\'s '
            f'catalog of {catalog_date()}, but "{listed}" is ({how}): {effect}; did you '
            f'mean "{listed}"?',
            node.start,
            node.end,
            node.pointer,
            _replace(node, listed),
            severity=None if complete else "info",
        )
    if not complete:
        return None
    base = alias_base(model, catalog)
    if base is not None:
        return Finding(
            UNKNOWN_MODEL.code,
            f'"{_clip(model)}" is not listed for {_where(target)}, but looks like a dated '
            f"snapshot or `-latest` alias of {base}; check that the vendor still serves it",
            node.start,
            node.end,
            node.pointer,
            severity="info",
        )
    return Finding(
        UNKNOWN_MODEL.code,
        f'"{_clip(model)}" is not in factory-lint\'s model catalog of {catalog_date()} for '
        f"{_where(target)}; it may be newer than the catalog: `factory-lint probe` asks the "
        "server whether it serves it",
        node.start,
        node.end,
        node.pointer,
        severity="info",
    )


def _replace(node: Node, model_id: str) -> Fix:
    return Fix(
        f'Replace with "{model_id}"', (Edit(node.start, node.end, json.dumps(model_id)),), False
    )


_TOKEN = lazy_compile(r"[a-z]+|\d+")


def _tokens(model: str) -> list[str]:
    """Letter runs and digit runs of the id's last path segment, lower case, without a ``0``
    minor version (``3.0`` is ``3``): ``claude-4-5-opus`` -> ``claude 4 5 opus``."""
    tokens: list[str] = []
    for token in _TOKEN.findall(model.lower().rsplit("/", 1)[-1]):
        if token == "0" and tokens and tokens[-1].isdigit():
            continue
        tokens.append(token)
    return tokens


def near_miss(model: str, catalog: Iterable[str]) -> tuple[str, str] | None:
    """The listed id ``model`` is a typo of, and how it differs; None when there is none or
    more than one.

    A near miss has the same words and numbers as a listed id: in another order
    (``claude-4-5-opus`` for ``claude-opus-4-5``), or with one word misspelt by one or two
    letters (``claude-sonet-4-5``, ``cluade-opus-4-5``). A different number, or a word more or
    less (``-highspeed``, ``-thinking``), is another model, not a typo."""
    tokens = _tokens(model)
    if len(tokens) < 2:
        return None
    found: dict[str, str] = {}
    for listed in catalog:
        other = _tokens(listed)
        if len(other) != len(tokens):
            continue
        if other == tokens:
            found.setdefault(listed, "the same version written differently")
            continue
        if sorted(other) == sorted(tokens):
            found.setdefault(listed, "the same words in another order")
            continue
        diffs = [(a, b) for a, b in zip(tokens, other, strict=True) if a != b]
        if len(diffs) == 1:
            typed, meant = diffs[0]
            if typed.isalpha() and meant.isalpha() and _typo(typed, meant):
                found.setdefault(listed, f'"{meant}" misspelt as "{typed}"')
    if len(found) != 1:
        return None
    return next(iter(found.items()))


def _typo(typed: str, meant: str) -> bool:
    """One or two letters inserted, dropped, swapped or replaced in a word of 4+ letters."""
    if min(len(typed), len(meant)) < 4:
        return False
    import difflib  # for did-you-mean only

    if sorted(typed) == sorted(meant):
        return sum(a != b for a, b in zip(typed, meant, strict=False)) <= 2
    matcher = difflib.SequenceMatcher(None, typed, meant)
    changed = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    return changed <= (1 if len(meant) < 6 else 2)


_ALIAS_SUFFIX = lazy_compile(r"^(.+?)-(?:latest|\d{4}(?:-?\d{2}){1,2}|\d{4})$")


def alias_base(model: str, catalog: Mapping[str, ModelInfo]) -> str | None:
    """What ``model`` is a dated snapshot or ``-latest`` alias of, for a message:
    ``"grok-4"`` for ``grok-4-0709``, ``the "claude-3-7-sonnet-…" models`` for
    ``claude-3-7-sonnet-latest``; None when it is not such an alias of a catalogued id."""
    match = _ALIAS_SUFFIX.match(model)
    if match is None:
        return None
    base = match.group(1)
    if base in catalog:
        return f'"{base}"'
    if any(k.startswith(base + "-") for k in catalog):
        return f'the "{base}-…" models'
    return None


#: Below this many output tokens no catalog search is made for FL607 (10x the smallest limit).
_TENFOLD_FLOOR = 10 * 4096


def _tenfold(entry: Node, name: str, model: str, info: ModelInfo | None) -> Finding | None:
    """FL607: an output limit ten times (or more) what the model can generate anywhere."""
    node = entry.value_of(name)
    if node is None or node.type != "number":
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < _TENFOLD_FLOOR:
        return None
    limit = info.max_output_tokens if info is not None else None
    where = " there"
    if limit is None:
        where = " (the most any catalogued provider allows)"
        limits = [
            found.max_output_tokens
            for endpoint_id in model_endpoints(model)
            if (found := find_model(endpoint_id, model)) is not None and found.max_output_tokens
        ]
        limit = max(limits) if limits else None
    if limit is None or value < 10 * limit:
        return None
    return Finding(
        OUTPUT_TENFOLD.code,
        f"`{name}` is {_number(value)}, {value / limit:.0f} times the {limit:,} output tokens "
        f"{_clip(model)} can generate{where}: likely a zero too many; use {limit} or less",
        node.start,
        node.end,
        node.pointer,
        Fix(f"Replace with {limit}", (Edit(node.start, node.end, str(limit)),), False),
    )


def _limits(
    entry: Node,
    names: tuple[str, str],
    info: ModelInfo,
    target: Target,
    check_output: bool = True,
) -> Iterator[Finding]:
    """``names``: this file's spellings of ``maxOutputTokens`` and ``maxContextLimit``;
    ``check_output`` False when FL607 already reported the output limit."""
    checks = (
        (
            names[0],
            info.max_output_tokens if check_output else None,
            OUTPUT_ABOVE_LIMIT.code,
            "output tokens",
        ),
        (names[1], info.context_window, CONTEXT_ABOVE_WINDOW.code, "tokens of context"),
    )
    for name, limit, code, unit in checks:
        if limit is None:
            continue
        node = entry.value_of(name)
        if node is None or node.type != "number":
            continue
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= limit:
            continue
        local = target.endpoint.is_local or target.guessed
        if local:
            effect = (
                "that is the limit of hosted copies of the model; a local server may accept "
                "the value but cannot use more than the model supports"
            )
        elif code == OUTPUT_ABOVE_LIMIT.code:
            effect = output_limit_effect(target.endpoint.id)
        else:
            effect = (
                "the conversation can outgrow the model's window before Droid compacts it, and "
                "requests then fail with a context-length error"
            )
        yield Finding(
            code,
            f"`{name}` is {_number(value)}, but {info.id} on {_where(target)} allows at "
            f"most {limit:,} {unit}: {effect}; use {limit} or less",
            node.start,
            node.end,
            node.pointer,
            Fix(f"Replace with {limit}", (Edit(node.start, node.end, str(limit)),), False),
            severity="info" if local else None,
        )


#: Endpoints documented to answer 400 to an output limit above the model's maximum.
_REJECTS_OUTPUT_ABOVE_LIMIT = frozenset({"anthropic", "openai", "deepseek"})
#: Endpoints that run Ollama, which caps the output limit silently (``num_predict``).
_OLLAMA = frozenset({"ollama", "ollama-cloud"})


def output_limit_effect(endpoint_id: str) -> str:
    """What the endpoint does with an output limit above the model's maximum."""
    if endpoint_id in _REJECTS_OUTPUT_ABOVE_LIMIT:
        return "the API rejects requests whose output limit is above that (400)"
    if endpoint_id in _OLLAMA:
        return (
            "Ollama does not reject it, it stops at what the model can generate, so the value "
            "has no effect above that"
        )
    return (
        "depending on the provider the request is rejected (400) or the value is capped, so "
        "it has no effect above that"
    )


#: A retirement further away than this many days is an info, not a warning.
_SOON_DAYS = 90


def _deprecated(node: Node, model: str, info: ModelInfo, target: Target) -> Finding | None:
    date = info.retired or info.deprecated
    if not date:
        return None
    from factory_lint.clock import today

    now = today()
    newer = successors(info)
    hint = ""
    if newer:
        hint = "; newer catalogued models of the same line: " + ", ".join(f'"{m}"' for m in newer)
    severity: Severity | None = None
    try:
        days = (_iso_date(date) - now).days
    except ValueError:
        days = None
    if days is not None and days <= 0:
        message = (
            f'"{_clip(model)}" was retired on {_where(target)} on {date}: requests for it '
            f"fail{hint}"
        )
    else:
        when = f"on {date}" if days is None else f"on {date} (in {days} days)"
        message = (
            f'"{_clip(model)}" is deprecated on {_where(target)} and will be retired {when}: '
            f"from then requests for it fail{hint}"
        )
        if days is not None and days > _SOON_DAYS:
            severity = "info"
    return Finding(
        DEPRECATED_MODEL.code, message, node.start, node.end, node.pointer, severity=severity
    )


def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


_VERSION_RUN = lazy_compile(r"\d+(?:[.\-p]\d+)*")
#: A dated snapshot (``gpt-5-2025-08-07``, ``…-0825``): the same model, not a successor.
_DATED = lazy_compile(r"\d{4}")


def successors(info: ModelInfo, n: int = 3) -> list[str]:
    """Up to ``n`` ids on the same endpoint of the same line (the id with its numbers masked:
    ``claude-sonnet-#``, ``gpt-#-codex``) with a higher version, not deprecated, newest first.
    """
    line = _VERSION_RUN.sub("#", info.id.lower())
    version = _version(info.id)
    found: list[tuple[tuple[int, ...], str]] = []
    for key, other in models_for(info.endpoint).items():
        if key != other.id or other.deprecated or other.retired or other.id == info.id:
            continue
        if _VERSION_RUN.sub("#", other.id.lower()) != line or _DATED.search(other.id):
            continue
        if name_size(other.id) != name_size(info.id):
            continue  # another size of the model, not a newer version
        other_version = _version(other.id)
        if other_version > version:
            found.append((other_version, other.id))
    found.sort(reverse=True)
    return [model_id for _, model_id in found[:n]]


def _version(model_id: str) -> tuple[int, ...]:
    return tuple(int(d) for d in re.findall(r"\d+", model_id))


def _small(node: Node, model: str, info: ModelInfo | None) -> Finding | None:
    total: float | None = None
    active: float | None = None
    if info is not None:
        if info.open_weights is False:
            return None
        total, active = info.params_total, info.params_active
    if total is None:
        family = info.family if info is not None else model_family(model)
        if family in _CLOSED_FAMILIES:
            return None
        total, active = name_size(model)
    if total is None or total >= SMALL_MODEL_BILLIONS:
        return None
    if active is not None and active < total:
        size = (
            f"{_billions(total)} parameters in total ({_billions(active)} active per token: a "
            "mixture-of-experts model; factory-lint compares the total)"
        )
    else:
        size = f"{_billions(total)} parameters"
    return Finding(
        SMALL_MODEL.code,
        f'"{_clip(model)}" has about {size}; Factory\'s guidance is that models under 30B '
        'parameters "have shown significantly lower performance on agentic coding tasks"',
        node.start,
        node.end,
        node.pointer,
    )


def name_size(model: str) -> tuple[float | None, float | None]:
    """``(total, active)`` billions spelled in a model id (``qwen3:8b``, ``…-30B-A3B-…``)."""
    match = _SIZE.search(model.lower().rsplit("/", 1)[-1])
    if match is None:
        return None, None
    total = float(match.group(1))
    active = float(match.group(2)) if match.group(2) else None
    return total, active


def _billions(value: float) -> str:
    return f"{value:g}B"


def _number(value: float) -> str:
    return f"{value:,}"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
