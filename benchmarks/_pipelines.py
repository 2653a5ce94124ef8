"""The pipelines the benchmarks compare: ``--ner join`` (the default: LAC + the person head), ``off`` (LAC
alone) and ``none`` (the rules alone, no statistical model)."""
from __future__ import annotations

from guanxi.loaders.registry import Pipeline

NER_CHOICES = ("join", "off", "none")


def pipeline_for(ner: str) -> Pipeline | None:
    """The pipeline for a ``--ner`` choice (None: the default one)."""
    if ner == "join":
        return None
    if ner == "off":
        return Pipeline.from_config({"components": {"ner": {"person_head": "off"}}})
    return Pipeline.from_config({"components": {"ner": {"factory": "ner.none"}}})


def add_ner_option(parser) -> None:
    parser.add_argument("--ner", choices=NER_CHOICES, default="join",
                        help="the statistical model: LAC + person head (join, default), LAC alone (off), none")
