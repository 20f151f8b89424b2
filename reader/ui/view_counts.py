"""The counts of the views bar: of the papers the filter lets through.

With no filter they are the session's counts. With one, they are counted
once the filter has gone through the list (one more pass over the library,
made again only when the library or the query changed).
"""

from __future__ import annotations

from .session import Counts, Session


class ViewCounts:
    """What each view would show with the filter as it is."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._key: tuple[str, int, int, bool] | None = None
        self._counts = Counts()

    def counts(self) -> Counts:
        session = self.session
        query = session.query
        scan = session.scan
        if not query or scan is None:
            return session.counts
        key = (query.text, session.generation, session.library.version, session.library.searchable)
        if key == self._key:
            return self._counts
        if not scan.done or scan.query != query:
            return self._counts if self._key is not None and self._key[0] == query.text else session.counts
        # The filter's own hits when it went through every paper (the All
        # view); else one more pass, over the papers as listed.
        hits = scan.hits if session.view == "all" else scan.matcher.match(query, session.ordered)
        counts = Counts(total=len(hits))
        for paper in hits:
            counts.read += paper.read
            counts.starred += paper.starred
        counts.unread = counts.total - counts.read
        self._key, self._counts = key, counts
        return counts
