"""Entity resolution across documents: which mentions are one person. Pure (no I/O).

**Records.**  Resolution works on *records*: one name in one document, with the evidence the document gives
(:class:`Record`): the *home* of the person's posts there (the most specific domestic jurisdiction of their
bodies, ``national`` for national bodies only, ``foreign:<state>`` for a foreign state's post), the posts, the
document's date and jurisdiction, and the other people it names.  Records are built from the extracted facts
by :func:`guanxi.loaders.emit.person_records`; the store keeps them in its index (``graph/store.py``) so that
one more document re-resolves only the names it contains.

**The procedure** (:func:`resolve`, over a *block*: every record of one name, or of several names a user
merged), deterministic and independent of the order records arrive in:

1. records with the same name and the same home form a *group* ("same name 王海 and same jurisdiction 唐山市");
2. groups are scored pairwise with the weights of ``resolution.toml`` (nested places, national and provincial
   posts, a move between provinces, shared posts, people named alongside in both) and merged best pair first
   while the score reaches the threshold — unless the two would then hold a *conflict*: posts in places one
   person cannot hold at once, attested within ``overlap_days`` (two 副市长 王海 in 唐山 and 保定 in the same
   month), or a user's ``reject``;
3. a record without a post joins the identity that is the only candidate for the name at that time (attested
   within ``untitled_window_days``, compatible with the document's jurisdiction); with several candidates, the
   one sharing clearly more co-named people; else it stays apart (and is offered in the review queue);
4. user decisions come first and win: ``merge`` (these two records are one person: must-link), ``reject`` (two
   people: cannot-link) and ``unmerge`` (this record is someone of its own), in the manner of nomenklatura's
   judgements — they name records (document, name), which survive re-ingest and re-resolution.

**Identifiers.**  An identity is ``iri.person_iri(name, anchor)``, the anchor being the home of its most senior
group, the earliest among equals (``national`` for 习近平, 唐山市's code for 唐山's 王海), so ids are ones the
per-document rule gave and change only when a person gains a more senior home (:data:`ANCHOR_RANK`); two
identities with one anchor are told apart by the first document of the later one.

Every merge the rules make is a ``gx:ResolutionLink`` (:class:`Link`): a record into its identity (reason:
how it joined), and a group into the identity of another group (reason: the score and its parts, evidence:
the documents of both).
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import tomllib
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyoxigraph as ox

from guanxi.ontology import iri
from guanxi.ontology.vocab import GX, PROV, RDF, XSD

NATIONAL = "national"
NATIONAL_LABEL = "national bodies (中华人民共和国)"
LEVEL_RANK = {"county": 3, "prefecture": 2, "province": 1, "national": 0}
MODEL_PATH = Path(__file__).with_name("resolution.toml")

RecordKey = tuple[str, str]  # (doc_id, name)
CONFLICT_SCORE = -10.0  # what the review queue shows for a pair whose posts conflict


# ---- the model: weights and thresholds from resolution.toml ------------------------------------------------

@dataclass(frozen=True)
class Model:
    overlap_days: int
    untitled_window_days: int
    merge_threshold: float
    candidate_min_score: float
    co_name_margin: int
    dominant_share: float
    stray_max_records: int
    dominant_min_records: int
    weights: Mapping[str, float]
    fragment_max_chars: int = 2
    foreign_states: Mapping[str, str] = field(default_factory=dict)
    organization_same_as: Mapping[str, str] = field(default_factory=dict)

    def w(self, name: str) -> float:
        return float(self.weights[name])


@functools.cache
def load_model(path: str | None = None) -> Model:
    """The resolution model of ``resolution.toml`` (or another file with the same keys)."""
    data = tomllib.loads(Path(path or MODEL_PATH).read_text(encoding="utf-8"))
    person = data["person"]
    return Model(int(person["overlap_days"]), int(person["untitled_window_days"]), float(person["merge_threshold"]),
                 float(person["candidate_min_score"]), int(person["co_name_margin"]), float(person["dominant_share"]),
                 int(person["stray_max_records"]), int(person["dominant_min_records"]), dict(person["weights"]),
                 int(data.get("organization", {}).get("fragment_max_chars", 2)), dict(person.get("foreign_states", {})),
                 dict(data.get("organization", {}).get("same_as", {})))


# ---- homes: where a record places a person ---------------------------------------------------------------

@dataclass(frozen=True)
class Home:
    """Where one document places a person: ``key`` goes into IRIs, ``lineage`` holds the place and all places
    above it (for "one contains the other")."""

    key: str                    # admin code (6 digits), 'national' or 'foreign:<state>'
    label: str                  # 唐山市, national bodies (中华人民共和国), 美国
    kind: str                   # 'place' | 'national' | 'foreign'
    level: str | None = None    # province / prefecture / county for places; state / international for foreign
    lineage: tuple[str, ...] = ()

    def to_json(self) -> list:
        return [self.key, self.label, self.kind, self.level, list(self.lineage)]

    @classmethod
    def from_json(cls, data: Sequence[Any] | None) -> "Home | None":
        if not data:
            return None
        return _home_from(data[0], data[1], data[2], data[3], tuple(data[4]))


NATIONAL_HOME = Home(NATIONAL, NATIONAL_LABEL, "national", "national")


@functools.lru_cache(maxsize=16384)
def _home_from(key: str, label: str, kind: str, level: str | None, lineage: tuple[str, ...]) -> Home:
    return Home(key, label, kind, level, lineage)  # one object per home: records of a block share them


def relation(a: Home, b: Home) -> str:
    """How two homes relate: same, nested, national-province, national-local, national-foreign, foreign (a
    place and a foreign state, or two states: never one person), apart-province, apart-local."""
    if a.key == b.key:
        return "same"
    if {a.kind, b.kind} == {"foreign", "national"}:
        return "national-foreign"
    if a.kind == "foreign" and b.kind == "foreign" and "party" in (a.level, b.level):
        return "state-party"  # 民主党党首 then 韩国总统: a party of no named state, then a state's post
    if a.kind == "foreign" and b.kind == "foreign" and "international" in (a.level, b.level):
        return "state-international"  # officials of international bodies come from states
    if a.kind == "foreign" or b.kind == "foreign":
        return "foreign"
    if a.kind == "national" or b.kind == "national":
        other = b if a.kind == "national" else a
        return "national-province" if other.level == "province" else "national-local"
    if a.key in b.lineage or b.key in a.lineage:
        return "nested"
    return "apart-province" if a.level == b.level == "province" else "apart-local"


# ---- records --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Record:
    """One name in one document, with the evidence resolution uses."""

    name: str
    doc_id: str
    date: str = ""                               # YYYY-MM-DD of the document, '' when unknown
    home: Home | None = None                     # from the posts held in this document (None: no post)
    doc_home: Home | None = None                 # the document's jurisdiction
    posts: tuple[str, ...] = ()                  # post labels (河北省委常委)
    co_names: tuple[str, ...] = ()               # the other people the document names
    mentions: tuple[tuple[int, int], ...] = ()   # spans of the name

    @property
    def key(self) -> RecordKey:
        return (self.doc_id, self.name)

    @property
    def day(self) -> int | None:
        return _ordinal(self.date)

    def to_json(self) -> dict:
        return {"n": self.name, "d": self.doc_id, "t": self.date, "h": self.home.to_json() if self.home else None,
                "dh": self.doc_home.to_json() if self.doc_home else None, "p": list(self.posts),
                "c": list(self.co_names), "m": [list(m) for m in self.mentions]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Record":
        return cls(data["n"], data["d"], data.get("t") or "", Home.from_json(data.get("h")),
                   Home.from_json(data.get("dh")), tuple(data.get("p") or ()), tuple(data.get("c") or ()),
                   tuple(tuple(m) for m in data.get("m") or ()))


@functools.lru_cache(maxsize=65536)
def _ordinal(date: str) -> int | None:
    try:
        return _dt.date.fromisoformat(date).toordinal() if date else None
    except ValueError:
        return None


# ---- the old per-document rule, still what a record's home is -------------------------------------------

@dataclass(frozen=True)
class PostBody:
    """What the home rule needs to know about the body of one of a person's posts."""

    jurisdiction_code: str | None   # admin code of the body's jurisdiction (None: unknown)
    level: str | None = None        # national / province / prefecture / county
    foreign_state: str | None = None  # the state's name when the body is a foreign state


