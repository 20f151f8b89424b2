"""Tags as stored, and their limits.

A tag is lower case, its words joined by hyphens. A paper has at most
`MAX_TAGS` tags of at most `MAX_TAG_CHARS` characters each: a file that
brings more is imported with the first `MAX_TAGS` and says so; a tag asked
for by hand past a limit is refused (`TagLimitError`). Tags are merged with
a set beside the list, so a paper with many tags costs linear time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ReaderError
from .models import Paper
from .text import normalise_tag

MAX_TAGS = 500
MAX_TAG_CHARS = 100


class TagLimitError(ReaderError):
    """A tag, or a number of tags, over the limits."""

    exit_code = 2


@dataclass
class TagMerge:
    """Tags after a merge, and how many were left out by the limits."""

    tags: list[str]
    too_long: int = 0
    too_many: int = 0

    @property
    def left_out(self) -> int:
        return self.too_long + self.too_many

    def reason(self) -> str:
        """`left out 39,500 tags (at most 500 a paper, 100 characters a tag)`."""
        return (
            f"left out {self.left_out:,} tag{'s' if self.left_out != 1 else ''} "
            f"(at most {MAX_TAGS} a paper, {MAX_TAG_CHARS} characters a tag)"
        )


def merge_tags(have: Iterable[str], new: Iterable[str]) -> TagMerge:
    """`have` followed by the tags of `new` it lacks, normalised, within the limits."""
    merged = TagMerge(list(have))
    seen = set(merged.tags)
    for raw in new:
        tag = normalise_tag(raw)
        if not tag or tag in seen:
            continue
        if len(tag) > MAX_TAG_CHARS:
            merged.too_long += 1
        elif len(merged.tags) >= MAX_TAGS:
            merged.too_many += 1
        else:
            seen.add(tag)
            merged.tags.append(tag)
    return merged


def checked_tags(tags: Iterable[str], have: Iterable[str] = ()) -> list[str]:
    """`merge_tags` for tags given by hand: past a limit, refused."""
    merged = merge_tags(have, tags)
    if merged.too_long:
        raise TagLimitError(f"a tag is at most {MAX_TAG_CHARS} characters long")
    if merged.too_many:
        raise TagLimitError(f"a paper has at most {MAX_TAGS} tags")
    return merged.tags


def tag_counts(papers: Iterable[Paper]) -> list[tuple[str, int]]:
    """Every tag with the number of papers that have it, most used first."""
    counts: dict[str, int] = {}
    for paper in papers:
        for tag in {normalise_tag(t) for t in paper.tags}:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
