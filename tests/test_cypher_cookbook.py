"""Every ```cypher block of docs/cypher-cookbook.md, run with the parameters stated next to it on the seeds' graph."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from guanxi.api import Guanxi
from guanxi.graph import neo4j_read as nr
from guanxi.graph import neo4j_sync as ns

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).parent.parent
COOKBOOK = ROOT / "docs" / "cypher-cookbook.md"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"

_BLOCK = re.compile(r"```cypher\n(.*?)```", re.S)
_HEADING = re.compile(r"^### (\d+)\. (.+)$", re.M)
_PARAMS = re.compile(r"^Parameters: `(\{.*\})`\s*$", re.M)


def cookbook() -> list[tuple[int, str, str, dict]]:
    """(number, title, query, parameters) of every worked query, in order."""
    text = COOKBOOK.read_text(encoding="utf-8")
    out = []
    previous_end = 0
    for match in _BLOCK.finditer(text):
        before = text[previous_end:match.start()]
        headings = _HEADING.findall(text[:match.start()])
        assert headings, f"cypher block at {match.start()} has no ### heading"
        number, title = int(headings[-1][0]), headings[-1][1]
        params = _PARAMS.findall(before)
        assert params, f"query {number} ({title}) states no `Parameters: {{...}}` line"
        out.append((number, title, match.group(1), json.loads(params[-1])))
        previous_end = match.end()
    return out


QUERIES = cookbook()


def test_the_cookbook_has_enough_queries():
    numbers = [q[0] for q in QUERIES]
    assert len(QUERIES) >= 12 and numbers == sorted(set(numbers))
    for number, title, query, params in QUERIES:
        for name in params:  # every stated parameter is used, every used parameter is stated
            assert f"${name}" in query, (number, name)
        assert set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query)) == set(params), number


@pytest.fixture(scope="module")
def seeds_graph(neo4j_server, tmp_path_factory):
    store = tmp_path_factory.mktemp("cookbook") / "store"
    with Guanxi(store) as g, neo4j_server.driver(notifications_min_severity="OFF") as driver:
        assert g.ingest(sorted(str(p) for p in SEEDS.glob("*.txt"))).ok
        ns.wipe(driver, neo4j_server.database)
        ns.sync(g.store, driver, neo4j_server.database)
        yield driver


def run(driver, database, number: int) -> list[dict]:
    [(_, _, query, params)] = [q for q in QUERIES if q[0] == number]
    result = nr.run_read(driver, query, params, database)
    return nr.rows_as_plain(result)


@pytest.mark.parametrize("number,title,query,params", QUERIES, ids=[f"{q[0]:02d}" for q in QUERIES])
def test_query_returns_rows(seeds_graph, neo4j_server, number, title, query, params):
    result = nr.run_read(seeds_graph, query, params, neo4j_server.database)
    assert result.rows, f"query {number} ({title}) returned nothing"


def test_expected_answers(seeds_graph, neo4j_server):
    db = neo4j_server.database

    posts = run(seeds_graph, db, 1)
    assert [(r["post"], r["organization"]) for r in posts] == [
        ("唐山市委书记", "中共唐山市委员会"), ("河北省委常委", "中共河北省委员会")]
    assert all(r["first_seen"] == "2020-09-08" for r in posts)

    evidence = run(seeds_graph, db, 2)
    assert all("【" in r["in_context"] and "张古江" in r["in_context"] for r in evidence)

    top = run(seeds_graph, db, 3)
    assert top[0]["person"] == "陈学民" and top[0]["posts"] == 3

    roster = run(seeds_graph, db, 4)
    assert {r["organization"] for r in roster} == {"政协唐山市委员会"} and "胡国辉" in {r["person"] for r in roster}

    kinds = {r["kind"]: r["organizations"] for r in run(seeds_graph, db, 5)}
    assert "中共唐山市委员会" in kinds["party_committee"] and "政协唐山市委员会" in kinds["cppcc"]

    meetings = run(seeds_graph, db, 6)
    assert meetings == [{"date": "2020-09-07", "meeting": "协商议政大会", "organizer": "政协唐山市委员会",
                         "presided_by": ["胡国辉"], "theme": meetings[0]["theme"]}]

    part = run(seeds_graph, db, 7)
    assert part[0] == {"person": "胡国辉", "roles": ["presided"]}
    assert {"person": "张古江", "roles": ["attended", "spoke"]} in part

    assert "张古江" in {r["with_whom"] for r in run(seeds_graph, db, 8)}
    assert all(r["meetings"] == 1 for r in run(seeds_graph, db, 9))

    [path] = run(seeds_graph, db, 10)
    assert path["steps"][0] == "张古江" and path["steps"][-1] == "胡国辉" and path["hops"] == 2

    bio = run(seeds_graph, db, 11)
    outline = (SEEDS / "000_3b541c3cffdbfa2f.txt").read_text(encoding="utf-8")
    assert bio and all(r["industry"].startswith("生物医药") and "生物医药" in r["quote"] and r["quote"] in outline
                       and r["end"] - r["start"] == len(r["quote"]) for r in bio)

    addressed = run(seeds_graph, db, 12)
    assert {"全市各级政协组织", "政协委员"} <= {r["addressee"] for r in addressed}
    assert {r["speaker"] for r in addressed} == {"胡国辉"}

    industries = {r["industry"] for r in run(seeds_graph, db, 13)}
    assert any(i.startswith("生物医药") for i in industries)

    numbered = run(seeds_graph, db, 14)
    assert [r["ordinal"] for r in numbered if r["lead"] == numbered[0]["lead"]][:3] == [1, 2, 3]

    docs = run(seeds_graph, db, 16)
    assert [d["document"] for d in docs] == ["唐山市政协召开协商议政大会"] and docs[0]["mentions"] >= 1
