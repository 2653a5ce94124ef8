"""SHACL validation of a whole store: ``shapes.ttl`` on the union of the data graphs, at corpus scale.

``vocab.validate()`` hands everything to pyshacl.  Its core constraints scale linearly, but its SPARQL-based
constraints (``sh:sparql``: a mention's quote fits its offsets, a tenure's organization is its post's,
no directive is its own ancestor) run once per focus node, and rdflib applies pyshacl's ``$this`` binding
only after evaluating the whole query: quadratic (a two-document store took minutes).  So this module
runs exactly the same shapes in two parts:

* pyshacl with the shapes graph minus its ``sh:sparql`` constraints, the ontology mixed in, same options
  as ``vocab.validate()``;
* each ``sh:sparql`` constraint's SELECT once, on pyoxigraph over the union (ontology included, for the
  subclass closure), ``$this`` left free and restricted to instances of the shape's target class; each row
  is one violation, its message filled in from the row as pyshacl does (``{?len}``).

``tests/test_store.py`` checks that both give the same violations as ``vocab.validate()`` on small graphs.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterable

from guanxi.ontology.vocab import RDF, RDFS, SH, XSD, ontology_path, shapes_path


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class SparqlConstraint:
    target_class: str
    select: str      # with PREFIX declarations, $this written ?this
    message: str


@functools.lru_cache(maxsize=1)
def _split_shapes() -> tuple[Any, tuple[SparqlConstraint, ...]]:
    """(the shapes graph without sh:sparql constraints, the sh:sparql constraints)."""
    import rdflib

    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    R = rdflib.URIRef
    constraints = []
    for shape, constraint in list(shapes.subject_objects(R(SH.sparql))):
        target = shapes.value(shape, R(SH.targetClass))
        select = str(shapes.value(constraint, R(SH.select)))
        prefixes = []
        for decl_source in shapes.objects(constraint, R(SH.prefixes)):
            for decl in shapes.objects(decl_source, R(SH.declare)):
                prefixes.append(f"PREFIX {shapes.value(decl, R(SH.prefix))}: <{shapes.value(decl, R(SH.namespace))}>")
        message = str(shapes.value(constraint, R(SH.message)) or shapes.value(shape, R(SH.message)) or "")
        if target is not None:
            text = "\n".join(sorted(set(prefixes))) + "\n" + re.sub(r"\$this\b", "?this", select)
            constraints.append(SparqlConstraint(str(target), text, message))
        for triple in list(shapes.triples((constraint, None, None))):
            shapes.remove(triple)
        shapes.remove((shape, R(SH.sparql), constraint))
    return shapes, tuple(constraints)


@functools.lru_cache(maxsize=1)
def _ontology() -> Any:
    import rdflib

    return rdflib.Graph().parse(ontology_path(), format="turtle")


def rdflib_graph(quads: Iterable[Any]) -> Any:
    """An rdflib Graph of the triples of pyoxigraph ``quads`` (graph names dropped), terms converted directly:
    several times faster than serialising to N-Triples and parsing that back.  Literals come out as the
    N-Triples route makes them: an ``xsd:string`` literal is a plain one."""
    import pyoxigraph as ox
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    iris: dict[str, Any] = {}
    xsd_string, lang_string = str(XSD.string), str(RDF.langString)

    def term(t: Any) -> Any:
        kind = type(t)
        if kind is ox.NamedNode:
            v = t.value
            got = iris.get(v)
            if got is None:
                got = iris[v] = rdflib.URIRef(v)
            return got
        if kind is ox.Literal:
            if t.language:
                return rdflib.Literal(t.value, lang=t.language)
            dt = t.datatype.value
            if dt == xsd_string or dt == lang_string:
                return rdflib.Literal(t.value)
            return rdflib.Literal(t.value, datatype=term(t.datatype))
        if kind is ox.BlankNode:
            return rdflib.BNode(t.value)
        raise TypeError(f"cannot convert {t!r}")

    add = graph.add
    for q in quads:
        add((term(q.subject), term(q.predicate), term(q.object)))
    return graph


def _plain_namespaces(graph: Any) -> Any:
    """A namespace manager that writes every IRI as ``<iri>``.

    pyshacl writes a description of every result it makes, also of the failing branches inside ``sh:xone``,
    ``sh:not`` and qualified value shapes, which are expected to fail (two per mention: thousands on a valid
    corpus).  rdflib's ``normalizeUri`` inserts each new namespace into a trie, at a cost that grows with the
    trie: quadratic over a corpus's IRIs (most of the time on 120 days of xwlb).  guanxi reports
    ``sh:message``, never those descriptions, so plain IRIs lose nothing."""
    from rdflib.namespace import NamespaceManager
    from rdflib.term import Variable

    class PlainNamespaces(NamespaceManager):
        def normalizeUri(self, rdfTerm: str) -> str:  # noqa: N802, N803 (rdflib's names)
            return f"?{rdfTerm}" if isinstance(rdfTerm, Variable) else f"<{rdfTerm}>"

    return PlainNamespaces(graph, bind_namespaces="none")


def core_violations(graph: Any, *, disposable: bool = False) -> list[Violation]:
    """pyshacl on ``graph`` (an rdflib Graph) with every constraint of shapes.ttl but the sh:sparql ones.

    ``disposable``: the caller will not use ``graph`` again, so pyshacl may mix the ontology into it in place
    (no copy of a corpus-sized graph) and its namespace manager may be replaced."""
    import pyshacl
    import rdflib

    shapes, _ = _split_shapes()
    if disposable:
        graph.namespace_manager = _plain_namespaces(graph)
    _, results, _ = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=_ontology(), inference="none",
                                     abort_on_first=False, allow_warnings=False, inplace=disposable)
    R = rdflib.URIRef
    out = []
    for r in results.subjects(rdflib.RDF.type, R(SH.ValidationResult)):
        path = results.value(r, R(SH.resultPath))
        out.append(Violation(str(results.value(r, R(SH.focusNode))), None if path is None else str(path),
                             str(results.value(r, R(SH.resultMessage))),
                             str(results.value(r, R(SH.resultSeverity))).rsplit("#", 1)[-1]))
    return out


def sparql_violations(query: Any) -> list[Violation]:
    """The sh:sparql constraints of shapes.ttl, each run once; ``query(text)`` runs a SELECT over the
    union of the store's graphs (the ontology included) and returns pyoxigraph QuerySolutions."""
    _, constraints = _split_shapes()
    out = []
    for c in constraints:
        prologue = "\n".join(line for line in c.select.splitlines() if line.startswith("PREFIX "))
        body = "\n".join(line for line in c.select.splitlines() if not line.startswith("PREFIX "))
        # the shape's targets: instances of the target class or of a subclass (the ontology is in the union)
        text = (f"{prologue}\nSELECT * WHERE {{ {{ {body} }} "
                f"?this a ?targetType . ?targetType <{RDFS.subClassOf}>* <{c.target_class}> }}")
        solutions = query(text)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            values = {name: row[name] for name in names}
            message = re.sub(r"\{[?$](\w+)\}", lambda m: _text(values.get(m.group(1))), c.message)
            out.append(Violation(row["this"].value, None, message, "Violation"))
    return sorted(set(out), key=lambda v: (v.focus, v.message))


def _text(term: Any) -> str:
    return "" if term is None else term.value
