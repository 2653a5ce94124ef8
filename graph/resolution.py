"""Entity resolution: which person node a name in a document becomes. Pure (no I/O).

**The rule.**  A person is identified by ``(name, context)``, where the context is where the document
places the person:

1. the most specific *domestic* jurisdiction among the bodies of the person's posts in that document
   (a county beats a prefecture beats a province): 张古江, 省委常委 (河北省) and 市委书记 (唐山市), gets
   唐山市's code;
2. else ``national`` when the person's posts are all in national bodies (国务院, 全国人大常委会, 中共中央);
3. else ``foreign:<state>`` when a post is in a foreign state (美国总统特朗普 → ``foreign:美国``);
4. else (no post at all) the document's own jurisdiction code (a 唐山 report's bare "王海" is 唐山's);
5. else ``doc:<doc_id>``: the name stays isolated in its document.

So the same official named in two reports about the same city is one node, and the same name in two
different cities stays two nodes.  :func:`person_for` then applies the user's decisions (``guanxi merge`` /
``guanxi unmerge``) on top of the rule.

**Limits.**  Two different people with the same name in the same city are merged (common names like
王海 in a big city are a real risk); one person who moves city between reports becomes two nodes
(merge them by hand); a person whose posts are in two unrelated places at the same level gets the
lexicographically smallest code (deterministic, not necessarily the leading post).  Namesakes at national
level (``national``) are all one node.  The rule never looks at other documents, so ingest order cannot
change identities.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import pyoxigraph as ox

from guanxi.ontology import iri
from guanxi.ontology.vocab import GX, PROV, RDF, XSD

NATIONAL = "national"
NATIONAL_LABEL = "national bodies (中华人民共和国)"
LEVEL_RANK = {"county": 3, "prefecture": 2, "province": 1, "national": 0}


@dataclass(frozen=True)
class PostBody:
    """What the rule needs to know about the body of one of a person's posts."""

    jurisdiction_code: str | None   # admin code of the body's jurisdiction (None: unknown)
    level: str | None = None        # national / province / prefecture / county
    foreign_state: str | None = None  # the state's name when the body is a foreign state


@dataclass(frozen=True)
class Context:
    """A person's identity context in one document: ``key`` goes into the IRI, ``label`` into reasons."""

    key: str
    label: str
    kind: str  # 'place' | 'national' | 'foreign' | 'document' | 'isolated'


def context_for(bodies: Iterable[PostBody], doc_jurisdiction: tuple[str, str] | None, doc_id: str,
                place_name: Mapping[str, str] | None = None) -> Context:
    """The identity context of a person in one document (see the module docstring for the rule).

    ``bodies``: the bodies of the person's posts in this document; ``doc_jurisdiction``: (code, name) of
    the document's jurisdiction, or None; ``place_name``: code -> name, for the reason text.
    """
    names = place_name or {}
    local = [b for b in bodies if b.jurisdiction_code and b.level in LEVEL_RANK and b.level != NATIONAL]
    if local:
        best = max(local, key=lambda b: (LEVEL_RANK[b.level or ""], _neg(b.jurisdiction_code or "")))
        code = best.jurisdiction_code or ""
        return Context(code, names.get(code, code), "place")
    bodies = list(bodies)
    if any(b.level == NATIONAL for b in bodies):
        return Context(NATIONAL, NATIONAL_LABEL, "national")
    foreign = sorted({b.foreign_state for b in bodies if b.foreign_state})
    if foreign:
        return Context("foreign:" + foreign[0], foreign[0], "foreign")
    if doc_jurisdiction and doc_jurisdiction[0]:
        code, name = doc_jurisdiction
        return Context(code, name or code, "document")
    return Context(isolated_key(doc_id), f"document {doc_id}", "isolated")


def _neg(code: str) -> tuple[int, ...]:
    """Sort key that makes max() pick the smallest code among equals (deterministic tie-break)."""
    return tuple(-ord(c) for c in code)


def isolated_key(doc_id: str) -> str:
    """The context key of a name that must not meet any other document's name."""
    return "doc:" + doc_id


