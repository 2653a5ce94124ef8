"""The store as a property graph: what ``guanxi sync`` writes to Neo4j. Pure, given the store's quads.

The mapping is read from the ontology's projection annotations (:func:`guanxi.ontology.vocab.load_projection`),
never hard-coded per class; ``docs/schema.md`` documents the result.  In short:

* **nodes**: every resource typed with a projected class (``NodeSpec``) becomes one node with the labels of all
  its projected types (the base label ``Entity`` first), an ``iri`` property (unique), the spec's properties
  (values reached along each ``PropertySpec.path``), and ``kind`` (``gx:kindCode``) for organizations;
* **relationships** from object properties (``RelationshipSpec``): one per (start, type, end), reversed when the
  spec says so, with ``sources`` = the documents whose named graph states the triple;
* **relationships** from n-ary classes (``EdgeSpec``: Tenure -> ``HELD``, Participation -> ``PARTICIPATED``): one
  per instance, with ``iri`` (the n-ary resource), the spec's properties (``sources`` among them), and the
  evidence lists ``mentions`` / ``quotes`` (see below);
* **evidence**: the Web Annotation spans facts point at with ``gx:attestedBy`` become ``(:Entity:Mention {exact,
  prefix, suffix, start, end, role})`` nodes, ``(fact)-[:ATTESTED_BY]->(:Mention)`` and
  ``(:Mention)-[:IN_DOCUMENT]->(:Document)``: the quoted text behind every node, in Cypher.  The ontology keeps
  ``gx:Mention`` out of its annotated projection (it is provenance, not a thing), so this layer is defined here,
  generically, from ``gx:attestedBy`` and the ``oa:`` selectors — for every projected resource alike.

Values: ``xsd:date`` -> :class:`datetime.date` (a Neo4j ``DATE``), ``xsd:integer`` (and the other integer types)
-> ``int``, decimals/doubles -> ``float``, ``xsd:boolean`` -> ``bool``, every other literal -> its lexical
``str`` (language tags dropped); an IRI value -> its ``gx:neo4jValue`` when it has one, else the IRI string, and
when that IRI has an ``rdfs:label`` (a ``gx:Post``: 唐山市委书记) the label also goes into ``<key>_label``.
Multi-valued properties are sorted lists of distinct values; a single-valued property with several values keeps
the smallest (deterministic).  Empty properties are left out (Neo4j has no nulls in properties).

Identity: a node is its ``iri``; a relationship is ``_gx_id`` = a hash of (type, start iri, end iri, and the
n-ary resource's iri or the mention's iri where parallel relationships are possible).  Each element also has a
content hash ``_gx_hash`` of its labels/type, endpoints and properties: :mod:`guanxi.graph.neo4j_sync` stores
both in Neo4j and writes only what changed.

:func:`store_generation` is a cheap fingerprint of the store (one constant SPARQL query over the documents'
content hashes plus the sizes of the resolution and manual graphs) that lets a sync skip all of this when
nothing changed since the last one.
"""
from __future__ import annotations

import gc
import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator

import pyoxigraph as ox

from guanxi.graph.store import PENDING_GRAPH, is_data_graph
from guanxi.ontology import iri as gi
from guanxi.ontology.vocab import GX, OA, RDF, RDFS, XSD, Projection, PropertySpec, load_projection

__all__ = [
    "PROJECTION_VERSION", "NAME_PATTERN", "MENTION_LABEL", "REDACTED_LABEL", "ATTESTED_BY", "IN_DOCUMENT",
    "Node", "Relationship", "PropertyGraph", "project", "project_quads", "predict_counts", "store_generation",
    "projection_signature", "all_labels", "all_relationship_types", "check_name", "data_quads", "projection_quads",
]

PROJECTION_VERSION = "2"
"""Bump when this module's mapping changes: every element's hash (and the sync fingerprint) changes with it."""

NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""What a label, relationship type or property key must look like to be written into Cypher text."""

# the evidence layer (see the module docstring): label and types derived from the ontology's own terms
MENTION_LABEL = GX.local(GX.Mention)                  # "Mention"
REDACTED_LABEL = GX.local(GX.RedactedMention)         # "RedactedMention"
ATTESTED_BY = "ATTESTED_BY"   # gx:attestedBy, in the UPPER_SNAKE_CASE of relationship types
IN_DOCUMENT = "IN_DOCUMENT"   # oa:hasTarget / oa:hasSource of a mention, in one step

_INTEGER_TYPES = frozenset(XSD[t] for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_FLOAT_TYPES = frozenset(XSD[t] for t in ("decimal", "double", "float"))
_SEP = "\x1f"
# plain-str IRIs for the hot loops (the namespace objects' attribute lookups are slow in bulk)
_XSD_DATE, _XSD_BOOLEAN = XSD.date, XSD.boolean
_RDF_TYPE, _RDFS_LABEL, _GX_DOCUMENT = RDF.type, RDFS.label, GX.Document
_ATTESTED_BY, _MENTION_ROLE, _REDACTED = GX.attestedBy, GX.mentionRole, GX.RedactedMention
_HAS_TARGET, _HAS_SOURCE, _HAS_SELECTOR = OA.hasTarget, OA.hasSource, OA.hasSelector
_SELECTOR_KEYS = (("exact", OA.exact), ("prefix", OA.prefix), ("suffix", OA.suffix), ("start", OA.start),
                  ("end", OA.end))
_OA_START = OA.start


def check_name(name: str) -> str:
    """``name`` if it is a safe Cypher identifier (labels, types, keys come from the ontology only)."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"not a valid Neo4j name (must match {NAME_PATTERN.pattern}): {name!r}")
    return name


# --------------------------------------------------------------------------------------------------
# the result
# --------------------------------------------------------------------------------------------------

class Node:
    """One Neo4j node: ``labels`` (base label first), ``props`` (with ``iri``), content ``hash``."""

    __slots__ = ("iri", "labels", "props", "hash")

    def __init__(self, iri: str, labels: tuple[str, ...], props: dict[str, Any]):
        self.iri = iri
        self.labels = labels
        self.props = props
        self.hash = _content_hash(("node", labels), props)

    def __repr__(self) -> str:
        return f"Node({':'.join(self.labels)} {gi.readable(self.iri)})"


class Relationship:
    """One Neo4j relationship ``(start)-[type {props}]->(end)`` with its identity ``id`` and content ``hash``."""

    __slots__ = ("id", "type", "start", "end", "props", "hash")

    def __init__(self, type: str, start: str, end: str, props: dict[str, Any], discriminator: str = ""):
        self.type = type
        self.start = start
        self.end = end
        self.id = hashlib.sha256(_SEP.join((type, start, end, discriminator)).encode("utf-8")).hexdigest()[:32]
        self.props = props
        self.hash = _content_hash(("rel", type, start, end), props)

    def __repr__(self) -> str:
        return f"Relationship({gi.readable(self.start)} -[{self.type}]-> {gi.readable(self.end)})"


@dataclass
class PropertyGraph:
    """The projection of a store: nodes by iri, relationships by id."""

    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)

    def node_counts(self) -> Counter:
        """label -> number of nodes carrying it (a node counts once under each of its labels)."""
        out: Counter = Counter()
        for n in self.nodes.values():
            out.update(n.labels)
        return out

    def relationship_counts(self) -> Counter:
        """relationship type -> number of relationships."""
        return Counter(r.type for r in self.relationships.values())

    def labels(self) -> set[str]:
        return {label for n in self.nodes.values() for label in n.labels}

    def __len__(self) -> int:
        return len(self.nodes) + len(self.relationships)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot hash {type(value).__name__}")


def _content_hash(head: tuple, props: dict[str, Any]) -> str:
    """128 bits of SHA-256 over the repr of (version, head, sorted properties): values are only str, int, float,
    bool, datetime.date and lists of them, whose reprs are stable (and 3x cheaper than JSON)."""
    text = repr((PROJECTION_VERSION, head, sorted(props.items())))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _digest(payload: Any) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


# --------------------------------------------------------------------------------------------------
# reading the quads
# --------------------------------------------------------------------------------------------------

