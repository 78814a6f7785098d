"""Support for factory-lint's record classes (findings, tree nodes, options, catalog entries).

They are plain classes with ``__slots__`` and hand-written ``__init__``, ``__repr__``,
``__eq__`` and ``__hash__`` that behave as the ``@dataclass`` methods did: a dataclass is
created when its module is imported (about 1 ms each, 27 of them on the lint path, plus the
``dataclasses`` and ``inspect`` imports), which was a fifth of a one-file run.
"""

from __future__ import annotations

from typing import NoReturn


class FrozenInstanceError(AttributeError):
    """Assignment to a field of an immutable record (as ``dataclasses.FrozenInstanceError``)."""


def frozen_setattr(self: object, name: str, value: object) -> NoReturn:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def frozen_delattr(self: object, name: str) -> NoReturn:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
