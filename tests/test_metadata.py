"""Tests for guanxi.loaders.metadata: the seeds' metadata exactly, with provenance spans."""
from __future__ import annotations

from pathlib import Path

from guanxi.loaders.cleaning import clean
from guanxi.loaders.metadata import document_id, extract_metadata, normalize_date
from guanxi.loaders.model import SourceRecord
from guanxi.loaders.readers import PRESETS, iter_records

FIX = Path(__file__).parent / "fixtures"
SEEDS = FIX / "seeds"


def meta_of(record: SourceRecord):
    cleaned = clean(record.text)
    return extract_metadata(record, cleaned, document_id(record)), cleaned


def seed(name: str) -> SourceRecord:
    path = SEEDS / name
    return SourceRecord(path=str(path), text=path.read_text(encoding="utf-8"), format="txt", encoding="utf-8")


def text_at(text: str, span) -> str:
    return text[span[0]:span[1]]


def test_seed_002_metadata():
    rec = seed("002_a9ec4e6a3a1afbe8.txt")
    m, c = meta_of(rec)
    assert m.id == "002_a9ec4e6a3a1afbe8"
    assert m.title == "唐山市政协召开协商议政大会"
    assert m.published == "2020-09-08"
    assert m.published_at == "2020-09-08 10:19:48"
    assert m.source == "唐山劳动日报"
    assert m.authors == ["李响"]
    assert m.editor == "杜宇昕"
    assert m.jurisdiction is None and m.record is None
    # the title line and the inline byline "(记者 李响)" survive cleaning: cleaned spans
    assert text_at(c.text, m.title_span) == "唐山市政协召开协商议政大会" and m.title_span[0] == 0
    assert len(m.author_spans) == 1
    a = m.author_spans[0]
    assert text_at(c.text, a) == "李响" and c.text[a[0] - 4:a[1] + 1] == "(记者 李响)"
    assert text_at(rec.text, m.author_original_spans[0]) == "李响"
    assert m.author_original_spans[0] == c.offsets.span_to_original(a)
    # the source and editor lines were deleted as chrome: no cleaned span, but an original one
    assert m.editor_span is None and m.source_span is None
    assert text_at(rec.text, m.editor_original_span) == "杜宇昕"
    assert rec.text[m.editor_original_span[0] - 5:m.editor_original_span[0]] == "责任编辑:"
    assert text_at(rec.text, m.source_original_span) == "唐山劳动日报"
    assert text_at(rec.text, m.title_original_span) == "唐山市政协召开协商议政大会"


def test_seed_000_metadata():
    rec = seed("000_3b541c3cffdbfa2f.txt")
    m, c = meta_of(rec)
    assert m.id == "000_3b541c3cffdbfa2f"
    assert m.title == "在与政协委员“面对面”专题协商活动上的讲话提纲"
    assert m.published == "2023-08-22"
    assert m.published_at == "2023/8/22 21:52:28"
    assert m.source is None and m.authors == [] and m.editor is None
    assert m.title_span == (0, len(m.title))
    assert text_at(rec.text, m.title_original_span) == m.title


def test_xwlb_record_metadata_from_hints():
    records = list(iter_records([str(FIX / "readers" / "xwlb_20250103_two.json")], PRESETS["xwlb"]))
    m, c = meta_of(records[0])
    assert m.id == "VIDE1d32bYFngREW8H6AvYoi250103"
    assert m.title == "习近平致电祝贺卡韦拉什维利就任格鲁吉亚总统"  # "[视频]" marker dropped
    assert m.published == "2025-01-03" and m.published_at == "2025-01-03 19:05:16"
    assert m.source == "央视网"
    assert m.url == "https://tv.cctv.com/2025/01/03/VIDE1d32bYFngREW8H6AvYoi250103.shtml"
    assert m.record == 0 and m.authors == []
    assert c.text.startswith("近日，国家主席习近平")


def test_document_id_rules():
    base = dict(text="甲", format="json")
    assert document_id(SourceRecord(path="/x/day.json", record=3, **base)) == "day#3"
    assert document_id(SourceRecord(path="/x/day.json", record=3, meta={"id": "V1"}, **base)) == "V1"
    assert document_id(SourceRecord(path="/x/a.txt", text="乙", format="txt")) == "a"
    # stable when the content changes
    assert document_id(SourceRecord(path="/x/a.txt", text="丙丁", format="txt")) == "a"
    # the reader's source key: the path relative to the ingest root, so same-named files in two folders differ
    assert document_id(SourceRecord(path="/x/a/r.txt", text="乙", format="txt", meta={"source_key": "a/r"})) == "a/r"
    assert document_id(SourceRecord(path="/x/b/r.txt", text="乙", format="txt", meta={"source_key": "b/r"})) == "b/r"
    assert document_id(SourceRecord(path="/x/d.jsonl", record=2, text="乙", format="jsonl",
                                    meta={"source_key": "2025/d"})) == "2025/d#2"
    # standard input has no name: the content decides, so two different inputs are two documents
    one, other = (document_id(SourceRecord(path="-", text=t, format="txt")) for t in ("乙", "丙"))
    assert one.startswith("stdin-") and len(one) == len("stdin-") + 16 and one != other
    assert one == document_id(SourceRecord(path="-", text="乙", format="txt"))


def test_inline_bylines_with_several_names():
    text = "本报讯（记者 张三 李四）市委召开全会。\n会议强调，要抓好落实。（记者 王五 通讯员 赵六）"
    rec = SourceRecord(path="n.txt", text=text, format="txt")
    m, c = meta_of(rec)
    assert m.authors == ["张三", "李四", "王五", "赵六"]
    assert [text_at(c.text, s) for s in m.author_spans] == m.authors


def test_prose_in_brackets_is_not_a_byline():
    text = "市委召开全会。会上（记者了解到）有关部门作了发言，全会审议通过了决定。"
    m, _ = meta_of(SourceRecord(path="p.txt", text=text, format="txt"))
    assert m.authors == []


def test_title_not_taken_from_prose_and_dates_validated():
    m, _ = meta_of(SourceRecord(path="p.txt", text="9月7日，市政协召开协商议政大会。\n2023-13-40", format="txt"))
    assert m.title is None and m.published is None


def test_labeled_source_and_date_variants():
    text = "市政府常务会议召开\n发布日期：2021年3月5日  来源：市政府办公室  浏览次数：12\n会议研究了有关事项。"
    m, c = meta_of(SourceRecord(path="p.txt", text=text, format="txt"))
    assert m.title == "市政府常务会议召开"
    assert m.published == "2021-03-05" and m.published_at is None
    assert m.source == "市政府办公室"


def test_normalize_date():
    assert normalize_date("2023/8/22 21:52:28") == "2023-08-22"
    assert normalize_date("2023年8月2日") == "2023-08-02"
    assert normalize_date("2023-02-30") is None
    assert normalize_date("昨天") is None
