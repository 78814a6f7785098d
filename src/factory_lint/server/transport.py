"""The stdio transport: LSP framing and JSON-RPC checks in front of pygls' protocol.

pygls' own read loop logs what it cannot parse and answers nothing, so a client waiting for
the reply to a malformed request waits forever. This loop answers every request, per JSON-RPC
2.0 and the LSP specification:

- a body that is not JSON: ``-32700`` Parse error (``id`` null);
- not an object, a wrong ``jsonrpc``, ``id`` or ``method``, or a body over
  :data:`MAX_MESSAGE_BYTES` (read and dropped in chunks): ``-32600`` Invalid Request;
- params that do not fit the method: ``-32602`` Invalid params, with the request's ``id``;
- a request before ``initialize``: ``-32002`` ServerNotInitialized (notifications dropped);
- a second ``initialize``, or a request after ``shutdown``: ``-32600`` Invalid Request.

Everything else goes to pygls unchanged. The server also stops when its input ends (the client
went away) or when the client's process (``processId`` of ``initialize``, if it existed then)
no longer exists.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
import weakref
from collections.abc import Callable
from typing import Any, BinaryIO, Protocol

from factory_lint.server import log

LOGGER = logging.getLogger("factory_lint.server")

#: The largest message body accepted (a 64 MB file, JSON-escaped, fits).
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
#: How often the client's process is checked for (seconds).
PARENT_CHECK_SECONDS = 3.0

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
SERVER_NOT_INITIALIZED = -32002

#: A Content-Length header at the end of a line (``search``: other bytes may come before it).
_CONTENT_LENGTH = re.compile(rb"content-length:[ \t]*(\d{1,12})[ \t]*$", re.IGNORECASE)
_CHUNK = 1 << 20


class Frame:
    """One message read from the client: its body, or why there is none (and whether that
    gets an error answer: a body too large to read does, a header without a length cannot)."""

    __slots__ = ("answer", "body", "problem")

    def __init__(self, body: bytes | None, problem: str = "", answer: bool = False) -> None:
        self.body = body
        self.problem = problem
        self.answer = answer


class RpcProtocol(Protocol):
    """What the loop needs of pygls' protocol object."""

    def structure_message(self, data: dict[str, Any]) -> Any: ...

    def handle_message(self, message: Any) -> None: ...


