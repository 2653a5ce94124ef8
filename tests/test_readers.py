"""Tests for guanxi.loaders.readers: formats, decoding, and bad input reported as GuanxiInputError."""
from __future__ import annotations

import io
import json
import shutil
import sys
import time
from pathlib import Path

import pytest

from guanxi.loaders.model import GuanxiInputError, SourceRecord
from guanxi.loaders.readers import (
    PRESETS,
    ReaderOptions,
    html_to_text,
    iter_records,
    load_options,
)

FIX = Path(__file__).parent / "fixtures"
READERS = FIX / "readers"
SEEDS = FIX / "seeds"


def read_all(paths, options=None):
    return list(iter_records([str(p) for p in paths], options))


def only(paths, options=None):
    out = read_all(paths, options)
    assert len(out) == 1, out
    return out[0]


def assert_error(item, *fragments):
    assert isinstance(item, GuanxiInputError), item
    for fragment in fragments:
        assert fragment in item.describe(), item.describe()


# ----------------------------------------------------------------------------- plain text

def test_utf8_seed_reads_verbatim():
    rec = only([SEEDS / "002_a9ec4e6a3a1afbe8.txt"])
    assert isinstance(rec, SourceRecord)
    assert rec.format == "txt" and rec.encoding == "utf-8" and rec.record is None
    assert rec.text == (SEEDS / "002_a9ec4e6a3a1afbe8.txt").read_text(encoding="utf-8")


def test_utf8_bom_is_dropped(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + "市委召开常委会".encode("utf-8"))
    rec = only([p])
    assert rec.text == "市委召开常委会"


def test_gb18030_file_is_decoded(tmp_path):
    text = "唐山市政协召开协商议政大会。市委书记张古江出席会议并讲话。"
    p = tmp_path / "gbk.txt"
    p.write_bytes(text.encode("gb18030"))
    rec = only([p])
    assert rec.text == text
    assert rec.encoding == "gb18030"


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert_error(only([p]), "empty.txt", "empty document")


