"""One redaction step for every output: every secret of a text, found broadly, and masked.

:func:`find_secrets` reads a file's raw text (parsed or not) and finds the spans that hold
secrets:

- key-shaped tokens anywhere (comments, unparsable parts, unquoted values, root strings,
  ``NAME=value`` lines), also when written with JSON escapes (``\\u0073k-…``, ``\\/``): the text
  is decoded first and each span found is mapped back onto the escaped source;
- the value of every field or header whose name says it holds a credential (``apiKey``,
  ``password``, ``awsSecretAccessKey``, ``Ocp-Apim-Subscription-Key``…), unless the value is an
  environment reference, an environment variable's name, a placeholder or a dummy phrase;
- the password in a URL's user information and the value of credential query parameters.

:class:`Secrets` masks any output text: by value (the decoded value and the text as written)
and by shape (the same detection run on the output itself). :func:`mask_text` is the shape-only
step for texts with no document, and :func:`mask_runs` masks partial echoes of what the probe
sent. Model ids, URLs without credentials, ``${NAME}`` and placeholders are never masked.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterable

from factory_lint.lazy_re import lazy_compile
from factory_lint.memo import remember_short

#: Replacement texts look like ``sk-… (51 chars)``: text holding one is never masked again.
ELLIPSIS = "…"

# --- key-shaped tokens -----------------------------------------------------------------------

_PREFIXED = lazy_compile(
    r"(?<![A-Za-z0-9])(?:sk-ant-(?:api|admin|oat|sid)\d\d-|sk-ant-|sk-or-v1-|sk-proj-|"
    r"sk-svcacct-|sk-admin-|sk-|gsk_|xai-|csk-|fw_|hf_|nvapi-|pplx-|AIza|fk-|r8_|tgp_v1_|"
    r"gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AKIA|ASIA)([A-Za-z0-9_\-]{16,}+)"
)
#: A run of letters and digits (long random ones are keys; short ones are words and ids).
_ALNUM_RUN = lazy_compile(r"[A-Za-z0-9]{16,}+")
#: Where a key-shaped token may be: a run of base64 / base64url characters (no lookbehind, so
#: the regex engine scans for it at C speed; what is in the run is checked per distinct run).
_CANDIDATE = lazy_compile(r"[A-Za-z0-9+/_\-]{16,}+")


def _classes(text: str) -> tuple[int, int, int]:
    lower = upper = digit = 0
    for c in text:
        if c.islower():
            lower += 1
        elif c.isupper():
            upper += 1
        elif c.isdigit():
            digit += 1
    return lower, upper, digit


def _transitions(text: str) -> int:
    """How often consecutive letters and digits change class (lower, upper, digit): random
    text changes about every other character, words and camelCase names rarely."""
    count = 0
    last = ""
    for c in text:
        kind = "l" if c.islower() else "u" if c.isupper() else "d" if c.isdigit() else ""
        if not kind:
            continue
        if last and kind != last:
            count += 1
        last = kind
    return count


def is_random_token(text: str) -> bool:
    """True for a token that looks generated rather than written: 16+ letters and digits in
    all three classes (or 32+ in two, such as hex), changing class often, with many distinct
    characters. ``MiniMax-M2.7-highspeed``, ``claude-sonnet-4-5-20250929`` and camelCase names
    are not random; ``Cnry7Gh2kQ…`` and 32 hex digits are."""
    length = len(text)
    if length < 16 or len(set(text)) < 10:
        return False
    classes = sum(1 for n in _classes(text) if n)
    if classes < 2 or (classes == 2 and length < 32):
        return False
    return _transitions(text) * 4 >= length


def _prefixed_ok(body: str) -> bool:
    """The part after a provider's prefix is a key, not a placeholder (``sk-xxxxxxxx…``,
    ``sk-ant-api03-........``) or words (``sk-no-key-required-at-all``)."""
    alnum = {c for c in body if c.isalnum()}
    classes = sum(1 for n in _classes(body) if n)
    return len(alnum) >= 3 and classes >= 2


def key_token_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are key-shaped tokens (provider prefixes, long random runs)."""
    spans: list[tuple[int, int]] = []
    if len(text) < 16:
        return spans
    for match in _CANDIDATE.finditer(text):
        found = _tokens_in(match.group())
        if found:
            offset = match.start()
            spans.extend((offset + start, offset + end) for start, end in found)
    return spans


