"""``factory-lint probe``: an opt-in live check that each custom model answers.

Imported only by the ``probe`` subcommand (and by ``factory_lint.docs`` for the FL8xx rule
documentation), never on the lint path.

For other front ends (the language server):

- :func:`model_entries` lists a document's custom-model objects with their array index and
  range (``entry.start`` / ``entry.end``, offsets into the text), to place a code lens;
- :func:`probe_entry` probes one of them and returns :class:`~factory_lint.findings.Finding`
  values (offsets into the same text, secrets scrubbed). It blocks for up to a few timeouts:
  run it in a worker thread.
"""

from factory_lint.probe.core import DEFAULT_TIMEOUT, ProbeOptions, probe_entry, probe_model
from factory_lint.probe.entries import ModelEntry, model_entries

__all__ = [
    "DEFAULT_TIMEOUT",
    "ModelEntry",
    "ProbeOptions",
    "model_entries",
    "probe_entry",
    "probe_model",
]
