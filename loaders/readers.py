"""Reading input files into :class:`SourceRecord` values.

This is the I/O edge of the loaders: everything that can go wrong with a user's file (missing, binary,
undecodable, empty, malformed JSON, too large) becomes a :class:`GuanxiInputError` that is *yielded*,
not raised, so that one bad file never stops a batch.

Formats: plain text (``txt``), an HTML page (``html``: main text and metadata via trafilatura), a JSON
file holding one record or a list of records (``json``), and JSON lines (``jsonl``).  For JSON, dotted
field paths say where the text and the metadata hints are; HTML inside a text field (CCTV transcripts
store ``<p>…</p>`` fragments) is converted to text with one paragraph per line.

Every record read from a file carries, in ``SourceRecord.meta``, ``source_key``: the file's path relative to
the *ingest root* (the directory given on the command line, or the file's own folder for a file given by
name), POSIX separators, no extension (``2025/0310``).  :func:`guanxi.loaders.metadata.document_id` builds
the document id from it, so same-named files in two subfolders are two documents.  JSONL records also carry
``line`` (their line number), for error messages about them after reading.
"""
from __future__ import annotations

import codecs
import errno
import io
import json
import os
import stat
import re
import sys
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from .model import GuanxiInputError, SourceRecord

FORMATS = ("txt", "html", "json", "jsonl")
EXTENSION_FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
DEFAULT_EXTENSIONS = tuple(EXTENSION_FORMATS)

# Field names tried, in order, when the user did not map a field: common names in scraped corpora.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body"),
    "title": ("title",),
    "published": ("date", "published", "pubtime", "pub_date", "publish_time"),
    "source": ("source", "sitename"),
    "id": ("id",),
    "url": ("url",),
    "authors": ("authors", "author"),
}

# A document far larger than any real government text (a long work report is ~30,000 characters; 1 M is a few
# books) is almost certainly a mistake.  The limit is what extraction finishes in reasonable time: measured,
# 1 M characters take ~10 s, 3 M ~22 s, 6 M ~72 s (cost grows faster than the length), and an ingest holds
# the store while it extracts.  Users with larger documents raise max_chars in a --config file.
DEFAULT_MAX_CHARS = 1_000_000
MAX_CHARS_SECONDS = 10                 # what the error message says one document at the limit costs
DEFAULT_MAX_JSON_BYTES = 512_000_000  # a JSON file must be parsed whole, so bound it by bytes
_MAX_BYTES_PER_CHAR = 4                # no character takes more in UTF-8 or GB18030: a size pre-check


@dataclass
class ReaderOptions:
    format: str | None = None              # force txt/html/json/jsonl; else by extension
    records: str | None = None             # dotted path to the record list in JSON; None/'' = top level
    text_field: str | None = None          # dotted paths into a JSON record; None = try DEFAULT_FIELDS
    title_field: str | None = None
    date_field: str | None = None
    source_field: str | None = None
    id_field: str | None = None
    url_field: str | None = None
    authors_field: str | None = None
    html_fields: bool | None = None        # text field holds HTML; None = detect per record
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS  # which files a directory walk picks up
    encoding: str | None = None            # force a text encoding instead of detecting it
    max_chars: int = DEFAULT_MAX_CHARS
    max_json_bytes: int = DEFAULT_MAX_JSON_BYTES


PRESETS: dict[str, ReaderOptions] = {
    # CCTV Xinwen Lianbo transcripts: {"videoList": [{..., "video_detail": {...}}]}, content is HTML.
    "xwlb": ReaderOptions(
        format="json", records="videoList", text_field="video_detail.content",
        title_field="video_detail.title", date_field="video_detail.pubtime",
        source_field="video_detail.source", id_field="video_detail.id", url_field="video_detail.url",
        html_fields=True,
    ),
}


# --------------------------------------------------------------------------- options

