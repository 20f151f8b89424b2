"""People's names with their parts: family, given, particle, suffix, or one literal name.

A name is kept in parts so that a citation style can put them in its own order
and a BibTeX export writes back what BibTeX will read as the same parts.
BibTeX names are split by BibTeX's own rules (bibtexparser's splitter);
biblatex's extended form (`family=Oord, given=Aaron, prefix=van den`) and
CSL-JSON names are read as given. An organisation (`{Some Company, LLC}`)
is one literal name, never split.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

#: The parts a stored name may have, in the order they are written to disk.
PARTS = ("family", "given", "particle", "suffix", "literal")

_EXTENDED_KEY = re.compile(
    r"^\s*(family|given|prefix|suffix|useprefix|given-i|family-i|prefix-i|suffix-i)\s*=",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
#: Names that BibTeX's rules split at once: "Family, Given Names" with a
#: one-word family name, or "Given Names Family" with every word capitalised;
#: words of letters (and dots, in given names) only, nothing to decode.
_WORD = r"[^\W\d_]+"
_GIVEN = rf"{_WORD}(?:\.{_WORD})*\.?"  # one way to match: no backtracking blow-up
_FAMILY_FIRST = re.compile(rf"(?P<family>{_WORD}), (?P<given>{_GIVEN}(?: {_GIVEN})*)")
_GIVEN_FIRST = re.compile(rf"(?P<given>{_GIVEN}(?: {_GIVEN})*) (?P<family>{_WORD})")
#: White space to BibTeX's name splitter (a tie `~` is not), and the "and"
#: between two names.
_BIBTEX_SPACE = " \r\n\t"
# From the start of a run of white space only: a long run costs one try, not one per space.
_AND = re.compile(r"(?<![ \r\n\t])[ \r\n\t]+[aA][nN][dD][ \r\n\t]+(?=[^ \r\n\t])")
#: Distinct names remembered while a file is read: authors come back.
NAMES_CACHED = 1 << 16


def _same(text: str) -> str:
    return text


def _part(value: Any) -> str:
    """A stored part as text (a missing or empty one is "")."""
    return value if type(value) is str else str(value or "")


@dataclass(frozen=True, slots=True)
class Person:
    """One author, editor or translator."""

    family: str = ""
    given: str = ""
    #: The "von" part: `van den`, `de la`.
    particle: str = ""
    #: The "Jr" part: `Jr.`, `III`.
    suffix: str = ""
    #: A name not to be split (an organisation); when set, the other parts are empty.
    literal: str = ""

    # ------------------------------------------------------------ reading
    @classmethod
    def from_doc(cls, doc: Any) -> Person:
        """A stored name: a dict of parts; a plain string (an older library) is parsed."""
        if isinstance(doc, str):
            return cls.from_text(doc)
        if not isinstance(doc, dict):
            raise TypeError(f"a name was expected, not {type(doc).__name__}")
        get = doc.get
        return cls(_part(get("family")), _part(get("given")), _part(get("particle")),
                   _part(get("suffix")), _part(get("literal")))

    @classmethod
    def from_text(cls, text: str) -> Person:
        """A name written as plain text ("Aaron van den Oord", "Oord, Aaron van den")."""
        text = _SPACE.sub(" ", text).strip()
        if not text:
            return cls()
        if re.search(r"(?:^|\s)and(?:\s|$)", text, re.IGNORECASE) or text.count(",") > 2:
            return cls(literal=text)  # "Johnson and Johnson": one name, not two
        # Plain text has no braces to group words: take them as characters.
        person = parse_bibtex_name(text.replace("{", "").replace("}", "")) or cls(literal=text)
        if person.particle and not all(w[:1].islower() for w in person.particle.split()):
            # "a 0 Smith": words BibTeX could not write back as a particle.
            person = cls(family=f"{person.particle} {person.family}", given=person.given,
                         suffix=person.suffix)
        return person

    @classmethod
    def from_csl(cls, name: Any) -> Person:
        """A CSL-JSON name object."""
        if isinstance(name, str):
            return cls.from_text(name)
        if not isinstance(name, dict):
            return cls()
        get = lambda key: _SPACE.sub(" ", str(name.get(key) or "")).strip()  # noqa: E731
        if get("literal"):
            return cls(literal=get("literal"))
        particle = " ".join(
            p for p in (get("dropping-particle"), get("non-dropping-particle")) if p
        )
        if not (get("family") or get("given")):
            return cls()
        return cls(family=get("family"), given=get("given"), particle=particle,
                   suffix=get("suffix"))

    # ------------------------------------------------------------ writing
    def to_doc(self) -> dict[str, str]:
        """The stored form: only the parts that are set."""
        doc = {}
        if self.family:
            doc["family"] = self.family
        if self.given:
            doc["given"] = self.given
        if self.particle:
            doc["particle"] = self.particle
        if self.suffix:
            doc["suffix"] = self.suffix
        if self.literal:
            doc["literal"] = self.literal
        return doc

    def to_csl(self) -> dict[str, str]:
        """A CSL-JSON name object."""
        if self.literal:
            return {"literal": self.literal}
        out = {"family": self.family, "given": self.given}
        if self.particle:
            out["non-dropping-particle"] = self.particle
        if self.suffix:
            out["suffix"] = self.suffix
        return {k: v for k, v in out.items() if v}

    def to_bibtex(self, encode: Callable[[str], str] = _same) -> str:
        """The name as BibTeX reads back into the same parts (`von Last, Jr, First`).

        `encode` turns each part's text into LaTeX (accents, special characters).
        """
        if self.literal:
            return "{" + encode(self.literal) + "}"
        family = encode(self.family)
        alone = not (self.given or self.particle or self.suffix)
        # A family name of several words, or one a lower-case word would make
        # BibTeX take for a particle, is kept whole by braces.
        if (" " in self.family or "," in self.family or not family
                or (self.family[:1].islower() and not alone) or self.family.lower() == "others"):
            family = "{" + family + "}"
        last = f"{encode(self.particle)} {family}" if self.particle else family
        given = encode(self.given)
        if "," in self.given:
            given = "{" + given + "}"
        if self.suffix:
            return f"{last}, {encode(self.suffix)}, {given}"
        if given:
            return f"{last}, {given}"
        # A name in braces alone is an organisation: a comma says it is a family name.
        # and with a particle, the comma puts it before the family name.
        return f"{last}," if last.startswith("{") or self.particle else last

    # ------------------------------------------------------------ showing
    @property
    def last(self) -> str:
        """The family name with its particle ("van den Oord"), or the literal name."""
        if self.literal:
            return self.literal
        return f"{self.particle} {self.family}".strip()

    @property
    def display(self) -> str:
        """The name as it is read: "Aaron van den Oord", "Joseph J LaViola Jr."."""
        if self.literal:
            return self.literal
        words = " ".join(p for p in (self.given, self.particle, self.family) if p)
        return f"{words}, {self.suffix}" if self.suffix else words

    @property
    def words(self) -> str:
        """Every part, for search."""
        return " ".join(getattr(self, part) for part in PARTS if getattr(self, part))

    def __str__(self) -> str:
        return self.display

    def __bool__(self) -> bool:
        return bool(self.family or self.given or self.particle or self.suffix or self.literal)


# ---------------------------------------------------------------- BibTeX
def _unbrace(text: str) -> str:
    """`{Mota de Freitas}` -> `Mota de Freitas`; braces inside a word stay for the decoder."""
    text = text.strip()
    while len(text) >= 2 and text[0] == "{" and text[-1] == "}" and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split at `sep` outside braces."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _parse_extended(raw: str, decode: Callable[[str], str]) -> Person:
    """biblatex's extended name format: `family=Oord, given=Aaron, prefix=van den`."""
    parts: dict[str, str] = {}
    for item in _split_top_level(raw):
        key, _, value = item.partition("=")
        key = key.strip().lower()
        if key in ("family", "given", "prefix", "suffix"):
            parts[key] = _SPACE.sub(" ", decode(_unbrace(value))).strip()
    return Person(family=parts.get("family", ""), given=parts.get("given", ""),
                  particle=parts.get("prefix", ""), suffix=parts.get("suffix", ""))


