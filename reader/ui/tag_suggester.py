"""Tags offered as they are typed in the tags prompt: Textual's Input shows
the rest of the first tag of the library that the last typed tag begins."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester

from ..core.text import normalise_tag


class TagSuggester(Suggester):
    """Completes the last tag of a comma-separated list from `tags` (most
    used first), skipping the tags already in the list."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = list(tags)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed or typed != typed.rstrip():
            return None
        start = normalise_tag(typed)
        have = {normalise_tag(t) for t in head.split(",")}
        for tag in self.tags:
            if tag.startswith(start) and tag != start and tag not in have:
                return value + tag[len(start):]
        return None