@dataclass(frozen=True)
class Context:
    """A person's identity context in one document: ``key`` goes into the IRI, ``label`` into reasons."""

    key: str
    label: str
    kind: str  # 'place' | 'national' | 'foreign' | 'document' | 'isolated'


def context_for(bodies: Iterable[PostBody], doc_jurisdiction: tuple[str, str] | None, doc_id: str,
                place_name: Mapping[str, str] | None = None) -> Context:
    """Where one document places a person: the most specific domestic jurisdiction among the bodies of their
    posts (county > prefecture > province), else ``national`` for national bodies only, else
    ``foreign:<state>``, else (no post) the document's jurisdiction, else the document itself."""
    names = place_name or {}
    bodies = list(bodies)
    local = [b for b in bodies if b.jurisdiction_code and b.level in LEVEL_RANK and b.level != NATIONAL]
    if local:
        best = max(local, key=lambda b: (LEVEL_RANK[b.level or ""], _neg(b.jurisdiction_code or "")))
        code = best.jurisdiction_code or ""
        return Context(code, names.get(code, code), "place")
    if any(b.level == NATIONAL for b in bodies):
        return Context(NATIONAL, NATIONAL_LABEL, "national")
    foreign = sorted({b.foreign_state for b in bodies if b.foreign_state})
    if foreign:
        return Context("foreign:" + foreign[0], foreign[0], "foreign")
    if doc_jurisdiction and doc_jurisdiction[0]:
        code, name = doc_jurisdiction
        return Context(code, name or code, "document")
    return Context(isolated_key(doc_id), f"document {doc_id}", "isolated")


