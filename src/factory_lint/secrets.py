"""Keeping secrets out of every output: redaction and the spans of a document that hold them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from factory_lint.jsonc import Member, Node
from factory_lint.lazy_re import lazy_compile
from factory_lint.memo import remember_short

#: Header names whose values are credentials.
SECRET_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "apikey",
        "x-goog-api-key",
        "x-auth-token",
        "cookie",
        "openai-api-key",
        "anthropic-api-key",
        "x-portkey-api-key",
        "helicone-auth",
        "cf-aig-authorization",
    }
)
SECRET_FIELDS = frozenset({"apiKey", "api_key", "apiKeyHelper"})
_KNOWN_PREFIX = lazy_compile(
    r"^(?:sk-ant-(?:api|admin)\d\d-|sk-ant-|sk-or-v1-|sk-proj-|sk-svcacct-|sk-|gsk_|xai-|csk-|"
    r"fw_|hf_|nvapi-|pplx-|AIza|fk-|ak-|r8_|tgp_v1_|Bearer\s+|ghp_|github_pat_)"
)
_ENV_REF = lazy_compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


def known_prefix(value: str) -> str:
    """The well-known prefix of a key (``sk-ant-api03-``, ``AIza``) that redact() may show."""
    match = _KNOWN_PREFIX.match(value)
    prefix = match.group() if match else ""
    return "" if len(prefix) >= len(value) - 4 else prefix


def redact(value: str) -> str:
    """A safe stand-in for a secret: its well-known prefix (if any) and its length."""
    prefix = known_prefix(value)
    return f"{prefix}… ({len(value)} chars)" if prefix else f"… ({len(value)} chars)"


def is_env_reference(value: str) -> bool:
    """True when the whole value is ``${NAME}`` (or ``Bearer ${NAME}``), i.e. holds no secret."""
    stripped = _ENV_REF.sub("", value).strip()
    return stripped in ("", "Bearer", "bearer", "Basic", "Token")


def is_secret_header(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_HEADERS or lowered.endswith(("-api-key", "-token", "_api_key"))


_ENV_NAME = lazy_compile(r"^[A-Z][A-Z0-9_]*$")


PLACEHOLDER = lazy_compile(
    r"""^(?:
        your[_\- ]?[\w\- ]*?(?:api[_\- ]?)?(?:key|token)(?:[_\- ]?here)?
      | <[^<>]*>
      | \{\{?[^{}]*\}?\}
      | \[(?=[^\[\]]*(?:key|token))[^\[\]]*\]   # (a lookahead: linear; key|token between two
                                                # greedy runs was quadratic on "[keykey…")
      | sk-(?:x{3,}|\.{3}|\*{3,}|your[\w-]*|proj-x{3,}|ant-x{3,}|or-v1-x{3,})
      | x{3,} | \*{3,} | \.{3}
      | change[_\-]?me | replace[_\-]?me | todo | fixme | placeholder
      | insert[_\- ]?(?:your[_\- ]?)?(?:api[_\- ]?)?key(?:[_\- ]?here)?
      | (?:api[_\- ]?)?key[_\- ]?here
      | paste[_\- ].*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


#: Every alternative of PLACEHOLDER starts with one of these characters (letters in either
#: case): a value that starts with another ASCII character cannot match, and needs no regex.
_PLACEHOLDER_INITIALS = frozenset("yYsSxXcCrRtTfFpPiIaAkK<{[*.")


def is_placeholder(value: str) -> bool:
    """Documentation placeholders such as ``YOUR_API_KEY``, ``<key>``, ``sk-xxxx``."""
    value = value.strip()
    first = value[:1]
    if first.isascii() and first not in _PLACEHOLDER_INITIALS:
        return False  # also the empty value, which no alternative matches
    return bool(PLACEHOLDER.match(value))


@remember_short()  # the same ``${PROVIDER_API_KEY}`` in file after file
def may_be_secret(value: str) -> bool:
    """False for values that cannot be credentials: short words, ``${NAME}``, ``ENV_NAMES``,
    placeholders."""
    value = value.strip()
    return (
        len(value) >= 12
        and not is_env_reference(value)
        and not _ENV_NAME.match(value)
        and not is_placeholder(value)
    )


def secret_nodes(root: Node | None) -> list[Node]:
    """String nodes that may hold credentials: API keys, auth headers, key-shaped strings."""
    found: list[Node] = []
    _scan(root, found, None)
    return found


def containers(root: Node) -> Iterator[Node]:
    """The nodes of ``root`` that have members or items, in :meth:`Node.walk` order.

    For scans that only look at members and items: leaves are two thirds of the nodes of a
    settings file, and not visiting them makes the walk about 20 us cheaper per file."""
    stack = [root]
    pop = stack.pop
    while stack:
        node = pop()
        yield node
        if items := node.items:
            stack.extend([n for n in reversed(items) if n.members or n.items])
        if members := node.members:
            stack.extend(
                [
                    v
                    for m in reversed(members)
                    if (v := m.value) is not None and (v.members or v.items)
                ]
            )


def _scan(root: Node | None, found: list[Node], keys: list[Member] | None) -> None:
    """One walk of the tree: secret string nodes into ``found`` and, unless ``keys`` is None,
    the members whose key looks like a key into ``keys``."""
    if root is None:
        return
    # ``len(...) >= KEY_MIN_LENGTH`` before each looks_like_key(): most keys and strings are
    # shorter, and skipping the call for them saves ~10 us per settings file.
    for node in containers(root):
        for member in node.members:
            key = member.key
            if keys is not None and len(key) >= KEY_MIN_LENGTH and looks_like_key(key):
                keys.append(member)
            value = member.value
            if value is None:
                continue
            if key in _HEADER_FIELDS:
                found.extend(
                    h.value
                    for h in value.members
                    if h.value is not None
                    and isinstance(h.value.value, str)
                    and is_secret_header(h.key)
                    and may_be_secret(h.value.value)
                )
                continue
            text = value.value
            if not isinstance(text, str):
                continue
            if key in SECRET_FIELDS:
                if may_be_secret(text):
                    found.append(value)
            elif len(text) >= KEY_MIN_LENGTH and (looks_like_key(text) or _holds_key(text)):
                found.append(value)
        for item in node.items:
            text = item.value
            if (
                isinstance(text, str)
                and len(text) >= KEY_MIN_LENGTH
                and (looks_like_key(text) or _holds_key(text))
            ):
                found.append(item)


def _holds_key(text: str) -> bool:
    """A longer text (a command line, a URL with a query) with a key-like word in it: the
    whole string is masked wherever the file's text is shown."""
    return (" " in text or "=" in text) and has_key_token(text)


_HEADER_FIELDS = frozenset({"extraHeaders", "extra_headers", "headers", "requestMetadata"})


#: The shortest string the tree scan passes to :func:`looks_like_key` (shorter ones are words).
KEY_MIN_LENGTH = 20


def looks_like_key(value: str) -> bool:
    """A cheap shape test for credential-looking strings anywhere in a file."""
    if len(value) < KEY_MIN_LENGTH:
        return False
    return _looks_like_key(value)


@remember_short()
def _looks_like_key(value: str) -> bool:
    if "://" in value or "/" in value[:12]:
        return False
    if value.startswith("custom:"):
        # a model id: key-like only when the display name it came from holds a key-like token
        return has_key_token(value[len("custom:") :])
    from factory_lint.redaction import looks_like_key_text

    # Model ids such as ``MiniMax-M2.7-highspeed`` are words and numbers, not random tokens.
    return looks_like_key_text(value)


_TOKEN_SPLIT = lazy_compile(r"[-_.:/\s()\[\]]+")


def has_key_token(text: str) -> bool:
    """True when ``text`` (a display name, a model id) contains one long random-looking token:
    20+ characters with upper case, lower case and digits and 12+ distinct characters. Names
    such as ``OpenCode-Go---DeepSeek-V4-Pro-9`` have only short tokens."""
    for token in _TOKEN_SPLIT.split(text):
        if len(token) >= 20 and len(set(token)) >= 12:
            classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
            if classes == 3:
                return True
    return False


def secret_spans(root: Node | None) -> list[tuple[int, int, str]]:
    """``(start, end, secret)`` for secret values and for object keys that look like keys."""
    nodes: list[Node] = []
    keys: list[Member] = []
    _scan(root, nodes, keys)
    spans = [(n.start, n.end, str(n.value)) for n in nodes]
    spans.extend((m.key_start, m.key_end, m.key) for m in keys)
    return spans