def load_options(path: str | os.PathLike[str]) -> ReaderOptions:
    """Read ReaderOptions from a TOML file with the dataclass's keys; ``preset = "xwlb"`` starts
    from a preset and the other keys override it."""
    p = str(path)
    try:
        with open(p, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise GuanxiInputError(p, f"cannot read options: {e.strerror or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise GuanxiInputError(p, f"malformed TOML: {e}") from None
    return options_from_dict(data, p)


def options_from_dict(data: dict[str, Any], where: str = "<options>") -> ReaderOptions:
    data = dict(data)
    preset = data.pop("preset", None)
    if preset is not None and preset not in PRESETS:
        raise GuanxiInputError(where, f"unknown preset {preset!r} (known: {', '.join(sorted(PRESETS))})")
    base = PRESETS[preset] if preset else ReaderOptions()
    known = {f.name for f in fields(ReaderOptions)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise GuanxiInputError(where, f"unknown option(s): {', '.join(unknown)}")
    for key, value in data.items():
        problem = _option_problem(key, value)
        if problem:
            raise GuanxiInputError(where, f"option {key} {problem}, got {_shown(value)}")
    if "extensions" in data:
        data["extensions"] = tuple(e if e.startswith(".") else "." + e for e in data["extensions"])
    return replace(base, **data)


_INT_OPTIONS = ("max_chars", "max_json_bytes")
_BOOL_OPTIONS = ("html_fields",)


def _option_problem(key: str, value: Any) -> str | None:
    """What is wrong with an option's value (a TOML file can hold any type), or None."""
    if value is None:
        return None
    if key in _INT_OPTIONS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return "must be a positive whole number"
    elif key in _BOOL_OPTIONS:
        if not isinstance(value, bool):
            return "must be true or false"
    elif key == "extensions":
        if not isinstance(value, (list, tuple)) or not value or not all(isinstance(e, str) and e.strip(".") for e in value):
            return 'must be a list of file extensions like [".txt", ".json"]'
    elif not isinstance(value, str):
        return "must be a string"
    elif key == "format" and value not in FORMATS:
        return f"must be one of {', '.join(FORMATS)}"
    elif key == "encoding" and not _known_codec(value):
        return "must be a text encoding Python knows (utf-8, gb18030, big5...)"
    return None


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, int, float, bool, list, dict)) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- entry point

def iter_records(paths: list[str], options: ReaderOptions | None = None) -> Iterator[SourceRecord | GuanxiInputError]:
    """Yield a SourceRecord per document, or a GuanxiInputError per problem, for files, directories
    (walked recursively in sorted order, by extension, following symbolic links to folders but never in a
    loop) and ``-`` (stdin)."""
    opts = options or ReaderOptions()
    for path in map(os.fspath, paths):
        if path == "-":
            yield from _guarded("-", lambda: _read_stdin(opts))
        elif os.path.isdir(path):
            found = problems = 0
            for item in _walk(path, opts.extensions):
                if isinstance(item, GuanxiInputError):
                    problems += 1
                    yield item
                    continue
                found += 1
                yield from _keyed(_guarded(item, lambda f=item: _read_file(f, opts)), _source_key(item, path))
            if not found and not problems:
                yield GuanxiInputError(path, f"no input files ({', '.join(opts.extensions)}) in directory")
        else:
            yield from _keyed(_guarded(path, lambda: _read_file(path, opts)), _source_key(path, os.path.dirname(path)))


def _source_key(file: str, root: str) -> str:
    """The file's path relative to the ingest root, POSIX separators, without its extension."""
    relative = Path(os.path.relpath(file, root or "."))
    return relative.with_suffix("").as_posix() if relative.suffix else relative.as_posix()


def _keyed(items: Iterator[SourceRecord | GuanxiInputError], key: str) -> Iterator[SourceRecord | GuanxiInputError]:
    for item in items:
        if isinstance(item, SourceRecord):
            item.meta["source_key"] = key
        yield item


def _guarded(path: str, produce) -> Iterator[SourceRecord | GuanxiInputError]:
    # A reader bug or an odd file must not abort the whole batch with a traceback: report it as bad
    # input for that file and carry on with the next one.
    try:
        yield from produce()
    except GuanxiInputError as e:
        yield e
    except OSError as e:
        yield GuanxiInputError(path, f"cannot read: {_os_reason(e)}")
    except Exception as e:  # noqa: BLE001 - deliberately broad, see above
        yield GuanxiInputError(path, f"unexpected error while reading: {type(e).__name__}: {e}")


def _os_reason(e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return "symbolic link loop (a link that leads back to itself)"
    return e.strerror or str(e)


def _walk(root: str, extensions: tuple[str, ...]) -> Iterator[str | GuanxiInputError]:
    """The input files under ``root`` in sorted order, and a GuanxiInputError for each folder that cannot be
    read or each symbolic link that leads back into a folder already being walked."""
    exts = tuple(e.lower() for e in extensions)
    problems: list[GuanxiInputError] = []

    def unreadable(e: OSError) -> None:
        problems.append(GuanxiInputError(e.filename or root, f"cannot read directory: {_os_reason(e)}"))

    seen: dict[tuple[int, int], str] = {}
    try:
        top = os.stat(root)
        seen[(top.st_dev, top.st_ino)] = root
    except OSError as e:
        unreadable(e)
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        yield from problems
        problems.clear()
        keep = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):  # sorted, deterministic order
            sub = os.path.join(dirpath, d)
            try:
                info = os.stat(sub)
            except OSError as e:
                yield GuanxiInputError(sub, f"cannot read directory: {_os_reason(e)}")
                continue
            ident = (info.st_dev, info.st_ino)
            if ident in seen:
                yield GuanxiInputError(sub, f"symbolic link loop: it leads back to {seen[ident]}, already read; skipped")
                continue
            seen[ident] = sub
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not name.startswith(".") and name.lower().endswith(exts):
                yield os.path.join(dirpath, name)
    yield from problems


def format_for(path: str, options: ReaderOptions) -> str:
    if options.format:
        return options.format
    fmt = EXTENSION_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise GuanxiInputError(path, "unknown file type: give the format (txt, html, json, jsonl)")
    return fmt


def _read_file(path: str, opts: ReaderOptions) -> Iterator[SourceRecord | GuanxiInputError]:
    try:
        info = os.stat(path)
    except OSError as e:
        raise GuanxiInputError(path, _missing_reason(path, e)) from None
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):  # a pipe: `guanxi ingest <(zcat …)`
        raise GuanxiInputError(path, "not a regular file (a device or a socket)")
    fmt = format_for(path, opts)
    if fmt == "jsonl":
        with open(path, "rb") as f:  # streamed line by line: a JSONL file may be larger than memory
            yield from _read_jsonl(f, path, opts)
        return
    size = os.path.getsize(path)
    limit = opts.max_json_bytes if fmt == "json" else opts.max_chars * _MAX_BYTES_PER_CHAR
    if size > limit:
        raise _too_large(path, f"{size:,} bytes", opts)
    with open(path, "rb") as f:
        data = f.read()
    yield from _read_bytes(data, path, fmt, opts)


