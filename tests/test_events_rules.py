"""Events, table-driven: talks, calls, letters, inspections and who took which part, from real sentences of
the 新闻联播 transcripts (2018–2022; the 2025 gold readings are not used here), through the whole pipeline."""
from __future__ import annotations

import pytest

from guanxi.loaders.cleaning import clean
from guanxi.loaders.extract import extract
from guanxi.loaders.model import DocumentMeta


def events(text: str, published: str) -> list[dict]:
    return extract(clean(text), DocumentMeta(id="t", path="t.txt", published=published))["events"]


def roles(event: dict) -> dict[str, set[str]]:
    return {p["name"]: set(p["roles"]) for p in event["participants"]}


@pytest.mark.parametrize("text, published, kind, date, place, expected", [
    # 会见 abroad, local time; those who 参加会见 in the next sentence attend the same talk
    ("国家主席习近平当地时间27日在日本大阪会见韩国总统文在寅。丁薛祥、刘鹤、杨洁篪、王毅、何立峰等参加会见。",
     "2019-06-27", "talks", "2019-06-27", "日本大阪",
     {"习近平": {"met"}, "文在寅": {"met"}, "丁薛祥": {"attended"}, "何立峰": {"attended"}}),
    # 同X通电话: the other side is written before the trigger
    ("国家主席习近平6月24日同塞尔维亚总统武契奇通电话。", "2021-06-24", "talks", "2021-06-24", None,
     {"习近平": {"met"}, "武契奇": {"met"}}),
    # 应约 and a time of day between the date and the trigger
    ("国务院总理李克强9月4日晚应约同德国总理默克尔通电话。", "2019-09-05", "talks", "2019-09-04", None,
     {"李克强": {"met"}, "默克尔": {"met"}}),
    # a month only: no day is invented
    ("今年4月和6月，习近平主席在北京和大阪先后两次会见联合国秘书长古特雷斯。", "2019-08-04", "talks", "2019-04", "北京",
     {"习近平": {"met"}, "古特雷斯": {"met"}}),
    # 近日 is no date; 陪同考察 joins the inspection announced before, it is not a second one
    ("中共中央政治局常委、国务院总理李克强近日在山东考察。山东省委书记刘家义陪同考察。", "2018-06-20", "inspection", None, "山东",
     {"李克强": {"inspected"}, "刘家义": {"attended", "accompanied"}}),
])
def test_events(text, published, kind, date, place, expected):
    [event] = events(text, published)
    assert (event["kind"], event["date"], event["place"]) == (kind, date, place)
    for name, want in expected.items():
        assert roles(event).get(name) == want, (name, roles(event))


def test_a_letter_has_its_sender_and_its_recipient_written_before_the_trigger():
    [event] = events("国家主席习近平向第四届中国—阿拉伯国家博览会致贺信。", "2019-09-05")
    assert event["kind"] == "letter"
    assert roles(event) == {"习近平": {"wrote"}}
    assert event["addressee"] == "第四届中国—阿拉伯国家博览会"
    start, end = event["addressee_span"]
    assert clean("国家主席习近平向第四届中国—阿拉伯国家博览会致贺信。").text[start:end] == event["addressee"]


def test_a_talk_named_as_a_noun_is_no_event():
    # 会见厅, 考察团: the trigger word is part of a noun
    assert events("代表团一行参观了会见厅。考察团成员走访了企业。", "2019-06-27") == []


def test_every_participant_has_the_span_of_its_name():
    text = "国家主席习近平当地时间27日在日本大阪会见韩国总统文在寅。丁薛祥、刘鹤等参加会见。"
    [event] = events(text, "2019-06-27")
    text = clean(text).text
    for p in event["participants"]:
        assert all(text[s:e] == p["name"] for s, e in p["evidence"])


# ---------------------------------------------------------------------------------- attendance and occasions