def _neg(code: str) -> tuple[int, ...]:
    """Sort key that makes max() pick the smallest code among equals (deterministic tie-break)."""
    return tuple(-ord(c) for c in code)


def isolated_key(doc_id: str) -> str:
    """The context key of a name that must not meet any other document's name."""
    return "doc:" + doc_id


def rule_person_iri(name: str, context: Context) -> str:
    """The person IRI of a name when its document stands alone (no store, no other documents)."""
    return iri.person_iri(name, context.key)


def document_local_iri(name: str, doc_id: str) -> str:
    """The node a name would be if its document stood alone: the ``gx:mergedFrom`` of record links."""
    return iri.person_iri(name, isolated_key(doc_id))


def group_iri(name: str, home: Home) -> str:
    """The node of a group (a name and a home): the ``gx:mergedFrom`` of group links."""
    return iri.person_iri(name, home.key)


# ---- user decisions (judgements on records) ------------------------------------------------------------

@dataclass(frozen=True)
class Decisions:
    """The user's decisions, on records (document, name), as nomenklatura keeps judgements on entity ids.

    ``merges``: (from, into) record pairs that are one person (the identity takes the name of ``into``);
    ``rejects``: record pairs that are two people; ``isolated``: records that are someone of their own
    (``guanxi unmerge``)."""

    merges: frozenset[tuple[RecordKey, RecordKey]] = frozenset()
    rejects: frozenset[tuple[RecordKey, RecordKey]] = frozenset()
    isolated: frozenset[RecordKey] = frozenset()

    def linked_names(self, names: Iterable[str]) -> set[str]:
        """``names`` and every name joined to them by a merge (transitively): one resolution block."""
        edges: dict[str, set[str]] = defaultdict(set)
        for (_, a), (_, b) in self.merges:
            edges[a].add(b)
            edges[b].add(a)
        out, todo = set(), list(names)
        while todo:
            n = todo.pop()
            if n in out:
                continue
            out.add(n)
            todo.extend(edges.get(n, ()))
        return out

    def for_names(self, names: set[str]) -> "Decisions":
        return Decisions(frozenset(p for p in self.merges if p[0][1] in names or p[1][1] in names),
                         frozenset(p for p in self.rejects if p[0][1] in names or p[1][1] in names),
                         frozenset(r for r in self.isolated if r[1] in names))

    @property
    def empty(self) -> bool:
        return not (self.merges or self.rejects or self.isolated)


# ---- results ----------------------------------------------------------------------------------------------

@dataclass
class Link:
    """One automatic merge: a record's or a group's own node into an identity.

    ``source`` says which node was merged away without minting it: ("record", name, doc id) — the node the
    name would be if its document stood alone — or ("group", name, home key).  :attr:`key` and
    :attr:`signature` let the store see what changed without building triples; :meth:`triples` builds them."""

    source: tuple[str, str, str]
    merged_into: str
    reason: str
    documents: tuple[str, ...]                     # doc ids of the evidence
    mentions: tuple[tuple[str, int, int], ...] = ()  # (doc id, start, end) of the name spans
    record: RecordKey | None = None                # a record the merged-away node stands for

    @property
    def key(self) -> str:
        return "\x1f".join(self.source)

    @property
    def signature(self) -> str:
        """A digest of everything the link's triples say (documents and mentions are built in sorted order)."""
        data = repr((self.source, self.merged_into, self.reason, self.documents, self.mentions))
        return hashlib.blake2b(data.encode("utf-8"), digest_size=8).hexdigest()

    @functools.cached_property
    def merged_from(self) -> str:
        kind, name, key = self.source
        return document_local_iri(name, key) if kind == "record" else iri.person_iri(name, key)

    @functools.cached_property
    def iri(self) -> str:
        return iri.resolution_iri(self.merged_from, self.merged_into)

    def triples(self) -> list[ox.Triple]:
        link = self.iri
        out = [
            _t(link, RDF.type, GX.ResolutionLink),
            _t(link, GX.mergedFrom, self.merged_from),
            _t(link, GX.mergedInto, self.merged_into),
            _t(link, GX.reason, ox.Literal(self.reason)),
            _t(link, GX.decidedBy, ox.Literal("rule")),
        ]
        for doc_id in sorted(set(self.documents)):
            out += [_t(link, GX.evidence, iri.document_iri(doc_id)), _t(link, PROV.wasDerivedFrom, iri.document_iri(doc_id))]
        out += [_t(link, GX.evidence, iri.mention_iri(d, s, e, "name")) for d, s, e in sorted(set(self.mentions))]
        return out


