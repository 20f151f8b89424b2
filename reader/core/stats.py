"""How the user keeps up: papers arrived, read and starred per week, and the backlog.

Weeks end on the day the stats are made (`now`), counting back `weeks`.
Arrivals are counted by the date a paper was added; reads by the date it
was marked read; stars by the week the starred paper arrived (reader keeps
no date for a star). The unread backlog at the end of each week is the
papers added by then and not read by then. Per feed (tag `feed:NAME`) and
per tag: arrivals per week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from .models import Paper

DEFAULT_WEEKS = 12
#: Tags shown at most (the most used).
TOP_TAGS = 8
BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass
class Stats:
    weeks: int
    #: each a list of `weeks` numbers, oldest week first
    arrived: list[int]
    read: list[int]
    starred: list[int]
    backlog: list[int]
    per_feed: dict[str, list[int]] = field(default_factory=dict)
    per_tag: dict[str, list[int]] = field(default_factory=dict)
    week_starts: list[str] = field(default_factory=list)


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def weekly_stats(papers: Iterable[Paper], weeks: int = DEFAULT_WEEKS, now: datetime | None = None) -> Stats:
    now = now or datetime.now(UTC)
    weeks = max(1, weeks)
    start = now - timedelta(weeks=weeks)

    def week(when: datetime | None) -> int | None:
        if when is None or when > now or when <= start:
            return None
        return min(weeks - 1, int((when - start) / timedelta(weeks=1)))

    arrived, read, starred = [0] * weeks, [0] * weeks, [0] * weeks
    backlog_change = [0] * (weeks + 1)  # the last: before these weeks
    feeds: dict[str, list[int]] = {}
    tags: dict[str, list[int]] = {}
    tag_use: Counter[str] = Counter()
    for paper in papers:
        added, read_at = _when(paper.added), _when(paper.read_at)
        a, r = week(added), week(read_at)
        if a is not None:
            arrived[a] += 1
            if paper.starred:
                starred[a] += 1
            for tag in paper.tags:
                target = feeds if tag.startswith("feed:") else tags
                target.setdefault(tag, [0] * weeks)[a] += 1
                tag_use[tag] += 1
        if r is not None:
            read[r] += 1
        # the backlog: +1 in the week it arrives, -1 in the week it is read
        # (read with no date: read when it came); -1 is "before these weeks".
        came = _slot(added, start, now, week)
        if came is not None:
            backlog_change[came] += 1
            gone = _slot(read_at or added, start, now, week) if paper.read else None
            if gone is not None:
                backlog_change[gone] -= 1
    backlog, level = [], backlog_change[-1]
    for change in backlog_change[:-1]:
        level += change
        backlog.append(max(0, level))
    top = {t: tags[t] for t, _ in tag_use.most_common() if t in tags}
    return Stats(
        weeks, arrived, read, starred, backlog,
        per_feed=dict(sorted(feeds.items())),
        per_tag=dict(list(top.items())[:TOP_TAGS]),
        week_starts=[(start + timedelta(weeks=i)).date().isoformat() for i in range(weeks)],
    )


def _slot(
    when: datetime | None, start: datetime, now: datetime, week: Callable[[datetime | None], int | None]
) -> int | None:
    """The week index of `when`; -1 (the slot before the weeks) for no date or
    earlier; None for a time after `now`."""
    if when is None or when <= start:
        return -1
    if when > now:
        return None
    return week(when)


def sparkline(values: list[int]) -> str:
    """Values as block characters, for a plain terminal (`reader stats`)."""
    top = max(values, default=0)
    if top <= 0:
        return BLOCKS[0] * len(values)
    return "".join(BLOCKS[min(len(BLOCKS) - 1, round(v / top * (len(BLOCKS) - 1)))] for v in values)
