"""Canary secrets of many shapes, and Droid files that carry them in every place a file can.

Shared by tests/test_secret_canary.py (CLI formats, ``--diff``, ``--fix``) and
tests/server/test_secret_canary_lsp.py (every LSP payload). A canary leaks when any
8-character run of its secret part (what follows the well-known prefix that ``redact()`` may
show, such as ``sk-ant-api03-``) appears in an output, raw or JSON-escaped. The secrets are made
at run time from a seeded generator, so no scanner flags the repository.
"""

from __future__ import annotations

import json
import random
import string

_RANDOM = random.Random(0x5EC12E7)
_ALNUM = string.ascii_letters + string.digits
_UPPER = string.ascii_uppercase + string.digits
_HEX = "0123456789abcdef"
_B64 = _ALNUM + "+/"
_URLSAFE = _ALNUM + "-_"

#: The shortest run of a secret that counts as a leak.
RUN = 8


def _body(length: int, alphabet: str = _ALNUM) -> str:
    while True:  # three character classes, as real keys have
        text = "".join(_RANDOM.choice(alphabet) for _ in range(length))
        if alphabet != _ALNUM or (
            any(c.islower() for c in text)
            and any(c.isupper() for c in text)
            and any(c.isdigit() for c in text)
        ):
            return text


# name -> (prefix redact() may show, secret part)
SHAPES: dict[str, tuple[str, str]] = {
    "anthropic": ("sk-ant-api03-", _body(93, _URLSAFE) + "AA"),
    "openai_project": ("sk-proj-", _body(40) + "T3BlbkFJ" + _body(40)),
    "openrouter": ("sk-or-v1-", _body(64, _HEX)),
    "google": ("AIza", "Sy" + _body(33, _URLSAFE)),
    "groq": ("gsk_", _body(52)),
    "aws_id": ("", "AKIA" + _body(16, _UPPER)),
    "aws_secret": ("", _body(18, _B64) + "/" + _body(21, _B64)),
    "github_pat": ("ghp_", _body(36)),
    "bare40": ("", _body(40)),
    "userinfo": ("", "Pw" + _body(14)),
    "query_key": ("AIza", "Sy" + _body(33, _URLSAFE)),
    "query_token": ("", "tq" + _body(22)),
    "header_hex": ("", _body(32, _HEX)),
    "header_custom": ("", "hc" + _body(26)),
    "password": ("", "Pa55-" + _body(10) + "!word"),
    "escaped": ("sk-", _body(48)),
    "escaped_slash": ("", _body(12) + "/" + _body(27)),
    "escaped_newline": ("sk-proj-", _body(44)),
    "comment": ("sk-ant-api03-", _body(80, _URLSAFE)),
    "block_comment": ("xai-", _body(70)),
    "unquoted": ("sk-proj-", _body(48)),
    "unparsable": ("gsk_", _body(52)),
    "env_line": ("sk-", _body(48)),
    "root_string": ("sk-or-v1-", _body(64, _HEX)),
    "member_name": ("", "Nm" + _body(30)),
    "model_field": ("", "Md" + _body(30)),
    "legacy": ("", "Lg" + _body(34)),
    "single_quoted": ("gsk_", _body(52)),
    "single_quoted_password": ("", "Sq" + _body(14)),
}
SECRETS = {name: prefix + body for name, (prefix, body) in SHAPES.items()}

#: Values that are not secrets and must stay visible wherever they are shown.
VISIBLE = ("dummy-not-used", "MiniMax-M2.7-highspeed", "kimi-for-coding")


def _escaped(text: str) -> str:
    """``text`` with its first letter written as a \\u escape."""
    return f"\\u{ord(text[0]):04x}" + text[1:]


def leaks(text: str) -> list[str]:
    """Canaries (by name) that appear in ``text``: any RUN-character run of the secret part,
    as is or as JSON writes it (``/`` may come back as ``\\/``)."""
    variants = {text, text.replace("\\/", "/"), text.replace("\\n", "\n")}
    found = []
    for name, (_prefix, body) in SHAPES.items():
        runs = {body[i : i + RUN] for i in range(len(body) - RUN + 1)}
        if any(run in variant for variant in variants for run in runs):
            found.append(name)
    return found


