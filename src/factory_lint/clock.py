"""Today's date, for the rules and completions that depend on it (FL606 retirement dates).

``FACTORY_LINT_TODAY=YYYY-MM-DD`` pins it: tests use it for reproducible output, and a user can
ask what will break on a later date (``FACTORY_LINT_TODAY=2027-01-01 factory-lint``).
"""

from __future__ import annotations

import os
from datetime import date

ENV_VAR = "FACTORY_LINT_TODAY"


def today() -> date:
    """``FACTORY_LINT_TODAY`` when it holds an ISO date, else the local date."""
    pinned = os.environ.get(ENV_VAR, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            pass
    return date.today()


def is_past(day: str, on: date | None = None) -> bool | None:
    """Whether the ISO date ``day`` is today or earlier; None when it is not a date."""
    try:
        when = date.fromisoformat(day[:10])
    except ValueError:
        return None
    return when <= (on or today())
