"""Completions by context: keys, provider values, base URLs, model ids, enums, references."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from factory_lint.context import CAMEL_NAMES, FileInfo
from factory_lint.engine import scrub
from factory_lint.jsonc import Node
from factory_lint.kinds import MARKDOWN_KINDS, Kind
from factory_lint.rules.entries import PROVIDER_HELP, PROVIDERS
from factory_lint.schema import Schema
from factory_lint.server import knowledge, schemadoc
from factory_lint.server.convert import Positions
from factory_lint.server.locate import Cursor, locate
from factory_lint.server.models import entry_fields, models_key, visible_models

#: What each provider means, for people choosing one.
PROVIDER_MEANING = {
    "anthropic": "Anthropic Messages API (Claude, and Anthropic-compatible endpoints)",
    "openai": "OpenAI Responses API (GPT-5, GPT-5-Codex; only hosts that serve /responses)",
    "generic-chat-completion-api": "OpenAI Chat Completions (OpenRouter, Groq, Ollama, vLLM, …)",
    "bedrock-converse": "AWS Bedrock Converse API (needs a `bedrock` object)",
}
_SNIPPET_ESCAPE = re.compile(r"[$}\\]")


@dataclass(slots=True)
class Features:
    """What the client can do with completion items."""

    snippets: bool = False
    markdown: bool = True
    deprecated_tag: bool = False


@dataclass(slots=True)
class Request:
    text: str
    root: Node | None
    kind: Kind
    offset: int
    positions: Positions
    info: FileInfo
    features: Features


def escape_snippet(text: str) -> str:
    return _SNIPPET_ESCAPE.sub(lambda m: "\\" + m.group(), text)


def complete(request: Request) -> list[types.CompletionItem]:
    if request.kind in MARKDOWN_KINDS:
        from factory_lint.server import markdown_features

        return markdown_features.complete(
            request.text,
            request.kind,
            request.offset,
            request.positions,
            request.info,
            request.features.markdown,
        )
    cursor = locate(request.text, request.root, request.offset)
    if cursor.place == "key":
        return _keys(request, cursor)
    if cursor.place == "value":
        return _values(request, cursor)
    return []


# --- shared helpers --------------------------------------------------------------------------


def _doc(request: Request, text: str | None) -> types.MarkupContent | str | None:
    if not text:
        return None
    if request.features.markdown:
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)
    return text


def _item(
    request: Request,
    cursor: Cursor,
    label: str,
    new_text: str,
    *,
    kind: types.CompletionItemKind,
    detail: str | None = None,
    documentation: str | None = None,
    sort: str = "5",
    snippet: bool = False,
    filter_text: str | None = None,
    deprecated: bool = False,
    preselect: bool | None = None,
) -> types.CompletionItem:
    if (
        cursor.place == "value"
        and cursor.start == cursor.end
        and request.text[cursor.start - 1 : cursor.start] == ":"
    ):
        new_text = " " + new_text  # typed `"key":` and completion popped up at once
    edit = types.TextEdit(
        range=request.positions.range(cursor.start, cursor.end), new_text=new_text
    )
    typed = request.text[cursor.start : request.offset]
    if filter_text is None and typed.startswith('"'):
        filter_text = json.dumps(label) if not label.startswith('"') else label
    return types.CompletionItem(
        label=label,
        kind=kind,
        detail=detail,
        documentation=_doc(request, documentation),
        sort_text=f"{sort}{label}",
        filter_text=filter_text,
        text_edit=edit,
        insert_text_format=(
            types.InsertTextFormat.Snippet if snippet else types.InsertTextFormat.PlainText
        ),
        tags=[types.CompletionItemTag.Deprecated]
        if deprecated and request.features.deprecated_tag
        else None,
        preselect=preselect,
    )


def _next_char(text: str, offset: int) -> str:
    index = offset
    while index < len(text):
        char = text[index]
        if char in " \t\r\n":
            index += 1
            continue
        if text.startswith("//", index):
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        return char
    return ""


def _previous_char(text: str, offset: int) -> str:
    index = offset - 1
    while index >= 0 and text[index] in " \t\r\n":
        index -= 1
    return text[index] if index >= 0 else ""


# --- keys ------------------------------------------------------------------------------------


def _value_shape(schema: Schema, snippets: bool) -> str:
    """The value a new key starts with, e.g. ``"$1"``, ``${1:0}``, ``{$1}``, ``[$1]``."""
    kinds = schemadoc.types_of(schema)
    values = schemadoc.enum_values(schema)
    examples = [e for e in schema.get("examples", ()) if not isinstance(e, (dict, list))]
    first = kinds[0] if kinds else ""
    if values and isinstance(values[0], str):
        first = "string"
    if first == "string":
        text = examples[0] if examples and isinstance(examples[0], str) else ""
        if not snippets:
            return '""'
        return f'"${{1:{escape_snippet(text)}}}"' if text else '"$1"'
    if first in ("integer", "number"):
        number = examples[0] if examples and isinstance(examples[0], (int, float)) else 0
        return f"${{1:{number}}}" if snippets else str(number)
    if first == "boolean":
        word = "true" if schema.get("default") is not True else "false"
        return f"${{1:{word}}}" if snippets else word
    if first == "object":
        return "{$1}" if snippets else "{}"
    if first == "array":
        return "[$1]" if snippets else "[]"
    return "$1" if snippets else ""


def _keys(request: Request, cursor: Cursor) -> list[types.CompletionItem]:
    container = cursor.container
    if container is None:
        return []
    props = schemadoc.properties(request.kind, cursor.path)
    present = {m.key for m in container.members if m is not cursor.member}
    text = request.text
    member = cursor.member
    # Only the name when the key already has a colon (renaming an existing key).
    has_colon = member is not None and _next_char(text, member.key_end) == ":"
    if member is not None and member.value is not None:
        has_colon = True
    comma_before = (
        not has_colon
        and cursor.start == cursor.end
        and _previous_char(text, cursor.start) not in ("{", ",", "")
    )
    comma_after = not has_colon and _next_char(text, cursor.end) == '"'
    snippets = request.features.snippets
    items: list[types.CompletionItem] = []
    for position, (name, schema, required) in enumerate(props):
        if name in present:
            continue
        if has_colon:
            new_text = json.dumps(name)
            snippet = False
        else:
            shape = _value_shape(schema, snippets)
            new_text = f"{json.dumps(name)}: {shape}"
            if comma_before:
                new_text = ", " + new_text
            if comma_after:
                new_text += ","
            snippet = snippets
            if snippet and "$" not in shape:
                new_text += "$0"
        deprecated = bool(schema.get("deprecated"))
        group = "2" if deprecated else ("0" if required else "1")
        items.append(
            _item(
                request,
                cursor,
                name,
                new_text,
                kind=types.CompletionItemKind.Property,
                detail=schemadoc.type_label(schema),
                documentation=str(schema.get("description", "")) or None,
                sort=f"{group}{position:03d}",
                snippet=snippet,
                deprecated=deprecated,
            )
        )
    return items


# --- values ----------------------------------------------------------------------------------


def _string_item(
    request: Request,
    cursor: Cursor,
    value: str,
    *,
    kind: types.CompletionItemKind = types.CompletionItemKind.Value,
    detail: str | None = None,
    documentation: str | None = None,
    sort: str = "5",
    deprecated: bool = False,
    preselect: bool | None = None,
    label: str | None = None,
) -> types.CompletionItem:
    new_text = json.dumps(value, ensure_ascii=False)
    return _item(
        request,
        cursor,
        value if label is None else label,
        new_text,
        kind=kind,
        detail=detail,
        documentation=documentation,
        sort=sort,
        filter_text=new_text if request.text[cursor.start : cursor.start + 1] == '"' else value,
        deprecated=deprecated,
        preselect=preselect,
    )


def _entry_for(request: Request, cursor: Cursor) -> Node | None:
    """The custom model entry holding the value, if the value is one of an entry's fields."""
    path = cursor.path
    if len(path) >= 3 and path[0] == models_key(request.kind) and path[1].isdigit():
        for ancestor in cursor.ancestors:
            if ancestor.pointer == f"/{path[0]}/{path[1]}":
                return ancestor
    return None


