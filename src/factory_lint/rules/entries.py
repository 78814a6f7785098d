"""FL2xx: each custom model entry must be one Droid loads: required fields, provider, bedrock."""

from __future__ import annotations

import json
from collections.abc import Iterator

from factory_lint.context import LintContext
from factory_lint.findings import Edit, Finding, Fix
from factory_lint.jsonc import Member, Node
from factory_lint.lazy_re import lazy_compile
from factory_lint.rules.registry import checker, rule
from factory_lint.rules.structure import MISSING_REQUIRED

PROVIDERS = ("anthropic", "openai", "generic-chat-completion-api", "bedrock-converse")
INTERNAL_PROVIDERS = ("factory", "google", "xai", "voyage")
PROVIDER_HELP = {
    "anthropic": "Anthropic Messages API: POST {baseUrl}/v1/messages",
    "openai": "OpenAI Responses API: POST {baseUrl}/responses",
    "generic-chat-completion-api": "OpenAI Chat Completions: POST {baseUrl}/chat/completions",
    "bedrock-converse": "AWS Bedrock Converse API (needs a `bedrock` object)",
}
#: Names people write for a provider → the Droid provider that speaks that service's API.
PROVIDER_ALIASES = {
    "claude": "anthropic",
    "anthropic-messages": "anthropic",
    "openai-responses": "openai",
    "responses": "openai",
    "azure": "openai",
    "azure-openai": "openai",
    "bedrock": "bedrock-converse",
    "aws": "bedrock-converse",
    "aws-bedrock": "bedrock-converse",
}

