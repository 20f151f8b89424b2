"""Citations: what a user pastes into a paper, a bibliography or their notes."""

from __future__ import annotations

import re

import bibtexparser
import pytest
from bibtexparser.middlewares.names import split_multiple_persons_names
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.papers import attention, instructgpt, lenet, minirag
from reader.core.citation import FORMATS, bibtex_entry, bibtex_many, cite
from reader.core.importers.bibtex import parse_bibtex
from reader.core.models import Paper
from reader.core.text import clean_text
from reader.errors import ReaderError


def journal() -> Paper:
    return lenet(authors=["Yann LeCun", "Léon Bottou", "Yoshua Bengio", "Patrick Haffner"])


def conference() -> Paper:
    return attention(
        authors=[
            "Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit",
            "Llion Jones", "Aidan N. Gomez", "Łukasz Kaiser", "Illia Polosukhin",
        ],  # fmt: skip
        code_url="https://github.com/tensorflow/tensor2tensor",
    )


def preprint() -> Paper:
    return instructgpt()


def title_only() -> Paper:
    return Paper(id="lost2020", title="A Paper Known Only by Its Title")


def trending() -> Paper:
    return minirag()


CASES = [journal, conference, preprint, title_only, trending]


# ---------------------------------------------------------------- helpers
_UNESCAPE = {
    r"{\textbackslash}": "\\",
    r"{\textbraceleft}": "{",
    r"{\textbraceright}": "}",
    r"{\textasciitilde}": "~",
    r"{\textasciicircum}": "^",
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}


def decode(value: str) -> str:
    """Undo our escaping and drop protective braces, keeping `{$math$}` as `$math$`."""
    out, i = [], 0
    while i < len(value):
        for code, char in _UNESCAPE.items():
            if value.startswith(code, i):
                out.append(char)
                i += len(code)
                break
        else:
            if value.startswith("{$", i):
                end = value.index("$}", i + 2)
                out.append(value[i + 1 : end + 1])
                i = end + 2
            elif value[i] in "{}":
                i += 1
            else:
                out.append(value[i])
                i += 1
    return "".join(out)


def parse(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: {"@type": e.entry_type, **{f.key: f.value for f in e.fields}} for e in library.entries}


def only(paper: Paper) -> dict[str, str]:
    entries = parse(bibtex_entry(paper))
    assert list(entries) == [paper.id]
    return entries[paper.id]


def squash(text: str) -> str:
    """What a title becomes in a citation: white space folded, control
    characters and escape sequences gone."""
    return clean_text(text)


# ---------------------------------------------------------------- BibTeX
def test_journal_article():
    entry = only(journal())
    assert entry["@type"] == "article"
    assert entry["journal"] == "Proceedings of the IEEE"
    assert entry["author"] == "LeCun, Yann and Bottou, Léon and Bengio, Yoshua and Haffner, Patrick"
    assert entry["year"] == "1998"
    assert entry["volume"] == "86" and entry["number"] == "11"
    assert entry["pages"] == "2278-2324"  # as the source gave it
    assert entry["publisher"] == "IEEE"
    assert entry["doi"] == "10.1109/5.726791"
    assert decode(entry["title"]) == journal().title


def test_conference_paper_is_inproceedings_with_booktitle_and_eprint():
    entry = only(conference())
    assert entry["@type"] == "inproceedings"
    assert entry["booktitle"] == "Advances in Neural Information Processing Systems"
    assert "journal" not in entry
    assert entry["eprint"] == "1706.03762"
    assert entry["url"] == conference().url
    assert "note" not in entry  # code links are for entries without a venue
    assert list(entry)[1:5] == ["author", "title", "booktitle", "year"]


def test_arxiv_only_paper_is_misc_with_eprint_fields():
    text = bibtex_entry(preprint())
    assert text.startswith("@misc{ouyang2022training,\n")
    entry = only(preprint())
    assert entry["eprint"] == "2203.02155"
    assert entry["archivePrefix"] == "arXiv"
    assert entry["primaryClass"] == "cs.LG"
    assert "url" not in entry  # the eprint is the link: nothing is made up
    assert "journal" not in entry and "howpublished" not in entry


