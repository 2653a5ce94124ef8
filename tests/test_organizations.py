"""How a body's surface in the text becomes a canonical organization: kind, jurisdiction, parent.

Surfaces are as they occur in the seed documents and in 2018–2025 news transcripts; each row would break if the
rule it stands for (relative levels, cores, party departments, national prefixes, suffix kinds) were wrong."""
from __future__ import annotations

import pytest

from guanxi.loaders import places as P
from guanxi.loaders.lexicon import default_lexicon
from guanxi.loaders.organizations import resolve

TANGSHAN = P.Jurisdiction(P.lookup("唐山市")[0], "prefecture", "唐山市 in the text")
REDACTED_COUNTY = P.Jurisdiction(None, "county", "我县")
NATIONAL = P.Jurisdiction(P.NATIONAL, "national", "中共中央")


@pytest.mark.parametrize("surface, jurisdiction, name, kind, place, parent", [
    # a bare level prefix is the document's own unit of that level
    ("市委", TANGSHAN, "中共唐山市委员会", "party_committee", "唐山市", None),
    ("市政协", TANGSHAN, "政协唐山市委员会", "cppcc", "唐山市", None),
    ("市政府", TANGSHAN, "唐山市人民政府", "government", "唐山市", None),
    # a party department hangs under its committee, written with or without it
    ("市委组织部", TANGSHAN, "中共唐山市委组织部", "department", "唐山市", "中共唐山市委员会"),
    ("组织部", TANGSHAN, "中共唐山市委组织部", "department", "唐山市", "中共唐山市委员会"),
    # a bureau in a city report is that city's bureau, so two cities' bureaus stay apart
    ("科技局", TANGSHAN, "唐山市科技局", "department", "唐山市", None),
    # the county is never named (seed 000): the level is kept, no place is invented
    ("县委", REDACTED_COUNTY, "中共县委员会", "party_committee", None, None),
    ("县政府", REDACTED_COUNTY, "县人民政府", "government", None, None),
    ("科技局", REDACTED_COUNTY, "科技局", "department", None, None),
    ("人才办", REDACTED_COUNTY, "人才办", "department", None, None),
    # standing bodies written bare keep their kind (政协委员, 人大代表)
    ("政协", REDACTED_COUNTY, "政协", "cppcc", None, None),
    ("人大", REDACTED_COUNTY, "人大", "peoples_congress", None, None),
    # a named place overrides the document's jurisdiction
    ("湖南省委", TANGSHAN, "中共湖南省委员会", "party_committee", "湖南省", None),
    # national bodies
    ("全国政协", NATIONAL, "中国人民政治协商会议全国委员会", "cppcc", "中华人民共和国", None),
    ("国务院", TANGSHAN, "中华人民共和国国务院", "government", "中华人民共和国", None),
    ("国家发展改革委", NATIONAL, "国家发展改革委", "department", "中华人民共和国", None),
    # democratic parties, enterprises, media, institutes by their suffix
    ("九三学社唐山市委", TANGSHAN, "九三学社唐山市委员会", "democratic_party", "唐山市", None),
    ("河北华发教育科技股份有限公司", TANGSHAN, "河北华发教育科技股份有限公司", "enterprise", "河北省", None),
    ("唐山劳动日报", TANGSHAN, "唐山劳动日报", "media", "唐山市", None),
    ("清华大学", NATIONAL, "清华大学", "institute", None, None),
    # a mission abroad is not the host state; a foreign state is a government
    ("中国驻朝鲜大使馆", NATIONAL, "中国驻朝鲜大使馆", "other", None, None),
    ("美国", NATIONAL, "美国", "government", None, None),
])
def test_resolve(surface, jurisdiction, name, kind, place, parent):
    org = resolve(surface, jurisdiction, default_lexicon())
    assert (org.name, org.kind, org.jurisdiction, org.parent) == (name, kind, place, parent)
    assert surface in org.aliases


def test_the_same_surface_in_two_cities_is_two_bodies():
    shijiazhuang = P.Jurisdiction(P.lookup("石家庄市")[0], "prefecture", "石家庄市")
    lex = default_lexicon()
    assert resolve("市委", TANGSHAN, lex).name != resolve("市委", shijiazhuang, lex).name
