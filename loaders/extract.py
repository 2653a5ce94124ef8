"""Cleaned text + metadata → the facts of one document, each with its span: the default pipeline, as JSON.

The work is done by the components of :mod:`guanxi.loaders.registry`'s pipeline (``loaders/components/``);
this module is the short way to run it on one text (tests, notebooks)::

    facts = extract(clean(text), DocumentMeta(id="d", path="d.txt", published="2025-03-10"))
"""
from __future__ import annotations

from typing import Any

from .doc import Doc
from .lexicon import Lexicon, default_lexicon
from .model import CleanText, DocumentMeta
from .output import EXTRACTOR_VERSION, to_json
from .registry import Pipeline

__all__ = ["EXTRACTOR_VERSION", "default_pipeline", "extract", "run_pipeline"]

_PIPELINES: dict[int, Pipeline] = {}


def default_pipeline(lexicon: Lexicon | None = None) -> Pipeline:
    """The default pipeline over ``lexicon`` (default: the default lexicon), assembled once per lexicon."""
    lexicon = lexicon or default_lexicon()
    pipeline = _PIPELINES.get(id(lexicon))
    if pipeline is None or pipeline.lexicon is not lexicon:
        pipeline = _PIPELINES[id(lexicon)] = Pipeline.from_config(lexicon=lexicon)
    return pipeline


def run_pipeline(clean: CleanText, meta: DocumentMeta, pipeline: Pipeline | None = None, timed: bool = False) -> Doc:
    pipeline = pipeline or default_pipeline()
    doc = Doc(text=clean.text, meta=meta, lexicon=pipeline.lexicon, clean=clean)
    return pipeline(doc, timed=timed)


def extract(clean: CleanText, meta: DocumentMeta, pipeline: Pipeline | None = None) -> dict[str, Any]:
    return to_json(run_pipeline(clean, meta, pipeline))
