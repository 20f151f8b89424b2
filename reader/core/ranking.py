"""The "for you" order: unread papers closest to the ones the user starred.

The papers the user starred, or read and wrote notes on, are the profile.
Each paper's title (twice) and the start of its abstract are its words;
a profile paper becomes a TF-IDF vector of unit length (sublinear term
frequency, smoothed inverse document frequency over the profile and the
candidates), keeping its `PROFILE_TERMS` heaviest terms; words in more than
`COMMON_SHARE` of the papers are left out (they tell nothing apart). A
candidate's score is its similarity to the profile's mean: the sum over
the words it shares with the mean, over the square root of its length in
words (BM25's measure of a document). The reason shown ("close to:
<title>") is the profile paper it is closest to, found through an inverted
index of the profile's terms for the `EXPLAINED` best, the rest on asking.

Plain Python: a 10k-paper library ranks in about 0.4 s (see `reader.bench`),
nothing kept from one ranking to the next. Most of the time goes to cutting
the texts into words and hashing them, which numpy or scikit-learn would do
in Python too (they would add tens of megabytes for the arithmetic, which is
the small part). So words are UTF-8 bytes (they split twice as fast as
text), each candidate's words are cut once, only the profile's words among
them counted, scored and let go of (memory stays flat at 100k), and
how many papers hold a word (its idf) is counted over the profile and at
most `DF_SAMPLE` candidates, evenly spread: past a few thousand papers the
idf of a word that matters barely moves. With fewer than `MIN_PROFILE`
papers in the profile there is nothing to learn from: the order falls back
to newest first.
"""

from __future__ import annotations

import heapq
import math
import string
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import mul

from .models import Paper
from .storage import no_gc

MIN_PROFILE = 3
#: Characters of the abstract read (its opening says what the paper is about).
ABSTRACT_CHARS = 800
#: Terms kept of each profile paper, and the share of papers above which a word is too common.
PROFILE_TERMS = 60
COMMON_SHARE = 0.2
#: Papers (profile and candidates) from which too common words are left out.
PRUNE_FROM = 200
#: Candidates whose words are counted for the words' document frequencies at
#: most: past it, an even sample of them (the idf of a word barely moves).
DF_SAMPLE = 1000
#: Profile papers learnt from at most (the newest): tastes move.
MAX_PROFILE = 200
#: Terms of the profile's mean kept (its heaviest).
CENTROID_TERMS = 600
#: 1 + log(count), looked up: counts are kept below `_LOG1_SIZE` (`term_counts`).
_LOG1_SIZE = 1024
_LOG1 = [0.0] + [1.0 + math.log(c) for c in range(1, _LOG1_SIZE)]


#: The best candidates whose closest profile paper is found at once.
EXPLAINED = 50
#: ASCII punctuation but hyphens, as spaces. Applied to the UTF-8 bytes: a
#: `bytes.translate` is a table lookup, where `str.translate` of a text with
#: one non-ASCII character costs ten times as much.
_PUNCTUATION = bytes.maketrans(string.punctuation.replace("-", "").encode(), b" " * (len(string.punctuation) - 1))
STOPWORDS = frozenset(
    word.encode()
    for word in """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having here how however i if in into is it its itself just may more most much must
    new no nor not now of off on once one only or other our out over own paper propose proposed same
    show shows should so some such than that the their them then there these they this those through
    to too two under until up upon use used using very via was we were what when where which while
    who whom why will with within without would yet you your our results based approach method methods
    """.split()
)
_STOPWORDS = set(STOPWORDS)


#: A word: UTF-8 bytes, which split twice as fast as a text (see `_split`).
Word = bytes

#: A paper's abstract, read from where it is kept.
AbstractOf = Callable[[Paper], str]


def in_profile(paper: Paper) -> bool:
    return paper.starred or (paper.read and bool(paper.notes.strip()))


def term_counts(paper: Paper, abstract: str | None = None) -> Counter[Word]:
    """The words of the title (twice: it says most) and of the abstract's
    opening (`abstract`, where the paper does not hold its own)."""
    counts = Counter(_split(paper.title, paper.abstract if abstract is None else abstract))
    for word in _STOPWORDS.intersection(counts):  # walks the paper's words, not the list
        del counts[word]
    if counts and max(counts.values()) >= _LOG1_SIZE:  # a title of one word a thousand times
        for word, count in counts.items():
            counts[word] = min(count, _LOG1_SIZE - 1)
    return counts


@dataclass
class Ranking:
    #: the candidates, best first (unread ones ranked, then the rest as they were)
    ordered: list[Paper]
    #: paper id -> the title of the profile paper it is closest to
    close_to: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    profile: int = 0
    model: _Profile | None = None
    #: Where the papers' abstracts come from, when the papers do not hold them.
    abstract_of: AbstractOf | None = None

    @property
    def enough(self) -> bool:
        return self.profile >= MIN_PROFILE

    def reason(self, paper: Paper) -> str:
        """What the details pane says of `paper` in this order."""
        if not self.enough:
            return (f"for you needs {MIN_PROFILE} starred papers (you have {self.profile}): "
                    "newest first until then")
        if paper.id not in self.close_to and paper.id in self.scores:
            self.explain(paper)
        title = self.close_to.get(paper.id)
        return f"close to: {title}" if title else ""

    def explain(self, paper: Paper) -> None:
        """Find the profile paper `paper` is closest to (quick: one paper)."""
        if self.model is None:
            return
        j = self.model.closest(self.model.weights(_counts(paper, self.abstract_of)))
        self.close_to[paper.id] = self.model.papers[j].title if j is not None else ""


