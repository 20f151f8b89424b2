"""The for-you order and the weekly stats, on libraries of our own making."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from conftest import run_reader
from helpers.papers import paper
from reader.core.library import Library
from reader.core.ranking import rank_for_you
from reader.core.stats import sparkline, weekly_stats

PROTEINS = [
    ("Protein folding with attention over residue pairs", "We predict protein structure from residue contacts."),
    ("Residue contact maps for protein structure", "Contact maps of residues guide protein folding models."),
    ("Folding proteins by diffusion over backbones", "A diffusion model generates protein backbones that fold."),
]
UNREAD_PROTEIN = [
    ("Backbone diffusion for protein design", "We design protein backbones with diffusion; residues fold."),
    ("Predicting residue contacts in membrane proteins", "Residue contact prediction for protein folding."),
]
UNREAD_OTHER = [
    ("Auction theory for ad markets", "Bidders in second price auctions and market design."),
    ("Compilers for tensor programs", "Loop scheduling and code generation for accelerators."),
    ("A survey of bird migration", "Birds migrate along coasts in the autumn."),
]


def library_of(db, starred: int = 3) -> Library:
    library = Library(db)
    papers = [paper(t, abstract=a) for t, a in UNREAD_OTHER[:2] + UNREAD_PROTEIN + UNREAD_OTHER[2:]]
    papers += [paper(t, abstract=a) for t, a in PROTEINS]
    library.add_papers(papers)
    ids = {p.title: p.id for p in library.papers()}
    library.set_starred([ids[t] for t, _ in PROTEINS[:starred]], True)
    return library


def test_unread_papers_on_the_starred_topic_rank_first(db):
    library = library_of(db)
    papers = library.papers()
    ranking = rank_for_you(papers, papers)
    unread = [p.title for p in ranking.ordered if not p.starred]
    assert set(unread[:2]) == {t for t, _ in UNREAD_PROTEIN}
    assert set(unread[2:]) == {t for t, _ in UNREAD_OTHER}
    first = ranking.ordered[0]
    assert ranking.reason(first).startswith("close to: ")
    assert ranking.reason(first)[len("close to: "):] in {t for t, _ in PROTEINS}
    assert all(p.starred for p in ranking.ordered[-3:])  # the profile itself comes last


def test_for_you_needs_three_starred_papers(db):
    library = library_of(db, starred=2)
    papers = library.papers()
    ranking = rank_for_you(papers, papers)
    assert not ranking.enough
    assert ranking.ordered == papers  # newest first
    assert ranking.reason(papers[0]).startswith("for you needs 3 starred papers (you have 2)")


def test_for_you_in_the_command_line(db):
    library_of(db)
    for args in (("list", "--sort", "for-you", "--json"), ("list", "sort:for-you", "--json")):
        result = run_reader(*args, db=db)
        assert result.returncode == 0, result.stderr
        titles = [p["title"] for p in json.loads(result.stdout)]
        assert set(titles[:2]) == {t for t, _ in UNREAD_PROTEIN}
    result = run_reader("list", "sort:random", db=db)
    assert result.returncode == 2 and "unknown value for sort" in result.stderr
    few = db.with_name("few.json")
    library_of(few, starred=1)
    result = run_reader("list", "--sort", "for-you", db=few)
    assert result.returncode == 0 and "for you needs 3 starred papers (you have 1)" in result.stderr


def test_weekly_stats_and_the_backlog():
    now = datetime(2026, 6, 1, tzinfo=UTC)

    def at(days: float) -> str:
        return (now - timedelta(days=days)).isoformat()

    papers = [
        paper("old unread", added=at(200)),
        paper("old read", added=at(200), read=True, read_at=at(150)),
        paper("arrived 3 weeks ago, read last week", added=at(20), read=True, read_at=at(5), starred=True,
              tags=["feed:lg", "rl"]),
        paper("arrived this week", added=at(1), tags=["feed:lg"]),
    ]
    stats = weekly_stats(papers, weeks=4, now=now)
    assert stats.arrived == [0, 1, 0, 1]
    assert stats.read == [0, 0, 0, 1]
    assert stats.starred == [0, 1, 0, 0]
    assert stats.backlog == [1, 2, 2, 2]
    assert stats.per_feed == {"feed:lg": [0, 1, 0, 1]}
    assert stats.per_tag == {"rl": [0, 1, 0, 0]}
    assert sparkline([0, 1, 2, 4]) == "▁▃▅█"


def test_stats_command(db):
    library_of(db)
    result = run_reader("stats", "--weeks", "4", db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("arrived") and line.rstrip().endswith("8 in all") for line in lines)
    assert any(line.startswith("unread backlog") and "8 now" in line for line in lines)
    assert run_reader("stats", "--weeks", "0", db=db).returncode == 1


def test_the_ranking_follows_a_star_a_read_and_a_new_paper(db):
    library = library_of(db)
    papers = library.papers()
    before = rank_for_you(papers, papers)
    ids = {p.title: p.id for p in papers}
    assert {p.title for p in before.ordered[:2]} == {t for t, _ in UNREAD_PROTEIN}
    library.set_starred([ids[UNREAD_PROTEIN[0][0]]], True)
    library.set_read([ids[UNREAD_OTHER[0][0]]], True)
    library.add_papers([paper("Protein folding of membrane residues", abstract="Residues fold in membranes.")])
    papers = library.papers()
    again = rank_for_you(papers, papers)
    assert {p.title for p in again.ordered[:2]} == {UNREAD_PROTEIN[1][0], "Protein folding of membrane residues"}
    assert again.reason(again.ordered[0]).startswith("close to: ")
    assert UNREAD_PROTEIN[0][0] in {p.title for p in again.ordered[-4:]}  # starred now: with the profile


def test_a_large_library_counts_word_frequencies_over_a_sample_and_ranks_alike(db, monkeypatch):
    """Past `DF_SAMPLE` candidates the idf comes from an even sample of them:
    on the topic library with a sample of two, the topic still ranks first."""
    from reader.core import ranking as ranking_module

    papers = library_of(db).papers()
    whole = rank_for_you(papers, papers)
    monkeypatch.setattr(ranking_module, "DF_SAMPLE", 2)
    sampled = rank_for_you(papers, papers)
    assert {p.title for p in sampled.ordered[:2]} == {t for t, _ in UNREAD_PROTEIN}
    assert {p.title for p in sampled.ordered[2:5]} == {t for t, _ in UNREAD_OTHER}
    assert sampled.scores != whole.scores  # the idf did come from the sample


def test_accented_words_and_odd_characters_rank_by_their_words():
    """Words with accents are words like any other (the text is cut into
    words as UTF-8 bytes), no-break and thin spaces part words as spaces do,
    and a title with a lone surrogate or a control character (which no
    library stores, but a paper in memory may hold) ranks without an error."""
    starred = [
        ("Schrödinger bridges for générative modèles", "Schrödinger bridges couple générative modèles."),
        ("Entropic Schrödinger bridges, solved fast", "We solve Schrödinger bridges with entropic couplings."),
        ("Modèles génératives by bridges", "Bridges between modèles génératives — and their couplings."),
    ]
    unread = [
        ("Faster Schrödinger bridges", "Schrödinger bridges for modèles, générative and fast."),
        ("Bridges\u00a0of\u00a0Schrödinger,\u2009générative", "Entropic\u00a0couplings."),
        ("Auction design \ud800 for markets\x00", "Bidders and markets."),
        ("Bird migration along coasts", "Birds migrate in the autumn: “coastal” routes."),
    ]
    papers = [paper(t, id=f"u{i}", abstract=a) for i, (t, a) in enumerate(unread)]
    papers += [paper(t, id=f"s{i}", abstract=a, starred=True) for i, (t, a) in enumerate(starred)]
    ranking = rank_for_you(papers, papers)
    assert ranking.ordered[0].title == "Faster Schrödinger bridges"
    assert ranking.scores["u0"] > 0
    assert ranking.reason(ranking.ordered[0]).startswith("close to: ")
    assert ranking.ordered[1].title.startswith("Bridges\u00a0of") and ranking.scores["u1"] > 0
    assert {p.title for p in ranking.ordered[2:4]} == {t for t, _ in unread[2:]}
