"""Triage's walk through a fixed list of papers, without a terminal."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.models import Paper


@dataclass
class Triage:
    """One paper at a time through a fixed list: star, read or skip, and undo."""

    papers: list[Paper]
    position: int = 0
    #: (position, whether a change was made there) for every step taken.
    history: list[tuple[int, bool]] = field(default_factory=list)

    @property
    def current(self) -> Paper | None:
        return self.papers[self.position] if self.position < len(self.papers) else None

    @property
    def left(self) -> int:
        return len(self.papers) - self.position

    @property
    def done(self) -> bool:
        return self.position >= len(self.papers)

    def advance(self, changed: bool) -> None:
        self.history.append((self.position, changed))
        self.position += 1

    def back(self) -> bool | None:
        """Step back one paper. Returns whether that step had made a change
        (None when there is nothing to step back to)."""
        if not self.history:
            return None
        self.position, changed = self.history.pop()
        return changed
