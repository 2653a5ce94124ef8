"""Namespaces and terms of the guanxi ontology as plain IRI strings, and the Neo4j/view projection read from it.

The store is pyoxigraph, so terms are plain ``str`` IRIs (wrap them in ``pyoxigraph.NamedNode`` or use
:func:`node`)::

    >>> GX.Person
    'https://w3id.org/guanxi/ontology#Person'
    >>> OA.hasTarget
    'http://www.w3.org/ns/oa#hasTarget'

``GX`` is strict: an attribute that is not a term of ``guanxi.ttl`` raises ``AttributeError`` (a test keeps
:data:`GX_TERMS` equal to the terms the ontology defines).  The other namespaces accept any local name.

:func:`load_projection` reads the ``gx:neo4j*`` / ``gx:edge*`` / ``gx:view*`` annotations of ``guanxi.ttl``
and returns a :class:`Projection`: node labels and properties per class, a relationship type per object
property, and the n-ary classes (Tenure, Participation) that become relationships.  The Neo4j sync and the
views derive their whole mapping from it; see ``docs/ontology.md``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

__all__ = [
    "Namespace", "GX", "ID", "OA", "PROV", "ORG", "SCHEMA", "FOAF", "SKOS", "DCTERMS", "RDF", "RDFS", "OWL",
    "XSD", "SH", "VANN", "PREFIXES", "GX_TERMS", "ORG_KINDS", "PARTICIPATION_ROLES", "EVENT_KINDS", "DIRECTIVE_KINDS",
    "TARGET_KINDS", "ADMIN_LEVELS",
    "DECIDED_BY", "ONTOLOGY_IRI", "sparql_prefixes", "turtle_prefixes", "node", "ontology_path",
    "shapes_path", "load_projection", "PropertySpec", "NodeSpec", "RelationshipSpec", "EdgeSpec", "Projection",
    "validate",
]


class Namespace:
    """IRI prefix with attribute/item access returning full IRIs as ``str``.

    Deliberately *not* a ``str`` subclass, so that ``GX.title`` is the IRI of ``gx:title`` and not
    ``str.title``.  ``str(ns)`` is the prefix; ``iri in ns`` tests membership.
    """

    __slots__ = ("_base", "_terms")

    def __init__(self, base: str, terms: Iterable[str] | None = None):
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_terms", frozenset(terms) if terms is not None else None)

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> str:
        terms = self._terms
        if terms is not None and name not in terms:
            raise AttributeError(f"{name!r} is not a term of {self._base}")
        return self._base + name

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("namespaces are read-only")

    def __str__(self) -> str:
        return self._base

    def __repr__(self) -> str:
        return f"Namespace({self._base!r})"

    def __contains__(self, iri: object) -> bool:
        if not isinstance(iri, str) or not iri.startswith(self._base):
            return False
        return self._terms is None or iri[len(self._base):] in self._terms

    def __iter__(self) -> Iterator[str]:
        """Full IRIs of the terms of a strict namespace (nothing for an open one)."""
        return iter(sorted(self._base + t for t in (self._terms or ())))

    def local(self, iri: str) -> str:  # noqa: D401 - small helper
        """The local name of ``iri`` in this namespace (``ValueError`` if it is not in it)."""
        if not iri.startswith(self._base):
            raise ValueError(f"{iri} is not in {self._base}")
        return iri[len(self._base):]


# Every term guanxi.ttl defines (tests/test_ontology.py checks that this equals the ontology).
GX_CLASSES = (
    "Person", "Organization", "PartyCommittee", "Government", "CPPCC", "PeoplesCongress", "Department",
    "DemocraticParty", "Enterprise", "MediaOrganization", "Institute", "OtherOrganization", "Post", "Tenure",
    "Place", "Meeting", "Participation", "ParticipationRole", "Directive", "Addressee", "Industry", "Document",
    "Mention", "RedactedMention", "ResolutionLink", "Talks", "Inspection", "Conference", "Ceremony", "Letter",
    "Visit", "Competition", "Target",
)
GX_INDIVIDUALS = ("Presided", "Attended", "Spoke", "SubmittedWrittenSpeech", "Met", "Inspected", "Accompanied", "Wrote",
                  "IndustryScheme")
GX_PROPERTIES = (
    "name", "alias", "postIn", "title", "holder", "post", "organization", "firstAttested", "lastAttested",
    "adminLevel", "adminCode", "parentPlace", "jurisdiction", "parentOrganization", "date", "organizer", "theme",
    "participant", "meeting", "role", "speaker", "speakingFor", "text", "ordinal", "parentDirective", "modality",
    "addressedTo", "concerns", "atMeeting", "published", "author", "contentHash", "sourcePath", "sourceUrl",
    "attestedBy", "mentionRole", "maskedTitle", "mergedFrom", "mergedInto", "reason", "evidence", "decidedBy",
    "endDate", "period", "venue", "recipient", "directiveKind", "target", "targetKind", "targetText", "targetValue",
    "targetUnit",
    "fromRecord", "intoRecord",
)
GX_ANNOTATIONS = (
    "neo4jLabel", "neo4jType", "neo4jReverse", "neo4jProperty", "neo4jValue", "multiValued", "propertyPath",
    "nodeProperty", "edgeSource", "edgeTarget", "edgeLabel", "edgeProperty", "viewShape", "viewColor",
    "viewCaption", "kindCode", "neo4jIndexed",
)
GX_TERMS = frozenset(GX_CLASSES + GX_INDIVIDUALS + GX_PROPERTIES + GX_ANNOTATIONS)

GX = Namespace("https://w3id.org/guanxi/ontology#", GX_TERMS)
ONTOLOGY_IRI = "https://w3id.org/guanxi/ontology"
ID = Namespace("https://w3id.org/guanxi/id/")          # instance data; mint with guanxi.ontology.iri
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")

PREFIXES: Mapping[str, str] = MappingProxyType({
    "gx": str(GX), "id": str(ID), "oa": str(OA), "prov": str(PROV), "org": str(ORG), "schema": str(SCHEMA),
    "foaf": str(FOAF), "skos": str(SKOS), "dcterms": str(DCTERMS), "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "xsd": str(XSD), "sh": str(SH),
})

# organization kind code (gx:kindCode) -> class IRI
ORG_KINDS: Mapping[str, str] = MappingProxyType({
    "party_committee": GX.PartyCommittee, "government": GX.Government, "cppcc": GX.CPPCC,
    "peoples_congress": GX.PeoplesCongress, "department": GX.Department, "democratic_party": GX.DemocraticParty,
    "enterprise": GX.Enterprise, "media": GX.MediaOrganization, "institute": GX.Institute,
    "other": GX.OtherOrganization,
})
# participation role code (gx:neo4jValue) -> individual IRI
PARTICIPATION_ROLES: Mapping[str, str] = MappingProxyType({
    "presided": GX.Presided, "attended": GX.Attended, "spoke": GX.Spoke,
    "submitted_written_speech": GX.SubmittedWrittenSpeech, "met": GX.Met, "inspected": GX.Inspected,
    "accompanied": GX.Accompanied, "wrote": GX.Wrote,
})
# event kind code (gx:kindCode) -> class IRI; "meeting" is gx:Meeting itself
EVENT_KINDS: Mapping[str, str] = MappingProxyType({
    "meeting": GX.Meeting, "talks": GX.Talks, "inspection": GX.Inspection, "conference": GX.Conference,
    "ceremony": GX.Ceremony, "letter": GX.Letter, "visit": GX.Visit, "competition": GX.Competition,
})
DIRECTIVE_KINDS = ("instruction", "pledge")
TARGET_KINDS = ("deadline", "amount", "percent", "multiple")
ADMIN_LEVELS = ("national", "province", "prefecture", "county")
DECIDED_BY = ("rule", "user")


def sparql_prefixes(*names: str) -> str:
    """``PREFIX`` lines for SPARQL (all of :data:`PREFIXES` unless names are given)."""
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in (names or PREFIXES))


def turtle_prefixes(*names: str) -> str:
    """``@prefix`` lines for Turtle (all of :data:`PREFIXES` unless names are given)."""
    return "".join(f"@prefix {n}: <{PREFIXES[n]}> .\n" for n in (names or PREFIXES))


def node(iri: str):
    """``pyoxigraph.NamedNode(iri)``."""
    from pyoxigraph import NamedNode

    return NamedNode(iri)


def _resource(name: str) -> Path:
    ref = resources.files(__package__ or "guanxi.ontology").joinpath(name)
    return Path(str(ref))


def ontology_path() -> Path:
    """Path of ``guanxi.ttl`` (the OWL ontology with the projection annotations)."""
    return _resource("guanxi.ttl")


def shapes_path() -> Path:
    """Path of ``shapes.ttl`` (the SHACL shapes a valid graph satisfies)."""
    return _resource("shapes.ttl")


def validate(data: Any, *, data_format: str = "turtle") -> tuple[bool, Any, str]:
    """Validate ``data`` (an rdflib Graph/Dataset, Turtle text or a path) against ``shapes.ttl``.

    The ontology is mixed in (``ont_graph``) so that ``sh:class gx:Organization`` accepts a
    ``gx:PartyCommittee``.  Returns pyshacl's ``(conforms, results_graph, results_text)``.

    pyshacl validates each named graph of a Dataset on its own; facts in per-document graphs refer to
    nodes in other graphs, so validate the union (one rdflib.Graph holding all quads' triples).
    """
    import pyshacl
    import rdflib

    if isinstance(data, rdflib.Graph):
        graph = data
    elif isinstance(data, Path) or _is_file(data):
        graph = rdflib.Graph().parse(str(data))
    else:
        graph = rdflib.Graph().parse(data=data, format=data_format)
    return pyshacl.validate(
        graph,
        shacl_graph=_shapes_graph(),
        ont_graph=_ontology_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
    )


def _is_file(data: Any) -> bool:
    if not isinstance(data, str) or "\n" in data or len(data) > 1024:
        return False
    try:
        return Path(data).is_file()
    except OSError:
        return False


@functools.lru_cache(maxsize=1)
def _ontology_graph():
    import rdflib

    return rdflib.Graph().parse(ontology_path(), format="turtle")


@functools.lru_cache(maxsize=1)
def _shapes_graph():
    import rdflib

    return rdflib.Graph().parse(shapes_path(), format="turtle")


# --------------------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PropertySpec:
    """One Neo4j property of a node or relationship.

    ``path`` is a sequence of property IRIs walked from the node (or from the n-ary resource, for
    relationship properties); ``datatype`` is the XSD range of the last step (``None`` when the values are
    IRIs, which are written as the individual's gx:neo4jValue when it has one, else as the IRI string).
    """

    key: str
    path: tuple[str, ...]
    multi_valued: bool = False
    datatype: str | None = None

    def sparql_path(self) -> str:
        """The path as a SPARQL 1.1 sequence path of full IRIs: ``<a>/<b>``."""
        return "/".join(f"<{p}>" for p in self.path)


@dataclass(frozen=True)
class NodeSpec:
    """How instances of one class become Neo4j nodes."""

    cls: str                              # class IRI
    label: str                            # the class's own gx:neo4jLabel
    labels: tuple[str, ...]               # all labels a node of this class carries: base first, own last
    properties: tuple[PropertySpec, ...]  # the `iri` key is implicit and not listed
    caption: str | None = None            # property key to show as the node's caption
    shape: str | None = None              # pyvis shape (inherited from a superclass when not set)
    color: str | None = None              # pyvis colour (inherited likewise)
    kind: str | None = None               # gx:kindCode of organization kinds
    superclasses: tuple[str, ...] = ()    # projected gx superclasses, nearest first


@dataclass(frozen=True)
class RelationshipSpec:
    """How an object property becomes a Neo4j relationship (one per triple)."""

    property: str                 # property IRI
    type: str                     # relationship type
    reverse: bool                 # True: (object)-[type]->(subject)
    start_labels: tuple[str, ...] # labels of the classes at the start of the relationship in Neo4j
    end_labels: tuple[str, ...]
    color: str | None = None


@dataclass(frozen=True)
class EdgeSpec:
    """How an n-ary class (gx:Tenure, gx:Participation) becomes one Neo4j relationship per instance.

    ``(value of source)-[type {iri, **properties}]->(value of target)``.
    """

    cls: str
    type: str
    source: str                           # property IRI from the n-ary resource to the start node
    target: str                           # property IRI from the n-ary resource to the end node
    start_labels: tuple[str, ...]
    end_labels: tuple[str, ...]
    properties: tuple[PropertySpec, ...]  # the `iri` key (the n-ary resource) is implicit and not listed
    color: str | None = None


@dataclass(frozen=True)
class Projection:
    """The RDF -> Neo4j / view mapping declared by the ontology's annotations."""

    base_label: str
    nodes: Mapping[str, NodeSpec]                  # class IRI -> spec
    relationships: Mapping[str, RelationshipSpec]  # object property IRI -> spec
    edges: Mapping[str, EdgeSpec]                  # n-ary class IRI -> spec
    values: Mapping[str, str]                      # individual IRI -> gx:neo4jValue
    kinds: Mapping[str, str] = field(default_factory=dict)  # gx:kindCode -> class IRI
    value_labels: Mapping[str, str] = field(default_factory=dict)  # gx:neo4jValue -> the individual's Chinese label
    kind_labels: Mapping[str, str] = field(default_factory=dict)   # gx:kindCode -> the class's Chinese label
    # (label, property key) pairs Neo4j keeps an index on (gx:neo4jIndexed): schema, not data, so not in to_dict
    # and not in the projection's signature
    indexed: tuple[tuple[str, str], ...] = ()

    def node_for(self, types: Iterable[str]) -> NodeSpec | None:
        """The most specific node spec among the ``rdf:type`` IRIs of a resource (None: not a node)."""
        best: NodeSpec | None = None
        for t in types:
            spec = self.nodes.get(t)
            if spec is not None and (best is None or len(spec.labels) > len(best.labels)):
                best = spec
        return best

    def labels_for(self, types: Iterable[str]) -> tuple[str, ...]:
        """All Neo4j labels of a resource with these ``rdf:type`` IRIs (empty if it is not a node)."""
        out: list[str] = []
        for t in types:
            spec = self.nodes.get(t)
            if spec:
                out.extend(label for label in spec.labels if label not in out)
        return tuple(out)

    def edge_for(self, types: Iterable[str]) -> EdgeSpec | None:
        for t in types:
            if t in self.edges:
                return self.edges[t]
        return None

    def relationship_types(self) -> frozenset[str]:
        return frozenset([r.type for r in self.relationships.values()] + [e.type for e in self.edges.values()])

    def value_of(self, iri: str) -> str:
        """How an IRI value is written in a Neo4j property: its gx:neo4jValue, else the IRI itself."""
        return self.values.get(iri, iri)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (used by docs and for debugging)."""
        from dataclasses import asdict

        return {
            "base_label": self.base_label,
            "nodes": {k: asdict(v) for k, v in self.nodes.items()},
            "relationships": {k: asdict(v) for k, v in self.relationships.items()},
            "edges": {k: asdict(v) for k, v in self.edges.items()},
            "values": dict(self.values),
            "kinds": dict(self.kinds),
        }


def load_projection(path: str | Path | None = None) -> Projection:
    """Read the projection annotations of ``guanxi.ttl`` (or of the ontology at ``path``).

    Cached per path; the returned object is immutable.
    """
    return _load_projection(str(path or ontology_path()))


@functools.lru_cache(maxsize=4)
def _load_projection(path: str) -> Projection:
    import rdflib
    from rdflib.collection import Collection

    g = rdflib.Graph().parse(path, format="turtle")
    U = rdflib.URIRef
    A = rdflib.RDF.type

    def gx(name: str) -> rdflib.URIRef:
        return U(GX[name])

    def literal(subject, prop) -> str | None:
        v = g.value(subject, prop)
        return None if v is None else str(v)

    def boolean(subject, prop) -> bool:
        v = g.value(subject, prop)
        return bool(v is not None and v.toPython() is True)

    def classes_of(expr) -> list[rdflib.term.Node]:
        """Named classes in a class expression (a class, or an owl:unionOf)."""
        if isinstance(expr, rdflib.URIRef):
            return [expr]
        union = g.value(expr, rdflib.OWL.unionOf)
        if union is None:
            return []
        return [c for member in Collection(g, union) for c in classes_of(member)]

    def domains(prop) -> list[rdflib.term.Node]:
        out = []
        for d in list(g.objects(prop, rdflib.RDFS.domain)) + list(g.objects(prop, U(SCHEMA.domainIncludes))):
            out.extend(classes_of(d))
        return out

    def ranges(prop) -> list[rdflib.term.Node]:
        out = []
        for r in list(g.objects(prop, rdflib.RDFS.range)) + list(g.objects(prop, U(SCHEMA.rangeIncludes))):
            out.extend(classes_of(r))
        return out

    # --- node classes -----------------------------------------------------------------------------
    own_label = {c: str(lbl) for c, lbl in g.subject_objects(gx("neo4jLabel")) if (c, A, rdflib.OWL.Class) in g}
    base_label = literal(U(ONTOLOGY_IRI), gx("neo4jLabel")) or "Entity"

    def projected_superclasses(c) -> list[rdflib.URIRef]:
        """Projected superclasses, nearest first (breadth-first over rdfs:subClassOf)."""
        seen: list[rdflib.URIRef] = []
        frontier = [c]
        while frontier:
            nxt = []
            for x in frontier:
                for sup in g.objects(x, rdflib.RDFS.subClassOf):
                    if sup in own_label and sup not in seen and sup != c:
                        seen.append(sup)
                        nxt.append(sup)
            frontier = nxt
        return seen

    def spec_from_node(desc) -> PropertySpec:
        key = literal(desc, gx("neo4jProperty"))
        path_list = g.value(desc, gx("propertyPath"))
        if not key or path_list is None:
            raise ValueError(f"{path}: projection property description {desc} needs gx:neo4jProperty and gx:propertyPath")
        steps = tuple(str(p) for p in Collection(g, path_list))
        last = U(steps[-1])
        rng = g.value(last, rdflib.RDFS.range)
        datatype = str(rng) if isinstance(rng, rdflib.URIRef) and str(rng).startswith(str(XSD)) else None
        return PropertySpec(key, steps, boolean(desc, gx("multiValued")), datatype)

    def sort_props(specs: Iterable[PropertySpec]) -> tuple[PropertySpec, ...]:
        uniq: dict[str, PropertySpec] = {}
        for s in specs:
            uniq.setdefault(s.key, s)
        return tuple(sorted(uniq.values(), key=lambda s: s.key))

    # datatype properties with gx:neo4jProperty -> node properties of their domain classes
    direct_props: dict[rdflib.term.Node, list[PropertySpec]] = {}
    for prop, key in g.subject_objects(gx("neo4jProperty")):
        if not isinstance(prop, rdflib.URIRef):
            continue  # a description node, handled via gx:nodeProperty / gx:edgeProperty
        rng = g.value(prop, rdflib.RDFS.range)
        spec = PropertySpec(str(key), (str(prop),), boolean(prop, gx("multiValued")),
                            str(rng) if isinstance(rng, rdflib.URIRef) and str(rng).startswith(str(XSD)) else None)
        for d in domains(prop):
            direct_props.setdefault(d, []).append(spec)

    # datatype properties with gx:neo4jIndexed: an index on the property for the label of each domain class
    indexed = sorted({(own_label[d], str(key)) for prop, key in g.subject_objects(gx("neo4jProperty"))
                      if isinstance(prop, rdflib.URIRef) and boolean(prop, gx("neo4jIndexed"))
                      for d in domains(prop) if d in own_label})

    nodes: dict[str, NodeSpec] = {}
    for c, label in own_label.items():
        supers = projected_superclasses(c)
        chain = [c] + supers  # specific -> general

        def inherited(prop_name: str) -> str | None:
            for x in chain:
                v = literal(x, gx(prop_name))
                if v is not None:
                    return v
            return None

        props: list[PropertySpec] = []
        for x in chain:
            props.extend(direct_props.get(x, []))
            props.extend(spec_from_node(d) for d in g.objects(x, gx("nodeProperty")))
        labels = [base_label] + [own_label[s] for s in reversed(supers)] + [label]
        nodes[str(c)] = NodeSpec(
            cls=str(c), label=label, labels=tuple(dict.fromkeys(labels)), properties=sort_props(props),
            caption=inherited("viewCaption"), shape=inherited("viewShape"), color=inherited("viewColor"),
            kind=literal(c, gx("kindCode")), superclasses=tuple(str(s) for s in supers),
        )

    def labels_of(classes: Iterable[rdflib.term.Node]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(nodes[str(c)].label for c in classes if str(c) in nodes))

    # --- object properties -> relationships -------------------------------------------------------
    relationships: dict[str, RelationshipSpec] = {}
    for prop, rtype in g.subject_objects(gx("neo4jType")):
        reverse = boolean(prop, gx("neo4jReverse"))
        dom, rng = labels_of(domains(prop)), labels_of(ranges(prop))
        start, end = (rng, dom) if reverse else (dom, rng)
        relationships[str(prop)] = RelationshipSpec(str(prop), str(rtype), reverse, start, end,
                                                    literal(prop, gx("viewColor")))

    # --- n-ary classes -> relationships -----------------------------------------------------------
    edges: dict[str, EdgeSpec] = {}
    for c, etype in g.subject_objects(gx("edgeLabel")):
        source, target = g.value(c, gx("edgeSource")), g.value(c, gx("edgeTarget"))
        if source is None or target is None:
            raise ValueError(f"{path}: {c} has gx:edgeLabel but lacks gx:edgeSource or gx:edgeTarget")
        props = sort_props(spec_from_node(d) for d in g.objects(c, gx("edgeProperty")))
        edges[str(c)] = EdgeSpec(str(c), str(etype), str(source), str(target), labels_of(ranges(source)),
                                 labels_of(ranges(target)), props, literal(c, gx("viewColor")))

    values = {str(i): str(v) for i, v in g.subject_objects(gx("neo4jValue"))}
    value_labels = {}
    for individual, value in g.subject_objects(gx("neo4jValue")):
        zh = [str(label) for label in g.objects(individual, rdflib.RDFS.label) if getattr(label, "language", None) == "zh"]
        value_labels[str(value)] = zh[0] if zh else str(value)
    kinds = {n.kind: n.cls for n in nodes.values() if n.kind}
    kind_labels = {}
    for cls, code in g.subject_objects(gx("kindCode")):
        zh = [str(label) for label in g.objects(cls, rdflib.RDFS.label) if getattr(label, "language", None) == "zh"]
        kind_labels[str(code)] = zh[0] if zh else str(code)
    meeting_zh = [str(x) for x in g.objects(rdflib.URIRef(gx("Meeting")), rdflib.RDFS.label) if getattr(x, "language", None) == "zh"]
    kind_labels.setdefault("meeting", meeting_zh[0] if meeting_zh else "meeting")
    return Projection(
        base_label=base_label,
        nodes=MappingProxyType(dict(sorted(nodes.items()))),
        relationships=MappingProxyType(dict(sorted(relationships.items()))),
        edges=MappingProxyType(dict(sorted(edges.items()))),
        values=MappingProxyType(values),
        kinds=MappingProxyType(kinds),
        value_labels=MappingProxyType(value_labels),
        kind_labels=MappingProxyType(kind_labels),
        indexed=tuple(indexed),
    )