class _Index:
    """What the projection needs from the quads, grouped by subject.

    ``links[s][p]``: IRI objects; ``values[s][p]``: literal objects (already Python values); ``types[s]``;
    ``triple_graphs[(s, p, o)]``: graphs stating a relationship triple; ``doc_of_graph[g]``: the document a
    named graph was extracted from.
    """

    def __init__(self) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.values: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
        self.triple_graphs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.doc_of_graph: dict[str, str] = {}


def _literal(term: ox.Literal) -> Any:
    dt = term.datatype.value
    text = term.value
    try:
        if dt == _XSD_DATE:
            return date.fromisoformat(text[:10]) if len(text) >= 10 else text
        if dt in _INTEGER_TYPES:
            return int(text)
        if dt in _FLOAT_TYPES:
            return float(text)
        if dt == _XSD_BOOLEAN:
            return text in ("true", "1")
    except ValueError:
        return text  # ill-typed literal: keep the lexical form
    return text


def _wanted_predicates(projection: Projection) -> tuple[set[str], set[str]]:
    """(predicates to index, object properties whose triples need their graphs)."""
    wanted = {RDF.type, RDFS.label, GX.attestedBy, OA.hasTarget, OA.hasSource, OA.hasSelector, OA.exact, OA.prefix,
              OA.suffix, OA.start, OA.end, GX.mentionRole}
    for spec in projection.nodes.values():
        for p in spec.properties:
            wanted.update(p.path)
    for edge in projection.edges.values():
        wanted.update((edge.source, edge.target))
        for p in edge.properties:
            wanted.update(p.path)
    rel_props = set(projection.relationships)
    return wanted | rel_props, rel_props


def _index(quads: Iterable[ox.Quad], projection: Projection) -> _Index:
    wanted, rel_props = _wanted_predicates(projection)
    idx = _Index()
    rdf_type, document = _RDF_TYPE, _GX_DOCUMENT
    NamedNode, Literal = ox.NamedNode, ox.Literal
    for q in quads:
        p = q.predicate.value
        if p not in wanted:
            continue
        s = q.subject.value
        o = q.object
        g = q.graph_name
        if type(o) is NamedNode:
            ov = o.value
            if p == rdf_type:
                idx.types[s].add(ov)
                if ov == document and type(g) is NamedNode:
                    idx.doc_of_graph[g.value] = s
                continue
            idx.links[s][p].add(ov)
            if p in rel_props:
                idx.triple_graphs[(s, p, ov)].add(g.value if type(g) is NamedNode else "")
        elif type(o) is Literal:
            idx.values[s][p].add(_literal(o))
        # blank-node objects: the data graphs have none; nothing to project from them
    return idx


# --------------------------------------------------------------------------------------------------
# the projection
# --------------------------------------------------------------------------------------------------

def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _walk(idx: _Index, start: str, path: tuple[str, ...]) -> tuple[set[str], set[Any]]:
    """(IRI values, literal values) reached from ``start`` along ``path``."""
    frontier = {start}
    for step in path[:-1]:
        nxt: set[str] = set()
        for x in frontier:
            got = idx.links.get(x)
            if got and step in got:
                nxt |= got[step]
        frontier = nxt
        if not frontier:
            return set(), set()
    last = path[-1]
    iris: set[str] = set()
    literals: set[Any] = set()
    for x in frontier:
        got = idx.links.get(x)
        if got and last in got:
            iris |= got[last]
        vals = idx.values.get(x)
        if vals and last in vals:
            literals |= vals[last]
    return iris, literals


def _finish(values: set[Any], multi: bool) -> Any:
    if not values:
        return None
    ordered = sorted(values, key=_sort_key)
    if multi:
        if len({type(v) for v in ordered}) > 1:  # Neo4j lists are homogeneous
            ordered = sorted({str(v) for v in ordered})
        return ordered
    return ordered[0]


def _properties(idx: _Index, projection: Projection, subject: str, specs: Iterable[PropertySpec],
                out: dict[str, Any]) -> None:
    for spec in specs:
        iris, literals = _walk(idx, subject, spec.path)
        values = set(literals) | {projection.value_of(i) for i in iris}
        value = _finish(values, spec.multi_valued)
        if value is not None:
            out[check_name(spec.key)] = value
        # an IRI value that is not a node but has a label (a gx:Post): its readable name as <key>_label
        labels: set[Any] = set()
        for i in iris:
            if i not in projection.values:
                labels |= idx.values.get(i, {}).get(_RDFS_LABEL, set())
        label = _finish(labels, spec.multi_valued)
        if label is not None:
            out[check_name(spec.key + "_label")] = label


def _mention_doc(idx: _Index, mention: str) -> str | None:
    docs, _ = _walk(idx, mention, (_HAS_TARGET, _HAS_SOURCE))
    return min(docs) if docs else None


def _mention_node(idx: _Index, projection: Projection, mention: str) -> Node:
    props: dict[str, Any] = {"iri": mention}
    for target in sorted(idx.links.get(mention, {}).get(_HAS_TARGET, ())):
        for selector in sorted(idx.links.get(target, {}).get(_HAS_SELECTOR, ())):
            for key, pred in _SELECTOR_KEYS:
                vals = idx.values.get(selector, {}).get(pred)
                if vals and key not in props:
                    props[key] = _finish(vals, False)
    role = idx.values.get(mention, {}).get(_MENTION_ROLE)
    if role:
        props["role"] = _finish(role, False)
    labels = [projection.base_label, MENTION_LABEL]
    if _REDACTED in idx.types.get(mention, ()):
        labels.append(REDACTED_LABEL)
    return Node(mention, tuple(labels), props)


def _evidence_order(idx: _Index, mentions: Iterable[str]) -> list[str]:
    def key(m: str) -> tuple[str, int, str]:
        doc = _mention_doc(idx, m) or ""
        start = -1
        for target in idx.links.get(m, {}).get(_HAS_TARGET, ()):
            for selector in idx.links.get(target, {}).get(_HAS_SELECTOR, ()):
                for v in idx.values.get(selector, {}).get(_OA_START, ()):
                    start = v if isinstance(v, int) else start
        return (doc, start, m)
    return sorted(mentions, key=key)


def project_quads(quads: Iterable[ox.Quad], projection: Projection | None = None) -> PropertyGraph:
    """The property graph of ``quads`` (the union of the data graphs; the ontology graph left out)."""
    projection = projection or load_projection()
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small acyclic objects: the cyclic GC would only rescan them
    try:
        return _project(quads, projection)
    finally:
        if enabled:
            gc.enable()


def _project(quads: Iterable[ox.Quad], projection: Projection) -> PropertyGraph:
    base = check_name(projection.base_label)
    idx = _index(quads, projection)
    graph = PropertyGraph()
    nodes = graph.nodes

    def add_rel(rel: Relationship) -> None:
        known = graph.relationships.get(rel.id)
        if known is None:
            graph.relationships[rel.id] = rel

    # ---- nodes ------------------------------------------------------------------------------------
    evidence: dict[str, set[str]] = {}    # projected node -> its mentions
    for subject, types in idx.types.items():
        specs = [projection.nodes[t] for t in types if t in projection.nodes]
        if not specs:
            continue
        labels = {label for spec in specs for label in spec.labels} - {base}
        props: dict[str, Any] = {"iri": subject}
        seen_keys: set[str] = set()
        prop_specs = []
        for spec in sorted(specs, key=lambda s: (-len(s.labels), s.cls)):  # most specific first
            for p in spec.properties:
                if p.key not in seen_keys:
                    seen_keys.add(p.key)
                    prop_specs.append(p)
        _properties(idx, projection, subject, prop_specs, props)
        best = projection.node_for(sorted(types))
        if best is not None and best.kind and "kind" not in props:
            props["kind"] = best.kind
        nodes[subject] = Node(subject, (base, *sorted(check_name(x) for x in labels)), props)
        mentions = idx.links.get(subject, {}).get(_ATTESTED_BY)
        if mentions:
            evidence[subject] = mentions

    # ---- n-ary classes -> relationships -------------------------------------------------------------
    nary: list[tuple[str, Any]] = []
    for subject, types in idx.types.items():
        for t in sorted(types):
            edge = projection.edges.get(t)
            if edge is not None:
                nary.append((subject, edge))
                break

    # ---- evidence nodes (every mention attesting a projected node or n-ary relationship) ------------
    attesting: set[str] = set()
    for mentions in evidence.values():
        attesting |= mentions
    for subject, _edge in nary:
        attesting |= idx.links.get(subject, {}).get(_ATTESTED_BY, set())
    for m in attesting:
        if m not in nodes:
            nodes[m] = _mention_node(idx, projection, m)

    # ---- object properties -> relationships --------------------------------------------------------
    for (s, p, o), graphs in idx.triple_graphs.items():
        spec = projection.relationships.get(p)
        if spec is None:
            continue
        start, end = (o, s) if spec.reverse else (s, o)
        if start not in nodes or end not in nodes:
            continue
        sources = sorted({idx.doc_of_graph[g] for g in graphs if g in idx.doc_of_graph})
        rel = Relationship(check_name(spec.type), start, end, {})
        known = graph.relationships.get(rel.id)
        if known is not None:  # two properties projected to one type between the same nodes: one relationship
            sources = sorted(set(sources) | set(known.props.get("sources", [])))
        props = {"sources": sources} if sources else {}
        graph.relationships[rel.id] = Relationship(rel.type, start, end, props)

    for subject, edge in nary:
        starts, _ = _walk(idx, subject, (edge.source,))
        ends, _ = _walk(idx, subject, (edge.target,))
        props: dict[str, Any] = {"iri": subject}
        _properties(idx, projection, subject, edge.properties, props)
        mentions = _evidence_order(idx, idx.links.get(subject, {}).get(_ATTESTED_BY, ()))
        if mentions:
            props["mentions"] = mentions
            quotes = [nodes[m].props.get("exact", "") for m in mentions]
            props["quotes"] = quotes
        for start in sorted(starts):
            for end in sorted(ends):
                if start in nodes and end in nodes:
                    add_rel(Relationship(check_name(edge.type), start, end, dict(props), discriminator=subject))

    # ---- evidence relationships -----------------------------------------------------------------------
    for subject, mentions in evidence.items():
        for m in mentions:
            doc = _mention_doc(idx, m)
            add_rel(Relationship(ATTESTED_BY, subject, m, {"sources": [doc]} if doc else {}))
    for m in attesting:
        doc = _mention_doc(idx, m)
        if doc and doc in nodes:
            add_rel(Relationship(IN_DOCUMENT, m, doc, {"sources": [doc]}))
    return graph


def projection_quads(store: Any, projection: Projection | None = None) -> Iterator[ox.Quad]:
    """The quads the projection reads, as cheaply as the store allows.

    The store keeps its default graph as the set union of its graphs (``graph/store.py``), so each needed triple
    is read once from there — only the predicates the mapping uses, and ``rdf:type`` only for the classes it
    maps (two thirds of the type triples type the text selectors under each mention, which nothing reads);
    relationship triples (whose ``sources`` are the graphs that state them) and the documents' types come from
    the data graphs.  About half of what every quad of every data graph would be, and reading is most of a
    projection's time.  A store without that union
    (an empty default graph) is read graph by graph (:func:`data_quads`).  Ontology triples (in the union) are
    left out: their subjects are ontology terms or blank nodes, never data.
    """
    projection = projection or load_projection()
    raw = getattr(store, "store", None)
    if not isinstance(raw, ox.Store) or next(iter(raw.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
        yield from data_quads(store)
        return
    wanted, rel_props = _wanted_predicates(projection)
    ontology = str(GX)
    # rdf:type only for the classes the mapping reads: two thirds of the type triples are of the text
    # selectors and targets under each mention, which the projection never looks at
    typed = sorted(set(projection.nodes) | set(projection.edges) | {_REDACTED})
    rdf_type = ox.NamedNode(_RDF_TYPE)
    for cls in typed:
        for q in raw.quads_for_pattern(None, rdf_type, ox.NamedNode(cls), ox.DefaultGraph()):
            subject = q.subject
            if type(subject) is ox.NamedNode and not subject.value.startswith(ontology):
                yield q
    for p in sorted(wanted - rel_props - {_RDF_TYPE}):
        for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, ox.DefaultGraph()):
            subject = q.subject
            if type(subject) is ox.NamedNode and not subject.value.startswith(ontology):
                yield q
    for p in sorted(rel_props):
        for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, None):
            if is_data_graph(q.graph_name):
                yield q
    for q in raw.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_GX_DOCUMENT), None):
        if is_data_graph(q.graph_name):
            yield q