def _values(request: Request, cursor: Cursor) -> list[types.CompletionItem]:
    path = cursor.path
    kind = request.kind
    if request.root is None and not path:
        return _skeleton(request, cursor)
    models = models_key(kind)
    if len(path) == 2 and path[0] == models and cursor.node is None:
        return _entry_snippets(request, cursor)
    schema = schemadoc.at(kind, path)
    items: list[types.CompletionItem] = []
    entry = _entry_for(request, cursor)
    field = CAMEL_NAMES.get(path[-1], path[-1]) if path else ""
    if entry is not None and len(path) == 3:
        if field == "provider":
            return _providers(request, cursor, entry)
        if field == "baseUrl":
            items += _base_urls(request, cursor, entry)
        elif field == "model":
            items += _model_ids(request, cursor, entry)
        elif field == "apiKey":
            items += _api_keys(request, cursor, entry)
        elif field == "id":
            items += _own_id(request, cursor, entry)
    if path and path[-1] == "matcher" and (kind == "hooks" or path[0] == "hooks"):
        items += _tool_ids(request, cursor)
    if schemadoc.takes_model_reference(kind, path):
        items += _references(request, cursor)
    items += _enums(request, cursor, schema)
    if not items and schema is not None and field not in ("model", "baseUrl"):
        examples = [e for e in schema.get("examples", ()) if isinstance(e, str)]
        items += [_string_item(request, cursor, e, sort="8") for e in examples]
    return items


