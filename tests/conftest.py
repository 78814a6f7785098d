"""Fixtures for every test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_lint_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test gets its own, empty result cache (``$XDG_CACHE_HOME/factory-lint``), so that no
    test reads results another test (or the developer's own runs) left behind, and none writes
    to the real cache. Subprocesses inherit the variable."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder
