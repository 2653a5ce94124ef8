"""guanxi --version, guanxi people / bodies / industries (listings with counts) on the seeds + multi-document fixtures."""
from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.api import Guanxi

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt")) + sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    directory = tmp_path_factory.mktemp("listings") / "store"
    with Guanxi(directory) as g:
        assert g.ingest(INPUTS).ok
    return str(directory)


def _json(capsys, *argv: str):
    code = cli.main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def test_version(capsys):
    assert cli.main(["--version"]) == 0      # main returns the exit code (argparse's SystemExit is caught)
    assert capsys.readouterr().out.strip() == f"guanxi {metadata.version('guanxi')}"


def test_people_with_counts(store, capsys):
    code, rows = _json(capsys, "--store", store, "people", "--top", "0", "--format", "json")
    assert code == 0
    by_name: dict[str, list] = {}
    for r in rows:
        by_name.setdefault(r["person_name"], []).append(r)
    assert len(by_name["王海"]) == 2 and len({r["person"] for r in by_name["王海"]}) == 2
    zhang = by_name["张古江"][0]
    assert (zhang["posts"], zhang["meetings"], zhang["directives"]) == (2, 1, 14)
    assert [r["documents"] for r in rows] == sorted((r["documents"] for r in rows), reverse=True)
    assert rows[0]["documents"] >= 2          # the official named in several documents comes first
    code, top = _json(capsys, "--store", store, "people", "--top", "3", "--format", "json")
    assert top == rows[:3]
    code, named = _json(capsys, "--store", store, "people", "--name", "王", "--top", "0", "--format", "json")
    assert named and all("王" in r["person_name"] for r in named)
    assert len(named) == sum("王" in r["person_name"] for r in rows)


def test_bodies_and_industries(store, capsys):
    code, bodies = _json(capsys, "--store", store, "bodies", "--top", "0", "--format", "json")
    assert code == 0
    tangshan = next(b for b in bodies if b["organization_name"] == "中共唐山市委员会")
    assert tangshan["kind"] == "party_committee" and tangshan["members"] >= 3
    code, committees = _json(capsys, "--store", store, "bodies", "--kind", "party_committee", "--top", "0", "--format", "json")
    assert committees and {b["kind"] for b in committees} == {"party_committee"}
    code, industries = _json(capsys, "--store", store, "industries", "--format", "json")
    biomed = next(i for i in industries if i["industry_name"] == "生物医药")
    assert biomed["directives"] >= 1 and biomed["documents"] >= 1
    assert cli.main(["--store", store, "industries", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header == "industry,industry_name,code,directives,documents"
    assert cli.main(["--store", store, "people", "--name", "没有的人"]) == 1