def _tool_ids(request: Request, cursor: Cursor) -> list[types.CompletionItem]:
    """Droid's tool ids for a hook matcher, then ``<server>___`` for the MCP servers in view."""
    from factory_lint.catalog.tools import CORE_TOOLS, OTHER_TOOLS
    from factory_lint.context import LintContext
    from factory_lint.jsonc import Document
    from factory_lint.rules.hooks import mcp_servers_in_view
    from factory_lint.text import SourceText

    doc = (
        "Droid tests the matcher as an unanchored, case-sensitive regular expression against "
        "the tool id: anchor with `^…$` to match one tool exactly."
    )
    items = [
        _string_item(
            request,
            cursor,
            tool,
            kind=types.CompletionItemKind.Function,
            detail="Droid tool",
            documentation=doc,
            sort=f"1{position:03d}",
        )
        for position, tool in enumerate(CORE_TOOLS)
    ]
    items += [
        _string_item(
            request,
            cursor,
            tool,
            kind=types.CompletionItemKind.Function,
            detail="Droid tool",
            documentation=doc,
            sort=f"2{position:03d}",
        )
        for position, tool in enumerate(OTHER_TOOLS)
    ]
    context = LintContext(
        SourceText(request.text), Document(request.root, [], []), request.kind, request.info
    )
    servers, _ = mcp_servers_in_view(context)
    items += [
        _string_item(
            request,
            cursor,
            f"{server}___.*",
            kind=types.CompletionItemKind.Module,
            detail="every tool of this MCP server",
            documentation=f"MCP tools are `{server}___<tool>`.",
            sort="3",
        )
        for server in sorted(servers)
    ]
    return items


def _enums(request: Request, cursor: Cursor, schema: Schema | None) -> list[types.CompletionItem]:
    items: list[types.CompletionItem] = []
    if schema is None:
        return items
    description = str(schema.get("description", "")) or None
    for position, value in enumerate(schemadoc.enum_values(schema)):
        if isinstance(value, str):
            items.append(
                _string_item(
                    request,
                    cursor,
                    value,
                    kind=types.CompletionItemKind.EnumMember,
                    documentation=description,
                    sort=f"1{position:03d}",
                )
            )
    if "boolean" in schemadoc.types_of(schema) and not cursor.quoted:
        for word in ("true", "false"):
            items.append(
                _item(
                    request,
                    cursor,
                    word,
                    word,
                    kind=types.CompletionItemKind.Value,
                    documentation=description,
                    sort="1",
                )
            )
    return items


