"""Links from outside that may be opened or written as links: http(s) only.

A paper's link comes from a stranger's file. Handed to a browser or written
into a page, `javascript:`, `data:`, `file:///etc/passwd` or
`ssh://-oProxyCommand=...` would run or read something, and a link starting
with `-` would reach the browser as an option. `safe_link` lets through only
a plain `http://` or `https://` URL with a host; anything else is text to
show, never to launch.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: Longer links are not opened: no paper's address is this long.
MAX_LINK = 2000


def safe_link(url: str) -> str:
    """`url` (without surrounding white space) if it is a plain http(s) URL
    with a host, no white space, control, bidi or invisible formatting
    characters and no backslash; else "". What it returns always starts
    with `http://` or `https://` (in any case), so never with `-`."""
    url = url.strip()
    if not url or len(url) > MAX_LINK or not url.isprintable():
        return ""
    if " " in url or "\\" in url or not url[:8].lower().startswith(("http://", "https://")):
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed IPv6 address or port
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    return url