# 2018-07-31, 中共中央召开党外人士座谈会 (excerpt): a generic 出席座谈会 is the 座谈会 announced, not the 全会
# recalled in the speech; 出席…的党外人士还有 lists more attendees after the phrase.
PARTY_FORUM = (
    "7月17日，中共中央在中南海召开党外人士座谈会，就当前经济形势和下半年经济工作听取意见建议。"
    "中共中央总书记习近平主持座谈会并发表重要讲话。\n"
    "习近平强调，不久前召开的中共十九届三中全会作出了部署，各民主党派中央深入一线考察调研，提出意见和建议。\n"
    "中共中央政治局常委李克强、汪洋出席座谈会。\n"
    "丁薛祥、刘鹤，中共中央、国务院有关部门负责人出席座谈会。\n"
    "出席座谈会的党外人士还有陈晓光、郑建邦、辜胜阻等。"
)


def test_a_generic_meeting_word_names_the_meeting_announced_and_listed_attendees_count():
    found = events(PARTY_FORUM, "2018-07-31")
    [forum] = [e for e in found if e["name"] == "党外人士座谈会"]
    assert roles(forum) == {"习近平": {"presided", "spoke"}, "李克强": {"attended"}, "汪洋": {"attended"},
                            "丁薛祥": {"attended"}, "刘鹤": {"attended"},
                            "陈晓光": {"attended"}, "郑建邦": {"attended"}, "辜胜阻": {"attended"}}
    # nobody attended the plenum recalled in the speech, and 习近平 did not inspect: 考察调研 is what he said others did
    assert all(not e["participants"] for e in found if e is not forum)
    assert not [e for e in found if e["kind"] == "inspection"]


@pytest.mark.parametrize("text, published, kind, name, who", [
    # 在…大会上发表重要讲话 / 在…大会发表视频致辞: spoke at that occasion
    ("习近平总书记在庆祝中国共产党成立100周年大会上发表重要讲话，强调“发展全过程人民民主”。", "2021-08-20",
     "conference", "庆祝中国共产党成立100周年大会", "习近平"),
    ("全国人大常委会委员长栗战书7日在第五次世界议长大会发表视频致辞。", "2021-09-07",
     "conference", "第五次世界议长大会", "栗战书"),
])
def test_spoke_at_the_occasion_named_after_zai(text, published, kind, name, who):
    [event] = events(text, published)
    assert (event["kind"], event["name"]) == (kind, name)
    assert roles(event) == {who: {"spoke"}}


def test_an_officials_arrival_is_an_inspection_with_its_date_range():
    [event] = events("7月21日至23日，习近平总书记来到西藏考察，给各族干部群众送去党中央的关怀。", "2021-08-18")
    assert (event["kind"], event["date"], event["end_date"]) == ("inspection", "2021-07-21", "2021-07-23")
    assert roles(event) == {"习近平": {"inspected"}}


def test_presiding_over_an_unnamed_forum_is_a_meeting_of_its_own():
    # 2021-04-13: 栗战书主持召开座谈会 during an inspection; 主持召开 is read once, not again as 主持
    found = events("栗战书还到省人大机关调研。栗战书主持召开座谈会，听取有关情况汇报和意见建议。", "2021-04-13")
    [meeting] = [e for e in found if e["kind"] == "meeting"]
    assert meeting["name"] == "栗战书主持召开的座谈会"
    assert roles(meeting) == {"栗战书": {"presided"}}


def test_those_listed_after_chuxi_de_haiyou_attended_the_ceremony():
    # 2018-06-08, 友谊勋章颁授仪式 (excerpt)
    [event] = events("中共中央政治局常委韩正出席授勋仪式。\n出席授勋仪式的还有丁薛祥、王晨、孙春兰、杨洁篪。", "2018-06-08")
    assert event["kind"] == "ceremony"
    assert roles(event) == {n: {"attended"} for n in ("韩正", "丁薛祥", "王晨", "孙春兰", "杨洁篪")}