def _providers(request: Request, cursor: Cursor, entry: Node) -> list[types.CompletionItem]:
    fields = entry_fields(entry, request.kind)
    endpoint = knowledge.endpoint_for_url(fields.base_url) if fields.base_url else None
    items = []
    for position, provider in enumerate(PROVIDERS):
        style = knowledge.PROVIDER_STYLES.get(provider)
        detail = PROVIDER_MEANING[provider]
        sort = f"1{position}"
        target = knowledge.request_url(provider, fields.base_url)
        doc = PROVIDER_HELP.get(provider, "")
        if target:
            doc = f"{doc}\n\nWith this entry's `baseUrl`: `POST {target}`"
        if endpoint is not None and style is not None:
            if style in endpoint.base_urls:
                sort = f"0{position}"
            else:
                doc += f"\n\n{endpoint.name} is not known to serve this API."
                sort = f"2{position}"
        items.append(
            _string_item(
                request,
                cursor,
                provider,
                kind=types.CompletionItemKind.EnumMember,
                detail=detail,
                documentation=doc,
                sort=sort,
            )
        )
    return items


def _base_urls(request: Request, cursor: Cursor, entry: Node) -> list[types.CompletionItem]:
    fields = entry_fields(entry, request.kind)
    style = knowledge.PROVIDER_STYLES.get(fields.provider or "")
    styles = [style] if style else list(dict.fromkeys(knowledge.PROVIDER_STYLES.values()))
    items: list[types.CompletionItem] = []
    seen: set[str] = set()
    for endpoint in knowledge.endpoints():
        for current in styles:
            url = endpoint.base_urls.get(current)
            if not url or url in seen:
                continue
            seen.add(url)
            serves_model = bool(
                fields.model and knowledge.find_model(endpoint.id, fields.model) is not None
            )
            rank = "0" if serves_model else ("2" if endpoint.is_local else "1")
            provider = next((p for p, s in knowledge.PROVIDER_STYLES.items() if s == current), None)
            target = knowledge.request_url(provider, url) if provider else None
            doc = f"{endpoint.name}" + (f"\n\nDroid calls `POST {target}`" if target else "")
            if "{" in url:
                if not request.features.snippets:
                    continue
                body = _template_snippet(json.dumps(url))
                items.append(
                    _item(
                        request,
                        cursor,
                        url,
                        body,
                        kind=types.CompletionItemKind.Value,
                        detail=endpoint.name,
                        documentation=doc,
                        sort=rank + url,
                        snippet=True,
                        filter_text=json.dumps(url)
                        if request.text[cursor.start : cursor.start + 1] == '"'
                        else url,
                    )
                )
                continue
            items.append(
                _string_item(
                    request,
                    cursor,
                    url,
                    detail=endpoint.name,
                    documentation=doc,
                    sort=rank,
                )
            )
    if not items:
        schema = schemadoc.property_schema(request.kind, cursor.path[:-1], cursor.path[-1])
        for example in (schema or {}).get("examples", ()):
            if isinstance(example, str):
                items.append(_string_item(request, cursor, example, sort="5"))
    return items


def _template_snippet(text: str) -> str:
    """``https://{resource}.host`` → ``https://${1:resource}.host`` (placeholders to fill in)."""
    counter = iter(range(1, 10))
    return re.sub(r"\{([^{}]*)\}", lambda m: f"${{{next(counter)}:{m.group(1)}}}", text)


def _model_ids(request: Request, cursor: Cursor, entry: Node) -> list[types.CompletionItem]:
    fields = entry_fields(entry, request.kind)
    endpoint = knowledge.endpoint_for_entry(fields.provider, fields.base_url)
    if endpoint is None:
        return []
    items = []
    # retired models are never offered; deprecated ones come last, with the deprecated tag;
    # the rest newest first (knowledge.current_models)
    for position, model in enumerate(knowledge.current_models(endpoint.id)):
        old = knowledge.retirement(model) is not None
        summary = knowledge.model_summary(model)
        doc_lines = [f"**{model.id}** on {endpoint.name}"]
        if summary:
            doc_lines += ["", summary]
        items.append(
            _string_item(
                request,
                cursor,
                model.id,
                detail=summary or endpoint.name,
                documentation="\n".join(doc_lines),
                sort=f"{1 if old else 0}{position:04d}",
                deprecated=old,
            )
        )
    return items