@dataclass
class Identity:
    iri: str
    name: str                      # the canonical name (gx:name); other names become gx:alias
    records: list[Record]
    homes: list[Home]
    anchor: str

    @property
    def names(self) -> list[str]:
        return sorted({r.name for r in self.records})

    @property
    def documents(self) -> int:
        return len({r.doc_id for r in self.records})

    @property
    def mentions(self) -> int:
        return sum(max(1, len(r.mentions)) for r in self.records)

    def first_last(self) -> tuple[str, str]:
        dates = sorted(r.date for r in self.records if r.date)
        return (dates[0], dates[-1]) if dates else ("", "")


@dataclass
class Candidate:
    """A pair of identities of one name the rules did not merge, for the review queue."""

    a: Identity
    b: Identity
    score: float
    why: str

    @property
    def mentions(self) -> int:
        return self.a.mentions + self.b.mentions


@dataclass
class Resolution:
    identities: list[Identity]
    links: list[Link]
    assignment: dict[RecordKey, tuple[str, str]]   # record -> (identity IRI, canonical name)
    candidates: list[Candidate] = field(default_factory=list)


# ---- the procedure ------------------------------------------------------------------------------------------

class _Unit:
    """What is clustered: a group of titled records (one name, one home), or one record without a post."""

    __slots__ = ("name", "home", "records", "days", "co_names", "posts", "weak", "isolated", "index")

    def __init__(self, name: str, home: Home | None, records: list[Record], weak: bool, isolated: bool = False):
        self.name, self.home, self.records, self.weak, self.isolated = name, home, records, weak, isolated
        self.days = sorted(d for d in (r.day for r in records) if d is not None)
        # what only titled groups are compared on (thousands of untitled records need none of it)
        self.co_names = Counter() if weak else Counter(c for r in records for c in set(r.co_names) if c != name)
        self.posts = set() if weak else {p for r in records for p in r.posts}
        self.index = 0

    @property
    def first(self) -> tuple[str, str]:
        r = self.records[0]
        return (r.date or "9999", r.doc_id)


# which of an identity's homes its IRI is anchored on: the most senior, then the earliest.  Careers rise, and
# a person is named far more often at the top of one: anchored on the earliest home, every older year ingested
# after a newer one (an archive filled backwards) moved 吴政隆 from the State Council to Jiangsu and rewrote each
# of his documents; anchored on the most senior, only a promotion moves an identity, and it rewrites the fewer
# documents of the lower post (docs/resolution.md)
ANCHOR_RANK = {"national": 0, "province": 1, "state": 1, "international": 1, "prefecture": 2, "party": 2, "county": 3}


def _anchor_order(u: "_Unit") -> tuple[int, tuple[str, str]]:
    return (ANCHOR_RANK.get(u.home.level or "", 4) if u.home else 5, u.first)


def _sort_key(r: Record) -> tuple[str, str, str]:
    return (r.date or "9999", r.doc_id, r.name)


def _near(days_a: list[int], days_b: list[int], window: int) -> bool:
    """Whether some day of ``a`` is within ``window`` days of some day of ``b`` (both sorted)."""
    if not days_a or not days_b:
        return False
    for d in days_a:
        i = bisect_left(days_b, d - window)
        if i < len(days_b) and days_b[i] <= d + window:
            return True
    return False


