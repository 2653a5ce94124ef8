"""GraphML for Gephi: labels, classes, industries with CONCERNS edges, quotes, dates as ISO text and as numbers."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from guanxi.api import Guanxi

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt")) + sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))


@pytest.fixture(scope="module")
def graphml(tmp_path_factory):
    directory = tmp_path_factory.mktemp("graphml")
    out = directory / "kg.graphml"
    with Guanxi(directory / "store") as g:
        assert g.ingest(INPUTS).ok
        with open(out, "wb") as fh:
            g.export("graphml", fh)
    return out


def test_every_node_and_edge_has_a_label_and_nodes_a_class(graphml):
    graph = nx.read_graphml(graphml)
    assert graph.number_of_nodes() > 50
    for _, data in graph.nodes(data=True):
        assert data.get("label") and data["class"] in {"Person", "Organization", "Meeting", "Directive", "Industry", "Addressee"}
        assert len(data["label"]) <= 60
    assert all(d.get("label") for _, _, d in graph.edges(data=True))
    zhang = [n for n, d in graph.nodes(data=True) if d["label"] == "张古江"]
    assert len(zhang) == 1 and graph.nodes[zhang[0]]["class"] == "Person"


def test_industries_and_concerns_edges(graphml):
    graph = nx.read_graphml(graphml)
    industries = {n: d for n, d in graph.nodes(data=True) if d["class"] == "Industry"}
    assert "生物医药" in {d["label"] for d in industries.values()}
    concerns = [(s, t) for s, t, d in graph.edges(data=True) if d["type"] == "CONCERNS"]
    assert concerns and all(graph.nodes[s]["class"] == "Directive" and t in industries for s, t in concerns)
    assert any(graph.nodes[s]["class"] == "Directive" and d["type"] == "ADDRESSED_TO" and graph.nodes[t]["class"] == "Addressee"
               for s, t, d in graph.edges(data=True))


def test_quotes_and_typed_dates(graphml):
    graph = nx.read_graphml(graphml)
    held = [d for s, t, d in graph.edges(data=True)
            if d["type"] == "HELD" and graph.nodes[s]["label"] == "张古江" and graph.nodes[t]["label"] == "中共唐山市委员会"]
    assert len(held) == 1
    h = held[0]
    assert h["label"] == "唐山市委书记" and "市委书记张古江" in h["quotes"]
    assert h["first_seen"] == "2020-09-08"
    assert h["first_seen_days"] == (dt.date(2020, 9, 8) - dt.date(1970, 1, 1)).days
    meeting = next(d for _, d in graph.nodes(data=True) if d["class"] == "Meeting" and d.get("date") == "2020-09-07")
    assert meeting["date_days"] == (dt.date(2020, 9, 7) - dt.date(1970, 1, 1)).days
    directive = next(d for _, d in graph.nodes(data=True) if d["class"] == "Directive" and "生物医药" in d.get("text", ""))
    assert directive["quotes"]
    participated = [d for _, _, d in graph.edges(data=True) if d["type"] == "PARTICIPATED"]
    assert participated and all(d["label"] == d["roles"] and d.get("quotes") for d in participated)
    # the XML declares the day counts as numbers, the dates as strings
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.parse(graphml).getroot().findall("g:key", ns)}
    assert keys[("edge", "first_seen_days")] in ("int", "long") and keys[("edge", "first_seen")] == "string"
    assert keys[("node", "date_days")] in ("int", "long")
