"""Remembered answers of pure functions of one string, for strings up to a length.

The rules ask the same questions about the same strings (base URLs, hosts, model names, key-shaped
values, ``${NAME}`` references) in file after file of a run; a longer string is answered each time
and not kept in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

R = TypeVar("R")


def remember_short(
    max_length: int = 256, maxsize: int = 8192
) -> Callable[[Callable[[str], R]], Callable[[str], R]]:
    """Decorate a pure function of one string: answers for strings of at most ``max_length``
    characters are remembered (the ``maxsize`` most recent)."""

    def decorate(function: Callable[[str], R]) -> Callable[[str], R]:
        remembered = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def answer(value: str) -> R:
            if len(value) <= max_length:
                return remembered(value)
            return function(value)

        return answer

    return decorate
