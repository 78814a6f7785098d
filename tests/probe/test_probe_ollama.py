"""The probe against an Ollama fake: detection, models not pulled, context windows."""

from __future__ import annotations

from probe_fakes import FakeServer, OllamaFake, at, codes, probe, settings_text

from factory_lint.probe.core import ollama_root


def entry(server: FakeServer, **fields: object) -> dict[str, object]:
    values: dict[str, object] = {
        "model": "qwen3-coder:30b",
        "provider": "generic-chat-completion-api",
        "baseUrl": f"{server.url}/v1",
        "apiKey": "ollama",
    }
    values.update(fields)
    return values


def app(server: FakeServer) -> OllamaFake:
    assert isinstance(server.app, OllamaFake)
    return server.app


def test_pulled_model_with_enough_context_is_fine(ollama: FakeServer) -> None:
    assert probe(settings_text(entry(ollama))) == []
    assert "GET /api/tags" in ollama.paths() and "POST /api/show" in ollama.paths()


def test_model_not_pulled(ollama: FakeServer) -> None:
    text = settings_text(entry(ollama, model="qwen3-coder:480b"))
    findings = probe(text)
    assert codes(findings) == ["FL807"]  # instead of FL805: Ollama's own list says more
    assert at(text, findings[0]) == '"qwen3-coder:480b"'
    assert 'closest: "qwen3-coder:30b"' in findings[0].message
    assert findings[0].help is not None and "ollama pull qwen3-coder:480b" in findings[0].help


def test_untagged_name_means_latest(ollama: FakeServer) -> None:
    findings = probe(settings_text(entry(ollama, model="llama3.2")))
    assert codes(findings) == ["FL808"]  # found as llama3.2:latest; context unknown: info
    assert findings[0].severity == "info"


def test_small_num_ctx_names_the_modelfile_setting(ollama: FakeServer) -> None:
    text = settings_text(entry(ollama, model="qwen3:4b"))
    findings = probe(text)
    assert codes(findings) == ["FL808"]
    assert findings[0].severity is None  # the rule's default: warning
    assert "num_ctx 4,096" in findings[0].message
    assert findings[0].help is not None and "PARAMETER num_ctx 32768" in findings[0].help


def test_server_default_context_from_ps_names_the_variable(ollama: FakeServer) -> None:
    app(ollama).loaded["llama3.2:latest"] = 4096
    findings = probe(settings_text(entry(ollama, model="llama3.2:latest")))
    assert codes(findings) == ["FL808"]
    assert "4,096-token context (`/api/ps`" in findings[0].message
    assert findings[0].help is not None and "OLLAMA_CONTEXT_LENGTH=32768" in findings[0].help


def test_loaded_with_large_context_is_fine(ollama: FakeServer) -> None:
    app(ollama).loaded["llama3.2:latest"] = 65536
    assert probe(settings_text(entry(ollama, model="llama3.2:latest"))) == []


def test_model_trained_on_a_small_context(ollama: FakeServer) -> None:
    findings = probe(settings_text(entry(ollama, model="phi3:mini")))
    assert codes(findings) == ["FL808"]
    assert "at most 4,096 tokens" in findings[0].message
    assert "phi3.context_length" in findings[0].message


def test_missing_v1_on_ollama(ollama: FakeServer) -> None:
    text = settings_text(entry(ollama, baseUrl=ollama.url))
    findings = probe(text)
    assert codes(findings) == ["FL806"]
    assert findings[0].fix is not None
    assert findings[0].fix.edits[0].text == f'"{ollama.url}/v1"'


def test_anthropic_style_on_ollama_uses_the_root(ollama: FakeServer) -> None:
    text = settings_text(entry(ollama, provider="anthropic", baseUrl=ollama.url, model="nope:1b"))
    findings = probe(text)
    assert codes(findings) == ["FL807"]


def test_deep_model_not_pulled_shows_ollamas_error(ollama: FakeServer) -> None:
    findings = probe(settings_text(entry(ollama, model="mistral:7b")), deep=True)
    assert codes(findings) == ["FL807", "FL809"]
    assert "not found, try pulling it first" in findings[1].message


def test_ollama_root() -> None:
    assert ollama_root("http://h:11434/v1") == "http://h:11434"
    assert ollama_root("http://h:11434/v1/chat/completions") == "http://h:11434"
    assert ollama_root("https://proxy.example/ollama/v1/") == "https://proxy.example/ollama"
