"""The document viewer's text: the cleaned text with every extracted fact highlighted at its span.

Spans overlap (a post's span ``省委常委、市委书记张古江`` contains the name ``张古江``; a participation's evidence
contains several names), and links cannot nest, so the text is cut at every span boundary into segments. A
segment covered by mentions is one ``<a>`` to the entity of the innermost (shortest) mention covering it, with
``data-start``/``data-end`` (its offsets) and the kinds of every fact covering it; the segments of the
``?at=START-END`` span also get ``gx-target`` (the first one ``id="at"``, so the URL's ``#at`` scrolls there).
The container's text content is exactly the cleaned text (no whitespace added), so offsets in the page are the
offsets of the spans; every piece of text is escaped.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from markupsafe import Markup, escape

__all__ = ["highlight"]

_KIND_ORDER = {"Person": 0, "Industry": 1, "Addressee": 2, "Tenure": 3, "Meeting": 4, "Participation": 5, "Directive": 6}


def highlight(text: str, facts: Sequence[Any], target: tuple[int, int] | None,
              url: Callable[[str], str | None]) -> Markup:
    """HTML of ``text`` with ``facts`` (``document_facts`` rows) marked; ``target`` = the span asked for."""
    spans = [f for f in facts if 0 <= f.start < f.end <= len(text)]
    cuts = {0, len(text)}
    for f in spans:
        cuts.update((f.start, f.end))
    if target:
        cuts.update(target)
    bounds = sorted(cuts)
    # sweep: the mentions open at each segment (spans are few per document: a simple scan is enough)
    by_start: dict[int, list[Any]] = {}
    for f in spans:
        by_start.setdefault(f.start, []).append(f)
    open_: list[Any] = []
    out: list[str] = []
    target_started = False
    for a, b in zip(bounds, bounds[1:]):
        open_ = [f for f in open_ if f.end > a] + by_start.get(a, [])
        piece = escape(text[a:b])
        in_target = bool(target) and target[0] <= a and b <= target[1]
        if not open_ and not in_target:
            out.append(str(piece))
            continue
        classes = ["gx-seg"]
        attrs = [f'data-start="{a}"', f'data-end="{b}"']
        if in_target:
            classes.append("gx-target")
            if not target_started:
                attrs.append('id="at"')
                target_started = True
        if not open_:
            out.append(f'<span class="{" ".join(classes)}" {" ".join(attrs)}>{piece}</span>')
            continue
        inner = min(open_, key=lambda f: (f.end - f.start, _KIND_ORDER.get(f.item_kind, 9), f.item))
        kinds = sorted({f.item_kind for f in open_}, key=lambda k: _KIND_ORDER.get(k, 9))
        classes += ["gx-hl", f"gx-k-{inner.item_kind}", f"gx-depth-{min(len(open_), 3)}"]
        title = "\n".join(sorted({f"{f.item_kind}: {f.label or ''}"[:200] for f in open_}))
        attrs += [f'data-kinds="{escape(" ".join(kinds))}"', f'title="{escape(title)}"']
        href = url(inner.entity) or url(inner.item)
        tag = "a" if href else "span"
        if href:
            attrs.insert(0, f'href="{escape(href)}"')
        out.append(f'<{tag} class="{" ".join(classes)}" {" ".join(attrs)}>{piece}</{tag}>')
    return Markup("".join(out))