def _missing_reason(path: str, e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return "symbolic link loop (a link that leads back to itself)"
    if e.errno == errno.ENOENT and os.path.islink(path):
        return f"broken symbolic link (it points to {os.readlink(path)}, which does not exist)"
    if e.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot read: {_os_reason(e)}"


def _read_stdin(opts: ReaderOptions) -> Iterator[SourceRecord | GuanxiInputError]:
    limit = max(opts.max_json_bytes, opts.max_chars * _MAX_BYTES_PER_CHAR)
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise _too_large("-", f"more than {limit:,} bytes", opts)
    fmt = opts.format or _sniff_format(data)
    if fmt == "jsonl":
        yield from _read_jsonl(io.BytesIO(data), "-", opts)
    else:
        yield from _read_bytes(data, "-", fmt, opts)


def _sniff_format(data: bytes) -> str:
    # stdin has no extension: look at the first non-blank character
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return "html"
    if head == b"[":
        return "json"
    if head == b"{":
        try:
            json.loads(data.decode("utf-8-sig"))
            return "json"
        except (ValueError, UnicodeDecodeError):
            return "jsonl"
    return "txt"


def _too_large(path: str, size: str, opts: ReaderOptions, record: int | None = None,
               line: int | None = None) -> GuanxiInputError:
    why = (f"; the default limit is what extraction finishes in about {MAX_CHARS_SECONDS} s, and its time grows "
           "faster than the length" if opts.max_chars == DEFAULT_MAX_CHARS else "")
    return GuanxiInputError(path, f"document too large ({size}; guanxi reads at most {opts.max_chars:,} characters "
                                  f"per document{why}): split it, or set max_chars in a --config file",
                            record=record, line=line)


def _read_bytes(data: bytes, path: str, fmt: str, opts: ReaderOptions) -> Iterator[SourceRecord | GuanxiInputError]:
    text, encoding = decode_bytes(data, path, forced=opts.encoding, html=(fmt == "html"))
    if fmt == "txt":
        yield _text_record(path, text, "txt", encoding, opts)
    elif fmt == "html":
        body, meta = read_html_page(text)
        if not body.strip():
            raise GuanxiInputError(path, "empty document (no text in the HTML page)")
        yield _text_record(path, body, "html", encoding, opts, meta=meta)
    elif fmt == "json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            raise GuanxiInputError(path, f"malformed JSON at column {e.colno}: {e.msg}",
                                   line=e.lineno) from None
        except RecursionError:
            raise GuanxiInputError(path, _TOO_DEEP) from None
        yield from _json_records(value, path, encoding, opts)
    else:
        raise GuanxiInputError(path, f"unknown format {fmt!r}")


