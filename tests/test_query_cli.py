"""The query commands: guanxi person / org / meeting / directives / path / query / view / dossier / analyze."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.api import Guanxi
from guanxi.queries.views import remote_references

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt"))
KG = sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cli") / "store"
    with Guanxi(directory) as g:
        assert g.ingest(SEEDS + KG).ok
    return str(directory)


def run(capsys, store_dir, *args):
    code = cli.main(["--store", store_dir, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_person_shows_posts_meeting_roles_and_directives_with_quotes(capsys, store_dir):
    code, out, err = run(capsys, store_dir, "person", "张古江")
    assert code == 0, err
    for text in ("唐山市委书记", "河北省委常委", "中共唐山市委员会", "2020-09-08", "2020-09-07", "协商议政大会",
                 "出席 attended", "讲话 spoke", "「市委书记张古江」", "directives (14 facts, 14 rows, 1 document)", "「一要着力在强化企业创新主体上实现新突破",
                 "唐山市政协召开协商议政大会 (2020-09-08)"):
        assert text in out, text
    # Chinese stays aligned: every table row of a box has the same display width
    from rich.cells import cell_len

    rows = [line for line in out.splitlines() if line.startswith(("│", "┃"))]
    widths = {}
    for line in rows:
        widths.setdefault(line.count("│") + line.count("┃"), set()).add(cell_len(line))
    assert all(len(w) <= 3 for w in widths.values())


def test_person_formats(capsys, store_dir):
    code, out, _ = run(capsys, store_dir, "person", "张古江", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["person"]["person_name"] == "张古江"
    assert {p["label"] for p in data["posts"]} == {"唐山市委书记", "河北省委常委"}
    assert data["meetings"][0]["roles"] == ["attended", "spoke"] and len(data["directives"]) == 14
    code, out, _ = run(capsys, store_dir, "person", "张古江", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and {r["kind"] for r in rows} == {"post", "meeting", "directive"}
    assert next(r for r in rows if r["kind"] == "meeting")["roles"] == "attended | spoke"


def test_person_limit_and_all(capsys, store_dir):
    code, out, _ = run(capsys, store_dir, "person", "丁绣峰", "--format", "json", "--all")
    everything = json.loads(out)
    assert code == 0 and everything["limit"] is None
    assert everything["counts"]["directive"] == {"facts": 9, "rows": 9, "documents": 3}
    assert len(everything["directives"]) == 9 and len(everything["meetings"]) == 3 and len(everything["posts"]) == 6
    assert json.loads(run(capsys, store_dir, "person", "丁绣峰", "--format", "json")[1]) == everything | {"limit": 50}
    assert json.loads(run(capsys, store_dir, "person", "丁绣峰", "--format", "json", "--limit", "0")[1]) == everything
    code, out, _ = run(capsys, store_dir, "person", "丁绣峰", "--format", "json", "--limit", "1")
    one = json.loads(out)
    assert code == 0 and one["limit"] == 1 and one["counts"] == everything["counts"]
    newest = max(r["published"] for r in everything["directives"])
    assert [r["published"] for r in one["posts"] + one["meetings"] + one["directives"]] == [newest] * 3
    code, out, _ = run(capsys, store_dir, "person", "丁绣峰", "--format", "csv", "--limit", "2")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["kind"] for r in rows].count("meeting") == 2 and len(rows) == 6
    code, out, _ = run(capsys, store_dir, "person", "丁绣峰", "--limit", "1")
    assert code == 0 and "the 1 most recent rows shown" in out and "all with --all" in out
    assert "directives (9 facts, 9 rows, 3 documents; the 1 most recent rows shown)" in out
    code, out, _ = run(capsys, store_dir, "person", "丁绣峰")
    assert code == 0 and "most recent" not in out
    assert run(capsys, store_dir, "person", "丁绣峰", "--limit", "-1")[0] == 2
    code, out, _ = run(capsys, store_dir, "person", "--help")
    assert "--limit N" in out and "--all" in out and "--limit 10" in out


def test_ambiguous_and_missing_names_exit_1(capsys, store_dir):
    code, out, err = run(capsys, store_dir, "person", "王海")
    assert code == 1 and "2 candidates" in out and "保定市" in out and "唐山市" in out and "--id" in err
    code, out, _ = run(capsys, store_dir, "person", "王海", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ambiguous"] and len(data["candidates"]) == 2
    iri = next(c["person"] for c in data["candidates"] if c["places"] == ["唐山市"])
    code, out, _ = run(capsys, store_dir, "person", "--id", iri)
    assert code == 0 and "唐山市政府副市长" in out and "安全生产工作会议" in out
    code, _, err = run(capsys, store_dir, "person", "王")
    assert code == 1 and "王连灵" in err
    assert run(capsys, store_dir, "person")[0] == 2                       # usage: neither NAME nor --id
    assert run(capsys, store_dir, "person", "张古江", "--id", iri)[0] == 2  # both
    assert run(capsys, store_dir, "person", "--id", "not-an-iri")[0] == 1


def test_ids_as_printed_are_accepted_by_id(capsys, store_dir):
    """The candidate table prints ids without percent-encoding; --id takes them as printed."""
    import re

    from guanxi.ontology.iri import readable

    code, out, _ = run(capsys, store_dir, "person", "王海")
    printed = re.findall(r"person/王海-[0-9a-f]{16}", out)
    assert code == 1 and len(set(printed)) == 2 and "%E7" not in out
    for person_id in set(printed):
        code, out, err = run(capsys, store_dir, "person", "--id", person_id)
        assert code == 0, err
        assert "副市长" in out
    code, out, _ = run(capsys, store_dir, "person", "张古江", "--format", "json")
    zhang = json.loads(out)["person"]["person"]
    assert run(capsys, store_dir, "person", "--id", readable(zhang))[0] == 0


def test_directives_by_industry_show_the_outline_directive(capsys, store_dir):
    code, out, _ = run(capsys, store_dir, "directives", "--industry", "生物医药")
    assert code == 0
    assert "(unnamed speaker)" in out and "县人民政府" in out and "「要聚焦生物医药产业的发展" in out
    assert "生物医药" in out and "在与政协委员“面对面”专题协商活动上的讲话提纲" in out
    code, out, _ = run(capsys, store_dir, "directives", "--industry", "生物医药", "--format", "json")
    [row] = json.loads(out)
    assert row["speaker_iri"] is None and row["body_name"] == "县人民政府" and row["quotes"][0].startswith("要聚焦生物医药")
    code, out, _ = run(capsys, store_dir, "directives", "--speaker", "张古江", "--since", "2020-09-01",
                       "--until", "2020-09-30", "--format", "csv")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 14
    assert run(capsys, store_dir, "directives", "--text", "不存在的文字")[0] == 1
    assert run(capsys, store_dir, "directives", "--since", "last week")[0] == 2
    assert run(capsys, store_dir, "directives", "--speaker", "王海")[0] == 1   # ambiguous speaker


def test_org_meeting_path_query(capsys, store_dir):
    code, out, _ = run(capsys, store_dir, "org", "唐山市委")
    assert code == 0 and "中共唐山市委员会" in out and "丁绣峰" in out and "唐山市委副书记" in out
    code, out, _ = run(capsys, store_dir, "org", "唐山")
    assert code == 1 and "candidates" in out
    code, out, _ = run(capsys, store_dir, "meeting", "--date", "2020-09-07")
    assert code == 0 and "participants (16)" in out and "主持 presided" in out and "胡国辉" in out
    code, out, _ = run(capsys, store_dir, "meeting", "推进会", "--format", "json")
    assert code == 0 and json.loads(out)["meeting"]["meeting_name"] == "重点项目建设推进会"
    assert run(capsys, store_dir, "meeting")[0] == 2
    code, out, _ = run(capsys, store_dir, "path", "张古江", "刘志强")
    assert code == 0 and "张古江 —PARTICIPATED— 协商议政大会 (2020-09-07) —PARTICIPATED— 丁绣峰" in out
    assert run(capsys, store_dir, "path", "张古江", "郭建英")[0] == 1
    code, out, _ = run(capsys, store_dir, "query", "--list")
    assert code == 0 and "person_profile" in out and "connection_path" in out
    code, out, _ = run(capsys, store_dir, "query", "search", "--param", "text=唐山", "--format", "csv")
    assert code == 0 and "中共唐山市委员会" in out
    assert run(capsys, store_dir, "query", "search")[0] == 2                       # missing required parameter
    assert run(capsys, store_dir, "query", "nope")[0] == 2
    assert run(capsys, store_dir, "query", "search", "--param", "text=没有这个")[0] == 1


def test_analyze(capsys, store_dir):
    code, out, _ = run(capsys, store_dir, "analyze", "centrality", "--top", "3", "--format", "json")
    ranked = json.loads(out)
    assert code == 0 and [r["rank"] for r in ranked] == [1, 2, 3] and ranked[0]["degree"] >= ranked[2]["degree"]
    code, out, _ = run(capsys, store_dir, "analyze", "communities")
    assert code == 0 and "communities (louvain)" in out


def test_views_and_dossier_are_written(capsys, store_dir, tmp_path):
    for args in (["person", "张古江"], ["org", "唐山市委"], ["meeting", "--date", "2020-09-07"],
                 ["directives", "--industry", "生物医药"], ["overview", "--class", "Person,Meeting", "--min-degree", "2"]):
        out_file = tmp_path / f"{args[0]}.html"
        code, _, err = run(capsys, store_dir, "view", *args, "-o", str(out_file))
        assert code == 0, err
        html = out_file.read_text(encoding="utf-8")
        assert "wrote" in err and 'id="gx-network"' in html and not remote_references(html)
    code, _, err = run(capsys, store_dir, "view", "person", "王海", "-o", str(tmp_path / "x.html"))
    assert code == 1 and not (tmp_path / "x.html").exists()
    code, _, err = run(capsys, store_dir, "dossier", "张古江", "-o", str(tmp_path / "dossier.html"))
    html = (tmp_path / "dossier.html").read_text(encoding="utf-8")
    assert code == 0 and "唐山市委书记" in html and "srcdoc=" in html and not remote_references(html)


def test_unreachable_neo4j_backend_is_one_line(capsys, store_dir, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "")
    code, out, err = run(capsys, store_dir, "person", "张古江", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:9")
    assert code == 1 and "error:" in err and "Traceback" not in err
