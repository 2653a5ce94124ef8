"""Directives, table-driven: who instructs or pledges what, and to whom, from real sentences of the 新闻联播
transcripts (2019–2022; the 2025 gold readings are not used here), through the whole default pipeline."""
from __future__ import annotations

import pytest

from guanxi.loaders.cleaning import clean
from guanxi.loaders.extract import extract
from guanxi.loaders.model import DocumentMeta


def directives(text: str) -> list[dict]:
    return extract(clean(text), DocumentMeta(id="t", path="t.txt", published="2022-03-10"))["directives"]


@pytest.mark.parametrize("text, speaker_kind, speaker, kind, addressees, starts", [
    # a body directs, and the object of its directing verb is the addressee, not the body before it
    ("教育部要求各地学校加强疫情监测预警，高效统筹校园疫情防控和师生学习生活。",
     "body", "教育部", "instruction", ["各地学校"], "教育部要求"),
    ("交通运输部要求各地坚决防止过度通行管控问题反弹，切实保障交通物流网络畅通运行。",
     "body", "交通运输部", "instruction", ["各地"], "交通运输部要求"),
    # 党中央 speaks for the Central Committee; 号召 directs
    ("党中央号召共产党员自愿捐款支持新冠肺炎疫情防控工作。", "body", "党中央", "instruction", ["共产党员"], "党中央号召"),
    # a document speaks; after 要求， the addressee is the subject of the modal that follows
    ("通知要求，各级党委要切实加强对纪检监察机关派驻机构工作的领导，不断完善派驻监督机制。",
     "document", "通知", "instruction", ["各级党委"], "通知要求"),
    # a meeting directs without a modal word after its verb
    ("会议要求，加强和完善外防输入举措，提高针对性和有效性。", "meeting", "会议", "instruction", [], "会议要求"),
    # a reporting verb is cut off the directive's text
    ("会议强调，各地区各部门要认真贯彻落实党中央决策部署。", "meeting", "会议", "instruction", ["各地区各部门"], "各地区各部门要"),
    # a pledge by the speaker's side
    ("王毅表示，中方愿同各方一道，推动政治解决乌克兰危机。", "person", "王毅", "pledge", [], "中方愿同"),
])
def test_directives(text, speaker_kind, speaker, kind, addressees, starts):
    [d] = directives(text)
    assert (d["speaker_kind"], d["speaker_as_written"], d["kind"]) == (speaker_kind, speaker, kind)
    assert d["addressees"] == addressees
    assert d["text"].startswith(starts)
    assert clean(text).text[d["span"][0]:d["span"][1]] == d["text"]


def test_a_verb_that_begins_a_word_is_not_a_ship_or_a_force():
    # 习近平|号召: 号 of 号召 is no ship's 号 (辽宁号), so the name stays a person and the speaker
    [d] = directives("习近平号召全国各族人民紧密团结在党中央周围。")
    assert (d["speaker"], d["modality"], d["addressees"]) == ("习近平", "号召", ["全国各族人民"])


def test_a_call_heard_is_no_directive():
    # 响应国家号召: 号召 as a noun; the narrator is no speaker
    assert directives("科研工作者积极响应国家号召，来到黄沙戈壁投身“两弹一星”科研工作。") == []


def test_a_target_in_a_directive_is_kept_with_its_number_and_unit():
    [d] = directives("李克强强调，要加大减税降费力度，确保全年为企业减负1万亿元以上。")
    [q] = d["quantities"]
    assert (q["kind"], q["text"], q["value"], q["unit"]) == ("amount", "1万亿元", 1.0, "万亿元")
    assert clean("李克强强调，要加大减税降费力度，确保全年为企业减负1万亿元以上。").text[q["span"][0]:q["span"][1]] == "1万亿元"


