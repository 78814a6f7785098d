"""Hover text: key docs from the schema, model limits, where requests and keys go.

Never shows a secret: an ``apiKey`` (or an auth header) is described by its kind only.
"""

from __future__ import annotations

from dataclasses import dataclass

from factory_lint.context import CAMEL_NAMES, FileInfo
from factory_lint.jsonc import Node
from factory_lint.kinds import MARKDOWN_KINDS, Kind
from factory_lint.secrets import (
    SECRET_FIELDS,
    is_env_reference,
    is_secret_header,
    looks_like_key,
    redact,
)
from factory_lint.server import knowledge, schemadoc
from factory_lint.server.completion import PROVIDER_MEANING
from factory_lint.server.locate import Token, token_at
from factory_lint.server.models import entry_fields, models_key, resolve, visible_models
from factory_lint.urls import split_url

_AUTH_HEADERS = {
    "anthropic": "the `x-api-key` header",
    "openai": "an `Authorization: Bearer …` header",
    "generic-chat-completion-api": "an `Authorization: Bearer …` header",
}


@dataclass(frozen=True, slots=True)
class HoverText:
    markdown: str
    start: int
    end: int
    #: The part of the document the text was drawn from (for scrubbing secrets).
    scope: Node | None = None


def hover(
    text: str, root: Node | None, kind: Kind, offset: int, info: FileInfo
) -> HoverText | None:
    if kind in MARKDOWN_KINDS:
        from factory_lint.server import markdown_features

        found = markdown_features.hover(root, kind, offset, info)
        return HoverText(found[0], found[1], found[2], root) if found else None
    token = token_at(root, offset)
    if token is None:
        return None
    if token.is_key:
        body = _key_doc(kind, token)
    else:
        body = _value_doc(text, root, kind, token, info) or _key_doc(kind, token)
    if not body:
        return None
    scope = _entry(kind, token) if not token.is_key else None
    if scope is None or (body and "custom:" in body):
        scope = root
    return HoverText(body, token.start, token.end, scope)


def _key_doc(kind: Kind, token: Token) -> str | None:
    if token.member is None:
        return None
    parent = token.path if token.is_key else token.path[:-1]
    schema = schemadoc.property_schema(kind, parent, token.member.key)
    if schema is None:
        return None
    return schemadoc.markdown(token.member.key, schema)


def _entry(kind: Kind, token: Token) -> Node | None:
    path = token.path
    if len(path) == 3 and path[0] == models_key(kind) and token.container is not None:
        return token.container
    return None


def _value_doc(
    text: str, root: Node | None, kind: Kind, token: Token, info: FileInfo
) -> str | None:
    node = token.node
    if node is None:
        return None
    value = node.value if isinstance(node.value, str) else None
    entry = _entry(kind, token)
    path = token.path
    field = CAMEL_NAMES.get(path[-1], path[-1]) if path else ""
    if entry is not None:
        fields = entry_fields(entry, kind)
        if field == "model" and value is not None:
            return _model_doc(value, fields.provider, fields.base_url)
        if field == "provider" and value is not None:
            return _provider_doc(value, fields.base_url, entry, kind)
        if field == "baseUrl" and value is not None:
            return _base_url_doc(value, fields.provider)
        if token.member is not None and token.member.key in SECRET_FIELDS:
            return _key_value_doc(value, fields.provider, fields.base_url, kind, token.member.key)
    if (
        len(path) >= 2
        and path[-2] in ("extraHeaders", "extra_headers")
        and is_secret_header(path[-1])
        and value is not None
    ):
        return f"**{path[-1]}** holds a credential ({redact(value)}); it is sent as a header."
    if (
        value is not None
        and value.startswith("custom:")
        and schemadoc.takes_model_reference(kind, path)
    ):
        return _reference_doc(value, root, kind, info)
    if value is not None and looks_like_key(value):
        return f"A key-like string ({redact(value)})."
    return None


