"""Names keep their parts: what BibTeX, biblatex and CSL-JSON say a name is, we store and write back."""

from __future__ import annotations

import pytest

from reader.core.importers.latex import decode
from reader.core.names import Person, bibtex_names, parse_bibtex_name, parse_bibtex_names

CASES = [
    ("LaViola Jr., Joseph J", Person(family="LaViola Jr.", given="Joseph J")),
    ("Sahami Shirazi, Alireza", Person(family="Sahami Shirazi", given="Alireza")),
    ("Tjong Kim Sang, Erik F.", Person(family="Tjong Kim Sang", given="Erik F.")),
    ("{Mota de Freitas}, Duarte E.", Person(family="Mota de Freitas", given="Duarte E.")),
    ("{Some Company, LLC}", Person(literal="Some Company, LLC")),
    ("{{Multi-National United}}", Person(literal="Multi-National United")),
    ("Ludwig van Beethoven", Person(family="Beethoven", given="Ludwig", particle="van")),
    ("de la Fontaine, Jean", Person(family="Fontaine", given="Jean", particle="de la")),
    ("Ford, Jr., Henry", Person(family="Ford", given="Henry", suffix="Jr.")),
    ("family=Oord, given=Aaron, prefix=van den, useprefix=true",
     Person(family="Oord", given="Aaron", particle="van den")),
    ('M{\\"u}ller, J{\\"o}rg', Person(family="Müller", given="Jörg")),
    ("Plato", Person(family="Plato")),
]


@pytest.mark.parametrize("raw, expected", CASES, ids=[c[0] for c in CASES])
def test_bibtex_names_keep_their_parts_and_come_back_the_same(raw, expected):
    person = parse_bibtex_name(raw, decode)
    assert person == expected
    assert parse_bibtex_name(person.to_bibtex()) == person


def test_an_author_list_with_others_and_a_braced_and():
    people, others = parse_bibtex_names("Smith, Ann and {Barnes and Noble} and others")
    assert people == [Person(family="Smith", given="Ann"), Person(literal="Barnes and Noble")]
    assert others
    assert bibtex_names(people, others) == "Smith, Ann and {Barnes and Noble} and others"


def test_csl_names_and_stored_docs():
    person = Person.from_csl({"family": "Oord", "given": "Aaron", "non-dropping-particle": "van den"})
    assert person.display == "Aaron van den Oord"
    assert person.last == "van den Oord"
    assert person.to_csl() == {"family": "Oord", "given": "Aaron", "non-dropping-particle": "van den"}
    assert Person.from_doc(person.to_doc()) == person
    assert Person.from_csl({"literal": "CERN"}).to_doc() == {"literal": "CERN"}
    # A library written before names had parts stores plain strings.
    assert Person.from_doc("Aaron van den Oord") == person


def test_hostile_names_are_read_in_one_pass():
    """A name of one 5,000-letter word, and 200,000 spaces between two names:
    each is one pass of the name patterns (they once tried every split of the
    word, and every space, and did not come back)."""
    word = "W" * 5000
    assert parse_bibtex_name(word) == Person(family=word)
    assert parse_bibtex_name(word + ".") is not None
    names, others = parse_bibtex_names("Ann Lee" + " " * 200_000 + "and Bo Chen")
    assert [p.family for p in names] == ["Lee", "Chen"] and not others
    names, _ = parse_bibtex_names("Ann Lee and" + " " * 200_000)
    assert len(names) == 1
