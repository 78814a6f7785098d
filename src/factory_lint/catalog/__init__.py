"""Packaged domain catalogs: endpoints, API-key formats, models.

The data lives in ``factory_lint/data/catalog/*.json`` (built by ``scripts/build_catalogs.py``
from the pinned inputs in ``catalog-sources/``; format in ``docs/catalogs.md``).  Importing this package
reads nothing: each file is parsed on first use and cached.

Endpoints
    :func:`endpoints`, :func:`endpoint_by_id`, :func:`endpoint_for_url`,
    :func:`endpoint_for_port`; :class:`Endpoint`; ``Style`` = ``"anthropic" | "responses" |
    "chat"``; :data:`PROVIDER_STYLES` maps Droid's ``provider`` to its style.
Keys
    :func:`key_formats`, :func:`key_format_by_id`, :func:`identify_key`,
    :func:`is_placeholder`, :func:`placeholder_reason`; :class:`KeyFormat`.
Models
    :func:`models_for`, :func:`find_model`, :func:`all_models`, :func:`suggest_models`,
    :func:`model_family`, :func:`families_for`, :func:`model_endpoints`,
    :func:`factory_builtin_models`; :class:`ModelInfo`; :func:`catalog_date` and
    :func:`catalog_sources` say when and from what the catalog was built.
"""

from __future__ import annotations

from factory_lint.catalog._data import CatalogError, loaded_files
from factory_lint.catalog.endpoints import (
    LOCAL_HOSTS,
    PROVIDER_STYLES,
    STYLES,
    Endpoint,
    Style,
    endpoint_by_id,
    endpoint_for_port,
    endpoint_for_url,
    endpoints,
    split_host_port,
)
from factory_lint.catalog.keys import (
    KeyFormat,
    identify_key,
    is_placeholder,
    key_format_by_id,
    key_formats,
    placeholder_reason,
    shortest_exclusive_key,
)
from factory_lint.catalog.models import (
    ModelInfo,
    all_models,
    catalog_date,
    catalog_sources,
    factory_builtin_models,
    families_for,
    find_model,
    model_endpoints,
    model_family,
    model_list_complete,
    model_table,
    models_for,
    suggest_models,
)

__all__ = [
    "LOCAL_HOSTS",
    "PROVIDER_STYLES",
    "STYLES",
    "CatalogError",
    "Endpoint",
    "KeyFormat",
    "ModelInfo",
    "Style",
    "all_models",
    "catalog_date",
    "catalog_sources",
    "endpoint_by_id",
    "endpoint_for_port",
    "endpoint_for_url",
    "endpoints",
    "factory_builtin_models",
    "families_for",
    "find_model",
    "identify_key",
    "is_placeholder",
    "key_format_by_id",
    "key_formats",
    "loaded_files",
    "model_endpoints",
    "model_family",
    "model_list_complete",
    "model_table",
    "models_for",
    "placeholder_reason",
    "shortest_exclusive_key",
    "split_host_port",
    "suggest_models",
]