def _api_keys(request: Request, cursor: Cursor, entry: Node) -> list[types.CompletionItem]:
    fields = entry_fields(entry, request.kind)
    name = knowledge.env_name_for(fields.base_url)
    if not name or request.kind != "settings":
        return []
    value = "${" + name + "}"
    return [
        _string_item(
            request,
            cursor,
            value,
            kind=types.CompletionItemKind.Variable,
            detail="read the key from an environment variable",
            documentation=f"Droid replaces `{value}` with the value of `{name}` when it loads "
            "the file, so the key itself stays out of the file.",
            sort="0",
        )
    ]


def _own_id(request: Request, cursor: Cursor, entry: Node) -> list[types.CompletionItem]:
    for model in visible_models(request.root, request.kind, request.info):
        if model.node is entry and not model.explicit_id:
            return [
                _string_item(
                    request,
                    cursor,
                    model.id,
                    detail="the id Droid generates for this entry",
                    sort="0",
                )
            ]
    return []


def _references(request: Request, cursor: Cursor) -> list[types.CompletionItem]:
    items: list[types.CompletionItem] = []
    seen: set[str] = set()
    for model in visible_models(request.root, request.kind, request.info):
        if model.id in seen:
            continue
        seen.add(model.id)
        where = "" if model.source == "this file" else f" (from {model.source})"
        detail = f"{model.display_name} · {model.model}"
        if model.provider:
            detail += f" · {model.provider}"
        doc = f"Custom model `{model.display_name}`{where}: model `{model.model}`"
        if model.skipped:
            doc += f"\n\nDroid does not load it: {model.skipped}"
        # What is shown is masked where it looks like a key (someone pasted one into a name);
        # what is inserted is the reference itself.
        items.append(
            _string_item(
                request,
                cursor,
                model.id,
                label=scrub(model.id, []),
                kind=types.CompletionItemKind.Reference,
                detail=scrub(detail + where, []),
                documentation=scrub(doc, []),
                sort="0" if not model.skipped else "3",
                deprecated=bool(model.skipped),
            )
        )
    for position, builtin in enumerate(knowledge.builtin_models()):
        if builtin not in seen:
            items.append(
                _string_item(
                    request, cursor, builtin, detail="built-in model", sort=f"2{position:04d}"
                )
            )
    return items


# --- whole entries ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    label: str
    fields: tuple[tuple[str, Any], ...]
    #: (endpoint id, id pattern): the template's model is the newest current catalogued id
    #: that matches, so a snippet never inserts a retired or deprecated model
    line: tuple[str, str] | None = None


def current_template(template: Template) -> Template:
    """``template`` with its model (and display name and output limit) set to the newest
    current model of its line."""
    if template.line is None:
        return template
    fields = dict(template.fields)
    found = knowledge.newest_model(*template.line, str(fields["model"]))
    if isinstance(found, str):
        return template
    fields["model"] = found.id
    fields["displayName"] = f"{found.id} [BYOK]"
    if "maxOutputTokens" in fields and found.max_output_tokens:
        fields["maxOutputTokens"] = found.max_output_tokens
    return Template(template.label, tuple(fields.items()), template.line)