def test_another_persons_title_in_a_speech_does_not_hand_it_to_the_narrator():
    # 习近平主席 names 习近平, not the speaker 汪洋 (全国政协主席): the pledges after it are still 汪洋's
    text = ("全国政协主席汪洋6月18日在人民大会堂会见埃及议长阿里。\n"
            "汪洋表示，中埃传统友谊历久弥坚。习近平主席和塞西总统保持密切交往，就发展两国全面战略伙伴关系达成广泛共识。"
            "中方愿同埃方携手，切实落实好两国元首达成的重要共识，持续深化发展战略对接。"
            "中国全国政协愿加强与埃及社会各界的交往，为增进双方民众之间的友好感情发挥积极作用。")
    found = {d["text"][:6]: d["speaker_as_written"] for d in directives(text)}
    assert found == {"中方愿同埃方": "汪洋", "中国全国政协": "汪洋"}


def test_the_speakers_own_title_names_him_and_hands_over_to_the_narrator():
    # the same rule's other side: 总书记 refers to the speaker, so the narrator speaks (牢记总书记嘱托…)
    text = ("习近平总书记强调，要压紧压实各级党委和政府巩固脱贫攻坚成果责任，坚决守住不发生规模性返贫的底线。"
            "落实总书记要求，各地干部群众忙碌在脱贫一线，在西藏波密县东若村的78座羊肚菌大棚里，村民们正忙着田间管理。")
    assert [d["speaker_as_written"] for d in directives(text)] == ["习近平"]


def test_a_states_parliament_pledges_for_the_speakers_side():
    text = ("全国政协主席汪洋17日在北京会见俄罗斯联邦公众院主席法捷耶夫一行。\n"
            "法捷耶夫表示，俄罗斯联邦公众院愿为加强俄中两国相互了解、友谊与合作继续作出努力。")
    [d] = directives(text)
    assert (d["speaker_as_written"], d["kind"]) == ("法捷耶夫", "pledge")


def test_a_sentence_opening_with_a_manner_adverb_and_a_verb_carries_the_directive_before_it():
    text = ("栗战书指出，各级人大及其常委会要全面、系统、深入抓好学习贯彻。要发挥人民代表大会制度作为实现我国全过程人民民主的"
            "重要制度载体作用。全面提升人大工作质量和水平，全面加强人大及其常委会自身建设。")
    found = [d["text"] for d in directives(text)]
    assert "全面提升人大工作质量和水平，全面加强人大及其常委会自身建设。" in found
    assert all(d["speaker_as_written"] == "栗战书" for d in directives(text))


def test_a_word_holding_yao_is_no_modal():
    # 规划纲要: the 要 of 纲要 instructs nothing
    text = ("中共中央政治局委员、中央办公厅主任丁薛祥在参加贵州代表团审议时说，完全赞成政府工作报告和规划纲要草案。"
            "实践再次证明，中国共产党是中国人民最可靠的主心骨。")
    assert directives(text) == []


def test_an_adverb_of_endorsement_starts_no_instruction():
    text = ("中共中央政治局委员、中央外事工作委员会办公室主任杨洁篪在参加辽宁代表团审议时说，要坚定统筹发展和安全，"
            "坚定加强党的建设。\n"
            "中共中央政治局委员、国家监委主任杨晓渡在参加甘肃代表团审议时说，完全赞成政府工作报告。"
            "在以习近平同志为核心的党中央坚强领导下，党和国家事业取得了极不平凡的成就。"
            "我们要完整、准确、全面贯彻新发展理念，实现“十四五”高质量开局起步。")
    found = {d["text"][:6]: d["speaker_as_written"] for d in directives(text)}
    assert "完全赞成政府" not in found
    assert found.get("我们要完整、") == "杨晓渡"


def test_a_document_that_ends_right_after_a_second_speech_verb_is_read():
    # 新闻联播 2020 (cut after 说): the second intro's statement started past the sentence, and reading the first
    # segment up to it ran off the end of the text (IndexError)
    assert directives("俄罗斯国家杜马国际事务委员会主席斯卢茨基表示，但议长伊萨耶夫说") == []
    assert directives("张三表示，李四说") == []