SPOKE_ATTENDED = """
[implied_roles.spoke_attended]
kinds = ["meeting", "ceremony"]
role = "spoke"
implies = "attended"
unless = ["presided", "submitted_written_speech"]
"""
SPEAKERS = ("26日下午，习近平主持召开深入推动长江经济带发展座谈会。国家发展改革委主任何立峰、生态环境部部长李干杰、"
            "重庆市委书记陈敏尔等7位同志先后发言，从不同角度汇报工作体会。习近平在听取大家发言后发表了重要讲话。")


def _meeting_roles(text: str, lexicon=None) -> dict[str, set[str]]:
    from guanxi.loaders.registry import Pipeline

    pipeline = Pipeline.from_config(lexicon=lexicon) if lexicon is not None else None
    facts = extract(clean(text), DocumentMeta(id="t", path="t.txt", published="2018-04-27"), pipeline)
    [meeting] = [e for e in facts["events"] if e["kind"] == "meeting"]
    return roles(meeting)


def test_speakers_at_a_meeting_are_speakers_and_the_one_who_presided_presided():
    # the default reading (the seeds'): 先后发言 is speaking; attending is what 出席/参加 say
    got = _meeting_roles(SPEAKERS)
    assert got["习近平"] == {"presided", "spoke"}
    for name in ("何立峰", "李干杰", "陈敏尔"):
        assert got[name] == {"spoke"}, name


def test_implied_roles_are_data_a_lexicon_can_add():
    # events.toml [implied_roles]: with the gold readers' convention, whoever spoke at a meeting attended it,
    # unless they presided
    from guanxi.loaders.lexicon import Lexicon, default_lexicon

    texts = dict(default_lexicon().texts)
    assert default_lexicon().implied_roles == []
    texts["events.toml"] += SPOKE_ATTENDED
    lexicon = Lexicon(texts)
    assert lexicon.implied_roles == [(frozenset({"meeting", "ceremony"}), "spoke", "attended",
                                      frozenset({"presided", "submitted_written_speech"}))]
    got = _meeting_roles(SPEAKERS, lexicon)
    assert got["习近平"] == {"presided", "spoke"}
    for name in ("何立峰", "李干杰", "陈敏尔"):
        assert got[name] == {"attended", "spoke"}, name


def test_a_malformed_implied_role_names_the_file():
    from guanxi.loaders.lexicon import Lexicon, LexiconError, default_lexicon

    texts = dict(default_lexicon().texts)
    texts["events.toml"] += '\n[implied_roles.bad]\nkinds = ["meeting"]\nrole = "spoke"\n'
    with pytest.raises(LexiconError, match="events.toml.*implied_roles.bad"):
        Lexicon(texts)


@pytest.mark.parametrize("text, published, guest, event_name", [
    # 会见来华出席X的Y: Y attended X, even behind a long chain of titles joined by 兼 (not the host)
    ("国务院副总理韩正17日在中南海紫光阁会见来华出席第二次中德高级别财金对话的德国副总理兼财政部长肖尔茨。",
     "2019-01-18", "肖尔茨", "第二次中德高级别财金对话"),
    ("国务院副总理韩正30日在北京会见来华出席第七次中日财长对话的日本副首相兼财务大臣麻生太郎。",
     "2018-08-30", "麻生太郎", "第七次中日财长对话"),
])
def test_a_guest_described_as_attending_attends_and_the_host_does_not(text, published, guest, event_name):
    found = events(text, published)
    attended = [e for e in found if e["kind"] != "talks"]
    assert [e["name"] for e in attended] == [event_name]
    assert roles(attended[0]) == {guest: {"attended"}}
    [talk] = [e for e in found if e["kind"] == "talks"]
    assert roles(talk)["韩正"] == {"met"} and roles(talk)[guest] == {"met"}


# --- who spoke where: a speech verb bound to the event's own clause (real sentences, 2018–2023) ---------

def test_a_talk_the_speaker_held_while_speaking_is_his_speech():
    # a talk recalled inside a report: 会见…时强调 makes its host a speaker there
    [event] = events("2018年10月，习近平总书记亲切会见港珠澳大桥管理和施工等方面代表时强调，港珠澳大桥的建设创下多项世界之最，"
                     "非常了不起。", "2022-06-30")
    assert event["kind"] == "talks"
    assert roles(event)["习近平"] == {"met", "spoke"}


def test_a_named_meeting_he_presided_while_speaking_gives_presided_and_spoke():
    found = events("习近平在东北三省考察并主持召开深入推进东北振兴座谈会时强调，解放思想锐意进取深化改革破解矛盾。", "2018-09-28")
    [meeting] = [e for e in found if e["name"] == "深入推进东北振兴座谈会"]
    assert roles(meeting)["习近平"] == {"presided", "spoke"}


def test_a_chairs_remarks_at_a_meeting_named_by_a_generic_word_stay_presiding():
    # seed 002's reading: 胡国辉在主持会议时指出 is how he presided, not a speech of his own
    text = ("市政协召开协商议政大会。市政协主席胡国辉主持会议。"
            "胡国辉在主持会议时指出，议政大会是唐山政协独具特色的协商议政平台。")
    [meeting] = [e for e in events(text, "2020-09-08") if e["kind"] == "meeting"]
    assert roles(meeting)["胡国辉"] == {"presided"}


def test_speaking_at_an_occasion_named_after_zai_and_shang():
    [event] = events("习近平总书记在中央外事工作会议上指出，党的十八大以来，我们深刻把握新时代中国和世界发展大势。", "2018-06-24")
    assert event["name"] == "中央外事工作会议"
    assert roles(event) == {"习近平": {"spoke"}}


def test_a_bare_title_before_the_occasion_stands_for_the_person_named_before():
    text = "习近平总书记近日在湖南考察。总书记在湖南省委主持召开的座谈会上强调，要坚持把发展经济的着力点放在实体经济上。"
    [occasion] = [e for e in events(text, "2020-09-19") if e["kind"] == "meeting"]
    assert roles(occasion)["习近平"] >= {"spoke"}


def test_a_trigger_after_going_to_a_place_is_a_verb_whatever_its_tag():
    # 巡馆 is tagged a noun by the model; 前往…展览厅巡馆 is the tour; 韩正表示 after it is his speech there
    text = ("开幕式开始前，韩正前往上海国家会展中心展览厅巡馆。在与参展企业负责人互动交流时，韩正表示，"
            "中国是全球最具潜力的大市场，欢迎各国企业来华投资兴业。")
    [event] = [e for e in events(text, "2019-11-05") if e["kind"] == "inspection"]
    assert roles(event)["韩正"] == {"inspected", "spoke"}


def test_a_visit_carried_by_a_light_verb_and_its_inviter_is_not_the_visitor():
    text = "应国家主席习近平邀请，科威特国埃米尔萨巴赫将于7月7日至10日对中国进行国事访问。"
    [visit] = [e for e in events(text, "2018-07-05") if e["kind"] == "visit"]
    assert set(roles(visit)) == {"萨巴赫"}
    assert (visit["date"], visit["end_date"]) == ("2018-07-07", "2018-07-10")


def test_the_speakers_own_visit_told_in_the_first_person():
    text = ("国家主席习近平和夫人彭丽媛7日在中南海会见荷兰国王威廉-亚历山大和王后马克西玛。"
            "习近平说，威廉-亚历山大国王和王后在中国传统新春佳节到来之际访华，我们感到格外高兴。"
            "2014年，我对荷兰进行国事访问，同你共同确定了中荷开放务实的全面合作伙伴关系新定位。")
    visits = [e for e in events(text, "2018-02-07") if e["kind"] == "visit" and "习近平" in roles(e)]
    assert [(v["date"], v["date_precision"], roles(v)) for v in visits] == [("2014", "year", {"习近平": {"attended"}})]
    # 王后 is a title (王后马克西玛), not part of her name
    [talk] = [e for e in events(text, "2018-02-07") if e["kind"] == "talks"]
    assert "马克西玛" in roles(talk) and "王后马克西玛" not in roles(talk)


