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
import weakref
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
    "Scope", "ScopeProjector", "StoreReader", "graph_footprint", "in_scope", "nary_of", "relationship_directions",
    "step_predicates", "typed_classes", "generation_of", "generation_sizes",
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

    @classmethod
    def restore(cls, iri: str, labels: tuple[str, ...], props: dict[str, Any], digest: str) -> "Node":
        """A node read back from the projection cache (its hash is not recomputed)."""
        node = cls.__new__(cls)
        node.iri, node.labels, node.props, node.hash = iri, labels, props, digest
        return node

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

    @classmethod
    def restore(cls, rid: str, type: str, start: str, end: str, props: dict[str, Any], digest: str) -> "Relationship":
        """A relationship read back from the projection cache."""
        rel = cls.__new__(cls)
        rel.id, rel.type, rel.start, rel.end, rel.props, rel.hash = rid, type, start, end, props, digest
        return rel

    def __repr__(self) -> str:
        return f"Relationship({gi.readable(self.start)} -[{self.type}]-> {gi.readable(self.end)})"


@dataclass
class PropertyGraph:
    """The projection of a store: nodes by iri, relationships by id.

    A full projection of named graphs also records, per graph, its document (``documents``) and its
    ``footprints``: the subjects whose description in that graph the projection depends on (see
    :func:`graph_footprint`) — what an incremental sync re-projects when that graph changes."""

    nodes: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Relationship] = field(default_factory=dict)
    footprints: dict[str, frozenset[str]] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)

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

_EMPTY: frozenset = frozenset()
_NO_LINKS: dict = {}