UNKNOWN_PROVIDER = rule(
    "FL201",
    "unknown-provider",
    "error",
    "models",
    "A `provider` that Droid does not support.",
    why="Droid supports exactly `anthropic`, `openai` (Responses API), "
    "`generic-chat-completion-api` (Chat Completions: OpenRouter, Ollama, Groq, vLLM, …) and "
    "`bedrock-converse`. In a settings file, Droid 0.225.2 first drops entries without a "
    "string `model`, `provider` and `baseUrl` (or a `bedrock` object) or with a placeholder "
    "`apiKey` (`YOUR_API_KEY`), then reads the provider of each remaining entry: one "
    'unsupported provider there makes it throw ("Unsupported custom model provider"), and '
    "the **whole file** is dropped: every custom model and every setting in it (checked with "
    "the real CLI). An entry already dropped by the first step is only skipped. In config.json "
    "the entry is skipped. Service names such as `openrouter`, `claude` or "
    "`ollama` are not providers; the provider is the API style.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "claude-sonnet-4-6",\n'
        '      "displayName": "Sonnet 4.6",\n'
        '      "provider": "claude",\n'
        '      "baseUrl": "https://api.anthropic.com",\n'
        '      "apiKey": "${ANTHROPIC_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the provider the message suggests (unsafe fix: it changes which API is called).",
    fixable="unsafe",
)
PROVIDER_SPELLING = rule(
    "FL202",
    "provider-spelling",
    "warning",
    "models",
    "A provider with the wrong letter case or `_` instead of `-` (e.g. `Anthropic`).",
    why="Droid normalises it when loading, but `droid doctor --config` reports it and other "
    "tools that read the file may not.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "qwen3-coder:30b",\n'
        '      "displayName": "Qwen3 Coder",\n'
        '      "provider": "generic_chat_completion_api",\n'
        '      "baseUrl": "http://localhost:11434/v1",\n'
        '      "apiKey": "ollama"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use the canonical spelling (safe fix).",
    fixable="safe",
)
BEDROCK_PROVIDER = rule(
    "FL203",
    "bedrock-provider-mismatch",
    "error",
    "models",
    "`bedrock-converse` without a `bedrock` object, or a `bedrock` object with a provider "
    "that cannot use it.",
    why="`droid doctor --config` rejects it: `bedrock-converse` needs `bedrock` (region, "
    "profile…), and `bedrock` works only with `anthropic`, `bedrock-converse` or `openai`.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "anthropic.claude-sonnet-4-5-20250929-v1:0",\n'
        '      "displayName": "Sonnet on Bedrock",\n'
        '      "provider": "bedrock-converse",\n'
        '      "baseUrl": "https://bedrock-runtime.us-east-1.amazonaws.com"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Add a `bedrock` object, or use a matching provider.",
)
AUTH_MODE = rule(
    "FL204",
    "auth-mode-mismatch",
    "error",
    "models",
    '`authMode: "bearer"` on an entry that is not a plain `anthropic` one.',
    why="Bearer auth is only implemented for the Anthropic SDK path; Droid's schema rejects "
    "it with other providers or with `bedrock`.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}",\n'
        '      "authMode": "bearer"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix='Remove `authMode`, or use `provider: "anthropic"` without `bedrock`.',
)
STRIPPED_COMMAND = rule(
    "FL205",
    "stripped-credential-command",
    "warning",
    "models",
    "`apiKeyHelper` (or bedrock's `awsAuthRefresh`/`awsCredentialExport` in a project file) "
    "where Droid strips it.",
    why="For safety Droid only runs credential commands from org-managed settings "
    "(`awsAuthRefresh`/`awsCredentialExport` also from the user's own settings); elsewhere it "
    "removes them, so the model gets no key.",
    example=(
        "// a project's .factory/settings.json\n"
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5.5",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKeyHelper": "op read op://vault/openai/key"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Use `apiKey` with `${ENV_VAR}` instead, or move the command to org-managed settings.",
)

AWS_WITHOUT_BEDROCK = rule(
    "FL207",
    "aws-credentials-without-bedrock",
    "warning",
    "models",
    "AWS credentials or a region written into `apiKey`/`extraArgs` (an `AKIA…` access key id, "
    "`extraArgs.region`, `aws_secret_access_key`…) of an entry with no `bedrock` object.",
    why="Droid signs Bedrock requests only for an entry with a `bedrock` object "
    "(`awsRegion`, `awsProfile`…, credentials from the AWS environment or profile). Without "
    "it, `apiKey` is sent as a plain API key header and `extraArgs` only adds fields to the "
    "request body, so AWS rejects every request (and the keys travel where they do not "
    "belong).",
    example='{ "customModels": [ { "model": "anthropic.claude-opus-4-7", "provider": '
    '"anthropic", "baseUrl": "https://bedrock-runtime.us-east-1.amazonaws.com", "apiKey": '
    '"${AWS_ACCESS_KEY_ID}", "extraArgs": { "region": "us-east-1" } } ] }',
    fix='Use `"provider": "bedrock-converse"` with `"bedrock": { "awsRegion": "us-east-1" }` '
    "(or `awsProfile`), drop `baseUrl`, `apiKey` and the AWS `extraArgs`, and let Droid read "
    "the credentials from the AWS environment.",
)
#: ``extraArgs`` keys that only make sense for AWS.
_AWS_ARGS = frozenset(
    {
        "region",
        "aws_region",
        "awsregion",
        "aws_access_key_id",
        "awsaccesskeyid",
        "aws_secret_access_key",
        "awssecretaccesskey",
        "aws_session_token",
        "awssessiontoken",
        "aws_profile",
        "awsprofile",
    }
)
_AWS_KEY_ID = lazy_compile(r"^(?:AKIA|ASIA)[A-Z0-9]{16}$")
_AWS_KEY_ENV = lazy_compile(r"^\$\{AWS_[A-Z_]+\}$")

EMPTY_MODEL = rule(
    "FL206",
    "empty-model",
    "error",
    "models",
    "`model` is an empty string.",
    why='Droid loads the entry (checked with the real CLI) and sends `"model": ""`, which '
    "every provider rejects; `droid doctor --config` says nothing.",
    example=(
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "",\n'
        '      "displayName": "GPT-5.5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        '      "apiKey": "${OPENAI_API_KEY}"\n'
        "    }\n"
        "  ]\n"
        "}"
    ),
    fix="Write the model ID the provider expects.",
)


@checker
def check_entries(context: LintContext) -> Iterator[Finding]:
    base_url = context.field_name("baseUrl")
    for entry in context.models():
        # Each field is looked up once per entry and handed to the checks that read it.
        model = entry.get("model")
        provider = entry.get("provider")
        bedrock = entry.get("bedrock")
        if model is None or provider is None or (bedrock is None and entry.get(base_url) is None):
            yield _missing_required(entry, model, provider, bedrock, base_url)
        model_node = model.value if model is not None else None
        if model_node is not None:
            model_id = model_node.value
            if isinstance(model_id, str) and not model_id.strip():
                yield Finding(
                    EMPTY_MODEL.code,
                    "`model` is empty: Droid loads this entry but sends an empty model ID, which "
                    'the provider rejects; write the model ID, e.g. "gpt-5"',
                    model_node.start,
                    model_node.end,
                    model_node.pointer,
                )
        provider_node = provider.value if provider is not None else None
        name: str | None = None
        if provider_node is not None and isinstance(provider_node.value, str):
            name = provider_node.value
            if name not in PROVIDERS:
                yield from _provider(context, entry, provider_node, name)
        yield from _bedrock(context, entry, provider_node, name, bedrock)
        if bedrock is None:
            aws = _aws_without_bedrock(context, entry)
            if aws is not None:
                yield aws


def _missing_required(
    entry: Node,
    model: Member | None,
    provider: Member | None,
    bedrock: Member | None,
    base_url: str,
) -> Finding:
    missing = [
        field for field, member in (("model", model), ("provider", provider)) if member is None
    ]
    if bedrock is None and entry.get(base_url) is None:
        missing.append(base_url)
    index = entry.pointer.rsplit("/", 1)[-1]
    names = " and ".join(f"`{m}`" for m in missing)
    extra = ""
    if base_url in missing:
        extra = f" (`{base_url}` is required unless the entry has a `bedrock` object)"
    return Finding(
        MISSING_REQUIRED.code,
        f"custom model {index} has no {names}{extra}; Droid silently drops this entry, so it "
        "never appears in /model",
        entry.start,
        entry.start + 1,
        entry.pointer,
    )


def _provider(context: LintContext, entry: Node, node: Node, value: str) -> Iterator[Finding]:
    """Findings for a provider string that is not one of :data:`PROVIDERS`."""
    normalised = value.lower().replace("_", "-")
    if normalised in PROVIDERS:
        yield Finding(
            PROVIDER_SPELLING.code,
            f'provider "{_clip(value)}" is not the canonical spelling "{normalised}"; Droid '
            "normalises it, but `droid doctor --config` reports it",
            node.start,
            node.end,
            node.pointer,
            Fix(f'Replace with "{normalised}"', (Edit(node.start, node.end, f'"{normalised}"'),)),
        )
        return
    suggestion = suggest_provider(value, entry, context)
    hint = f'; did you mean "{suggestion}"?' if suggestion else ""
    allowed = ", ".join(f'"{p}"' for p in PROVIDERS)
    if context.kind == "settings" and _reaches_provider_check(entry, context):
        impact = (
            'Droid fails to load the whole settings file ("Unsupported custom model provider"), '
            "dropping every custom model and setting in it"
        )
    else:
        impact = "Droid skips this entry"
    internal = (
        " is internal to Factory and not usable for custom models"
        if normalised in INTERNAL_PROVIDERS
        else " is not a provider"
    )
    yield Finding(
        UNKNOWN_PROVIDER.code,
        f'"{_clip(value)}"{internal}: {impact}. Expected one of {allowed}{hint}',
        node.start,
        node.end,
        node.pointer,
        Fix(
            f'Replace with "{suggestion}"',
            (Edit(node.start, node.end, json.dumps(suggestion)),),
            safe=False,
        )
        if suggestion
        else None,
        help="the provider is the API style, not the vendor: most hosted and local servers "
        '(OpenRouter, Ollama, Groq, vLLM, LiteLLM) use "generic-chat-completion-api"',
    )


#: ``apiKey`` values Droid treats as "no key configured" and drops the entry for.
DROPPED_PLACEHOLDER_KEYS = frozenset({"YOUR_API_KEY", "YOUR_OPENAI_API_KEY"})


def _reaches_provider_check(entry: Node, context: LintContext) -> bool:
    """Whether Droid 0.225.2 keeps the settings entry long enough to read its provider (and
    so throws on an unsupported one): a string ``model`` and ``provider``, a string ``baseUrl``
    or a ``bedrock`` object, and no placeholder ``apiKey``."""
    model = entry.value_of("model")
    base_url = entry.value_of(context.field_name("baseUrl"))
    bedrock = entry.value_of("bedrock")
    if model is None or model.type != "string":
        return False
    if (base_url is None or base_url.type != "string") and (
        bedrock is None or bedrock.type != "object"
    ):
        return False
    return entry.string("apiKey") not in DROPPED_PLACEHOLDER_KEYS


def suggest_provider(value: str, entry: Node, context: LintContext) -> str | None:
    """The provider the author most likely meant."""
    import difflib  # for did-you-mean suggestions only

    normalised = value.strip().lower().replace("_", "-").replace(" ", "-")
    if normalised in PROVIDERS:
        return normalised
    if normalised in PROVIDER_ALIASES:
        return PROVIDER_ALIASES[normalised]
    close = difflib.get_close_matches(normalised, PROVIDERS, n=1, cutoff=0.6)
    if close:
        return close[0]
    if entry.get("bedrock") is not None:
        return "bedrock-converse"
    base_url = entry.string(context.field_name("baseUrl")) or ""
    if "anthropic" in base_url.lower() or normalised.startswith("claude"):
        return "anthropic"
    if base_url:
        return "generic-chat-completion-api"
    return None


def _bedrock(
    context: LintContext,
    entry: Node,
    provider_node: Node | None,
    provider: str | None,
    bedrock: Member | None,
) -> Iterator[Finding]:
    """``provider`` is the provider node's value when it is a string, else None."""
    canonical = provider.lower().replace("_", "-") if provider else None
    if canonical == "bedrock-converse" and bedrock is None and provider_node is not None:
        yield Finding(
            BEDROCK_PROVIDER.code,
            '"bedrock-converse" needs a `bedrock` object (awsRegion, awsProfile, …); without it '
            "`droid doctor --config` rejects the entry",
            provider_node.start,
            provider_node.end,
            provider_node.pointer,
        )
    if (
        bedrock is not None
        and canonical in PROVIDERS
        and canonical not in ("anthropic", "bedrock-converse", "openai")
    ):
        yield Finding(
            BEDROCK_PROVIDER.code,
            f'a `bedrock` object only works with provider "bedrock-converse", "anthropic" or '
            f'"openai", not "{canonical}"',
            bedrock.key_start,
            bedrock.key_end,
            bedrock.value.pointer if bedrock.value is not None else entry.pointer,
        )
    auth = entry.value_of("authMode")
    if auth is not None and auth.value == "bearer" and (canonical != "anthropic" or bedrock):
        reason = "with a `bedrock` object" if bedrock else f'with provider "{provider}"'
        yield Finding(
            AUTH_MODE.code,
            f'`authMode: "bearer"` works only with provider "anthropic" and no `bedrock`, not '
            f"{reason}; `droid doctor --config` rejects it",
            auth.start,
            auth.end,
            auth.pointer,
        )
    if context.kind == "settings":
        helper = entry.get("apiKeyHelper")
        if helper is not None:
            yield Finding(
                STRIPPED_COMMAND.code,
                "Droid strips `apiKeyHelper` from user and project settings (it runs credential "
                "commands only from org-managed settings), so this model gets no key; use "
                '`"apiKey": "${ENV_VAR}"` instead',
                helper.key_start,
                helper.key_end,
                helper.value.pointer if helper.value else entry.pointer,
            )
        bedrock_node = bedrock.value if bedrock is not None else None
        if bedrock_node is not None and context.info.scope == "project":
            for name in ("awsAuthRefresh", "awsCredentialExport"):
                member = bedrock_node.get(name)
                if member is not None:
                    yield Finding(
                        STRIPPED_COMMAND.code,
                        f"Droid strips `bedrock.{name}` from project settings (shell commands "
                        "run only from user or org settings); move it to ~/.factory/settings.json",
                        member.key_start,
                        member.key_end,
                        member.value.pointer if member.value else entry.pointer,
                    )


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _aws_without_bedrock(context: LintContext, entry: Node) -> Finding | None:
    """FL207: AWS credentials or region in ``apiKey``/``extraArgs`` instead of ``bedrock``."""
    key_node = entry.value_of(context.field_name("apiKey"))
    key = key_node.value.strip() if key_node is not None and isinstance(key_node.value, str) else ""
    aws_key = bool(_AWS_KEY_ID.match(key) or _AWS_KEY_ENV.match(key))
    args = entry.value_of(context.field_name("extraArgs"))
    aws_args = [
        m
        for m in (args.members if args is not None and args.type == "object" else ())
        if m.key.lower().replace("-", "_") in _AWS_ARGS
    ]
    base_url = (entry.string(context.field_name("baseUrl")) or "").lower()
    on_aws = "amazonaws.com" in base_url or ".api.aws" in base_url
    if not (aws_key and (aws_args or on_aws)) and not (aws_args and on_aws):
        return None
    where = key_node if aws_key and key_node is not None else None
    target = where or aws_args[0].value or entry
    what = []
    if aws_key:
        what.append("an AWS access key in `apiKey`")
    if aws_args:
        what.append(
            "AWS settings in `extraArgs` (" + ", ".join(f"`{m.key}`" for m in aws_args) + ")"
        )
    return Finding(
        AWS_WITHOUT_BEDROCK.code,
        "this entry has "
        + " and ".join(what)
        + " but no `bedrock` object: Droid signs requests for AWS only with "
        "`bedrock`, so it sends `apiKey` as a plain API key and `extraArgs` as request-body "
        'fields, and AWS rejects every request; use `"provider": "bedrock-converse"` with '
        '`"bedrock": { "awsRegion": … }` and credentials from the AWS environment',
        target.start,
        target.end,
        target.pointer,
    )
