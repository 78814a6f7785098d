"""``factory-lint probe``: an opt-in live check that each custom model answers.

Imported only by the ``probe`` subcommand (and by ``factory_lint.docs`` for the FL8xx rule
documentation), never on the lint path.

For other front ends (the language server):

- :func:`model_entries` lists a document's custom-model objects with their array index and
  range (``entry.start`` / ``entry.end``, offsets into the text), to place a code lens;
- :func:`probe_entry` probes one of them and returns :class:`~factory_lint.findings.Finding`
  values (offsets into the same text, secrets scrubbed). It blocks for up to a few timeouts:
  run it in a worker thread. Pass ``trusted=is_users_own(path)``: ``${NAME}`` values of the
  environment are only sent for the user's own files (or when the user agreed).
"""

from factory_lint.probe.core import (
    DEFAULT_TIMEOUT,
    ProbeOptions,
    is_users_own,
    model_budget,
    needs_environment,
    probe_entry,
    probe_model,
)
from factory_lint.probe.entries import ModelEntry, model_entries

__all__ = [
    "DEFAULT_TIMEOUT",
    "ModelEntry",
    "ProbeOptions",
    "is_users_own",
    "model_budget",
    "model_entries",
    "needs_environment",
    "probe_entry",
    "probe_model",
]