def test_whitespace_only_file(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text(" \n\t\u3000\n", encoding="utf-8")
    assert_error(only([p]), "empty document")


def test_binary_file(tmp_path):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert_error(only([p]), "image.txt", "binary file, not text")


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "garbage.txt"
    p.write_bytes(bytes(range(0x80, 0x100)) * 10)  # invalid UTF-8 and GB18030, no other codec fits
    assert_error(only([p]), "garbage.txt", "could not decode as UTF-8 or GB18030")


def test_missing_file_is_an_error_not_an_exception(tmp_path):
    assert_error(only([tmp_path / "nope.txt"]), "nope.txt", "no such file")


def test_unknown_extension_needs_a_format(tmp_path):
    p = tmp_path / "doc.xyz"
    p.write_text("市委召开常委会", encoding="utf-8")
    assert_error(only([p]), "unknown file type")
    assert only([p], ReaderOptions(format="txt")).text == "市委召开常委会"


def test_50mb_file_gives_a_clear_error_quickly(tmp_path):
    p = tmp_path / "huge.txt"
    line = ("市政府召开常务会议，研究部署下一阶段重点工作。" * 20 + "\n").encode("utf-8")
    with open(p, "wb") as f:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    assert p.stat().st_size >= 50 * 1024 * 1024
    t0 = time.perf_counter()
    item = only([p])
    assert time.perf_counter() - t0 < 5
    assert_error(item, "huge.txt", "too large", "max_chars")


def test_large_file_reads_when_the_limit_allows(tmp_path):
    p = tmp_path / "big.txt"
    chunk = "市政府召开常务会议。\n" * 100_000  # 1.1 M characters
    p.write_text(chunk * 5, encoding="utf-8")
    t0 = time.perf_counter()
    rec = only([p], ReaderOptions(max_chars=6_000_000))
    assert time.perf_counter() - t0 < 10
    assert isinstance(rec, SourceRecord) and len(rec.text) == len(chunk) * 5
    assert_error(only([p], ReaderOptions(max_chars=1_000_000)), "too large")


# ----------------------------------------------------------------------------- directories and stdin

def test_directory_walk_is_recursive_sorted_and_by_extension(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("甲文件", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("丙文件", encoding="utf-8")
    (tmp_path / "b" / "skip.bin").write_bytes(b"\x00\x01")
    (tmp_path / ".hidden.txt").write_text("隐藏", encoding="utf-8")
    (tmp_path / "z.md").write_text("乙文件", encoding="utf-8")
    out = read_all([tmp_path])
    assert [Path(r.path).name for r in out] == ["a.txt", "z.md", "c.txt"]
    assert [r.text for r in out] == ["甲文件", "乙文件", "丙文件"]
    only_md = read_all([tmp_path], ReaderOptions(extensions=(".md",)))
    assert [r.text for r in only_md] == ["乙文件"]


def test_empty_directory_is_reported(tmp_path):
    assert_error(only([tmp_path]), "no input files")


def test_one_bad_file_does_not_stop_the_batch(tmp_path):
    (tmp_path / "1.txt").write_bytes(b"")
    (tmp_path / "2.txt").write_text("市委召开常委会", encoding="utf-8")
    out = read_all([tmp_path])
    assert isinstance(out[0], GuanxiInputError) and out[1].text == "市委召开常委会"


class FakeStdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin("市委召开常委会".encode("gb18030")))
    rec = only(["-"])
    assert rec.path == "-" and rec.format == "txt" and rec.text == "市委召开常委会"


def test_stdin_jsonl_is_sniffed(monkeypatch):
    data = '{"text": "第一条"}\n{"text": "第二条"}\n'.encode("utf-8")
    monkeypatch.setattr(sys, "stdin", FakeStdin(data))
    out = read_all(["-"])
    assert [(r.format, r.record, r.text) for r in out] == [("jsonl", 0, "第一条"), ("jsonl", 1, "第二条")]


# ----------------------------------------------------------------------------- HTML

def test_html_page_main_text_and_metadata_without_script():
    rec = only([READERS / "page_with_script.html"])
    assert rec.format == "html"
    assert "alert" not in rec.text and "color:red" not in rec.text
    assert "9月7日，市政协召开协商议政大会" in rec.text
    assert "省委常委、市委书记张古江" in rec.text
    # paragraphs stay on separate lines
    lines = rec.text.split("\n")
    assert any(line.startswith("省委常委") for line in lines)
    assert rec.meta["title"] == "唐山市政协召开协商议政大会"
    assert rec.meta["published"] == "2020-09-08"
    assert rec.meta["source"] == "长城网"


def test_html_without_main_text_falls_back_to_body(tmp_path):
    p = tmp_path / "short.html"
    p.write_text("<html><head><style>p{x:1}</style></head><body><p>市委召开常委会</p>"
                 "<script>alert(1)</script><p>书记讲话</p></body></html>", encoding="utf-8")
    rec = only([p])
    assert rec.text == "市委召开常委会\n书记讲话"


def test_html_fragment_to_text_keeps_every_paragraph():
    markup = ("<p>央视网消息（新闻联播）：短。<br/></p><p>第二段<b>加粗</b>文字。</p>"
              "<script>alert(1)</script><!-- 注释 --><p>第三段</p>尾巴")
    assert html_to_text(markup) == "央视网消息（新闻联播）：短。\n第二段加粗文字。\n第三段\n尾巴"


def test_html_script_only_is_empty(tmp_path):
    p = tmp_path / "s.html"
    p.write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    assert_error(only([p]), "empty document")


# ----------------------------------------------------------------------------- JSON / JSONL

def test_xwlb_preset_reads_two_records():
    out = read_all([READERS / "xwlb_20250103_two.json"], PRESETS["xwlb"])
    assert len(out) == 2 and all(isinstance(r, SourceRecord) for r in out)
    first, second = out
    assert first.record == 0 and second.record == 1 and first.format == "json"
    assert first.meta == {
        "id": "VIDE1d32bYFngREW8H6AvYoi250103",
        "title": "[视频]习近平致电祝贺卡韦拉什维利就任格鲁吉亚总统",
        "published": "2025-01-03 19:05:16",
        "source": "央视网",
        "url": "https://tv.cctv.com/2025/01/03/VIDE1d32bYFngREW8H6AvYoi250103.shtml",
        "source_key": "xwlb_20250103_two",
    }
    assert first.text.split("\n") == [
        "央视网消息（新闻联播）：近日，国家主席习近平致电米哈伊尔·卡韦拉什维利，祝贺他就任格鲁吉亚总统。",
        "习近平指出，当前中格战略伙伴关系保持积极发展势头。双方政治互信持续巩固，共建“一带一路”合作成果丰硕，"
        "国际协作富有成效。我高度重视中格关系发展，愿同总统先生一道努力，赓续两国传统友谊，深化双方互利合作，"
        "推动中格关系取得更大发展，更好造福两国人民。",
    ]
    assert len(second.text.split("\n")) == 3 and "<" not in second.text


def test_options_from_toml_match_the_preset():
    opts = load_options(READERS / "xwlb_options.toml")
    assert opts.records == "videoList" and opts.text_field == "video_detail.content" and opts.html_fields is True
    out = read_all([READERS / "xwlb_20250103_two.json"], opts)
    assert [r.meta["id"] for r in out] == ["VIDE1d32bYFngREW8H6AvYoi250103", "VIDE8wvV5TYE8RFPtJ1OldLc250103"]


def test_toml_preset_key_and_unknown_keys(tmp_path):
    p = tmp_path / "o.toml"
    p.write_text('preset = "xwlb"\nmax_chars = 1000\n', encoding="utf-8")
    opts = load_options(p)
    assert opts.records == "videoList" and opts.max_chars == 1000
    p.write_text('recordz = "x"\n', encoding="utf-8")
    with pytest.raises(GuanxiInputError, match="unknown option"):
        load_options(p)


def test_record_without_text_field_names_record_and_field(tmp_path):
    data = json.loads((READERS / "xwlb_20250103_two.json").read_text(encoding="utf-8"))
    del data["videoList"][0]["video_detail"]  # as in the real 20250425.json record 8
    p = tmp_path / "day.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    first, second = read_all([p], PRESETS["xwlb"])
    assert_error(first, "day.json", "record 0", "video_detail.content")
    assert isinstance(second, SourceRecord) and second.record == 1


def test_malformed_json_file_reports_line_and_column(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('[\n  {"text": "甲"},\n  {"text": "乙",,}\n]\n', encoding="utf-8")
    err = only([p])
    assert_error(err, "bad.json", "line 3", "column 16")
    assert err.line == 3


def test_jsonl_malformed_line_and_missing_text_others_still_read():
    out = read_all([READERS / "records.jsonl"])
    assert len(out) == 4
    good1, bad, good2, empty = out
    assert good1.text == "5月6日，市长张三主持召开市政府常务会议。"
    assert good1.meta == {"id": "a1", "title": "市政府召开常务会议", "published": "2023-05-06", "line": 1,
                          "source_key": "records"}
    assert_error(bad, "records.jsonl", "line 2", "malformed JSON")
    assert bad.line == 2
    # default field names: content for the text, published for the date, author for the authors
    assert good2.text == "市委书记王五讲话。" and good2.record == 2
    assert good2.meta["published"] == "2023/5/7" and good2.meta["authors"] == ["李四"]
    assert_error(empty, "record 3", "line 4", "text/content/body")


def test_json_single_object_top_level(tmp_path):
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"title": "标题", "body": "<p>甲</p><p>乙</p>"}, ensure_ascii=False), encoding="utf-8")
    rec = only([p])
    assert rec.record is None and rec.text == "甲\n乙"  # HTML detected in the field
    assert only([p], ReaderOptions(html_fields=False)).text == "<p>甲</p><p>乙</p>"


