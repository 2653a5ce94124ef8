"""Industry mentions in Chinese government texts, against a small SKOS-like vocabulary kept as data.

The vocabulary is ``lexicons/industries.toml`` (format in ``lexicons/README.md``): concepts with an ASCII
id, a preferred Chinese label, an English label, aliases, an optional broader concept and exclude phrases.
Matching is one Aho-Corasick pass (via :func:`guanxi.loaders.places.surface_matcher`) followed by a
left-to-right, longest-match-first choice of non-overlapping spans, so 新能源汽车 beats 新能源 and 能源,
and an exclude phrase such as 农业农村部 wins its span and then vanishes.
"""
from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass

from .places import leftmost_longest, surface_matcher

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Concept:
    id: str                       # ASCII slug, stable: the graph's identifier for the concept
    label: str                    # preferred Chinese label
    label_en: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None    # id of the parent concept
    exclude: tuple[str, ...] = ()  # phrases containing a surface form that are not mentions

    @property
    def surfaces(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.label, *self.aliases)))


@dataclass(frozen=True)
class IndustryMention:
    start: int
    end: int
    concept: str   # concept id
    label: str     # the concept's preferred label
    surface: str   # text[start:end]


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict[str, Concept]
    by_surface: dict[str, str]         # surface form → concept id
    excluded: frozenset[str]
    find: Callable[[str], list[tuple[int, int, str]]]

    def broader_chain(self, concept_id: str) -> list[Concept]:
        """The broader concepts of a concept, nearest first."""
        out, seen = [], {concept_id}
        current = self.concepts[concept_id].broader
        while current and current not in seen:
            seen.add(current)
            out.append(self.concepts[current])
            current = self.concepts[current].broader
        return out


def parse_vocabulary(toml_text: str, source: str = "industries.toml") -> Vocabulary:
    """Build a vocabulary from TOML text, checking what would otherwise fail silently at match time."""
    data = tomllib.loads(toml_text)
    concepts: dict[str, Concept] = {}
    for cid, spec in data.get("concepts", {}).items():
        if not _ID.match(cid):
            raise ValueError(f"{source}: concept id {cid!r} must be a lowercase ASCII slug")
        if not spec.get("label"):
            raise ValueError(f"{source}: concept {cid!r} has no label")
        concepts[cid] = Concept(cid, spec["label"], spec.get("label_en", ""), tuple(spec.get("aliases", [])),
                                spec.get("broader"), tuple(spec.get("exclude", [])))
    by_surface: dict[str, str] = {}
    for c in concepts.values():
        if c.broader is not None and c.broader not in concepts:
            raise ValueError(f"{source}: concept {c.id!r} has unknown broader {c.broader!r}")
        for surface in c.surfaces:
            other = by_surface.setdefault(surface, c.id)
            if other != c.id:  # one surface, two concepts: matching could not choose
                raise ValueError(f"{source}: surface {surface!r} is given for both {other!r} and {c.id!r}")
    for c in concepts.values():
        _check_acyclic(c, concepts, source)
    excluded = frozenset(x for c in concepts.values() for x in c.exclude)
    clash = excluded & by_surface.keys()
    if clash:
        raise ValueError(f"{source}: phrases both surface and exclude: {sorted(clash)}")
    return Vocabulary(concepts, by_surface, excluded, surface_matcher([*by_surface, *excluded]))


def _check_acyclic(concept: Concept, concepts: dict[str, Concept], source: str) -> None:
    seen, current = {concept.id}, concept.broader
    while current:
        if current in seen:
            raise ValueError(f"{source}: broader cycle through {concept.id!r}")
        seen.add(current)
        current = concepts[current].broader


@functools.cache
def _packaged() -> Vocabulary:
    from .lexicon import lexicon_text

    text = lexicon_text("industries.toml")
    return parse_vocabulary(text)


def vocabulary() -> list[Concept]:
    """The packaged concepts, in file order."""
    return list(_packaged().concepts.values())


def find_industries(text: str, vocab: Vocabulary | None = None) -> list[IndustryMention]:
    """Industry mentions, non-overlapping, longest match first (left to right), in text order.

    An exclude phrase (listed under the concept it protects) wins its span like any match and then yields
    nothing, so it also hides other concepts' surfaces inside it.
    """
    vocab = vocab or _packaged()
    out = []
    for start, end, surface in leftmost_longest(vocab.find(text)):
        if surface in vocab.excluded:
            continue
        concept = vocab.concepts[vocab.by_surface[surface]]
        out.append(IndustryMention(start, end, concept.id, concept.label, surface))
    return out