class FrameReader:
    """Reads frames from the client's byte stream, and resynchronises after a frame whose
    ``Content-Length`` is wrong: a header line with other bytes before ``Content-Length:`` (the
    rest of a frame that was longer than it said) starts a new header there, and a body that
    cannot be a JSON message (it does not end with ``}`` or ``]``) is cut before a
    ``Content-Length:`` inside it (the next frame's header, read as body because the length
    said more than the frame had); the bytes after the cut are read again as the next frame.
    Before this, one frame with a wrong length desynchronised the server for good."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        #: bytes read from the stream that belong to the next frame
        self.pending = b""

    def _readline(self, limit: int) -> bytes:
        pending = self.pending
        if not pending:
            return self.stream.readline(limit)
        end = pending.find(b"\n", 0, limit)
        if end >= 0 or len(pending) >= limit:
            cut = end + 1 if end >= 0 else limit
            self.pending = pending[cut:]
            return pending[:cut]
        self.pending = b""
        return pending + self.stream.readline(limit - len(pending))

    def _read(self, size: int) -> bytes:
        head, self.pending = self.pending[:size], self.pending[size:]
        if len(head) < size:
            head += self.stream.read(size - len(head))
        return head

    def next(self) -> Frame | None:
        """The next message (None at the end of the stream). Headers end with an empty line;
        ``Content-Length`` is required, any other header is ignored."""
        length: int | None = None
        while True:
            line = self._readline(65536)
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            match = _CONTENT_LENGTH.search(line.rstrip(b"\r\n"))
            if match:
                if match.start():
                    LOGGER.warning(
                        "resynchronised: %d bytes before a Content-Length header dropped",
                        match.start(),
                    )
                length = int(match.group(1))
        if length is None:
            return Frame(None, "a header without a valid Content-Length")
        if length > MAX_MESSAGE_BYTES:
            remaining = length
            while remaining:
                chunk = self._read(min(remaining, _CHUNK))
                if not chunk:
                    return None
                remaining -= len(chunk)
            limit = f"the limit is {MAX_MESSAGE_BYTES:,}"
            return Frame(None, f"a message of {length:,} bytes ({limit})", answer=True)
        body = self._read(length)
        if len(body) < length:
            return None
        if not body.rstrip(b" \t\r\n").endswith((b"}", b"]")):
            cut = _next_header_start(body)
            if cut is not None:
                LOGGER.warning("resynchronised: a frame was shorter than its Content-Length")
                self.pending = body[cut:] + self.pending
                body = body[:cut]
        return Frame(body)


_HEADER_NAME = b"content-length:"


def _next_header_start(body: bytes) -> int | None:
    """Where the next frame's header starts in a body read too far: the first
    ``Content-Length:``, or a start of one cut off at the end of the body."""
    lowered = body.lower()
    found = lowered.find(_HEADER_NAME)
    if found >= 0:
        return found
    for size in range(min(len(_HEADER_NAME) - 1, len(body)), 0, -1):
        if lowered.endswith(_HEADER_NAME[:size]):
            return len(body) - size
    return None


_READERS: weakref.WeakKeyDictionary[BinaryIO, FrameReader] = weakref.WeakKeyDictionary()


def read_frame(stream: BinaryIO) -> Frame | None:
    """The next message of ``stream`` (None at its end), read by one :class:`FrameReader` per
    stream."""
    reader = _READERS.get(stream)
    if reader is None:
        reader = _READERS[stream] = FrameReader(stream)
    return reader.next()


def encode(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def error_response(msg_id: int | str | None, code: int, message: str) -> bytes:
    return encode({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})


def _valid_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


class Dispatcher:
    """Checks each message and hands the good ones to pygls; the lifecycle rules live here."""

    def __init__(self, protocol: RpcProtocol, write: Callable[[bytes], None]) -> None:
        self.protocol = protocol
        self.write = write
        self.initialized = False
        self.shut_down = False
        self.parent_pid: int | None = None

    def dispatch(self, body: bytes) -> None:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as error:
            LOGGER.warning("dropped a message that is not JSON: %s", type(error).__name__)
            self.write(error_response(None, PARSE_ERROR, "Parse error: the body is not JSON"))
            return
        if not isinstance(data, dict):
            self.invalid(None, f"expected a JSON object, got {type(data).__name__}")
            return
        has_id = "id" in data
        msg_id = data.get("id")
        method = data.get("method")
        if has_id and msg_id is not None and not _valid_id(msg_id):
            self.invalid(None, "'id' must be an integer or a string")
            return
        reply_id = msg_id if has_id and _valid_id(msg_id) else None
        if data.get("jsonrpc") != "2.0":
            self.invalid(reply_id, "'jsonrpc' must be \"2.0\"")
            return
        if "method" in data and not isinstance(method, str):
            self.invalid(reply_id, "'method' must be a string")
            return
        if isinstance(method, str):
            if not self._admit(method, reply_id if has_id else None, is_request=has_id):
                return
            if method == "initialize" and isinstance(data.get("params"), dict):
                pid = data["params"].get("processId")
                # Watched only when it exists now: a client in another PID namespace (a
                # container, a remote machine) sends a number that means nothing here.
                watch = isinstance(pid, int) and pid > 0 and _parent_alive(pid)
                self.parent_pid = pid if watch else None
        elif not has_id:
            LOGGER.warning("dropped a message with neither 'method' nor 'id'")
            return
        try:
            message = self.protocol.structure_message(data)
        except Exception as error:
            LOGGER.warning("dropped message %r: its params do not fit (%s)", method, error)
            if isinstance(method, str) and has_id:
                self.write(
                    error_response(
                        reply_id, INVALID_PARAMS, f"Invalid params for {method!r}: {error}"
                    )
                )
            return
        if isinstance(method, str) and has_id:
            if method == "initialize":
                self.initialized = True
            elif method == "shutdown":
                self.shut_down = True
        try:
            self.protocol.handle_message(message)
        except Exception as error:
            LOGGER.error("handling %r failed: %s: %s", method, type(error).__name__, error)
            if isinstance(method, str) and has_id:
                self.write(error_response(reply_id, INTERNAL_ERROR, "Internal error"))

    def _admit(self, method: str, msg_id: int | str | None, *, is_request: bool) -> bool:
        """Whether the lifecycle allows ``method`` now; answers the request when it does not."""
        if method == "exit":
            return True
        if not self.initialized:
            if method == "initialize" and is_request:
                return True
            if is_request:
                self.write(
                    error_response(
                        msg_id,
                        SERVER_NOT_INITIALIZED,
                        f"{method!r} before 'initialize': the server is not initialized",
                    )
                )
            return False
        if method == "initialize":
            if is_request:
                self.invalid(msg_id, "the server is already initialized")
            return False
        if self.shut_down:
            if is_request:
                self.invalid(msg_id, f"{method!r} after 'shutdown': the server is shutting down")
            return False
        return True

    def invalid(self, msg_id: int | str | None, why: str) -> None:
        LOGGER.warning("invalid request: %s", why)
        self.write(error_response(msg_id, INVALID_REQUEST, f"Invalid Request: {why}"))


def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


async def run(
    dispatcher: Dispatcher, stdin: BinaryIO, stop: threading.Event, check_seconds: float
) -> str:
    """Read and dispatch until the input ends, ``stop`` is set or the client's process is
    gone; returns why it stopped."""
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue[Frame | None] = asyncio.Queue()

    frame_reader = FrameReader(stdin)

    def reader() -> None:
        try:
            while True:
                frame = frame_reader.next()
                loop.call_soon_threadsafe(frames.put_nowait, frame)
                if frame is None:
                    return
        except Exception as error:  # a closed or broken stream
            log.disconnect()
            LOGGER.warning("reading from the client failed: %s", error)
            loop.call_soon_threadsafe(frames.put_nowait, None)

    threading.Thread(target=reader, name="lsp-reader", daemon=True).start()
    while not stop.is_set():
        try:
            frame = await asyncio.wait_for(frames.get(), timeout=check_seconds)
        except asyncio.TimeoutError:
            pid = dispatcher.parent_pid
            if pid is not None and not _parent_alive(pid):
                log.disconnect()
                LOGGER.warning("the client's process %d is gone: stopping", pid)
                return "client process gone"
            continue
        if frame is None:
            log.disconnect()
            return "end of input"
        if frame.body is None:
            if frame.answer:
                dispatcher.invalid(None, f"dropped {frame.problem}")
            else:
                LOGGER.warning("dropped %s", frame.problem)
            continue
        dispatcher.dispatch(frame.body)
        await asyncio.sleep(0)  # let handlers scheduled by this message run
    return "stopped"
