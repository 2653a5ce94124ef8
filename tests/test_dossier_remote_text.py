"""A document that merely *mentions* a remote reference (shown as escaped text) must not block a dossier; a real
reference in a page is still found."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guanxi.queries.views import remote_references

ROOT = Path(__file__).resolve().parent.parent
KG = ROOT / "tests" / "fixtures" / "kg"
MENTIONS = ("src=https://evil.example/x.png", '<img src="https://evil.example/y.png">',
            "background:url(https://evil.example/z.css)")


def guanxi(*args: str, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "guanxi", "--store", str(store), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_a_title_that_mentions_a_remote_image_does_not_block_the_dossier(tmp_path):
    text = (KG / "tangshan_a.txt").read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    doc = tmp_path / "mentions.txt"
    doc.write_text(f"{title} {MENTIONS[0]}\n{rest.replace('研究部署', '研究部署' + MENTIONS[1] + MENTIONS[2], 1)}",
                   encoding="utf-8")
    store = tmp_path / "store"
    assert guanxi("ingest", str(doc), store=store).returncode == 0
    out = tmp_path / "dossier.html"
    proc = guanxi("dossier", "丁绣峰", "-o", str(out), store=store)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "src=https://evil.example/x.png" in html          # shown, as text
    assert '<img src="https://evil.example/y.png">' not in html  # never as markup
    assert remote_references(html) == []


def test_real_references_are_still_found():
    page = "<html><body><p>src=https://a.example/x mentioned</p>{}</body></html>"
    for markup in ('<img src="https://evil.example/x.png">', "<img src=//evil.example/x.png>",
                   '<link rel="stylesheet" href="https://evil.example/x.css">', '<video poster="http://e.example/p">',
                   '<img srcset="a.png 1x, https://evil.example/b.png 2x">', '<div style="background:url(//e.example/x)">',
                   "<style>@import 'https://evil.example/x.css';</style>",
                   '<meta http-equiv="Refresh" content="0; url=https://evil.example">',
                   '<iframe srcdoc="&lt;img src=&quot;https://evil.example/x&quot;&gt;"></iframe>'):
        assert remote_references(page.format(markup)), markup
    for text in ("<p>src=https://evil.example/x</p>", "<p>&lt;img src=&quot;https://e.example/x&quot;&gt;</p>",
                 '<script type="application/json">{"t": "src=https://e.example/x"}</script>', '<a href="#top">x</a>',
                 '<img src="data:image/png;base64,AAAA">'):
        assert remote_references(page.format(text)) == [], text
