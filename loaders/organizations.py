"""Resolves a body as written (市委, 九三学社唐山市委, 河北华发教育科技股份有限公司) to a canonical body.

Pure: the surface, the document's jurisdiction and the lexicon in; an :class:`Organization` out. The
rules live in ``lexicons/bodies.toml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from . import places
from .lexicon import lexicon

RELATIVE_LEVELS = {"省": "province", "市": "prefecture", "州": "prefecture", "县": "county", "区": "county"}
NATIONAL_PREFIXES = ("全国", "中央", "国家", "中共中央", "国务院", "最高人民")
LEVEL_PREFIX = {"province": "省", "prefecture": "市", "county": "县"}


@dataclass
class Organization:
    name: str
    kind: str
    jurisdiction: str | None = None          # full name of the place, None when unknown
    jurisdiction_code: str | None = None
    aliases: set[str] = field(default_factory=set)
    parent: str | None = None                # canonical name of the body it belongs to

    def key(self) -> tuple[str, str | None]:
        return (self.name, self.jurisdiction)


@cache
def _cores() -> list[tuple[str, dict]]:
    cores = lexicon().bodies["cores"]
    return sorted(cores.items(), key=lambda kv: -len(kv[0]))


@cache
def _suffixes() -> list[tuple[str, str]]:
    return sorted(lexicon().bodies["suffixes"].items(), key=lambda kv: -len(kv[0]))


@cache
def _parties() -> list[tuple[str, str]]:
    return sorted(lexicon().bodies["democratic_parties"].items(), key=lambda kv: -len(kv[0]))


def _split_place(surface: str, jurisdiction: places.Jurisdiction | None) -> tuple[places.Place | None, str, bool]:
    """Returns (place, rest, place_was_written). A bare 市/县/省 prefix is resolved against the jurisdiction."""
    for length in range(min(len(surface) - 1, 9), 1, -1):
        prefix = surface[:length]
        candidates = places.lookup(prefix)
        if candidates:
            return _prefer_in_jurisdiction(candidates, jurisdiction), surface[length:], True
    head = surface[:1]
    if head in RELATIVE_LEVELS and len(surface) > 1:
        return places.resolve_relative(head, jurisdiction), surface[1:], False
    return None, surface, False


def _prefer_in_jurisdiction(candidates: list[places.Place], jurisdiction: places.Jurisdiction | None) -> places.Place:
    if jurisdiction is not None and jurisdiction.place is not None:
        related = {jurisdiction.place.code} | {p.code for p in places.ancestors(jurisdiction.place)}
        for candidate in candidates:
            if candidate.code in related or candidate.parent_code in related:
                return candidate
    return candidates[0]


def _template(kind: str, place: places.Place | None, relative_head: str | None) -> str | None:
    template = lexicon().bodies["templates"].get(kind)
    if template is None:
        return None
    if place is not None:
        return template.format(place=place.name)
    # the place is unknown (a redacted county): keep the level so 县政府 reads as a county government
    return template.format(place=relative_head or "")


def party_committee_of(jurisdiction: places.Jurisdiction | None) -> str:
    """The bare surface of the jurisdiction's party committee (市委 in a prefecture document)."""
    if jurisdiction is None:
        return "中共中央"
    if jurisdiction.level == "national":
        return "中共中央"
    return LEVEL_PREFIX.get(jurisdiction.level, "") + "委"