def test_arxiv_as_venue_does_not_make_a_journal():
    paper = preprint()
    paper.venue = "arXiv preprint arXiv:2203.02155"
    entry = only(paper)
    assert entry["@type"] == "misc"
    assert "howpublished" not in entry and "journal" not in entry


def test_title_only_paper_is_a_misc_with_its_title():
    assert bibtex_entry(title_only()) == (
        "@misc{lost2020,\n  title = {A Paper Known Only by Its Title}\n}"
    )


def test_trending_list_paper_gets_a_code_note():
    entry = only(trending())
    assert entry["@type"] == "misc"
    assert entry["note"] == r"Code: \url{https://github.com/HKUDS/MiniRAG}"
    assert entry["code"] == "https://github.com/HKUDS/MiniRAG"
    assert set(entry) == {"@type", "title", "note", "code", "abstract"}
    paper = trending()
    paper.url = "https://huggingface.co/papers/2501.06713"
    entry = only(paper)
    assert entry["url"] == paper.url


def test_empty_paper_is_still_a_valid_entry():
    assert only(Paper(id="blank")) == {"@type": "misc"}


def test_entry_type_from_the_paper_wins():
    paper = journal()
    paper.entry_type = "book"
    paper.extra = {}
    entry = only(paper)
    assert entry["@type"] == "book"
    assert entry["publisher"] == "Proceedings of the IEEE"


@pytest.mark.parametrize(
    "venue, kind",
    [
        ("ICML Workshop on Foundation Models", "inproceedings"),
        ("Proceedings of the 40th International Conference on Machine Learning", "inproceedings"),
        ("NeurIPS", "inproceedings"),
        ("Findings of the Association for Computational Linguistics: EMNLP 2023", "inproceedings"),
        ("Transactions on Machine Learning Research", "article"),
        ("Proceedings of the IEEE", "article"),
        ("Proceedings of the National Academy of Sciences", "article"),
        ("Journal of Machine Learning Research", "article"),
        ("Nature", "article"),
    ],
)
def test_entry_type_from_the_venue(venue, kind):
    entry = only(Paper(id="w", title="T", venue=venue, year=2023))
    assert entry["@type"] == kind
    assert entry["booktitle" if kind == "inproceedings" else "journal"] == venue


def test_acronyms_and_camel_case_are_protected_but_title_words_are_not():
    paper = Paper(
        id="p", title="Secrets of RLHF in Large Language Models: PaccMann, GPT-4 and Q-Learning"
    )
    title = only(paper)["title"]
    assert title == (
        "Secrets of {RLHF} in Large Language Models: {PaccMann}, {GPT}-4 and {Q}-Learning"
    )
    assert "{A}" not in only(Paper(id="a", title="A Survey"))["title"]


def test_tex_math_in_titles_is_kept_and_protected():
    paper = Paper(id="p", title="PaccMann$^{RL}$: De novo generation with $\\mathcal{O}(n)$ cost")
    title = only(paper)["title"]
    assert "{$^{RL}$}" in title and "{$\\mathcal{O}(n)$}" in title
    assert decode(title) == paper.title


def test_special_characters_are_escaped():
    paper = Paper(id="p", title="50% of R&D uses snake_case #1 at ~$5 cost^2")
    title = only(paper)["title"]
    assert title == (
        r"50\% of {R}\&{D} uses snake\_case \#1 at {\textasciitilde}\$5 cost{\textasciicircum}2"
    )