def test_directory_of_mixed_formats(tmp_path):
    shutil.copy(READERS / "records.jsonl", tmp_path / "r.jsonl")
    shutil.copy(SEEDS / "000_3b541c3cffdbfa2f.txt", tmp_path / "seed.txt")
    out = read_all([tmp_path])
    assert sum(isinstance(r, SourceRecord) for r in out) == 3
    assert sum(isinstance(r, GuanxiInputError) for r in out) == 2


def test_html_declared_charset_and_forced_encoding(tmp_path):
    body = "<p>這是一個測試文本，市政府召開常務會議。</p>"
    p = tmp_path / "big5.html"
    p.write_bytes(f'<html><head><meta charset="big5"></head><body>{body}</body></html>'.encode("big5"))
    assert "市政府召開常務會議" in only([p]).text  # GB18030 would decode these bytes as mojibake
    t = tmp_path / "big5.txt"
    t.write_bytes("市政府召開常務會議".encode("big5"))
    assert only([t], ReaderOptions(encoding="big5")).text == "市政府召開常務會議"
    # undeclared Big5 decodes "validly" as GB18030 but into private-use characters; that result is
    # refused and charset-normalizer's guess is taken instead
    longer = "這是一個測試文本，市政府召開常務會議，會議強調要做好各項工作。"
    t.write_bytes(longer.encode("big5"))
    rec = only([t])
    assert rec.text == longer and rec.encoding == "big5"


