"""Deterministic synthetic papers, and the BibTeX and trending-page files made of them."""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..core.models import Paper
from ..core.names import Person

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 7
#: Words in the synthetic vocabulary.
VOCABULARY = 30_000
#: Average characters in a word and the space after it.
WORD_CHARS = 5
TITLE_CHARS = 78
ABSTRACT_CHARS = 1500
NOTE_CHARS = 300
AUTHORS = 5
#: The rank of the word a filter is measured with: of middling frequency.
QUERY_RANK = 400
#: Author surnames and tags are drawn from the most frequent words.
SURNAME_WORDS = 5000
TAG_WORDS = 50
YEARS = (1990, 2025)
SHARE_ARXIV = 0.6
SHARE_TAGGED = 0.1
SHARE_NOTES = 0.05
SHARE_READ = 0.3
SHARE_STARRED = 0.08
#: Words drawn once, of which every text is a run.
POOL_WORDS = 1 << 20

def _vocabulary(rng: random.Random, size: int = VOCABULARY) -> list[str]:
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["qu", "th", "st", "tr"]
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Corpus:
    """Words drawn with Zipf's law from a fixed vocabulary: like real text,
    a few words are everywhere and most are rare. The words are drawn once,
    into a pool; a text is a run of the pool from a random place, so that a
    million abstracts take seconds to make."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        cumulative, total = [], 0.0
        for rank in range(len(self.words)):
            total += 1.0 / (rank + 1)
            cumulative.append(total)
        pool = self.rng.choices(self.words, cum_weights=cumulative, k=POOL_WORDS)
        self.longest = ABSTRACT_CHARS // WORD_CHARS
        self.pool = pool + pool[: self.longest]

    def text(self, chars: int) -> str:
        start = self.rng.randrange(POOL_WORDS)
        words = self.pool[start : start + chars // WORD_CHARS]
        return " ".join(words)[:chars].rsplit(" ", 1)[0]

    def query_word(self) -> str:
        """A word of middling frequency: the kind of word one filters by."""
        return self.words[QUERY_RANK]


FIRST_NAMES = ("Ann", "Bo", "Chen", "Dara", "Eli", "Fumi", "Gus", "Hana", "Ivo", "Jun")
VENUES = ("", "NeurIPS", "ICML", "ICLR", "Journal of Machine Learning Research")


def iter_papers(n: int, seed: int = SEED) -> Iterator[Paper]:
    """The `n` papers one at a time (nothing is kept: a million take little memory)."""
    corpus = Corpus(seed)
    rng, words = corpus.rng, corpus.words
    for i in range(n):
        title = corpus.text(TITLE_CHARS).title()
        yield Paper(
            id=f"p{i:06d}",
            title=f"{title} {i}",
            authors=[
                Person(family=words[rng.randrange(SURNAME_WORDS)].title(), given=rng.choice(FIRST_NAMES))
                for _ in range(AUTHORS)
            ],
            year=rng.randint(*YEARS),
            venue=rng.choice(VENUES),
            abstract=corpus.text(ABSTRACT_CHARS),
            arxiv_id=f"{rng.randint(10, 25):02d}{rng.randint(1, 12):02d}.{i % 100000:05d}"
            if rng.random() < SHARE_ARXIV else "",
            tags=[words[rng.randrange(TAG_WORDS)]] if rng.random() < SHARE_TAGGED else [],
            notes=corpus.text(NOTE_CHARS) if rng.random() < SHARE_NOTES else "",
            read=rng.random() < SHARE_READ,
            starred=rng.random() < SHARE_STARRED,
        )


def make_papers(n: int, seed: int = SEED) -> list[Paper]:
    return list(iter_papers(n, seed))


def bibtex_entry(paper: Paper) -> str:
    """A paper as the BibTeX entry reader's export writes for it (the synthetic
    text has no character BibTeX must escape, so it is written as it is)."""
    authors = " and ".join(f"{a.family}, {a.given}" for a in paper.authors)
    fields = [("author", authors), ("title", paper.title)]
    if paper.venue:
        fields.append(("journal", paper.venue))
    fields.append(("year", str(paper.year)))
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
    fields.append(("abstract", paper.abstract))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{paper.id},\n{body}\n}}\n"


def trending_entry(paper: Paper) -> str:
    return f"{paper.title}\n{paper.abstract}.\n"


TRENDING_HEAD = "Get trending papers in your email inbox!\nSubscribe\n"


def bibtex_text(papers: Iterable[Paper]) -> str:
    return "\n".join(bibtex_entry(p) for p in papers)


def trending_text(papers: Iterable[Paper]) -> str:
    return TRENDING_HEAD + "".join(trending_entry(p) for p in papers)


def write_files(papers: Iterable[Paper], bib: Path | None, trending: Path) -> None:
    """The papers as a BibTeX file and a trending-page text, written as they come."""
    with contextlib.ExitStack() as files:
        out_bib = files.enter_context(bib.open("w", encoding="utf-8")) if bib else None
        out_trending = files.enter_context(trending.open("w", encoding="utf-8"))
        out_trending.write(TRENDING_HEAD)
        for i, paper in enumerate(papers):
            if out_bib:
                out_bib.write(("\n" if i else "") + bibtex_entry(paper))
            out_trending.write(trending_entry(paper))


def copy_paper(paper: Paper) -> Paper:
    return Paper.from_dict(paper.to_dict())
