"""Server settings from ``initializationOptions`` and ``workspace/configuration``.

Both sources use the same shape; the settings may sit under a ``factoryLint`` section or be
given flat::

    {"factoryLint": {"select": ["FL2"], "ignore": ["FL104"],
                     "severity": {"FL303": "error", "FL105": "off"}, "debounceMs": 150,
                     "probeCodeLens": false}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import cast

from factory_lint.findings import Severity

SECTION = "factoryLint"
_LEVELS: dict[str, Severity | None] = {
    "error": "error",
    "warning": "warning",
    "warn": "warning",
    "info": "info",
    "information": "info",
    "hint": "info",
    "off": None,
    "none": None,
    "ignore": None,
}
MAX_DEBOUNCE_MS = 10_000


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """What the client may configure (see docs/server.md)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: ``(selector, severity)`` overrides, applied before the project configuration's.
    severity: tuple[tuple[str, Severity], ...] = ()
    #: Wait this long after the last change before linting (push diagnostics).
    debounce_ms: int = 150
    #: Read ``.factory-lint.toml`` / ``[tool.factory-lint]`` next to (or above) each file.
    use_config: bool = True
    #: Documents at least this long (in characters) are re-linted incrementally while typing
    #: inside one custom model entry, then fully once typing pauses.
    incremental_min_chars: int = 50_000
    #: Quiet time after which an incrementally linted document is linted in full.
    full_lint_delay_ms: int = 400
    #: Offer a "Probe this model" code lens on each custom model entry (off: no network).
    probe_code_lens: bool = False


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return None


def _int(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = int(value)
    return number if low <= number <= high else None


def section_of(raw: object) -> Mapping[str, object] | None:
    """The ``factoryLint`` table of a settings object (or the object itself when flat)."""
    if not isinstance(raw, Mapping):
        return None
    nested = raw.get(SECTION)
    if isinstance(nested, Mapping):
        return cast(Mapping[str, object], nested)
    return cast(Mapping[str, object], raw)


def parse_settings(
    raw: object, base: ServerSettings | None = None
) -> tuple[ServerSettings, list[str]]:
    """Settings from a client-supplied object, and a warning for each value that was ignored."""
    settings = base or ServerSettings()
    table = section_of(raw)
    warnings: list[str] = []
    if table is None:
        return settings, warnings
    changes: dict[str, object] = {}
    ignore_extra: list[str] = []
    for key, value in table.items():
        if key in ("select", "ignore"):
            parsed = _strings(value)
            if parsed is None:
                warnings.append(f"`{key}` must be a list of rule codes or names")
            else:
                changes[key] = parsed
        elif key == "severity":
            if not isinstance(value, Mapping):
                warnings.append("`severity` must map rule codes to error, warning, info or off")
                continue
            overrides: list[tuple[str, Severity]] = []
            for code, level in value.items():
                name = str(level).lower() if isinstance(level, str) else ""
                if not isinstance(code, str) or name not in _LEVELS:
                    warnings.append(f"`severity.{code}`: expected error, warning, info or off")
                    continue
                mapped = _LEVELS[name]
                if mapped is None:
                    ignore_extra.append(code)
                else:
                    overrides.append((code, mapped))
            changes["severity"] = tuple(overrides)
        elif key in ("debounceMs", "fullLintDelayMs"):
            number = _int(value, 0, MAX_DEBOUNCE_MS)
            if number is None:
                warnings.append(f"`{key}` must be a number of milliseconds (0-{MAX_DEBOUNCE_MS})")
            else:
                changes["debounce_ms" if key == "debounceMs" else "full_lint_delay_ms"] = number
        elif key == "incrementalMinChars":
            number = _int(value, 0, 1 << 40)
            if number is None:
                warnings.append("`incrementalMinChars` must be a non-negative number")
            else:
                changes["incremental_min_chars"] = number
        elif key in ("useConfigFile", "probeCodeLens"):
            if isinstance(value, bool):
                changes["use_config" if key == "useConfigFile" else "probe_code_lens"] = value
            else:
                warnings.append(f"`{key}` must be true or false")
        elif key in ("trace", "path", "interpreter", "enable"):
            continue  # client-side settings of the editor extensions
        else:
            warnings.append(f"unknown setting `{key}` ignored")
    settings = replace(settings, **changes)  # type: ignore[arg-type]
    if ignore_extra:
        settings = replace(settings, ignore=(*settings.ignore, *ignore_extra))
    return settings, warnings