@pytest.mark.parametrize("text, pledged", [
    # 必将 foretells unless the speaker's side is its subject (新闻联播 2021, 2023)
    ("李强表示，中国发展前景光明，必将为全球经济复苏和可持续发展注入更多新动能。", False),
    ("阿扎利表示，在中国共产党的英明领导下，美丽的中国必将持续繁荣，始终是国际舞台上不可或缺的一员。", False),
    ("外交部发言人表示，中美经贸关系是相互的、对等的，一味施压，中方必将坚决反制。", True),
    ("斯卢茨基表示，捷克此举是追随美国反俄政策的表现，俄方必将采取反制措施。", True),
])
def test_a_certain_future_is_a_prediction_unless_the_speakers_side_is_its_subject(text, pledged):
    found = [d for d in directives(text) if d["kind"] == "pledge"]
    assert bool(found) == pledged
    if pledged:
        assert found[0]["text"].endswith("必将" + text.split("必将")[1])


def test_a_pledge_after_a_prediction_in_one_sentence_is_kept():
    # the 将 of 必将 is skipped, the plain 将 after it still pledges
    [d] = directives("王毅表示，两国合作必将取得更多成果，中方将同各方一道推动政治解决。")
    assert (d["kind"], d["modality"]) == ("pledge", "将")


@pytest.mark.parametrize("formula", [
    # the report's own words inside a speaker's paragraph (新闻联播 2019, 2023): nobody's statement
    "出席座谈会的党外人士还有邵鸿、何报翔、王光谦、朱永新、杨震和张恩迪等。",
    "离开雅加达时，印尼公共工程和住房部长巴苏基、中国驻印尼大使陆慷等到机场送行。",
])
def test_an_attendance_list_or_a_send_off_is_the_reports_own_words(formula):
    found = directives("习近平强调，要坚持稳中求进工作总基调，推动经济持续回升向好。" + formula)
    assert [d["text"][:4] for d in found] == ["要坚持稳"]


def test_a_report_formula_that_is_no_regular_expression_is_refused():
    from guanxi.loaders.lexicon import Lexicon, LexiconError, default_lexicon

    texts = dict(default_lexicon().texts)
    texts["directives.toml"] = texts["directives.toml"].replace('"主席台就座"', '"主席台(就座"')
    with pytest.raises(LexiconError, match="directives.toml.*report_formulas"):
        Lexicon(texts)


@pytest.mark.parametrize("published, pledged", [("2021-01-01", True), ("2023-05-10", False)])
def test_a_statement_opening_with_a_year_before_the_documents_recalls_what_was_said(published, pledged):
    # 新闻联播 2021-01-01: the year's plan is a pledge that year; the same words opening a later report look back
    text = "宁吉喆说，2021年，我国将加快调整优化产业结构和能源结构，完善清洁能源消纳长效机制。"
    found = extract(clean(text), DocumentMeta(id="t", path="t.txt", published=published))["directives"]
    assert [d["kind"] for d in found] == (["pledge"] if pledged else [])


@pytest.mark.parametrize("text, speaker_kind, speaker", [
    # a day, a time of day or 当天 and an adverb between the speaker and the verb (foreign news, 2019–2023)
    ("委内瑞拉外长阿雷亚萨24日宣布驱逐欧盟驻委内瑞拉大使佩德罗萨。", "person", "阿雷亚萨"),
    ("俄罗斯政府14日宣布，将美国和捷克列入对俄不友好国家名单。", "body", "俄罗斯政府"),
    ("美国联邦储备委员会22日宣布将联邦基金利率目标区间上调25个基点。", "body", "美国联邦储备委员会"),
    ("伊朗外长扎里夫当地时间3日晚表示，伊朗将继续履行伊核协议。", "person", "扎里夫"),
    ("俄罗斯国家杜马主席沃洛金当天也表示，俄方将采取对等措施。", "person", "沃洛金"),
])
def test_a_speaker_written_with_the_day_of_the_statement_is_the_speaker(text, speaker_kind, speaker):
    [d] = directives(text)
    assert d["speaker_kind"] == speaker_kind
    assert (d["speaker"] if speaker_kind == "person" else d["speaker_organization"]) == speaker
    assert d["kind"] == "pledge"


