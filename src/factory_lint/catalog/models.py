"""The model catalog: model ids per endpoint with limits, parameter counts and dates."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from factory_lint.catalog._data import load_json, load_part
from factory_lint.catalog.endpoints import endpoint_by_id
from factory_lint.lazy_re import lazy_compile
from factory_lint.records import FrozenValueRecord

#: Endpoints whose model ids may carry a ``:variant`` suffix (OpenRouter ``:free``,
#: Hugging Face ``:provider``) on top of a catalogued id.
_SUFFIX_ENDPOINTS = frozenset({"openrouter", "huggingface"})
_OLLAMA_CLOUD_TAG = lazy_compile(r"[-:]cloud$")


class ModelInfo(FrozenValueRecord):
    """What the catalog knows about one model id on one endpoint.

    Limits are the most permissive value any source gives (so a rule built on them never
    flags a value that some source allows); None means unknown.  Parameter counts are in
    billions; ``params_active`` is set for mixture-of-experts models only.
    """

    __slots__ = (
        "aliases",
        "context_window",
        "deprecated",
        "endpoint",
        "family",
        "id",
        "limits_inferred",
        "max_output_tokens",
        "open_weights",
        "params_active",
        "params_confidence",
        "params_source",
        "params_total",
        "retired",
        "source",
    )
    __match_args__ = (
        "id",
        "endpoint",
        "family",
        "max_output_tokens",
        "context_window",
        "params_total",
        "params_active",
        "open_weights",
        "deprecated",
        "retired",
        "source",
        "aliases",
        "params_source",
        "params_confidence",
        "limits_inferred",
    )

    id: str
    endpoint: str
    family: str | None
    max_output_tokens: int | None
    context_window: int | None
    params_total: float | None
    params_active: float | None
    #: True / False when a source (or the family) says so, None when unknown
    open_weights: bool | None
    #: deprecation / shutdown date (YYYY-MM-DD) as the source gives it
    deprecated: str | None
    #: retirement date (YYYY-MM-DD) when a source gives one separately
    retired: str | None
    source: str
    aliases: tuple[str, ...]
    params_source: str | None
    params_confidence: str | None
    #: True when the limits are copied from the upstream model (aggregators)
    limits_inferred: bool

    def __init__(
        self,
        id: str,
        endpoint: str,
        family: str | None,
        max_output_tokens: int | None,
        context_window: int | None,
        params_total: float | None,
        params_active: float | None,
        open_weights: bool | None,
        deprecated: str | None,
        retired: str | None,
        source: str,
        aliases: tuple[str, ...] = (),
        params_source: str | None = None,
        params_confidence: str | None = None,
        limits_inferred: bool = False,
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "endpoint", endpoint)
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "max_output_tokens", max_output_tokens)
        object.__setattr__(self, "context_window", context_window)
        object.__setattr__(self, "params_total", params_total)
        object.__setattr__(self, "params_active", params_active)
        object.__setattr__(self, "open_weights", open_weights)
        object.__setattr__(self, "deprecated", deprecated)
        object.__setattr__(self, "retired", retired)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "aliases", aliases)
        object.__setattr__(self, "params_source", params_source)
        object.__setattr__(self, "params_confidence", params_confidence)
        object.__setattr__(self, "limits_inferred", limits_inferred)


def _as_float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def _as_int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) else None


def _model_info(endpoint: str, model_id: str, raw: Mapping[str, Any]) -> ModelInfo:
    return ModelInfo(
        id=model_id,
        endpoint=endpoint,
        family=raw.get("family"),
        max_output_tokens=_as_int(raw.get("max_output_tokens")),
        context_window=_as_int(raw.get("context_window")),
        params_total=_as_float(raw.get("params_total")),
        params_active=_as_float(raw.get("params_active")),
        open_weights=raw.get("open_weights"),
        deprecated=raw.get("deprecated"),
        retired=raw.get("retired"),
        source=str(raw.get("source", "")),
        aliases=tuple(raw.get("aliases", ())),
        params_source=raw.get("params_source"),
        params_confidence=raw.get("params_confidence"),
        limits_inferred=bool(raw.get("limits_inferred", False)),
    )


class _ModelTable(Mapping[str, ModelInfo]):
    """Model id or alias -> ModelInfo for one endpoint, read-only. An entry's ModelInfo is made
    on first lookup (a file names a few models of an endpoint that lists hundreds), and the
    same object is returned for the id and its aliases from then on."""

    __slots__ = ("_endpoint", "_ids", "_made", "_raw")

    def __init__(self, endpoint: str, raw: Mapping[str, Mapping[str, Any]]) -> None:
        self._endpoint = endpoint
        self._raw = raw
        #: id or alias -> model id; the ids first, then the aliases (an alias never hides an id)
        ids = {model_id: model_id for model_id in raw}
        for model_id, record in raw.items():
            for alias in record.get("aliases", ()):
                ids.setdefault(alias, model_id)
        self._ids = ids
        self._made: dict[str, ModelInfo] = {}

    def __getitem__(self, key: str) -> ModelInfo:
        return self._info(self._ids[key])

    def get(self, key: str, default: Any = None) -> Any:
        # One dict lookup, not Mapping.get's __contains__ + __getitem__ (two Python calls).
        model_id = self._ids.get(key)
        return default if model_id is None else self._info(model_id)

    def _info(self, model_id: str) -> ModelInfo:
        info = self._made.get(model_id)
        if info is None:
            info = self._made[model_id] = _model_info(self._endpoint, model_id, self._raw[model_id])
        return info

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return f"<models of {self._endpoint}: {len(self._ids)} ids and aliases>"


@functools.cache
def _table(endpoint: str) -> Mapping[str, ModelInfo] | None:
    """Model id or alias -> ModelInfo for one endpoint (None when the catalog has none); built
    on first use, so linting a file reads only the endpoints it names."""
    models = load_part("models.json", "endpoints", endpoint)
    if models is None:
        return None
    return _ModelTable(endpoint, models)


@functools.cache
def _tables() -> Mapping[str, Mapping[str, ModelInfo]]:
    """endpoint id -> (model id or alias -> ModelInfo)."""
    out: dict[str, Mapping[str, ModelInfo]] = {}
    for endpoint in load_json("models.json")["endpoints"]:
        table = _table(endpoint)
        if table is not None:
            out[endpoint] = table
    return MappingProxyType(out)


def models_for(endpoint_id: str) -> dict[str, ModelInfo]:
    """Model id -> info for one endpoint (aliases included as keys; empty if none known).

    The catalog lists every id the sources know for first-party APIs; for aggregators, local
    servers and gateways it is a sample, so absence there means "not known", not "invalid".
    """
    return dict(_table(endpoint_id) or {})


def model_table(endpoint_id: str) -> Mapping[str, ModelInfo]:
    """:func:`models_for` without the copy (read-only; each entry is made on first access):
    for rules that look up or scan ids once per model of a file."""
    return _table(endpoint_id) or _EMPTY


_EMPTY: Mapping[str, ModelInfo] = MappingProxyType({})


def find_model(endpoint_id: str, model_id: str) -> ModelInfo | None:
    """The catalog entry for ``model_id`` on ``endpoint_id``, or None.

    Exact, case-sensitive ids and aliases (``claude-sonnet-4-5-20250929``).  Also: an
    OpenRouter / Hugging Face id with a ``:variant`` suffix falls back to the base id; on
    Ollama ``:latest`` is dropped, and a ``-cloud`` / ``:cloud`` tag falls back to the
    Ollama Cloud entry (whose ``endpoint`` is then ``ollama-cloud``).
    """
    if len(model_id) <= _MEMO_MAX_LENGTH:
        return _find_model_memo(endpoint_id, model_id)
    return _find_model(endpoint_id, model_id)


def _find_model(endpoint_id: str, model_id: str) -> ModelInfo | None:
    table = _table(endpoint_id)
    if not table:
        return None
    found = table.get(model_id)
    if found is not None:
        return found
    if endpoint_id in _SUFFIX_ENDPOINTS and ":" in model_id:
        return table.get(model_id.rsplit(":", 1)[0])
    if endpoint_id == "ollama":
        if model_id.endswith(":latest"):
            return table.get(model_id[: -len(":latest")])
        if _OLLAMA_CLOUD_TAG.search(model_id):
            cloud = _table("ollama-cloud") or {}
            return cloud.get(_OLLAMA_CLOUD_TAG.sub("", model_id))
    return None


#: The same model ids recur in file after file and the catalog never changes, so each lookup is
#: made once per process; longer ids are not kept in memory.
_MEMO_MAX_LENGTH = 256
_find_model_memo = functools.lru_cache(maxsize=8192)(_find_model)


@functools.cache
def all_models() -> tuple[ModelInfo, ...]:
    """Every catalogued model (aliases not repeated), sorted by endpoint then id."""
    out: list[ModelInfo] = []
    for endpoint in sorted(_tables()):
        table = _tables()[endpoint]
        out.extend(table[k] for k in sorted(table) if table[k].id == k)
    return tuple(out)


def model_endpoints(model_id: str) -> tuple[str, ...]:
    """Ids of the endpoints whose catalog lists ``model_id`` exactly (or as an alias)."""
    return tuple(e for e, table in sorted(_tables().items()) if model_id in table)


@functools.cache
def _family_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rules = load_part("models.json", "family_rules")
    return tuple((str(family), lazy_compile(str(regex))) for family, regex in rules)


def model_family(model_id: str) -> str | None:
    """The family of any model id, known or not (``gpt-5`` -> ``gpt``, ``qwen3-coder:30b`` ->
    ``qwen``), from the catalog's family rules applied to the last path segment."""
    last = model_id.lower().rsplit("/", 1)[-1]
    for family, pattern in _family_rules():
        if pattern.search(last):
            return family
    return None


