"""Small components with one job each: sentences, jurisdiction and places, redactions, industries."""
from __future__ import annotations

from ..doc import Doc, Redaction
from ..industries import find_industries
from ..registry import component
from ..text_units import sentences


@component("sentences")
def make_sentences(lexicon):
    def run(doc: Doc) -> None:
        doc.sentences = sentences(doc.text)

    return run


@component("jurisdiction")
def make_jurisdiction(lexicon):
    """The document's place mentions and jurisdiction (whose bodies a bare 市委 or 县政府 are)."""
    gazetteer = lexicon.places

    def run(doc: Doc) -> None:
        doc.places = gazetteer.resolve_mentions(doc.text)
        doc.jurisdiction = gazetteer.infer_jurisdiction(doc.text, doc.meta.title, mentions=doc.places)
        place = doc.jurisdiction.place if doc.jurisdiction else None
        doc.meta.jurisdiction = place.name if place else None

    return run


@component("redactions")
def make_redactions(lexicon):
    """Masked names (**主席, ×××) are kept as redacted mentions, never as people."""

    def run(doc: Doc) -> None:
        text = doc.text
        for match in lexicon.redaction_pattern.finditer(text):
            start, end = match.span()
            title_match = lexicon.title_pattern.match(text, end)
            title = title_match.group() if title_match else None
            span_end = title_match.end() if title_match else end
            doc.redactions.append(Redaction(text[start:span_end], (start, span_end), title))

    return run


@component("industries")
def make_industries(lexicon):
    vocabulary = lexicon.industries

    def run(doc: Doc) -> None:
        doc.industries = find_industries(doc.text, vocabulary)

    return run
