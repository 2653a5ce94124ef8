"""Deterministic IRIs for instance data, minted from canonical keys.

    mint(kind, *key_parts) -> https://w3id.org/guanxi/id/{kind}/{slug}-{hash16}

* **key**: each part is NFKC-normalised, control/format characters dropped, whitespace collapsed to one
  space and stripped; the kind and the parts are joined with U+001F (INFORMATION SEPARATOR ONE), which the
  normalisation removes from every part, so different part lists never give the same key.
* **hash16**: the first 16 hex digits of SHA-256 of the UTF-8 key.  The hash alone identifies the
  resource; the slug is only for people reading IRIs.
* **slug**: the readable part: letters and digits of the slug text (by default the key parts joined with
  ``-``), everything else turned into ``-``, cut to :data:`SLUG_MAX_CHARS` characters and then
  percent-encoded as UTF-8 (RFC 3986 unreserved characters stay as they are).  IRIs are therefore plain
  ASCII URIs that every tool (pyoxigraph, rdflib, Neo4j, browsers) keeps byte-identical; :func:`readable`
  decodes one for display: ``.../id/person/%E5%BC%A0%E5%8F%A4%E6%B1%9F-…`` reads as ``person/张古江-…``.

Named graphs: each document's facts go into :func:`graph_iri` of its id; the ontology, the entity
resolution decisions and manual edits have fixed graphs (:data:`ONTOLOGY_GRAPH`, :data:`RESOLUTION_GRAPH`,
:data:`MANUAL_GRAPH`).  Minted IRIs always end in ``-{hash16}``, so they never collide with those.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import quote, unquote

__all__ = [
    "ID_BASE", "ONTOLOGY_GRAPH", "SHAPES_GRAPH", "RESOLUTION_GRAPH", "MANUAL_GRAPH", "SEPARATOR", "SLUG_MAX_CHARS",
    "normalize", "canonical_key", "key_hash", "slugify", "mint", "is_minted", "kind_of", "readable", "parse_id",
    "person_iri", "organization_iri", "post_iri", "tenure_iri", "place_iri", "meeting_iri",
    "participation_iri", "directive_iri", "addressee_iri", "industry_iri", "document_iri", "mention_iri",
    "mention_target_iri", "position_selector_iri", "quote_selector_iri", "resolution_iri", "graph_iri",
]

ID_BASE = "https://w3id.org/guanxi/id/"
ONTOLOGY_GRAPH = ID_BASE + "graph/ontology"        # guanxi.ttl
SHAPES_GRAPH = ID_BASE + "graph/shapes"            # shapes.ttl, when loaded into the store
RESOLUTION_GRAPH = ID_BASE + "graph/resolution"    # gx:ResolutionLink records and their consequences
MANUAL_GRAPH = ID_BASE + "graph/manual"            # facts asserted or corrected by a user

SEPARATOR = "\x1f"
SLUG_MAX_CHARS = 48
HASH_HEX = 16

_KIND = re.compile(r"^[a-z][a-z0-9-]*$")
_WS = re.compile(r"\s+")
_ASCII_SEPARATORS = re.compile(r"[^A-Za-z0-9_.]+")
_MINTED = re.compile(r"^" + re.escape(ID_BASE) + r"([a-z][a-z0-9-]*)/([A-Za-z0-9%._~-]*?)-?([0-9a-f]{16})$")


def normalize(part: str) -> str:
    """NFKC, drop control and format characters (zero-width spaces etc.), collapse whitespace, strip."""
    if not isinstance(part, str):
        raise TypeError(f"IRI key parts must be str, not {type(part).__name__}: {part!r}")
    if _plain_ascii(part):
        return part  # what the general path returns for it, without a pass per character: every document's
        # emission mints ~80 IRIs from ids and offsets, and this was a third of the writer's emission time
    return _normalize(part)


def _plain_ascii(part: str) -> bool:
    """Printable ASCII with single inner spaces and none at the ends: NFKC, the control filter and the
    whitespace collapse all leave it as it is."""
    return part.isascii() and part.isprintable() and "  " not in part and part[:1] != " " and part[-1:] != " "


@functools.lru_cache(maxsize=65536)
def _normalize(part: str) -> str:
    text = unicodedata.normalize("NFKC", part)
    text = _WS.sub(" ", text)  # before dropping controls: \t, \n, \x1c-\x1f are whitespace
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return _WS.sub(" ", text).strip()


def canonical_key(kind: str, *key_parts: str) -> str:
    """The string that is hashed: kind and normalised parts joined by :data:`SEPARATOR`."""
    if not _KIND.match(kind):
        raise ValueError(f"IRI kind must match {_KIND.pattern}: {kind!r}")
    if not key_parts:
        raise ValueError(f"mint({kind!r}) needs at least one key part")
    return SEPARATOR.join((kind, *(normalize(p) for p in key_parts)))


def key_hash(kind: str, *key_parts: str) -> str:
    """First 16 hex digits of SHA-256 of :func:`canonical_key`."""
    return hashlib.sha256(canonical_key(kind, *key_parts).encode("utf-8")).hexdigest()[:HASH_HEX]


def slugify(text: str, max_chars: int = SLUG_MAX_CHARS) -> str:
    """Readable, percent-encoded slug: letters/digits kept (any script), other runs become ``-``."""
    text = normalize(text)
    if text.isascii():  # the same rule for ASCII, as one substitution: letters and digits are [A-Za-z0-9]
        slug = _ASCII_SEPARATORS.sub("-", text).strip("-.")[:max_chars].rstrip("-.")
        return quote(slug, safe="-_.~")
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LN" or ch in "_.":
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-.")[:max_chars].rstrip("-.")
    return quote(slug, safe="-_.~")


def mint(kind: str, *key_parts: str, slug: str | None = None) -> str:
    """``https://w3id.org/guanxi/id/{kind}/{slug}-{hash16}``; the hash covers kind and key parts only.

    ``slug`` overrides the readable text (default: the key parts joined with ``-``).
    """
    digest = key_hash(kind, *key_parts)
    readable_part = slugify(slug if slug is not None else "-".join(key_parts))
    return f"{ID_BASE}{kind}/{readable_part}-{digest}" if readable_part else f"{ID_BASE}{kind}/{digest}"


def is_minted(iri: str) -> bool:
    """Whether ``iri`` has the shape :func:`mint` produces."""
    return bool(_MINTED.match(iri))


def kind_of(iri: str) -> str | None:
    """The kind segment of a minted IRI (``person``, ``mention``...), or None."""
    m = _MINTED.match(iri)
    return m.group(1) if m else None


def readable(iri: str) -> str:
    """Decoded, namespace-less form for display: ``person/张古江-3f1c…``."""
    short = iri[len(ID_BASE):] if iri.startswith(ID_BASE) else iri
    return unquote(short)


_READABLE = re.compile(r"^([a-z][a-z0-9-]*)/(\S*?)-?([0-9a-f]{16})(#[A-Za-z]+)?$")


def parse_id(text: str) -> str | None:
    """The IRI of an id as people type it: the full IRI (percent-encoded or not) or what :func:`readable`
    prints (``person/王海-0123456789abcdef``); None when ``text`` is neither (a name, say).

    Slugs are percent-encoded UTF-8 of letters, digits and ``-_.``, so decoding and encoding again gives back
    the minted IRI byte for byte."""
    text = text.strip()
    rest = text[len(ID_BASE):] if text.startswith(ID_BASE) else text
    m = _READABLE.match(unquote(rest))
    if not m:
        return None
    kind, slug, digest, fragment = m.groups()
    encoded = quote(slug, safe="-_.~")
    return f"{ID_BASE}{kind}/{encoded}-{digest}{fragment or ''}" if slug else f"{ID_BASE}{kind}/{digest}{fragment or ''}"


# ---- helpers for each kind --------------------------------------------------------------------------

def person_iri(name: str, disambiguator: str = "") -> str:
    """A person by name plus whatever tells namesakes apart (a post/org IRI, a document id...).

    Entity resolution later merges nodes minted with different disambiguators (gx:ResolutionLink).
    """
    return mint("person", name, disambiguator, slug=name)


def organization_iri(canonical_name: str) -> str:
    """An organization by its canonical full name, e.g. 中共唐山市委员会."""
    return mint("org", canonical_name, slug=canonical_name)


def post_iri(org_iri: str, title: str) -> str:
    """A post: a title in an organization, e.g. (中共唐山市委, 市委书记)."""
    return mint("post", org_iri, title, slug="-".join(x for x in (_slug_of(org_iri), title) if x))


def tenure_iri(person: str, post: str) -> str:
    """A person holding a post (one node per holder and post, across documents)."""
    return mint("tenure", person, post, slug=_slug_of(person) + "-" + _slug_of(post))


def place_iri(code: str) -> str:
    """An administrative division by its code, e.g. 130200 for 唐山市."""
    return mint("place", code, slug=code)


def meeting_iri(name: str, date: str = "", organizer: str = "") -> str:
    """A meeting by name, date (YYYY-MM-DD, or '' when unknown) and organizer IRI ('' when unknown)."""
    return mint("meeting", name, date, organizer, slug=f"{date}-{name}" if date else name)


def participation_iri(person: str, meeting: str) -> str:
    """A person taking part in a meeting (one node per person and meeting; roles accumulate)."""
    return mint("participation", person, meeting, slug=_slug_of(person))


def directive_iri(doc_id: str, start: int, end: int) -> str:
    """A directive by the span of its text in a document."""
    return mint("directive", doc_id, str(int(start)), str(int(end)), slug=f"{doc_id}-{int(start)}-{int(end)}")


def addressee_iri(name: str, scope: str = "") -> str:
    """A group addressed in text (各级各单位), scoped by e.g. the speaker's jurisdiction or a document id."""
    return mint("addressee", name, scope, slug=name)


