"""What the server knows about endpoints, models and keys: a thin, failure-proof view of
:mod:`factory_lint.catalog`.

The catalog is optional at run time: when it is missing or broken every function here answers
"unknown" (None or empty), and completions and hovers fall back to the JSON Schema.
"""

from __future__ import annotations

import importlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import ModuleType
from typing import Any

from factory_lint.urls import split_url

log = logging.getLogger("factory_lint.server")

#: Droid provider → the API style the catalog files base URLs under.
PROVIDER_STYLES: Mapping[str, str] = {
    "anthropic": "anthropic",
    "openai": "responses",
    "generic-chat-completion-api": "chat",
}
#: Where each provider's requests go, relative to ``baseUrl``.
REQUEST_PATHS: Mapping[str, str] = {
    "anthropic": "/v1/messages",
    "openai": "/responses",
    "generic-chat-completion-api": "/chat/completions",
}
#: The first-party endpoint to assume when an entry has a provider but no ``baseUrl`` yet.
DEFAULT_BASE_URLS: Mapping[str, str] = {
    "anthropic": "https://api.anthropic.com",
    "openai": "https://api.openai.com/v1",
}


@dataclass(frozen=True, slots=True)
class EndpointView:
    id: str
    name: str
    base_urls: Mapping[str, str]
    is_local: bool


@dataclass(frozen=True, slots=True)
class ModelView:
    id: str
    endpoint: str
    family: str | None
    max_output_tokens: int | None
    context_window: int | None
    params_total: float | None
    params_active: float | None
    open_weights: bool | None
    deprecated: str | None
    retired: str | None


@dataclass(frozen=True, slots=True)
class KeyView:
    id: str
    provider: str
    description: str


@cache
def _module() -> ModuleType | None:
    try:
        module = importlib.import_module("factory_lint.catalog")
    except Exception as error:  # a missing or half-built catalog must not stop the server
        log.info(
            "endpoint/model catalog unavailable (%s); using the schema only", type(error).__name__
        )
        return None
    if not hasattr(module, "endpoint_for_url"):
        return None
    return module


def available() -> bool:
    return _module() is not None


def _call(name: str, *args: Any) -> Any:
    module = _module()
    function = getattr(module, name, None) if module is not None else None
    if function is None:
        return None
    try:
        return function(*args)
    except Exception as error:
        log.warning("catalog %s failed: %s", name, type(error).__name__)
        return None


def _endpoint_view(raw: Any) -> EndpointView | None:
    if raw is None:
        return None
    try:
        base_urls = {str(k): str(v) for k, v in dict(getattr(raw, "base_urls", {}) or {}).items()}
        return EndpointView(
            id=str(raw.id),
            name=str(getattr(raw, "name", raw.id)),
            base_urls=base_urls,
            is_local=getattr(raw, "local_port", None) is not None,
        )
    except Exception:
        return None


def endpoint_for_url(url: str) -> EndpointView | None:
    """The catalogued endpoint a base URL points at."""
    if not url or split_url(url) is None:
        return None
    return _endpoint_view(_call("endpoint_for_url", url))


@cache
def endpoints() -> tuple[EndpointView, ...]:
    raw = _call("endpoints")
    if raw is None:
        return ()
    views = (_endpoint_view(item) for item in raw)
    return tuple(v for v in views if v is not None)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _text(value: Any) -> str | None:
    if value is None or value is False:
        return None
    return str(value)


def _model_view(raw: Any, endpoint_id: str) -> ModelView | None:
    try:
        return ModelView(
            id=str(raw.id),
            endpoint=str(getattr(raw, "endpoint", endpoint_id)),
            family=_text(getattr(raw, "family", None)),
            max_output_tokens=_int(getattr(raw, "max_output_tokens", None)),
            context_window=_int(getattr(raw, "context_window", None)),
            params_total=_number(getattr(raw, "params_total", None)),
            params_active=_number(getattr(raw, "params_active", None)),
            open_weights=getattr(raw, "open_weights", None),
            deprecated=_text(getattr(raw, "deprecated", None)),
            retired=_text(getattr(raw, "retired", None)),
        )
    except Exception:
        return None


@cache
def models_for(endpoint_id: str) -> tuple[ModelView, ...]:
    """The catalogued models of an endpoint, in catalog order."""
    raw = _call("models_for", endpoint_id)
    if not raw:
        return ()
    items = raw.values() if isinstance(raw, Mapping) else raw
    views = (_model_view(item, endpoint_id) for item in items)
    return tuple(v for v in views if v is not None)


def find_model(endpoint_id: str, model_id: str) -> ModelView | None:
    raw = _call("find_model", endpoint_id, model_id)
    if raw is not None:
        return _model_view(raw, endpoint_id)
    for model in models_for(endpoint_id):
        if model.id == model_id:
            return model
    return None


def identify_key(value: str) -> KeyView | None:
    """The format of a key (never the key itself)."""
    raw = _call("identify_key", value)
    if raw is None:
        return None
    try:
        return KeyView(
            id=str(raw.id),
            provider=str(getattr(raw, "provider", "")),
            description=str(getattr(raw, "description", "")),
        )
    except Exception:
        return None