class _Index:
    """What the projection needs from the quads, grouped by subject (the eager reader of a full projection).

    ``links[s][p]``: IRI objects; ``values[s][p]``: literal objects (already Python values); ``types[s]``;
    ``triple_graphs[(s, p, o)]``: graphs stating a relationship triple; ``doc_of_graph[g]``: the document a
    named graph was extracted from; ``footprints[g]``: what graph ``g`` says that the projection depends on
    (see :func:`graph_footprint`), for the incremental sync.
    """

    def __init__(self) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.values: dict[str, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
        self.triple_graphs: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.doc_of_graph: dict[str, str] = {}
        self.footprints: dict[str, set[str]] = defaultdict(set)

    def graphs(self, s: str, p: str, o: str) -> set[str]:
        return self.triple_graphs.get((s, p, o), _EMPTY)


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


_EVIDENCE_STEPS = frozenset({GX.attestedBy, OA.hasTarget, OA.hasSource, OA.hasSelector})


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


def step_predicates(projection: Projection) -> set[str]:
    """Predicates of property paths whose IRI objects the projection looks into (a post's title and label):
    a change of such an object's description changes every element whose path reaches it.  The evidence chain
    (gx:attestedBy/oa:hasTarget/oa:hasSource, oa:hasSelector) is left out: mentions are handled as nodes."""
    steps: set[str] = set()
    specs = [p for n in projection.nodes.values() for p in n.properties]
    specs += [p for e in projection.edges.values() for p in e.properties]
    for spec in specs:
        steps.update(spec.path[:-1])
        if spec.datatype is None:
            steps.add(spec.path[-1])
    return steps - _EVIDENCE_STEPS


def typed_classes(projection: Projection) -> set[str]:
    """The classes whose instances the projection turns into nodes or relationships (plus redacted mentions)."""
    return set(projection.nodes) | set(projection.edges) | {_REDACTED}


def _index(quads: Iterable[ox.Quad], projection: Projection) -> _Index:
    wanted, rel_props = _wanted_predicates(projection)
    steps = step_predicates(projection)
    typed = typed_classes(projection)
    idx = _Index()
    rdf_type, document = _RDF_TYPE, _GX_DOCUMENT
    NamedNode, Literal = ox.NamedNode, ox.Literal
    footprints = idx.footprints
    for q in quads:
        p = q.predicate.value
        if p not in wanted:
            continue
        s = q.subject.value
        o = q.object
        g = q.graph_name
        named = type(g) is NamedNode
        if type(o) is NamedNode:
            ov = o.value
            if p == rdf_type:
                idx.types[s].add(ov)
                if named:
                    gv = g.value
                    if ov == document:
                        known = idx.doc_of_graph.get(gv)
                        if known is None or s < known:
                            idx.doc_of_graph[gv] = s
                    if ov in typed:
                        footprints[gv].add(s)
                continue
            idx.links[s][p].add(ov)
            if p in rel_props:
                gv = g.value if named else ""
                idx.triple_graphs[(s, p, ov)].add(gv)
                if named:
                    footprints[gv].add(s)
            elif named and p in steps and ov not in projection.values:
                footprints[g.value].add(ov)
        elif type(o) is Literal:
            idx.values[s][p].add(_literal(o))
        # blank-node objects: the data graphs have none; nothing to project from them
    return idx


class StoreReader:
    """The :class:`_Index` interface answered by index lookups on the store's union graph, on demand: what a
    partial projection (:func:`project_scope`) reads is proportional to the elements it projects.

    ``links.get(s)`` / ``values.get(s)`` return per-subject views whose ``get(p)`` / ``in`` / ``[p]`` read
    ``(s, p, ?)`` once; ``types.get(s)`` reads ``(s, rdf:type, ?)``; :meth:`graphs` reads the named graphs stating
    a triple; ``doc_of_graph`` the document typed in a graph."""

    def __init__(self, raw: ox.Store, projection: Projection):
        self.raw = raw
        self.projection = projection
        self._po: dict[tuple[str, str], tuple[set[str], set[Any]]] = {}
        # the views refer back to the reader weakly: no reference cycle keeps the store (and its lock) alive
        me = weakref.proxy(self)
        self.types = _LazyTypes(me)
        self.links = _LazyMap(me, 0)
        self.values = _LazyMap(me, 1)
        self.doc_of_graph = _LazyDocs(me)
        self.lookups = 0           # index lookups made (a test and the benchmark count them)

    def objects(self, s: str, p: str) -> tuple[set[str], set[Any]]:
        key = (s, p)
        got = self._po.get(key)
        if got is None:
            self.lookups += 1
            iris: set[str] = set()
            literals: set[Any] = set()
            for q in self.raw.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, ox.DefaultGraph()):
                o = q.object
                if type(o) is ox.NamedNode:
                    iris.add(o.value)
                elif type(o) is ox.Literal:
                    literals.add(_literal(o))
            got = self._po[key] = (iris, literals)
        return got

    def subjects(self, p: str, o: str) -> set[str]:
        """Subjects of ``(?, p, o)`` in the union (backward lookups)."""
        self.lookups += 1
        return {q.subject.value for q in self.raw.quads_for_pattern(None, ox.NamedNode(p), ox.NamedNode(o), ox.DefaultGraph())
                if type(q.subject) is ox.NamedNode}

    def graphs(self, s: str, p: str, o: str) -> set[str]:
        """The data graphs stating ``(s, p, o)``."""
        self.lookups += 1
        return {q.graph_name.value for q in self.raw.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), None)
                if is_data_graph(q.graph_name)}


class _LazyTypes:
    def __init__(self, reader: StoreReader):
        self.reader = reader

    def get(self, s: str, default: Any = _EMPTY) -> set[str]:
        return self.reader.objects(s, _RDF_TYPE)[0] or default


class _LazySubject:
    __slots__ = ("reader", "s", "which")

    def __init__(self, reader: StoreReader, s: str, which: int):
        self.reader, self.s, self.which = reader, s, which

    def get(self, p: str, default: Any = None) -> Any:
        return self.reader.objects(self.s, p)[self.which] or default

    def __contains__(self, p: str) -> bool:
        return bool(self.reader.objects(self.s, p)[self.which])

    def __getitem__(self, p: str) -> Any:
        return self.reader.objects(self.s, p)[self.which]


class _LazyMap:
    def __init__(self, reader: StoreReader, which: int):
        self.reader, self.which = reader, which

    def get(self, s: str, default: Any = None) -> _LazySubject:
        return _LazySubject(self.reader, s, self.which)