def _text_record(path: str, text: str, fmt: str, encoding: str | None, opts: ReaderOptions,
                 meta: dict[str, Any] | None = None, record: int | None = None) -> SourceRecord:
    if len(text) > opts.max_chars:
        raise _too_large(path, f"{len(text):,} characters", opts, record)
    if not text.strip():
        raise GuanxiInputError(path, "empty document", record=record)
    return SourceRecord(path=path, text=text, format=fmt, record=record, encoding=encoding, meta=meta or {})


# --------------------------------------------------------------------------- decoding

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_\-]{2,30})""", re.I)
_SAMPLE = 65536  # how much of a document the "is this text?" check looks at
# ASCII control bytes other than \t \n \v \f \r and ESC: they decode the same in every candidate
# encoding, so too many of them means binary data rather than a wrong guess of the encoding
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])


def decode_bytes(data: bytes, path: str, *, forced: str | None = None, html: bool = False) -> tuple[str, str]:
    """Decode file bytes: a BOM, else UTF-8, else GB18030 (superset of GBK/GB2312), else
    charset-normalizer's best guess.  Returns (text, encoding); raises GuanxiInputError."""
    if not data.strip():
        raise GuanxiInputError(path, "empty document")
    for bom, enc in _BOMS:  # UTF-32 BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one
        if data.startswith(bom):
            return _checked(_strict(data, enc, path), enc, path)
    if forced:
        return _checked(_strict(data, forced, path), forced, path)
    if b"\x00" in data[:_SAMPLE]:
        raise GuanxiInputError(path, "binary file, not text (contains NUL bytes)")
    sample = data[:_SAMPLE]
    if len(sample.translate(None, _CONTROL_BYTES)) < 0.95 * len(sample):  # the heuristic `file` uses too
        raise GuanxiInputError(path, "binary file, not text (mostly control bytes)")
    candidates = ["utf-8", "gb18030"]
    if html:  # a page that declares its charset (e.g. big5) is believed before the guesses
        m = _META_CHARSET.search(data[:4096])
        if m and _known_codec(m.group(1).decode("ascii")):
            candidates.insert(0, m.group(1).decode("ascii").lower())
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _is_junk(text):  # e.g. Big5 bytes decode as GB18030 but into private-use characters
            return _checked(text, enc, path)
    return _checked(*_guess(data, path), path)


def _strict(data: bytes, enc: str, path: str) -> str:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError) as e:
        raise GuanxiInputError(path, f"could not decode as {enc}: {e}") from None


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
        return True
    except LookupError:
        return False


# Encodings charset-normalizer may guess that Chinese text really comes in (GB2312/GBK are subsets of GB18030,
# tried before it).  Any other guess for bytes that are neither UTF-8 nor GB18030 is how garbled or damaged
# text gets explained (invalid UTF-8 "is" cp1251): refused, with the guess, so the user can force it.
_CHINESE_GUESSES = frozenset({"big5", "big5hkscs", "cp950"})