@remember_short(max_length=512)
def _tokens_in(run: str) -> tuple[tuple[int, int], ...]:
    """The key-shaped tokens of one run of base64url characters (remembered: the same URLs
    and model ids come back in file after file)."""
    spans: list[tuple[int, int]] = []
    for match in _PREFIXED.finditer(run):
        if _prefixed_ok(match.group(1)):
            spans.append(match.span())
    for match in _ALNUM_RUN.finditer(run):
        if is_random_token(match.group()):
            spans.append(match.span())
    if len(run) >= 32 and run[0] not in "/-_":
        separators = sum(1 for c in run if not c.isalnum())
        if separators * 8 <= len(run) and len(set(run)) >= 16 and is_random_token(run):
            spans.append((0, len(run)))
    return tuple(spans)


def looks_like_key_text(value: str) -> bool:
    """True when most of ``value`` (a whole string) is one key-shaped token."""
    value = value.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    if len(value) < 16:
        return False
    return any((end - start) * 5 >= len(value) * 3 for start, end in key_token_spans(value))


# --- credential names, URL credentials -------------------------------------------------------

_CREDENTIAL_WORDS = frozenset(
    {
        "key",
        "apikey",
        "accesskey",
        "secretkey",
        "subscriptionkey",
        "token",
        "authtoken",
        "accesstoken",
        "bearertoken",
        "secret",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "auth",
        "authorization",
        "credential",
        "credentials",
        "cookie",
        "signature",
        "sig",
    }
)
#: A name ending in one of these words names something about a credential, not the credential
#: (``tokenLimit``, ``awsCredentialExport``, ``apiKeyHelper``, ``authType``).
_NOT_THE_VALUE = frozenset(
    {
        "budget",
        "cmd",
        "command",
        "count",
        "description",
        "enabled",
        "endpoint",
        "env",
        "expires",
        "expiration",
        "expiry",
        "export",
        "field",
        "file",
        "format",
        "header",
        "headers",
        "helper",
        "hint",
        "length",
        "limit",
        "limits",
        "location",
        "method",
        "mode",
        "name",
        "names",
        "path",
        "prefix",
        "provider",
        "refresh",
        "required",
        "scope",
        "size",
        "source",
        "style",
        "suffix",
        "threshold",
        "timeout",
        "ttl",
        "type",
        "uri",
        "url",
        "var",
        "variable",
    }
)
_NAME_WORDS = lazy_compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


@remember_short()
def is_credential_name(name: str) -> bool:
    """True for field, header and parameter names that hold a credential: ``apiKey``,
    ``x-api-key``, ``Ocp-Apim-Subscription-Key``, ``awsSecretAccessKey``, ``password``,
    ``access_token``, ``Authorization``; false for ``maxTokens``, ``apiKeyHelper``,
    ``authType``, ``keybindings``."""
    words = [w.lower() for w in _NAME_WORDS.findall(name)]
    if not words or words[-1] in _NOT_THE_VALUE:
        return False
    return any(w in _CREDENTIAL_WORDS for w in words) or name.lower() in _CREDENTIAL_WORDS