@lru_cache(maxsize=NAMES_CACHED)
def parse_bibtex_name(raw: str, decode: Callable[[str], str] = _same) -> Person | None:
    """One BibTeX or biblatex name into its parts; None where there is no name.

    `decode` turns each part's LaTeX into Unicode text.
    """
    raw = _SPACE.sub(" ", raw).strip()
    if not raw:
        return None
    simple = _simple_name(raw)
    if simple is not None:
        return simple
    if _EXTENDED_KEY.match(raw):
        return _parse_extended(raw, decode) or None
    inner = raw[1:-1] if raw.startswith("{") and raw.endswith("}") else ""
    if inner and _balanced(inner):
        # The whole name in braces: an organisation, one literal name.
        literal = _SPACE.sub(" ", decode(_unbrace(raw))).strip()
        return Person(literal=literal) if literal else None
    # "von Last," (no first name): read with a stand-in first name, which
    # the splitter otherwise takes the particle for.
    no_first = raw.endswith(",") and len(_split_top_level(raw)) == 2
    try:
        parts = parse_single_name_into_parts(raw + " X" if no_first else raw, strict=False)
        if no_first:
            parts.first = []
    except Exception:  # bibtexparser's splitter on input it cannot take
        literal = _SPACE.sub(" ", decode(raw)).strip()
        return Person(literal=literal) if literal else None

    def join(words: list[str]) -> str:
        return _SPACE.sub(" ", " ".join(decode(_unbrace(w)) for w in words)).strip()

    person = Person(family=join(parts.last), given=join(parts.first),
                    particle=join(parts.von), suffix=join(parts.jr))
    if not person.family and person.given:
        # "Plato", or a name BibTeX could only place in the first part.
        person = Person(family=person.given)
    return person or None


