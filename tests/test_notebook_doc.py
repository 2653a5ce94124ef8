"""docs/notebook.md's Python cells, executed in order in one namespace on the seeds + the multi-document fixtures."""
from __future__ import annotations

import re
from pathlib import Path

from guanxi.api import Guanxi

DOC = Path(__file__).resolve().parents[1] / "docs" / "notebook.md"
FIXTURES = Path(__file__).parent / "fixtures"


def cells() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_notebook_page_runs(tmp_path):
    import pandas  # noqa: F401  - the notebook extra, installed by scripts/setup: a missing one is a failure
    store = tmp_path / "store"
    with Guanxi(store) as g:
        inputs = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt")) + sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))
        assert g.ingest(inputs).ok
    namespace: dict = {"STORE": str(store)}
    code = cells()
    assert len(code) >= 6
    for i, cell in enumerate(code):
        exec(compile(cell, f"docs/notebook.md cell {i + 1}", "exec"), namespace)  # noqa: S102 - our own doc
    assert len(namespace["posts"]) >= 2 and namespace["view"]._repr_html_().startswith("<iframe")
