"""Logging for the server, with secrets scrubbed.

While a client is connected every record goes to it as an LSP ``window/logMessage`` of the
record's level, so editors show it as what it is: VS Code and Neovim take anything a server
writes to stderr for an error (``[error]`` in VS Code's output channel, ``[ERROR]`` in Neovim's
lsp.log). Stderr (stdout carries the protocol) gets only warnings and errors that no client can
receive: before ``initialize``, after the connection ended, or when sending failed.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable, Iterable
from typing import TextIO

from factory_lint.engine import scrub

LOGGER = logging.getLogger("factory_lint.server")

#: LSP ``MessageType`` of each logging level (3.18's Debug = 5 is not known to older clients).
_MESSAGE_TYPES = ((logging.ERROR, 1), (logging.WARNING, 2), (logging.INFO, 3), (0, 4))

Sender = Callable[[int, str], None]


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


def message_type(level: int) -> int:
    """The LSP ``MessageType`` for a logging level."""
    return next(kind for threshold, kind in _MESSAGE_TYPES if level >= threshold)


class ClientLogHandler(logging.Handler):
    """Sends records to the connected client (``window/logMessage``), else warnings and errors
    to stderr."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._send: Sender | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._busy = threading.local()
        self._fallback = logging.StreamHandler(stream)
        self._fallback.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )

    @property
    def connected(self) -> bool:
        return self._send is not None

    def connect(self, send: Sender, loop: asyncio.AbstractEventLoop) -> None:
        """From now on, records go to the client through ``send`` (run on ``loop``)."""
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self._send = send

    def disconnect(self) -> None:
        """The client is gone (or going): records go to stderr again."""
        self._send = None

    def emit(self, record: logging.LogRecord) -> None:
        send = self._send
        if send is not None and not getattr(self._busy, "active", False):
            self._busy.active = True  # a record logged while sending is not sent again
            try:
                kind, message = message_type(record.levelno), record.getMessage()
                if threading.get_ident() == self._loop_thread or self._loop is None:
                    send(kind, message)
                else:  # the protocol's writer belongs to the event loop's thread
                    self._loop.call_soon_threadsafe(self._send_quietly, send, kind, message)
                return
            except Exception:
                self.disconnect()  # the connection is broken: fall back to stderr
            finally:
                self._busy.active = False
        if record.levelno >= logging.WARNING:
            self._fallback.emit(record)

    def _send_quietly(self, send: Sender, kind: int, message: str) -> None:
        try:
            send(kind, message)
        except Exception:
            self.disconnect()


#: The handler :func:`configure` installed (None before).
HANDLER: ClientLogHandler | None = None


def connect(send: Sender, loop: asyncio.AbstractEventLoop) -> None:
    """Send the log to the client from now on (called when ``initialize`` arrives)."""
    if HANDLER is not None:
        HANDLER.connect(send, loop)


def disconnect() -> None:
    """Stop sending the log to the client (its input ended, its process is gone)."""
    if HANDLER is not None:
        HANDLER.disconnect()


def configure(level: str, secrets: Callable[[], Iterable[str]]) -> None:
    """Route our log (and pygls' warnings) through the scrubbing filter to the client, or to
    stderr when there is none."""
    global HANDLER
    handler = ClientLogHandler(sys.stderr)
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
    HANDLER = handler


def _not_a_deserialize_traceback(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Unable to deserialize message")
