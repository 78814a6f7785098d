"""The record classes (findings, tree nodes, options, catalog entries) behave as the
``@dataclass`` classes they replaced: same constructor, repr, equality, hashing, immutability,
and they survive pickling (results come back from worker processes pickled)."""

from __future__ import annotations

import dataclasses
import pickle
from typing import Any

import pytest

from factory_lint.catalog.endpoints import Endpoint
from factory_lint.catalog.keys import KeyFormat
from factory_lint.catalog.models import ModelInfo
from factory_lint.config import Config
from factory_lint.context import FileInfo, LintContext, RelatedFile
from factory_lint.engine import LintResult, Options
from factory_lint.files import Loaded
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.fixes import FixOutcome
from factory_lint.jsonc import Comment, Document, Fragment, Member, Node, SyntaxProblem, parse
from factory_lint.records import FrozenInstanceError
from factory_lint.report import FileReport
from factory_lint.rules.references import CustomModel
from factory_lint.rules.registry import Rule
from factory_lint.runner import LintRequest, Outcome
from factory_lint.text import Position, SourceText

# (class, frozen, compared by value)
RECORDS: list[tuple[type, bool, bool]] = [
    (Edit, True, True),
    (Fix, True, True),
    (Finding, True, True),
    (Node, False, False),
    (Member, False, False),
    (SyntaxProblem, True, True),
    (Comment, True, True),
    (Document, False, True),
    (Fragment, False, True),
    (Position, True, True),
    (SourceText, False, True),
    (RelatedFile, True, True),
    (FileInfo, True, True),
    (LintContext, False, True),
    (Options, True, True),
    (LintResult, False, True),
    (LintRequest, True, True),
    (Outcome, False, True),
    (Config, True, True),
    (Loaded, False, True),
    (FileReport, False, True),
    (FixOutcome, False, True),
    (Rule, True, True),
    (CustomModel, False, True),
    (ModelInfo, True, True),
    (Endpoint, True, False),
    (KeyFormat, True, True),
]


def _twin(cls: type, frozen: bool, eq: bool) -> type:
    """A dataclass with the same fields, defaults and options, to compare against."""
    hidden = {"LintContext": {"memo"}, "SourceText": {"_line_starts"}, "CustomModel": {"node"}}
    # (the offsets' storage behind their properties, a node's member index, and the text a
    # strict-JSON tree's offsets are read from on demand)
    hidden.update(
        Node={"_start", "_end", "_index", "_offsets"},
        Member={"_key_start", "_key_end", "_offsets"},
    )
    hidden["Endpoint"] = {
        "style_status",
        "base_url_variants",
        "path_prefixes",
        "accepts_families",
        "confidence",
    }
    not_compared = {"LintContext": {"memo"}, "SourceText": {"_line_starts"}}
    not_compared.update(Node=hidden["Node"], Member=hidden["Member"])
    import inspect

    parameters = inspect.signature(cls.__init__).parameters
    fields: list[Any] = []
    names = [*cls.__match_args__, *(n for n in cls.__slots__ if n not in cls.__match_args__)]
    for name in names:
        parameter = parameters.get(name)
        options: dict[str, Any] = {
            "repr": name not in hidden.get(cls.__name__, ()),
            "compare": name not in not_compared.get(cls.__name__, ()),
        }
        if parameter is None:
            options.update(init=False, default=None)
        elif parameter.default is not inspect.Parameter.empty:
            options["default"] = parameter.default
        fields.append((name, Any, dataclasses.field(**options)))
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=frozen, eq=eq)


def _arguments(cls: type) -> dict[str, Any]:
    import inspect

    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return {p.name: f"<{p.name}>" for p in parameters}


@pytest.mark.parametrize(("cls", "frozen", "eq"), RECORDS, ids=[c.__name__ for c, _, _ in RECORDS])
def test_record_behaves_as_its_dataclass(cls: type, frozen: bool, eq: bool) -> None:
    twin = _twin(cls, frozen, eq)
    arguments = _arguments(cls)
    record, other, model = cls(**arguments), cls(**arguments), twin(**arguments)
    assert not hasattr(record, "__dict__")
    assert cls.__match_args__ == twin.__match_args__  # type: ignore[attr-defined]
    assert repr(record) == repr(model)
    assert (record == other) is eq
    assert record == record
    assert record.__eq__(object()) is NotImplemented or not eq
    for name in arguments:
        changed = cls(**{**arguments, name: "changed"})
        assert (record == changed) == (model == twin(**{**arguments, name: "changed"}))
    if frozen:
        with pytest.raises(FrozenInstanceError):
            record.anything = 1  # type: ignore[attr-defined]
        with pytest.raises(AttributeError):
            delattr(record, next(iter(arguments)))
        if eq:
            assert hash(record) == hash(other) == hash(model)
    elif eq:
        assert cls.__hash__ is None  # unhashable, as a mutable dataclass
    copy = pickle.loads(pickle.dumps(record))
    assert repr(copy) == repr(record)
    if eq:
        assert copy == record


def test_defaults_are_fresh_per_instance() -> None:
    a, b = Finding("X", "m", 0, 1), Finding("X", "m", 0, 1)
    assert a.data == {} and a.data is not b.data
    node = Node("object", 0, 2, "")
    assert (
        node.members == []
        and node.items == []
        and node.members is not Node("array", 0, 2, "").members
    )
    assert LintContext(SourceText(""), parse(""), "settings").info == FileInfo()
    source = SourceText("a\nb")
    assert source.line_starts == [0, 2]
    assert source == SourceText("a\nb")  # the line cache is not compared
