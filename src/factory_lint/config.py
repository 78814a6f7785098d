"""Per-project configuration: ``.factory-lint.toml`` or ``[tool.factory-lint]`` in pyproject."""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from pathlib import Path
from typing import Any, cast

from factory_lint.findings import SEVERITY_RANK, Severity
from factory_lint.records import FrozenValueRecord

CONFIG_FILES = (".factory-lint.toml", "pyproject.toml")


class ConfigError(Exception):
    pass


class Config(FrozenValueRecord):
    """Settings read from a config file (all optional)."""

    __slots__ = ("ignore", "path", "per_file_ignores", "select", "severity")
    __match_args__ = ("path", "select", "ignore", "per_file_ignores", "severity")

    path: Path | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    severity: tuple[tuple[str, Severity], ...]

    def __init__(
        self,
        path: Path | None = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        severity: tuple[tuple[str, Severity], ...] = (),
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "per_file_ignores", per_file_ignores)
        object.__setattr__(self, "severity", severity)

    def ignores_for(self, file: Path) -> tuple[str, ...]:
        """Codes ignored for ``file`` by ``per-file-ignores`` globs (relative to the config)."""
        if self.path is None or not self.per_file_ignores:
            return ()
        base = self.path.parent
        try:
            relative = file.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            relative = file.as_posix()
        found: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(file.name, pattern):
                found.extend(codes)
        return tuple(found)


def find_config(start: Path) -> Config:
    """The nearest config at or above ``start`` (a folder); an empty Config when none."""
    return _find_config(start.resolve())


def find_config_in(resolved: Path) -> Config:
    """:func:`find_config` for a folder that is already resolved."""
    return _find_config(resolved)


class _ConfigMemo:
    """The config that applies in each folder, remembered for the life of the process (the
    language server clears it when config files change: ``_find_config.cache_clear()``).

    A folder's answer is its own config file's, else its parent's: linting files in many
    sibling folders reads each folder once.
    """

    def __init__(self) -> None:
        self.found: dict[str, Config] = {}

    def cache_clear(self) -> None:
        self.found.clear()

    def __call__(self, start: Path) -> Config:
        """The config for the resolved folder ``start``."""
        found = self.found
        visited: list[str] = []
        config: Config | None = None
        folder = str(start)
        while True:
            config = found.get(folder)
            if config is not None:
                break
            visited.append(folder)
            config = _own_config(folder)
            if config is not None:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        if config is None:
            config = Config()
        for folder in visited:
            found[folder] = config
        return config


def _own_config(folder: str) -> Config | None:
    for name in CONFIG_FILES:
        candidate = os.path.join(folder, name)
        if _is_file(candidate):
            path = Path(candidate)
            table = _read_table(path)
            if table is not None:
                return parse_config(table, path)
    return None


def _is_file(path: str) -> bool:
    """``Path(path).is_file()``, without building a Path for the usual missing file."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, ValueError):
        return False
    except OSError:
        return Path(path).is_file()  # the same answer (or error) as before for the rest


_find_config = _ConfigMemo()


def _read_table(path: Path) -> dict[str, Any] | None:
    # Imported here: most runs find no configuration file, and the parser costs start-up time.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("factory-lint") if isinstance(tool, dict) else None
        return cast(dict[str, Any], table) if isinstance(table, dict) else None
    return data


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where} must be a list of rule codes or names")


def parse_config(table: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "configuration"
    known = {"select", "ignore", "per-file-ignores", "severity"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(
            f"{where}: unknown option(s) {', '.join(sorted(unknown))}; "
            f"expected {', '.join(sorted(known))}"
        )
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [codes]")
    severity = table.get("severity", {})
    if not isinstance(severity, dict) or not all(
        isinstance(v, str) and v in SEVERITY_RANK for v in severity.values()
    ):
        raise ConfigError(f'{where}: severity must map codes to "error", "warning" or "info"')
    return Config(
        path=path,
        select=_strings(table.get("select", []), f"{where}: select"),
        ignore=_strings(table.get("ignore", []), f"{where}: ignore"),
        per_file_ignores=tuple(
            (str(k), _strings(v, f"{where}: per-file-ignores")) for k, v in per_file.items()
        ),
        severity=tuple((str(k), cast(Severity, v)) for k, v in severity.items()),
    )