def test_path_objects_are_accepted():
    rec = only([SEEDS / "000_3b541c3cffdbfa2f.txt"])
    assert isinstance(rec.path, str)


def test_binary_without_nul_bytes(tmp_path):
    p = tmp_path / "ctl.txt"
    p.write_bytes(bytes(range(1, 32)) * 100 + "市委".encode("utf-8"))
    assert_error(only([p]), "binary file, not text")


# ----------------------------------------------------------------------------- hardening: inputs that used to mislead

def test_a_symlink_loop_is_reported_as_a_loop(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert_error(only([loop]), "loop.txt", "symbolic link loop")
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    assert_error(only([broken]), "broken.txt", "broken symbolic link", "gone.txt")


def test_symlinked_subfolders_are_followed_but_never_in_a_loop(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("乙文件", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_text("甲文件", encoding="utf-8")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    (elsewhere / "back").symlink_to(root, target_is_directory=True)  # root/linked/back -> root: a loop
    out = read_all([root])
    records = [r for r in out if isinstance(r, SourceRecord)]
    assert [r.text for r in records] == ["甲文件", "乙文件"]
    assert [r.meta["source_key"] for r in records] == ["a", "linked/b"]
    [loop] = [e for e in out if isinstance(e, GuanxiInputError)]
    assert_error(loop, str(root / "linked" / "back"), "symbolic link loop", f"leads back to {root}")


def _read_unprivileged(paths):
    return [(type(x).__name__, x.describe() if isinstance(x, GuanxiInputError) else x.text)
            for x in iter_records([str(p) for p in paths])]


def test_an_unreadable_folder_is_reported_as_unreadable_not_empty(tmp_path):
    from tests.unprivileged import call_unprivileged, share_with_nobody

    root = tmp_path / "root"
    (root / "closed").mkdir(parents=True)
    (root / "closed" / "x.txt").write_text("甲文件", encoding="utf-8")
    (root / "open.txt").write_text("乙文件", encoding="utf-8")
    (root / "open.txt").chmod(0o644)
    share_with_nobody(root / "open.txt")
    root.chmod(0o755)
    (root / "closed").chmod(0o000)
    try:
        whole = call_unprivileged(_read_unprivileged, [root])
        alone = call_unprivileged(_read_unprivileged, [root / "closed"])
    finally:
        (root / "closed").chmod(0o755)
    assert ("SourceRecord", "乙文件") in whole
    assert any(kind == "GuanxiInputError" and "closed: cannot read directory: Permission denied" in text
               for kind, text in whole), whole
    assert len(alone) == 1 and "cannot read directory: Permission denied" in alone[0][1], alone
    assert "no input files" not in alone[0][1]


def test_invalid_utf8_is_refused_with_the_guess_and_its_confidence(tmp_path):
    p = tmp_path / "russian.txt"
    p.write_bytes("Министерство иностранных дел сообщило о переговорах. ".encode("cp1251") * 5)
    assert_error(only([p]), "russian.txt", "could not decode as UTF-8 or GB18030", "not UTF-8 at byte 0",
                 "it might be cp1251", "% confidence", "--encoding cp1251")
    forced = only([p], ReaderOptions(encoding="cp1251"))
    assert forced.text.startswith("Министерство") and forced.encoding == "cp1251"


def test_big5_without_a_declaration_is_still_read():
    text = "市委書記張古江強調，要聚焦關鍵環節。這是一段繁體中文的測試文字。" * 10
    from guanxi.loaders.readers import decode_bytes

    decoded, encoding = decode_bytes(text.encode("big5"), "big5.txt")
    assert decoded == text and encoding == "big5"


@pytest.mark.parametrize("line, problem", [
    ('max_chars = "lots"', 'option max_chars must be a positive whole number, got "lots"'),
    ("max_chars = 0", "option max_chars must be a positive whole number, got 0"),
    ("max_json_bytes = true", "option max_json_bytes must be a positive whole number, got true"),
    ('html_fields = "yes"', 'option html_fields must be true or false, got "yes"'),
    ("text_field = 3", "option text_field must be a string, got 3"),
    ('extensions = ".txt"', "option extensions must be a list of file extensions"),
    ('encoding = "klingon"', "option encoding must be a text encoding Python knows"),
    ('format = "pdf"', "option format must be one of txt, html, json, jsonl"),
])
def test_config_values_of_the_wrong_type_are_refused_when_read(tmp_path, line, problem):
    config = tmp_path / "opts.toml"
    config.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(GuanxiInputError) as err:
        load_options(config)
    assert str(config) in err.value.describe() and problem in err.value.describe()


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    p = tmp_path / "deep.json"
    p.write_text(deep, encoding="utf-8")
    assert_error(only([p]), "deep.json", "JSON nested too deeply")
    lines = tmp_path / "deep.jsonl"
    lines.write_text(json.dumps({"text": "市委召开常委会"}, ensure_ascii=False) + "\n" + deep + "\n", encoding="utf-8")
    good, bad = read_all([lines])
    assert good.text == "市委召开常委会" and good.meta["line"] == 1
    assert_error(bad, "deep.jsonl record 1 line 2", "JSON nested too deeply")
    assert "unexpected error" not in bad.describe()


def test_the_size_limit_says_what_it_is_and_how_to_raise_it(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("市政府召开常务会议。\n" * 100_001, encoding="utf-8")  # 1.1 M characters
    item = only([p])
    assert_error(item, "long.txt", "document too large (1,100,011 characters", "at most 1,000,000 characters",
                 "about 10 s", "set max_chars in a --config file")
    config = tmp_path / "big.toml"
    config.write_text("max_chars = 2_000_000\n", encoding="utf-8")
    assert isinstance(only([p], load_options(config)), SourceRecord)


def test_source_keys_are_paths_relative_to_the_ingest_root(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"{folder}的报告", encoding="utf-8")
    assert [r.meta["source_key"] for r in read_all([tmp_path])] == ["a/report", "b/report"]
    assert [r.meta["source_key"] for r in read_all([tmp_path / "a" / "report.txt"])] == ["report"]
    keys = {r.meta["source_key"] for r in read_all([READERS / "records.jsonl"]) if isinstance(r, SourceRecord)}
    assert keys == {"records"}


def test_the_junk_class_is_exactly_control_private_use_surrogate_and_replacement_characters():
    """Every code point: the one-regex count of "is this text?" agrees with the per-character categories."""
    import sys
    import unicodedata

    from guanxi.loaders.readers import _JUNK

    for code in range(sys.maxunicode + 1):
        c = chr(code)
        expected = (unicodedata.category(c) in ("Cc", "Co", "Cs") and c not in "\t\n\r\f\v") or c == "\ufffd"
        assert bool(_JUNK.match(c)) is expected, hex(code)
