"""Run ``factory-lint probe`` against the test fakes, for the examples in docs/probe.md.

    python tests/probe/demo.py [--deep] [--output-format FORMAT]

Starts the Ollama fake on 127.0.0.1:11434, an OpenAI-style proxy fake on :8317 and an
Anthropic-style fake on :8318 (all loopback; the ports must be free), writes a settings file
with typical mistakes to a temporary folder and probes it. Nothing leaves the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from probe_fakes import AnthropicFake, FakeServer, OllamaFake, OpenAIFake  # noqa: E402

SETTINGS = """\
{
  "customModels": [
    {
      "model": "qwen3-coder:480b",
      "provider": "generic-chat-completion-api",
      "baseUrl": "http://localhost:11434/v1",
      "apiKey": "ollama"
    },
    {
      "model": "qwen3:4b",
      "provider": "generic-chat-completion-api",
      "baseUrl": "http://localhost:11434/v1",
      "apiKey": "ollama"
    },
    {
      "model": "gpt-4.1",
      "provider": "generic-chat-completion-api",
      "baseUrl": "http://127.0.0.1:8317",
      "apiKey": "${PROXY_API_KEY}"
    },
    {
      "model": "gpt-5-codex",
      "provider": "openai",
      "baseUrl": "http://127.0.0.1:8317/v1",
      "apiKey": "${PROXY_API_KEY}"
    },
    {
      "model": "gpt-5-codx",
      "provider": "generic-chat-completion-api",
      "baseUrl": "http://127.0.0.1:8317/v1",
      "apiKey": "${PROXY_API_KEY}"
    },
    {
      "model": "claude-sonnet-4-5",
      "provider": "anthropic",
      "baseUrl": "http://127.0.0.1:8318/v1",
      "apiKey": "${ANTHROPIC_API_KEY}"
    },
    {
      "model": "claude-opus-4-1",
      "provider": "anthropic",
      "baseUrl": "http://127.0.0.1:8318",
      "apiKey": "${OLD_ANTHROPIC_KEY}"
    },
    {
      "model": "llama-3.3-70b",
      "provider": "generic-chat-completion-api",
      "baseUrl": "http://127.0.0.1:8000/v1",
      "apiKey": ""
    }
  ]
}
"""


def main() -> int:
    proxy_app = OpenAIFake(key="sk-proxy-demo-0123456789abcdef")
    proxy_app.responses_api = False  # like most OpenAI-compatible proxies
    servers = [
        FakeServer(OllamaFake(), port=11434),
        FakeServer(proxy_app, port=8317),
        FakeServer(AnthropicFake(key="sk-ant-api03-demo-0123456789abcdef"), port=8318),
    ]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / ".factory"
            folder.mkdir()
            (folder / "settings.json").write_text(SETTINGS, encoding="utf-8")
            env = {
                **os.environ,
                "PROXY_API_KEY": "sk-proxy-demo-0123456789abcdef",
                "ANTHROPIC_API_KEY": "sk-ant-api03-demo-0123456789abcdef",
                "OLD_ANTHROPIC_KEY": "sk-ant-api03-revoked-0000000000",
                "NO_PROXY": "127.0.0.1,localhost",
                "FACTORY_HOME_OVERRIDE": tmp,  # the file is the user's own: ${NAME} expanded
                "PYTHONPATH": str(HERE.parents[1] / "src"),
            }
            command = [sys.executable, "-m", "factory_lint", "probe", ".factory/settings.json"]
            return subprocess.run([*command, *sys.argv[1:]], cwd=tmp, env=env).returncode
    finally:
        for server in servers:
            server.close()


if __name__ == "__main__":
    raise SystemExit(main())
