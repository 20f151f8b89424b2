"""A filter over many papers, a slice at a time, without a terminal."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..core.models import Paper
from ..core.query import Matcher, Query


class Scan:
    """A filter over many papers, run a slice at a time so the first rows
    show at once; `hits` (the session's `rows`) grows as it goes.

    `ready()` says whether the search can go on (words search the abstracts
    too: it waits for them); `finished(scan)` hears when it is done."""

    SLICE = 500

    def __init__(self, matcher: Matcher, query: Query, base: list[Paper], key: object,
                 ready: Callable[[], bool], finished: Callable[[Scan], None]) -> None:
        self.matcher = matcher
        self.query = query
        self.base = base
        self.key = key
        self.ready = ready
        self.finished = finished
        self.position = 0
        self.hits: list[Paper] = []
        self.done = False
        self.needs_abstracts = any(
            term.kind == "word" or (term.kind == "has" and term.value == "abstract") for term in query.terms
        )

    def step(self, budget: float | None, enough: int | None = None) -> bool:
        """Search for about `budget` seconds (None: to the end), or until
        `enough` hits are found. True when done."""
        if self.done:
            return True
        if self.needs_abstracts and not self.ready():
            return False  # words search the abstracts too: wait for them
        if not self.query:
            self.hits.extend(self.base[self.position:])
            self.position = len(self.base)
        deadline = None if budget is None else time.perf_counter() + budget
        while self.position < len(self.base):
            chunk = self.base[self.position:self.position + self.SLICE]
            self.hits.extend(self.matcher.match(self.query, chunk))
            self.position += len(chunk)
            if deadline is not None and time.perf_counter() >= deadline:
                break
            if enough is not None and len(self.hits) >= enough:
                break
        if self.position >= len(self.base):
            self.done = True
            self.finished(self)
        return self.done

    @property
    def searched(self) -> int:
        return self.position