def pair_score(a: _Unit, b: _Unit, model: Model, titled: int = 0) -> tuple[float, list[str], bool]:
    """(score, the reasons for it, conflict) of two titled groups of one name; ``titled``: how many records
    with a post the name has in all (for "a stray post beside the name's dominant group")."""
    assert a.home is not None and b.home is not None
    rel = relation(a.home, b.home)
    same_time = _near(a.days, b.days, model.overlap_days)
    parts = [f"same name {a.name} ({model.w('same_name'):+g})"]
    score = model.w("same_name")
    if rel == "foreign":
        return float("-inf"), [f"{a.home.label} and {b.home.label}: posts of different states"], True
    if rel in ("apart-province", "apart-local") and same_time:
        return float("-inf"), [f"posts in {a.home.label} and in {b.home.label} within {model.overlap_days} days"], True
    weight = {"same": "same_home", "nested": "nested", "national-province": "national_and_province",
              "national-foreign": "national_and_foreign", "state-international": "state_and_international",
              "state-party": "state_and_party",
              "national-local": "national_and_local_same_time" if same_time else "national_and_local",
              "apart-province": "apart_province", "apart-local": "apart_local"}[rel]
    describe = {"same": f"same jurisdiction {a.home.label}",
                "national-foreign": f"national bodies and {(b.home if a.home.kind == 'national' else a.home).label}",
                "state-international": f"{a.home.label} and {b.home.label}: a state and an international body",
                "state-party": f"{a.home.label} and {b.home.label}: a state and a party that names no state",
                "nested": f"{a.home.label} and {b.home.label}: one contains the other",
                "national-province": f"national bodies and {_local(a, b).label}",
                "national-local": f"national bodies and {_local(a, b).label}" + (" at the same time" if same_time else ", at different times"),
                "apart-province": f"{a.home.label} and {b.home.label}, never at the same time (a move)",
                "apart-local": f"{a.home.label} and {b.home.label}, never at the same time"}[rel]
    score += model.w(weight)
    parts.append(f"{describe} ({model.w(weight):+g})")
    shared_posts = sorted(a.posts & b.posts)
    if shared_posts:
        score += model.w("shared_post")
        parts.append(f"same post {shared_posts[0]} ({model.w('shared_post'):+g})")
    small, big = sorted((a, b), key=lambda u: len(u.records))
    if (titled and len(small.records) <= model.stray_max_records and len(big.records) >= model.dominant_min_records
            and len(big.records) >= model.dominant_share * titled):
        score += model.w("beside_dominant")
        parts.append(f"{len(small.records)} record(s) beside the {len(big.records)} of {big.home.label} "
                     f"({model.w('beside_dominant'):+g})")  # type: ignore[union-attr]
    shared = sorted(set(a.co_names) & set(b.co_names))
    if shared:
        gain = min(model.w("shared_co_name") * len(shared), model.w("shared_co_name_max"))
        score += gain
        parts.append(f"named alongside {'、'.join(shared[:5])} in both ({gain:+g})")
    return score, parts, False


def _local(a: _Unit, b: _Unit) -> Home:
    return b.home if a.home and a.home.kind == "national" else a.home  # type: ignore[return-value]


