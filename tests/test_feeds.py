"""Feeds against a local server: every format, changing between fetches,
304, 503 with Retry-After, malformed XML, a slow reply, deletions, kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import run_reader
from helpers.feed_server import FeedServer, Item, Route
from reader.core.library import Library


@pytest.fixture
def server():
    with FeedServer() as s:
        yield s


def env_for(server: FeedServer, **extra: str) -> dict[str, str]:
    return {
        "READER_ARXIV_URL": server.url("/api/query"),
        "READER_ARXIV_MIN_INTERVAL": "0",
        "READER_FEED_MIN_INTERVAL": "0",
        **extra,
    }


def five_formats(server: FeedServer) -> dict[str, str]:
    """A feed in each format, with one paper shared by the arXiv API and the RSS."""
    server.routes["/api/query?cat:cs.LG"] = Route("arxiv-api", [
        Item("Sparse Attention for Long Inputs", ["Ada Example", "Grace Sample"], arxiv_id="2611.00001"),
        Item("A Paper From Last Year", arxiv_id="2511.00002", days_ago=300),
    ])
    server.routes["/api/query?ti:diffusion"] = Route("arxiv-api", [
        Item("Diffusion Models for Tables", ["Jane Testcase"], arxiv_id="2611.00003", doi="10.1234/dt.1"),
    ])
    server.routes["/arxiv-rss"] = Route("arxiv-rss", [
        Item("Sparse Attention for Long Inputs", ["Ada Example", "Grace Sample"], arxiv_id="2611.00001"),
        Item("Gradient Noise in Small Batches", ["Alan Placeholder", "John Fixture"], arxiv_id="2611.00004"),
    ])
    server.routes["/toc.rdf"] = Route("rdf", [
        Item("Catalysts by the Thousand", ["Mary Sample", "Tom Example"], doi="10.5555/jmr.2026.7",
             link="http://journal.example/a/7"),
    ])
    server.routes["/blog.rss"] = Route("rss2", [
        Item("What We Learned Shipping a Planner", link="http://blog.example/planner"),
    ])
    server.routes["/lab.atom"] = Route("atom", [
        Item("Notes on Reward Models", ["Ada Example"], link="http://lab.example/reward"),
    ])
    return {
        "lg": "arxiv:cs.LG",
        "diff": "arxiv-search:ti:diffusion",
        "rss": server.url("/arxiv-rss"),
        "toc": server.url("/toc.rdf"),
        "blog": server.url("/blog.rss"),
        "lab": server.url("/lab.atom"),
    }


def subscribe(db: Path, env: dict[str, str], feeds: dict[str, str]) -> None:
    for name, source in feeds.items():
        result = run_reader("feed", "add", name, source, db=db, env=env)
        assert result.returncode == 0, result.stderr


def titles(db: Path) -> Counter[str]:
    return Counter(p.title for p in Library(db).papers())


@pytest.mark.slow
def test_every_format_arrives_once_and_a_second_fetch_adds_nothing(server, db):
    env = env_for(server)
    subscribe(db, env, five_formats(server))
    first = run_reader("fetch", db=db, env=env)
    assert first.returncode == 0, first.stderr
    assert "6 papers arrived from 6 feeds" in first.stdout
    assert "lg: 1 new, 1 older than the first fetch's bound" in first.stdout
    assert "rss: 1 new, 1 already in the library" in first.stdout
    library = Library(db)
    by_title = {p.title: p for p in library.papers()}
    assert set(by_title) == {
        "Sparse Attention for Long Inputs", "Diffusion Models for Tables", "Gradient Noise in Small Batches",
        "Catalysts by the Thousand", "What We Learned Shipping a Planner", "Notes on Reward Models",
    }
    sparse = by_title["Sparse Attention for Long Inputs"]
    assert (sparse.arxiv_id, sparse.tags, sparse.read, sparse.new) == ("2611.00001", ["feed:lg"], False, True)
    assert [a.last for a in sparse.authors] == ["Example", "Sample"]
    assert by_title["Gradient Noise in Small Batches"].authors[1].last == "Fixture"  # one dc:creator
    assert by_title["Diffusion Models for Tables"].doi == "10.1234/dt.1"
    toc = by_title["Catalysts by the Thousand"]
    assert (toc.doi, toc.venue, toc.tags) == ("10.5555/jmr.2026.7", "Journal of Made-up Results", ["feed:toc"])
    assert by_title["Notes on Reward Models"].abstract == "An abstract written for this test."

    second = run_reader("fetch", db=db, env=env)
    assert "0 papers arrived from 6 feeds" in second.stdout
    assert second.stdout.count("not changed since the last fetch") == 6  # 304s: the ETags went back
    assert titles(db) == Counter(set(by_title))

    # The feeds change: only what is new arrives, each once.
    server.routes["/arxiv-rss"].items.append(Item("Momentum Revisited", arxiv_id="2611.00009"))
    server.routes["/lab.atom"].items.insert(0, Item("Planning With Critics", link="http://lab.example/critics"))
    server.routes["/api/query?cat:cs.LG"].items.append(Item("Momentum Revisited", arxiv_id="2611.00009"))
    third = run_reader("fetch", db=db, env=env)
    assert "2 papers arrived" in third.stdout, third.stdout
    counts = titles(db)
    assert counts["Momentum Revisited"] == 1 and counts["Planning With Critics"] == 1
    assert max(counts.values()) == 1
    # is:new is what the last fetch brought and is not seen yet: the first fetch's papers,
    # never looked at, are no longer new but still unread.
    listed = run_reader("list", "is:new", "--json", db=db, env=env)
    assert sorted(p["title"] for p in json.loads(listed.stdout)) == ["Momentum Revisited", "Planning With Critics"]
    unread = run_reader("list", "is:unread", "--json", db=db, env=env)
    assert len(json.loads(unread.stdout)) == 8
    # A fetch that brings nothing leaves them new.
    run_reader("fetch", db=db, env=env)
    listed = run_reader("list", "is:new", "--json", db=db, env=env)
    assert len(json.loads(listed.stdout)) == 2


@pytest.mark.slow
def test_feed_list_remove_rename_and_bad_input(server, db):
    env = env_for(server)
    server.routes["/blog.rss"] = Route("rss2", [Item("A Post", link="http://blog.example/post")])
    subscribe(db, env, {"blog": server.url("/blog.rss")})
    for args, message in [
        (("feed", "add", "two words", "arxiv:cs.LG"), "a feed's name is a word"),
        (("feed", "add", "x", "ftp://example.org/feed"), "a feed is arxiv:CATEGORY"),
        (("feed", "add", "x", "arxiv:not a category"), "not an arXiv category"),
        (("feed", "add", "blog", "arxiv:cs.LG"), "exists already"),
        (("feed", "add", "again", server.url("/blog.rss")), "follows"),
        (("feed", "remove", "nope"), "no feed named 'nope'"),
        (("fetch", "nope"), "no feed named 'nope'"),
    ]:
        result = run_reader(*args, db=db, env=env)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert run_reader("fetch", db=db, env=env).returncode == 0
    listed = run_reader("feed", "list", db=db, env=env).stdout
    assert "blog" in listed and "1 new last time" in listed
    assert run_reader("feed", "rename", "blog", "posts", db=db, env=env).returncode == 0
    assert Library(db).papers()[0].tags == ["feed:posts"]
    assert run_reader("feed", "remove", "posts", db=db, env=env).returncode == 0
    assert "no feeds yet" in run_reader("feed", "list", db=db, env=env).stdout
    assert len(Library(db)) == 1  # its papers stay


@pytest.mark.slow
def test_failing_feeds_are_reported_and_the_others_go_on(server, db):
    env = env_for(server, READER_FEED_TIMEOUT="0.5")
    server.routes["/busy"] = Route("rss2", status=503, headers={"Retry-After": "3600"})
    server.routes["/broken"] = Route("rss2", raw=b"<?xml version='1.0'?><rss><channel><item><title>x</channel>")
    server.routes["/slow"] = Route("rss2", [Item("Slow Post", link="http://s.example/1")], delay=5)
    server.routes["/good"] = Route("atom", [Item("Good Entry", link="http://g.example/1")])
    server.routes["/entities"] = Route(
        "rss2", raw=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel></channel></rss>'
    )
    subscribe(db, env, {n: server.url("/" + n) for n in ("busy", "broken", "slow", "good", "entities")})
    result = run_reader("fetch", db=db, env=env)
    assert result.returncode == 1
    out = result.stdout
    assert "busy: " in out and "HTTP 503" in out and "asked again after" in out
    assert "broken: the feed is not well-formed XML" in out
    assert "slow: timeout:" in out
    assert "entities: the feed declares XML entities" in out
    assert "good: 1 new" in out
    assert "1 paper arrived from 5 feeds; 4 failed" in out
    assert "Traceback" not in result.stderr
    assert list(titles(db)) == ["Good Entry"]
    # The busy server is not asked again before the time it gave.
    asked = server.hits("/busy")
    again = run_reader("fetch", "busy", db=db, env=env)
    assert server.hits("/busy") == asked
    assert "its server asked us to wait until" in again.stdout
    listed = run_reader("feed", "list", db=db, env=env).stdout
    assert "error: " in listed and "HTTP 503" in listed


@pytest.mark.slow
def test_a_deleted_paper_does_not_come_back(server, db):
    env = env_for(server)
    server.routes["/feed"] = Route("arxiv-rss", [
        Item("Keep Me", arxiv_id="2611.00011"), Item("Delete Me", arxiv_id="2611.00012"),
    ])
    subscribe(db, env, {"daily": server.url("/feed")})
    run_reader("fetch", db=db, env=env)
    library = Library(db)
    gone = next(p for p in library.papers() if p.title == "Delete Me")
    library.delete([gone.id])
    library.add_papers([])  # a later write drops the deleted paper from the files for good
    # The feed changes (a new ETag) and the feed is even followed anew (no memory of its entries).
    server.routes["/feed"].items.append(Item("Brand New", arxiv_id="2611.00013"))
    run_reader("feed", "remove", "daily", db=db, env=env)
    subscribe(db, env, {"daily": server.url("/feed")})
    # The same paper under another title spelling and a version: still the one deleted.
    server.routes["/feed"].items.append(Item("Delete me.", arxiv_id="2611.00012"))
    result = run_reader("fetch", db=db, env=env)
    assert "1 new" in result.stdout and "deleted before" in result.stdout, result.stdout
    assert sorted(titles(db)) == ["Brand New", "Keep Me"]


@pytest.mark.slow
def test_the_first_fetch_is_bounded_by_since(server, db):
    env = env_for(server)
    server.routes["/feed"] = Route("rss2", [
        Item(f"Post {d}", link=f"http://b.example/{d}", days_ago=d) for d in (1, 5, 10, 40)
    ])
    subscribe(db, env, {"blog": server.url("/feed")})
    result = run_reader("fetch", "--since", "20", db=db, env=env)
    assert "3 new, 1 older than the first fetch's bound" in result.stdout
    # Later fetches do not bring back what the first one left out.
    server.routes["/feed"].items.append(Item("Post 0", link="http://b.example/0", days_ago=0))
    run_reader("fetch", db=db, env=env)
    assert sorted(titles(db)) == ["Post 0", "Post 1", "Post 10", "Post 5"]


KILLER = """
import sys
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_kill_during_a_fetch_then_a_fetch_gives_each_paper_once(server, db, tmp_path):
    env = env_for(server)
    feeds = {}
    for k in range(4):
        path = f"/f{k}"
        server.routes[path] = Route("arxiv-rss", [
            Item(f"Paper {k}-{i}", arxiv_id=f"2611.{k:01d}{i:04d}") for i in range(150)
        ] + [Item("Shared By All", arxiv_id="2611.99999")])
        feeds[f"f{k}"] = server.url(path)
    server.routes["/f3"].delay = 30  # the last feed hangs: the kill comes while it is asked
    subscribe(db, env, feeds)
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(db), "fetch"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while server.hits("/f3") == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert server.hits("/f3") == 1
    server.routes["/f3"].delay = 0
    result = run_reader("fetch", db=db, env=env)
    assert result.returncode == 0, result.stderr
    counts = titles(db)
    assert len(counts) == 4 * 150 + 1 and max(counts.values()) == 1


