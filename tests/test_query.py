"""The query language: what `reader list QUERY` and the live filter show."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.papers import attention, instructgpt
from reader.core.models import Paper
from reader.core.query import Matcher, Query, haystack, parse_query
from reader.core.text import fold
from reader.errors import QueryError


def library() -> list[Paper]:
    return [
        attention(
            venue="NeurIPS",
            abstract="A translation model built from attention layers alone, without recurrence.",
            code_url="https://github.com/tensorflow/tensor2tensor",
            tags=["transformers"],
            read=True,
            starred=True,
        ),
        instructgpt(
            abstract="Fine-tuning a language model on human rankings so that it follows instructions.",
            tags=["RLHF", "deep-learning"],
            notes="Section 3 \u2014 the PPO details; state\u2011of\u2011the\u2011art in l\u2019art.",
        ),
        Paper(
            id="schmidhuber1991uber",
            title="Über die Fähigkeit neuronaler Netze",
            authors=["Jürgen Schmidhuber", "Ludwig van der Berg"],
            year=1991,
            venue="Technische Universität München",
        ),
        Paper(
            id="paccmann",
            title="PaccMann$^{RL}$: De novo generation of hit-like anticancer molecules",
            abstract="We use reinforcement learning.",
            code_url="https://github.com/PaccMann/paccmann_rl",
        ),
        Paper(
            id="lecun1998gradient",
            title="BERT: a title with a colon",
            authors=["Yann LeCun"],
            year=1998,
            doi="10.1109/5.726791",
            venue="Proceedings of the IEEE",
            read=True,
        ),
    ]


def ids(text: str, papers: list[Paper] | None = None) -> list[str]:
    papers = library() if papers is None else papers
    return [p.id for p in Matcher(papers).match(parse_query(text), papers)]


# ---------------------------------------------------------------- words
def test_words_are_case_insensitive_substrings_and_all_must_match():
    assert ids("ATTENTION need") == ["vaswani2017attention"]
    assert ids("atten") == ["vaswani2017attention"]
    assert ids("attention feedback") == []


def test_words_search_title_abstract_authors_venue_tags_and_notes():
    assert ids("recurrence") == ["vaswani2017attention"]  # abstract
    assert ids("shazeer") == ["vaswani2017attention"]  # author
    assert ids("neurips") == ["vaswani2017attention"]  # venue
    assert ids("transformers") == ["vaswani2017attention"]  # tag
    assert ids("ppo") == ["ouyang2022training"]  # notes
    assert ids("1706.03762") == []  # ids are not searched


def test_words_are_accent_insensitive_both_ways():
    assert ids("uber fahigkeit") == ["schmidhuber1991uber"]
    assert ids("Über") == ["schmidhuber1991uber"]
    assert ids("lukasz") == ["vaswani2017attention"]


def test_typographic_dashes_and_quotes_match_what_is_typed():
    assert ids("state-of-the-art") == ["ouyang2022training"]
    assert ids("l'art") == ["ouyang2022training"]
    assert ids('"section 3 - the"') == ["ouyang2022training"]


def test_tex_math_matches_as_written_and_as_shown():
    assert ids("paccmann^rl") == ["paccmann"]
    assert ids("$^{rl}$") == ["paccmann"]


def test_phrases_match_in_order():
    assert ids('"all you need"') == ["vaswani2017attention"]
    assert ids('"need you all"') == []
    assert ids('"  ALL   you  "') == ["vaswani2017attention"]


def test_a_phrase_never_spans_two_fields():
    paper = Paper(id="x", title="Deep", abstract="Learning")
    assert ids('"deep learning"', [paper]) == []


def test_negation_excludes():
    assert ids("-attention -BERT") == ["ouyang2022training", "schmidhuber1991uber", "paccmann"]
    assert ids('-"human feedback" language') == []
    assert ids('-"follow" -"human"') == ids("-follow -human")


def test_a_word_with_an_unknown_key_is_a_plain_word():
    assert ids("bert:") == ["lecun1998gradient"]
    assert ids("foo:bar") == []
    assert parse_query("https://arxiv.org/abs/1").terms[0].kind == "word"


def test_empty_query_matches_everything_and_is_false():
    for text in ("", "   ", "-", '""', '- -""'):
        query = parse_query(text)
        assert not query
        assert ids(text) == [p.id for p in library()]
    assert parse_query("x")
    assert parse_query("x").text == "x"


# ---------------------------------------------------------------- qualifiers
def test_is_qualifiers():
    assert ids("is:read") == ["vaswani2017attention", "lecun1998gradient"]
    assert ids("is:unread") == ids("-is:read")
    assert ids("is:unread") == ["ouyang2022training", "schmidhuber1991uber", "paccmann"]
    assert ids("is:starred") == ["vaswani2017attention"]
    assert len(ids("is:unstarred")) == 4
    assert ids("-is:unread") == ids("is:read")
    assert ids("IS:READ") == ids("is:read")


def test_tag_is_a_whole_tag_ignoring_case():
    assert ids("tag:rlhf") == ["ouyang2022training"]
    assert ids("tag:RLHF") == ["ouyang2022training"]
    assert ids("tag:rl") == []
    assert ids('tag:"Deep Learning"') == ["ouyang2022training"]
    assert ids("-tag:rlhf") == [p.id for p in library() if p.id != "ouyang2022training"]


def test_author_is_part_of_any_author_name():
    assert ids("author:vaswani") == ["vaswani2017attention"]
    assert ids("author:jurgen") == ["schmidhuber1991uber"]
    assert ids('author:"van der"') == ["schmidhuber1991uber"]
    assert ids("author:neurips") == []
    assert ids("author:shazeer author:kaiser") == ["vaswani2017attention"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("year:2017", ["vaswani2017attention"]),
        ("year:>=2017", ["vaswani2017attention", "ouyang2022training"]),
        ("year:>2017", ["ouyang2022training"]),
        ("year:<=1998", ["schmidhuber1991uber", "lecun1998gradient"]),
        ("year:<1998", ["schmidhuber1991uber"]),
        ("year:1991..2017", ["vaswani2017attention", "schmidhuber1991uber", "lecun1998gradient"]),
        ("year:2017..2017", ["vaswani2017attention"]),
        ("-year:1990..2030", ["paccmann"]),
    ],
)
def test_year_qualifiers(text, expected):
    assert ids(text) == expected


def test_has_qualifiers():
    assert ids("has:notes") == ["ouyang2022training"]
    assert ids("has:code") == ["vaswani2017attention", "paccmann"]
    assert ids("has:abstract") == ["vaswani2017attention", "ouyang2022training", "paccmann"]
    assert ids("has:tags") == ["vaswani2017attention", "ouyang2022training"]
    assert ids("has:arxiv") == ["vaswani2017attention", "ouyang2022training"]
    assert ids("has:doi") == ["lecun1998gradient"]
    assert ids("-has:abstract") == ["schmidhuber1991uber", "lecun1998gradient"]


def test_qualifiers_and_words_combine():
    assert ids("is:unread has:arxiv language") == ["ouyang2022training"]
    assert ids("year:>2000 -is:read") == ["ouyang2022training"]


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "text, message",
    [
        ("is:bogus", "unknown value for is: 'bogus' (use read, unread, starred, unstarred or new)"),
        ("has:everything", "unknown value for has: 'everything'"),
        ("year:abc", "bad year: year:abc"),
        ("year:2019..", "bad year: year:2019.."),
        ("year:..2019", "bad year"),
        ("year:20190", "bad year"),
        ("year:2022..2019", "empty year range"),
        ('"abc', 'unclosed quote in query: "abc'),
        ('attention -"all you', "unclosed quote"),
        ('author:"van', "unclosed quote"),
        ("tag:", "empty value for tag:"),
        ("author:", "empty value for author:"),
        ('tag:""', "empty value for tag:"),
        ("is:", "empty value for is:"),
    ],
)
def test_malformed_queries_raise_one_line_query_errors(text, message):
    with pytest.raises(QueryError) as error:
        parse_query(text)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_error_messages_stay_on_one_line_for_multiline_input():
    with pytest.raises(QueryError) as error:
        parse_query('x "abc\n\ndef')
    assert "\n" not in str(error.value)


# ---------------------------------------------------------------- haystack
def test_haystack_is_folded_with_one_field_per_line():
    paper = library()[2]
    lines = haystack(paper).split("\n")
    assert lines[0] == "uber die fahigkeit neuronaler netze"
    assert lines[2] == "jurgen schmidhuber, ludwig van der berg"
    assert lines[3] == "technische universitat munchen"
    assert len(lines) == 6


def test_fold_makes_stroked_letters_and_typographic_dashes_ascii():
    assert fold("Ärger ÉCOLE naïve") == "arger ecole naive"
    assert fold("straße") == "strasse"
    assert fold("Łódź Søren Æsir \u2014") == "lodz soren aesir -"


# ---------------------------------------------------------------- Matcher
def test_matcher_keeps_the_order_of_the_papers_given():
    papers = library()
    matcher = Matcher(papers)
    reverse = list(reversed(papers))
    assert [p.id for p in matcher.match(parse_query("is:unread"), reverse)] == [
        "paccmann",
        "schmidhuber1991uber",
        "ouyang2022training",
    ]
    assert matcher.match(parse_query(""), reverse) == reverse
    assert matcher.match(parse_query(""), papers) == papers
    assert matcher.papers() == papers
    assert len(matcher) == 5


def test_matcher_update_refreshes_text_and_state():
    papers = library()
    matcher = Matcher(papers)
    paper = papers[2]
    assert matcher.match(parse_query("has:notes"), papers) == [papers[1]]
    assert matcher.match(parse_query("glossary"), papers) == []
    paper.notes = "Read with a glossary."
    paper.tags = ["German"]
    paper.read = True
    matcher.update(paper)
    assert matcher.match(parse_query("glossary"), papers) == [paper]
    assert matcher.match(parse_query("tag:german is:read"), papers) == [paper]
    assert paper in matcher.match(parse_query("has:notes"), papers)


def test_matcher_update_adds_and_remove_drops():
    papers = library()
    matcher = Matcher(papers[:2])
    matcher.update(papers[2])
    assert matcher.papers() == papers[:3]
    matcher.remove(papers[2].id)
    assert matcher.papers() == papers[:2]
    matcher.remove("no-such-id")
    assert len(matcher) == 2


def test_matcher_filters_papers_it_was_never_given():
    matcher = Matcher([])
    stranger = library()[0]
    assert matcher.match(parse_query("attention"), [stranger]) == [stranger]
    assert matcher.papers() == []


def test_narrows():
    assert parse_query("transfo").narrows(parse_query("trans"))
    assert parse_query("rl is:unread").narrows(parse_query("rl"))
    assert parse_query('"deep learning"').narrows(parse_query("deep"))
    assert parse_query("-t").narrows(parse_query("-tr"))
    assert not parse_query("-tr").narrows(parse_query("-t"))
    assert not parse_query("trans").narrows(parse_query("transfo"))
    assert not parse_query("year:2020").narrows(parse_query("year:2021"))
    assert parse_query("anything").narrows(Query())


# ---------------------------------------------------------------- properties
_FRAGMENTS = st.sampled_from(
    [" ", "-", '"', ":", "is:", "tag:", "author:", "year:", "has:", "IS:", "read", "unread",
     "starred", "notes", "code", "rlhf", "2017", "..", ">=", "<", "1991", "attention", "need",
     "ü", "u\u0308", "´", "$", "^{rl}", "\u2014", "l\u2019art", "van der", "ß", "\n", "x"]
)  # fmt: skip
_QUERIES = st.one_of(st.text(max_size=30), st.lists(_FRAGMENTS, max_size=8).map("".join))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_QUERIES)
def test_any_text_parses_or_raises_query_error(text):
    try:
        query = parse_query(text)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
        return
    papers = library()
    hits = Matcher(papers).match(query, papers)
    assert hits == [p for p in papers if p in hits]  # in the papers' order, each once
    if not query:
        assert hits == papers


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(st.lists(_QUERIES, min_size=1, max_size=6))
def test_a_matcher_reused_across_queries_agrees_with_a_fresh_one(texts):
    papers = library()
    subset = papers[::-1][:4]
    matcher = Matcher(papers)
    for n, text in enumerate(texts):
        for end in range(len(text) + 1):  # each keystroke
            try:
                query = parse_query(text[:end])
            except QueryError:
                continue
            view = subset if n % 2 else papers  # the UI's own order, or all papers
            expected = Matcher().match(query, view)
            assert matcher.match(query, view) == expected
