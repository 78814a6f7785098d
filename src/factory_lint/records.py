"""Base classes of factory-lint's record classes (findings, tree nodes, options, catalog entries).

They are plain classes with ``__slots__`` and hand-written ``__init__`` methods that behave as
the ``@dataclass`` classes they replaced: a dataclass is created when its module is imported
(about 1 ms each, 27 of them on the lint path, plus the ``dataclasses`` and ``inspect``
imports), which was a fifth of a one-file run.  The methods a dataclass would write for them
(``__repr__``, ``__eq__``, ``__hash__``, immutability) are written once here, for any record,
driven by the record's ``__match_args__``: its fields in ``__init__``'s order, as a dataclass
sets them.  A record class costs a few microseconds more to create than a plain class.

- :class:`Record`: compared by identity (``@dataclass(eq=False)``);
- :class:`ValueRecord`: compared by value, unhashable (``@dataclass``);
- :class:`FrozenRecord`: immutable, compared by identity (``@dataclass(frozen=True, eq=False)``);
- :class:`FrozenValueRecord`: immutable, compared and hashed by value
  (``@dataclass(frozen=True)``).

A frozen record's ``__init__`` sets its fields with ``object.__setattr__``, as a frozen
dataclass does (a helper that loops over the fields makes the constructor 40% slower at 9
fields, twice as slow at 2), and it pickles through its constructor (its ``__setattr__`` refuses
the default way); the others pickle as any slotted object.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, ClassVar, NoReturn


class FrozenInstanceError(AttributeError):
    """Assignment to a field of an immutable record (as ``dataclasses.FrozenInstanceError``)."""


def _values(record: object, names: tuple[str, ...]) -> tuple[object, ...]:
    if len(names) > 1:  # (attrgetter is twice as fast as getattr in a loop)
        values: tuple[object, ...] = attrgetter(*names)(record)
        return values
    return tuple([getattr(record, name) for name in names])


class Record:
    """A record with a dataclass's ``repr``, compared by identity."""

    __slots__ = ()

    #: The fields, in ``__init__``'s order (a field ``__init__`` does not take comes last or
    #: is left out, as it would be from a dataclass's ``__match_args__``).
    __match_args__: ClassVar[tuple[str, ...]] = ()
    #: The fields ``repr`` shows, when not all of ``__match_args__`` (``field(repr=False)``).
    _repr_fields: ClassVar[tuple[str, ...] | None] = None
    #: The fields ``==`` compares and ``hash`` hashes in a record compared by value, when not
    #: all of ``__match_args__`` (``field(compare=False)``).
    _compare_fields: ClassVar[tuple[str, ...] | None] = None

    def __repr__(self) -> str:
        names = self._repr_fields
        if names is None:
            names = self.__match_args__
        shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        return f"{type(self).__qualname__}({shown})"


# The methods of the kinds of record. Each kind below is a direct subclass of Record that takes
# the methods it needs from here: a deeper class hierarchy makes every record class slower to
# create (Python looks its special methods up along the whole MRO).


def _eq(self: Record, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]  # (mypy allows it in __eq__ only)
    names = self._compare_fields
    if names is None:
        names = self.__match_args__
    return _values(self, names) == _values(other, names)


def _hash(self: Record) -> int:
    names = self._compare_fields
    if names is None:
        names = self.__match_args__
    return hash(_values(self, names))


def _frozen_setattr(self: Record, name: str, value: object) -> NoReturn:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Record, name: str) -> NoReturn:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _reduce(self: Record) -> tuple[type[Any], tuple[Any, ...]]:
    """Pickle a frozen record through its ``__init__``, which takes ``__match_args__`` in order."""
    return (self.__class__, _values(self, self.__match_args__))


class ValueRecord(Record):
    """A record compared by value, field by field; unhashable, as it is mutable."""

    __slots__ = ()
    __eq__ = _eq
    # (Python sets __hash__ to None in a class that defines __eq__ and not __hash__.)


class FrozenRecord(Record):
    """An immutable record, compared by identity; it pickles through its ``__init__``."""

    __slots__ = ()
    __setattr__ = _frozen_setattr
    __delattr__ = _frozen_delattr
    __reduce__ = _reduce


class FrozenValueRecord(Record):
    """An immutable record, compared and hashed by value; it pickles through its ``__init__``."""

    __slots__ = ()
    __eq__ = _eq
    __hash__ = _hash
    __setattr__ = _frozen_setattr
    __delattr__ = _frozen_delattr
    __reduce__ = _reduce
