"""The typed undo step: it takes back only the fields its own change touched,
on the paper as it is on disk now."""

from __future__ import annotations

from helpers.papers import paper
from reader.core.library import Library
from reader.ui.session import ChangeKind, Session


def test_undo_of_a_star_keeps_notes_written_meanwhile_in_another_window(db):
    Library(db).add_papers([paper("Kept", id="k1", tags=["rl"])], backup=False)
    session = Session(Library(db))
    session.set_starred(session.library.require("k1"), True)
    step = session.undo_stack[-1]
    assert step.kind is ChangeKind.STAR and step.before == {"k1": {"starred": False}}

    other = Library(db)  # another window writes notes and a tag
    other.set_notes("k1", "written elsewhere")
    other.set_tags("k1", ["rl", "new"])

    undone = session.undo()
    assert undone is step
    on_disk = Library(db).require("k1")
    assert not on_disk.starred
    assert on_disk.notes == "written elsewhere" and on_disk.tags == ["rl", "new"]
    assert session.counts.starred == 0


def test_undo_of_a_delete_brings_the_paper_back_whole(db):
    Library(db).add_papers([paper("Gone", id="g1", notes="mine")], backup=False)
    session = Session(Library(db))
    session.delete(session.library.require("g1"))
    assert Library(db).get("g1") is None
    step = session.undo()
    assert step is not None and step.kind is ChangeKind.DELETE and step.pids == ["g1"]
    back = Library(db).require("g1")
    assert back.title == "Gone" and back.notes == "mine"
    assert [p.id for p in session.rows] == ["g1"]
