"""One HTTP GET, bounded as a whole and stoppable at once.

httpx's timeouts bound each step (connecting, each read): a server that
sends a byte every few seconds never trips them. Here the request runs in a
daemon thread while the caller waits for it against one deadline, looking at
`should_stop` every `POLL` seconds. At the deadline, or when told to stop,
the caller stops waiting at once; the connection's socket is shut down so
that the thread ends too (a daemon thread never keeps the process alive).

Redirects are not followed here: the caller gets them (to pace each hop).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

POLL = 0.05


class Timeout(Exception):
    """No complete answer within the deadline."""


class Stopped(Exception):
    """The caller asked to stop while the request was under way."""


class TooLarge(Exception):
    """The answer is larger than allowed."""


@dataclass
class Answer:
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes
    encoding: str


@dataclass
class _Exchange:
    """What the request's thread shares with the caller."""

    done: threading.Event = field(default_factory=threading.Event)
    sockets: list[Any] = field(default_factory=list)
    answer: Answer | None = None
    error: BaseException | None = None
    abandoned: bool = False

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's trace extension: keep each socket as it is connected."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if sock is not None:
                self.sockets.append(sock)

    def abandon(self) -> None:
        self.abandoned = True
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def fetch(
    http: httpx.Client,
    url: str,
    params: dict[str, str] | None,
    *,
    timeout: float,
    max_bytes: int,
    should_stop: Callable[[], bool],
    headers: dict[str, str] | None = None,
) -> Answer:
    """GET `url` (with `headers` besides the client's): the whole answer within `timeout` seconds.

    Raises `Timeout`, `Stopped`, `TooLarge` or httpx's own errors."""
    exchange = _Exchange()
    thread = threading.Thread(
        target=_run, args=(exchange, http, url, params, max_bytes, headers), name="reader-http", daemon=True
    )
    deadline = time.monotonic() + timeout
    thread.start()
    while not exchange.done.wait(max(0.0, min(POLL, deadline - time.monotonic()))):
        if should_stop():
            exchange.abandon()
            raise Stopped()
        if time.monotonic() >= deadline:
            exchange.abandon()
            raise Timeout()
    if exchange.error is not None:
        raise exchange.error
    assert exchange.answer is not None
    return exchange.answer


def _run(
    exchange: _Exchange, http: httpx.Client, url: str, params: dict[str, str] | None, max_bytes: int,
    headers: dict[str, str] | None = None,
) -> None:
    try:
        with http.stream(
            "GET", url, params=params, headers=headers, extensions={"trace": exchange.trace}
        ) as response:
            chunks: list[bytes] = []
            size = 0
            if response.status_code == httpx.codes.OK:
                for chunk in response.iter_bytes():
                    if exchange.abandoned:
                        return
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge()
                    chunks.append(chunk)
            exchange.answer = Answer(
                status=response.status_code,
                reason=response.reason_phrase or "",
                headers=response.headers,
                body=b"".join(chunks),
                encoding=response.charset_encoding or "utf-8",
            )
    except BaseException as exc:  # handed to the caller's thread
        exchange.error = exc
    finally:
        exchange.done.set()


class ServiceClient:
    """A client of one web service (`url`): an httpx client that follows no
    redirect by itself (the caller follows each hop at its pace) and opens a
    new connection per request, so that `fetch` can cut a request off at its
    deadline. Closed on leaving a `with` block."""

    def __init__(self, url: str, timeout: float, headers: dict[str, str],
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url
        self.timeout = timeout
        self.requests = 0
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc or self.url
