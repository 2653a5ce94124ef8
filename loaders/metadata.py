"""Document metadata: id, title, date, source, authors, editor — each with its provenance.

Pure functions.  Container hints (JSON fields, HTML page metadata, in ``SourceRecord.meta``) win;
otherwise the values are read from the *original* text, because cleaning deletes the byline lines
("来源: …  作者:…", "发表时间:…", "责任编辑:…") as chrome.  Each value is then located in the cleaned text
when it survived cleaning (``*_span``), and in the original text (``*_original_span``) in any case.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from pathlib import Path

from .model import CleanText, DocumentMeta, SourceRecord, Span

_H = r"[ \t\u3000\xa0]"
_HS = " \t\r\u3000\xa0"
_LEAD = r"(?:^|(?<=[\s|｜【\[]))"  # a label starts a line or follows a separator, not "资金来源"

_DATE = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:" + _H + r"*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_DATE_PARTS = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_HAS_TIME = re.compile(r"\d{1,2}[:：]\d{2}")
# publication labels first; a bare "日期：" is weaker (in a notice it may be an event's date)
_DATE_LABELED = re.compile(r"(?:发表时间|发布时间|发布日期|发稿时间|发表日期|更新时间)" + _H + r"*[:：]" + _H
                           + r"*(?P<v>" + _DATE + ")")
_DATE_LINE = re.compile(r"^" + _H + r"*(?P<v>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:" + _H
                        + r"+\d{1,2}:\d{2}(?::\d{2})?)?)" + _H + r"*$", re.M)
_DATE_WEAK = re.compile(_LEAD + r"日期" + _H + r"*[:：]" + _H + r"*(?P<v>" + _DATE + ")", re.M)
_HEADER_CHARS = 3000  # bare date lines count only near the top, where page headers are

_SOURCE = re.compile(_LEAD + r"(?:来源|稿源|文章来源|信息来源|新闻来源)" + _H + r"*[:：]" + _H + r"*(?P<v>[^\n]*)", re.M)
_AUTHOR = re.compile(_LEAD + r"(?:作者|记者|撰稿人?)" + _H + r"*[:：]" + _H + r"*(?P<v>[^\n]*)", re.M)
_EDITOR = re.compile(r"(?:责任编辑|(?:" + _LEAD + r"(?:责编|编辑)))" + _H + r"*[:：]" + _H + r"*(?P<v>[^\n]*)", re.M)
# where a labeled value ends: two spaces, a bar, a bracket, or the next label
_VALUE_END = re.compile(_H + r"{2,}|[|｜()（）\[\]【】]|" + _H + r"*(?:来源|作者|记者|通讯员|责任编辑|编辑|发布|发表|时间|日期|"
                        r"浏览|点击|字号|关键词)" + _H + r"*[:：]")
# inline bylines inside paragraphs: "(记者 李响)", "（记者 张三 李四）", "本报讯（记者 王五 通讯员 赵六）"
_INLINE_BYLINE = re.compile(r"[（(]" + _H + r"*(?P<v>[^()（）\n]{0,8}?(?:记者|通讯员|实习生)[^()（）\n]{1,40}?)" + _H
                            + r"*[)）]", re.M)
_ROLE = re.compile(r"^(?:[^\s]{0,6}?(?:记者|通讯员|实习生|摄影|摄像|编辑)|文/图|文|图)")
_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}[·•][\u4e00-\u9fff·•]{1,12})$")
_NAME_SEP = re.compile(r"[\s、,，;；/]+")
_TITLE_PREFIX = re.compile(r"^(?:\[视频\]|【视频】|\[图文\]|【图文】)" + _H + r"*")
_SENTENCE_END = ("。", "；", ";", "！", "!", "？", "?", "，", ",", "：", ":")
_MAX_TITLE = 80


def document_id(record: SourceRecord) -> str:
    """A document's id: unique among the inputs and stable when the content changes.

    * the mapped id field of a JSON record, if any (the xwlb preset's ``video_detail.id``);
    * else the file's path relative to the ingest root without its extension (``source_key``, set by the
      reader: ``a/report`` and ``b/report`` for ``guanxi ingest .``; a file given by name is its own root, so
      ``examples/002_a9ec4e6a3a1afbe8.txt`` is ``002_a9ec4e6a3a1afbe8``), with ``#index`` for a record of a
      JSON or JSONL file;
    * else, for standard input, which has no name, ``stdin-`` and the first 16 hex digits of the SHA-256 of
      the text: two different inputs never share an id, the same input always gets the same one.

    A record built without the reader (no ``source_key``) falls back on its file name's stem."""
    hint = record.meta.get("id")
    if hint not in (None, ""):
        return str(hint)
    if record.path == "-" and not record.meta.get("source_key"):
        return "stdin-" + hashlib.sha256(record.text.encode("utf-8")).hexdigest()[:16]
    key = record.meta.get("source_key") or Path(record.path).stem
    return key if record.record is None else f"{key}#{record.record}"