def resolve(records: Iterable[Record], decisions: Decisions | None = None, model: Model | None = None,
            with_candidates: bool = False, min_score: float | None = None) -> Resolution:
    """Resolve one block (all records of one name, or of names a user merged): see the module docstring."""
    model = model or load_model()
    decisions = decisions or Decisions()
    records = sorted({r.key: r for r in records}.values(), key=_sort_key)

    # units: isolated records, titled groups (name, home), records without a post
    units: list[_Unit] = []
    unit_of: dict[RecordKey, int] = {}
    groups: dict[tuple[str, ...], list[Record]] = defaultdict(list)
    weak: list[Record] = []
    rejected = {k for pair in decisions.rejects for k in pair}
    for r in records:
        if r.key in decisions.isolated:
            unit_of[r.key] = len(units)
            units.append(_Unit(r.name, None, [r], weak=True, isolated=True))
        elif r.home is not None:
            # a record a rejection names is a group of its own, so that it can be kept from its group
            groups[(r.name, r.home.key, r.doc_id) if r.key in rejected else (r.name, r.home.key)].append(r)
        else:
            weak.append(r)
    for group_key, members in sorted(groups.items(), key=lambda kv: (kv[1][0].date or "9999", kv[1][0].doc_id, kv[0])):
        for r in members:
            unit_of[r.key] = len(units)
        units.append(_Unit(group_key[0], members[0].home, members, weak=False))
    for r in weak:
        unit_of[r.key] = len(units)
        units.append(_Unit(r.name, None, [r], weak=True))
    for i, u in enumerate(units):
        u.index = i

    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[int, set[int]] = {i: {i} for i in range(len(units))}
    cannot: set[frozenset[int]] = set()
    for a, b in decisions.rejects:
        if a in unit_of and b in unit_of and unit_of[a] != unit_of[b]:
            cannot.add(frozenset((unit_of[a], unit_of[b])))
    conflicts: dict[frozenset[int], str] = {}
    scored: list[tuple[float, int, int, list[str]]] = []
    strong = [u for u in units if not u.weak]
    titled_of = Counter()
    for u in strong:
        titled_of[u.name] += len(u.records)
    for i, a in enumerate(strong):
        for b in strong[i + 1:]:
            if a.name != b.name:
                continue  # different names meet only through a user's merge
            score, parts, conflict = pair_score(a, b, model, titled_of[a.name])
            if conflict:
                conflicts[frozenset((a.index, b.index))] = parts[0]
            else:
                scored.append((score, a.index, b.index, parts))

    def blocked(ra: int, rb: int) -> bool:
        for x in members[ra]:
            for y in members[rb]:
                pair = frozenset((x, y))
                if pair in cannot or pair in conflicts:
                    return True
        return False

    def union(ra: int, rb: int) -> int:
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        members[keep] |= members.pop(drop)
        return keep

    # 1. the user's merges first (must-links), unless a rejection of the same records forbids them
    for a, b in sorted(decisions.merges):
        if a in unit_of and b in unit_of:
            ra, rb = find(unit_of[a]), find(unit_of[b])
            if ra != rb and frozenset((unit_of[a], unit_of[b])) not in cannot:
                union(ra, rb)

    # 2. titled groups, best-scoring pair first
    group_links: dict[int, tuple[int, float, list[str]]] = {}
    for score, ia, ib, parts in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if score < model.merge_threshold:
            break
        ra, rb = find(ia), find(ib)
        if ra == rb or blocked(ra, rb):
            continue
        union(ra, rb)
        later = max(ia, ib, key=lambda i: units[i].first)
        group_links[later] = (ib if later == ia else ia, score, parts)

    # 3. records without a post
    joined: dict[int, tuple[int, str]] = {}   # weak unit -> (unit it joined, reason)
    pool: dict[str, list[int]] = defaultdict(list)   # unplaced weak units by the document's jurisdiction
    ambiguous: list[int] = []
    titled_roots = sorted({find(u.index) for u in strong})
    root_days = {root: sorted(d for m in members[root] if not units[m].weak for d in units[m].days) for root in titled_roots}
    root_homes = {root: [units[m].home for m in sorted(members[root]) if units[m].home] for root in titled_roots}
    root_names = {root: {units[m].name for m in members[root]} for root in titled_roots}
    root_co = {root: sum((units[m].co_names for m in members[root]), Counter()) for root in titled_roots}
    for u in units:
        if not u.weak or u.isolated or find(u.index) != u.index or len(members[u.index]) > 1:
            continue  # isolated by the user, or already joined by a user's merge
        r = u.records[0]
        options = [root for root in titled_roots if r.name in root_names[root] and not blocked(find(u.index), root)]
        if r.doc_home is not None and r.doc_home.kind == "place":
            inside = [root for root in options if any(relation(h, r.doc_home) in ("same", "nested") for h in root_homes[root])]
            options = inside or [root for root in options if any(h.kind != "place" for h in root_homes[root])]
        day = r.day
        near = [root for root in options if day is not None and _near([day], root_days[root], model.untitled_window_days)]
        if near:
            options = near
        elif len(options) > 1:
            options = []
        if len(options) == 1:
            root = options[0]
            # the same words whether the identity has posts near this date or not: a later post must not
            # change what an earlier mention's link says (one more day then touches only its own records)
            joined[u.index] = (root, f"no post for {r.name} in this document; the only {r.name} with a post"
                                     f"{_homes_phrase(root_homes[root])}")
        elif len(options) > 1:
            overlap = sorted(((sum(1 for c in set(r.co_names) if root_co[root][c]), root) for root in options), reverse=True)
            weight = {root: (bisect_right(root_days[root], day + model.untitled_window_days)
                             - bisect_left(root_days[root], day - model.untitled_window_days))
                      if near and day is not None else len(root_days[root]) for root in options}
            leader = max(options, key=lambda root: (weight[root], -root))
            share = weight[leader] / max(1, sum(weight.values()))
            if overlap[0][0] - overlap[1][0] >= model.co_name_margin:
                root = overlap[0][1]
                joined[u.index] = (root, f"no post for {r.name} in this document; of the {len(options)} {r.name} "
                                         f"with a post around {r.date}, the one named alongside the same people "
                                         f"({overlap[0][0]} shared){_homes_phrase(root_homes[root])}")
            elif share >= model.dominant_share:
                joined[u.index] = (leader, f"no post for {r.name} in this document; of the {len(options)} {r.name} "
                                           f"with a post around {r.date}, the one with {round(100 * share)}% of the posts "
                                           f"{_homes_phrase(root_homes[leader]).strip()}".rstrip())
            else:
                ambiguous.append(u.index)
        else:
            # unplaced: one pool per local jurisdiction; national documents and those without one share a pool
            pool[r.doc_home.key if r.doc_home is not None and r.doc_home.kind == "place" else ""].append(u.index)
    for index, (root, _) in sorted(joined.items()):
        union(find(index), find(root))
    def titled_roots_named(name: str) -> bool:
        return any(name in root_names[root] for root in titled_roots)

    pooled_reason: dict[int, str] = {}
    for key, indexes in sorted(pool.items()):
        # names with no post anywhere at that time: one person per name and document jurisdiction
        by_name: dict[str, list[int]] = defaultdict(list)
        for index in indexes:
            by_name[units[index].name].append(index)
        for name, same in sorted(by_name.items()):
            first = same[0]
            for index in same[1:]:
                if not blocked(find(first), find(index)):
                    union(find(first), find(index))
            where = units[first].records[0].doc_home if key else None
            for index in same:
                pooled_reason[index] = (f"same name {name}, never with a post" +
                                        (f", in documents of {where.label}" if where else ""))
    # the placeless pool of a name (national documents, documents placed nowhere) joins its only local pool
    local_pools: dict[str, list[int]] = defaultdict(list)
    placeless: dict[str, int] = {}
    for key, indexes in sorted(pool.items()):
        for index in indexes:
            name = units[index].name
            if key:
                if not local_pools[name] or find(local_pools[name][-1]) != find(index):
                    local_pools[name].append(index)
            else:
                placeless.setdefault(name, index)
    for name, index in sorted(placeless.items()):
        roots = {find(i) for i in local_pools.get(name, [])}
        if len(roots) == 1 and not titled_roots_named(name):
            root = roots.pop()
            if not blocked(find(index), root):
                where = units[root].records[0].doc_home
                for i in [i for i in pool[""] if units[i].name == name]:
                    pooled_reason[i] = (f"same name {name}, never with a post; the only {name} placed anywhere is in "
                                        f"documents of {where.label if where else '?'}")
                union(find(index), root)

    # identities and their IRIs
    clusters: dict[int, list[int]] = defaultdict(list)
    for u in units:
        clusters[find(u.index)].append(u.index)
    merged_names = {a[1] for a, b in decisions.merges if a[1] != b[1]}
    pending: list[tuple[tuple, str, list[int], str]] = []
    for root, idx in clusters.items():
        idx.sort()
        recs = sorted((r for i in idx for r in units[i].records), key=_sort_key)
        name_counts = Counter(r.name for r in recs)
        kept = [n for n in name_counts if n not in merged_names] or list(name_counts)
        canonical = min(kept, key=lambda n: (-name_counts[n], n))
        titled = [units[i] for i in idx if not units[i].weak]
        if titled:
            anchor = min(titled, key=_anchor_order).home.key  # type: ignore[union-attr]
        elif any(units[i].isolated for i in idx) or any(i in ambiguous for i in idx):
            anchor = isolated_key(recs[0].doc_id)
        else:
            dh = recs[0].doc_home
            anchor = dh.key if dh is not None and dh.kind == "place" else ""
        pending.append(((anchor, recs[0].date or "9999", recs[0].doc_id), canonical, idx, anchor))
    identities: list[Identity] = []
    taken: set[str] = set()
    for _, canonical, idx, anchor in sorted(pending, key=lambda p: (p[0], p[1])):
        key = anchor
        node = iri.person_iri(canonical, key)
        if node in taken:  # a namesake already has this anchor: tell them apart by this one's first document
            first = min((r for i in idx for r in units[i].records), key=_sort_key)
            key = f"{anchor}~{first.doc_id}"
            node = iri.person_iri(canonical, key)
        taken.add(node)
        recs = sorted((r for i in idx for r in units[i].records), key=_sort_key)
        homes = sorted({units[i].home for i in idx if units[i].home}, key=lambda h: h.key)
        identities.append(Identity(node, canonical, recs, homes, key))
    identities.sort(key=lambda ident: ident.iri)
    node_of_unit = {i: ident for ident in identities for i in clusters[find(unit_of[ident.records[0].key])]}

    assignment = {r.key: (ident.iri, ident.name) for ident in identities for r in ident.records}
    links: list[Link] = []
    for ident in identities:
        if len(ident.records) < 2:
            continue
        for r in ident.records:
            u = units[unit_of[r.key]]
            if u.isolated or (ident.anchor == isolated_key(r.doc_id) and ident.name == r.name):
                continue  # the record is its own node: nothing was merged
            if not u.weak:
                reason = rule_reason(r.name, [u.home.label] if u.home else [])
            elif u.index in joined:
                reason = joined[u.index][1]
            elif u.index in pooled_reason:
                reason = pooled_reason[u.index]
            else:
                continue  # joined by a user's merge: the manual graph holds that link
            links.append(Link(("record", r.name, r.doc_id), ident.iri, reason, (r.doc_id,),
                              tuple((r.doc_id, s, e) for s, e in r.mentions), r.key))
        for later, (other, score, parts) in sorted(group_links.items()):
            if node_of_unit.get(later) is not ident:
                continue
            u, v = units[later], units[other]
            source = u if not (ident.anchor == u.home.key and ident.name == u.name) else v  # type: ignore[union-attr]
            reason = f"score {score:g} ≥ {model.merge_threshold:g}: " + "; ".join(parts)
            links.append(Link(("group", source.name, source.home.key), ident.iri, reason,  # type: ignore[union-attr]
                              tuple(sorted({u.records[0].doc_id, v.records[0].doc_id})), record=source.records[0].key))
    links.sort(key=lambda link: link.key)
    result = Resolution(identities, links, assignment)
    if with_candidates:
        min_score = model.candidate_min_score if min_score is None else min_score
        result.candidates = _candidates(identities, units, unit_of, decisions, model, min_score)
    return result


