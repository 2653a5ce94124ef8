"""Export the knowledge graph: RDF serialisations of the data graphs, or a GraphML property graph.

* ``nq``: canonical N-Quads (sorted lines; no blank nodes): byte-identical for the same inputs.
* ``trig``, ``jsonld``: every data graph, named graphs kept.
* ``ttl``: the union of the data graphs as one Turtle graph (named graphs, i.e. which document said what,
  are not expressible in Turtle; use trig or nq for that).
* ``graphml``: the projection-friendly view (networkx), made for Gephi: persons, organizations, meetings,
  directives, industries and addressee groups as nodes, the ontology's projection (``vocab.load_projection()``)
  deciding the relationships: HELD and PARTICIPATED from tenures and participations, ISSUED, ADDRESSED_TO,
  AT_MEETING, ON_BEHALF_OF, ORGANIZED, PART_OF, CONCERNS.  Every node and edge has a ``label`` (Gephi's label
  column: the caption the ontology names — name, text — or for HELD the post, 唐山市委书记, for PARTICIPATED the
  roles) and nodes a ``class`` (Person, Organization, Meeting, Directive, Industry, Addressee) to partition by;
  HELD, PARTICIPATED and directives carry ``quotes`` (the attesting text); every ``xsd:date`` value is an ISO
  string plus ``<key>_days``, an integer (days since 1970-01-01) that Gephi can filter and sort as a number.
  Multi-valued properties are joined with ``; `` (GraphML attributes are scalars).

The ontology graph is never exported (it ships with guanxi); internal graphs neither.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, BinaryIO

import pyoxigraph as ox

from guanxi.graph.store import GraphStore
from guanxi.ontology.vocab import PREFIXES, load_projection

FORMATS = ("ttl", "trig", "nq", "jsonld", "graphml")
GRAPHML_CLASSES = ("Person", "Organization", "Meeting", "Directive", "Industry", "Addressee")
LABEL_CHARS = 60       # node labels longer than this are cut (the whole text stays in its own attribute)
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

# constant queries; the class / property IRIs come from the projection through substitutions (bound
# variables must be projected: pyoxigraph follows SEP-0007)
INSTANCES = "SELECT DISTINCT ?class ?x WHERE { ?x a ?class }"
PATH_1 = "SELECT DISTINCT ?class ?p1 ?x ?v WHERE { ?x a ?class ; ?p1 ?v }"
PATH_2 = "SELECT DISTINCT ?class ?p1 ?p2 ?x ?v WHERE { ?x a ?class ; ?p1 ?a . ?a ?p2 ?v }"
PATH_3 = "SELECT DISTINCT ?class ?p1 ?p2 ?p3 ?x ?v WHERE { ?x a ?class ; ?p1 ?a . ?a ?p2 ?b . ?b ?p3 ?v }"
LINKS = "SELECT DISTINCT ?p ?s ?o WHERE { ?s ?p ?o }"
NARY = "SELECT DISTINCT ?class ?source ?target ?x ?s ?t WHERE { ?x a ?class ; ?source ?s ; ?target ?t }"
QUOTES = "SELECT DISTINCT ?x ?exact WHERE { ?x gx:attestedBy ?m . ?m oa:hasTarget ?t . ?t oa:hasSelector ?s . ?s oa:exact ?exact }"
POST_LABELS = "SELECT DISTINCT ?post ?label WHERE { ?post a gx:Post ; rdfs:label ?label }"


def export(store: GraphStore, fmt: str, out: BinaryIO) -> None:
    """Write the store's data graphs to ``out`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "nq":
        out.write(store.canonical_nquads())
    elif fmt in ("trig", "jsonld"):
        quads = sorted(store.quads(), key=str)
        rdf_format = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.JSON_LD
        out.write(ox.serialize(quads, format=rdf_format, prefixes=None if fmt == "jsonld" else dict(PREFIXES)))
    elif fmt == "ttl":
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}, key=str)
        out.write(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)))
    elif fmt == "graphml":
        import networkx as nx

        nx.write_graphml(property_graph(store), out)
    else:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")


