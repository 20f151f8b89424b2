"""A change the user can take back, typed: what kind, which papers, and the
values before of only the fields it touched."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..core.edit_entry import EDITABLE
from ..core.models import Paper


class ChangeKind(Enum):
    """What a change the user can take back did."""

    READ = "read"
    STAR = "star"
    TAGS = "tags"
    NOTES = "notes"
    DELETE = "delete"
    METADATA = "metadata"


#: The fields of a paper's reader state each kind of change touches.
TOUCHED_FIELDS: dict[ChangeKind, tuple[str, ...]] = {
    ChangeKind.READ: ("read", "read_at"),
    ChangeKind.STAR: ("starred",),
    ChangeKind.TAGS: ("tags",),
    ChangeKind.NOTES: ("notes",),
    ChangeKind.DELETE: (),
    ChangeKind.METADATA: EDITABLE,
}


@dataclass(frozen=True)
class UndoStep:
    """One change the user can take back.

    `before` holds, per paper id, the values of only the fields this change
    touched, as they were before it: undo puts back those fields on the
    paper as it is now (on disk), and leaves every other field alone.
    """

    kind: ChangeKind
    description: str
    before: dict[str, dict[str, Any]]
    #: DELETE: the papers as they were, metadata and state, to bring back.
    removed: tuple[Paper, ...] = ()
    #: TAGS: each paper's tags right after the change, so that undo takes
    #: back only the tags this change added and removed.
    after: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pids(self) -> list[str]:
        return list(self.before)

    @classmethod
    def of(cls, kind: ChangeKind, description: str, papers: list[Paper]) -> UndoStep:
        """The step for a change of `kind` about to be made to `papers`."""
        fields = TOUCHED_FIELDS[kind]
        before = {p.id: {f: copy.deepcopy(getattr(p, f)) for f in fields} for p in papers}
        return cls(kind, description, before)

    def put_back(self, paper: Paper) -> None:
        """Give `paper` the touched fields' values from before the change."""
        for name, value in self.before.get(paper.id, {}).items():
            if name == "tags" and paper.id in self.after:
                value = tags_back(paper.tags, value, self.after[paper.id])
            setattr(paper, name, copy.deepcopy(value))


def tags_back(current: list[str], before: list[str], after: list[str]) -> list[str]:
    """`current` without the tags a change added and with those it removed:
    tags changed elsewhere since are kept."""
    added = set(after) - set(before)
    kept = [t for t in current if t not in added]
    return kept + [t for t in before if t not in after and t not in kept]
