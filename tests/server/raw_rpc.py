"""A bare JSON-RPC client over the server's stdio, for traffic pytest-lsp cannot send:
malformed frames and bodies, lifecycle violations, bursts written in one go, a client that
goes away. Each instance runs its own server process."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Message = dict[str, Any]

SERVER = [sys.executable, "-m", "factory_lint", "server"]
CAPABILITIES_PUSH: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {"publishDiagnostics": {"versionSupport": True}},
}


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def encode(message: Message) -> bytes:
    return frame(json.dumps(message).encode())


class RawClient:
    def __init__(
        self, home: Path, stderr: Path, *, reader: bool = True, log_level: str = "info"
    ) -> None:
        env = {**os.environ, "HOME": str(home), "FACTORY_HOME_OVERRIDE": str(home)}
        self._stderr = stderr.open("wb")
        self.process = subprocess.Popen(
            [*SERVER, "--log-level", log_level],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self.stderr_path = stderr
        self.inbox: queue.Queue[Message | None] = queue.Queue()
        self.seen: list[Message] = []
        self._next_id = 0
        if reader:
            threading.Thread(target=self._read, daemon=True).start()

    # --- wire ---------------------------------------------------------------------------------

    def _read(self) -> None:
        while (message := self.read_message()) is not None:
            self.inbox.put(message)
        self.inbox.put(None)

    def read_message(self) -> Message | None:
        """The server's next message (None at the end of its output). Without the reader
        thread (``reader=False``) tests call this themselves."""
        stdout = self.process.stdout
        assert stdout is not None
        length = None
        while True:
            line = stdout.readline()
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        assert length is not None, "the server sent a frame without Content-Length"
        message: Message = json.loads(stdout.read(length))
        return message

    def write(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def send(self, message: Message) -> None:
        self.write(encode(message))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def send_request(self, method: str, params: Any = None) -> int:
        msg_id = self.request_id()
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def wait_for(self, matches: Callable[[Message], bool], timeout: float = 20.0) -> Message:
        for message in self.seen:
            if matches(message):
                self.seen.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.inbox.get(timeout=0.05)
            except queue.Empty:
                continue
            if message is None:
                raise AssertionError(f"the server closed its output; stderr:\n{self.log()}")
            if matches(message):
                return message
            self.seen.append(message)
        raise AssertionError(f"no matching message within {timeout} s; seen: {self.seen[-5:]}")

    def response(self, msg_id: int | str | None, timeout: float = 20.0) -> Message:
        return self.wait_for(
            lambda m: (
                "method" not in m and m.get("id") == msg_id and ("result" in m or "error" in m)
            ),
            timeout,
        )

    def request(self, method: str, params: Any = None, timeout: float = 20.0) -> Message:
        return self.response(self.send_request(method, params), timeout)

    # --- lifecycle ----------------------------------------------------------------------------

    def initialize(
        self, capabilities: dict[str, Any] | None = None, process_id: int | None = None
    ) -> Message:
        reply = self.request(
            "initialize",
            {
                "processId": process_id,
                "rootUri": None,
                "capabilities": capabilities if capabilities is not None else CAPABILITIES_PUSH,
                "initializationOptions": {"factoryLint": {"debounceMs": 10}},
            },
            timeout=60,
        )
        self.notify("initialized", {})
        return reply

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "jsonc", "version": version, "text": text}},
        )

    def published(self, uri: str, version: int, timeout: float = 20.0) -> Message:
        """The first publishDiagnostics for ``uri`` at ``version``."""
        return self.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            ),
            timeout,
        )

    def exit_code(self, timeout: float = 20.0) -> int:
        return self.process.wait(timeout)

    def log(self) -> str:
        """What the server wrote to stderr."""
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def client_log(self, containing: str = "", timeout: float = 20.0) -> list[tuple[int, str]]:
        """The ``window/logMessage`` notifications received so far, as (type, message); with
        ``containing``, waits until one holds that text."""

        def is_log(message: Message) -> bool:
            return message.get("method") == "window/logMessage"

        def matches(message: Message) -> bool:
            return is_log(message) and containing in message["params"]["message"]

        if containing:
            found = self.wait_for(matches, timeout)
            self.seen.append(found)
        while True:
            try:
                message = self.inbox.get_nowait()
            except queue.Empty:
                break
            if message is not None:
                self.seen.append(message)
        return [(m["params"]["type"], m["params"]["message"]) for m in self.seen if is_log(m)]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()


def rss_kib(pid: int) -> int:
    """Resident memory of a process (Linux), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")