#: Substrings of every credential name (found with ``str.find`` on the lower-cased text: a
#: case-insensitive regex alternation costs ten times more).
_HINTS = ("key", "token", "secret", "pass", "pwd", "auth", "credential", "cookie", "sig")
_NAME_RUN = lazy_compile(r"[A-Za-z0-9_.\-]{0,120}+")
#: What follows a credential's name: ``:`` or ``=``, then a JSON string, a single-quoted
#: string, or a bare word.
_AFTER_NAME = lazy_compile(
    r"""[ \t]{0,64}+[:=][ \t]{0,64}+(?:"((?:[^"\\\n]|\\.){0,4096}+)"|'((?:[^'\\\n]|\\.){0,4096}+)'"""
    r"""|([^\s,;{}\[\]"'#<>]{1,512}+))"""
)
_QUERY_VALUE = lazy_compile(r"=([^&#\s\"'<>\\]{0,512}+)")
_USERINFO_AT = lazy_compile(r"([^\s/?#@\"'<>\\]{1,512}+)@")
_ENV_REF_ONLY = lazy_compile(
    r"^(?:(?:Bearer|Basic|Token|bearer)\s+)?(?:\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*)$"
)
_ENV_NAME = lazy_compile(r"^[A-Z][A-Z0-9_]*$")
#: Words of values that only say there is no key (``dummy-not-used``, ``not-needed``, ``ollama``).
_DUMMY_WORDS = frozenset(
    [
        "dummy",
        "not",
        "used",
        "unused",
        "needed",
        "required",
        "none",
        "null",
        "no",
        "nokey",
        "key",
        "any",
        "anything",
        "placeholder",
        "fake",
        "test",
        "testing",
        "example",
        "sample",
        "empty",
        "ignored",
        "ignore",
        "na",
        "n",
        "a",
        "sk",
        "ollama",
        "lm",
        "studio",
        "lmstudio",
        "local",
        "localhost",
        "vllm",
        "llama",
        "cpp",
        "llamacpp",
        "xxx",
        "foo",
        "bar",
        "changeme",
        "your",
        "api",
        "here",
        "token",
    ]
)
_VALUE_WORDS = lazy_compile(r"[A-Za-z]+|[0-9]+|[^A-Za-z0-9]+")


@remember_short()
def is_non_secret_value(value: str) -> bool:
    """Values that cannot be credentials whatever field holds them: ``${NAME}``, ``NAME``,
    placeholders, dummy phrases, ``true``/``null``/numbers, redacted text."""
    from factory_lint.secrets import is_placeholder

    value = value.strip()
    if len(value) < 4 or ELLIPSIS in value or value.lower() in ("true", "false", "null"):
        return True
    if len(value) > 200:
        return False  # no placeholder or dummy phrase is this long
    if _ENV_REF_ONLY.match(value) or _ENV_NAME.match(value) or is_placeholder(value):
        return True
    if value.replace(".", "").replace("-", "").isdigit():
        return True
    words = [w.lower() for w in _VALUE_WORDS.findall(value) if w[0].isalnum()]
    return bool(words) and all(w in _DUMMY_WORDS for w in words)