def _simple_name(raw: str) -> Person | None:
    """The parts of a name too plain to need BibTeX's splitter (see
    _FAMILY_FIRST), as the splitter gives them; None for any other name."""
    match = _FAMILY_FIRST.fullmatch(raw)
    if match is None:
        match = _GIVEN_FIRST.fullmatch(raw)
        if match is None or not all(word[0].isupper() for word in raw.split()):
            return None
    return Person(family=match["family"], given=match["given"])


def parse_bibtex_names(raw: str, decode: Callable[[str], str] = _same) -> tuple[list[Person], bool]:
    """A BibTeX `author`/`editor` value: the names, and whether it ended in `and others`."""
    if "{" in raw or "\\" in raw:
        try:
            names = split_multiple_persons_names(raw)
        except Exception:  # bibtexparser's splitter on unbalanced input
            names = re.split(r"\s+and\s+", raw)
    else:  # the splitter's rule, where no brace or escape can hide an "and"
        names = _AND.split(raw.strip(_BIBTEX_SPACE)) if raw.strip(_BIBTEX_SPACE) else []
    people: list[Person] = []
    others = False
    for name in names:
        if name.strip() == "others":  # BibTeX's own word, as it spells it
            others = True
            continue
        person = parse_bibtex_name(name, decode)
        if person:
            people.append(person)
    return people, others


def bibtex_names(people: Iterable[Person], others: bool = False,
                 encode: Callable[[str], str] = _same) -> str:
    """Names as one BibTeX `author` value."""
    names = [p.to_bibtex(encode) for p in people]
    if others:
        names.append("others")
    return " and ".join(names)