HOSTILE = [
    "Unbalanced { brace",
    "Unbalanced } brace",
    "}{ reversed",
    "Empty {} braces and {nested {deep}}",
    r"Back\slash \emph{not a command} and trailing \\",
    "Percent 100% & ampersand",
    "Under_score and #hash and $ lone dollar",
    "Tilde ~ and caret ^",
    "Math $x_{i}^{2}$ and bad math $a{$ and $% comment$",
    "Unicode: Über, 中文, naïve, Łukasz, emoji 🙂",
    '"Quoted" title with @ at sign, comma, and = equals',
    "@misc{injection, title={x}}",
    "Line\nbreaks\tand   spaces",
    "Ends with a backslash \\",
    "$$ double dollars $$ and $ $",
    "A private-use \ue000 character -- kept, beside a dash",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_reparse_and_round_trip(title):
    entry = only(Paper(id="hostile", title=title, authors=["Ann Smith"], year=2024))
    assert decode(entry["title"]) == squash(title)
    assert entry["year"] == "2024"


def test_many_hostile_entries_reparse_together():
    papers = [Paper(id=f"h{i}", title=t, year=2000 + i) for i, t in enumerate(HOSTILE)]
    papers += [case() for case in CASES]
    entries = parse(bibtex_many(papers))
    assert list(entries) == [p.id for p in papers]
    for paper in papers:
        assert decode(entries[paper.id]["title"]) == squash(paper.title)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    title=st.text(min_size=1, max_size=60),
    authors=st.lists(st.text(min_size=1, max_size=20), max_size=4),
    year=st.none() | st.integers(min_value=0, max_value=9999),
)
def test_any_title_authors_and_year_round_trip(title, authors, year):
    authors = [clean_text(a) for a in authors]  # as every importer gives them
    paper = Paper(id="any2024key", title=title, authors=authors, year=year)
    entry = only(paper)
    assert entry.get("year") == (None if year is None else str(year))
    back = parse_bibtex(bibtex_entry(paper)).papers
    if not clean_text(title):
        return
    assert back[0].title == clean_text(title)
    assert back[0].authors == [a for a in paper.authors if a]


def test_authors_with_and_in_their_name_stay_one_author():
    paper = Paper(id="p", title="T", authors=["Johnson and Johnson", "Ann Smith", "Smith, Jr., John"])
    author = only(paper)["author"]
    assert author == "{Johnson and Johnson} and Smith, Ann and Smith, Jr., John"
    assert split_multiple_persons_names(author) == [
        "{Johnson and Johnson}", "Smith, Ann", "Smith, Jr., John"
    ]


def test_urls_are_verbatim_in_url_fields_and_escaped_inside_url_commands():
    paper = Paper(
        id="p",
        title="T",
        url="https://example.org/a%20b?q=1#frag",
        code_url="https://github.com/o/r#readme",
    )
    entry = only(paper)
    assert entry["url"] == "https://example.org/a%20b?q=1#frag"
    assert entry["note"] == r"Code: \url{https://github.com/o/r\#readme}"
    braces = only(Paper(id="q", title="T", url="https://x.org/{a} b\\c"))
    assert braces["url"] == "https://x.org/%7Ba%7D b%5Cc"  # braces and backslashes only


def test_doi_given_as_a_link_is_written_bare():
    paper = journal()
    paper.doi = "https://doi.org/10.1109/5.726791"
    paper.url = "https://doi.org/10.1109/5.726791"
    entry = only(paper)
    assert entry["doi"] == "10.1109/5.726791"
    assert entry["url"] == paper.url  # the paper's link, as it was given


def test_extra_fields_are_escaped_and_cannot_override_known_fields():
    paper = journal()
    paper.extra = {"publisher": "Taylor & Francis", "title": "Other", "Bad Key": "x", "isbn": ""}
    entry = only(paper)
    assert entry["publisher"] == r"Taylor \& Francis"
    assert decode(entry["title"]) == journal().title
    assert "isbn" not in entry and "Bad Key" not in entry


def test_key_is_the_paper_id():
    entries = parse(bibtex_many([journal(), conference(), preprint()]))
    assert list(entries) == ["lecun1998gradient", "vaswani2017attention", "ouyang2022training"]
    assert bibtex_many([]) == ""


# ---------------------------------------------------------------- APA (the CSL project's style)
def test_apa_conference_paper():
    # APA 7 cites proceedings published as a series like a periodical: title, volume, pages.
    assert cite(conference(), "apa") == (
        "Vaswani, A., Shazeer, N., Parmar, N., Uszkoreit, J., Jones, L., Gomez, A. N., "
        "Kaiser, \u0141., & Polosukhin, I. (2017). Attention Is All You Need. Advances in "
        "Neural Information Processing Systems, 30, 5998\u20136008. "
        "https://proceedings.neurips.cc/paper/2017/hash/3f5ee243.html "
        "Code: https://github.com/tensorflow/tensor2tensor"
    )


def test_apa_journal_article():
    assert cite(journal(), "apa") == (
        "LeCun, Y., Bottou, L., Bengio, Y., & Haffner, P. (1998). Gradient-Based Learning "
        "Applied to Document Recognition. Proceedings of the IEEE, 86(11), 2278\u20132324. "
        "https://doi.org/10.1109/5.726791"
    )


