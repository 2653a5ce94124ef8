"""Pieces of the workbench without a server: highlighting overlapping spans, folding, the search index, URLs, setup."""
from __future__ import annotations

import html
import re
from collections import namedtuple
from pathlib import Path

from guanxi.workbench.app import entity_url, viewer_url
from guanxi.workbench.highlight import highlight
from guanxi.workbench.search import SearchIndex, fold

Fact = namedtuple("Fact", "start end item item_kind label entity")
P = "https://w3id.org/guanxi/id/person/%E5%BC%A0%E5%8F%A4%E6%B1%9F-480938f9bb4dc033"
T = "https://w3id.org/guanxi/id/tenure/x-0123456789abcdef"
D = "https://w3id.org/guanxi/id/directive/d-0123456789abcdef"
REPO = Path(__file__).resolve().parents[1]


def _segments(markup: str) -> list[tuple[str, str | None, str]]:
    """(text, href, classes) of each top-level piece of the highlighted HTML, plain text as (text, None, '')."""
    out = []
    for m in re.finditer(r'<(a|span) ([^>]*)>(.*?)</\1>|([^<]+)', markup):
        if m.group(4) is not None:
            out.append((html.unescape(m.group(4)), None, ""))
        else:
            attrs = m.group(2)
            href = re.search(r'href="([^"]*)"', attrs)
            out.append((html.unescape(m.group(3)), href.group(1) if href else None, re.search(r'class="([^"]*)"', attrs).group(1)))
    return out


def test_overlapping_spans_become_segments_linking_to_the_innermost_fact():
    text = "会议由省委常委、市委书记张古江主持。<script>要抓落实</script>。"
    facts = [Fact(3, 15, T, "Tenure", "河北省委常委", P), Fact(12, 15, P, "Person", "张古江", P),
             Fact(26, 30, D, "Directive", "要抓落实", D)]
    markup = str(highlight(text, facts, (12, 15), entity_url))
    segs = _segments(markup)
    assert "".join(s[0] for s in segs) == text                      # nothing added, nothing lost: offsets hold
    assert "<script>" not in markup and "&lt;script&gt;" in markup   # escaped
    by_text = {s[0]: s for s in segs}
    assert by_text["省委常委、市委书记"][1] == entity_url(P)           # the post's span links to its holder
    assert "gx-k-Tenure" in by_text["省委常委、市委书记"][2]
    name = by_text["张古江"]
    assert name[1] == entity_url(P) and "gx-k-Person" in name[2] and "gx-target" in name[2]   # innermost: the name
    assert 'id="at"' in markup and markup.count('id="at"') == 1
    assert by_text["要抓落实"][1] == entity_url(D)
    assert re.search(r'data-start="12" data-end="15"', markup)


def test_a_target_without_facts_is_outlined_too():
    markup = str(highlight("一二三四五", [], (1, 3), entity_url))
    assert _segments(markup) == [("一", None, ""), ("二三", None, "gx-seg gx-target"), ("四五", None, "")]


def test_fold_folds_scripts_widths_and_case():
    assert fold("李強") == "李强" and fold("國務院") == "国务院" and fold("張古江") == "张古江"
    assert fold("ＧＤＰ增長５％") == "gdp增长5%" and fold("乾隆") == "乾隆"
    assert len(fold("ＡＢＣ　國務院")) == len("ＡＢＣ　國務院")


def test_search_index_groups_and_folds():
    Row = namedtuple("Row", "kind item label field matched")
    Doc = namedtuple("Doc", "document title")
    index = SearchIndex.build([Row("Person", P, "李强", "name", "李强"), Row("Organization", "o", "国务院", "name", "国务院"),
                               Row("Organization", "o", "国务院", "alias", "國務院")],
                              [Doc("d1", "國務院常務會議")], [("d1", "今天國務院總理李強主持召開國務院常務會議。" * 3)])
    hits = index.search("国务院")
    assert list(hits) == ["Organization", "Document"]                 # in kind order, each item once
    assert len(hits["Organization"]) == 1 and hits["Organization"][0].fields == {"name", "alias"}
    doc = hits["Document"][0]
    assert doc.fields == {"title", "full text"} and doc.snippets[0][1] == "國務院"   # the original characters
    assert doc.spans[0] == (2, 5)
    assert index.search("李強")["Person"][0].item == P
    assert index.search("   ") == {} and index.search("不在") == {}
    capped = index.search("国务院", limit_per_kind=0)
    assert all(not v for v in capped.values()) and capped.totals == {"Organization": 1, "Document": 1}
    assert index.search("国务院").totals == {"Organization": 1, "Document": 1}


def test_urls():
    assert entity_url(P) == "/id/person/%E5%BC%A0%E5%8F%A4%E6%B1%9F-480938f9bb4dc033"
    assert entity_url("https://example.org/person/x") is None and entity_url(None) is None
    assert entity_url("https://w3id.org/guanxi/id/tenure/x-0123456789abcdef") is None   # no page of its own
    assert entity_url('https://w3id.org/guanxi/id/person/a"><script>-0123456789abcdef') is None
    doc = "https://w3id.org/guanxi/id/doc/002_a9ec4e6a3a1afbe8-6fb4f5c1cd4eaeb2"
    assert viewer_url(doc, 3, 9) == "/id/doc/002_a9ec4e6a3a1afbe8-6fb4f5c1cd4eaeb2?at=3-9#at"


def test_setup_installs_user_tools_and_test_setup_the_test_tools():
    setup = (REPO / "scripts" / "setup").read_text()
    test = (REPO / "scripts" / "test").read_text()
    pyproject = (REPO / "pyproject.toml").read_text()
    commands = [line for line in setup.splitlines() if not line.lstrip().startswith("#")]
    assert any("-e '.[notebook]'" in c for c in commands) and not any("test" in c or "playwright" in c for c in commands)
    assert "'.[notebook,test]'" in test and "scripts/setup\n" in test
    deps = pyproject.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert "playwright" not in deps and "pytest" not in deps
    assert all(x in deps for x in ("fastapi", "uvicorn", "opencc"))
    extras = pyproject.split("[project.optional-dependencies]", 1)[1].split("[project.scripts]", 1)[0]
    assert "playwright" in extras.split("test =", 1)[1] and "pandas" in extras.split("notebook =", 1)[1]
