"""The reporter and the editor are people too, at the publishing body when it is named."""
from __future__ import annotations

from .. import organizations
from ..doc import Doc, Position
from ..names import is_cjk
from ..registry import component


@component("bylines")
def make_bylines(lexicon):
    def run(doc: Doc) -> None:
        meta = doc.meta
        source_org = doc.organizations.add(organizations.resolve(meta.source, None, lexicon), meta.source_span) if meta.source else None
        bylines = [(name, "记者", span) for name, span in zip(meta.authors, meta.author_spans + [None] * len(meta.authors))]
        if meta.editor:
            bylines.append((meta.editor, "责任编辑", meta.editor_span))
        for name, title, span in bylines:
            if not name or not is_cjk(name[0]):
                continue
            person = doc.person(name)
            person.found_by.add("byline")
            if span:
                person.mentions.add(tuple(span))
            position = Position(title, title, None, source_org, tuple(span) if span else None, from_byline=True, how="byline")
            person.positions.append(position)
            original = getattr(meta, "editor_original_span", None) if name == meta.editor else None
            if span is None and original:
                # the byline was page chrome, removed from the cleaned text: point into the original instead
                person.original_mentions.append(tuple(original))

    return run