def _decode_json_string(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        decoded = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return decoded if isinstance(decoded, str) else raw


def credential_spans(text: str, bare_values: bool = True) -> list[tuple[int, int, str]]:
    """``(start, end, value)`` of credential values found by name, in URLs and in queries.
    ``text`` is the raw source: spans cover values as written, ``value`` is decoded. Without
    ``bare_values``, a name's value counts only when quoted (``"apiKey": Droid drops…`` in a
    message is prose)."""
    found: list[tuple[int, int, str]] = []
    lowered = text.lower()
    hits: list[tuple[int, int]] = []
    for hint in _HINTS:
        at = lowered.find(hint)
        while at != -1:
            # ``maxOutputTokens``: a name whose only hint is "tokens" names no credential
            if hint != "token" or lowered[at + 5 : at + 6] != "s":
                hits.append((at, len(hint)))
            at = lowered.find(hint, at + len(hint))
    if hits:
        hits.sort()
        backwards = lowered[::-1]
        done = 0  # hits before this offset are inside a name or value already looked at
        for at, length in hits:
            if at >= done:
                done = _named_value(text, backwards, at, length, found, bare_values)
    at = text.find("://")
    while at != -1:
        match = _USERINFO_AT.match(text, at + 3)
        if match is not None:
            userinfo = match.group(1)
            start, end = match.span(1)
            user, colon, password = userinfo.partition(":")
            if colon:
                if password and not _ENV_REF_ONLY.match(password):
                    found.append((start + len(user) + 1, end, password))
            elif len(userinfo) >= 8 and not _ENV_REF_ONLY.match(userinfo):
                found.append((start, end, userinfo))
        at = text.find("://", at + 3)
    return found


def _named_value(
    text: str,
    backwards: str,
    at: int,
    length: int,
    found: list[tuple[int, int, str]],
    bare_values: bool,
) -> int:
    """If the hint at ``at`` is part of a credential's name followed by its value, add the
    value to ``found``. ``backwards``: the lower-cased text reversed (to find where the name
    starts with a regex). Returns the offset up to which the text has been looked at."""
    back = _NAME_RUN.match(backwards, len(text) - at)
    start = at - (back.end() - back.start()) if back is not None else at
    ahead = _NAME_RUN.match(text, at + length)
    end = ahead.end() if ahead is not None else at + length
    name = text[start:end]
    if not is_credential_name(name):
        return end
    before = text[start - 1] if start else ""
    if before in "?&;" and before and end < len(text) and text[end] == "=":
        match = _QUERY_VALUE.match(text, end)
        if match is None:
            return end
        value = match.group(1)
        if value and not _ENV_REF_ONLY.match(value) and ELLIPSIS not in value:
            found.append((match.start(1), match.end(1), value))
        return match.end()
    if before in ('"', "'"):
        if end >= len(text) or text[end] != before:
            return end
        end += 1
    match = _AFTER_NAME.match(text, end)
    if match is None:
        return end
    index = 1 if match.group(1) is not None else 2 if match.group(2) is not None else 3
    if index == 3 and not bare_values:
        return match.end()  # a bare word has no space: no other name is inside it
    raw_value = match.group(index)
    value = _decode_json_string(raw_value) if index == 1 else raw_value
    if not is_non_secret_value(value):
        found.append((match.start(index), match.end(index), value))
    return match.end()


# --- decoding JSON escapes -------------------------------------------------------------------

_ESCAPE = lazy_compile(r'\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])')
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class _Decoded:
    """``text`` with its JSON escapes decoded (everywhere: a comment gains nothing from it, and
    a broken string still gets decoded), with a map from decoded offsets back to the source."""

    def __init__(self, text: str) -> None:
        self.source = text
        pieces: list[str] = []
        #: (decoded offset, source offset) at the start of each escape and after it.
        self.marks: list[tuple[int, int]] = [(0, 0)]
        decoded_at = 0
        cursor = 0
        for match in _ESCAPE.finditer(text):
            start, end = match.span()
            pieces.append(text[cursor:start])
            decoded_at += start - cursor
            escape = match.group()
            char = chr(int(escape[2:], 16)) if escape[1] == "u" else _SIMPLE[escape[1]]
            pieces.append(char)
            self.marks.append((decoded_at, start))
            decoded_at += 1
            self.marks.append((decoded_at, end))
            cursor = end
        pieces.append(text[cursor:])
        self.text = "".join(pieces)
        self._keys = [d for d, _ in self.marks]

    def to_source(self, offset: int) -> int:
        """The source offset of decoded ``offset`` (an escape maps to its first character)."""
        decoded, source = self.marks[bisect_right(self._keys, offset) - 1]
        return source + (offset - decoded)


# --- the secrets of a document ---------------------------------------------------------------


class Secrets:
    """The secret spans of one source text, and the masking of any output with them."""

    __slots__ = ("short", "spans", "values")

    def __init__(self, spans: list[tuple[int, int]], values: Iterable[str]) -> None:
        #: ``[start, end)`` source offsets, sorted, not overlapping.
        self.spans = spans
        unique = {v for v in values if len(v) >= 4 and ELLIPSIS not in v}
        #: Values (decoded, and as written) masked wherever they appear, longest first.
        self.values = sorted((v for v in unique if len(v) >= 8), key=len, reverse=True)
        #: Values of 4-7 characters: masked only as whole words.
        self.short = sorted((v for v in unique if len(v) < 8), key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.spans)

    def mask(self, text: str) -> str:
        """``text`` (a message, a snippet, a diff line, a hover) with every secret masked: the
        document's values, and anything secret-shaped in the text itself."""
        return mask_text(text, self.values, self.short)

    def shows(self, text: str) -> bool:
        """True when ``text`` would show a secret (``mask`` would change it)."""
        return self.mask(text) != text

    def touches(self, start: int, end: int) -> bool:
        """True when source offsets ``[start, end)`` overlap a secret span."""
        index = bisect_right(self.spans, (start, 1 << 62))
        if index and self.spans[index - 1][1] > start:
            return True
        return index < len(self.spans) and self.spans[index][0] < end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def find_secrets(text: str) -> Secrets:
    """Every secret span of a source text (see the module's docstring)."""
    raw: list[tuple[int, int]] = []
    values: list[str] = []
    for start, end, value in credential_spans(text):
        raw.append((start, end))
        values.append(value)
    if "\\" in text:
        decoded = _Decoded(text)
        for start, end in key_token_spans(decoded.text):
            values.append(decoded.text[start:end])
            raw.append((decoded.to_source(start), decoded.to_source(end)))
        if "\\u" in text:  # an escaped letter can hide a credential's name
            for start, end, value in credential_spans(decoded.text):
                values.append(value)
                raw.append((decoded.to_source(start), decoded.to_source(end)))
    else:
        raw.extend(key_token_spans(text))
    spans = _merge([(s, e) for s, e in raw if e > s])
    values.extend(text[s:e] for s, e in spans)
    return Secrets(spans, values)


# --- masking ---------------------------------------------------------------------------------


def redact(value: str) -> str:
    from factory_lint.secrets import redact as _redact

    return _redact(value)


#: Text without any of these holds nothing :func:`mask_text` would mask by shape.
_MAYBE_SECRET = lazy_compile(
    r"[A-Za-z0-9+/_\-]{16}|://|[?&;][A-Za-z0-9_.\-]+=|"
    r"(?i:key|token|secret|passw|pwd|passphrase|auth|credential|cookie|sig)"
)


def mask_text(text: str, values: Iterable[str] = (), short: Iterable[str] = ()) -> str:
    """``text`` with each of ``values`` masked wherever it appears (``short`` ones only as
    whole words), then anything secret-shaped in it: key-shaped tokens, URL passwords and
    credential query parameters, ``name: value`` credential pairs."""
    for value in values:
        if value in text:
            text = text.replace(value, redact(value))
    for value in short:
        if value in text:
            text = _replace_word(text, value)
    if len(text) < 4 or not _MAYBE_SECRET.search(text):
        return text
    spans = [(s, e) for s, e, _ in credential_spans(text, bare_values=False)]
    spans.extend(key_token_spans(text))
    if not spans:
        return text
    pieces = []
    cursor = 0
    for start, end in _merge(spans):
        pieces.append(text[cursor:start])
        pieces.append(redact(text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _replace_word(text: str, value: str) -> str:
    pattern = r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])"
    return re.sub(pattern, lambda m: redact(m.group()), text)


# --- partial echoes (the probe) --------------------------------------------------------------

#: The shortest run of a sent secret that the probe masks in what a server answered.
ECHO_RUN = 8


def mask_runs(text: str, sent: Iterable[str], run: int = ECHO_RUN) -> str:
    """``text`` with every run of ``run``+ characters of a sent secret masked: the secret as
    sent, its letters and digits alone (a server may space or dash them), and its hex
    encoding. Used on everything the probe prints about a server's answer."""
    from factory_lint.secrets import known_prefix

    forms: set[str] = set()
    for secret in sent:
        if len(secret) < run:
            continue
        encoded = secret.encode("utf-8", "surrogatepass").hex()
        forms.update((encoded, encoded.upper()))
        # The well-known prefix (``sk-ant-api03-``) is no secret, and redact() shows it.
        body = secret[len(known_prefix(secret)) :]
        forms.add("".join(c for c in body if c.isalnum()))
    grams = {form[i : i + run] for form in forms for i in range(len(form) - run + 1)}
    if not grams or len(text) < run:
        return text
    # Letters and digits of the text, with where each came from.
    where = [i for i, c in enumerate(text) if c.isalnum()]
    compact_text = "".join(text[i] for i in where)
    hits: list[tuple[int, int]] = []
    index = 0
    limit = len(compact_text) - run
    while index <= limit:
        if compact_text[index : index + run] in grams:
            end = index + run
            while end < len(compact_text) and compact_text[end - run + 1 : end + 1] in grams:
                end += 1
            hits.append((where[index], where[end - 1] + 1))
            index = end
        else:
            index += 1
    if not hits:
        return text
    pieces = []
    cursor = 0
    for start, end in _merge(hits):
        pieces.append(text[cursor:start])
        pieces.append(f"{ELLIPSIS} ({end - start} chars of a key that was sent)")
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
