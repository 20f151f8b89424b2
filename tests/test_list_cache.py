"""`reader list WORDS` reads through a cache beside the library once a first
list made it: what it prints is what reading the whole library prints,
whatever changed since (a toggle, a tag, a note, a deletion, an edit by
another program)."""

from __future__ import annotations

import json

from conftest import run_reader
from helpers.papers import numbered
from reader.core.library import Library
from reader.core.search_cache import cache_path

QUERIES = [
    ["alpha"],
    ["alpha", "is:unread"],
    ["beta", "-gamma", "sort:title"],
    ["keyword", "tag:x"],
    ["alpha", "has:notes"],
    ["reward model"],
]


def make(db) -> Library:
    library = Library(db)
    library.add_papers(numbered(
        30, "Paper {i} alpha", abstract=lambda i: f"Beta {'gamma' if i % 2 else 'delta'} {i}.",
        tags=lambda i: ["x"] if i % 3 == 0 else [], notes=lambda i: "a keyword here" if i % 4 == 0 else "",
        year=lambda i: 2000 + i,
    ))
    return library


def listed(db, words: list[str]) -> list[dict]:
    done = run_reader("list", *words, "--json", db=db)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def whole(db, words: list[str]) -> list[dict]:
    """What reading the whole library lists (the cache out of the way)."""
    cache = cache_path(db)
    saved = cache.read_bytes() if cache.exists() else None
    cache.unlink(missing_ok=True)
    try:
        return listed(db, words)
    finally:
        if saved is not None:
            cache.write_bytes(saved)


def test_the_cache_lists_what_the_whole_library_lists(db):
    make(db)
    listed(db, ["alpha"])  # makes the cache
    assert cache_path(db).exists()
    for words in QUERIES:
        assert listed(db, words) == whole(db, words), words
    assert len(listed(db, ["alpha"])) == 30


def test_changes_since_the_cache_was_made_are_listed(db):
    make(db)
    listed(db, ["alpha"])
    library = Library(db)
    library.set_read(["p1"], True)
    library.add_tag(["p2"], "newtag")
    library.set_notes("p5", "zebra stripes")
    library.delete(["p7"])
    assert [p["id"] for p in listed(db, ["zebra"])] == ["p5"]
    assert [p["id"] for p in listed(db, ["newtag"])] == ["p2"]
    assert "p7" not in [p["id"] for p in listed(db, ["alpha"])]
    assert [p["read"] for p in listed(db, ["alpha"]) if p["id"] == "p1"] == [True]
    # A change of metadata: the cache is out of date and not used.
    library.replace_metadata("p3", lambda p: setattr(p, "abstract", "Okapi seen."))
    assert [p["id"] for p in listed(db, ["okapi"])] == ["p3"]
    for words in QUERIES:
        assert listed(db, words) == whole(db, words), words