@dataclass(frozen=True)
class Decisions:
    """The user's resolution decisions (from the manual graph), applied on top of the rule.

    ``merges``: person IRI -> the person IRI it was merged into (``guanxi merge A B``: A -> B).
    ``unmerges``: (person IRI, doc_id) pairs: in that document the name gets an isolated node.
    ``names``: the name of each merge target, so a merged-in namesake variant becomes an alias.
    """

    merges: Mapping[str, str] = field(default_factory=dict)
    unmerges: frozenset[tuple[str, str]] = frozenset()
    names: Mapping[str, str] = field(default_factory=dict)

    def follow(self, person: str) -> str:
        """Where ``person`` ends up after all merges (chains followed; a cycle stops where it closes)."""
        seen = {person}
        while person in self.merges:
            person = self.merges[person]
            if person in seen:
                break
            seen.add(person)
        return person

    def to_json(self) -> dict:
        return {"merges": dict(sorted(self.merges.items())), "unmerges": sorted(map(list, self.unmerges)),
                "names": dict(sorted(self.names.items()))}

    @classmethod
    def from_json(cls, data: dict) -> "Decisions":
        return cls(dict(data.get("merges", {})), frozenset(tuple(x) for x in data.get("unmerges", [])),
                   dict(data.get("names", {})))


def rule_person_iri(name: str, context: Context) -> str:
    """The person IRI the rule alone gives (before user decisions)."""
    return iri.person_iri(name, context.key)


def person_for(name: str, context: Context, doc_id: str, decisions: Decisions | None = None) -> str:
    """The person IRI ``name`` becomes in document ``doc_id``: the rule, then merges, then unmerges."""
    decisions = decisions or Decisions()
    base = rule_person_iri(name, context)
    merged = decisions.follow(base)
    if (merged, doc_id) in decisions.unmerges or (base, doc_id) in decisions.unmerges:
        return iri.person_iri(name, isolated_key(doc_id))
    return merged


def document_local_iri(name: str, doc_id: str) -> str:
    """The node a name would be if its document stood alone: the ``gx:mergedFrom`` of rule links."""
    return iri.person_iri(name, isolated_key(doc_id))


def rule_reason(name: str, labels: Iterable[str]) -> str:
    """The gx:reason of a rule ResolutionLink: why mentions in several documents are one person."""
    labels = sorted(set(labels))
    if not labels:
        return f"same name {name}"
    if labels == [NATIONAL_LABEL]:
        return f"same name {name} and posts in {NATIONAL_LABEL}"
    return f"same name {name} and same jurisdiction {'、'.join(labels)}"


# ---- resolution-graph facts (recomputed from the document graphs; see graph/store.py) -------------------

def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o)


def tenure_dates(tenure: str, first: str, last: str) -> list[ox.Triple]:
    """gx:firstAttested / gx:lastAttested: the earliest and latest dates of the documents attesting it."""
    date = ox.NamedNode(XSD.date)
    return [_t(tenure, GX.firstAttested, ox.Literal(first, datatype=date)),
            _t(tenure, GX.lastAttested, ox.Literal(last, datatype=date))]


def rule_links(person: str, name: str, documents: Mapping[str, tuple[str, Iterable[str]]],
               labels: Iterable[str]) -> list[ox.Triple]:
    """One gx:ResolutionLink per document attesting ``person``, when at least two do.

    ``documents``: doc id -> (document IRI, the person's mentions in it).  Each link says that the name
    as that document alone would have it (:func:`document_local_iri`) was merged into the shared node,
    why (:func:`rule_reason`), and on what evidence (the document and its mentions)."""
    if len(documents) < 2:
        return []
    reason = rule_reason(name, labels)
    out: list[ox.Triple] = []
    for doc_id, (doc, mentions) in sorted(documents.items()):
        local = document_local_iri(name, doc_id)
        if local == person:
            continue
        link = iri.resolution_iri(local, person)
        out += [
            _t(link, RDF.type, GX.ResolutionLink),
            _t(link, GX.mergedFrom, local),
            _t(link, GX.mergedInto, person),
            _t(link, GX.reason, ox.Literal(reason)),
            _t(link, GX.decidedBy, ox.Literal("rule")),
            _t(link, GX.evidence, doc),
            _t(link, PROV.wasDerivedFrom, doc),
        ]
        out += [_t(link, GX.evidence, m) for m in sorted(mentions)]
    return out
