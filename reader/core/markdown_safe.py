"""Text from outside made inert in Markdown: no raw HTML, only http(s) links.

A Markdown reading list ends up rendered as a web page (a wiki, a README, a
static site). A title such as `<img src=x onerror=alert(1)>`, a tag
`[x](javascript:alert(1))` or an imported note with `<script>` must show as
written, never run:

* `md_text`: `<` as `&lt;` (no tag, comment or autolink can start), a `&`
  that would start a character reference as `&amp;` (it shows as written),
  and `\\`, `[` and `]` escaped (no link can start);
* `md_link`: white space, `(`, `)`, `<` and `>` percent-encoded (so that
  nothing ends the link early), then a link target only if `urls.safe_link`
  takes it (http or https); else "" and the text goes without a link;
* `md_notes`: notes keep their Markdown, except that HTML is escaped and a
  link, autolink or image whose target is not http(s) is written as plain
  text (an image becomes a link: nothing is loaded when the page is shown).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .urls import safe_link

#: `<` (it opens every tag, comment and autolink), `&` where it would start a
#: character reference, and what opens or closes a link.
_TEXT_SPECIAL = re.compile(r"&(?=#?\w+;)|[<\\\[\]]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", "\\": "\\\\", "[": "\\[", "]": "\\]"}
_URL_SPECIAL = re.compile(r"[\s()<>]")
#: An inline link or image with a target that has no white space or
#: brackets, or an autolink (`<https://...>`).
_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^()\s<>]*)\)|<([^\s<>]*)>")


def md_text(text: str) -> str:
    """`text` as Markdown that shows it literally: no HTML, no link."""
    return _TEXT_SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)


def md_link(url: str) -> str:
    """A Markdown link target for `url` if it is an http(s) URL, else ""."""
    return safe_link(_URL_SPECIAL.sub(lambda m: quote(m.group()), url.strip()))


def md_notes(text: str) -> str:
    """Notes as Markdown: their formatting kept, their HTML escaped, and only
    links to http(s) kept as links."""
    out, pos = [], 0
    for match in _LINK.finditer(text):
        bang, label, target, auto = match.groups()
        out.append(md_text(text[pos : match.start()]))
        if auto and safe_link(auto) == auto:
            out.append(match.group())
        elif auto is None and md_link(target):
            out.append(("\\!" if bang else "") + f"[{md_text(label)}]({md_link(target)})")
        else:
            out.append(md_text(match.group()))
        pos = match.end()
    out.append(md_text(text[pos:]))
    return "".join(out)
