"""Record → cleaned text → metadata → the extraction pipeline → facts. The one place the loader stages are chained."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from .cleaning import clean
from .extract import default_pipeline, run_pipeline
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


def process_record(record: SourceRecord, pipeline: Pipeline | None = None, timed: bool = False) -> ExtractedDocument:
    """Extract one document. Raises GuanxiInputError for a document that has nothing to extract.
    ``timed``: record each component's time in ``ExtractedDocument.timings``."""
    pipeline = pipeline or default_pipeline()
    cleaned = clean(record.text, pipeline.lexicon.chrome)
    if not cleaned.text.strip():
        raise GuanxiInputError(record.path, "no text left after removing page chrome", record=record.record)
    meta = extract_metadata(record, cleaned, document_id(record))
    doc = run_pipeline(cleaned, meta, pipeline, timed=timed)
    facts = to_json(doc)
    facts["document"]["content_sha256"] = hashlib.sha256(record.text.encode("utf-8")).hexdigest()
    facts["document"]["format"] = record.format
    facts["document"]["encoding"] = record.encoding
    facts["document"]["characters"] = len(cleaned.text)
    return ExtractedDocument(record, cleaned, meta, facts, doc.timings)


def extract_paths(paths: list[str], options: ReaderOptions | None = None,
                  pipeline: Pipeline | None = None) -> Iterator[ExtractedDocument | GuanxiInputError]:
    """Each input document's extraction, or the error that stopped it; one bad document never stops the
    others. An unexpected failure inside extraction is reported as that document's error too."""
    for item in iter_records(paths, options):
        if isinstance(item, GuanxiInputError):
            yield item
            continue
        try:
            yield process_record(item, pipeline)
        except GuanxiInputError as exc:
            yield exc
        except Exception as exc:  # a bug must not take the batch down; say which document hit it
            yield GuanxiInputError(item.path, f"extraction failed: {type(exc).__name__}: {exc}", record=item.record)
