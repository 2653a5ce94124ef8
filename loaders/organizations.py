"""Resolves a body as written (市委, 九三学社唐山市委, 河北华发教育科技股份有限公司) to a canonical body.

Pure: the surface, the document's jurisdiction and the lexicon in; an :class:`Organization` out. The
rules live in ``lexicons/bodies.toml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import places

if TYPE_CHECKING:
    from .lexicon import Lexicon


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


class BodyRules:
    """The lexicon's body tables, sorted once per lexicon (longest first where the longest must win)."""

    def __init__(self, lex: "Lexicon"):
        bodies = lex.bodies
        self.cores = sorted(bodies["cores"].items(), key=lambda kv: -len(kv[0]))
        self.suffixes = sorted(bodies["suffixes"].items(), key=lambda kv: -len(kv[0]))
        self.parties = sorted(bodies["democratic_parties"].items(), key=lambda kv: -len(kv[0]))
        self.national_by_name: dict[str, dict] = {}
        # a text that writes 中共中央书记处 in full is the same body, of the same kind, as one that writes 中央书记处
        for entry in bodies["national"].values():
            self.national_by_name.setdefault(entry["name"], entry)


def _split_place(surface: str, jurisdiction: places.Jurisdiction | None, lex: "Lexicon") -> tuple[places.Place | None, str, bool]:
    """Returns (place, rest, place_was_written). A bare 市/县/省 prefix is resolved against the jurisdiction."""
    gazetteer = lex.places
    for length in range(min(len(surface) - 1, 9), 1, -1):
        prefix = surface[:length]
        candidates = gazetteer.lookup(prefix)
        if candidates:
            return _prefer_in_jurisdiction(candidates, jurisdiction, lex), surface[length:], True
    head = surface[:1]
    if head in lex.relative_levels and len(surface) > 1:
        return gazetteer.resolve_relative(head, jurisdiction), surface[1:], False
    return None, surface, False


def _prefer_in_jurisdiction(candidates: list[places.Place], jurisdiction: places.Jurisdiction | None, lex: "Lexicon") -> places.Place:
    if jurisdiction is not None and jurisdiction.place is not None:
        related = {jurisdiction.place.code} | {p.code for p in lex.places.ancestors(jurisdiction.place)}
        for candidate in candidates:
            if candidate.code in related or candidate.parent_code in related:
                return candidate
    return candidates[0]


def _template(kind: str, place: places.Place | None, relative_head: str | None, lex: "Lexicon") -> str | None:
    template = lex.bodies["templates"].get(kind)
    if template is None:
        return None
    if place is not None:
        return template.format(place=place.name)
    # the place is unknown (a redacted county): keep the level so 县政府 reads as a county government
    return template.format(place=relative_head or "")


def party_committee_of(jurisdiction: places.Jurisdiction | None, lex: "Lexicon") -> str:
    """The bare surface of the jurisdiction's party committee (市委 in a prefecture document)."""
    if jurisdiction is None or jurisdiction.level == "national":
        return "中共中央"
    return lex.level_prefix.get(jurisdiction.level, "") + "委"


def resolve(surface: str, jurisdiction: places.Jurisdiction | None, lex: "Lexicon",
            party_context: "Organization | None" = None) -> Organization:
    """Canonical body for ``surface``. ``party_context`` is the party committee a bare department
    (组织部) belongs to, when the title chain names one."""
    bodies = lex.bodies
    rules = lex.body_rules
    national = bodies["national"].get(surface) or rules.national_by_name.get(surface)
    if national:
        return Organization(national["name"], national["kind"], "中华人民共和国", places.NATIONAL.code, {surface})

    if "驻" in surface:                 # 中国驻朝鲜(大使): a mission, not the host state
        return Organization(surface, "other", None, None, {surface})
    if surface in lex.foreign_states:
        return Organization(surface, "government", None, None, {surface})
    if surface in lex.international_bodies:
        return Organization(surface, "other", None, None, {surface})

    for party_surface, party_short in rules.parties:
        if surface.startswith(party_surface):
            rest = surface[len(party_surface):]
            place, core, _ = _split_place(rest, jurisdiction, lex) if rest else (None, "", False)
            level_name = place.name if place else ""
            if core in ("委", "委员会", "市委", "省委", "县委"):
                name = f"{party_short}{level_name}委员会"
            elif core in ("中央", ""):
                name = f"{party_short}中央委员会" if core == "中央" else party_short
            else:
                name = f"{party_short}{level_name}{core}"
            return _org(name, "democratic_party", place, surface)

    if surface in bodies["party_departments"]["names"]:
        committee = party_context or resolve(party_committee_of(jurisdiction, lex), jurisdiction, lex)
        short = committee.name.removesuffix("委员会") + "委" if committee.name.endswith("委员会") else committee.name
        org = Organization(f"{short}{surface}", "department", committee.jurisdiction, committee.jurisdiction_code, {surface})
        org.parent = committee.name
        return org

    place, core, written = _split_place(surface, jurisdiction, lex)
    relative_head = None if written else (surface[0] if surface[0] in lex.relative_levels and place is None else None)
    if place is not None or relative_head is not None:
        for core_surface, opts in rules.cores:
            if core == core_surface:
                kind = opts["kind"]
                if "parent" in opts:
                    parent_surface = surface[: len(surface) - len(core)] + ("委" if opts["parent"] == "party_committee" else "政府")
                    parent = resolve(parent_surface, jurisdiction, lex)
                    dept = opts.get("dept", core)
                    short = parent.name.removesuffix("委员会") + "委" if parent.name.endswith("委员会") else parent.name
                    org = _org(f"{short}{dept}", kind, place, surface)
                    org.parent = parent.name
                    return org
                name = (opts["name"].format(place=place.name if place else relative_head) if "name" in opts
                        else _template(kind, place, relative_head, lex))
                return _org(name or surface, kind, place, surface)
    kind = kind_by_suffix(surface, lex)
    if place is not None and not written:
        # 科技局 written as 市科技局: name it with the place so two cities' bureaus stay apart
        return _org(place.name + core, kind, place, surface)
    if surface.startswith(lex.national_prefixes):
        # 全国人大宪法和法律委员会, 国家发展改革委: national bodies keep their own names
        return Organization(surface, kind, places.NATIONAL.name, places.NATIONAL.code, {surface})
    if (place is None and jurisdiction is not None and jurisdiction.place is not None and jurisdiction.level != "national"
            and kind == "department" and not written):
        # 科技局 in a county report: that county's bureau, so two counties' bureaus stay apart
        return _org(jurisdiction.place.name + surface, kind, jurisdiction.place, surface)
    return _org(surface, kind, place, surface)


def kind_by_suffix(surface: str, lex: "Lexicon") -> str:
    for suffix, kind in lex.body_rules.suffixes:
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
