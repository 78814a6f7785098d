""" "Probe this model": the live check of one custom model, run from the editor.

The code lens (setting ``probeCodeLens``, off by default) and the command
``factory-lint.probeModel`` run :func:`factory_lint.probe.probe_entry` for one entry; the server
shows its findings as diagnostics (source ``factory-lint probe``) until the document changes.

Plain Python (no pygls). The probe package is imported only when a lens or the command needs it,
so a server that is never asked to probe never loads the network code.

A document outside the user's own ``~/.factory`` is untrusted: its ``${NAME}`` references are
expanded and sent only when the user answers :data:`CONSENT_SEND` to :func:`consent_question`
(``window/showMessageRequest``); a workspace setting could come from the repository itself,
so there is none. The command answers within :func:`answer_within` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from factory_lint.findings import SEVERITY_RANK, Finding, Severity
from factory_lint.kinds import Kind
from factory_lint.rules.registry import RULES

if TYPE_CHECKING:
    from factory_lint.jsonc import Document
    from factory_lint.probe import ModelEntry

PROBE_COMMAND = "factory-lint.probeModel"
LENS_TITLE = "Probe this model"
#: Models probed at the same time (the CLI's ``--concurrency`` default).
MAX_CONCURRENT = 4
#: The answers of the question that asks to send ``${NAME}`` values from a project file.
CONSENT_SEND = "Send"
CONSENT_REFUSE = "Don't send"
#: How long the question waits for an answer (then: not sent).
CONSENT_SECONDS = 120.0
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProbeRequest:
    """What the command was asked to probe: an entry by index, or the one at a position."""

    uri: str
    index: int | None = None
    #: ``(line, character)`` in the negotiated position encoding.
    position: tuple[int, int] | None = None
    #: The document version the arguments were computed for (informational).
    version: int | None = None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_arguments(arguments: Sequence[object]) -> ProbeRequest | str:
    """The command's arguments, or what is wrong with them.

    Accepted: ``[uri, entryIndex, version?]`` (what the code lens sends) and
    ``[uri, {"line": L, "character": C}, version?]`` (the entry around a cursor position, for
    key bindings that know the cursor but not the index).
    """
    usage = f"{PROBE_COMMAND} expects [uri, entryIndex, version] or [uri, {{line, character}}]"
    if not 2 <= len(arguments) <= 3 or not isinstance(arguments[0], str):
        return usage
    uri, target = arguments[0], arguments[1]
    version = _int(arguments[2]) if len(arguments) == 3 else None
    if len(arguments) == 3 and arguments[2] is not None and version is None:
        return usage
    index = _int(target)
    if index is not None:
        return ProbeRequest(uri, index=index, version=version) if index >= 0 else usage
    if isinstance(target, dict):
        line, character = _int(target.get("line")), _int(target.get("character"))
        if line is not None and character is not None and line >= 0 and character >= 0:
            return ProbeRequest(uri, position=(line, character), version=version)
    return usage


def entries(text: str, kind: Kind, document: Document | None = None) -> list[ModelEntry]:
    """The custom model entries of ``text`` (imports the probe package)."""
    from factory_lint.probe import model_entries

    return model_entries(text, kind, document)


def select(
    found: Sequence[ModelEntry], request: ProbeRequest, offset: int | None
) -> ModelEntry | None:
    """The entry the request names: by index, else the one containing ``offset``."""
    if request.index is not None:
        return next((e for e in found if e.index == request.index), None)
    if offset is None:
        return None
    return next((e for e in found if e.start <= offset <= e.end), None)


def tooltip(entry: ModelEntry) -> str:
    """What a click on the lens does, with where the request (and the key) goes."""
    from factory_lint.probe.transport import show_url

    base = (entry.base_url or "").strip()
    try:
        where = show_url(base) if base.startswith(("http://", "https://")) else ""
    except ValueError:  # a port that is not a number
        where = ""
    if not where:
        return "Live check of this model (factory-lint probe)"
    return (
        f"Live check: asks {where} for its models, sending this entry's key (if any) as Droid "
        "would; a ${NAME} value for a file outside ~/.factory only after you agree"
    )


def run_probe(text: str, kind: Kind, index: int, trusted: bool = False) -> list[Finding]:
    """Probe entry ``index`` of ``text`` (blocking: network). Keys come from the environment,
    ``${NAME}`` ones only when ``trusted`` (the user's own file, or the user agreed)."""
    from factory_lint.probe import DEFAULT_TIMEOUT, probe_entry

    return probe_entry(text, kind, index, DEFAULT_TIMEOUT, trusted=trusted)


def answer_within() -> float:
    """Seconds after which the command gives up on a probe (its own budget, plus a margin)."""
    from factory_lint.probe import DEFAULT_TIMEOUT, ProbeOptions, model_budget

    return model_budget(ProbeOptions(DEFAULT_TIMEOUT)) + 5.0


def is_users_own(path: str | os.PathLike[str] | None) -> bool:
    """Whether the document is one of the user's own Droid files (under ``~/.factory``)."""
    from factory_lint.probe import is_users_own as own

    return own(path)


def needs_environment(entry: ModelEntry) -> list[str]:
    from factory_lint.probe import needs_environment as needs

    return needs(entry)


def consent_question(name: str, entry: ModelEntry, names: Sequence[str]) -> str:
    """What the user is asked before ``${NAME}`` values of a project file are sent."""
    from factory_lint.probe.transport import show_url

    base = (entry.base_url or "").strip()
    try:
        host = show_url(base) if base.startswith(("http://", "https://")) else base
    except ValueError:
        host = base
    variables = ", ".join(f"${{{n}}}" for n in names)
    return (
        f"Probe this model: {name} is not one of your own Droid files (outside ~/.factory). "
        f"Its `apiKey` for model {entry.label} takes {variables} from the language server's "
        f"environment. Send {'that value' if len(names) == 1 else 'those values'} to {host}?"
    )


def severity(finding: Finding) -> Severity:
    """A probe finding's severity, as ``factory-lint probe`` reports it."""
    return finding.severity or RULES[finding.code].severity


def where(kind: Kind, index: int) -> str:
    return f"{'customModels' if kind == 'settings' else 'custom_models'}[{index}]"


def summary(
    label: str, kind: Kind, index: int, findings: Sequence[Finding], shown: bool
) -> tuple[Severity, str]:
    """The level and text of the message that reports a probe (no key: findings are scrubbed)."""
    head = f"factory-lint probe of {label} ({where(kind, index)})"
    if not findings:
        text = f"{head}: no problems found."
        level: Severity = "info"
    else:
        counts: dict[str, int] = {}
        for finding in findings:
            counts[severity(finding)] = counts.get(severity(finding), 0) + 1
        parts = [
            f"{counts[name]} {name}{'s' if counts[name] != 1 and name != 'info' else ''}"
            for name in ("error", "warning", "info")
            if name in counts
        ]
        worst = max(findings, key=lambda f: SEVERITY_RANK[severity(f)])
        level = severity(worst)
        rule = RULES.get(worst.code)
        rule_name = f" {rule.name}" if rule is not None else ""
        text = f"{head}: {', '.join(parts)}. {worst.code}{rule_name}: {worst.message}"
        if shown:
            text += " (shown in the file until it changes)"
    if not shown:
        text += " The file changed (or was closed) while probing, so nothing is shown: probe again."
    return level, text


async def in_daemon_thread(function: Callable[[], T], timeout: float | None = None) -> T:
    """Run a blocking call in its own daemon thread and await its result (``TimeoutError``
    after ``timeout`` seconds; the thread is left to finish on its own).

    Not the default executor: a probe waits on the network for up to a few timeouts, and
    the default executor's threads would hold up the lint threads and the server's exit.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        try:
            result = function()
        except BaseException as error:  # handed to the awaiting task
            outcome: tuple[Any, BaseException | None] = (None, error)
        else:
            outcome = (result, None)
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(deliver, *outcome)

    threading.Thread(target=work, name="factory-lint-probe", daemon=True).start()
    if timeout is None:
        return await future
    return await asyncio.wait_for(future, timeout)