def industry_iri(concept_id: str) -> str:
    """An industry concept of gx:IndustryScheme by its concept id."""
    return mint("industry", concept_id, slug=concept_id)


def document_iri(doc_id: str) -> str:
    """A source document by its id (e.g. 002_a9ec4e6a3a1afbe8)."""
    return mint("doc", doc_id, slug=doc_id)


def mention_iri(doc_id: str, start: int, end: int, role: str = "") -> str:
    """A span [start, end) of a document's cleaned text; ``role`` tells what it attests (name, title...)."""
    s, e = int(start), int(end)
    return mint("mention", doc_id, str(s), str(e), role, slug=f"{doc_id}-{s}-{e}-{role}" if role else f"{doc_id}-{s}-{e}")


def mention_target_iri(mention: str) -> str:
    """The oa:SpecificResource a mention targets."""
    return mention + "#target"


def position_selector_iri(mention: str) -> str:
    """The oa:TextPositionSelector of a mention's target."""
    return mention + "#position"


def quote_selector_iri(mention: str) -> str:
    """The oa:TextQuoteSelector of a mention's target."""
    return mention + "#quote"


def resolution_iri(merged_from: str, merged_into: str) -> str:
    """The gx:ResolutionLink recording that ``merged_from`` was merged into ``merged_into``."""
    return mint("resolution", merged_from, merged_into, slug=_slug_of(merged_from))


def graph_iri(doc_id: str) -> str:
    """The named graph holding the facts extracted from one document."""
    return mint("graph", doc_id, slug=doc_id)


def _slug_of(iri: str) -> str:
    """The decoded slug of a minted IRI (for composing readable slugs), or '' for other IRIs."""
    m = _MINTED.match(iri)
    return unquote(m.group(2)) if m else ""