@functools.cache
def families_for(endpoint_id: str) -> frozenset[str]:
    """Model families an endpoint is known to serve (empty when nothing is known)."""
    families = {m.family for m in (_table(endpoint_id) or {}).values() if m.family}
    endpoint = endpoint_by_id(endpoint_id)
    if endpoint is not None:
        families |= endpoint.accepts_families
    return frozenset(families)


@functools.cache
def factory_builtin_models() -> frozenset[str]:
    """Factory-managed model ids (Droid's built-in models; not ``customModels`` ids)."""
    return frozenset(str(m) for m in load_part("models.json", "factory_builtin", "ids"))


def suggest_models(endpoint_id: str, model_id: str, n: int = 3) -> list[str]:
    """Up to ``n`` catalogued ids on ``endpoint_id`` close to ``model_id`` (did you mean).

    Case-insensitive; an id that differs only in case comes first.  Vendor prefixes are
    compared both with and without the ``vendor/`` part, so ``anthropic/claude-sonnet-4.5``
    finds ``claude-sonnet-4-5`` on the Anthropic API.
    """
    from difflib import SequenceMatcher

    table = _table(endpoint_id)
    if not table or n <= 0:
        return []
    query = model_id.strip().lower()
    query_last = query.rsplit("/", 1)[-1]
    scored: list[tuple[float, str]] = []
    matcher = SequenceMatcher(autojunk=False)
    last_matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(query)
    last_matcher.set_seq2(query_last)
    for candidate in table:
        if candidate == model_id:
            continue
        low = candidate.lower()
        if low == query:
            scored.append((2.0, candidate))
            continue
        matcher.set_seq1(low)
        # ratio() is the costly step: the two cheap upper bounds rule out most candidates.
        score = 0.0
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            score = matcher.ratio()
        low_last = low.rsplit("/", 1)[-1]
        if low_last != low or query_last != query:
            last_matcher.set_seq1(low_last)
            if last_matcher.real_quick_ratio() >= 0.6 and last_matcher.quick_ratio() >= 0.6:
                score = max(score, 0.95 * last_matcher.ratio())
        if score >= 0.6:
            scored.append((score, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    out: list[str] = []
    for _, candidate in scored:
        if candidate not in out:
            out.append(candidate)
        if len(out) >= n:
            break
    return out


def catalog_date() -> str:
    """The date the packaged catalog was built (``YYYY-MM-DD``): model ids newer than it may be
    missing from it."""
    meta = load_part("models.json", "catalog") or {}
    return str(meta.get("date", "unknown"))


def model_list_complete(endpoint_id: str) -> bool:
    """Whether the catalog lists every model id the endpoint serves (as of
    :func:`catalog_date`), so that an id missing from it is likely a mistake; False for
    coding-plan endpoints, aggregators, hosted and local servers, whose lists lag or are
    samples."""
    meta = load_part("models.json", "catalog") or {}
    return endpoint_id in (meta.get("complete_lists") or {})


def catalog_sources() -> tuple[str, ...]:
    """What the packaged catalog was built from (LiteLLM release, reference files, provider
    lists), one short line each."""
    meta = load_part("models.json", "catalog") or {}
    return tuple(str(line) for line in meta.get("sources", ()))
