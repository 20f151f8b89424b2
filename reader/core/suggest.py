""""Did you mean ...?": the papers a mistyped id most likely meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .models import Paper
from .text import fold

#: How many papers a suggestion names at most.
SUGGESTIONS = 3
#: How alike an id must be to the one typed (difflib's ratio, 0 to 1).
CUTOFF = 0.6


def did_you_mean(typed: str, papers: Iterable[Paper], limit: int = SUGGESTIONS) -> list[str]:
    """Ids of papers close to `typed`: ids spelled alike first, then papers
    whose id or title holds it, then titles spelled alike."""
    papers = list(papers)
    key = fold(typed).strip()
    if not key:
        return []
    ids = [p.id for p in papers]
    found = difflib.get_close_matches(typed, ids, n=limit, cutoff=CUTOFF)
    if len(found) < limit:
        found += [p.id for p in papers if key in fold(p.id) or key in fold(p.title)][:limit]
    if len(found) < limit:
        titles = {fold(p.title): p.id for p in papers if p.title}
        found += [titles[t] for t in difflib.get_close_matches(key, titles, n=limit, cutoff=CUTOFF)]
    return list(dict.fromkeys(found))[:limit]