TEMPLATES = (
    Template(
        "Anthropic",
        (
            ("model", "claude-sonnet-4-6"),
            ("displayName", "claude-sonnet-4-6 [BYOK]"),
            ("baseUrl", "https://api.anthropic.com"),
            ("apiKey", "${ANTHROPIC_API_KEY}"),
            ("provider", "anthropic"),
            ("maxOutputTokens", 64000),
        ),
        ("anthropic", r"claude-sonnet-[\d-]+"),
    ),
    Template(
        "OpenAI (Responses API)",
        (
            ("model", "gpt-5.5"),
            ("displayName", "gpt-5.5 [BYOK]"),
            ("baseUrl", "https://api.openai.com/v1"),
            ("apiKey", "${OPENAI_API_KEY}"),
            ("provider", "openai"),
        ),
        ("openai", r"gpt-\d+(?:\.\d+)?"),
    ),
    Template(
        "OpenRouter (Chat Completions)",
        (
            ("model", "openai/gpt-oss-120b"),
            ("displayName", "GPT-OSS 120B [OpenRouter]"),
            ("baseUrl", "https://openrouter.ai/api/v1"),
            ("apiKey", "${OPENROUTER_API_KEY}"),
            ("provider", "generic-chat-completion-api"),
        ),
    ),
    Template(
        "Ollama (local)",
        (
            ("model", "qwen2.5-coder:32b"),
            ("displayName", "Qwen 2.5 Coder 32B [Ollama]"),
            ("baseUrl", "http://localhost:11434/v1"),
            ("apiKey", "not-needed"),
            ("provider", "generic-chat-completion-api"),
        ),
    ),
    Template(
        "AWS Bedrock",
        (
            ("model", "anthropic.claude-opus-4-7"),
            ("displayName", "Opus 4.7 [Bedrock]"),
            ("provider", "bedrock-converse"),
            ("bedrock", {"awsRegion": "us-east-1"}),
        ),
    ),
)
_LEGACY_TEMPLATE_KEYS = {
    "baseUrl": "base_url",
    "apiKey": "api_key",
    "displayName": "model_display_name",
    "maxOutputTokens": "max_tokens",
}


def _template_text(template: Template, kind: Kind, snippet: bool) -> str:
    lines = []
    for index, (key, value) in enumerate(template.fields, start=1):
        name = _LEGACY_TEMPLATE_KEYS.get(key, key) if kind == "legacy" else key
        if kind == "legacy" and key == "apiKey":
            value = "YOUR_KEY_HERE" if str(value).startswith("${") else value
        rendered = json.dumps(value, ensure_ascii=False)
        if snippet and key not in ("provider", "bedrock"):
            if isinstance(value, str):
                rendered = f'"${{{index}:{escape_snippet(value)}}}"'
            else:
                rendered = f"${{{index}:{rendered}}}"
        elif snippet:
            rendered = escape_snippet(rendered)
        lines.append(f"{json.dumps(name)}: {rendered}")
    if snippet:
        return "{\n\t" + ",\n\t".join(lines) + "\n}$0"
    return "{ " + ", ".join(lines) + " }"


def _entry_snippets(request: Request, cursor: Cursor) -> list[types.CompletionItem]:
    snippet = request.features.snippets
    comma_before = _previous_char(request.text, cursor.start) not in ("[", ",", "")
    comma_after = _next_char(request.text, cursor.end) == "{"
    items = []
    for position, template in enumerate(map(current_template, TEMPLATES)):
        body = _template_text(template, request.kind, snippet)
        if comma_before:
            body = ", " + body
        if comma_after:
            body = body.replace("$0", "") + (",$0" if snippet else ",")
        provider = dict(template.fields).get("provider")
        items.append(
            _item(
                request,
                cursor,
                f"New custom model: {template.label}",
                body,
                kind=types.CompletionItemKind.Snippet,
                detail=PROVIDER_MEANING.get(str(provider)),
                documentation="```json\n" + _template_text(template, request.kind, False) + "\n```",
                sort=f"0{position}",
                snippet=snippet,
                filter_text="{",
            )
        )
    return items


def _skeleton(request: Request, cursor: Cursor) -> list[types.CompletionItem]:
    key = models_key(request.kind)
    body = (
        '{\n\t"' + key + '": [\n\t\t$0\n\t]\n}'
        if request.features.snippets
        else '{ "' + key + '": [] }'
    )
    return [
        _item(
            request,
            cursor,
            f"{{ {key}: [] }}",
            body,
            kind=types.CompletionItemKind.Snippet,
            detail="an empty Droid file",
            snippet=request.features.snippets,
        )
    ]


def labels(items: Iterable[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]
