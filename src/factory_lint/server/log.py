"""Logging for the server: to stderr (stdout carries the protocol), with secrets scrubbed."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable

from factory_lint.engine import scrub

LOGGER = logging.getLogger("factory_lint.server")


class ScrubFilter(logging.Filter):
    """Masks anything key-shaped (and every known secret) in a log record's final text."""

    def __init__(self, secrets: Callable[[], Iterable[str]]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
            if record.exc_info:
                formatter = logging.Formatter()
                message += "\n" + formatter.formatException(record.exc_info)
                record.exc_info = None
                record.exc_text = None
            # Debug and info records are the server's own words (timings, URIs); warnings and
            # errors may quote data, so they are also checked against every known secret.
            secrets = self._secrets() if record.levelno >= logging.WARNING else ()
            record.msg = scrub_text(message, secrets)
            record.args = None
        except Exception:
            record.msg = "(log message dropped: it could not be checked for secrets)"
            record.args = None
        return True


def scrub_text(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with ``secrets`` (values of 8+ characters anywhere, shorter ones as whole
    words) and anything secret-shaped masked."""
    unique = set(secrets)
    values = sorted((s for s in unique if len(s) >= 8), key=len, reverse=True)
    short = sorted((s for s in unique if 4 <= len(s) < 8), key=len, reverse=True)
    return scrub(text, values, short)


def configure(level: str, secrets: Callable[[], Iterable[str]]) -> None:
    """Send our log (and pygls' warnings) to stderr, through the scrubbing filter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(ScrubFilter(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    LOGGER.setLevel(getattr(logging, level.upper(), logging.INFO))
    # pygls logs whole messages (document text included) at INFO/DEBUG: keep it quiet.
    logging.getLogger("pygls").setLevel(logging.WARNING)
    # Params that do not fit their method: the transport answers -32602 and logs one line;
    # pygls' record of the same thing is a cattrs traceback.
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_not_a_deserialize_traceback)


def _not_a_deserialize_traceback(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Unable to deserialize message")