def _guess(data: bytes, path: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported late: only odd files need it

    best = from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        # a UTF-16/32 "guess" without a BOM is how charset-normalizer explains random bytes
        raise GuanxiInputError(path, f"could not decode as UTF-8 or GB18030, and no other encoding fits ({_utf8_error(data)})")
    if best.encoding not in _CHINESE_GUESSES:
        confidence = round(100 * (1 - best.chaos))
        raise GuanxiInputError(
            path, f"could not decode as UTF-8 or GB18030 ({_utf8_error(data)}); it might be {best.encoding} "
                  f"(charset-normalizer's guess, {confidence}% confidence), which is refused rather than read as "
                  f"garbled text: give --encoding {best.encoding} to read it as that, or fix the file")
    return str(best), best.encoding


def _utf8_error(data: bytes) -> str:
    """Where the bytes stop being UTF-8: the offset and a few bytes there."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"not UTF-8 at byte {e.start:,}: {data[e.start:e.start + 4].hex(' ')}"
    return "valid UTF-8"


def _checked(text: str, enc: str, path: str) -> tuple[str, str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise GuanxiInputError(path, "empty document")
    if _is_junk(text):
        raise GuanxiInputError(path, f"could not decode: as {enc} it is mostly control or private-use characters")
    return text, enc


# the characters of categories Cc (but \t \n \v \f \r), Co and Cs, and U+FFFD, as one class: a regex counts them
# in a pass of C, where a category lookup per character was half of re-reading an unchanged corpus
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd"
                   "\U000f0000-\U000ffffd\U00100000-\U0010fffd]")


def _is_junk(text: str) -> bool:
    """Real text has almost no control, private-use or replacement characters."""
    sample = text[:_SAMPLE]
    return len(_JUNK.findall(sample)) > 0.05 * len(sample)


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "iframe", "object", "embed",
                        "svg", "canvas", "select", "button"})
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "tr", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer", "aside", "nav",
    "main", "blockquote", "pre", "figure", "figcaption", "hr", "address", "center", "form", "fieldset",
    "body", "html",
})
_HTML_HINT = re.compile(r"<(?:p|br|div|span|a|img|strong|b|i|em|h[1-6]|table|tr|td|li|ul|ol|section|"
                        r"article|font|script|style|html|body)\b[^>]*>", re.I)
_WS = re.compile(r"[ \t\r\n\f]+")  # HTML's collapsible whitespace (not NBSP or U+3000, which are content)


def looks_like_html(text: str) -> bool:
    return _HTML_HINT.search(text[:_SAMPLE]) is not None


def html_to_text(markup: str) -> str:
    """Text of an HTML fragment or page: script/style dropped, one line per block element / <br>.

    Used for HTML inside JSON fields, where trafilatura drops short fragments as boilerplate."""
    import lxml.html
    from lxml import etree

    if not markup.strip():
        return ""
    try:
        if re.match(r"\s*(?:<!doctype|<html)", markup, re.I):
            doc = lxml.html.document_fromstring(markup)
            root = doc.find("body") if doc.find("body") is not None else doc
        else:
            root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    return _element_text(root)


def _element_text(root: Any) -> str:
    parts: list[str] = []

    def newline() -> None:
        if parts and not parts[-1].endswith("\n"):
            parts.append("\n")

    def add(s: str | None) -> None:
        if s:
            parts.append(_WS.sub(" ", s))

    # an explicit stack rather than recursion: scraped pages can nest deeper than Python's limit
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag.lower() if isinstance(el.tag, str) else None  # comments/PIs have non-str tags
        if closing:
            if tag in _BLOCK_TAGS:
                newline()
            if el is not root:
                add(el.tail)
            continue
        if tag is None or tag in _DROP_TAGS:
            if el is not root:
                add(el.tail)  # the text after a <script> or comment is still content
            continue
        if tag in _BLOCK_TAGS:
            newline()
        add(el.text)
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(el))
    lines = (line.strip(" ") for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def read_html_page(html: str) -> tuple[str, dict[str, Any]]:
    """Main text and metadata hints of an HTML page via trafilatura; when it finds no main text,
    the text of <body> (minus script/style) via lxml."""
    meta: dict[str, Any] = {}
    text = ""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=True, favor_recall=True, deduplicate=False)
    except Exception:  # noqa: BLE001 - trafilatura failing on odd markup is not fatal: fall back below
        doc = None
    if doc is not None:
        text = (getattr(doc, "text", None) or "").strip()
        for key, attr in (("title", "title"), ("published", "date"), ("source", "sitename"), ("url", "url")):
            value = getattr(doc, attr, None)
            if value:
                meta[key] = str(value)
        author = getattr(doc, "author", None)
        if author:  # trafilatura joins several authors with "; "
            meta["authors"] = [a.strip() for a in str(author).split(";") if a.strip()]
    if not text:
        text = html_to_text(html if re.match(r"\s*(?:<!doctype|<html)", html, re.I) else f"<html>{html}</html>")
    return text, meta


# --------------------------------------------------------------------------- JSON

_MISSING = object()
_TOO_DEEP = (f"JSON nested too deeply (arrays or objects inside each other more than ~{sys.getrecursionlimit()} "
             "levels; no document record needs that)")


def get_path(obj: Any, dotted: str) -> Any:
    """Value at a dotted path (``video_detail.content``; digits index lists), or _MISSING."""
    cur = obj
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return _MISSING
    return cur


def _json_records(value: Any, path: str, encoding: str | None, opts: ReaderOptions) -> Iterator[SourceRecord | GuanxiInputError]:
    if opts.records:
        value = get_path(value, opts.records)
        if value is _MISSING:
            raise GuanxiInputError(path, f"no records at {opts.records!r}")
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield _guard_record(lambda: _record_from(item, path, "json", encoding, opts, i), path, i)
    else:
        yield _guard_record(lambda: _record_from(value, path, "json", encoding, opts, None), path, None)


def _guard_record(make, path: str, index: int | None, line: int | None = None) -> SourceRecord | GuanxiInputError:
    try:
        return make()
    except GuanxiInputError as e:
        return e
    except Exception as e:  # noqa: BLE001 - one odd record must not lose the others
        return GuanxiInputError(path, f"unexpected error: {type(e).__name__}: {e}", record=index, line=line)


def _read_jsonl(stream: BinaryIO, path: str, opts: ReaderOptions) -> Iterator[SourceRecord | GuanxiInputError]:
    index = 0
    seen_any = False
    for lineno, raw in enumerate(stream, start=1):
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        seen_any = True
        i = index
        index += 1
        yield _guard_record(lambda: _jsonl_record(raw, path, opts, i, lineno), path, i, lineno)
    if not seen_any:
        yield GuanxiInputError(path, "empty document")


def _jsonl_record(raw: bytes, path: str, opts: ReaderOptions, index: int, lineno: int) -> SourceRecord:
    if len(raw) > opts.max_chars * _MAX_BYTES_PER_CHAR:
        raise _too_large(path, f"{len(raw):,} bytes", opts, index, lineno)
    for enc in (opts.encoding or "utf-8", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        raise GuanxiInputError(path, "could not decode as UTF-8 or GB18030", record=index, line=lineno)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise GuanxiInputError(path, f"malformed JSON at column {e.colno}: {e.msg}", record=index, line=lineno) from None
    except RecursionError:
        raise GuanxiInputError(path, _TOO_DEEP, record=index, line=lineno) from None
    rec = _record_from(value, path, "jsonl", enc, opts, index, line=lineno)
    rec.meta["line"] = lineno
    return rec


def _field_value(record: dict[str, Any], given: str | None, key: str) -> tuple[Any, str]:
    """The first non-empty value among the mapped path (or the default names); and the path(s) tried."""
    tried = (given,) if given else DEFAULT_FIELDS[key]
    for name in tried:
        value = get_path(record, name)
        if value is not _MISSING and value not in (None, "", []):
            return value, name
    return _MISSING, "/".join(tried)


def _record_from(item: Any, path: str, fmt: str, encoding: str | None, opts: ReaderOptions,
                 index: int | None, line: int | None = None) -> SourceRecord:
    if not isinstance(item, dict):
        raise GuanxiInputError(path, f"record is a JSON {type(item).__name__}, not an object", record=index, line=line)
    value, field_path = _field_value(item, opts.text_field, "text")
    if value is _MISSING or (isinstance(value, str) and not value.strip()):
        raise GuanxiInputError(path, f"missing or empty text field {field_path!r}", record=index, line=line)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n".join(value)  # a list of paragraphs
    if not isinstance(value, str):
        raise GuanxiInputError(path, f"text field {field_path!r} is a JSON {type(value).__name__}, not a string",
                               record=index, line=line)
    as_html = opts.html_fields if opts.html_fields is not None else looks_like_html(value)
    text = html_to_text(value) if as_html else value
    if not text.strip():
        raise GuanxiInputError(path, f"missing or empty text field {field_path!r} (no text in its HTML)",
                               record=index, line=line)
    rec = _text_record(path, text, fmt, encoding, opts, meta=_hints(item, opts), record=index)
    return rec


def _hints(item: dict[str, Any], opts: ReaderOptions) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, given in (("id", opts.id_field), ("title", opts.title_field), ("published", opts.date_field),
                       ("source", opts.source_field), ("url", opts.url_field)):
        value, _ = _field_value(item, given, key)
        if value is not _MISSING and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            meta[key] = str(value).strip()
    authors, _ = _field_value(item, opts.authors_field, "authors")
    if isinstance(authors, str):
        meta["authors"] = [a for a in re.split(r"\s*[;；,，、]\s*|\s{2,}", authors.strip()) if a]
    elif isinstance(authors, list):
        meta["authors"] = [str(a).strip() for a in authors if isinstance(a, (str, int)) and str(a).strip()]
    return {k: v for k, v in meta.items() if v not in ("", [])}