@pytest.mark.slow
def test_kills_at_random_moments_of_a_fetch_never_add_a_paper_twice(server, tmp_path, forker):
    """`reader fetch` is forked from a process that imported reader already
    (helpers/forked.py), so the kill falls at a random moment of the fetch's
    own work: up to a little longer than a whole fetch takes."""
    import random

    rng = random.Random(14)
    env = {**os.environ, **env_for(server)}
    for k in range(3):
        server.routes[f"/r{k}"] = Route("atom", [
            Item(f"Entry {k}-{i}", link=f"http://r.example/{k}/{i}") for i in range(200)
        ])
    feeds = {f"r{k}": server.url(f"/r{k}") for k in range(3)}
    whole = tmp_path / "whole" / "library.json"
    subscribe(whole, env, feeds)
    started = time.monotonic()
    assert forker.run(["--db", str(whole), "fetch"], env=env)[0] == 0
    took = time.monotonic() - started
    for round_ in range(4):
        db = tmp_path / f"round{round_}" / "library.json"
        subscribe(db, env, feeds)
        pid = forker.start("cli", ["--db", str(db), "fetch"], env=env)
        time.sleep(rng.uniform(0, took * 1.1))
        os.kill(pid, signal.SIGKILL)
        forker.wait(pid)
        result = run_reader("fetch", db=db, env=env)
        assert result.returncode == 0, result.stderr
        counts = titles(db)
        assert len(counts) == 600 and max(counts.values()) == 1, round_