def _homes_phrase(homes: Sequence[Home]) -> str:
    labels = sorted({h.label for h in homes})
    return f" ({'、'.join(labels[:3])})" if labels else ""


def _candidates(identities: list[Identity], units: list[_Unit], unit_of: dict[RecordKey, int],
                decisions: Decisions, model: Model, min_score: float) -> list[Candidate]:
    """Pairs of identities with one name that the rules kept apart, with their best score and why."""
    rejected = {frozenset((a, b)) for a, b in decisions.rejects}
    out: list[Candidate] = []
    for i, a in enumerate(identities):
        for b in identities[i + 1:]:
            if not set(a.names) & set(b.names):
                continue
            if any(frozenset((x.key, y.key)) in rejected for x in a.records for y in b.records):
                continue
            best, why = float("-inf"), ""
            ua = {unit_of[r.key] for r in a.records}
            ub = {unit_of[r.key] for r in b.records}
            for x in sorted(ua):
                for y in sorted(ub):
                    if units[x].weak or units[y].weak or units[x].name != units[y].name:
                        continue
                    titled = sum(len(u.records) for u in units if not u.weak and u.name == units[x].name)
                    score, parts, conflict = pair_score(units[x], units[y], model, titled)
                    score = CONFLICT_SCORE if conflict else score
                    if score > best or not why:
                        best, why = score, ("conflict: " if conflict else "") + "; ".join(parts)
            if not why:  # at least one side has no post: nothing says they differ, nothing says they are one
                best, why = model.merge_threshold - 1.0, "no post on one side: the name alone links them"
            if best >= min_score:
                out.append(Candidate(a, b, best, why))
    out.sort(key=lambda c: (-c.mentions, -c.score, c.a.iri, c.b.iri))
    return out


def rule_reason(name: str, labels: Iterable[str]) -> str:
    """The gx:reason of a record's link: why its mentions are the group's person."""
    labels = sorted(set(labels))
    if not labels:
        return f"same name {name}"
    if labels == [NATIONAL_LABEL]:
        return f"same name {name} and posts in {NATIONAL_LABEL}"
    return f"same name {name} and same jurisdiction {'、'.join(labels)}"


# ---- resolution-graph facts ----------------------------------------------------------------------------

def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o) if isinstance(o, str) else o)


def tenure_dates(tenure: str, first: str, last: str) -> list[ox.Triple]:
    """gx:firstAttested / gx:lastAttested: the earliest and latest dates of the documents attesting it."""
    date = ox.NamedNode(XSD.date)
    return [_t(tenure, GX.firstAttested, ox.Literal(first, datatype=date)),
            _t(tenure, GX.lastAttested, ox.Literal(last, datatype=date))]
