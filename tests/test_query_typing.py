"""The query as it is typed (`parse_partial`), the words to mark and where
they match (`highlight_terms`, `match_spans`), and the tags with counts."""

from __future__ import annotations

import pytest

from helpers.papers import paper
from reader.core.marks import match_spans
from reader.core.query import highlight_terms, parse_partial, parse_query
from reader.core.tags import tag_counts


def terms(text: str) -> list[tuple[str, object]]:
    return [(t.kind, t.value) for t in parse_partial(text).query.terms]


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("year:", []),
        ("year:2", []),
        ("year:202", []),
        ("year:2023", [("year", (2023, 2023))]),
        ("year:>=20", []),
        ("tag:", []),
        ("tag:rl", [("tag", "rl")]),
        ('"reward', [("word", "reward")]),
        ('"reward mod', [("word", "reward mod")]),
        ("rl is:unr", [("word", "rl")]),
    ],
)
def test_a_query_being_typed_filters_by_what_can_be_understood(text, understood):
    assert terms(text) == understood


@pytest.mark.parametrize(
    ("text", "error", "unfinished"),
    [
        ("rl year:abc", "bad year: year:abc", ""),
        ("rl is:bogus", "unknown value for is: 'bogus'", ""),
        ("year: rl", "empty value for year:", ""),  # not the last term: wrong
        ("year:", "", "empty value for year:"),
        ("year:2019..", "", "bad year: year:2019.."),
        ("is:unr", "", "unknown value for is: 'unr'"),
        ('"reward', "", "unclosed quote"),
        ("tag:rl year:2023", "", ""),
    ],
)
def test_a_term_not_finished_is_told_apart_from_a_wrong_one(text, error, unfinished):
    typed = parse_partial(text)
    assert (typed.error[: len(error)], typed.unfinished[: len(unfinished)]) == (error, unfinished)
    assert bool(typed.error) == bool(error) and bool(typed.unfinished) == bool(unfinished)


def test_a_good_query_is_parsed_as_parse_query_parses_it():
    text = 'tag:rl -survey year:>=2023 "reward model"'
    assert parse_partial(text).query == parse_query(text)


def test_a_short_year_before_a_space_is_a_year():
    assert terms("year:20 ") == [("year", (20, 20))]


def test_the_words_to_mark_are_the_wanted_words_phrases_and_authors():
    query = parse_query('Reward "policy model" -survey tag:rl author:Lee is:unread')
    assert highlight_terms(query) == ["reward", "policy model", "lee"]


def test_match_spans_find_words_as_the_filter_does():
    text = "Réward  Models for REWARD"
    assert [text[a:b] for a, b in match_spans(text, ["reward models", "reward"])] == ["Réward  Models", "REWARD"]
    assert match_spans("Straße", ["strasse"]) == [(0, 6)]
    assert match_spans("nothing here", ["x"]) == []
    assert match_spans("abcabc", ["bc", "ab"]) == [(0, 6)]  # overlapping spans merged


def test_tag_counts_most_used_first():
    papers = [paper(tags=["rl", "survey"]), paper(tags=["rl"]), paper(tags=["RL Agents"])]
    assert tag_counts(papers) == [("rl", 2), ("rl-agents", 1), ("survey", 1)]


async def test_the_tag_suggester_completes_the_last_tag():
    from reader.ui.tag_suggester import TagSuggester

    suggest = TagSuggester(["rl", "rlhf", "survey"]).get_suggestion
    assert await suggest("su") == "survey"
    assert await suggest("survey, r") == "survey, rl"
    assert await suggest("rl, r") == "rl, rlhf"  # rl is there already
    assert await suggest("survey, ") is None
    assert await suggest("x") is None
