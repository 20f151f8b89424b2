"""The library on real TinyDB files: state, merging, deleting, schema, backups."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from helpers.papers import paper as make
from reader.core.library import Library
from reader.core.library_files import SCHEMA_VERSION, StrIdTinyDB
from reader.core.storage import AtomicJSONStorage
from reader.errors import LibraryError


def test_papers_survive_reopening_with_their_state(db):
    lib = Library(db)
    result = lib.add_papers(
        [
            make("Attention Is All You Need", authors=["Ashish Vaswani", "Noam Shazeer"], year=2017),
            make("QUTF: Quality Updates from Unit Test Feedback"),
        ]
    )
    assert result.added == ["vaswani2017attention", "qutf"]
    lib.toggle_star("vaswani2017attention")
    lib.toggle_read("qutf")
    lib.set_notes("qutf", "# Why\nunit tests as reward")
    lib.set_tags("qutf", ["Code Gen", "rl", "rl"])

    again = Library(db)
    star = again.require("vaswani2017attention")
    qutf = again.require("qutf")
    assert star.starred and not star.read
    assert qutf.read and qutf.read_at and not qutf.starred
    assert qutf.notes == "# Why\nunit tests as reward"
    assert qutf.tags == ["code-gen", "rl"]
    assert [p.id for p in again.papers()] == ["vaswani2017attention", "qutf"]


def test_files_are_tinydb_databases_with_a_schema_version(db):
    lib = Library(db)
    lib.add_papers([make("A Paper", year=2020)])
    pid = lib.papers()[0].id
    lib.toggle_star(pid)
    lib.compact()  # the star goes to the log first (see state_log)
    with StrIdTinyDB(db, storage=AtomicJSONStorage) as tiny:
        docs = tiny.table("papers").all()
        assert [(d.doc_id, d["title"], d["year"]) for d in docs] == [(pid, "A Paper", 2020)]
        assert tiny.table("_meta").get(doc_id="schema")["version"] == SCHEMA_VERSION
    with StrIdTinyDB(lib.state_path, storage=AtomicJSONStorage) as tiny:
        assert tiny.table("state").get(doc_id=pid) == {"starred": True}


def test_a_toggle_does_not_rewrite_the_metadata_file(db):
    lib = Library(db)
    lib.add_papers([make("One paper", abstract="x" * 5000)])
    before = db.stat()
    lib.toggle_read(lib.papers()[0].id)
    after = db.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_state_only_records_papers_that_differ_from_default(db):
    lib = Library(db)
    lib.add_papers([make(f"Paper number {i}") for i in range(50)])
    pid = lib.papers()[3].id
    lib.toggle_star(pid)
    lib.toggle_star(pid)
    lib.toggle_read(pid)
    lib.compact()
    records = json.loads(lib.state_path.read_text())["state"]
    assert list(records) == [pid]
    assert set(records[pid]) == {"read", "read_at"}


def test_strings_stay_strings(db):
    lib = Library(db)
    lib.add_papers([make("Digits", id="1234567890", extra={"isbn": "0123456789"})])
    again = Library(db)
    paper = again.require("1234567890")
    assert paper.extra["isbn"] == "0123456789"
    assert isinstance(paper.id, str)


def test_import_merges_and_never_resets_the_readers_state(db):
    lib = Library(db)
    lib.add_papers([make("Deep Residual Learning", arxiv_id="1512.03385")])
    pid = lib.papers()[0].id
    lib.set_read([pid], True)
    lib.set_starred([pid], True)
    lib.set_notes(pid, "mine")
    lib.set_tags(pid, ["vision"])

    incoming = make(
        "deep residual learning!",
        authors=["Kaiming He"],
        year=2016,
        venue="CVPR",
        tags=["resnet"],
        notes="theirs",
    )
    incoming.read = False
    result = lib.add_papers([incoming])
    assert result.added == [] and result.merged == [pid] and result.updated == [pid]
    paper = Library(db).require(pid)
    assert [a.display for a in paper.authors] == ["Kaiming He"] and paper.year == 2016 and paper.venue == "CVPR"
    assert paper.read and paper.starred and paper.notes == "mine"
    assert paper.tags == ["vision", "resnet"]


def test_merge_by_arxiv_id_ignores_version_and_fills_only_empty_fields(db):
    lib = Library(db)
    lib.add_papers([make("My own title", arxiv_id="2203.02155", venue="Mine")])
    result = lib.add_papers([make("Their title", arxiv_id="2203.02155v3", venue="Theirs", year=2022)])
    assert len(result.merged) == 1 and not result.added
    (paper,) = Library(db).papers()
    assert (paper.title, paper.venue, paper.year) == ("My own title", "Mine", 2022)


def test_merge_by_doi_case_insensitive(db):
    lib = Library(db)
    (pid,) = lib.add_papers([make("Deep Residual Learning", doi="10.1000/ABC", authors=["Ann Lee"])]).added
    lib.set_starred([pid], True)
    result = lib.add_papers([make("Deep residual learning for image recognition", doi="10.1000/abc",
                                  year=2016, abstract="Residual blocks.", authors=["Someone Else"])])
    assert result.added == [] and result.merged == [pid]
    (paper,) = Library(db).papers()  # one paper, on disk
    # The first source's fields and the reader's mark are kept; the second
    # source fills only what was empty.
    assert (paper.id, paper.title, paper.doi, [a.display for a in paper.authors], paper.starred) == (
        pid, "Deep Residual Learning", "10.1000/ABC", ["Ann Lee"], True)
    assert (paper.year, paper.abstract) == (2016, "Residual blocks.")


def test_importing_the_same_papers_twice_changes_nothing(db):
    papers = lambda: [make("Alpha", year=2020), make("Beta", authors=["Ann Lee"])]  # noqa: E731
    lib = Library(db)
    lib.add_papers(papers())
    before = db.read_bytes(), db.stat().st_mtime_ns
    result = lib.add_papers(papers())
    assert result.added == [] and len(result.merged) == 2 and result.updated == []
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before


def test_a_paper_listed_twice_in_one_import_is_added_once(db):
    lib = Library(db)
    result = lib.add_papers([make("Same Title"), make("same title."), make("Other")])
    assert len(result.added) == 2 and len(result.merged) == 1
    assert len(Library(db)) == 2


def test_ids_are_unique_and_stable(db):
    lib = Library(db)
    lib.add_papers([make("Attention", authors=["A Smith"], year=2020)])
    lib.add_papers([make("Attention again", authors=["A Smith"], year=2020)])
    ids = [p.id for p in Library(db).papers()]
    assert sorted(ids) == ["smith2020attention", "smith2020attentionb"]


def test_delete_and_restore_keep_state(db):
    lib = Library(db)
    lib.add_papers([make("Keep me"), make("Delete me")])
    victim = next(p for p in lib.papers() if p.title == "Delete me")
    lib.set_notes(victim.id, "precious")
    removed = lib.delete([victim.id])
    assert [p.title for p in Library(db).papers()] == ["Keep me"]
    lib.restore_papers(removed)
    back = Library(db).require(victim.id)
    assert back.notes == "precious"


def test_deleted_papers_are_dropped_from_the_file_at_the_next_import(db):
    lib = Library(db)
    lib.add_papers([make("Gone"), make("Stays")])
    gone = next(p for p in lib.papers() if p.title == "Gone")
    lib.delete([gone.id])
    lib.add_papers([make("New one")])
    raw = json.loads(db.read_text())["papers"]
    assert gone.id not in raw and len(raw) == 2
    assert gone.id not in json.loads(lib.state_path.read_text())["state"]


def test_reimporting_a_deleted_paper_brings_it_back(db):
    lib = Library(db)
    lib.add_papers([make("Phoenix")])
    pid = lib.papers()[0].id
    lib.delete([pid])
    assert len(lib) == 0
    lib.add_papers([make("Phoenix")])
    assert [p.id for p in Library(db).papers()] == [pid]


def test_two_library_objects_never_lose_each_others_changes(db):
    one = Library(db)
    one.add_papers([make("First"), make("Second")])
    first, second = (p.id for p in one.papers())
    two = Library(db)
    one.toggle_star(first)
    two.toggle_read(second)  # two has not seen one's star: it must merge, not overwrite
    two.add_papers([make("Third")])
    one.set_notes(second, "from one")
    final = Library(db)
    assert final.require(first).starred
    assert final.require(second).read and final.require(second).notes == "from one"
    assert len(final) == 3


def test_refresh_sees_changes_from_elsewhere(db):
    ui = Library(db)
    ui.add_papers([make("Alpha")])
    other = Library(db)
    other.toggle_star(other.papers()[0].id)
    assert ui.refresh() is True
    assert ui.papers()[0].starred
    assert ui.refresh() is False


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2, 3]", "wrong shape"),
        (b'{"papers": {"x": 5}}', "wrong shape"),
        (b'{"papers": {"a": {"title": "t"}}, "other": {}}', "wrong shape"),
        (b'{"_meta": {"schema": {"version": 999}}, "papers": {}}', "newer version"),
    ],
)
def test_a_bad_library_file_is_refused_and_left_alone(db, content, words):
    db.write_bytes(content)
    with pytest.raises(LibraryError) as info:
        Library(db)
    assert words in str(info.value) and str(db) in str(info.value)
    assert db.read_bytes() == content


def test_bad_file_message_names_the_newest_backup(db):
    lib = Library(db)
    lib.add_papers([make("One")])
    lib.add_papers([make("Two")])  # backs up the one-paper library first
    db.write_bytes(db.read_bytes()[:20])
    with pytest.raises(LibraryError) as info:
        Library(db)
    assert "backup" in str(info.value) and "reader restore" in str(info.value)


def test_backups_are_kept_by_count_and_can_be_restored(db):
    lib = Library(db)
    for i in range(9):
        lib.add_papers([make(f"Paper {i}")])
    backups = lib.backups()
    assert len(backups) == 5
    # Each import backed up the library as it was before: 1..8 papers; the
    # last five are kept, so the oldest kept holds 4 papers.
    lib.restore_backup(backups[-1])
    assert len(lib) == 4
    assert sorted(p.title for p in Library(db).papers()) == [f"Paper {i}" for i in range(4)]
    assert len(lib.backups()) == 5  # the 9-paper state was backed up before restoring


def test_leftover_temp_files_are_removed_on_open(db):
    Library(db).add_papers([make("One")])
    stale = db.with_name(f".{db.name}.abc123.tmp")
    stale.write_text("half a write")
    Library(db)
    assert not stale.exists()


def test_nothing_is_created_by_reading(tmp_path):
    path = tmp_path / "sub" / "lib.json"
    lib = Library(path)
    assert len(lib) == 0 and lib.papers() == []
    assert not path.exists()


def test_reimporting_a_deleted_paper_with_others_keeps_it(db):
    lib = Library(db)
    lib.add_papers([make("Phoenix"), make("Other")])
    pid = next(p.id for p in lib.papers() if p.title == "Phoenix")
    lib.delete([pid])
    lib.add_papers([make("Phoenix"), make("Brand new")])  # a write of the papers file
    again = Library(db)
    assert sorted(p.title for p in again.papers()) == ["Brand new", "Other", "Phoenix"]


def test_undo_of_a_delete_survives_a_later_import(db):
    lib = Library(db)
    lib.add_papers([make("One"), make("Two"), make("Three")])
    one, two = (p for p in lib.papers() if p.title in ("One", "Two"))
    removed_one = lib.delete([one.id])
    lib.delete([two.id])
    lib.restore_papers(removed_one)
    lib.add_papers([make("Four")])  # purges Two for good, keeps One
    assert sorted(p.title for p in Library(db).papers()) == ["Four", "One", "Three"]


def test_abstracts_live_in_their_own_file(db):
    lib = Library(db)
    lib.add_papers([make("With abstract", abstract="A long abstract. " * 50), make("Without")])
    assert "A long abstract" not in db.read_text()
    assert "A long abstract" in lib.abstracts_path.read_text()
    papers = {p.title: p for p in Library(db).papers()}
    assert papers["With abstract"].abstract.startswith("A long abstract.")
    assert papers["Without"].abstract == ""


def test_a_library_opened_without_abstracts_reads_them_when_needed(db):
    Library(db).add_papers([make("First", abstract="first abstract")])
    lazy = Library(db, load_abstracts=False)
    assert lazy.papers()[0].abstract == ""
    # A merge needs the abstracts: an import never overwrites one it has not read.
    lazy.add_papers([make("first", abstract="another abstract"), make("Second", abstract="second")])
    assert lazy.abstracts_loaded
    abstracts = {p.title: p.abstract for p in Library(db).papers()}
    assert abstracts == {"First": "first abstract", "Second": "second"}
    later = Library(db, load_abstracts=False)
    later.load_abstracts()
    assert {p.title: p.abstract for p in later.papers()} == abstracts


def test_deleted_papers_leave_the_abstracts_file_too(db):
    lib = Library(db)
    lib.add_papers([make("Gone", abstract="gone abstract"), make("Stays", abstract="kept")])
    lib.delete([next(p.id for p in lib.papers() if p.title == "Gone")])
    lib.add_papers([make("New", abstract="new")])
    text = lib.abstracts_path.read_text()
    assert "gone abstract" not in text and "kept" in text and "new" in text


def test_backups_are_kept_by_kind_and_by_day(tmp_path):
    from datetime import datetime, timedelta

    from reader.core.backups import KEEP_NEWEST, BackupInfo, keep

    now = datetime(2026, 5, 10, 12, tzinfo=UTC)
    infos = [BackupInfo(tmp_path / f"m{i}", now - timedelta(minutes=i), "mark") for i in range(20)]
    infos += [BackupInfo(tmp_path / "import", now - timedelta(hours=2), "import")]
    infos += [
        BackupInfo(tmp_path / f"day{d}-{h}", now - timedelta(days=d, hours=h), "mark")
        for d in range(1, 10) for h in range(3)
    ]
    kept = keep(infos)
    assert {tmp_path / f"m{i}" for i in range(KEEP_NEWEST)} <= kept
    assert tmp_path / "import" in kept  # the last import's, whatever came after
    # The newest of each of the six earlier days (the seventh is today).
    assert {tmp_path / f"day{d}-0" for d in range(1, 7)} <= kept
    assert len(kept) == KEEP_NEWEST + 1 + 6