def documents() -> dict[str, str]:
    """Droid files (by a name ending in the file Droid reads) holding every canary."""
    s = SECRETS
    slashed = s["escaped_slash"].replace("/", "\\/")
    main = (
        "{\n"
        f"  // staging key, do not commit: {s['comment']}\n"
        f"  /* old key\n     {s['block_comment']} */\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "MiniMax-M2.7-highspeed",\n'
        '      "displayName": "MiniMax fast",\n'
        f'      "baseUrl": "https://admin:{s["userinfo"]}@proxy.example.com/v1?key={s["query_key"]}",\n'
        f'      "apiKey": "{s["anthropic"]}",\n'
        '      "provider": "anthropic",\n'
        '      "maxOutputTokens": 8192,\n'
        '      "extraHeaders": {\n'
        f'        "Ocp-Apim-Subscription-Key": "{s["header_hex"]}",\n'
        f'        "X-Custom-Auth": "{s["header_custom"]}",\n'
        '        "X-Title": "my app"\n'
        "      },\n"
        f'      "extraArgs": {{"password": "{s["password"]}", "region": "us-east-1"}}\n'
        "    },\n"
        "    {\n"
        '      "model": "kimi-for-coding",\n'
        '      "displayName": "Kimi",\n'
        '      "baseUrl": "https://api.kimi.com/coding/v1",\n'
        '      "apiKey": "dummy-not-used",\n'
        '      "provider": "anthropic"\n'
        "    },\n"
        "    {\n"
        '      "model": "gpt-5",\n'
        '      "displayName": "GPT",\n'
        f'      "baseUrl": "https://api.openai.com/v1?api_key={s["query_token"]}",\n'
        f'      "apiKey": "{_escaped(s["escaped"])}",\n'
        '      "provider": "openai"\n'
        "    },\n"
        "    {\n"
        f'      "model": "{s["model_field"]}",\n'
        '      "displayName": "Escapes",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        f'      "apiKey": "{s["escaped_newline"]}\\n",\n'
        '      "provider": "generic-chat-completion-api",\n'
        f'      "{s["member_name"]}": true\n'
        "    },\n"
        "    {\n"
        '      "model": "anthropic.claude-sonnet-4-6",\n'
        '      "provider": "bedrock-converse",\n'
        '      "bedrock": {\n'
        '        "awsRegion": "us-east-1",\n'
        f'        "awsAccessKeyId": "{s["aws_id"]}",\n'
        f'        "awsSecretAccessKey": "{s["aws_secret"]}",\n'
        f'        "awsSessionToken": "{slashed}"\n'
        "      }\n"
        "    }\n"
        "  ],\n"
        f'  "githubToken": "{s["github_pat"]}",\n'
        f'  "env": {{"OPENAI_API_KEY": "{s["bare40"]}"}}\n'
        "}\n"
    )
    broken = (
        "{\n"
        '  "customModels": [\n'
        "    {\n"
        '      "model": "gpt-5",\n'
        '      "provider": "openai",\n'
        '      "baseUrl": "https://api.openai.com/v1",\n'
        f'      "apiKey": {s["unquoted"]}\n'
        "    }\n"
        "  ],\n"
        f"  OPENAI_API_KEY={s['env_line']}\n"
        f'  "sessionDefaultSettings": {{ "model": "gpt-5" "x": {s["unparsable"]} ]\n'
    )
    root = json.dumps(s["root_string"])
    legacy = json.dumps(
        {
            "custom_models": [
                {
                    "model_display_name": "Legacy GLM",
                    "model": "glm-4.6",
                    "base_url": "https://api.z.ai/api/paas/v4",
                    "api_key": s["legacy"],
                    "provider": "generic-chat-completion-api",
                },
                {
                    "model_display_name": "Legacy local",
                    "model": "qwen3-coder",
                    "base_url": "http://localhost:11434/v1",
                    "api_key": "dummy-not-used",
                    "provider": "generic-chat-completion-api",
                },
            ]
        },
        indent=2,
    )
    # Single quotes are not JSON: the fix that rewrites the string would carry the key.
    quoted = (
        '{"customModels": [{"model": "gpt-5", "provider": "openai", '
        f'"apiKey": \'{s["single_quoted"]}\', "baseUrl": "https://api.openai.com/v1", '
        f"\"extraArgs\": {{'password': '{s['single_quoted_password']}'}}}}]}}\n"
    )
    return {
        "quoted/.factory/settings.json": quoted,
        "main/.factory/settings.json": main,
        "broken/.factory/settings.json": broken,
        "root/.factory/settings.json": root,
        "legacy/.factory/config.json": legacy,
    }