class _LazyDocs:
    def __init__(self, reader: StoreReader):
        self.reader = reader
        self._docs: dict[str, str | None] = {}

    def _doc(self, g: str) -> str | None:
        if g not in self._docs:
            self.reader.lookups += 1
            docs = [q.subject.value for q in self.reader.raw.quads_for_pattern(
                None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_GX_DOCUMENT), ox.NamedNode(g))]
            self._docs[g] = min(docs) if docs else None
        return self._docs[g]

    def __contains__(self, g: str) -> bool:
        return bool(g) and self._doc(g) is not None

    def __getitem__(self, g: str) -> str:
        doc = self._doc(g)
        if doc is None:
            raise KeyError(g)
        return doc

    def get(self, g: str, default: Any = None) -> Any:
        doc = self._doc(g) if g else None
        return default if doc is None else doc


# --------------------------------------------------------------------------------------------------
# the projection, one element at a time (shared by the full and the partial projection)
# --------------------------------------------------------------------------------------------------

def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value)


def _walk(idx: Any, start: str, path: tuple[str, ...]) -> tuple[set[str], set[Any]]:
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


def _properties(idx: Any, projection: Projection, subject: str, specs: Iterable[PropertySpec],
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
                got = idx.values.get(i)
                if got:
                    labels |= got.get(_RDFS_LABEL) or set()
        label = _finish(labels, spec.multi_valued)
        if label is not None:
            out[check_name(spec.key + "_label")] = label


def _mention_doc(idx: Any, mention: str) -> str | None:
    docs, _ = _walk(idx, mention, (_HAS_TARGET, _HAS_SOURCE))
    return min(docs) if docs else None


def _links(idx: Any, s: str, p: str) -> set[str]:
    got = idx.links.get(s)
    return (got.get(p) if got else None) or _EMPTY


def _values(idx: Any, s: str, p: str) -> set[Any]:
    got = idx.values.get(s)
    return (got.get(p) if got else None) or _EMPTY


def _mention_node(idx: Any, projection: Projection, mention: str) -> Node:
    props: dict[str, Any] = {"iri": mention}
    for target in sorted(_links(idx, mention, _HAS_TARGET)):
        for selector in sorted(_links(idx, target, _HAS_SELECTOR)):
            for key, pred in _SELECTOR_KEYS:
                vals = _values(idx, selector, pred)
                if vals and key not in props:
                    props[key] = _finish(vals, False)
    role = _values(idx, mention, _MENTION_ROLE)
    if role:
        props["role"] = _finish(role, False)
    labels = [projection.base_label, MENTION_LABEL]
    if _REDACTED in idx.types.get(mention, ()):
        labels.append(REDACTED_LABEL)
    return Node(mention, tuple(labels), props)


def _evidence_order(idx: Any, mentions: Iterable[str]) -> list[str]:
    def key(m: str) -> tuple[str, int, str]:
        doc = _mention_doc(idx, m) or ""
        start = -1
        for target in _links(idx, m, _HAS_TARGET):
            for selector in _links(idx, target, _HAS_SELECTOR):
                for v in _values(idx, selector, _OA_START):
                    start = v if isinstance(v, int) else start
        return (doc, start, m)
    return sorted(mentions, key=key)


def _node(idx: Any, projection: Projection, base: str, subject: str, types: Iterable[str]) -> Node | None:
    """The node of ``subject`` (None: none of its types is projected)."""
    specs = [projection.nodes[t] for t in types if t in projection.nodes]
    if not specs:
        return None
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
    return Node(subject, (base, *sorted(check_name(x) for x in labels)), props)


def _edge_of(projection: Projection, types: Iterable[str]) -> Any:
    """The n-ary edge spec of a resource with these types (the first in IRI order), or None."""
    for t in sorted(types):
        edge = projection.edges.get(t)
        if edge is not None:
            return edge
    return None


def _nary(idx: Any, projection: Projection, subject: str, edge: Any, is_node: Any, exact: Any) -> list[Relationship]:
    """The relationships of one n-ary resource (a tenure: holder -[HELD]-> organization)."""
    starts, _ = _walk(idx, subject, (edge.source,))
    ends, _ = _walk(idx, subject, (edge.target,))
    props: dict[str, Any] = {"iri": subject}
    _properties(idx, projection, subject, edge.properties, props)
    mentions = _evidence_order(idx, _links(idx, subject, _ATTESTED_BY))
    if mentions:
        props["mentions"] = mentions
        props["quotes"] = [exact(m) for m in mentions]
    out = []
    for start in sorted(starts):
        for end in sorted(ends):
            if is_node(start) and is_node(end):
                out.append(Relationship(check_name(edge.type), start, end, dict(props), discriminator=subject))
    return out


def _object_rel(idx: Any, contributions: Iterable[tuple[str, str, str]], rtype: str, start: str, end: str) -> Relationship:
    """The relationship ``(start)-[rtype]->(end)`` of the triples ``contributions`` (s, p, o) that project to it."""
    sources: set[str] = set()
    for s, p, o in contributions:
        for g in idx.graphs(s, p, o):
            doc = idx.doc_of_graph.get(g) if g else None
            if doc is not None:
                sources.add(doc)
    return Relationship(rtype, start, end, {"sources": sorted(sources)} if sources else {})


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
    graph.footprints = {g: frozenset(subjects) for g, subjects in idx.footprints.items()}
    graph.documents = dict(idx.doc_of_graph)

    def add_rel(rel: Relationship) -> None:
        known = graph.relationships.get(rel.id)
        if known is None:
            graph.relationships[rel.id] = rel

    # ---- nodes ------------------------------------------------------------------------------------
    evidence: dict[str, set[str]] = {}    # projected node -> its mentions
    for subject, types in idx.types.items():
        node = _node(idx, projection, base, subject, types)
        if node is None:
            continue
        nodes[subject] = node
        mentions = idx.links.get(subject, _NO_LINKS).get(_ATTESTED_BY)
        if mentions:
            evidence[subject] = mentions

    # ---- n-ary classes -> relationships -------------------------------------------------------------
    nary: list[tuple[str, Any]] = []
    for subject, types in idx.types.items():
        edge = _edge_of(projection, types)
        if edge is not None:
            nary.append((subject, edge))

    # ---- evidence nodes (every mention attesting a projected node or n-ary relationship) ------------
    attesting: set[str] = set()
    for mentions in evidence.values():
        attesting |= mentions
    for subject, _edge in nary:
        attesting |= idx.links.get(subject, _NO_LINKS).get(_ATTESTED_BY, set())
    for m in attesting:
        if m not in nodes:
            nodes[m] = _mention_node(idx, projection, m)

    # ---- object properties -> relationships --------------------------------------------------------
    rel_keys: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for (s, p, o) in idx.triple_graphs:
        spec = projection.relationships.get(p)
        if spec is None:
            continue
        start, end = (o, s) if spec.reverse else (s, o)
        if start in nodes and end in nodes:
            rel_keys[(check_name(spec.type), start, end)].append((s, p, o))
    for (rtype, start, end), contributions in rel_keys.items():
        rel = _object_rel(idx, contributions, rtype, start, end)
        graph.relationships[rel.id] = rel

    def exact(m: str) -> str:
        return nodes[m].props.get("exact", "")

    for subject, edge in nary:
        for rel in _nary(idx, projection, subject, edge, nodes.__contains__, exact):
            add_rel(rel)

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


# --------------------------------------------------------------------------------------------------
# partial projection: the elements of a scope, read from the store by index lookups
# --------------------------------------------------------------------------------------------------

@dataclass
class Scope:
    """A set of elements, named by what they hang on (the same rules select them from the store, the projection
    cache and Neo4j — see :func:`in_scope`):

    * ``nodes``: node IRIs (entities and mentions);
    * ``nary``: n-ary resources (tenures, participations): the relationships they project to;
    * ``rel_subjects``: RDF subjects of object-property triples: the relationships those triples project to
      (for a reversed property the subject is the relationship's end);
    * ``mentions``: mentions: the ``ATTESTED_BY`` relationships into them and the ``IN_DOCUMENT`` out of them;
    * ``rel_ids``: relationships named by id (those of a node that disappears).
    """

    nodes: set[str] = field(default_factory=set)
    nary: set[str] = field(default_factory=set)
    rel_subjects: set[str] = field(default_factory=set)
    mentions: set[str] = field(default_factory=set)
    rel_ids: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.nary) + len(self.rel_subjects) + len(self.mentions) + len(self.rel_ids)


