"""The packaged domain catalogs (endpoints, key formats, models) and their loader."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import string
import subprocess
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from factory_lint import catalog
from factory_lint.catalog import (
    LOCAL_HOSTS,
    PROVIDER_STYLES,
    STYLES,
    endpoint_by_id,
    endpoint_for_port,
    endpoint_for_url,
    endpoints,
    families_for,
    find_model,
    identify_key,
    is_placeholder,
    key_format_by_id,
    key_formats,
    model_family,
    models_for,
    placeholder_reason,
    suggest_models,
)

REPO = Path(__file__).resolve().parent.parent
REFERENCE = REPO.parent / "shared" / "reference"
CATALOG_DIR = REPO / "src" / "factory_lint" / "data" / "catalog"
needs_reference = pytest.mark.skipif(
    not (REFERENCE / "keys.json").is_file(), reason="shared reference folder not available"
)


def raw(name: str) -> Any:
    text = resources.files("factory_lint").joinpath("data", "catalog", name).read_text("utf-8")
    return json.loads(text)


# ---------------------------------------------------------------------------------------------
# Files and consistency
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["endpoints.json", "keys.json", "models.json"])
def test_files_load_and_stay_small(name: str) -> None:
    data = raw(name)
    assert data["format"] == 1
    assert (CATALOG_DIR / name).stat().st_size < 400_000


def test_counts() -> None:
    assert len(endpoints()) >= 31
    assert len(key_formats()) >= 30
    assert len(catalog.all_models()) >= 1000


def test_endpoints_sorted_unique_and_complete() -> None:
    ids = [e.id for e in endpoints()]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    for endpoint in endpoints():
        assert endpoint_by_id(endpoint.id) is endpoint
        assert endpoint.hosts, endpoint.id
        assert endpoint.source, endpoint.id
        assert endpoint.api_styles, endpoint.id
        assert endpoint.api_styles <= set(STYLES)
        for style in endpoint.base_urls:
            assert style in endpoint.api_styles, (endpoint.id, style)
            assert endpoint.base_urls[style] == endpoint.base_url_variants[style][0]
        for style, url in endpoint.base_urls.items():
            assert not url.endswith("/"), url
            assert url.startswith(("http://", "https://")), url
            if style == "anthropic":
                # the Anthropic SDK appends /v1/messages itself
                assert not url.rstrip("/").endswith("/v1"), url


def test_path_prefix_matches_openai_style_base_urls() -> None:
    for endpoint in endpoints():
        if endpoint.path_prefix is None:
            continue
        urls = [endpoint.base_urls.get("chat"), endpoint.base_urls.get("responses")]
        assert any(u and endpoint.path_prefix in u for u in urls), endpoint.id


def test_local_endpoints_have_unique_ports() -> None:
    local = [e for e in endpoints() if e.is_local]
    ports = [e.local_port for e in local]
    assert len(ports) == len(set(ports))
    for endpoint in local:
        assert set(endpoint.hosts) == LOCAL_HOSTS
    assert set(raw("endpoints.json")["local_hosts"]) == LOCAL_HOSTS
    expected = {
        11434: "ollama",
        1234: "lmstudio",
        8000: "vllm",
        8080: "llamacpp",
        4000: "litellm-proxy",
        8317: "cliproxyapi",
    }
    for port, endpoint_id in expected.items():
        found = endpoint_for_port(port)
        assert found is not None and found.id == endpoint_id


def test_required_path_prefixes() -> None:
    expected = {
        "openrouter": "/api/v1",
        "fireworks": "/inference/v1",
        "groq": "/openai/v1",
        "deepinfra": "/v1/openai",
        "gemini": "/v1beta/openai",
        "openai": "/v1",
        "ollama": "/v1",
        "zai": "/api/paas/v4",
        "dashscope": "/compatible-mode/v1",
    }
    for endpoint_id, prefix in expected.items():
        endpoint = endpoint_by_id(endpoint_id)
        assert endpoint is not None and endpoint.path_prefix == prefix, endpoint_id
    deepseek = endpoint_by_id("deepseek")
    assert deepseek is not None and deepseek.path_prefix is None  # the bare root works too


def test_every_key_format_provider_exists() -> None:
    ids = {e.id for e in endpoints()}
    for fmt in key_formats():
        assert fmt.provider is None or fmt.provider in ids, fmt.id
        assert key_format_by_id(fmt.id) is fmt
        if fmt.provider is not None:
            issuer = endpoint_by_id(fmt.provider)
            assert issuer is not None and fmt.id in issuer.key_formats
    for endpoint in endpoints():
        for fid in endpoint.key_formats:
            issued = key_format_by_id(fid)
            assert issued is not None and issued.provider == endpoint.id


def test_every_regex_compiles() -> None:
    keys = raw("keys.json")
    for fmt in keys["formats"]:
        re.compile(fmt["pattern"])
    for pattern in keys["placeholders"]["patterns"]:
        re.compile(pattern["regex"])
        assert pattern["strength"] in ("strong", "weak")
    for _family, regex in raw("models.json")["family_rules"]:
        re.compile(regex)
    for fmt in key_formats():
        assert fmt.pattern.pattern
        assert fmt.source


def test_every_model_endpoint_exists() -> None:
    ids = {e.id for e in endpoints()}
    data = raw("models.json")
    assert list(data["endpoints"]) == sorted(data["endpoints"])
    for endpoint_id, models in data["endpoints"].items():
        assert endpoint_id in ids
        assert list(models) == sorted(models)
        for model_id, record in models.items():
            assert record["source"], model_id
    for info in catalog.all_models():
        assert info.endpoint in ids
        assert find_model(info.endpoint, info.id) is info
        for number in (info.max_output_tokens, info.context_window):
            assert number is None or number > 0
        if info.params_active is not None:
            assert info.params_total is not None and info.params_active <= info.params_total
        for date in (info.deprecated, info.retired):
            assert date is None or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", date)


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


def _fake(prefix: str, alphabet: str, length: int, seed: int = 7) -> str:
    rng = random.Random(f"{prefix}{length}{seed}")
    while True:
        body = "".join(rng.choice(alphabet) for _ in range(length))
        if not re.search(r"(.)\1{3,}", body):  # keep the fakes from looking like placeholders
            return prefix + body


ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"

GENERATED_KEYS = {
    "anthropic": _fake("sk-ant-api03-", URLSAFE, 93) + "AA",
    "openai": _fake("sk-proj-", URLSAFE, 74) + "T3BlbkFJ" + _fake("", URLSAFE, 74),
    "openrouter": _fake("sk-or-v1-", HEX, 64),
    "groq": _fake("gsk_", ALNUM, 52),
    "huggingface": _fake("hf_", ALNUM, 34),
    "gemini": _fake("AIzaSy", URLSAFE, 33),
    "xai": _fake("xai-", ALNUM, 80),
    "perplexity": _fake("pplx-", ALNUM, 48),
    "fireworks": _fake("fw_", ALNUM, 24),
    "together": _fake("tgp_v1_", URLSAFE, 43),
    "nvidia": _fake("nvapi-", URLSAFE, 64),
    "cerebras": _fake("csk-", string.ascii_lowercase + string.digits, 48),
    "minimax": _fake("sk-api-", URLSAFE, 119),
    "vercel-ai-gateway": _fake("vck_", URLSAFE, 56),
    "zai": _fake("", HEX, 32) + "." + _fake("", ALNUM, 16),
    "deepseek": _fake("sk-", HEX, 32),
    "moonshot": _fake("sk-", ALNUM, 48),
    "litellm-proxy": _fake("sk-", ALNUM, 40),
}


@pytest.mark.parametrize(("provider", "value"), sorted(GENERATED_KEYS.items()))
def test_identify_generated_keys(provider: str, value: str) -> None:
    fmt = identify_key(value)
    assert fmt is not None and fmt.provider == provider
    assert not is_placeholder(value), placeholder_reason(value)


def test_identify_most_specific_first() -> None:
    anthropic = identify_key(GENERATED_KEYS["anthropic"])
    assert anthropic is not None and anthropic.id == "anthropic-api-key" and anthropic.exclusive
    generic = identify_key(_fake("sk-", ALNUM, 30))
    assert generic is not None and generic.id == "litellm-virtual-key" and not generic.exclusive
    factory = identify_key(_fake("fk-", URLSAFE, 40))
    assert factory is not None and factory.kind == "factory" and factory.provider is None
    bearer = identify_key("Bearer " + GENERATED_KEYS["groq"])
    assert bearer is not None and bearer.provider == "groq"
    assert identify_key("") is None
    assert identify_key("hello world") is None


@needs_reference
def test_identify_reference_examples() -> None:
    rules = json.loads((REFERENCE / "keys.json").read_text("utf-8"))["rules"]
    checked = 0
    for rule in rules:
        expected = key_format_by_id(rule["id"])
        if expected is None:  # assignment-context rules (generic-api-key) are not value formats
            continue
        fmt = identify_key(rule["synthetic_example"])
        assert fmt is expected, rule["id"]
        assert not is_placeholder(rule["synthetic_example"]), rule["id"]
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "YOUR_API_KEY",
        "YOUR_ANTHROPIC_KEY",
        "your_openai_api_key",
        "your-api-key-here",
        "<your-key>",
        "Bearer <token>",
        "sk-xxx",
        "sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "sk-...",
        "sk-xxx…",
        "sk-proj-...",
        "changeme",
        "xxx",
        "dummy",
        "dummy-not-used",
        "not-needed",
        "not-used-for-bedrock",
        "none",
        "test",
        "ollama",
        "lmstudio",
        "lm-studio",
        "sk-dummy",
        "sk-1234",
        "EMPTY",
        "${OPENAI_API_KEY}",
        "Bearer ${TOKEN}",
        "$ANTHROPIC_API_KEY",
        "{{ secrets.KEY }}",
        "CLI_PROXY_API_KEY",
        "cliproxyapi",
        "local",
        "sk-qwen35b",
        "sk-local-glm47",
        "sk-example-key-1234567890",
        "AKIAIOSFODNN7EXAMPLE",
        "sk-ant-api03-" + "x" * 93 + "AA",
        "********",
        "VOTRE_CLÉ_AICENTOS",  # a provider's French docs (tests/corpus)
    ],
)
def test_placeholders_recognised(value: str) -> None:
    assert is_placeholder(value), value
    assert placeholder_reason(value) is not None


@pytest.mark.parametrize(
    "value",
    [
        # shapes of the redacted values in ../shared/corpus (synthetic, same shape)
        "sk-a7VBenYjNUwBt4c3dNkDxLh53XzKKcvkRyP5RfVJKs3Ln",
        "sk-7RaVMNfxOHZR4AGTtzlkgxWlufHn482J2Dv8BYIJOmYbwX15Qym9Dzd4hjNt1q20",
        "ak-IVntL8R1ra9KEDubzfWDqZKB7KEZfvkO",
        "csk-0eisrxn3q0d4ihyurn3u633460yhz51iy68q1g5al7bkxw1d",
        "23911d9406b3248a39194714095e1618.odHMJ7e7ScmC7Tut",
        *GENERATED_KEYS.values(),
    ],
)
def test_real_shaped_keys_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value), placeholder_reason(value)


# ---------------------------------------------------------------------------------------------
# Endpoints by URL
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.anthropic.com", "anthropic"),
        ("https://api.anthropic.com/v1/", "anthropic"),
        ("https://openrouter.ai/api/v1", "openrouter"),
        ("HTTPS://EU.OpenRouter.AI/api/v1", "openrouter"),
        ("http://localhost:11434/v1", "ollama"),
        ("http://127.0.0.1:1234/v1", "lmstudio"),
        ("http://[::1]:8000/v1", "vllm"),
        ("http://0.0.0.0:8080", "llamacpp"),
        ("http://host.docker.internal:4000", "litellm-proxy"),
        ("http://localhost:8317", "cliproxyapi"),
        ("localhost:11434/v1", "ollama"),
        ("https://api.openai.com/v1", "openai"),
        ("https://eu.api.openai.com/v1", "openai"),
        ("https://my-resource.openai.azure.com/openai/v1", "azure-openai"),
        ("https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1", "bedrock"),
        ("https://api.fireworks.ai/inference/v1", "fireworks"),
        ("https://api.groq.com/openai/v1", "groq"),
        ("https://generativelanguage.googleapis.com/v1beta/", "gemini"),
        ("https://api.z.ai/api/coding/paas/v4", "zai"),
        ("https://api.kimi.com/coding", "moonshot"),
        ("https://ollama.com/v1", "ollama-cloud"),
        ("http://localhost/v1", None),
        ("http://localhost:9999/v1", None),
        ("http://fedora:11434/v1", None),
        ("https://example.com/v1", None),
        ("https://api.openai.com.evil.example/v1", None),
        ("https://notopenrouter.ai/api/v1", None),
        ("not a url", None),
        ("http://localhost:notaport/v1", None),
        ("", None),
    ],
)
def test_endpoint_for_url(url: str, expected: str | None) -> None:
    found = endpoint_for_url(url)
    assert (found.id if found else None) == expected


def test_endpoint_for_url_guess_by_port() -> None:
    found = endpoint_for_url("http://fedora:11434/v1", guess_by_port=True)
    assert found is not None and found.id == "ollama"
    assert endpoint_for_url("https://example.com:8443/v1", guess_by_port=True) is None


def test_endpoint_helpers() -> None:
    assert PROVIDER_STYLES["openai"] == "responses"
    assert PROVIDER_STYLES["generic-chat-completion-api"] == "chat"
    anthropic = endpoint_by_id("anthropic")
    assert anthropic is not None
    assert anthropic.serves("anthropic") and not anthropic.serves("responses")
    assert anthropic.status("responses") == "not_supported"
    assert anthropic.base_urls["anthropic"] == "https://api.anthropic.com"
    assert anthropic.accepts_path("anthropic", "/")
    assert not anthropic.accepts_path("anthropic", "/v1")
    xai = endpoint_by_id("xai")
    assert xai is not None and xai.status("anthropic") == "deprecated"
    together = endpoint_by_id("together")
    assert together is not None
    assert together.base_url_for("chat", "api.together.xyz") == "https://api.together.xyz/v1"
    bedrock = endpoint_by_id("bedrock")
    assert bedrock is not None
    host = "bedrock-mantle.eu-west-1.api.aws"
    assert bedrock.base_url_for("chat", host) == f"https://{host}/v1"
    assert bedrock.accepts_path("chat", "/v1", host)
    assert not bedrock.accepts_path("chat", "/v1", "bedrock-runtime.eu-west-1.amazonaws.com")
    ollama = endpoint_by_id("ollama")
    assert ollama is not None and ollama.is_local
    assert ollama.base_url_for("chat", "fedora") == "http://fedora:11434/v1"
    assert ollama.base_url_for("anthropic", "::1") == "http://[::1]:11434"
    cloudflare = endpoint_by_id("cloudflare")
    assert cloudflare is not None
    assert cloudflare.accepts_path("chat", "/v1/acct/gw/compat")
    assert not cloudflare.accepts_path("chat", "/v1/acct/compat")
    assert cloudflare.matches_host("GATEWAY.AI.CLOUDFLARE.COM")


# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------


def test_find_model() -> None:
    sonnet = find_model("anthropic", "claude-sonnet-4-5-20250929")  # an alias
    assert sonnet is not None and sonnet.id == "claude-sonnet-4-5"
    assert sonnet.family == "claude" and sonnet.open_weights is False
    assert sonnet.max_output_tokens and sonnet.context_window
    assert "claude-sonnet-4-5-20250929" in models_for("anthropic")
    assert find_model("anthropic", "gpt-5") is None
    assert find_model("nowhere", "gpt-5") is None
    assert models_for("nowhere") == {}
    free = find_model("openrouter", "qwen/qwen3-coder:nitro")  # variant suffix
    assert free is not None and free.id == "qwen/qwen3-coder"
    cloud = find_model("ollama", "glm-5.2:cloud")  # a cloud tag through the local server
    assert cloud is not None and cloud.endpoint == "ollama-cloud"
    small = find_model("ollama", "qwen2.5-coder:7b")
    assert small is not None and small.params_total is not None and small.params_total < 30
    assert small.open_weights is True
    moe = find_model("fireworks", "accounts/fireworks/models/qwen3-coder-480b-a35b-instruct")
    assert moe is not None and moe.params_total == 480 and moe.params_active == 35
    deprecated = find_model("deepseek", "deepseek-chat")
    assert deprecated is not None and deprecated.deprecated == "2026-07-24"


def test_models_for_returns_a_copy() -> None:
    table = models_for("anthropic")
    table.clear()
    assert models_for("anthropic")


def test_suggest_models() -> None:
    assert suggest_models("anthropic", "claude-sonnet-4.5")[0] == "claude-sonnet-4-5"
    assert suggest_models("anthropic", "anthropic/claude-sonnet-4.5")[0] == "claude-sonnet-4-5"
    assert suggest_models("zai", "GLM-4.7")[0] == "glm-4.7"
    assert "gpt-5-codex" in suggest_models("openai", "gpt5-codex")
    assert len(suggest_models("openai", "gpt-5", n=2)) <= 2
    assert "gpt-5" not in suggest_models("openai", "gpt-5")
    assert suggest_models("openai", "zzzzzzzz") == []
    assert suggest_models("nowhere", "gpt-5") == []


def test_families() -> None:
    assert model_family("gpt-5") == "gpt"
    assert model_family("o3-mini") == "gpt"
    assert model_family("gpt-oss:20b") == "gpt-oss"
    assert model_family("anthropic/claude-opus-4.6") == "claude"
    assert model_family("qwen3-coder:30b") == "qwen"
    assert model_family("accounts/fireworks/models/kimi-k2p5") == "kimi"
    assert model_family("something-else") is None
    assert families_for("anthropic") == {"claude"}
    assert "gpt" in families_for("openai") and "claude" not in families_for("openai")
    assert "claude" in families_for("deepseek")  # the Anthropic endpoint maps claude-* names
    assert families_for("nowhere") == frozenset()
    assert "gpt-5.5" in catalog.factory_builtin_models()
    assert "openrouter" in catalog.model_endpoints("openai/gpt-oss-120b")


# ---------------------------------------------------------------------------------------------
# Build script and laziness
# ---------------------------------------------------------------------------------------------


def _build_module() -> ModuleType:
    path = REPO / "scripts" / "build_catalogs.py"
    spec = importlib.util.spec_from_file_location("build_catalogs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_catalogs"] = module
    spec.loader.exec_module(module)
    return module


def _litellm_wheel() -> Path | None:
    """The pinned LiteLLM wheel when this machine has it (``.ci/run`` downloads it)."""
    pin = json.loads((REPO / "catalog-sources" / "inputs.json").read_text("utf-8"))["litellm"]
    cache = Path(os.environ.get("FACTORY_LINT_CATALOG_CACHE", REPO / ".cache" / "catalog"))
    wheel = cache / pin["wheel"]
    return wheel if wheel.is_file() else None


def test_build_script_regenerates_identical_files() -> None:
    """The packaged catalog is exactly what ``scripts/build_catalogs.py`` makes of the pinned
    inputs in ``catalog-sources/`` (the LiteLLM wheel is checked against its SHA-256)."""
    wheel = _litellm_wheel()
    if wheel is None:
        pytest.skip("the pinned LiteLLM wheel is not downloaded (.ci/run fetches it)")
    files = _build_module().build(REPO / "catalog-sources", wheel)
    assert set(files) == {"endpoints.json", "keys.json", "models.json"}
    for name, text in files.items():
        assert (CATALOG_DIR / name).read_text("utf-8") == text, f"{name} is stale: rebuild it"


def test_catalog_records_its_date_and_sources() -> None:
    from factory_lint.catalog import catalog_date, catalog_sources

    inputs = json.loads((REPO / "catalog-sources" / "inputs.json").read_text("utf-8"))
    assert catalog_date() == inputs["catalog_date"]
    assert any(f"LiteLLM {inputs['litellm']['version']}" in line for line in catalog_sources())


def test_version_shows_the_catalog_date() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factory_lint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("factory-lint ")
    assert "catalog 2026-12-07" in result.stdout and "LiteLLM 1.110.2" in result.stdout


def test_pinned_reference_inputs_match_their_hashes() -> None:
    import hashlib

    sources = REPO / "catalog-sources"
    inputs = json.loads((sources / "inputs.json").read_text("utf-8"))
    for name, digest in inputs["reference"]["sha256"].items():
        data = (sources / inputs["reference"]["folder"] / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_provider_lists_add_the_coding_plan_ids() -> None:
    """Ids LiteLLM lacks but the providers publish (Kimi Code, MiniMax highspeed) are known."""
    from factory_lint.catalog import find_model

    assert find_model("moonshot", "kimi-for-coding") is not None
    assert find_model("minimax", "MiniMax-M2.7-highspeed") is not None


def test_import_loads_no_json() -> None:
    code = (
        "import factory_lint.catalog as c, factory_lint.catalog._data as d\n"
        "print(c.loaded_files(), d.load_json.cache_info().currsize)\n"
        "c.endpoint_for_url('https://api.anthropic.com')\n"
        "print(c.loaded_files())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["0", "0", "1"]


def test_parts_parse_as_the_whole_file() -> None:
    """``load_part`` slices the file as the build script lays it out; every part it can be
    asked for equals the same part of the whole parsed file."""
    from factory_lint.catalog import _data

    for name in _data.CATALOG_FILES:
        whole = raw(name)
        for key, value in whole.items():
            assert _data._load_part(name, (key,)) == value, (name, key)
            if isinstance(value, dict):
                for inner in value:
                    assert _data._load_part(name, (key, inner)) == value[inner], (name, key)
                assert _data._load_part(name, (key, "no-such-key")) is None
        assert _data._load_part(name, ("no-such-key",)) is None
    assert _data.load_part("models.json", "endpoints", "no-such-endpoint") is None


def test_parts_of_text_laid_out_otherwise_come_from_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from factory_lint.catalog import _data

    compact = json.dumps(raw("models.json"))
    monkeypatch.setattr(_data, "_text", lambda name: compact)
    _data._load_part.cache_clear()
    _data._members.cache_clear()
    _data.load_json.cache_clear()
    try:
        assert (
            _data._load_part("models.json", ("family_rules",)) == raw("models.json")["family_rules"]
        )
        assert _data._load_part("models.json", ("endpoints", "no-such-endpoint")) is None
    finally:
        _data._load_part.cache_clear()
        _data._members.cache_clear()
        _data.load_json.cache_clear()
        _data._WHOLE.clear()


def test_a_run_reads_only_the_models_it_needs() -> None:
    code = (
        "import factory_lint.catalog as c, factory_lint.catalog._data as d\n"
        "c.find_model('anthropic', 'claude-sonnet-4-5')\n"
        "print(d.load_json.cache_info().currsize, c.loaded_files())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["0", "1"]


def test_shipped_pattern_lengths_are_the_parsers() -> None:
    """keys.json's ``lengths`` (used to rule values out before running patterns) are what the
    regex parser gives for each pattern."""
    from re import _parser  # type: ignore[attr-defined]

    for fmt in raw("keys.json")["formats"]:
        assert tuple(fmt["lengths"]) == _parser.parse(fmt["pattern"]).getwidth(), fmt["id"]
