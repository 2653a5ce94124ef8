"""networkx graphs of the knowledge graph, built from named-query rows (so they work on either backend).

    from guanxi.queries.api import Queries
    from guanxi.graph import networkx_graph as nxg

    with Queries.open("store", store_dir="guanxi-data") as q:
        g = nxg.store_graph(q)                 # every link: people, bodies, meetings, directives...
        co = nxg.co_attendance_graph(q)        # people; an edge per pair met at a meeting, weight = how often
        top = nxg.centrality(co, top=10)       # degree, weighted degree, betweenness
        groups = nxg.communities(co)           # Louvain (seeded), or greedy modularity

* :func:`graph_from_links` turns ``links`` / ``neighbours`` rows (``source, source_kind, source_name, relation,
  target, target_kind, target_name, date, weight, labels``) into a ``networkx.MultiDiGraph``: node attributes
  ``kind`` and ``name``, edge attributes ``relation`` (the key), ``date``, ``weight``, ``labels``.
* :func:`co_attendance_graph` turns ``co_attendance`` rows into an undirected ``networkx.Graph`` of people
  (``weight`` = meetings together, ``meetings`` = their labels).
* :func:`ego` is the subgraph within ``radius`` hops of a node (links followed in either direction).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx

__all__ = [
    "graph_from_links", "store_graph", "co_attendance_graph", "ego", "centrality", "communities", "Ranked",
    "Community",
]


def graph_from_links(rows: Iterable[Any]) -> nx.MultiDiGraph:
    """A MultiDiGraph of ``links``/``neighbours`` rows (duplicate rows collapse: the key is the relation)."""
    g = nx.MultiDiGraph()
    for r in rows:
        for node, kind, name in ((r.source, r.source_kind, r.source_name), (r.target, r.target_kind, r.target_name)):
            if node not in g:
                g.add_node(node, kind=kind, name=name)
        g.add_edge(r.source, r.target, key=r.relation, relation=r.relation, date=r.date, weight=r.weight or 1,
                   labels=tuple(r.labels or ()))
    return g


def store_graph(queries: Any) -> nx.MultiDiGraph:
    """The whole graph (the ``links`` query) of a :class:`guanxi.queries.api.Queries`."""
    return graph_from_links(queries.links())


def co_attendance_graph(source: Any) -> nx.Graph:
    """People joined when they were at the same meeting: ``co_attendance`` rows, or a Queries to run it."""
    rows = source.run("co_attendance") if hasattr(source, "run") else source
    g = nx.Graph()
    for r in rows:
        g.add_node(r.person, name=r.person_name, kind="Person")
        g.add_node(r.other, name=r.other_name, kind="Person")
        if not g.has_edge(r.person, r.other):
            g.add_edge(r.person, r.other, weight=r.meetings, meetings=tuple(r.meeting_labels))
    return g


def ego(g: nx.Graph, node: str, radius: int = 2) -> nx.Graph:
    """The subgraph within ``radius`` hops of ``node``, following links in either direction."""
    if node not in g:
        return g.subgraph([]).copy()
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    keep = nx.single_source_shortest_path_length(undirected, node, cutoff=radius)
    return g.subgraph(keep).copy()


@dataclass(frozen=True)
class Ranked:
    node: str
    name: str
    degree: int             # distinct people met
    strength: float         # meetings together, summed over those people
    betweenness: float      # normalised betweenness centrality (unweighted shortest paths)
    rank: int


def centrality(g: nx.Graph, top: int | None = 10, *, betweenness_k: int | None = None) -> list[Ranked]:
    """People ranked by degree, then weighted degree, then betweenness (ties by name and IRI).

    ``betweenness_k``: sample that many pivots (seeded) instead of the exact computation, for big graphs."""
    if g.number_of_nodes() == 0:
        return []
    if betweenness_k and betweenness_k < g.number_of_nodes():
        between = nx.betweenness_centrality(g, k=betweenness_k, seed=0)
    else:
        between = nx.betweenness_centrality(g)
    strength = dict(g.degree(weight="weight"))
    rows = sorted(g.nodes, key=lambda n: (-g.degree(n), -strength[n], -between[n], g.nodes[n].get("name") or "", n))
    out = [Ranked(n, g.nodes[n].get("name") or n, g.degree(n), float(strength[n]), round(between[n], 6), i + 1)
           for i, n in enumerate(rows)]
    return out[:top] if top else out


@dataclass(frozen=True)
class Community:
    index: int
    members: tuple[str, ...]        # node IRIs, most connected first
    names: tuple[str, ...]
    size: int


def communities(g: nx.Graph, method: str = "louvain", *, seed: int = 0) -> list[Community]:
    """Communities of the co-attendance graph, biggest first: ``louvain`` (seeded, weighted) or ``greedy``
    (greedy modularity)."""
    if g.number_of_nodes() == 0:
        return []
    from networkx.algorithms import community as nxc

    if method == "louvain":
        parts = nxc.louvain_communities(g, weight="weight", seed=seed)
    elif method == "greedy":
        parts = nxc.greedy_modularity_communities(g, weight="weight")
    else:
        raise ValueError(f"unknown community method {method!r} (louvain or greedy)")
    strength = dict(g.degree(weight="weight"))
    ordered = []
    for part in parts:
        members = sorted(part, key=lambda n: (-strength[n], g.nodes[n].get("name") or "", n))
        ordered.append(members)
    ordered.sort(key=lambda m: (-len(m), g.nodes[m[0]].get("name") or "", m[0]))
    return [Community(i + 1, tuple(m), tuple(g.nodes[n].get("name") or n for n in m), len(m))
            for i, m in enumerate(ordered)]
