"""FL8xx: findings of the live check ``factory-lint probe`` (family ``probe``).

Imported by the probe and by ``factory_lint.docs`` only, never on the lint path: these rules
have no checker, they name what a probe found.  The engine is imported first so that the
registry keeps the lint rules ahead of these whatever the import order (``docs/rules.md``
lists rules in registration order).
"""

from __future__ import annotations

import factory_lint.engine  # noqa: F401  (registers the lint rules first)
from factory_lint.rules.registry import rule

FAMILY = "probe"

HOST_UNREACHABLE = rule(
    "FL801",
    "host-unreachable",
    "error",
    FAMILY,
    "`factory-lint probe`: the `baseUrl` host cannot be reached (the name does not resolve, the "
    "connection is refused or the host does not answer in time).",
    why="Droid sends every request for this model to `baseUrl`. When nothing answers there, "
    "each request fails, often only after a long wait, and the model is unusable.",
    example=(
        "// Ollama is not running on this machine\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "qwen3:4b",\n'
        '      "displayName": "Qwen3 4B",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "http://localhost:11434/v1",\n'
        '      "apiKey": "ollama"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Start the server (`ollama serve`, `vllm serve`, the proxy), correct the host name or "
    "port, or set `HTTPS_PROXY`/`NO_PROXY` when you are behind a proxy.",
)
TLS_FAILED = rule(
    "FL802",
    "tls-failed",
    "error",
    FAMILY,
    "`factory-lint probe`: the TLS handshake with the `baseUrl` host failed (an untrusted or "
    "expired certificate, a host name mismatch, or plain HTTP on an `https://` URL).",
    why="Droid refuses the connection for the same reason, so no request for this model gets "
    "through.",
    example=(
        "// llm.corp.example's certificate is signed by a company CA this machine does not trust\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "llama-3.3-70b",\n'
        '      "displayName": "Corp Llama",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://llm.corp.example/v1",\n'
        '      "apiKey": "${CORP_LLM_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Behind a TLS-inspecting proxy or with a company CA, point `NODE_EXTRA_CA_CERTS` (for "
    "Droid) and `SSL_CERT_FILE` (for factory-lint) at the CA bundle. A local server that does "
    "not speak TLS needs `http://`.",
)
KEY_REJECTED = rule(
    "FL803",
    "key-rejected",
    "error",
    FAMILY,
    "`factory-lint probe`: the server answered 401 or 403: the API key is missing, wrong, "
    "revoked, or not allowed to use this API.",
    why="Droid sends the same key, so every request for this model fails with the same error.",
    example=(
        "// OPENAI_API_KEY holds a revoked key\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Create a new key in the provider's console, export it in the shell that starts Droid "
    "and reference it as `${NAME}`; check that the key belongs to this provider.",
)
QUOTA_EXCEEDED = rule(
    "FL804",
    "quota-exceeded",
    "error",
    FAMILY,
    "`factory-lint probe`: the server answered 402 or 429, or said the credit balance is too "
    "low: no credit, an exhausted quota, or a rate limit (a plain rate limit is a warning).",
    why="The key is valid but the account cannot pay for requests, so Droid's requests fail "
    "until credit is added (or, for a rate limit, until the limit resets).",
    example=(
        "// the OpenRouter account has no credit left\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek/deepseek-v3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/api/v1",\n'
        '      "apiKey": "${OPENROUTER_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Add credit or raise the quota in the provider's billing settings; for a rate limit, "
    "wait or use a higher tier.",
)
MODEL_NOT_LISTED = rule(
    "FL805",
    "model-not-listed",
    "warning",
    FAMILY,
    "`factory-lint probe`: the server's model list does not contain `model`; the closest ids "
    "it does list are shown.",
    why="Droid sends `model` verbatim. A server that does not serve that id answers "
    '"model not found" at the first message. Ids are case-sensitive and differ between '
    "providers (`anthropic/claude-sonnet-4.5` on OpenRouter, `claude-sonnet-4-5` on "
    "Anthropic). Some servers accept ids they do not list, so this is a warning; `--deep` "
    "confirms it.",
    example=(
        '// api.openai.com/v1/models lists no "gpt-5-codx"\n'
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5-codx",\n'
        '      "displayName": "GPT-5 Codex",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use one of the ids the server lists (letter case included).",
)
WRONG_BASE_PATH = rule(
    "FL806",
    "wrong-base-path",
    "error",
    FAMILY,
    "`factory-lint probe`: the API answers at a different path than the one `baseUrl` makes "
    "Droid use (the `/v1` mistakes), confirmed by requesting the corrected URL.",
    why="Droid appends `/v1/messages` (anthropic), `/responses` (openai) or `/chat/completions` "
    "(generic) to `baseUrl`. A missing or doubled `/v1`, or a `baseUrl` that already ends in "
    "the endpoint, makes every request 404.",
    example=(
        "// Droid requests /v1/v1/messages; CLIProxyAPI answers at /v1/messages\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-sonnet-4-6",\n'
        '      "displayName": "Sonnet via CLIProxyAPI",\n'
        '      "provider": "anthropic",\n'
        '      "baseUrl": "http://localhost:8317/v1",\n'
        '      "apiKey": "${CLI_PROXY_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Set `baseUrl` to the corrected URL the probe found (unsafe fix).",
    fixable="unsafe",
)
OLLAMA_NOT_PULLED = rule(
    "FL807",
    "ollama-model-not-pulled",
    "error",
    FAMILY,
    "`factory-lint probe`: the Ollama server does not have the model (it is not in `/api/tags`).",
    why='Ollama answers "model not found, try pulling it first" to every request for a model '
    "it has not downloaded.",
    example=(
        "// `ollama pull qwen3-coder:30b` was never run\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "qwen3-coder:30b",\n'
        '      "displayName": "Qwen3 Coder",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "http://localhost:11434/v1",\n'
        '      "apiKey": "ollama"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Run `ollama pull <model>` on the machine that runs Ollama, or use the exact name "
    "`ollama list` shows (the tag included).",
)
OLLAMA_CONTEXT = rule(
    "FL808",
    "ollama-context-too-small",
    "warning",
    FAMILY,
    "`factory-lint probe`: the context window Ollama gives the model is below 32,000 tokens, "
    "Factory's guidance for agentic work (from `/api/show`, and `/api/ps` when the model is "
    "loaded).",
    why="Ollama silently drops whatever does not fit in its context window. Droid's system "
    "prompt and tool definitions alone take many thousand tokens, so with a small window the "
    "model loses its instructions and fails at tool calls. Droid talks to Ollama through the "
    "OpenAI-compatible API, which cannot set `num_ctx` per request.",
    example=(
        "// Ollama runs the model with num_ctx 4096\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "qwen3:4b",\n'
        '      "displayName": "Qwen3 4B",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "http://localhost:11434/v1",\n'
        '      "apiKey": "ollama"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Start Ollama with `OLLAMA_CONTEXT_LENGTH=32768 ollama serve` (or larger), or build a "
    "variant with `PARAMETER num_ctx 32768` in a Modelfile (`ollama create`) and use its name "
    "as `model`. A `num_ctx` in the model's Modelfile wins over `OLLAMA_CONTEXT_LENGTH`.",
)
DEEP_FAILED = rule(
    "FL809",
    "deep-request-failed",
    "error",
    FAMILY,
    "`factory-lint probe --deep`: the smallest real request Droid would send for this model "
    "(one output token) failed; the provider's error is shown.",
    why="This is the error Droid would show at the first message: a model the server does not "
    "serve, an API the server does not implement (`openai` uses the Responses API, which many "
    "OpenAI-compatible servers lack), or a parameter it rejects.",
    example=(
        '// `--deep`: this vLLM server has no /v1/responses for provider "openai"\n'
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "llama3.3",\n'
        '      "displayName": "Llama 3.3 (vLLM)",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "http://localhost:8000/v1",\n'
        '      "apiKey": "${VLLM_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Act on the provider's message: correct `model`, or switch `provider` to the API the "
    "server implements (usually `generic-chat-completion-api`).",
)
LIST_UNAVAILABLE = rule(
    "FL810",
    "model-list-unavailable",
    "warning",
    FAMILY,
    "`factory-lint probe`: the server returned no model list (404 at every path tried, a "
    "server error, or not JSON), so the model id could not be checked.",
    why="Either `baseUrl` points at something that is not the API, or the server does not "
    "implement the model list; in the first case Droid's requests fail too.",
    example=(
        "// llm.example.com serves no model list (404 at /chat/models and /models)\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "team-coder",\n'
        '      "displayName": "Team coder",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://llm.example.com/chat",\n'
        '      "apiKey": "${TEAM_LLM_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Check `baseUrl` against the provider's documentation; run with `--deep` to send a real "
    "request instead.",
)
KEY_ENV_UNSET = rule(
    "FL811",
    "key-env-unset",
    "warning",
    FAMILY,
    "`factory-lint probe`: `apiKey` references `${NAME}` but `NAME` is not set in the "
    "environment the probe runs in.",
    why="Droid leaves an unset `${NAME}` as it is and sends the literal text as the key, so the "
    "provider answers 401.",
    example=(
        "// OPENROUTER_API_KEY is not exported in the shell that runs the probe\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "deepseek/deepseek-v3.2",\n'
        '      "displayName": "DeepSeek V3.2",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://openrouter.ai/api/v1",\n'
        '      "apiKey": "${OPENROUTER_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Export the variable in the shell (or service) that starts Droid, e.g. in your shell "
    "profile.",
)
CROSS_ORIGIN_REDIRECT = rule(
    "FL812",
    "cross-origin-redirect",
    "warning",
    FAMILY,
    "`factory-lint probe`: the server redirected a request to another origin (host, port or "
    "scheme); the probe did not follow it, so the key was not sent there.",
    why="The configured `baseUrl` is not where the API lives. Following the redirect with "
    "credentials would hand the key to a server you did not configure.",
    example=(
        "// llm.example.com/v1/models redirects to https://auth.example.com/login\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "team-coder",\n'
        '      "displayName": "Team coder",\n'
        '      "provider": "generic-chat-completion-api",\n'
        '      "baseUrl": "https://llm.example.com/v1",\n'
        '      "apiKey": "${TEAM_LLM_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="If you trust the redirect target, set `baseUrl` to it.",
)
NOT_PROBED = rule(
    "FL813",
    "not-probed",
    "info",
    FAMILY,
    "`factory-lint probe`: the entry was not probed (Bedrock, no usable `baseUrl`, a provider "
    "Droid does not know, or an entry Droid drops); a warning when the probe refused to send "
    "something: `${NAME}` values of your environment to a host a project file chose, or a key "
    "over plain `http://` to another machine.",
    why="The probe only speaks the three HTTP API styles; lint reports what is wrong with the "
    "entry itself. A project file (anything outside your own `~/.factory`) is untrusted input: "
    "a cloned repository could otherwise have the probe send `${GITHUB_TOKEN}` to its own "
    "server. A key sent over `http://` to another machine can be read on the way.",
    example=(
        "// Bedrock entries are not probed\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "anthropic.claude-sonnet-4-5-20250929-v1:0",\n'
        '      "displayName": "Sonnet on Bedrock",\n'
        '      "provider": "bedrock-converse",\n'
        '      "bedrock": { "awsRegion": "us-east-1" }\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Nothing to do for Bedrock; otherwise fix what `factory-lint` reports for the entry. "
    "For a project file you trust, run `factory-lint probe --allow-project-env PATH` (or "
    "answer yes when the probe asks on a terminal); for a plain-HTTP host, use `https://`, or "
    "`--allow-http` if the network path is yours.",
)