@pytest.mark.parametrize("text", [
    # what 宣布 reports is a count or a finding, not a decision
    "英国宣布过去24小时新增奥密克戎毒株感染病例131例，连续两天超过100例。",
    "伊朗政府宣布，过去5个月，伊朗累计生产大约6.5千克丰度为60%的浓缩铀。",
    # a hedge before 将, or an outcome after it: a forecast
    "比利时内政部表示，该国东南部洪灾已造成至少27人死亡，遇难人数可能还将上升。",
    "英国政府发言人表示，如果问题得不到解决，将产生严重后果。",
    # the modal words open the subject of a judgement
    "世卫组织总干事谭德塞表示，不能公平分配疫苗仍然是结束新冠肺炎大流行和推动全球复苏的最大威胁。",
    # 努力 as a noun: what was achieved
    "汪洋指出，经过坚持不懈的努力，西藏与全国一道如期全面建成小康社会。",
    # 应…邀请 is "at the invitation of", and an honour felt instructs nobody (2019)
    "习近平表示，应马克龙总统邀请，我即将对法国进行第二次国事访问。",
    "习近平致答辞表示，很荣幸接受圣彼得堡国立大学名誉博士学位称号。",
])
def test_a_report_a_forecast_or_a_judgement_is_no_directive(text):
    assert directives(text) == []


@pytest.mark.parametrize("text, modality", [
    # an announcement that decides from a day on, though it also reports what was done before
    ("韩国中央防疫对策本部当天宣布，从27日起非首都圈地区的防疫响应级别上调至第Ⅲ级，首都圈防疫级别此前已上调至最严格的第Ⅳ级。", "宣布"),
    # a copula inside what is to be held to is no judgement of the instruction
    ("习近平强调，要坚持绿水青山就是金山银山的理念，坚定不移走生态优先、绿色发展之路。", "要"),
])
def test_a_decision_or_an_instruction_around_a_fact_or_a_copula_is_kept(text, modality):
    [d] = directives(text)
    assert d["modality"] == modality


def test_a_speakers_time_that_is_no_regular_expression_is_refused():
    from guanxi.loaders.lexicon import Lexicon, LexiconError, default_lexicon

    texts = dict(default_lexicon().texts)
    assert '"当地时间(?:今天' in texts["directives.toml"]
    texts["directives.toml"] = texts["directives.toml"].replace('"当地时间(?:今天', '"当地时间((?:今天')
    with pytest.raises(LexiconError, match="directives.toml.*trailing_times"):
        Lexicon(texts)


@pytest.mark.parametrize("text, found", [
    # a statement opening with a verb of policy instructs (2021)
    ("李克强指出，全面深化改革开放，持续增强发展动力和活力。", 1),
    ("会议指出，带头旗帜鲜明讲政治，带头提高政治判断力、政治领悟力、政治执行力。", 1),
    # a statement opening with another verb reports, judges or thanks (2021, 2023)
    ("会议审议了有关议案。会议审议国务院关于提请审议反垄断法修正草案的议案。", 0),
    ("习近平指出，面对突如其来的新冠肺炎疫情，两国团结互助、共克时艰，积极开展抗疫合作。", 0),
    ("古特雷斯表示，感谢中国对联合国事业的坚定支持。", 0),
])
def test_an_implied_instruction_opens_with_a_verb_of_policy_or_follows_a_directive(text, found):
    assert len(directives(text)) == found


def test_a_speakers_short_title_inside_another_persons_title_does_not_hand_over_to_the_narrator():
    # 新闻联播 2021-03-29: 郭声琨 is 中央政法委书记; 书记 inside 习近平总书记 refers to someone else, so 郭声琨 speaks on
    text = ("中共中央政治局委员、中央政法委书记郭声琨参加会见，并在总结表彰大会上讲话。他指出，扫黑除恶专项斗争取得了胜利，"
            "根本在于习近平新时代中国特色社会主义思想科学指引，在于以习近平同志为核心的党中央坚强领导，"
            "在于党的领导的政治优势和中国特色社会主义的制度优势。要把习近平总书记的亲切关怀转化为强大动力，锐意进取、再接再厉，"
            "常态化推进扫黑除恶斗争。")
    found = directives(text)
    assert [(d["speaker"], d["text"][:6]) for d in found] == [("郭声琨", "要把习近平总")]