def endpoint_for_entry(provider: str | None, base_url: str | None) -> EndpointView | None:
    """The endpoint an entry talks to: its ``baseUrl``'s, or the provider's first party."""
    if base_url:
        return endpoint_for_url(base_url)
    default = DEFAULT_BASE_URLS.get(provider or "")
    if default is not None:
        return endpoint_for_url(default)
    return None


def request_url(provider: str | None, base_url: str | None) -> str | None:
    """The URL Droid POSTs to for an entry, e.g. ``https://api.anthropic.com/v1/messages``."""
    path = REQUEST_PATHS.get(provider or "")
    base = (base_url or "").strip()
    if path is None or not base:
        return None
    return base.rstrip("/") + path


def format_tokens(count: int) -> str:
    """A token count for people: ``200000`` → ``200k``, ``131072`` → ``128k``, ``1048576`` → ``1M``."""
    for unit, binary, suffix in ((1_000_000, 1_048_576, "M"), (1000, 1024, "k")):
        if count >= unit:
            if count % unit == 0:
                return f"{count // unit}{suffix}"
            if count % binary == 0:
                return f"{count // binary}{suffix}"
            value = round(count / unit, 1)
            return f"{value:g}{suffix}"
    return str(count)


def format_params(count: float) -> str:
    """A parameter count given in billions (``70`` → ``70B``) or as a raw number."""
    billions = count / 1e9 if count >= 1e6 else count
    if billions >= 1000:
        return f"{round(billions / 1000, 2):g}T"
    return f"{round(billions, 1):g}B" if billions >= 1 else f"{round(billions * 1000):g}M"


def model_summary(model: ModelView) -> str:
    """One line of limits, e.g. ``context 200k · output 64k · 1T params (32B active)``."""
    parts: list[str] = []
    if model.context_window:
        parts.append(f"context {format_tokens(model.context_window)}")
    if model.max_output_tokens:
        parts.append(f"output {format_tokens(model.max_output_tokens)}")
    if model.params_total:
        size = f"{format_params(model.params_total)} params"
        if model.params_active and model.params_active != model.params_total:
            size += f" ({format_params(model.params_active)} active)"
        parts.append(size)
    if model.retired:
        parts.append(f"retired {model.retired}")
    elif model.deprecated:
        parts.append(f"deprecated {model.deprecated}")
    return " · ".join(parts)


@cache
def builtin_models() -> tuple[str, ...]:
    """Droid's built-in model ids (valid wherever a model id is), newest first."""
    raw = _call("factory_builtin_models")
    if not raw:
        return ()
    return tuple(sorted((str(m) for m in raw), key=newest_first))


_NUMBER = re.compile(r"\d+")
#: A dated snapshot (``-20250929``, ``-2025-08-07``, ``-0709``): the undated id comes first.
_SNAPSHOT = re.compile(r"-(?:\d{8}|\d{4}-\d{2}-\d{2}|\d{4})(?:-v\d+(?::\d+)?)?$")


def newest_first(model_id: str) -> tuple[bool, tuple[int, ...], int, str]:
    """Sort key for model ids: undated ids before dated snapshots, higher versions first, then
    the plain model before its variants (``gpt-5.6`` before ``gpt-5.6-sol``)."""
    numbers = [-int(n) for n in _NUMBER.findall(model_id)[:4]]
    versions = tuple(numbers + [0] * (4 - len(numbers)))  # 5 is 5.0, older than 5.6
    return (_SNAPSHOT.search(model_id) is not None, versions, len(model_id), model_id)


def retirement(model: ModelView) -> str | None:
    """The model's retirement (or deprecation shutdown) date, if the catalog gives one."""
    return model.retired or model.deprecated


def is_retired(model: ModelView, today: date | None = None) -> bool:
    """Whether the model's retirement date is today or earlier (requests for it fail)."""
    day = retirement(model)
    if not day:
        return False
    try:
        when = date.fromisoformat(day[:10])
    except ValueError:
        return False
    from factory_lint.clock import today as clock_today

    return when <= (today or clock_today())


def current_models(endpoint_id: str) -> tuple[ModelView, ...]:
    """The endpoint's catalogued models that are not retired, one per id, in the order
    completions offer them: not deprecated first, then :func:`newest_first`."""
    seen: set[str] = set()
    models: list[ModelView] = []
    for model in models_for(endpoint_id):
        if model.id in seen or is_retired(model):
            continue
        seen.add(model.id)
        models.append(model)
    models.sort(key=lambda m: (retirement(m) is not None, *newest_first(m.id)))
    return tuple(models)


def newest_model(endpoint_id: str, pattern: str, fallback: str) -> ModelView | str:
    """The first of :func:`current_models` that is not deprecated and whose id fully matches
    ``pattern``; ``fallback`` when the catalog has none."""
    line = re.compile(pattern)
    for model in current_models(endpoint_id):
        if retirement(model) is None and line.fullmatch(model.id):
            return model
    return fallback


def env_name_for(base_url: str | None) -> str | None:
    """The environment variable name the linter suggests for a key sent to ``base_url``."""
    try:
        from factory_lint.rules.leaks import env_name_for as suggest
    except Exception:
        return None
    try:
        return str(suggest(None, base_url))
    except Exception:
        return None