def extract_metadata(record: SourceRecord, cleaned: CleanText, doc_id: str) -> DocumentMeta:
    original = record.text
    meta = DocumentMeta(id=doc_id, path=record.path, record=record.record, url=record.meta.get("url"))
    _set_title(meta, record, cleaned)
    _set_date(meta, record)
    _set_source(meta, record, cleaned)
    _set_authors(meta, record, cleaned)
    editor = _labeled(_EDITOR, original)
    if editor:
        name = _first_name(editor[0])
        if name:
            start = editor[1][0] + editor[0].index(name)
            meta.editor = name
            meta.editor_original_span = (start, start + len(name))
            meta.editor_span = cleaned.offsets.span_from_original(meta.editor_original_span)
    return meta


# --------------------------------------------------------------------------- title

def _set_title(meta: DocumentMeta, record: SourceRecord, cleaned: CleanText) -> None:
    hint = record.meta.get("title")
    if hint:
        meta.title = _TITLE_PREFIX.sub("", str(hint)).strip() or None
        span = _find(cleaned.text, meta.title) if meta.title else None
    else:
        found = _title_line(cleaned.text)
        meta.title, span = (found[0], found[1]) if found else (None, None)
    if span:
        meta.title_span = span
        meta.title_original_span = cleaned.offsets.span_to_original(span)