def test_apa_preprint():
    assert cite(preprint(), "apa") == (
        "Ouyang, L., & Wu, J. (2022). Training language models to follow instructions "
        "with human feedback (arXiv:2203.02155). arXiv. https://arxiv.org/abs/2203.02155"
    )


def test_apa_without_authors_starts_with_the_title():
    assert cite(title_only(), "apa") == "A Paper Known Only by Its Title. (n.d.)."
    assert cite(trending(), "apa") == (
        "MiniRAG: Towards Extremely Simple Retrieval-Augmented Generation. (n.d.). "
        "Code: https://github.com/HKUDS/MiniRAG"
    )


def test_apa_author_forms():
    paper = Paper(
        id="p",
        title="Is it? A question",
        authors=["Jean-Pierre van der Berg", "Smith, Jr., John Q.", "OpenAI"],
        year=2020,
    )
    assert cite(paper, "apa") == (
        "van der Berg, J.-P., Smith, J. Q., Jr., & OpenAI. (2020). Is it? A question."
    )
    assert cite(Paper(id="s", title="Solo", authors=["Ada Lovelace"]), "apa") == (
        "Lovelace, A. (n.d.). Solo."
    )


def test_apa_lists_nineteen_authors_then_an_ellipsis_and_the_last():
    authors = [f"Given Family{i}" for i in range(1, 26)]
    text = cite(Paper(id="p", title="Big", authors=authors, year=2021), "apa")
    assert text.startswith("Family1, G., Family2, G.,")
    assert "Family19, G., \u2026 Family25, G. (2021). Big." in text
    assert "Family20" not in text
    twenty = cite(Paper(id="p", title="Big", authors=authors[:20], year=2021), "apa")
    assert "Family19, G., & Family20, G. (2021)" in twenty


def test_apa_shows_tex_as_plain_text():
    paper = Paper(id="p", title="PaccMann$^{RL}$: generation", year=2019)
    assert cite(paper, "apa") == "PaccMann^RL: generation. (2019)."


# ---------------------------------------------------------------- Markdown and plain text
def test_markdown_is_the_default_style_with_italics():
    assert cite(journal(), "markdown") == (
        "LeCun, Y., Bottou, L., Bengio, Y., & Haffner, P. (1998). Gradient-Based Learning "
        "Applied to Document Recognition. *Proceedings of the IEEE*, *86*(11), 2278\u20132324. "
        "https://doi.org/10.1109/5.726791"
    )
    assert cite(trending(), "markdown") == (
        "*MiniRAG: Towards Extremely Simple Retrieval-Augmented Generation*. (n.d.). "
        "Code: <https://github.com/HKUDS/MiniRAG>"
    )


def test_markdown_escapes_brackets_and_link_characters():
    paper = Paper(id="p", title="[Re] Reproducing a \\ result", url="https://x.org/a (b)")
    assert cite(paper, "markdown") == (
        "*\\[Re\\] Reproducing a \\\\ result*. (n.d.). Retrieved <https://x.org/a%20(b)>"
    )


def test_plain_is_the_default_style_or_the_one_given():
    assert cite(preprint(), "plain") == cite(preprint(), "apa")
    assert cite(preprint(), "plain", "ieee") == cite(preprint(), "ieee")


# ---------------------------------------------------------------- every format
_BAD = ["None", "{}", "()", "  ", " .", " ,", ",.", "..", ". .", ",,", "[]"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_shows_missing_fields(case, fmt):
    text = cite(case(), fmt)
    assert text.strip() == text and text
    for line in text.splitlines():  # BibTeX fields are indented
        for bad in _BAD:
            assert bad not in line.strip(), (bad, text)
    assert not re.search(r"=\s*\{\s*\}", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_paper_with_nothing_but_an_id_still_cites(fmt):
    text = cite(Paper(id="bare"), fmt)
    for line in text.splitlines():
        for bad in _BAD:
            assert bad not in line.strip()
    assert text


def test_cite_defaults_to_bibtex_and_rejects_unknown_formats():
    assert cite(preprint()) == bibtex_entry(preprint())
    with pytest.raises(ReaderError, match="unknown citation format: 'mla'"):
        cite(preprint(), "mla")
