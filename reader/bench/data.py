"""Deterministic synthetic papers, and the BibTeX and trending-page files made of them."""

from __future__ import annotations

import random

from ..core.models import Paper
from ..core.names import Person

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
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
    a few words are everywhere and most are rare."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        weights = [1.0 / (rank + 1) for rank in range(len(self.words))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def text(self, chars: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=chars // WORD_CHARS)
        return " ".join(words)[:chars].rsplit(" ", 1)[0]

    def query_word(self) -> str:
        """A word of middling frequency: the kind of word one filters by."""
        return self.words[QUERY_RANK]


def make_papers(n: int, seed: int = SEED) -> list[Paper]:
    corpus = Corpus(seed)
    rng = corpus.rng
    first = ["Ann", "Bo", "Chen", "Dara", "Eli", "Fumi", "Gus", "Hana", "Ivo", "Jun"]
    papers = []
    for i in range(n):
        title = corpus.text(TITLE_CHARS).title()
        papers.append(
            Paper(
                id=f"p{i:06d}",
                title=f"{title} {i}",
                authors=[
                    Person(family=corpus.words[rng.randrange(SURNAME_WORDS)].title(),
                           given=rng.choice(first))
                    for _ in range(AUTHORS)
                ],
                year=rng.randint(*YEARS),
                venue=rng.choice(["", "NeurIPS", "ICML", "ICLR", "Journal of Machine Learning Research"]),
                abstract=corpus.text(ABSTRACT_CHARS),
                arxiv_id=f"{rng.randint(10, 25):02d}{rng.randint(1, 12):02d}.{i % 100000:05d}"
                if rng.random() < SHARE_ARXIV else "",
                tags=[corpus.words[rng.randrange(TAG_WORDS)]] if rng.random() < SHARE_TAGGED else [],
                notes=corpus.text(NOTE_CHARS) if rng.random() < SHARE_NOTES else "",
                read=rng.random() < SHARE_READ,
                starred=rng.random() < SHARE_STARRED,
            )
        )
    return papers


def bibtex_text(papers: list[Paper]) -> str:
    from ..core.citation import bibtex_many

    for paper in papers:
        paper.entry_type = "article"
    text = bibtex_many(papers)
    # bibtex_many leaves the abstract out of citations; a real .bib keeps it.
    out = []
    for paper, entry in zip(papers, text.split("\n\n"), strict=True):
        body = entry.rstrip().removesuffix("}").rstrip().removesuffix(",")
        out.append(f"{body},\n  abstract = {{{paper.abstract}}}\n}}")
    return "\n\n".join(out) + "\n"


def trending_text(papers: list[Paper]) -> str:
    lines = ["Get trending papers in your email inbox!", "Subscribe"]
    for paper in papers:
        lines += [paper.title, paper.abstract + "."]
    return "\n".join(lines) + "\n"


def copy_paper(paper: Paper) -> Paper:
    return Paper.from_dict(paper.to_dict())
