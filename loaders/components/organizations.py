"""Every body the text names, not only those in a person's post: 县委, 县政协, 唐山市政府, 新华社, 国务院.

Three sources, each resolved to a canonical body (``loaders/organizations.py``) against the jurisdiction:

* the bodies of ``bodies.toml`` written on their own: national bodies (国务院, 全国政协), the democratic
  parties, and the bare abbreviations a local text uses for its own bodies (县委, 市政府, 县政协);
* a place followed by a body core (唐山市|委, 河北省|政府, 路北区|政协);
* the model's ORG spans that end like a body (``bodies.toml`` suffixes and cores) or are a known body.
"""
from __future__ import annotations

from .. import organizations
from ..doc import Doc
from ..names import is_cjk
from ..places import leftmost_longest, surface_matcher
from ..registry import component


class Bodies:
    def __init__(self, lexicon, max_chars: int = 24):
        self.lex = lexicon
        self.max_chars = max_chars
        bodies = lexicon.bodies
        self.cores = sorted(bodies["cores"], key=len, reverse=True)
        self.suffixes = tuple(sorted(bodies["suffixes"], key=len, reverse=True))
        surfaces = set(bodies["national"]) | set(bodies["democratic_parties"]) | set(lexicon.bare_bodies)
        surfaces |= set(lexicon.international_bodies)
        self.surfaces = surfaces
        self.find = surface_matcher(surfaces)

    def __call__(self, doc: Doc) -> None:
        text, lex = doc.text, self.lex
        person_spans = [(s, e) for p in doc.people.values() for s, e in p.mentions]
        found: list[tuple[int, int, object]] = []
        for start, end, surface in self.find(text):
            if surface in lex.bare_bodies and start > 0 and is_cjk(text[start - 1]) and not text[start - 1] in "全本我各":
                continue           # 唐山|市委 is read below with its place; 城市委 is no body
            found.append((start, end, surface))
        for mention in doc.places:
            rest = text[mention.end:mention.end + 8]
            core = next((c for c in self.cores if rest.startswith(c)), None)
            if core is not None:
                found.append((mention.start, mention.end + len(core), text[mention.start:mention.end + len(core)]))
        place_starts = {m.start for m in doc.places}
        for entity in doc.entities_of("ORG"):
            start = entity.start
            if text[start] in lex.function_chars and entity.end - start >= 4 and (
                    start + 1 in place_starts or any(text.startswith(state, start + 1) for state in lex.foreign_states)):
                start += 1         # 同|美国国会: the model took the preposition into the body
            surface = text[start:entity.end]
            if 2 <= len(surface) <= self.max_chars and all(is_cjk(c) or c in "（）()·" for c in surface) \
                    and (surface in self.surfaces or surface.endswith(self.suffixes) or surface.endswith(tuple(self.cores))):
                found.append((start, entity.end, surface))
        for start, end, surface in leftmost_longest(found):
            if any(s < end and start < e for s, e in person_spans):
                continue
            org = organizations.resolve(str(surface), doc.jurisdiction, lex)
            doc.organizations.add(org, (start, end))


@component("organizations")
def make_organizations(lexicon, max_chars: int = 24):
    return Bodies(lexicon, max_chars=max_chars)
