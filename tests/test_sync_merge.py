"""The three-way merge of libraries on its own (no git): what each rule keeps,
and that merging a merged library again changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.state_merge import NOTES_MARK, merge_state
from reader.core.sync_merge import LibraryTables, merge_libraries

TAGS = st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=4)
STAMP = st.integers(0, 5).map(lambda n: f"2026-01-0{n + 1}T00:00:00.000000Z@m")
STATE = st.fixed_dictionaries({}, optional={
    "starred": st.just(True), "read": st.just(True), "tags": TAGS.filter(bool),
    "notes": st.sampled_from(["one", "two", "one two"]),
})
STAMPS = st.fixed_dictionaries({}, optional={"starred": STAMP, "read": STAMP, "tags": STAMP, "notes": STAMP})


def _library(papers: dict[str, dict], state: dict[str, dict], stamps: dict[str, dict]) -> LibraryTables:
    return LibraryTables(
        {"papers": papers}, {"state": state, "changed": stamps}, {"abstracts": {}},
    )


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(STATE, STATE, STATE, STAMPS, STAMPS, STAMPS)
def test_tags_keep_both_sides_changes_and_a_second_merge_changes_nothing(b, o, t, bs, os_, ts):
    merged = merge_state(b, o, t, (bs, os_, ts))
    tags = set(merged.doc.get("tags", []))
    base = set(b.get("tags", []))
    for side in (o, t):
        assert set(side.get("tags", [])) - base <= tags  # added on a side: kept
        assert not (base - set(side.get("tags", []))) & tags  # removed on a side: gone
    again = merge_state(b, merged.doc, t, (bs, merged.stamps, ts))
    assert again.doc == merged.doc


def test_notes_changed_on_both_sides_keep_both_texts_the_earlier_first():
    merged = merge_state(
        {"notes": "base"}, {"notes": "ours"}, {"notes": "theirs"},
        ({}, {"notes": "2026-01-02T00:00:00.000000Z@a"}, {"notes": "2026-01-01T00:00:00.000000Z@b"}),
    )
    assert merged.doc["notes"] == "theirs" + NOTES_MARK + "ours" and merged.notes_joined


def test_a_tie_in_time_goes_to_the_greater_machine_id_on_either_side():
    at = "2026-01-01T00:00:00.000000Z@"
    for ours, theirs in ((("a", False), ("b", True)), (("b", True), ("a", False))):
        doc = {"starred": True}
        merged = merge_state(
            {}, doc if ours[1] else {}, doc if theirs[1] else {},
            ({}, {"starred": at + ours[0]}, {"starred": at + theirs[0]}),
        )
        assert merged.doc.get("starred") is True  # machine b starred it


def test_metadata_fields_changed_on_one_side_each_are_all_kept():
    base = _library({"p1": {"title": "A title", "added": "x"}}, {}, {})
    ours = _library({"p1": {"title": "A title", "added": "x", "doi": "10.1/a"}}, {}, {})
    theirs = _library({"p1": {"title": "A better title", "added": "x", "venue": "V"}}, {}, {})
    merged, report = merge_libraries(base, ours, theirs)
    assert merged.papers["papers"]["p1"] == {"title": "A better title", "added": "x", "doi": "10.1/a", "venue": "V"}
    again, _ = merge_libraries(base, merged, theirs)
    assert again.files() == merged.files()


def test_a_newer_schema_on_the_other_side_is_refused_in_one_line():
    import pytest

    from reader.errors import ReaderError

    theirs = _library({}, {}, {})
    theirs.papers["_meta"] = {"schema": {"version": 99, "app": "reader"}}
    with pytest.raises(ReaderError, match="newer version of reader"):
        merge_libraries(None, _library({}, {}, {}), theirs)
