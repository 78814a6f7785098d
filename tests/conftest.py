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


#: The date the tests run "on" (FL606 and completions compare catalog dates with today).
TODAY = "2026-12-08"


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on :data:`TODAY` (``FACTORY_LINT_TODAY``), so that output that depends on
    the date (a model retired before or after it) does not change as time passes."""
    monkeypatch.setenv("FACTORY_LINT_TODAY", TODAY)
    return TODAY