def test_those_who_accompany_in_zai_peitong_xia_are_not_the_inspectors():
    text = ("中共中央总书记、国家主席、中央军委主席习近平近日在陕西考察。"
            "20日至23日，习近平在陕西省委书记胡和平、省长刘国中陪同下，深入企业、农村、学校等进行调研。")
    [event] = [e for e in events(text, "2020-04-24") if e["kind"] == "inspection"]
    assert roles(event)["习近平"] >= {"inspected"}
    assert "inspected" not in roles(event).get("胡和平", set())
    assert "inspected" not in roles(event).get("刘国中", set())


def test_a_press_conference_dated_in_brackets_and_its_spokesman_spoke():
    text = "十三届全国人大五次会议今天（3月4日）举行新闻发布会，大会发言人张业遂介绍，十三届全国人大五次会议会期6天半，共有10项议程。"
    [event] = events(text, "2022-03-04")
    assert (event["name"], event["date"]) == ("十三届全国人大五次会议新闻发布会", "2022-03-04")
    assert roles(event) == {"张业遂": {"spoke"}}


def test_a_meeting_name_keeps_the_quotes_inside_it():
    text = "中共中央宣传部今天（8月25日）举行“中国这十年”系列主题新闻发布会。"
    [event] = events(text, "2022-08-25")
    assert event["name"] == "“中国这十年”系列主题新闻发布会"


def test_a_speech_in_the_paragraph_of_a_meeting_its_speaker_chaired_was_made_there():
    text = ("中共中央政治局常委、国务院总理李强12月13日至15日在四川、重庆调研。\n"
            "调研中，李强主持召开新型城镇化建设座谈会，听取国家发展改革委和四川、重庆两地相关负责人发言。李强强调，"
            "要深刻把握以人为本的新型城镇化的实践内涵，把推进农业转移人口市民化摆在突出位置。")
    [meeting] = [e for e in events(text, "2023-12-15") if e["name"] == "新型城镇化建设座谈会"]
    assert roles(meeting)["李强"] == {"presided", "spoke"}


def test_role_phrases_are_found_longest_first_left_to_right_without_overlap():
    # the reference is the scan the pattern replaced: at each position the longest phrase of the lexicon
    # that starts there and ends within the sentence, then on after it
    from guanxi.loaders.components.events import _role_phrases
    from guanxi.loaders.lexicon import default_lexicon

    lex = default_lexicon()

    def reference(text, start, end):
        phrases = sorted(lex.roles, key=len, reverse=True)
        found, pos = [], start
        while pos < end:
            for phrase in phrases:
                if text.startswith(phrase, pos) and pos + len(phrase) <= end:
                    found.append((pos, pos + len(phrase), lex.roles[phrase]))
                    pos += len(phrase)
                    break
            else:
                pos += 1
        return found

    for text in ["李强主持会议并讲话，丁薛祥出席。", "会议由赵乐际主持。王沪宁出席并发表重要讲话，蔡奇参加座谈会",
                 "习近平发表重要讲话强调", "主持主持出席"]:
        for start, end in ((0, len(text)), (2, len(text) - 1), (1, 5)):
            assert _role_phrases(text, start, end, lex) == reference(text, start, end)
    assert _role_phrases("李强主持会议并讲话", 0, 9, lex)       # the lexicon's phrases are found at all


def test_the_part_of_speech_cut_is_jiebas_and_remembered():
    import jieba.posseg as pseg

    from guanxi.loaders.lexicon import default_lexicon

    lex = default_lexicon()
    phrase = "中共中央政治局常委、国务院"
    assert lex.pos_tokens(phrase) == tuple((t.word, t.flag) for t in pseg.cut(phrase))
    assert lex.pos_tokens(phrase) is lex.pos_tokens(phrase)