def data_quads(store: Any) -> Iterator[ox.Quad]:
    """The quads of the store's data graphs — what ``GraphStore.quads()`` yields — read graph by graph, so
    that the default graph (the store keeps it as the union of the others) is never scanned: about a quarter
    faster than a full scan, and reading the store is most of a projection's time."""
    raw = getattr(store, "store", None)
    if not isinstance(raw, ox.Store):
        yield from store.quads()
        return
    for graph in raw.named_graphs():
        if is_data_graph(graph):
            yield from raw.quads_for_pattern(None, None, None, graph)


def project(store: Any, projection: Projection | None = None) -> PropertyGraph:
    """The property graph of a :class:`guanxi.graph.store.GraphStore` (its data graphs)."""
    projection = projection or load_projection()
    return project_quads(projection_quads(store, projection), projection)


def predict_counts(store: Any) -> tuple[dict[str, int], dict[str, int]]:
    """(label -> nodes, relationship type -> relationships) the mapping predicts for ``store``: the test oracle
    for what Neo4j must hold after a sync."""
    graph = project(store)
    return dict(graph.node_counts()), dict(graph.relationship_counts())


def all_labels(projection: Projection | None = None) -> list[str]:
    """Every label a projected node can carry (the base label first): uniqueness constraints go on these."""
    projection = projection or load_projection()
    labels = {label for spec in projection.nodes.values() for label in spec.labels}
    labels |= {MENTION_LABEL, REDACTED_LABEL}
    base = projection.base_label
    return [check_name(base)] + sorted(check_name(x) for x in labels - {base})


def all_relationship_types(projection: Projection | None = None) -> list[str]:
    projection = projection or load_projection()
    return sorted(check_name(t) for t in projection.relationship_types() | {ATTESTED_BY, IN_DOCUMENT})


# --------------------------------------------------------------------------------------------------
# the store's generation
# --------------------------------------------------------------------------------------------------

_GENERATION_DOCUMENTS = f"""
SELECT ?g ?hash ?sha ?version WHERE {{
  GRAPH ?g {{ ?doc a <{GX.Document}> ; <{GX.contentHash}> ?hash .
             OPTIONAL {{ ?doc <http://schema.org/sha256> ?sha }} OPTIONAL {{ ?doc <http://schema.org/version> ?version }} }}
}}
"""
_GENERATION_SIZES = f"""
SELECT ?g (COUNT(*) AS ?n) WHERE {{
  VALUES ?g {{ <{gi.RESOLUTION_GRAPH}> <{gi.MANUAL_GRAPH}> <{PENDING_GRAPH}> }}
  GRAPH ?g {{ ?s ?p ?o }}
}} GROUP BY ?g
"""


def projection_signature(projection: Projection | None = None) -> str:
    """A hash of the mapping itself (the ontology's annotations and :data:`PROJECTION_VERSION`)."""
    projection = projection or load_projection()
    return _digest([PROJECTION_VERSION, projection.to_dict()])


def store_generation(store: Any) -> str:
    """A cheap fingerprint of everything the projection depends on.

    sha256 over, per document graph, (graph, ``gx:contentHash``, ``schema:sha256``, ``schema:version``) — a
    document graph is a function of its text, the extractor version and the user's decisions — plus the sizes
    of the resolution, manual and pending graphs (decisions only ever add triples to the manual graph), plus
    :func:`projection_signature`.  Two constant SPARQL queries; no quad is read one by one.
    """
    raw = store.store if hasattr(store, "store") else store
    rows = sorted(
        "\t".join("" if r[k] is None else r[k].value for k in ("g", "hash", "sha", "version"))
        for r in raw.query(_GENERATION_DOCUMENTS)
    )
    sizes = sorted(f"{r['g'].value}\t{r['n'].value}" for r in raw.query(_GENERATION_SIZES))
    h = hashlib.sha256()
    h.update(projection_signature().encode())
    for line in rows + ["--"] + sizes:
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()