def resolve(surface: str, jurisdiction: places.Jurisdiction | None, party_context: "Organization | None" = None) -> Organization:
    """Canonical body for ``surface``. ``party_context`` is the party committee a bare department
    (组织部) belongs to, when the title chain names one."""
    bodies = lexicon().bodies
    national = bodies["national"].get(surface) or _national_by_name().get(surface)
    if national:
        return Organization(national["name"], national["kind"], "中华人民共和国", places.NATIONAL.code, {surface})

    if "驻" in surface:                 # 中国驻朝鲜(大使): a mission, not the host state
        return Organization(surface, "other", None, None, {surface})
    foreign = _foreign(surface)
    if foreign is not None:
        return Organization(surface, "government" if foreign == "state" else "other", None, None, {surface})

    for party_surface, party_short in _parties():
        if surface.startswith(party_surface):
            rest = surface[len(party_surface):]
            place, core, _ = _split_place(rest, jurisdiction) if rest else (None, "", False)
            level_name = place.name if place else ""
            if core in ("委", "委员会", "市委", "省委", "县委"):
                name = f"{party_short}{level_name}委员会"
            elif core in ("中央", ""):
                name = f"{party_short}中央委员会" if core == "中央" else party_short
            else:
                name = f"{party_short}{level_name}{core}"
            return _org(name, "democratic_party", place, surface)

    if surface in bodies["party_departments"]["names"]:
        committee = party_context or resolve(party_committee_of(jurisdiction), jurisdiction)
        short = committee.name.removesuffix("委员会") + "委" if committee.name.endswith("委员会") else committee.name
        org = Organization(f"{short}{surface}", "department", committee.jurisdiction, committee.jurisdiction_code, {surface})
        org.parent = committee.name
        return org

    place, core, written = _split_place(surface, jurisdiction)
    relative_head = None if written else (surface[0] if surface[0] in RELATIVE_LEVELS and place is None else None)
    if place is not None or relative_head is not None:
        for core_surface, opts in _cores():
            if core == core_surface:
                kind = opts["kind"]
                if "parent" in opts:
                    parent = resolve((surface[: len(surface) - len(core)] or "") + ("委" if opts["parent"] == "party_committee" else "政府"), jurisdiction)
                    dept = opts.get("dept", core)
                    short = parent.name.removesuffix("委员会") + "委" if parent.name.endswith("委员会") else parent.name
                    org = _org(f"{short}{dept}", kind, place, surface)
                    org.parent = parent.name
                    return org
                name = opts["name"].format(place=place.name if place else relative_head) if "name" in opts else _template(kind, place, relative_head)
                return _org(name or surface, kind, place, surface)
    kind = _kind_by_suffix(surface)
    if place is not None and not written:
        # 科技局 written as 市科技局: name it with the place so two cities' bureaus stay apart
        return _org(place.name + core, kind, place, surface)
    if surface.startswith(NATIONAL_PREFIXES):
        # 全国人大宪法和法律委员会, 国家发展改革委: national bodies keep their own names
        return Organization(surface, kind, places.NATIONAL.name, places.NATIONAL.code, {surface})
    if place is None and jurisdiction is not None and jurisdiction.place is not None and jurisdiction.level != "national" and kind == "department" and not written:
        # 科技局 in a county report: that county's bureau, so two counties' bureaus stay apart
        return _org(jurisdiction.place.name + surface, kind, jurisdiction.place, surface)
    return _org(surface, kind, place, surface)


@cache
def _national_by_name() -> dict[str, dict]:
    """The national bodies by their canonical names: a text that writes 中共中央书记处 in full is the same
    body, of the same kind, as one that writes 中央书记处."""
    out: dict[str, dict] = {}
    for entry in lexicon().bodies["national"].values():
        out.setdefault(entry["name"], entry)
    return out


def _foreign(surface: str) -> str | None:
    from .people import _foreign_bodies

    states, international = _foreign_bodies()
    if surface in states:
        return "state"
    if surface in international:
        return "international"
    return None


def _kind_by_suffix(surface: str) -> str:
    for suffix, kind in _suffixes():
        if surface.endswith(suffix):
            return kind
    return "other"


def _org(name: str, kind: str, place: places.Place | None, surface: str) -> Organization:
    return Organization(
        name=name,
        kind=kind,
        jurisdiction=place.name if place else None,
        jurisdiction_code=place.code if place else None,
        aliases={surface},
    )