def relationship_directions(projection: Projection) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """relationship type -> (properties projected subject->object, properties projected object->subject)."""
    out: dict[str, tuple[list[str], list[str]]] = {}
    for prop, spec in sorted(projection.relationships.items()):
        forward, reverse = out.setdefault(check_name(spec.type), ([], []))
        (reverse if spec.reverse else forward).append(prop)
    return {t: (tuple(f), tuple(r)) for t, (f, r) in out.items()}


def in_scope(scope: Scope, rel_type: str, start: str, end: str, nary: str | None, rel_id: str,
             directions: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> bool:
    """Whether a relationship belongs to ``scope`` (``nary``: the n-ary resource it comes from, if any)."""
    if rel_id in scope.rel_ids:
        return True
    if nary is not None:
        return nary in scope.nary
    if rel_type == ATTESTED_BY:
        return end in scope.mentions
    if rel_type == IN_DOCUMENT:
        return start in scope.mentions
    forward, reverse = directions.get(rel_type, ((), ()))
    return bool((forward and start in scope.rel_subjects) or (reverse and end in scope.rel_subjects))


def nary_of(rel: Relationship, projection: Projection) -> str | None:
    """The n-ary resource a relationship was projected from (its ``iri``), or None."""
    if rel.type in _edge_types(projection):
        return rel.props.get("iri")
    return None


def _edge_types(projection: Projection) -> frozenset[str]:
    return frozenset(e.type for e in projection.edges.values())


def graph_footprint(raw: ox.Store, graph: str, projection: Projection | None = None) -> tuple[set[str], set[str], str | None]:
    """(footprint, mentions, document) of one named graph as the store holds it now, by one scan of the graph.

    The footprint is what :class:`PropertyGraph.footprints` records for the graph: the resources it types with a
    projected class, the subjects of its relationship triples, and the shared resources its path steps lead to
    (posts).  ``mentions``: the mentions its resources are attested by."""
    projection = projection or load_projection()
    _wanted, rel_props = _wanted_predicates(projection)
    steps = step_predicates(projection)
    typed = typed_classes(projection)
    footprint: set[str] = set()
    mentions: set[str] = set()
    docs: list[str] = []
    for q in raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        if type(q.subject) is not ox.NamedNode or type(q.object) is not ox.NamedNode:
            continue
        s, p, o = q.subject.value, q.predicate.value, q.object.value
        if p == _RDF_TYPE:
            if o in typed:
                footprint.add(s)
            if o == _GX_DOCUMENT:
                docs.append(s)
        elif p in rel_props:
            footprint.add(s)
        elif p == _ATTESTED_BY:
            mentions.add(o)
        elif p in steps and o not in projection.values:
            footprint.add(o)
    return footprint, mentions, (min(docs) if docs else None)


class ScopeProjector:
    """Projects the elements of a :class:`Scope` from a :class:`StoreReader`: for every element the same
    functions as the full projection, on the same union graph, so the result equals the full projection
    restricted to the scope."""

    def __init__(self, reader: StoreReader, projection: Projection | None = None):
        self.reader = reader
        self.projection = projection or reader.projection
        self.base = check_name(self.projection.base_label)
        self.directions = relationship_directions(self.projection)
        self._nodes: dict[str, Node | None] = {}
        self._attesting: dict[str, bool] = {}

    # ---- what is a node ------------------------------------------------------------------------------
    def _typed_node(self, x: str) -> Node | None:
        if x not in self._nodes:
            self._nodes[x] = _node(self.reader, self.projection, self.base, x, self.reader.types.get(x))
        return self._nodes[x]

    def _is_attesting(self, m: str) -> bool:
        """Whether ``m`` attests a projected node or an n-ary resource (then it is a Mention node)."""
        if m not in self._attesting:
            found = False
            for x in sorted(self.reader.subjects(_ATTESTED_BY, m)):
                types = self.reader.types.get(x)
                if any(t in self.projection.nodes or t in self.projection.edges for t in types):
                    found = True
                    break
            self._attesting[m] = found
        return self._attesting[m]

    def node(self, x: str) -> Node | None:
        """The node ``x`` projects to, if any (an entity, or a mention that attests something)."""
        typed = self._typed_node(x)
        if typed is not None:
            return typed
        if self._is_attesting(x):
            return _mention_node(self.reader, self.projection, x)
        return None

    def is_node(self, x: str) -> bool:
        return self._typed_node(x) is not None or self._is_attesting(x)

    def _exact(self, m: str) -> str:
        """What the node of ``m`` has as ``exact`` (a tenure's quotes), read without building the node: the first
        ``oa:exact`` of the first selector of the first target, as :func:`_mention_node` takes it."""
        if self._typed_node(m) is not None or not self._is_attesting(m):
            node = self.node(m)
            return node.props.get("exact", "") if node is not None else ""
        for target in sorted(_links(self.reader, m, _HAS_TARGET)):
            for selector in sorted(_links(self.reader, target, _HAS_SELECTOR)):
                vals = _values(self.reader, selector, OA.exact)
                if vals:
                    return _finish(vals, False)
        return ""

    # ---- the scope ---------------------------------------------------------------------------------
    def project(self, scope: Scope) -> PropertyGraph:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._project(scope)
        finally:
            if enabled:
                gc.enable()

    def _project(self, scope: Scope) -> PropertyGraph:
        reader, projection = self.reader, self.projection
        graph = PropertyGraph()
        for x in sorted(scope.nodes):
            node = self.node(x)
            if node is not None:
                graph.nodes[x] = node
        for t in sorted(scope.nary):
            edge = _edge_of(projection, reader.types.get(t))
            if edge is not None:
                for rel in _nary(reader, projection, t, edge, self.is_node, self._exact):
                    graph.relationships.setdefault(rel.id, rel)
        keys: set[tuple[str, str, str]] = set()
        for s in sorted(scope.rel_subjects):
            for rtype, (forward, reverse) in self.directions.items():
                if forward:
                    for p in forward:
                        keys.update((rtype, s, o) for o in _links(reader, s, p))
                    for p in reverse:    # a type fed by both directions: (b p s) also gives (s)-[rtype]->(b)
                        keys.update((rtype, s, b) for b in reader.subjects(p, s))
                if reverse:
                    for p in reverse:
                        keys.update((rtype, o, s) for o in _links(reader, s, p))
                    for p in forward:
                        keys.update((rtype, a, s) for a in reader.subjects(p, s))
        for rtype, start, end in sorted(keys):
            if not (self.is_node(start) and self.is_node(end)):
                continue
            forward, reverse = self.directions[rtype]
            contributions = [(start, p, end) for p in forward] + [(end, p, start) for p in reverse]
            contributions = [c for c in contributions if reader.graphs(*c)]
            if contributions:
                rel = _object_rel(reader, contributions, rtype, start, end)
                graph.relationships.setdefault(rel.id, rel)
        for m in sorted(scope.mentions):
            if not self.is_node(m):
                continue
            doc = _mention_doc(reader, m)
            for x in sorted(reader.subjects(_ATTESTED_BY, m)):
                if self._typed_node(x) is not None:
                    rel = Relationship(ATTESTED_BY, x, m, {"sources": [doc]} if doc else {})
                    graph.relationships.setdefault(rel.id, rel)
            if doc and self.is_node(doc):
                rel = Relationship(IN_DOCUMENT, m, doc, {"sources": [doc]})
                graph.relationships.setdefault(rel.id, rel)
        # what the rules above produced outside the scope (a relationship of a scoped n-ary resource is in it by
        # definition; an object-property relationship found from its start may belong to its end's subject)
        graph.relationships = {rid: r for rid, r in graph.relationships.items()
                               if in_scope(scope, r.type, r.start, r.end, nary_of(r, projection), rid, self.directions)}
        return graph

    # ---- growing a scope -----------------------------------------------------------------------------
    def backward_steps(self, subjects: Iterable[str]) -> set[str]:
        """Resources whose path steps lead to one of ``subjects`` (the tenures of a post)."""
        out: set[str] = set()
        steps = sorted(step_predicates(self.projection))
        for x in subjects:
            if x in self.projection.values:
                continue
            for p in steps:
                out |= self.reader.subjects(p, x)
        return out

    def attested_by(self, mentions: Iterable[str]) -> set[str]:
        """The resources that ``mentions`` attest."""
        out: set[str] = set()
        for m in mentions:
            out |= self.reader.subjects(_ATTESTED_BY, m)
        return out

    def around_new_node(self, x: str, scope: Scope) -> None:
        """Add to ``scope`` what a node that did not exist before brings along: relationships into it from
        resources outside the scope, its evidence, and (a document) the mentions pointing at it."""
        reader = self.reader
        scope.rel_subjects.add(x)
        for rtype, (forward, reverse) in self.directions.items():
            for p in forward + reverse:
                scope.rel_subjects |= reader.subjects(p, x)
        for edge in self.projection.edges.values():
            scope.nary |= reader.subjects(edge.source, x) | reader.subjects(edge.target, x)
        mentions = set(_links(reader, x, _ATTESTED_BY))
        for target in reader.subjects(_HAS_SOURCE, x):
            mentions |= reader.subjects(_HAS_TARGET, target)
        scope.mentions |= mentions
        scope.nodes |= mentions


def projection_quads(store: Any, projection: Projection | None = None) -> Iterator[ox.Quad]:
    """The quads the projection reads, as cheaply as the store allows.

    The store keeps its default graph as the set union of its graphs (``graph/store.py``), so most needed
    triples are read once from there — only the predicates the mapping uses.  From the data graphs (with their
    graph names) come what the incremental sync needs per graph: ``rdf:type`` for the classes the mapping
    projects (two thirds of the type triples type the text selectors under each mention, which nothing reads),
    relationship triples (whose ``sources`` are the graphs that state them) and the path steps into shared
    resources (a tenure's post).  About half of what every quad of every data graph would be, and reading is
    most of a projection's time.  A store without that union (an empty default graph) is read graph by graph
    (:func:`data_quads`).  Ontology triples (in the union) are left out: their subjects are ontology terms or
    blank nodes, never data.
    """
    projection = projection or load_projection()
    raw = getattr(store, "store", None)
    if not isinstance(raw, ox.Store) or next(iter(raw.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None:
        yield from data_quads(store)
        return
    wanted, rel_props = _wanted_predicates(projection)
    per_graph = rel_props | step_predicates(projection)
    ontology = str(GX)
    rdf_type = ox.NamedNode(_RDF_TYPE)
    for cls in sorted(typed_classes(projection)):
        for q in raw.quads_for_pattern(None, rdf_type, ox.NamedNode(cls), None):
            if is_data_graph(q.graph_name):
                yield q
    for p in sorted(wanted - per_graph - {_RDF_TYPE}):
        for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, ox.DefaultGraph()):
            subject = q.subject
            if type(subject) is ox.NamedNode and not subject.value.startswith(ontology):
                yield q
    for p in sorted(per_graph & wanted):
        for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, None):
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


def generation_sizes(raw: ox.Store) -> list[str]:
    """The sizes of the resolution, manual and pending graphs, as :func:`store_generation` hashes them."""
    return sorted(f"{r['g'].value}\t{r['n'].value}" for r in raw.query(_GENERATION_SIZES))


def generation_of(rows: Iterable[str], sizes: Iterable[str]) -> str:
    """The generation hash of per-document rows (graph, content hash, source hash, version) and graph sizes."""
    h = hashlib.sha256()
    h.update(projection_signature().encode())
    for line in sorted(rows) + ["--"] + list(sizes):
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


def store_generation(store: Any) -> str:
    """A cheap fingerprint of everything the projection depends on.

    sha256 over, per document graph, (graph, ``gx:contentHash``, ``schema:sha256``, ``schema:version``) — a
    document graph is a function of its text, the extractor version and the user's decisions — plus the sizes
    of the resolution, manual and pending graphs (decisions only ever add triples to the manual graph), plus
    :func:`projection_signature`.  Two constant SPARQL queries; no quad is read one by one.  (The projection
    cache keeps the per-document rows, so a sync computes the same value without the first query.)
    """
    raw = store.store if hasattr(store, "store") else store
    rows = ["\t".join("" if r[k] is None else r[k].value for k in ("g", "hash", "sha", "version"))
            for r in raw.query(_GENERATION_DOCUMENTS)]
    return generation_of(rows, generation_sizes(raw))