def _title_line(text: str) -> tuple[str, Span] | None:
    """The first non-empty line if it looks like a heading (short, no sentence punctuation at the end)."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos:end]
        stripped = line.strip(" \t\r\u3000\xa0")
        if stripped:
            if len(stripped) <= _MAX_TITLE and not stripped.endswith(_SENTENCE_END):
                start = pos + line.index(stripped)
                return stripped, (start, start + len(stripped))
            return None  # the text starts with running prose: no heading to take
        pos = end + 1
    return None


# --------------------------------------------------------------------------- date

def normalize_date(value: str) -> str | None:
    """``2020-09-08 10:19:48`` / ``2023/8/22 21:52:28`` / ``2023年8月22日`` -> ``YYYY-MM-DD``."""
    m = _DATE_PARTS.search(value)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _set_date(meta: DocumentMeta, record: SourceRecord) -> None:
    raw = record.meta.get("published")
    if not (raw and normalize_date(str(raw))):
        raw = _date_from_text(record.text)
    if raw:
        raw = str(raw).strip()
        meta.published = normalize_date(raw)
        if meta.published and _HAS_TIME.search(raw):
            meta.published_at = raw


def _date_from_text(text: str) -> str | None:
    for regex, region in ((_DATE_LABELED, text), (_DATE_LINE, text[:_HEADER_CHARS]), (_DATE_WEAK, text[:_HEADER_CHARS])):
        for m in regex.finditer(region):
            if normalize_date(m.group("v")):
                return m.group("v")
    return None


# --------------------------------------------------------------------------- source, authors, editor

def _labeled(regex: re.Pattern[str], text: str) -> tuple[str, Span] | None:
    """The value after the first label match, cut where the next field starts; with its span."""
    for m in regex.finditer(text):
        rest = m.group("v")
        cut = _VALUE_END.search(rest)
        value = (rest[: cut.start()] if cut else rest).rstrip(" \t\r\u3000\xa0")
        if value:
            start = m.start("v")
            return value, (start, start + len(value))
    return None


def _set_source(meta: DocumentMeta, record: SourceRecord, cleaned: CleanText) -> None:
    hint = record.meta.get("source")
    found = _labeled(_SOURCE, record.text)
    if hint:
        meta.source = str(hint).strip()
        if found and found[0] == meta.source:
            meta.source_original_span = found[1]
    elif found and len(found[0]) <= 40:
        meta.source, meta.source_original_span = found
    if meta.source:
        meta.source_span = _kept_or_found(meta.source_original_span, meta.source, cleaned)
        if meta.source_original_span is None and meta.source_span:
            meta.source_original_span = cleaned.offsets.span_to_original(meta.source_span)


def _names(value: str) -> list[tuple[str, int]]:
    """Person names in a byline value, with their offsets in it; role words ("记者", "通讯员") skipped."""
    out = []
    for m in re.finditer(r"[^\s、,，;；/]+", value):
        token, offset = m.group(), m.start()
        role = _ROLE.match(token)
        if role and role.end() < len(token):  # "记者李响" -> "李响"
            token, offset = token[role.end():], offset + role.end()
        elif role:
            continue
        if _NAME.match(token):
            out.append((token, offset))
    return out


def _first_name(value: str) -> str | None:
    names = _names(value)
    return names[0][0] if names else None


def _author_occurrences(record: SourceRecord) -> list[tuple[str, Span]]:
    """(name, original span) for every author named in a byline, in text order."""
    text = record.text
    found: list[tuple[int, str, Span]] = []
    labeled = _labeled(_AUTHOR, text)
    if labeled:
        value, (vstart, _) = labeled
        found += [(vstart + off, n, (vstart + off, vstart + off + len(n))) for n, off in _names(value)]
    for m in _INLINE_BYLINE.finditer(text):
        if not _byline_position(text, m.start(), m.end()):
            continue  # "(记者从市政府获悉)" mid-sentence is prose, not a byline
        names = _names(m.group("v"))
        if names:
            vstart = m.start("v")
            found += [(vstart + off, n, (vstart + off, vstart + off + len(n))) for n, off in names]
    return [(n, span) for _, n, span in sorted(found)]


def _byline_position(text: str, start: int, end: int) -> bool:
    """An inline byline opens its paragraph ("本报讯（记者 …）") or closes it ("…参加会议。(记者 李响)")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    prefix = text[line_start:start].strip(_HS)
    suffix = text[end:len(text) if line_end == -1 else line_end].strip(_HS + "。.")
    opens = len(prefix) <= 20 and (not prefix or prefix.endswith(("讯", "电")))
    return opens or not suffix


def _set_authors(meta: DocumentMeta, record: SourceRecord, cleaned: CleanText) -> None:
    occurrences = _author_occurrences(record)
    hint = record.meta.get("authors")
    names = [str(a) for a in hint] if isinstance(hint, list) and hint else []
    for name, _ in occurrences:
        if name not in names:
            names.append(name)
    meta.authors = names
    for name in names:
        spans = [span for n, span in occurrences if n == name]
        clean_spans = [c for c in (cleaned.offsets.span_from_original(s) for s in spans) if c]
        if clean_spans:  # prefer where the byline survived cleaning, e.g. "(记者 李响)"
            meta.author_spans.append(clean_spans[0])
            meta.author_original_spans.append(cleaned.offsets.span_to_original(clean_spans[0]))
            continue
        if spans:
            meta.author_original_spans.append(spans[0])
        if (span := _find(cleaned.text, name)) is not None:
            meta.author_spans.append(span)
            if not spans:
                meta.author_original_spans.append(cleaned.offsets.span_to_original(span))


def _kept_or_found(original_span: Span | None, value: str, cleaned: CleanText) -> Span | None:
    if original_span is not None:
        kept = cleaned.offsets.span_from_original(original_span)
        if kept:
            return kept
    return _find(cleaned.text, value)


def _find(text: str, value: str | None) -> Span | None:
    if not value:
        return None
    i = text.find(value)
    return None if i < 0 else (i, i + len(value))