def _values(store: GraphStore, cls: str, path: tuple[str, ...]) -> dict[str, list[str]]:
    """Values reached from instances of ``cls`` along ``path`` (1 to 3 steps)."""
    query = {1: PATH_1, 2: PATH_2, 3: PATH_3}.get(len(path))
    if query is None:
        return {}
    subs = {"class": ox.NamedNode(cls)} | {f"p{i + 1}": ox.NamedNode(p) for i, p in enumerate(path)}
    out: dict[str, list[str]] = defaultdict(list)
    for r in store.query(query, subs):
        out[r["x"].value].append(r["v"].value)
    return out


def _scalar(values: list[str], projection: Any, multi: bool) -> str:
    values = sorted({projection.value_of(v) for v in values})
    return "; ".join(values) if multi else (values[0] if values else "")


def _days(value: str) -> int | None:
    import datetime as dt

    try:
        return (dt.date.fromisoformat(value[:10]) - dt.date(1970, 1, 1)).days
    except ValueError:
        return None


def _add_dates(data: dict[str, Any], properties: Any) -> None:
    """``<key>_days`` beside every date value (a number Gephi sorts and filters)."""
    for p in properties:
        if p.datatype == XSD_DATE and isinstance(data.get(p.key), str) and not p.multi_valued:
            days = _days(data[p.key])
            if days is not None:
                data[f"{p.key}_days"] = days


def property_graph(store: GraphStore) -> Any:
    """A networkx MultiDiGraph of the projection-friendly view (see the module docstring)."""
    import networkx as nx

    from guanxi.ontology.iri import readable

    projection = load_projection()
    quotes: dict[str, set[str]] = defaultdict(set)
    for r in store.query(QUOTES):
        quotes[r["x"].value].add(r["exact"].value)
    post_labels = {r["post"].value: r["label"].value for r in store.query(POST_LABELS)}
    keep_labels = set(GRAPHML_CLASSES)
    graph = nx.MultiDiGraph()
    for spec in projection.nodes.values():
        if not keep_labels & set(spec.labels):
            continue
        instances = [r["x"].value for r in store.query(INSTANCES, {"class": ox.NamedNode(spec.cls)})]
        if not instances:
            continue
        props = {p.key: (_values(store, spec.cls, p.path), p.multi_valued) for p in spec.properties}
        for node in instances:
            attrs = graph.nodes[node] if node in graph else {}
            labels = set(attrs.get("labels", "").split(":")) - {""}
            data = {"iri": node, "labels": ":".join(sorted(labels | set(spec.labels)))}
            for key, (values, multi) in props.items():
                if values.get(node):
                    data[key] = _scalar(values[node], projection, multi)
            _add_dates(data, spec.properties)
            data["class"] = next(c for c in GRAPHML_CLASSES if c in data["labels"].split(":"))
            caption = data.get(spec.caption or "") or data.get("name") or data.get("text") or readable(node)
            data["label"] = caption if len(caption) <= LABEL_CHARS else caption[: LABEL_CHARS - 1] + "…"
            if data["class"] == "Directive" and quotes.get(node):
                data["quotes"] = "; ".join(sorted(quotes[node]))
            graph.add_node(node, **data)
    for rel in projection.relationships.values():
        for r in store.query(LINKS, {"p": ox.NamedNode(rel.property)}):
            s, o = r["s"].value, r["o"].value
            if rel.reverse:
                s, o = o, s
            if s in graph and o in graph:
                graph.add_edge(s, o, key=f"{rel.type}:{s}:{o}", type=rel.type, label=rel.type)
    for edge in projection.edges.values():
        props = {p.key: (_values(store, edge.cls, p.path), p.multi_valued) for p in edge.properties}
        subs = {"class": ox.NamedNode(edge.cls), "source": ox.NamedNode(edge.source), "target": ox.NamedNode(edge.target)}
        for r in store.query(NARY, subs):
            x, s, t = r["x"].value, r["s"].value, r["t"].value
            if s not in graph or t not in graph:
                continue
            data = {"type": edge.type, "iri": x}
            for key, (values, multi) in props.items():
                if values.get(x):
                    data[key] = _scalar(values[x], projection, multi)
            _add_dates(data, edge.properties)
            data["label"] = post_labels.get(data.get("post", "")) or data.get("title") or data.get("roles") or edge.type
            if quotes.get(x):
                data["quotes"] = "; ".join(sorted(quotes[x]))
            graph.add_edge(s, t, key=x, **data)
    return graph


__all__ = ["FORMATS", "export", "property_graph"]