class _Profile:
    """The profile as TF-IDF: its mean direction (scores) and an inverted
    index of each paper's heaviest terms (which paper a candidate is closest to)."""

    def __init__(self, papers: list[Paper], counts: list[Counter[Word]], idf: dict[Word, float]) -> None:
        self.papers = papers
        self.idf = idf
        self.centroid: dict[Word, float] = {}
        self.index: dict[Word, list[tuple[int, float]]] = {}
        for j, paper_counts in enumerate(counts):
            weights = {t: _LOG1[c] * idf[t] for t, c in paper_counts.items() if t in idf}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for t in heapq.nlargest(PROFILE_TERMS, weights, key=weights.__getitem__):
                w = weights[t] / norm
                self.index.setdefault(t, []).append((j, w))
                self.centroid[t] = self.centroid.get(t, 0.0) + w / len(counts)
        kept = heapq.nlargest(CENTROID_TERMS, self.centroid, key=self.centroid.__getitem__)
        self.centroid = {t: self.centroid[t] for t in kept}
        self.index = {t: self.index[t] for t in kept}
        #: A candidate's term weighs (1 + log count) * idf: this is idf * the mean's weight.
        self.scale = {t: idf[t] * w for t, w in self.centroid.items()}
        self.terms = set(self.scale)

    def score(self, words: list[Word]) -> float:
        """Similarity to the profile's mean, over the square root of the
        candidate's length in words (as BM25 measures a document: stop words
        in, the same few for every paper). Only the profile's words are
        counted: most of a paper's are not."""
        counts = Counter(filter(self.terms.__contains__, words))
        if not counts:
            return 0.0
        tf = list(counts.values())
        if max(tf) >= _LOG1_SIZE:  # a title of one word a thousand times
            tf = [min(c, _LOG1_SIZE - 1) for c in tf]
        # sum of log weight * scale, term by term, all in C
        total = sum(map(mul, map(_LOG1.__getitem__, tf), map(self.scale.__getitem__, counts)))
        return total / math.sqrt(len(words))

    def weights(self, counts: Counter[Word]) -> dict[Word, float]:
        """A candidate's weights of the profile's terms (unscaled by its
        length, which changes no paper's closest)."""
        return {t: _LOG1[counts[t]] * self.idf[t] for t in counts.keys() & self.index.keys()}

    def closest(self, weights: dict[Word, float]) -> int | None:
        sims: dict[int, float] = {}
        for t, w in weights.items():
            for j, pw in self.index[t]:
                sims[j] = sims.get(j, 0.0) + w * pw
        return max(sims, key=sims.__getitem__) if sims else None


def _split(title: str, abstract: str) -> list[Word]:
    """The words of the title, twice, and of the abstract's opening."""
    text = f"{title} {title} {abstract[:ABSTRACT_CHARS]}".lower()
    if not text.isascii():
        text = " ".join(text.split())  # spaces beyond ASCII's (no-break, thin…) part words too
    return text.encode("utf-8", "surrogatepass").translate(_PUNCTUATION).split()


def _words(paper: Paper, abstract_of: AbstractOf | None) -> list[Word]:
    """A candidate's words, stop words still in (never a term of the
    profile: they cost nothing to leave)."""
    return _split(paper.title, paper.abstract if abstract_of is None else abstract_of(paper))


def _counts(paper: Paper, abstract_of: AbstractOf | None = None) -> Counter[Word]:
    abstract = None if abstract_of is None else abstract_of(paper)
    return term_counts(paper, abstract)


def rank_for_you(
    library: Iterable[Paper], candidates: Sequence[Paper], abstract_of: AbstractOf | None = None
) -> Ranking:
    """`candidates` in the for-you order, judged against the profile in `library`:
    scored by similarity to the profile's mean, each said to be close to the
    profile paper it is most like (for the `EXPLAINED` best; the rest on asking)."""
    everyone = [p for p in library if in_profile(p)]
    if len(everyone) < MIN_PROFILE:
        return Ranking(list(candidates), profile=len(everyone))
    profile = sorted(everyone, key=lambda p: p.added, reverse=True)[:MAX_PROFILE]
    mine = {p.id for p in profile}
    unread = [p for p in candidates if not p.read and p.id not in mine]
    profile_counts = [_counts(p, abstract_of) for p in profile]
    with no_gc():  # many small counts, no cycle among them
        # Document frequencies of the profile's words, over the profile and
        # the candidates (a sample of them, evenly spread, past `DF_SAMPLE`).
        step = -(-len(unread) // DF_SAMPLE) if unread else 1
        sample = {i: _words(unread[i], abstract_of) for i in range(0, len(unread), step)}
        df = Counter(chain.from_iterable(profile_counts))
        seen = Counter(chain.from_iterable(map(set, sample.values())))
        for t in df:
            df[t] += seen.get(t, 0)
        n = len(profile_counts) + len(sample)
        common = COMMON_SHARE * n if n >= PRUNE_FROM else float(n)  # a small library: idf is enough
        idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items() if d <= common}
        model = _Profile(profile, profile_counts, idf)
        ranking = Ranking([], profile=len(everyone), model=model, abstract_of=abstract_of)
        scored: list[tuple[float, int, Paper]] = []
        for order, paper in enumerate(unread):
            words = sample.pop(order, None) or _words(paper, abstract_of)
            score = model.score(words)
            ranking.scores[paper.id] = score
            scored.append((-score, order, paper))
    scored.sort()  # by score, then the candidates' order (unique: papers are never compared)
    for _, _, paper in scored[:EXPLAINED]:
        ranking.explain(paper)
    ranked = {p.id for p in unread}
    ranking.ordered = [p for _, _, p in scored] + [p for p in candidates if p.id not in ranked]
    return ranking