def _model_doc(model_id: str, provider: str | None, base_url: str | None) -> str | None:
    endpoint = knowledge.endpoint_for_entry(provider, base_url)
    if endpoint is None:
        return None
    model = knowledge.find_model(endpoint.id, model_id)
    if model is None:
        return f"**{model_id}**: not in factory-lint's catalog for {endpoint.name}."
    title = f"**{model_id}** on {endpoint.name}"
    if model.id != model_id:
        title += f" (catalogued as `{model.id}`)"
    lines = [title, ""]
    rows = []
    if model.context_window:
        rows.append(f"- context window: {model.context_window:,} tokens")
    if model.max_output_tokens:
        rows.append(f"- max output: {model.max_output_tokens:,} tokens")
    if model.params_total:
        size = f"- parameters: {knowledge.format_params(model.params_total)}"
        if model.params_active and model.params_active != model.params_total:
            size += f" total, {knowledge.format_params(model.params_active)} active (mixture of experts)"
        rows.append(size)
    if model.open_weights is not None:
        rows.append(f"- open weights: {'yes' if model.open_weights else 'no'}")
    if model.retired:
        rows.append(f"- **retired** {model.retired}")
    elif model.deprecated:
        rows.append(f"- **deprecated**, shutdown {model.deprecated}")
    return "\n".join(lines + (rows or ["No limits known."]))


def _provider_doc(provider: str, base_url: str | None, entry: Node, kind: Kind) -> str:
    meaning = PROVIDER_MEANING.get(provider)
    if meaning is None:
        return f"`{provider}` is not a provider Droid supports."
    lines = [f"**{provider}**: {meaning}"]
    target = knowledge.request_url(provider, base_url)
    if target:
        lines += ["", f"Droid calls `POST {target}`"]
    elif provider == "bedrock-converse":
        bedrock = entry.value_of("bedrock")
        region = bedrock.string("awsRegion") if bedrock is not None else None
        model = entry.string("model") or "{model}"
        host = f"bedrock-runtime.{region or '{region}'}.amazonaws.com"
        lines += ["", f"Droid calls `POST https://{host}/model/{model}/converse`"]
    elif provider in knowledge.REQUEST_PATHS:
        path = knowledge.REQUEST_PATHS[provider]
        lines += ["", f"Droid calls `POST {{baseUrl}}{path}` (no `baseUrl` set yet)"]
    return "\n".join(lines)


def _base_url_doc(url: str, provider: str | None) -> str | None:
    lines = []
    endpoint = knowledge.endpoint_for_url(url)
    if endpoint is not None:
        lines.append(f"**{endpoint.name}**")
    target = knowledge.request_url(provider, url)
    if target:
        lines += ["", f"Droid calls `POST {target}`"]
    return "\n".join(lines).strip() or None


def _key_value_doc(
    value: str | None, provider: str | None, base_url: str | None, kind: Kind, field: str
) -> str:
    host = None
    if base_url:
        parts = split_url(base_url)
        host = parts.hostname if parts is not None else None
    if field == "apiKeyHelper":
        what = "a command whose output Droid uses as the key"
    elif value is None:
        what = "not a string"
    elif not value.strip():
        what = "empty: no auth header is sent"
    elif is_env_reference(value) and kind == "settings":
        names = [part.split("}")[0] for part in value.split("${")[1:]]
        what = "read from the environment variable " + ", ".join(f"`{n}`" for n in names)
    else:
        key = knowledge.identify_key(value)
        if key is not None:
            what = f"a literal key: {key.description or key.id}"
            if key.provider:
                what += f" (issued by {key.provider})"
        else:
            what = f"a literal value ({redact(value)})"
    lines = [f"**{field}**: {what}"]
    header = _AUTH_HEADERS.get(provider or "")
    if host and header and value and value.strip():
        lines += ["", f"Sent to `{host}` in {header}."]
    elif host and value and value.strip():
        lines += ["", f"Sent to `{host}`."]
    return "\n".join(lines)


def _reference_doc(value: str, root: Node | None, kind: Kind, info: FileInfo) -> str:
    models = visible_models(root, kind, info)
    model = resolve(value, models)
    if model is None:
        return f"`{value}` matches no custom model that Droid loads."
    where = "this file" if model.source == "this file" else model.source
    lines = [f"**{model.display_name}** ({where})", "", f"- model: `{model.model}`"]
    if model.provider:
        lines.append(f"- provider: `{model.provider}`")
    if model.node is not None:
        base_url = model.node.string("baseUrl" if kind == "settings" else "base_url")
        if base_url:
            lines.append(f"- baseUrl: `{base_url}`")
    if model.skipped:
        lines += ["", f"Droid does not load it: {model.skipped}"]
    return "\n".join(lines)
