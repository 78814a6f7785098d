"""Real HTTP servers on loopback that answer like OpenAI, Anthropic and Ollama (for the probe tests).

Each fake is a plain ``http.server`` in a thread, bound to 127.0.0.1 on a free port; response
bodies copy the real services' shapes (model lists, error objects). Every request is recorded
(method, path, headers, body) so tests can assert what was, and what was not, sent.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from factory_lint.findings import Finding
from factory_lint.kinds import Kind
from factory_lint.probe import ProbeOptions, model_entries, probe_model


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> object:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def json_reply(status: int, data: object, **headers: str) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


App = Callable[[Recorded], Reply]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Recorded(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
        )
        owner = self.server.owner
        owner.record(request)
        with owner._lock:
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            reply = owner.app(request)
            if reply.delay:
                time.sleep(reply.delay)
        finally:
            with owner._lock:
                owner.in_flight -= 1
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FakeServer


class FakeServer:
    """An HTTP(S) server on 127.0.0.1 that answers with ``app`` and records every request."""

    def __init__(self, app: App, tls: ssl.SSLContext | None = None, port: int = 0) -> None:
        self.app = app
        self.requests: list[Recorded] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.owner = self
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- OpenAI ----------------------------------------------------------------------------------


def openai_error(status: int, message: str, type_: str, code: str | None = None) -> Reply:
    return json_reply(
        status, {"error": {"message": message, "type": type_, "param": None, "code": code}}
    )


class OpenAIFake:
    """``/v1/models``, ``/v1/chat/completions`` and ``/v1/responses`` as api.openai.com answers."""

    def __init__(self, key: str | None = "sk-proj-test", prefix: str = "/v1") -> None:
        self.key = key
        self.prefix = prefix
        self.models = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5", "gpt-5-codex", "o3"]
        #: "ok", "payment" (402), "quota" (429 insufficient_quota), "rate" (429 rate limit)
        self.billing = "ok"
        self.responses_api = True
        self.echo_key = False
        self.delay = 0.0

    def __call__(self, request: Recorded) -> Reply:
        path = urlsplit(request.path).path
        auth = request.headers.get("authorization", "")
        if self.key is not None and auth != f"Bearer {self.key}":
            sent = auth.removeprefix("Bearer ")
            shown = sent if self.echo_key else (sent[:8] + "*" * 4 + sent[-4:] if sent else "")
            if not sent:
                return openai_error(
                    401,
                    "You didn't provide an API key. You need to provide your API key in an "
                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                    "invalid_request_error",
                )
            return openai_error(
                401,
                f"Incorrect API key provided: {shown}. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                "invalid_api_key",
            )
        if self.billing == "payment":
            return openai_error(402, "Payment required: add credit to continue.", "billing_error")
        if self.billing == "quota":
            return openai_error(
                429,
                "You exceeded your current quota, please check your plan and billing details. "
                "For more information on this error, read the docs: "
                "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                "insufficient_quota",
                "insufficient_quota",
            )
        if self.billing == "rate":
            return openai_error(
                429,
                "Rate limit reached for gpt-4o in organization org-abc on requests per min "
                "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
                "requests",
                "rate_limit_exceeded",
            )
        if request.method == "GET" and path == f"{self.prefix}/models":
            return json_reply(
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": m, "object": "model", "created": 1715367049, "owned_by": "system"}
                        for m in self.models
                    ],
                },
            )
        if request.method == "POST" and path == f"{self.prefix}/chat/completions":
            body = request.json
            assert isinstance(body, dict)
            if body.get("model") not in self.models:
                return openai_error(
                    404,
                    f"The model `{body.get('model')}` does not exist or you do not have access "
                    "to it.",
                    "invalid_request_error",
                    "model_not_found",
                )
            return json_reply(
                200,
                {
                    "id": "chatcmpl-123",
                    "object": "chat.completion",
                    "created": 1741569952,
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": "Pong"},
                            "finish_reason": "length",
                        }
                    ],
                    "usage": {"prompt_tokens": 8, "completion_tokens": 1, "total_tokens": 9},
                },
            )
        if request.method == "POST" and path == f"{self.prefix}/responses" and self.responses_api:
            body = request.json
            assert isinstance(body, dict)
            if body.get("model") not in self.models:
                return openai_error(
                    400,
                    f"The requested model '{body.get('model')}' does not exist.",
                    "invalid_request_error",
                    "model_not_found",
                )
            return json_reply(
                200,
                {
                    "id": "resp_67ccd2bed1ec8190",
                    "object": "response",
                    "status": "incomplete",
                    "model": body["model"],
                    "output": [],
                    "usage": {"input_tokens": 8, "output_tokens": 16, "total_tokens": 24},
                },
            )
        return openai_error(404, f"Invalid URL ({request.method} {path})", "invalid_request_error")


# --- Anthropic -------------------------------------------------------------------------------


def anthropic_error(status: int, type_: str, message: str) -> Reply:
    return json_reply(
        status,
        {
            "type": "error",
            "error": {"type": type_, "message": message},
            "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy",
        },
    )


class AnthropicFake:
    """``/v1/models`` (paginated) and ``/v1/messages`` as api.anthropic.com answers."""

    def __init__(self, key: str | None = "sk-ant-api03-test") -> None:
        self.key = key
        self.models = [
            ("claude-opus-4-1-20250805", "Claude Opus 4.1"),
            ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
            ("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
        ]
        self.page_size = 2
        self.low_credit = False

    def __call__(self, request: Recorded) -> Reply:
        parts = urlsplit(request.path)
        key = request.headers.get("x-api-key")
        if self.key is not None and key is None:
            return anthropic_error(401, "authentication_error", "x-api-key header is required")
        if self.key is not None and key != self.key:
            return anthropic_error(401, "authentication_error", "invalid x-api-key")
        if "anthropic-version" not in request.headers:
            return anthropic_error(
                400, "invalid_request_error", "anthropic-version: header is required"
            )
        ids = [m for m, _ in self.models]
        if request.method == "GET" and parts.path == "/v1/models":
            query = parse_qs(parts.query)
            start = ids.index(query["after_id"][0]) + 1 if "after_id" in query else 0
            page = self.models[start : start + self.page_size]
            return json_reply(
                200,
                {
                    "data": [
                        {
                            "type": "model",
                            "id": m,
                            "display_name": name,
                            "created_at": "2025-09-29T00:00:00Z",
                        }
                        for m, name in page
                    ],
                    "has_more": start + self.page_size < len(ids),
                    "first_id": page[0][0] if page else None,
                    "last_id": page[-1][0] if page else None,
                },
            )
        if request.method == "POST" and parts.path == "/v1/messages":
            if self.low_credit:
                return anthropic_error(
                    400,
                    "invalid_request_error",
                    "Your credit balance is too low to access the Anthropic API. Please go to "
                    "Plans & Billing to upgrade or purchase credits.",
                )
            body = request.json
            assert isinstance(body, dict)
            model = str(body.get("model"))
            if model not in ids and not any(i.startswith(model + "-") for i in ids):
                return anthropic_error(404, "not_found_error", f"model: {model}")
            return json_reply(
                200,
                {
                    "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
                    "type": "message",
                    "role": "assistant",
                    "model": model,
                    "content": [{"type": "text", "text": "Pong"}],
                    "stop_reason": "max_tokens",
                    "stop_sequence": None,
                    "usage": {"input_tokens": 8, "output_tokens": 1},
                },
            )
        return anthropic_error(404, "not_found_error", "Not Found")


# --- Ollama ----------------------------------------------------------------------------------


@dataclass
class OllamaModel:
    name: str
    arch: str = "qwen3"
    trained_context: int = 40960
    num_ctx: int | None = None


class OllamaFake:
    """The native ``/api/*`` endpoints and the OpenAI-compatible ``/v1/*`` ones of Ollama."""

    def __init__(self) -> None:
        self.models = [
            OllamaModel("qwen3:4b", num_ctx=4096),
            OllamaModel("qwen3-coder:30b", num_ctx=65536),
            OllamaModel("llama3.2:latest", arch="llama", trained_context=131072),
            OllamaModel("phi3:mini", arch="phi3", trained_context=4096),
        ]
        #: model name -> context length of the loaded runner (``/api/ps``)
        self.loaded: dict[str, int] = {}

    def find(self, name: object) -> OllamaModel | None:
        for model in self.models:
            if name in (model.name, model.name.removesuffix(":latest")):
                return model
        return None

    def __call__(self, request: Recorded) -> Reply:
        path = urlsplit(request.path).path
        if path == "/" and request.method in ("GET", "HEAD"):
            return Reply(200, b"Ollama is running", {"Content-Type": "text/plain"})
        if path == "/api/version":
            return json_reply(200, {"version": "0.12.6"})
        if path == "/api/tags":
            return json_reply(
                200,
                {
                    "models": [
                        {
                            "name": m.name,
                            "model": m.name,
                            "modified_at": "2025-10-01T10:00:00.000000000Z",
                            "size": 2497293931,
                            "digest": "a3de86cd1c13" + "0" * 52,
                            "details": {
                                "parent_model": "",
                                "format": "gguf",
                                "family": m.arch,
                                "families": [m.arch],
                                "parameter_size": "4.0B",
                                "quantization_level": "Q4_K_M",
                            },
                        }
                        for m in self.models
                    ]
                },
            )
        if path == "/api/show" and request.method == "POST":
            body = request.json
            model = self.find(body.get("model") if isinstance(body, dict) else None)
            if model is None:
                name = body.get("model") if isinstance(body, dict) else None
                return json_reply(404, {"error": f"model '{name}' not found"})
            parameters = (
                'repeat_penalty                 1\nstop                           "<|im_start|>"'
            )
            if model.num_ctx is not None:
                parameters = f"num_ctx                        {model.num_ctx}\n" + parameters
            return json_reply(
                200,
                {
                    "license": "Apache License 2.0",
                    "modelfile": f'# Modelfile generated by "ollama show"\nFROM {model.name}\n',
                    "parameters": parameters,
                    "template": "{{ .Prompt }}",
                    "details": {"format": "gguf", "family": model.arch},
                    "model_info": {
                        "general.architecture": model.arch,
                        "general.parameter_count": 4022468096,
                        f"{model.arch}.context_length": model.trained_context,
                        f"{model.arch}.embedding_length": 2560,
                    },
                    "capabilities": ["completion", "tools"],
                    "modified_at": "2025-10-01T10:00:00.000000000Z",
                },
            )
        if path == "/api/ps":
            return json_reply(
                200,
                {
                    "models": [
                        {
                            "name": name,
                            "model": name,
                            "size": 5137025024,
                            "digest": "a3de86cd1c13" + "0" * 52,
                            "expires_at": "2025-10-01T10:05:00.000000000Z",
                            "size_vram": 5137025024,
                            "context_length": context,
                        }
                        for name, context in self.loaded.items()
                    ]
                },
            )
        if path == "/v1/models" and request.method == "GET":
            return json_reply(
                200,
                {
                    "object": "list",
                    "data": [
                        {
                            "id": m.name,
                            "object": "model",
                            "created": 1759312800,
                            "owned_by": "library",
                        }
                        for m in self.models
                    ],
                },
            )
        if path == "/v1/chat/completions" and request.method == "POST":
            body = request.json
            name = body.get("model") if isinstance(body, dict) else None
            if self.find(name) is None:
                return json_reply(
                    404,
                    {
                        "error": {
                            "message": f'model "{name}" not found, try pulling it first',
                            "type": "api_error",
                            "param": None,
                            "code": None,
                        }
                    },
                )
            return json_reply(
                200,
                {
                    "id": "chatcmpl-42",
                    "object": "chat.completion",
                    "created": 1759312800,
                    "model": name,
                    "system_fingerprint": "fp_ollama",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": "Pong"},
                            "finish_reason": "length",
                        }
                    ],
                    "usage": {"prompt_tokens": 11, "completion_tokens": 1, "total_tokens": 12},
                },
            )
        return Reply(404, b"404 page not found", {"Content-Type": "text/plain"})


# --- a forward proxy -------------------------------------------------------------------------


class _ProxyHandler(BaseHTTPRequestHandler):
    server: _ProxyServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_CONNECT(self) -> None:
        owner = self.server.owner
        owner.record(
            Recorded("CONNECT", self.path, {k.lower(): v for k, v in self.headers.items()}, b"")
        )
        host, _, port = self.path.rpartition(":")
        target = owner.route(host, int(port))
        try:
            upstream = socket.create_connection(target, timeout=5)
        except OSError:
            self.send_response(502, "Bad Gateway")
            self.end_headers()
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 5)
                if not readable:
                    break
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is self.connection:
                        owner.tunnelled += data
                    (upstream if sock is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()

    def _forward(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner.record(Recorded(self.command, self.path, headers, body))
        parts = urlsplit(self.path)
        host, port = owner.route(parts.hostname or "", parts.port or 80)
        connection = http.client.HTTPConnection(host, port, timeout=5)
        forwarded = {
            k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection",)
        }
        try:
            connection.request(
                self.command,
                parts.path + (f"?{parts.query}" if parts.query else ""),
                body,
                forwarded,
            )
            answer = connection.getresponse()
            payload = answer.read()
        except OSError:
            self.send_response(502, "Bad Gateway")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        finally:
            connection.close()
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _forward


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: FakeProxy


class FakeProxy:
    """A forward proxy on 127.0.0.1: plain HTTP requests and CONNECT tunnels.

    ``routes`` maps a requested ``(host, port)`` to where the proxy really connects, so tests can
    use names that never reach DNS. Everything the client sent into a tunnel is kept in
    ``tunnelled`` (it is TLS ciphertext: a key must never appear in it).
    """

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.routes: dict[tuple[str, int], tuple[str, int]] = {}
        self.tunnelled = b""
        self._lock = threading.Lock()
        self.httpd = _ProxyServer(("127.0.0.1", 0), _ProxyHandler)
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def route(self, host: str, port: int) -> tuple[str, int]:
        return self.routes.get((host, port), (host, port))

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- helpers ---------------------------------------------------------------------------------


def settings_text(*entries: Mapping[str, object], kind: Kind = "settings") -> str:
    key = "customModels" if kind == "settings" else "custom_models"
    return json.dumps({key: list(entries)}, indent=2) + "\n"


def probe(
    text: str,
    kind: Kind = "settings",
    env: Mapping[str, str] | None = None,
    deep: bool = False,
    timeout: float = 3.0,
    *,
    expand_env: bool = True,
    allow_http: bool = False,
) -> list[Finding]:
    """Probe every entry of ``text`` in this process (as the user's own file by default)."""
    options = ProbeOptions(timeout, deep, dict(env or {}), expand_env, allow_http)
    return [f for e in model_entries(text, kind) for f in probe_model(e, options)]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def at(text: str, finding: Finding) -> str:
    """The text a finding's range covers."""
    return text[finding.start : finding.end]
