"""Notebook helpers: named queries as pandas DataFrames, and views shown inline in Jupyter.

    from guanxi.queries.api import Queries
    from guanxi.notebook import frame, show
    from guanxi.queries import build_views as bv

    q = Queries.open("store", store_dir="guanxi-data")
    frame(q, "people").head()                       # one DataFrame per named query, columns as declared
    frame(q, "directives", industry="生物医药")
    show(bv.person_view(q, "张古江", radius=1))        # the offline view page, inline (sandboxed iframe)

pandas is the ``notebook`` extra (``pip install 'guanxi[notebook]'``; ``scripts/setup`` installs it).
"""
from __future__ import annotations

import html
from typing import Any

__all__ = ["frame", "show", "InlineView"]


def frame(q: Any, name: str, /, **params: Any) -> Any:
    """The rows of a named query as a ``pandas.DataFrame`` with the query's declared columns (in order, even when
    there are no rows); ``date`` columns are ``datetime64``, list columns hold tuples, ``int`` columns nullable
    integers."""
    import pandas as pd

    from guanxi.queries import registry

    query = registry.registry().get(name) or registry.load_query(name)
    rows = q.run(name, **params)
    df = pd.DataFrame([tuple(r) for r in rows], columns=[c.name for c in query.columns])
    for c in query.columns:
        if c.type == "date":
            df[c.name] = pd.to_datetime(df[c.name], format="%Y-%m-%d", errors="coerce")
        elif c.type == "int":
            df[c.name] = df[c.name].astype("Int64")
    return df


class InlineView:
    """A view page that Jupyter shows inline: the self-contained page as the ``srcdoc`` of a sandboxed iframe
    (scripts run inside it only; the page is attribute-escaped, so no text of it can reach the notebook's DOM)."""

    def __init__(self, page_html: str, height: int = 620):
        self.page_html = page_html
        self.height = int(height)

    def _repr_html_(self) -> str:
        return (f'<iframe sandbox="allow-scripts" srcdoc="{html.escape(self.page_html, quote=True)}" '
                f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd"></iframe>')


def show(graph: Any, height: int = 620) -> InlineView:
    """Display a :class:`guanxi.queries.views.ViewGraph` inline in a notebook (``show(bv.person_view(q, …))``)."""
    from guanxi.queries.views import render

    return InlineView(render(graph, height=f"{max(200, int(height) - 40)}px"), height)
