"""Pydantic models of the Factory Droid CLI configuration files.

This module is the single source of truth for the *shape* of:

* ``settings.json`` / ``settings.local.json`` (:class:`Settings`, with :class:`CustomModel`
  entries in ``customModels``), and
* the legacy ``config.json`` (:class:`LegacyConfig`, with :class:`LegacyCustomModel` entries in
  ``custom_models``).

The JSON Schema files shipped in ``factory_lint/data`` and ``schemas/`` are generated from these
models by :mod:`factory_lint.schema_gen`. The linter itself never imports this module (pydantic is
too slow to import on the CLI start-up path); it reads the generated JSON instead.

Field names deliberately mirror the JSON keys (camelCase in settings.json, snake_case in
config.json) so that the models read like the files they describe.

Reference: ``shared/reference/factory-config.md`` §3-§6 (droid CLI 0.225.2 and the Factory docs).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "BEDROCK_PROVIDERS",
    "HOOK_EVENTS",
    "PROVIDERS",
    "REASONING_EFFORTS",
    "BedrockConfig",
    "BuiltInToolAutonomyOverrides",
    "CustomModel",
    "FactoryRouterRule",
    "GithubMarketplaceSource",
    "HookCommand",
    "HookMatcher",
    "Hooks",
    "HooksFile",
    "KnownMarketplace",
    "LegacyConfig",
    "LegacyCustomModel",
    "LocalMarketplaceSource",
    "McpAutonomyUrlOverride",
    "McpFile",
    "McpOAuth",
    "McpPolicy",
    "McpServer",
    "McpServerAutonomyOverride",
    "MissionModelSettings",
    "ModelPolicy",
    "NetworkPolicy",
    "PermissionRules",
    "Sandbox",
    "SandboxFilesystem",
    "SandboxNetwork",
    "SessionDefaultSettings",
    "Settings",
    "StatusLine",
    "SubagentModelSettings",
    "Telemetry",
    "TrustedFolder",
    "UrlMarketplaceSource",
]

# ---------------------------------------------------------------------------------------------
# Shared value types
# ---------------------------------------------------------------------------------------------

Provider = Literal["anthropic", "openai", "generic-chat-completion-api", "bedrock-converse"]
PROVIDERS: tuple[str, ...] = get_args(Provider)
"""The four provider values the droid loader accepts for BYOK custom models (§3.1)."""

BEDROCK_PROVIDERS: tuple[str, ...] = ("anthropic", "bedrock-converse", "openai")
"""Providers that may be combined with a ``bedrock`` object (§3.1 bedrock rules)."""

ReasoningEffort = Literal[
    "none", "dynamic", "off", "minimal", "low", "medium", "high", "xhigh", "max"
]
REASONING_EFFORTS: tuple[str, ...] = get_args(ReasoningEffort)

AutonomyLevel = Literal["off", "low", "medium", "high"]
LegacyAutonomyMode = Literal["normal", "spec", "auto-low", "auto-medium", "auto-high"]
FocusMode = Literal["always", "focused", "unfocused"]

HOOK_EVENTS: tuple[str, ...] = (
    "PreToolUse",
    "PostToolUse",
    "Notification",
    "UserPromptSubmit",
    "Stop",
    "SubagentStop",
    "PreCompact",
    "SessionStart",
    "SessionEnd",
)

_PROVIDER_DESCRIPTION = (
    "Which wire API droid speaks to `baseUrl`. Must be exactly one of: "
    "`anthropic` (Anthropic Messages API, `POST {baseUrl}/v1/messages`), "
    "`openai` (OpenAI **Responses** API, `POST {baseUrl}/responses`; needed for GPT-5 / "
    "GPT-5-Codex), "
    "`generic-chat-completion-api` (OpenAI **Chat Completions**, "
    "`POST {baseUrl}/chat/completions`; for OpenRouter, Fireworks, Groq, Ollama, vLLM, LM "
    "Studio, …) or "
    "`bedrock-converse` (AWS Bedrock Converse API; requires a `bedrock` object). "
    "Any other value (`claude`, `openrouter`, …) makes droid throw "
    '"Unsupported custom model provider" and drop the **whole settings file**.'
)
_PROVIDER_EXAMPLES: list[Any] = [
    "anthropic",
    "openai",
    "generic-chat-completion-api",
    "bedrock-converse",
]
_BASE_URL_EXAMPLES: list[Any] = [
    "https://api.anthropic.com",
    "https://api.openai.com/v1",
    "https://openrouter.ai/api/v1",
    "http://localhost:11434/v1",
]
_MODEL_EXAMPLES: list[Any] = [
    "claude-sonnet-4-5-20250929",
    "gpt-5-codex",
    "openai/gpt-oss-20b",
    "qwen2.5-coder:32b",
]
_REASONING_DESCRIPTION = (
    "one of `none`, `dynamic`, `off`, `minimal`, `low`, `medium`, `high`, `xhigh`, `max`"
)


class _FileModel(BaseModel):
    """Base of every model: validates like the generated JSON Schema does.

    ``strict`` stops pydantic from coercing (``"16384"`` is not an integer), and the
    ``before`` validator rejects an explicit JSON ``null`` for any typed field, because the schema
    has no ``null`` type either (droid treats such a value as a wrong type).
    """

    model_config = ConfigDict(strict=True)

    @model_validator(mode="before")
    @classmethod
    def _reject_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                key = field.alias or name
                if key in data and data[key] is None and field.annotation is not Any:
                    raise ValueError(f"{key} must not be null")
        return data


# ---------------------------------------------------------------------------------------------
# customModels[] entry (settings.json) and its bedrock sub-object
# ---------------------------------------------------------------------------------------------


class BedrockConfig(_FileModel):
    """AWS Bedrock connection settings for a custom model. Makes `baseUrl` optional. Allowed
    with provider `anthropic`, `openai` or `bedrock-converse` (required for the latter)."""

    model_config = ConfigDict(extra="forbid", title="Bedrock configuration")

    awsRegion: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "AWS region of the Bedrock endpoint, e.g. `us-east-1`. `${VAR}` references are "
            "expanded. When omitted droid uses `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the "
            "profile's region, and otherwise fails fast."
        ),
        examples=["us-east-1", "${AWS_REGION}"],
    )
    awsProfile: str | None = Field(
        default=None,
        description="Named AWS profile (from `~/.aws/config`) to take credentials from. "
        "`${VAR}` references are expanded.",
        examples=["default"],
    )
    bedrockBaseUrl: str | None = Field(
        default=None,
        description="Override of the Bedrock runtime endpoint URL (e.g. a VPC endpoint). "
        "`${VAR}` references are expanded.",
        examples=["https://bedrock-runtime.us-east-1.amazonaws.com"],
    )
    awsAuthRefresh: str | None = Field(
        default=None,
        description=(
            "Shell command droid runs to refresh AWS credentials (e.g. `aws sso login`). "
            "Honoured only in org-managed or user-level settings; **stripped from project and "
            "folder settings**."
        ),
        examples=["aws sso login --profile dev"],
    )
    awsCredentialExport: str | None = Field(
        default=None,
        description=(
            "Shell command that prints AWS credentials as JSON for droid to use. Honoured only "
            "in org-managed or user-level settings; **stripped from project and folder "
            "settings**."
        ),
    )
    requestMetadata: dict[str, str] | None = Field(
        default=None,
        description=(
            "Key/value pairs sent as the `X-Amzn-Bedrock-Request-Metadata` header (for cost "
            "attribution). At most 16 entries; keys 1-256 characters, values up to 256 "
            "characters, from `[A-Za-z0-9 :_@$#=/+,.-]` or a `${VAR}` reference."
        ),
    )


_CUSTOM_MODEL_SCHEMA_EXTRA: dict[str, Any] = {
    # baseUrl is required unless bedrock is configured (§3, zod message
    # "baseUrl is required unless bedrock is configured").
    "anyOf": [{"required": ["baseUrl"]}, {"required": ["bedrock"]}],
    "allOf": [
        # A bedrock object requires provider anthropic, bedrock-converse or openai.
        {
            "if": {"required": ["bedrock"]},
            "then": {"properties": {"provider": {"enum": list(BEDROCK_PROVIDERS)}}},
        },
        # bedrock-converse requires a bedrock object.
        {
            "if": {
                "properties": {"provider": {"const": "bedrock-converse"}},
                "required": ["provider"],
            },
            "then": {"required": ["bedrock"]},
        },
        # authMode "bearer" only with provider anthropic and without bedrock.
        {
            "if": {"properties": {"authMode": {"const": "bearer"}}, "required": ["authMode"]},
            "then": {"properties": {"provider": {"const": "anthropic"}, "bedrock": False}},
        },
    ],
    "examples": [
        {
            "model": "claude-sonnet-4-5-20250929",
            "displayName": "Sonnet 4.5 [BYOK]",
            "baseUrl": "https://api.anthropic.com",
            "apiKey": "${ANTHROPIC_API_KEY}",
            "provider": "anthropic",
            "maxOutputTokens": 64000,
        }
    ],
}


class CustomModel(_FileModel):
    """A bring-your-own-key model (an entry of `customModels` in settings.json). It appears in
    `/model` and can be referenced elsewhere by its `custom:` id. Droid silently drops an entry
    that lacks `model`, `provider`, or both `baseUrl` and `bedrock`."""

    model_config = ConfigDict(
        extra="forbid", title="Custom model", json_schema_extra=_CUSTOM_MODEL_SCHEMA_EXTRA
    )

    model: str = Field(
        description=(
            "Model id sent to the API exactly as the provider expects it, e.g. "
            "`claude-sonnet-4-5-20250929`, `gpt-5-codex`, `qwen3:4b`, "
            "`accounts/fireworks/models/glm-4p5`. Required. Not env-expanded."
        ),
        examples=_MODEL_EXAMPLES,
    )
    provider: Provider = Field(description=_PROVIDER_DESCRIPTION, examples=_PROVIDER_EXAMPLES)
    baseUrl: str | None = Field(
        default=None,
        description=(
            "API endpoint. Required unless `bedrock` is set. No `${VAR}` expansion. "
            "`anthropic`: host root or the vendor's Anthropic-compatible prefix **without** "
            "`/v1` (`https://api.anthropic.com`). `openai` / `generic-chat-completion-api`: "
            "**include** the version prefix, i.e. everything before `/responses` or "
            "`/chat/completions` (`https://api.openai.com/v1`, `https://openrouter.ai/api/v1`). "
            "A trailing slash is harmless."
        ),
        examples=_BASE_URL_EXAMPLES,
    )
    apiKey: str | None = Field(
        default=None,
        description=(
            "API key for the provider. `${NAME}` references to environment variables are "
            "expanded anywhere in the string (not `$NAME`, `${NAME:-default}` or `%NAME%`); an "
            "unset variable is sent literally. Empty or missing means no auth header is sent "
            "(fine for local servers). The placeholders `YOUR_API_KEY` and "
            "`YOUR_OPENAI_API_KEY` make droid drop the entry. Avoid plain keys in committed "
            "project files."
        ),
        examples=["${ANTHROPIC_API_KEY}", "${OPENAI_API_KEY}", "not-needed"],
    )
    displayName: str | None = Field(
        default=None,
        description=(
            "Name shown in the `/model` picker (defaults to `model`). Also used to build the "
            "generated `id` (`custom:<displayName with spaces as ->-<n>`)."
        ),
        examples=["Sonnet 4.5 [BYOK]"],
    )
    maxOutputTokens: int | None = Field(
        default=None,
        gt=0,
        description="Maximum number of tokens the model may generate per response.",
        examples=[16384, 64000],
    )
    maxContextLimit: int | None = Field(
        default=None,
        gt=0,
        description="Context window of the model in tokens; droid compacts before reaching it.",
        examples=[200000],
    )
    noImageSupport: bool | None = Field(
        default=None,
        description=(
            "`true` disables image input for this model. When omitted it defaults to `false` "
            "for `anthropic`, `openai` and `bedrock-converse`, and to `true` for "
            "`generic-chat-completion-api`."
        ),
    )
    reasoningEffort: ReasoningEffort | None = Field(
        default=None,
        description=(
            f"Default reasoning effort for this model: {_REASONING_DESCRIPTION}. Unknown values "
            "are ignored at load. Unless `baseModelId` maps the model to a built-in one, the "
            "effort cycle offered is `off`/`low`/`medium`/`high` plus this value."
        ),
    )
    enableThinking: bool | None = Field(
        default=None,
        description="Enable Anthropic-style extended thinking for this model.",
    )
    thinkingMaxTokens: int | None = Field(
        default=None,
        gt=0,
        description=(
            "Thinking budget in tokens (sent as `thinking.budget_tokens`). Defaults to a value "
            "derived from the reasoning effort."
        ),
        examples=[8192],
    )
    extraArgs: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Extra fields merged into every request body, e.g. `temperature`, `top_p`, "
            "`service_tier`, provider-specific options. Not env-expanded."
        ),
        examples=[{"temperature": 0.2}],
    )
    extraHeaders: dict[str, str] | None = Field(
        default=None,
        description=(
            "Extra HTTP headers sent with every request (string values). Not env-expanded: "
            "`${VAR}` is sent literally; put secrets in `apiKey`."
        ),
        examples=[{"HTTP-Referer": "https://example.com"}],
    )
    bedrock: BedrockConfig | None = Field(
        default=None,
        description=(
            "Route this model through AWS Bedrock. Required for `bedrock-converse`; allowed "
            "with `anthropic` and `openai`. When set, `baseUrl` may be omitted."
        ),
    )
    id: str | None = Field(
        default=None,
        description=(
            "Identifier used to reference this model elsewhere (`sessionDefaultSettings.model`, "
            "`--model`, custom droids, …). Written by droid as "
            "`custom:<displayName with whitespace runs as ->-<n>`, where `<n>` counts earlier "
            "entries with the same name. Hand-written ids are fine; keep them unique."
        ),
        examples=["custom:Sonnet-4.5-[BYOK]-0"],
    )
    index: int | None = Field(
        default=None,
        ge=0,
        description=(
            "Display order in the `/model` picker (written by droid). Need not match the `id` "
            "suffix; duplicates are harmless."
        ),
    )
    apiKeyHelper: str | None = Field(
        default=None,
        description=(
            "Shell command that prints the API key. Honoured **only in org-managed or "
            "runtime-generated settings**; droid strips it from user, project and folder "
            "settings."
        ),
    )
    apiKeyHelperTtlMs: int | None = Field(
        default=None,
        gt=0,
        description=(
            "How long (ms) a key from `apiKeyHelper` is cached. Default 300000, or the "
            "`FACTORY_API_KEY_HELPER_TTL_MS` environment variable."
        ),
        json_schema_extra={"default": 300000},
    )
    authMode: Literal["provider-default", "bearer"] | None = Field(
        default=None,
        description=(
            "`bearer` sends the key as `Authorization: Bearer …` (Anthropic SDK `authToken`) "
            "instead of `x-api-key`. Only valid with provider `anthropic` and no `bedrock`. "
            "Default `provider-default`."
        ),
        json_schema_extra={"default": "provider-default"},
    )
    baseModelId: str | None = Field(
        default=None,
        description=(
            "Id of a built-in droid model whose capabilities and reasoning-effort levels this "
            "custom model should inherit. Must be a supported built-in id."
        ),
        examples=["claude-sonnet-4-5-20250929"],
    )
    useInRouter: bool | None = Field(
        default=None,
        description=(
            "Let Factory's model router use this BYOK model (requires the org flag "
            "`modelPolicy.allowFactoryRouterByok`)."
        ),
    )
    fileEditToolProfile: Literal["apply-patch", "create-edit"] | None = Field(
        default=None,
        description=(
            "Which file-editing tools the model gets. Inferred when omitted (`openai` → "
            "`apply-patch`, otherwise `create-edit`)."
        ),
    )

    @model_validator(mode="after")
    def _check_cross_field_rules(self) -> CustomModel:
        _check_bedrock_rules(
            provider=self.provider,
            has_base_url=self.baseUrl is not None,
            has_bedrock=self.bedrock is not None,
            base_url_key="baseUrl",
        )
        if self.authMode == "bearer" and (self.provider != "anthropic" or self.bedrock):
            raise ValueError('authMode "bearer" requires provider "anthropic" and no bedrock')
        return self


def _check_bedrock_rules(
    *, provider: str, has_base_url: bool, has_bedrock: bool, base_url_key: str
) -> None:
    if not has_base_url and not has_bedrock:
        raise ValueError(f"{base_url_key} is required unless bedrock is configured")
    if has_bedrock and provider not in BEDROCK_PROVIDERS:
        raise ValueError(
            "bedrock requires provider " + ", ".join(repr(p) for p in BEDROCK_PROVIDERS)
        )
    if provider == "bedrock-converse" and not has_bedrock:
        raise ValueError('provider "bedrock-converse" requires a bedrock object')


# ---------------------------------------------------------------------------------------------
# Legacy config.json
# ---------------------------------------------------------------------------------------------

_LEGACY_SCHEMA_EXTRA: dict[str, Any] = {
    "anyOf": [{"required": ["base_url"]}, {"required": ["bedrock"]}],
    "allOf": [
        {
            "if": {"required": ["bedrock"]},
            "then": {"properties": {"provider": {"enum": list(BEDROCK_PROVIDERS)}}},
        },
        {
            "if": {
                "properties": {"provider": {"const": "bedrock-converse"}},
                "required": ["provider"],
            },
            "then": {"required": ["bedrock"]},
        },
    ],
    "examples": [
        {
            "model_display_name": "Sonnet 4.5 [BYOK]",
            "model": "claude-sonnet-4-5-20250929",
            "base_url": "https://api.anthropic.com",
            "api_key": "sk-ant-...",
            "provider": "anthropic",
            "max_tokens": 64000,
        }
    ],
}


class LegacyCustomModel(_FileModel):
    """A custom model in the legacy `~/.factory/config.json` (snake_case keys). Still loaded and
    auto-migrated into settings.json `customModels`; an invalid entry is skipped on its own."""

    model_config = ConfigDict(
        extra="forbid", title="Legacy custom model", json_schema_extra=_LEGACY_SCHEMA_EXTRA
    )

    model: str = Field(
        description="Model id sent to the API, e.g. `claude-sonnet-4-5-20250929`. Required. "
        "Becomes `model` in settings.json.",
        examples=_MODEL_EXAMPLES,
    )
    provider: Provider = Field(
        description=(
            "Which wire API droid speaks to `base_url`: exactly one of `anthropic` (Anthropic "
            "Messages API), `openai` (OpenAI Responses API), `generic-chat-completion-api` "
            "(OpenAI Chat Completions; OpenRouter, Fireworks, Ollama, …) or `bedrock-converse` "
            "(AWS Bedrock; requires `bedrock`). Any other value (`claude`, `openrouter`, …) "
            "makes droid skip this entry; if no entry survives, no models load from the file."
        ),
        examples=_PROVIDER_EXAMPLES,
    )
    base_url: str | None = Field(
        default=None,
        description=(
            "API endpoint (becomes `baseUrl`). Required unless `bedrock` is set. `anthropic`: "
            "no `/v1`; `openai` / `generic-chat-completion-api`: include the version prefix "
            "(e.g. `/v1`)."
        ),
        examples=_BASE_URL_EXAMPLES,
    )
    api_key: str | None = Field(
        default=None,
        description=(
            "API key (becomes `apiKey`). **No `${VAR}` expansion in config.json**: the string "
            "is sent literally (it would be expanded after migration to settings.json). The "
            "placeholders `YOUR_API_KEY` / `YOUR_OPENAI_API_KEY` make droid drop the entry."
        ),
        examples=["${ANTHROPIC_API_KEY}", "not-needed"],
    )
    model_display_name: str | None = Field(
        default=None,
        description="Name shown in `/model` (becomes `displayName`). Defaults to `model`.",
        examples=["Sonnet 4.5 [BYOK]"],
    )
    max_tokens: int | None = Field(
        default=None,
        gt=0,
        description="Maximum output tokens per response (becomes `maxOutputTokens`).",
        examples=[16384],
    )
    max_context_limit: int | None = Field(
        default=None,
        gt=0,
        description="Context window in tokens (becomes `maxContextLimit`).",
    )
    enable_thinking: bool | None = Field(
        default=None,
        description="Enable Anthropic-style extended thinking (becomes `enableThinking`).",
    )
    thinking_max_tokens: int | None = Field(
        default=None,
        gt=0,
        description="Thinking budget in tokens (becomes `thinkingMaxTokens`).",
    )
    reasoning_effort: ReasoningEffort | None = Field(
        default=None,
        description=f"Default reasoning effort (becomes `reasoningEffort`): "
        f"{_REASONING_DESCRIPTION}.",
    )
    extra_headers: dict[str, str] | None = Field(
        default=None,
        description="Extra HTTP headers (becomes `extraHeaders`).",
    )
    extra_args: dict[str, Any] | None = Field(
        default=None,
        description="Extra fields merged into the request body (becomes `extraArgs`).",
        examples=[{"temperature": 0.2}],
    )
    supports_images: bool | None = Field(
        default=None,
        description=(
            "Whether the model accepts images. **Inverted** on migration: `false` becomes "
            "`noImageSupport: true`; unset keeps the provider default."
        ),
    )
    bedrock: BedrockConfig | None = Field(
        default=None,
        description="Route this model through AWS Bedrock (becomes `bedrock`). Makes "
        "`base_url` optional.",
    )

    @model_validator(mode="after")
    def _check_cross_field_rules(self) -> LegacyCustomModel:
        _check_bedrock_rules(
            provider=self.provider,
            has_base_url=self.base_url is not None,
            has_bedrock=self.bedrock is not None,
            base_url_key="base_url",
        )
        return self


class LegacyConfig(_FileModel):
    """Legacy `~/.factory/config.json`. Only `custom_models` is read (and migrated into
    `~/.factory/settings.json` on start-up); other top-level keys are ignored. New setups should
    use `customModels` in settings.json instead."""

    model_config = ConfigDict(extra="allow", title="Factory Droid legacy config.json")

    json_schema_: str | None = Field(
        default=None,
        alias="$schema",
        description="URL of the JSON Schema used by your editor. Ignored by droid.",
    )
    custom_models: list[LegacyCustomModel] | None = Field(
        default=None,
        description=(
            "Custom (BYOK) models, snake_case keys. Must be an array, otherwise the whole file "
            "is invalid. Entries that fail validation or have an unsupported provider are "
            "skipped one by one."
        ),
    )
    customModels: Any = Field(
        default=None,
        deprecated=True,
        description=(
            "Not read from config.json: the camelCase `customModels` key belongs in "
            "`settings.json`. Move these entries there, or use snake_case `custom_models` here."
        ),
    )


# ---------------------------------------------------------------------------------------------
# settings.json nested objects
# ---------------------------------------------------------------------------------------------


class SessionDefaultSettings(_FileModel):
    """Defaults for new sessions (model, reasoning effort, interaction mode, autonomy)."""

    model_config = ConfigDict(extra="forbid", title="Session default settings")

    model: str | None = Field(
        default=None,
        description=(
            "Default model for new sessions: a built-in model id or a custom model's `custom:` "
            "id (matched against `customModels[].id`, or `custom:<model>`)."
        ),
        examples=["claude-sonnet-4-5-20250929", "custom:Sonnet-4.5-[BYOK]-0"],
    )
    reasoningEffort: ReasoningEffort | None = Field(
        default=None,
        description=f"Default reasoning effort: {_REASONING_DESCRIPTION}.",
    )
    interactionMode: Literal["auto", "spec", "agi", "mission"] | None = Field(
        default=None,
        description="Default interaction mode: `auto`, `spec` (plan first), `agi` or `mission`.",
    )
    autonomyLevel: AutonomyLevel | None = Field(
        default=None,
        description="Default autonomy level: `off`, `low`, `medium` or `high`.",
    )
    autonomyMode: LegacyAutonomyMode | None = Field(
        default=None,
        deprecated=True,
        description=(
            "Deprecated combined mode (`normal`, `spec`, `auto-low`, `auto-medium`, "
            "`auto-high`). Still read, but use `interactionMode` and `autonomyLevel` instead."
        ),
    )
    specModeModel: str | None = Field(
        default=None,
        description="Model used while planning in spec mode (built-in id or `custom:` id).",
    )
    specModeReasoningEffort: ReasoningEffort | None = Field(
        default=None,
        description=f"Reasoning effort in spec mode: {_REASONING_DESCRIPTION}.",
    )


class MissionModelSettings(_FileModel):
    """Models used by mission workers and validators."""

    model_config = ConfigDict(extra="forbid", title="Mission model settings")

    workerModel: str | None = Field(
        default=None, description="Model for mission workers (built-in id or `custom:` id)."
    )
    workerReasoningEffort: ReasoningEffort | None = Field(
        default=None, description=f"Reasoning effort for workers: {_REASONING_DESCRIPTION}."
    )
    validationWorkerModel: str | None = Field(
        default=None,
        description="Model for validation workers (built-in id or `custom:` id).",
    )
    validationWorkerReasoningEffort: ReasoningEffort | None = Field(
        default=None,
        description=f"Reasoning effort for validation workers: {_REASONING_DESCRIPTION}.",
    )
    skipScrutiny: bool | None = Field(default=None, description="Skip the scrutiny step.")
    skipUserTesting: bool | None = Field(default=None, description="Skip the user-testing step.")


class SubagentModelSettings(_FileModel):
    """Models used by light, medium and heavy subagents."""

    model_config = ConfigDict(extra="forbid", title="Subagent model settings")

    lightModel: str | None = Field(
        default=None, description="Model for light subagents (built-in id or `custom:` id)."
    )
    lightReasoningEffort: ReasoningEffort | None = Field(
        default=None, description=f"Reasoning effort for light subagents: {_REASONING_DESCRIPTION}."
    )
    mediumModel: str | None = Field(
        default=None, description="Model for medium subagents (built-in id or `custom:` id)."
    )
    mediumReasoningEffort: ReasoningEffort | None = Field(
        default=None,
        description=f"Reasoning effort for medium subagents: {_REASONING_DESCRIPTION}.",
    )
    heavyModel: str | None = Field(
        default=None, description="Model for heavy subagents (built-in id or `custom:` id)."
    )
    heavyReasoningEffort: ReasoningEffort | None = Field(
        default=None, description=f"Reasoning effort for heavy subagents: {_REASONING_DESCRIPTION}."
    )


class StatusLine(_FileModel):
    """A custom status line produced by a shell command."""

    model_config = ConfigDict(extra="forbid", title="Status line")

    type: Literal["command"] | None = Field(
        default=None, description='Status-line kind; only `"command"` is supported.'
    )
    command: str = Field(description="Shell command whose output is shown as the status line.")
    padding: float | None = Field(default=None, description="Padding around the status line.")
    maxRows: int | None = Field(
        default=None, ge=1, le=3, description="Maximum number of rows shown (1-3)."
    )


class Telemetry(_FileModel):
    """OpenTelemetry export settings."""

    model_config = ConfigDict(extra="forbid", title="Telemetry")

    enabled: bool | None = Field(default=None, description="Enable telemetry export.")
    logMessageContent: bool | None = Field(
        default=None, description="Include message content in exported logs."
    )
    granularity: str | None = Field(default=None, description="Export granularity.")
    format: str | None = Field(default=None, description="Export format.")
    endpoint: str | None = Field(default=None, description="Collector endpoint URL.")
    headers: dict[str, str] | None = Field(
        default=None, description="HTTP headers sent to the collector."
    )
    metricExportIntervalMs: float | None = Field(
        default=None, gt=0, description="Metric export interval in milliseconds."
    )


class TrustedFolder(_FileModel):
    """A folder the user has trusted (project-level settings there are honoured)."""

    model_config = ConfigDict(extra="forbid", title="Trusted folder")

    trustedAt: str = Field(description="When the folder was trusted (timestamp, written by droid).")


class PermissionRules(_FileModel):
    """Tool permission rules (strict schema). Project and folder levels are honoured only in
    trusted folders."""

    model_config = ConfigDict(extra="forbid", title="Permission rules")

    version: Literal[1] = Field(description="Schema version; must be `1`.")
    rules: list[dict[str, Any]] = Field(description="Permission rules, evaluated in order.")


class GithubMarketplaceSource(_FileModel):
    """A plugin marketplace hosted in a GitHub repository."""

    model_config = ConfigDict(extra="forbid", title="GitHub marketplace source")

    source: Literal["github"] = Field(description='Source kind: `"github"`.')
    repo: str = Field(description="`owner/name` of the repository.", examples=["obra/superpowers"])
    ref: str | None = Field(default=None, description="Branch or tag to use.")
    sha: str | None = Field(default=None, description="Commit to pin.")


class UrlMarketplaceSource(_FileModel):
    """A plugin marketplace fetched from a URL."""

    model_config = ConfigDict(extra="allow", title="URL marketplace source")

    source: Literal["url"] = Field(description='Source kind: `"url"`.')
    url: str = Field(description="URL of the marketplace.")


class LocalMarketplaceSource(_FileModel):
    """A plugin marketplace in a local folder."""

    model_config = ConfigDict(extra="forbid", title="Local marketplace source")

    source: Literal["local"] = Field(description='Source kind: `"local"`.')
    path: str = Field(description="Path of the marketplace folder.")


MarketplaceSource = GithubMarketplaceSource | UrlMarketplaceSource | LocalMarketplaceSource


class KnownMarketplace(_FileModel):
    """An extra plugin marketplace."""

    model_config = ConfigDict(extra="forbid", title="Known marketplace")

    source: MarketplaceSource = Field(
        description='Where the marketplace lives: `{"source": "github", "repo": …}`, '
        '`{"source": "url", "url": …}` or `{"source": "local", "path": …}`.'
    )


class HookCommand(_FileModel):
    """A command run when a hook fires."""

    model_config = ConfigDict(extra="forbid", title="Hook command")

    type: Literal["command"] = Field(description='Hook kind; only `"command"` is supported.')
    command: str = Field(
        description="Shell command to run. It receives the event as JSON on stdin."
    )
    timeout: float | None = Field(default=None, gt=0, description="Timeout in seconds.")
    preserveRiskLevel: bool | None = Field(
        default=None, description="Keep the tool call's original risk level."
    )


class HookMatcher(_FileModel):
    """A group of hook commands, optionally restricted by a matcher."""

    model_config = ConfigDict(extra="forbid", title="Hook matcher")

    matcher: str | None = Field(
        default=None,
        description="For PreToolUse/PostToolUse: an unanchored, case-sensitive JavaScript "
        "regular expression tested against Droid's tool id (`Execute`, `Edit|Create`, "
        "`^Read$`; MCP tools are `<server>___<tool>`). Claude's `Bash`/`Write` never match. "
        'Omit, `""` or `*` to match every tool.',
    )
    commandRegex: str | None = Field(
        default=None,
        description="Regular expression tested against an `Execute` call's command line; a "
        "group with it never fires for other tools.",
    )
    hooks: list[HookCommand] = Field(description="Commands to run.")


def _event(description: str) -> Any:
    return Field(default=None, description=description)


class Hooks(_FileModel):
    """Lifecycle hooks. `hooks.json` (same shape) takes precedence per event. Event keys other
    than the nine Droid events (e.g. Claude Code's `PermissionRequest`) are ignored with a
    warning."""

    model_config = ConfigDict(extra="forbid", title="Hooks")

    PreToolUse: list[HookMatcher] | None = _event("Runs before a tool call; can block it.")
    PostToolUse: list[HookMatcher] | None = _event("Runs after a tool call completes.")
    Notification: list[HookMatcher] | None = _event("Runs when droid sends a notification.")
    UserPromptSubmit: list[HookMatcher] | None = _event(
        "Runs when the user submits a prompt, before droid processes it."
    )
    Stop: list[HookMatcher] | None = _event("Runs when droid finishes responding.")
    SubagentStop: list[HookMatcher] | None = _event("Runs when a subagent finishes.")
    PreCompact: list[HookMatcher] | None = _event("Runs before the conversation is compacted.")
    SessionStart: list[HookMatcher] | None = _event("Runs when a session starts or resumes.")
    SessionEnd: list[HookMatcher] | None = _event("Runs when a session ends.")
    hooksDisabled: bool | None = Field(default=None, description="Disable all hooks.")
    showHookOutput: bool | None = Field(default=None, description="Show hook output in the UI.")
    claudeHooksImported: bool | None = Field(
        default=None,
        deprecated=True,
        description="Written by older droid versions after importing Claude Code hooks. "
        "Obsolete; droid ignores it.",
    )
    importedClaudeHooks: list[str] | None = Field(
        default=None,
        deprecated=True,
        description="Written by older droid versions after importing Claude Code hooks. "
        "Obsolete; droid ignores it.",
    )


class HooksFile(Hooks):
    """`hooks.json` (and the legacy `hooks/hooks.json`): the event map itself, without the
    `{"hooks": …}` wrapper of settings.json. One hook that fails this schema makes droid ignore
    the whole file."""

    model_config = ConfigDict(extra="forbid", title="hooks.json")


class McpOAuth(_FileModel):
    """OAuth settings of an http/sse MCP server."""

    model_config = ConfigDict(extra="forbid", title="MCP OAuth")

    scopes: list[str] | None = Field(default=None, description="Scopes to request.")
    resource: str | bool | None = Field(
        default=None, description="Resource indicator URL, or false for none."
    )
    authorizationServerIssuer: str | None = Field(
        default=None, description="Issuer URL of the authorization server."
    )
    clientId: str | None = Field(
        default=None, description="Pre-registered client id (`${VAR}` is expanded)."
    )
    clientSecret: str | None = Field(
        default=None,
        description="Client secret (`${VAR}` is expanded); keep it in an environment variable.",
    )
    clientMetadataUrl: str | None = Field(
        default=None, description="HTTPS URL of a client metadata document."
    )
    callbackPort: int | None = Field(
        default=None, ge=1, le=65535, description="Local port for the OAuth callback."
    )
    tokenEndpointAuthMethod: Literal["none", "client_secret_basic", "client_secret_post"] | None = (
        Field(default=None, description="How the client authenticates at the token endpoint.")
    )


class McpServer(_FileModel):
    """One MCP server: a local command (`stdio`) or a remote server (`http`, `sse`)."""

    model_config = ConfigDict(extra="forbid", title="MCP server")

    type: Literal["stdio", "http", "sse"] | None = Field(
        default=None,
        description='Transport: `"stdio"` (default; runs `command`), `"http"` (streamable '
        'HTTP at `url`) or `"sse"`. A `url` without `type` is read as stdio and never starts.',
    )
    command: str | None = Field(
        default=None,
        description="stdio: the program to run, alone (`npx`); its arguments go in `args`. "
        "No shell, no `${VAR}` expansion.",
    )
    args: list[str] | None = Field(
        default=None, description="stdio: the program's arguments (`${VAR}` is not expanded)."
    )
    env: dict[str, str] | None = Field(
        default=None,
        description="stdio: environment for the server. `${VAR}` and `${VAR:-default}` are "
        "expanded; an unset variable without a default stops the server from starting.",
    )
    url: str | None = Field(
        default=None, description="http/sse: the server's URL (`${VAR}` is not expanded)."
    )
    headers: dict[str, str] | None = Field(
        default=None,
        description="http/sse: request headers; `${VAR}` and `${VAR:-default}` are expanded.",
    )
    oauth: McpOAuth | bool | None = Field(
        default=None, description="http/sse: OAuth settings, or false to turn OAuth off."
    )
    disabled: bool | None = Field(default=None, description="true: do not start the server.")
    enabledTools: list[str] | None = Field(
        default=None, description="Only these tools (wins over `disabledTools`)."
    )
    disabledTools: list[str] | None = Field(default=None, description="Tools to hide.")
    timeout: int | None = Field(
        default=None, ge=1, le=2147483647, description="Per-call timeout in milliseconds."
    )
    connectTimeout: int | None = Field(
        default=None, ge=1, le=2147483647, description="Connect timeout in milliseconds."
    )


class McpFile(_FileModel):
    """`mcp.json`: the MCP servers droid starts (JSONC). A project server replaces a user
    server of the same name."""

    model_config = ConfigDict(extra="forbid", title="mcp.json")

    mcpServers: dict[str, McpServer] = Field(description="Servers by name.")
    persistentPermissions: dict[str, Any] | None = Field(
        default=None, description="Tool permissions droid remembers (written by droid)."
    )


class McpServerAutonomyOverride(_FileModel):
    """Autonomy levels for one MCP server."""

    model_config = ConfigDict(extra="forbid", title="MCP server autonomy override")

    defaultLevel: str | None = Field(
        default=None, description="Autonomy level for the server's tools."
    )
    tools: dict[str, str] | None = Field(
        default=None, description="Per-tool autonomy levels (tool name → level)."
    )


class McpAutonomyUrlOverride(_FileModel):
    """Autonomy level for MCP servers whose URL matches a pattern."""

    model_config = ConfigDict(extra="forbid", title="MCP URL autonomy override")

    urlPattern: str = Field(description="URL pattern of the MCP server.")
    defaultLevel: str = Field(description="Autonomy level for matching servers.")


ToolLevel = Literal["low", "medium", "high"]


class BuiltInToolAutonomyOverrides(_FileModel):
    """Required autonomy levels for built-in network tools (org-enforced)."""

    model_config = ConfigDict(extra="forbid", title="Built-in tool autonomy overrides")

    WebSearch: ToolLevel | None = Field(default=None, description="Level for `WebSearch`.")
    FetchUrl: ToolLevel | None = Field(default=None, description="Level for `FetchUrl`.")


class ModelPolicy(_FileModel):
    """Organisation model policy (honoured from the org level)."""

    model_config = ConfigDict(extra="forbid", title="Model policy")

    allowedModelIds: list[str] | None = Field(default=None, description="Model ids allowed.")
    blockedModelIds: list[str] | None = Field(default=None, description="Model ids blocked.")
    allowCustomModels: bool | None = Field(
        default=None, description="Allow BYOK custom models at all."
    )
    allowedBaseUrls: list[str] | None = Field(
        default=None,
        description="Base URLs custom models may use (same origin plus path prefix).",
    )
    allowAllFactoryModels: bool | None = Field(
        default=None, description="Allow every Factory-hosted model."
    )
    isFastModelsAllowed: bool | None = Field(default=None, description="Allow fast models.")
    requireExplicitOptInModelIds: list[str] | None = Field(
        default=None, description="Models users must opt into explicitly."
    )
    allowFactoryRouterByok: bool | None = Field(
        default=None, description="Let Factory's router use BYOK models marked `useInRouter`."
    )
    factoryRouterByokOnly: bool | None = Field(
        default=None, description="Restrict Factory's router to BYOK models."
    )


class McpPolicy(_FileModel):
    """Organisation MCP policy."""

    model_config = ConfigDict(extra="allow", title="MCP policy")

    enabled: bool | None = Field(default=None, description="Whether MCP servers may be used.")
    allowlist: list[Any] | None = Field(default=None, description="Allowed MCP servers.")


class NetworkPolicy(_FileModel):
    """Organisation network policy."""

    model_config = ConfigDict(extra="forbid", title="Network policy")

    allowedIps: list[str] | None = Field(default=None, description="Allowed IP addresses.")


class SandboxFilesystem(_FileModel):
    """Sandbox filesystem rules."""

    model_config = ConfigDict(extra="forbid", title="Sandbox filesystem")

    allowWrite: list[str] | None = Field(default=None, description="Paths writable.")
    allowRead: list[str] | None = Field(default=None, description="Paths readable.")
    denyWrite: list[str] | None = Field(default=None, description="Paths never writable.")
    denyRead: list[str] | None = Field(default=None, description="Paths never readable.")


class SandboxNetwork(_FileModel):
    """Sandbox network rules."""

    model_config = ConfigDict(extra="allow", title="Sandbox network")

    allowedDomains: list[str] | None = Field(
        default=None, description="Domains reachable from the sandbox."
    )


class Sandbox(_FileModel):
    """Command sandboxing (org / enterprise)."""

    model_config = ConfigDict(extra="forbid", title="Sandbox")

    enabled: bool | None = Field(default=None, description="Enable the sandbox.")
    mode: Literal["per-command", "whole-process"] | None = Field(
        default=None, description="Sandbox each command (`per-command`) or the whole process."
    )
    filesystem: SandboxFilesystem | None = Field(default=None, description="Filesystem rules.")
    network: SandboxNetwork | None = Field(default=None, description="Network rules.")


class FactoryRouterRule(_FileModel):
    """A routing rule for Factory's model router."""

    model_config = ConfigDict(extra="forbid", title="Factory router rule")

    when: str | None = Field(default=None, description="When the rule applies.")
    guidance: str = Field(description="Guidance given to the router.")


# ---------------------------------------------------------------------------------------------
# settings.json / settings.local.json top level
# ---------------------------------------------------------------------------------------------


def _legacy(description: str, *, default: Any = None) -> Any:
    """A known obsolete key: accepted, marked deprecated in the schema."""
    return Field(default=default, deprecated=True, description=description)


_IGNORED = "Obsolete: droid no longer reads this key and ignores it. Safe to delete."


class Settings(_FileModel):
    """Factory Droid CLI settings (`~/.factory/settings.json`, project or folder
    `.factory/settings.json`, and `settings.local.json` beside them). JSONC: comments are
    allowed, trailing commas are not. Unknown keys are ignored by droid."""

    model_config = ConfigDict(extra="forbid", title="Factory Droid settings.json")

    json_schema_: str | None = Field(
        default=None,
        alias="$schema",
        description="URL of the JSON Schema used by your editor. Ignored by droid.",
    )

    # --- Models ---------------------------------------------------------------------------
    customModels: list[CustomModel] | None = Field(
        default=None,
        description=(
            "Bring-your-own-key models shown in `/model`. Across levels entries are merged by "
            "`id`; a `customModels` array in `settings.local.json` replaces the one in the "
            "`settings.json` beside it."
        ),
    )
    modelFavorites: list[str] | None = Field(
        default=None, description="Favourite model ids (built-in or `custom:` ids)."
    )
    dismissedNewModels: list[str] | None = Field(
        default=None, description="Model ids whose “new model” notice was dismissed."
    )
    modelFallbacks: dict[str, str] | None = Field(
        default=None, description="Fallback model per model id (model id → fallback id)."
    )
    compactionModel: str | None = Field(
        default=None,
        description="Model used to compact long conversations: `current-model`, a built-in "
        "id, or a `custom:` id.",
        examples=["current-model"],
    )
    compactionTokenLimit: int | None = Field(
        default=None, gt=0, description="Token count at which the conversation is compacted."
    )
    compactionTokenLimitPerModel: dict[str, int] | None = Field(
        default=None, description="Compaction token limit per model id."
    )
    compactionThresholdCheckEnabled: bool | None = Field(
        default=None, description="Check the compaction threshold automatically."
    )

    # --- Session defaults ----------------------------------------------------------------
    sessionDefaultSettings: SessionDefaultSettings | None = Field(
        default=None,
        description="Defaults for new sessions: model, reasoning effort, interaction mode and "
        "autonomy level.",
    )
    model: str | None = _legacy(
        "Legacy top-level session key. Still accepted: droid moves it to "
        "`sessionDefaultSettings.model` (only if that is unset). Prefer "
        "`sessionDefaultSettings.model`."
    )
    reasoningEffort: ReasoningEffort | None = _legacy(
        "Legacy top-level session key. Still accepted: droid moves it to "
        "`sessionDefaultSettings.reasoningEffort` (only if that is unset)."
    )
    autonomyMode: LegacyAutonomyMode | None = _legacy(
        "Legacy top-level session key. Still accepted: droid moves it to "
        "`sessionDefaultSettings.autonomyMode` (only if that is unset), which is itself "
        "deprecated in favour of `interactionMode` and `autonomyLevel`."
    )
    specModeModel: str | None = _legacy(
        "Legacy top-level session key. Still accepted: droid moves it to "
        "`sessionDefaultSettings.specModeModel` (only if that is unset)."
    )
    specModeReasoningEffort: ReasoningEffort | None = _legacy(
        "Legacy top-level session key. Still accepted: droid moves it to "
        "`sessionDefaultSettings.specModeReasoningEffort` (only if that is unset)."
    )

    # --- Missions / subagents ------------------------------------------------------------
    missionModelSettings: MissionModelSettings | None = Field(
        default=None, description="Models and options for mission workers."
    )
    missionOrchestratorModel: str | None = Field(
        default=None, description="Model for the mission orchestrator (built-in or `custom:` id)."
    )
    missionOrchestratorReasoningEffort: ReasoningEffort | None = Field(
        default=None,
        description=f"Reasoning effort of the mission orchestrator: {_REASONING_DESCRIPTION}.",
    )
    keepSystemAwakeDuringMissions: bool | None = Field(
        default=None, description="Prevent the machine from sleeping while a mission runs."
    )
    hasSeenMissionOnboarding: bool | None = Field(
        default=None, description="Whether the mission onboarding was shown (written by droid)."
    )
    subagentAutonomyLevel: Literal["inherit", "off", "low", "medium", "high"] | None = Field(
        default=None, description="Autonomy level of subagents (`inherit` uses the session's)."
    )
    subagentModelSettings: SubagentModelSettings | None = Field(
        default=None, description="Models for light, medium and heavy subagents."
    )
    subagentInactivityTimeout: float | None = Field(
        default=None, ge=1000, description="Subagent inactivity timeout in milliseconds (≥ 1000)."
    )

    # --- Commands / safety ---------------------------------------------------------------
    commandAllowlist: list[str] | None = Field(
        default=None, description="Commands that run without asking. Accumulates across levels."
    )
    commandDenylist: list[str] | None = Field(
        default=None, description="Commands that always need confirmation or are refused."
    )
    commandBlocklist: list[str] | None = Field(
        default=None, description="Commands that are never run."
    )
    enableDroidShield: bool | None = Field(
        default=None, description="Scan changes for secrets before commits (Droid Shield)."
    )
    droidShield20OptIn: bool | None = Field(default=None, description="Opt into Droid Shield 2.0.")
    includeCoAuthoredByDroid: bool | None = Field(
        default=None, description="Add a `Co-authored-by: factory-droid` trailer to commits."
    )
    permissionRules: PermissionRules | None = Field(
        default=None,
        description="Tool permission rules (`{version: 1, rules: [...]}`). At project and "
        "folder level honoured only in trusted folders.",
    )
    trustedFolders: dict[str, TrustedFolder] | None = Field(
        default=None, description="Trusted folders (path → `{trustedAt}`), written by droid."
    )

    # --- UI / sound ----------------------------------------------------------------------
    diffMode: Literal["github", "unified"] | None = Field(
        default=None, description="Diff display style."
    )
    completionSound: str | None = Field(
        default=None,
        description="Sound when a response completes: `off`, `bell`, `fx-ok01`, `fx-ack01`, or "
        "a path to a sound file.",
        examples=["off", "bell", "fx-ok01", "fx-ack01"],
    )
    awaitingInputSound: str | None = Field(
        default=None,
        description="Sound when droid waits for input: `off`, `bell`, `fx-ok01`, `fx-ack01`, or "
        "a path to a sound file.",
        examples=["off", "bell", "fx-ok01", "fx-ack01"],
    )
    soundFocusMode: FocusMode | None = Field(
        default=None, description="When sounds play relative to terminal focus."
    )
    completionSoundFocusMode: FocusMode | None = Field(
        default=None, description="When the completion sound plays relative to terminal focus."
    )
    awaitingInputSoundFocusMode: FocusMode | None = Field(
        default=None,
        description="When the awaiting-input sound plays relative to terminal focus.",
    )
    enableCompletionBell: bool | None = Field(
        default=None, description="Ring the terminal bell when a response completes."
    )
    subagentSounds: Literal["off", "quiet", "inherit"] | None = Field(
        default=None, description="Sounds for subagents: `off`, `quiet` or `inherit`."
    )
    todoDisplayMode: Literal["inline", "pinned"] | None = Field(
        default=None, description="Where the todo list is shown."
    )
    toolResultDisplay: Literal["expanded", "compact"] | None = Field(
        default=None, description="How tool results are displayed."
    )
    logoAnimation: Literal["once", "always", "off"] | None = Field(
        default=None, description="When the start-up logo animates."
    )
    theme: str | None = Field(default=None, description="UI theme name.", examples=["dark"])
    overrideTerminalColors: bool | None = Field(
        default=None, description="Use droid's colours instead of the terminal's."
    )
    nerdFont: bool | None = Field(default=None, description="Use Nerd Font glyphs.")
    showThinkingInMainView: bool | None = Field(
        default=None, description="Show the model's thinking in the main view."
    )
    showTokenUsageIndicator: bool | None = Field(
        default=None, description="Show the token usage indicator."
    )
    streamAssistantResponses: bool | None = Field(
        default=None, description="Stream assistant responses as they are generated."
    )
    windowZoomLevel: float | None = Field(default=None, description="Window zoom level.")
    statusLine: StatusLine | None = Field(
        default=None, description="Custom status line driven by a shell command."
    )
    outputStyle: str | None = Field(default=None, description="Output style name.")
    locale: str | None = Field(default=None, description="UI locale.", examples=["en"])
    hideChangelog: bool | None = Field(
        default=None, description="Do not show the changelog after updates."
    )

    # --- Misc ------------------------------------------------------------------------------
    cloudSessionSync: bool | None = Field(
        default=None, description="Sync sessions to Factory's cloud."
    )
    wikiCloudSync: bool | None = Field(default=None, description="Sync the wiki to the cloud.")
    ideAutoConnect: bool | None = Field(
        default=None, description="Connect to the IDE extension automatically."
    )
    remoteAccessEnabled: bool | None = Field(default=None, description="Allow remote access.")
    keepAwakeEnabled: bool | None = Field(
        default=None, description="Keep the machine awake while droid works."
    )
    blockOnMcpLoad: bool | None = Field(
        default=None, description="Wait for MCP servers to load before starting."
    )
    allowSubagentsInScripts: bool | None = Field(
        default=None, description="Allow subagents in scripted tool execution."
    )
    specSaveEnabled: bool | None = Field(default=None, description="Save specs to disk.")
    specSaveDir: str | None = Field(default=None, description="Folder where specs are saved.")
    worktreeDirectory: str | None = Field(
        default=None, description="Folder for git worktrees created by droid."
    )
    preferredComputer: str | None = Field(default=None, description="Preferred computer.")
    worktreeAutoDeleteLimit: int | None = Field(
        default=None, ge=1, description="How many worktrees to keep before auto-deleting."
    )
    llmRequestTimeout: float | None = Field(
        default=None, ge=1000, description="LLM request timeout in milliseconds (≥ 1000)."
    )
    toolExecutionMode: Literal["direct_only", "direct_and_script", "script_only"] | None = Field(
        default=None, description="How tools may be executed."
    )
    ideExtensionPromptedAt: dict[str, float] | None = Field(
        default=None, description="When the IDE extension prompt was shown (written by droid)."
    )
    ideActivationNudgedForVersion: dict[str, str] | None = Field(
        default=None, description="IDE activation nudge state (written by droid)."
    )
    reauthBannerShownTui: bool | None = Field(
        default=None, description="Re-auth banner state (written by droid)."
    )
    automationQuitWarningDismissed: bool | None = Field(
        default=None, description="Automation quit warning dismissed (written by droid)."
    )
    voiceDictationEnabled: bool | None = Field(default=None, description="Enable voice dictation.")
    imageGenerationEnabled: bool | None = Field(
        default=None, description="Enable image generation."
    )
    webSearchDisabled: bool | None = Field(default=None, description="Disable the web search tool.")
    routedModelVisibilityEnabled: bool | None = Field(
        default=None, description="Show which model the router picked."
    )
    enableOneHourAnthropicCaching: bool | None = Field(
        default=None, description="Use one-hour prompt caching with Anthropic models."
    )
    disableAutoUpdate: bool | None = Field(
        default=None, description="Disable automatic CLI updates."
    )
    env: dict[str, str] | None = Field(
        default=None, description="Environment variables set for droid's tools and hooks."
    )
    telemetry: Telemetry | None = Field(default=None, description="OpenTelemetry export settings.")

    # --- Plugins / skills ----------------------------------------------------------------
    enabledPlugins: dict[str, bool] | None = Field(
        default=None,
        description='Plugins to enable or disable, keyed `"plugin@marketplace"`.',
        examples=[{"code-review@factory-plugins": True}],
    )
    strictEnabledPlugins: bool | None = Field(
        default=None, description="Only allow plugins listed in `enabledPlugins`."
    )
    extraKnownMarketplaces: dict[str, KnownMarketplace] | None = Field(
        default=None, description="Additional plugin marketplaces (name → `{source}`)."
    )
    strictKnownMarketplaces: list[MarketplaceSource] | None = Field(
        default=None, description="The only marketplace sources allowed."
    )
    disabledSkills: list[str] | None = Field(default=None, description="Skills to disable.")

    # --- Hooks ----------------------------------------------------------------------------
    hooks: Hooks | None = Field(
        default=None,
        description="Lifecycle hooks (event → matcher groups). A `hooks.json` file beside "
        "this one takes precedence per event.",
    )
    hooksDisabled: bool | None = Field(
        default=None,
        description="Disable all hooks. Documented here at top level; droid reads "
        "`hooks.hooksDisabled`, so set that too.",
    )

    # --- MCP-related ---------------------------------------------------------------------
    mcpAutonomyOverrides: dict[str, McpServerAutonomyOverride] | None = Field(
        default=None, description="Autonomy levels per MCP server (server name → override)."
    )
    mcpAutonomyUrlOverrides: list[McpAutonomyUrlOverride] | None = Field(
        default=None, description="Autonomy levels for MCP servers matched by URL pattern."
    )
    builtInToolAutonomyOverrides: BuiltInToolAutonomyOverrides | None = Field(
        default=None, description="Autonomy levels for `WebSearch` and `FetchUrl` (org-enforced)."
    )

    # --- Org / enterprise (honoured from the org level) -----------------------------------
    maxAutonomyLevel: str | None = Field(
        default=None, description="Highest autonomy level users may choose (org setting)."
    )
    modelPolicy: ModelPolicy | None = Field(
        default=None, description="Which models may be used (org setting)."
    )
    userModelPolicies: dict[str, Any] | None = Field(
        default=None, description="Per-user model policies (org setting)."
    )
    mcpPolicy: McpPolicy | None = Field(default=None, description="MCP policy (org setting).")
    missionPolicy: dict[str, Any] | None = Field(
        default=None, description="Mission policy (org setting)."
    )
    networkPolicy: NetworkPolicy | None = Field(
        default=None, description="Network policy (org setting)."
    )
    sandbox: Sandbox | None = Field(default=None, description="Command sandbox (org setting).")
    allowManagedHooksOnly: bool | None = Field(
        default=None, description="Only run hooks from org-managed settings (org setting)."
    )
    restrictMemberVisibility: bool | None = Field(
        default=None, description="Restrict member visibility (org setting)."
    )
    restrictApiKeyCreationToManagers: bool | None = Field(
        default=None, description="Only managers may create API keys (org setting)."
    )
    localComputersEnabled: bool | None = Field(
        default=None, description="Allow local computers (org setting)."
    )
    managedComputersEnabled: bool | None = Field(
        default=None, description="Allow managed computers (org setting)."
    )
    managedComputersAllowedEmails: list[str] | None = Field(
        default=None, description="Who may use managed computers (org setting)."
    )
    byomComputersEnabled: bool | None = Field(
        default=None, description="Allow bring-your-own-machine computers (org setting)."
    )
    byomComputersAllowedEmails: list[str] | None = Field(
        default=None, description="Who may use BYOM computers (org setting)."
    )
    personaSettings: dict[str, Any] | None = Field(
        default=None, description="Persona settings (org setting)."
    )
    sessionRetentionDays: int | None = Field(
        default=None, ge=14, le=365, description="Days sessions are kept, 14-365 (org setting)."
    )
    factoryRouterGuidance: str | None = Field(
        default=None,
        description="Free-text guidance for Factory's model router, at most 2000 characters "
        "(org setting).",
    )
    factoryRouterRules: list[FactoryRouterRule] | None = Field(
        default=None,
        max_length=20,
        description="Up to 20 routing rules for Factory's model router (org setting).",
    )
    disableWeeklyUsageSummary: bool | None = Field(
        default=None, description="Disable the weekly usage summary (org setting)."
    )
    cycleTimeBoundaries: Any = Field(
        default=None, description="Cycle-time analytics boundaries (org setting)."
    )
    advancedAnalyticsEnabled: bool | None = Field(
        default=None, description="Enable advanced analytics (org setting)."
    )

    # --- Documented but absent from the 0.225.2 schema ------------------------------------
    compactionModelMode: Any = _legacy(
        "Documented (`same` or a model id) but not read by current droid versions, which "
        "ignore it. Use `compactionModel` instead."
    )
    mcp: Any = _legacy(
        "Documented (`mcp.callTimeoutMs`) but not read by current droid versions, which ignore "
        "it. Set `timeout` per server in `mcp.json` instead."
    )
    persistToCloud: Any = _legacy(
        "From old docs; not read by current droid versions, which ignore it. See "
        "`cloudSessionSync`."
    )
    autoModeAllow: Any = _legacy(
        "From an old docs page; not read by droid, which ignores it. Use `commandAllowlist`."
    )
    autoModeDeny: Any = _legacy(
        "From an old docs page; not read by droid, which ignores it. Use `commandDenylist`."
    )

    # --- Legacy keys seen in real files (obsolete, ignored) --------------------------------
    autonomyLevel: Any = _legacy(
        "Obsolete top-level key (old values `auto-low`, `auto-medium`, `auto-high`); droid "
        "ignores it. Use `sessionDefaultSettings.autonomyLevel` (`off`, `low`, `medium`, "
        "`high`)."
    )
    enableCustomDroids: Any = _legacy(_IGNORED + " Custom droids are always enabled.")
    enableHooks: Any = _legacy(_IGNORED + " Hooks are always enabled; see `hooks.hooksDisabled`.")
    enableReadinessReport: Any = _legacy(_IGNORED)
    enableWarmup: Any = _legacy(_IGNORED)
    allowBackgroundProcesses: Any = _legacy(_IGNORED)
    opus45PriceChangeDismissed: Any = _legacy(_IGNORED)
    terminalColorMode: Any = _legacy(_IGNORED + " See `overrideTerminalColors` and `theme`.")
    showContextUtilization: Any = _legacy(_IGNORED + " See `showTokenUsageIndicator`.")
