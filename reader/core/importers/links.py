"""Links in text from outside: finding them, telling code from pages, unwrapping.

Some pages are served through a link proxy that rewrites every host: each
label of the original host is hex-encoded, the labels are joined with `o` and
the whole is wrapped in `i`...`z`, under the proxy's own domain::

    https://i676974687562o636f6dz.oszar.com/owner/repo
    -> https://github.com/owner/repo

`unwrap_url` restores such links; it knows the encoding, not the proxy, so a
host is restored only when every label decodes to a valid host name label.

A link is *code* when it is on a code host (`CODE_HOSTS`, or a subdomain of
one) or when the sentence that leads to it speaks of code ("our code is
available at ..."). Hugging Face is not a code host: its links are papers,
models and data sets as often as code.
"""

from __future__ import annotations

import re

CODE_HOSTS = (
    "github.com",
    "githubusercontent.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "gitee.com",
    "sourceforge.net",
    "sr.ht",
)

_SCHEME_HOST = re.compile(r"(?P<scheme>https?://)(?P<host>[^\s/?#\"'<>{}\[\]\\|^`]+)", re.I)
_PROXY_HOST = re.compile(
    r"^i(?P<labels>(?:[0-9a-f]{2})+(?:o(?:[0-9a-f]{2})+)+)z\.(?P<proxy>[a-z0-9-]+(?:\.[a-z0-9-]+)+)$",
    re.I,
)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.I)
_TLD = re.compile(r"^[a-z]{2,63}$", re.I)

# A link in prose: with a scheme, from `www.`, or a bare code-host path.
_LINK = re.compile(
    r"(?:https?://|(?<![\w.@/-])www\.|(?<![\w.@/-])(?:github\.com|gitlab\.com|"
    r"bitbucket\.org|codeberg\.org)/)[^\s<>\"'{}\[\]\\|^`]+",
    re.I,
)
_TRAILING = ".,;:!?'\")*"
_CODE_WORDS = re.compile(
    r"\b(?:code|codes|source|implementation|implementations|repository|repo)\b", re.I
)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
# A new clause between the mention of code and the link: "a few lines of code,
# and the results are at <link>" does not introduce the link as code.
_NEW_CLAUSE = re.compile(r";|\b(?:and|but|while|whereas)\s+(?:the|our|we|its|their|results?)\b", re.I)


def _unwrap_host(host: str) -> str | None:
    """The original host of a proxy host name, or None if `host` is not one."""
    match = _PROXY_HOST.match(host)
    if not match:
        return None
    labels = []
    for encoded in match.group("labels").split("o"):
        try:
            label = bytes.fromhex(encoded).decode("ascii")
        except (ValueError, UnicodeDecodeError):
            return None
        if not _LABEL.match(label):
            return None
        labels.append(label.lower())
    if not _TLD.match(labels[-1]):
        return None
    return ".".join(labels)


def unwrap_url(url: str) -> str:
    """`url` with a proxy-wrapped host restored; any other URL unchanged."""
    match = _SCHEME_HOST.match(url)
    if not match:
        return url
    original = _unwrap_host(match.group("host"))
    if original is None:
        return url
    return match.group("scheme") + original + url[match.end():]


def unwrap_links(text: str) -> str:
    """`text` with every proxy-wrapped link in it restored."""

    def restore(match: re.Match[str]) -> str:
        original = _unwrap_host(match.group("host"))
        return match.group(0) if original is None else match.group("scheme") + original

    return _SCHEME_HOST.sub(restore, text) if "://" in text else text


def _trim(link: str) -> str:
    """A link without the punctuation that ends the sentence around it."""
    opened, closed = link.count("("), link.count(")")
    end = len(link)
    while end and link[end - 1] in _TRAILING:
        if link[end - 1] == ")":
            if opened >= closed:
                break  # a balanced parenthesis belongs to the link
            closed -= 1
        end -= 1
    return link[:end]


def _complete(link: str) -> str:
    if link.lower().startswith(("http://", "https://")):
        return link
    return "https://" + link


#: What every link `_LINK` finds contains (in lower case): most abstracts have
#: none, and are passed over without running the expression.
_LINK_HINTS = ("://", "www.", "github.com/", "gitlab.com/", "bitbucket.org/", "codeberg.org/")


def _link_matches(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    if not text:
        return found
    if "://" not in text:
        lowered = text.lower()
        if not any(hint in lowered for hint in _LINK_HINTS):
            return found
    for match in _LINK.finditer(text):
        link = _trim(match.group(0))
        host = _SCHEME_HOST.match(_complete(link))
        if not host or "." not in host.group("host"):
            continue
        found.append((match.start(), unwrap_url(_complete(link))))
    return found


def find_links(text: str) -> list[str]:
    """The links in `text`, in order, each once: unwrapped, without the
    punctuation after them (`https://rl.tools.` -> `https://rl.tools`)."""
    return list(dict.fromkeys(link for _, link in _link_matches(text)))


def host_of(url: str) -> str:
    match = _SCHEME_HOST.match(url)
    if not match:
        return ""
    host = match.group("host").rpartition("@")[2]
    return host.split(":", 1)[0].lower()


def is_code_host(url: str) -> bool:
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)


def _introduced_as_code(text: str, start: int) -> bool:
    """Whether the sentence leading to position `start` speaks of code."""
    window = text[max(0, start - 200):start]
    ends = list(_SENTENCE_END.finditer(window))
    lead = window[ends[-1].end():] if ends else window
    mentions = list(_CODE_WORDS.finditer(lead))
    return bool(mentions) and not _NEW_CLAUSE.search(lead[mentions[-1].end():])


def pick_links(text: str) -> tuple[str, str]:
    """(url, code_url) from the links in prose such as an abstract.

    code_url is the first link on a code host, else the first link introduced
    as code; url is the first other link. Either may be "".
    """
    matches = _link_matches(text)
    code_url = next((link for _, link in matches if is_code_host(link)), "")
    if not code_url:
        code_url = next(
            (link for pos, link in matches if _introduced_as_code(text, pos)), ""
        )
    url = next(
        (link for _, link in matches if link != code_url and not is_code_host(link)), ""
    )
    return url, code_url
