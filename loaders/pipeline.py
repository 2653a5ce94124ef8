"""Record → cleaned text → metadata → the extraction pipeline → facts. The one place the loader stages are chained."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from .cleaning import clean
from .doc import Doc
from .extract import default_pipeline
from .metadata import document_id, extract_metadata
from .model import CleanText, DocumentMeta, GuanxiInputError, SourceRecord
from .output import to_json
from .readers import ReaderOptions, iter_records
from .registry import Pipeline


@dataclass
class ExtractedDocument:
    record: SourceRecord
    clean: CleanText
    meta: DocumentMeta
    facts: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)   # seconds per component, when asked for

    @property
    def text(self) -> str:
        return self.clean.text

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.record.text.encode("utf-8")).hexdigest()


# documents extracted together by process_records' callers (ingest's workers, ``guanxi extract``): enough
# sentence pieces for the model's batches to be of even lengths; few enough to keep results flowing
GROUP = 64


def _prepare(record: SourceRecord, pipeline: Pipeline) -> Doc:
    cleaned = clean(record.text, pipeline.lexicon.chrome)
    if not cleaned.text.strip():
        raise GuanxiInputError(record.path, "no text left after removing page chrome", record=record.record)
    meta = extract_metadata(record, cleaned, document_id(record))
    return Doc(text=cleaned.text, meta=meta, lexicon=pipeline.lexicon, clean=cleaned)


def _finish(record: SourceRecord, doc: Doc) -> ExtractedDocument:
    facts = to_json(doc)
    facts["document"]["content_sha256"] = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
    facts["document"]["format"] = record.format
    facts["document"]["encoding"] = record.encoding
    facts["document"]["characters"] = len(doc.text)
    return ExtractedDocument(record, doc.clean, doc.meta, facts, doc.timings)


def process_record(record: SourceRecord, pipeline: Pipeline | None = None, timed: bool = False) -> ExtractedDocument:
    """Extract one document. Raises GuanxiInputError for a document that has nothing to extract.
    ``timed``: record each component's time in ``ExtractedDocument.timings``."""
    pipeline = pipeline or default_pipeline()
    return _finish(record, pipeline(_prepare(record, pipeline), timed=timed))


def process_records(records: list[SourceRecord], pipeline: Pipeline | None = None,
                    timings: dict[str, float] | None = None) -> list[ExtractedDocument | GuanxiInputError]:
    """Extract documents together (:meth:`Pipeline.pipe`: the model reads all their sentences in one pass):
    per record, in order, its extraction or the error that stopped it. The facts are those of
    :func:`process_record` on each; an unexpected failure is reported as that document's error."""
    pipeline = pipeline or default_pipeline()
    out: list[ExtractedDocument | GuanxiInputError | None] = [None] * len(records)
    docs, places = [], []
    for i, record in enumerate(records):
        try:
            docs.append(_prepare(record, pipeline))
            places.append(i)
        except GuanxiInputError as exc:
            out[i] = exc
        except Exception as exc:  # noqa: BLE001 - a bug must not take the group down
            out[i] = _failed(record, exc)
    for i, result in zip(places, pipeline.pipe(docs, timings)):
        record = records[i]
        try:
            if isinstance(result, Exception):
                raise result
            out[i] = _finish(record, result)
        except GuanxiInputError as exc:
            out[i] = exc
        except Exception as exc:  # noqa: BLE001 - say which document hit it
            out[i] = _failed(record, exc)
    return out  # type: ignore[return-value]


def _failed(record: SourceRecord, exc: Exception) -> GuanxiInputError:
    return GuanxiInputError(record.path, f"extraction failed: {type(exc).__name__}: {exc}", record=record.record)


def extract_paths(paths: list[str], options: ReaderOptions | None = None,
                  pipeline: Pipeline | None = None) -> Iterator[ExtractedDocument | GuanxiInputError]:
    """Each input document's extraction, or the error that stopped it; one bad document never stops the
    others. An unexpected failure inside extraction is reported as that document's error too."""
    group: list[SourceRecord | GuanxiInputError] = []
    records = 0
    for item in iter_records(paths, options):
        group.append(item)
        records += not isinstance(item, GuanxiInputError)
        if records >= GROUP:
            yield from _extract_group(group, pipeline)
            group, records = [], 0
    yield from _extract_group(group, pipeline)


def _extract_group(group: list[SourceRecord | GuanxiInputError], pipeline: Pipeline | None
                   ) -> Iterator[ExtractedDocument | GuanxiInputError]:
    records = [g for g in group if not isinstance(g, GuanxiInputError)]
    results = iter(process_records(records, pipeline) if records else [])
    for item in group:
        yield item if isinstance(item, GuanxiInputError) else next(results)
