"""China's administrative divisions as a gazetteer, place mentions in text, and a document's jurisdiction.

The divisions come from the data file that the ``cpca`` package ships (``cpca/resources/adcodes.csv``:
``adcode,name,longitude,latitude``, 12-digit codes).  We read only that file, located with
:func:`importlib.util.find_spec`, and never import ``cpca`` itself (it imports pandas, which is slow).

Code structure: a province is ``PP0000000000``, a prefecture ``PPCC00000000``, a county ``PPCCDD000000``.
A few "prefectures" are bookkeeping rows, not places (北京 ``市辖区``, 重庆 ``县``, ``省直辖县级行政区划``);
they are dropped and their counties hang directly under the province, so 东城区's parent is 北京市.

Matching rules that are knowledge rather than logic live in ``lexicons/places.toml`` (which short
names are safe, which need a qualifier, which phrases are not places at all, the unit endings and
nationalities stripped from names) and the jurisdiction cue words in ``lexicons/jurisdiction.toml``; both
are documented in ``lexicons/README.md``. :class:`Places` is built from a :class:`~guanxi.loaders.lexicon.Lexicon`
(``lexicon.places``); the module-level functions are conveniences over the default lexicon for scripts.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import pathlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .lexicon import Lexicon

try:  # Aho-Corasick keeps scanning linear in the text, whatever the number of names
    import ahocorasick
except ImportError:  # pragma: no cover - exercised only where pyahocorasick is missing
    ahocorasick = None

LEVELS = ("national", "province", "prefecture", "county")
_RANK = {level: i for i, level in enumerate(LEVELS)}  # lower = more senior

NATIONAL_CODE = "000000000000"


@dataclass(frozen=True)
class Place:
    code: str                       # 12-digit administrative code
    name: str                       # full name: 河北省, 唐山市, 路北区
    short: str                      # 河北, 唐山, 路北 (never a single character)
    level: str                      # 'national' | 'province' | 'prefecture' | 'county'
    parent_code: str | None = None  # None for provinces and the nation
    longitude: float | None = field(default=None, compare=False, repr=False)
    latitude: float | None = field(default=None, compare=False, repr=False)


NATIONAL = Place(NATIONAL_CODE, "中华人民共和国", "中国", "national", None)


def _level_of(code: str) -> str:
    if code[2:] == "0" * 10:
        return "province"
    if code[4:] == "0" * 8:
        return "prefecture"
    return "county"


def _read_adcodes() -> list[dict[str, str]]:
    """cpca's table, located without importing cpca: importlib.resources.files("cpca") would run its
    __init__, which imports pandas (~0.4 s).  find_spec only locates the package."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the cpca package (which ships adcodes.csv) is not installed")
    path = pathlib.Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _sort_key(place: Place) -> tuple[int, str]:
    return (_RANK[place.level], place.code)


# --------------------------------------------------------------------------------------------------
# surface matching (shared with other lexicon matchers, e.g. industries)


def surface_matcher(surfaces: Iterable[str]) -> Callable[[str], list[tuple[int, int, str]]]:
    """A function giving every (start, end, surface) occurrence of the surfaces in a text, overlaps included."""
    keys = sorted({s for s in surfaces if s})
    if ahocorasick is not None:
        automaton = ahocorasick.Automaton()
        for key in keys:
            automaton.add_word(key, key)
        if not keys:
            return lambda text: []
        automaton.make_automaton()

        def find(text: str) -> list[tuple[int, int, str]]:
            return [(end + 1 - len(key), end + 1, key) for end, key in automaton.iter(text)]

        return find

    keyset, lengths = set(keys), sorted({len(k) for k in keys})  # slow fallback: a dict probe per length

    def find_slow(text: str) -> list[tuple[int, int, str]]:
        return [(i, i + n, text[i:i + n]) for i in range(len(text)) for n in lengths if text[i:i + n] in keyset]

    return find_slow


def leftmost_longest(spans: Iterable[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Non-overlapping spans read left to right, taking the longest match at each position.

    Left to right (not globally longest) because Chinese place chains read that way: 上海城区 is 上海 + 城区,
    not 上 + 海城区 (a county in 北海); and a blocker phrase can then veto what starts inside it.
    """
    taken: list[tuple[int, int, object]] = []
    reach = 0
    for span in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if span[0] >= reach:
            taken.append(span)
            reach = span[1]
    return taken


# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    surface: str                    # text[start:end]
    place: Place                    # the chosen reading
    candidates: tuple[Place, ...]   # every reading that was allowed here, chosen one included
    reason: str                     # 'unique' | 'qualified' (an enclosing unit named just before) | 'context' | 'seniority'


@dataclass(frozen=True)
class Jurisdiction:
    place: Place | None   # None when the level is clear but the place is never named (redacted texts)
    level: str            # 'national' | 'province' | 'prefecture' | 'county'
    evidence: str         # short human-readable why


@dataclass(frozen=True)
class _MatchRules:
    free: dict[str, tuple[Place, ...]]        # surface → places it may name anywhere
    qualified: dict[str, tuple[Place, ...]]   # surface → places it may name only right after an enclosing unit
    blockers: frozenset[str]                  # phrases that contain names but are not place mentions
    followed_by: tuple[str, ...]              # a name followed by one of these is not that name (延安舰: a ship)
    find: Callable[[str], list[tuple[int, int, str]]]


@dataclass(frozen=True)
class _Cues:
    level_of: dict[str, str]       # cue → level
    weight_of: dict[str, float]    # cue → weight
    unit_of: dict[str, str]        # cue → the unit character it is about (市, 县 …), '' for none
    excluded: frozenset[str]
    min_level_score: dict[str, float]  # bare-cue weight a level needs before it is believed
    weights: dict[str, float]
    min_place_score: float
    find: Callable[[str], list[tuple[int, int, str]]]


class Places:
    """The gazetteer (from cpca's table) with the matching rules and jurisdiction cues of one lexicon."""

    def __init__(self, rows: Iterable[dict[str, str]], places_rules: dict[str, Any], jurisdiction_rules: dict[str, Any]):
        units = places_rules.get("units", {})
        self._suffixes = tuple(sorted(units.get("suffixes", []), key=len, reverse=True))
        self._ethnic = tuple(sorted(units.get("ethnic_groups", []), key=len, reverse=True))
        self._pseudo = frozenset(units.get("pseudo_units", []))
        self._everyday = dict(units.get("everyday_forms", {}))
        self._relative = {k: tuple(v) for k, v in units.get("relative", {}).items()}
        self._rules_data = places_rules
        self._cue_data = jurisdiction_rules
        self.by_code = self._build(rows)
        names: dict[str, set[Place]] = {}
        for place in self.by_code.values():
            for name in (place.name, place.short, *self.generated_aliases(place)):
                names.setdefault(name, set()).add(place)
        for alias, full in places_rules.get("aliases", {}).items():
            for place in (p for p in self.by_code.values() if p.name == full):
                names.setdefault(alias, set()).add(place)
        self.by_name = {k: tuple(sorted(v, key=_sort_key)) for k, v in names.items()}
        self._rules = self._match_rules()
        self._cues = self._build_cues()

    @classmethod
    def build(cls, lexicon: "Lexicon") -> "Places":
        return cls(_read_adcodes(), lexicon.places_rules, lexicon.jurisdiction_rules)

    # ---------------------------------------------------------------------------------------------
    # names

    def short_name(self, full: str) -> str:
        """河北省 → 河北, 延边朝鲜族自治州 → 延边, 忠县 → 忠县 (a one-character short name is useless)."""
        for suffix in self._suffixes:
            if full.endswith(suffix) and len(full) > len(suffix):
                stem = full[: -len(suffix)]
                if "自治" in suffix:
                    stem = self._strip_ethnic(stem)
                return stem if len(stem) >= 2 else full
        return full

    def _strip_ethnic(self, stem: str) -> str:
        """Peel nationality names off the end (围场满族蒙古族 → 围场) but stop before leaving < 2 characters."""
        changed = True
        while changed:
            changed = False
            for eth in self._ethnic:
                # one-character names (回, 白, 水 …) only with 族, so that a stem ending in 水 is left alone
                for form in (eth + "族",) if len(eth) == 1 else (eth + "族", eth):
                    if stem.endswith(form) and len(stem) - len(form) >= 2:
                        stem = stem[: -len(form)]
                        changed = True
                        break
                if changed:
                    break
        return stem

    def generated_aliases(self, place: Place) -> list[str]:
        """Everyday forms the official name does not contain: 海西蒙古族藏族自治州 is 海西州 in the news."""
        return [place.short + unit for suffix, unit in self._everyday.items()
                if place.name.endswith(suffix) and place.short != place.name]

    def _build(self, rows: Iterable[dict[str, str]]) -> dict[str, Place]:
        """Rows of adcodes.csv → places by code, with bookkeeping prefectures dropped and parents fixed."""
        rows = [r for r in rows if r.get("adcode") and r.get("name")]
        pseudo = {r["adcode"] for r in rows if r["name"] in self._pseudo}
        present = {r["adcode"] for r in rows}
        places: dict[str, Place] = {NATIONAL_CODE: NATIONAL}
        for r in rows:
            code, name = r["adcode"], r["name"].strip()
            if code in pseudo:
                continue
            level = _level_of(code)
            parent_code = None
            if level == "prefecture":
                parent_code = code[:2] + "0" * 10
            elif level == "county":
                prefecture = code[:4] + "0" * 8
                parent_code = prefecture if prefecture in present and prefecture not in pseudo else code[:2] + "0" * 10
            places[code] = Place(code, name, self.short_name(name), level, parent_code,
                                 _float(r.get("longitude")), _float(r.get("latitude")))
        return places

    # ---------------------------------------------------------------------------------------------
    # the hierarchy

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name`` (full name, short name or alias), most senior level first."""
        return list(self.by_name.get(name.strip(), ()))

    def get(self, code: str) -> Place | None:
        return self.by_code.get(code)

    def parent(self, place: Place) -> Place | None:
        return self.by_code.get(place.parent_code) if place.parent_code else None

    def ancestors(self, place: Place) -> list[Place]:
        """Enclosing units, nearest first, ending with the province (the nation is not included)."""
        out = []
        p = self.parent(place)
        while p is not None:
            out.append(p)
            p = self.parent(p)
        return out

    def province_of(self, place: Place) -> Place | None:
        """The province-level unit a place is in (a province is its own); None for the nation."""
        if place.level == "national":
            return None
        if place.level == "province":
            return place
        chain = self.ancestors(place)
        return chain[-1] if chain else None

    # ---------------------------------------------------------------------------------------------
    # place mentions

    def _match_rules(self) -> _MatchRules:
        """Sort every name of every place into 'free' or 'needs a qualifier' (why: see lexicons/places.toml)."""
        lex = self._rules_data
        county_short_ok = set(lex.get("county_short_names", {}).get("allow", []))
        needs_qualifier = set(lex.get("needs_qualifier", {}).get("names", []))
        trusted_short_counties = set(lex.get("two_character_counties", {}).get("trusted", []))
        blockers = frozenset(lex.get("not_places", {}).get("phrases", []))
        followed_by = tuple(lex.get("not_places", {}).get("followed_by", []))
        aliases = lex.get("aliases", {})
        free: dict[str, set[Place]] = {}
        qualified: dict[str, set[Place]] = {}
        for name, places in self.by_name.items():
            for place in places:
                if len(name) < 2:
                    continue
                if place.level == "national":
                    ok = True
                elif name in aliases or name == place.name or name in self.generated_aliases(place):
                    # full names are safe, except two-character county names (和县, 城区, 新县, 高县 …) which are
                    # often the tail of ordinary words (各市和县, 提高县域)
                    ok = not (place.level == "county" and len(name) == 2 and name not in trusted_short_counties)
                else:  # a short name
                    ok = place.level in ("province", "prefecture") or name in county_short_ok
                if name in needs_qualifier:
                    ok = False
                (free if ok else qualified).setdefault(name, set()).add(place)
        freeze = lambda d: {k: tuple(sorted(v, key=_sort_key)) for k, v in d.items()}  # noqa: E731
        return _MatchRules(freeze(free), freeze(qualified), blockers, followed_by,
                           surface_matcher([*free, *qualified, *blockers]))

    def _enclosing_names(self, place: Place) -> set[str]:
        names = set()
        for a in self.ancestors(place):
            names.update((a.name, a.short, *self.generated_aliases(a)))
        return {n for n in names if len(n) >= 2}

    def _qualified_by(self, text: str, start: int, place: Place) -> bool:
        """True when an enclosing unit is named right before: 山西大同, 河南信阳新县, 北京朝阳."""
        before = text[max(0, start - 12):start]
        return any(before.endswith(n) for n in self._enclosing_names(place))

    def resolve_mentions(self, text: str) -> list[PlaceMention]:
        """Place mentions, non-overlapping, longest match first (left to right), each resolved to one place.

        A name with several readings is resolved by, in order: an enclosing unit named right before it (北京朝阳);
        a province reading, if there is one (海南 is the province far more often than 海南州); support from the
        other, unambiguous mentions in the text — an enclosing unit named anywhere counts double, any place in the
        same province once; then seniority.  A county's short name may also be read where the same name is
        matched anyway and the county's parent is named elsewhere in the text (朝阳 in a Beijing story).
        """
        rules = self._rules
        spans = []
        for start, end, surface in rules.find(text):
            if surface in rules.blockers:
                spans.append((start, end, None))  # wins its span, then vanishes
                continue
            if text.startswith(rules.followed_by, end):
                continue  # a namesake (延安舰) or an ordinary word (南海区域): not this name, maybe a shorter one
            free = rules.free.get(surface, ())
            adjacent = tuple(p for p in rules.qualified.get(surface, ()) if self._qualified_by(text, start, p))
            if free or adjacent:
                spans.append((start, end, (free, adjacent)))
        chosen = [s for s in leftmost_longest(spans) if s[2] is not None]

        settled = [(s, e, (c[0] or c[1])[0]) for s, e, c in chosen if len(c[0]) + len(c[1]) == 1]
        settled_codes = {p.code for _s, _e, p in settled}
        mentions = []
        for start, end, (free, adjacent) in chosen:
            surface = text[start:end]
            # readings that need a qualifier, backed here by their parent named elsewhere in the text (朝阳 in a
            # story that names 北京); the province alone is too weak (西安 in a story that names 吉林)
            backed = tuple(p for p in rules.qualified.get(surface, ()) if p not in adjacent
                           and p.parent_code in settled_codes) if free else ()
            candidates = tuple(sorted(set((*adjacent, *free, *backed)), key=_sort_key))
            if len(candidates) == 1:
                mentions.append(PlaceMention(start, end, surface, candidates[0], candidates, "unique"))
                continue
            near = tuple(p for p in candidates if p in adjacent or self._qualified_by(text, start, p))
            place, reason = self._choose(candidates, near, surface, settled, start)
            mentions.append(PlaceMention(start, end, surface, place, candidates, reason))
        return mentions

    def _choose(self, candidates: tuple[Place, ...], near: tuple[Place, ...], surface: str,
                settled: list[tuple[int, int, Place]], here: int) -> tuple[Place, str]:
        """One reading: the one right after its enclosing unit; else the province; else context; else seniority."""
        if len(near) == 1:
            return near[0], "qualified"
        pool = near or list(candidates)
        provinces = [p for p in pool if p.level == "province"]
        if len(provinces) == 1:
            return provinces[0], "seniority"
        support = {p.code: self._support(p, surface, settled, here) for p in pool}
        best = max(support.values())
        top = [p for p in pool if support[p.code] == best]
        if best > 0 and len(top) == 1:
            return top[0], "context"
        return min(top, key=_sort_key), "seniority"

    def _support(self, place: Place, surface: str, settled: list[tuple[int, int, Place]], here: int) -> int:
        enclosing = {a.code for a in self.ancestors(place)}
        province = self.province_of(place)
        score = 0
        for start, _end, other in settled:
            if start == here or other.level == "national" or surface in (other.short, other.name):
                continue  # the same name elsewhere is no evidence for one of its own readings
            if other.code in enclosing:
                score += 2
            elif province is not None and self.province_of(other) == province:
                score += 1
        return score

    def find_places(self, text: str) -> list[tuple[int, int, Place]]:
        """(start, end, place) for each place mention in text; see :meth:`resolve_mentions`."""
        return [(m.start, m.end, m.place) for m in self.resolve_mentions(text)]

    # ---------------------------------------------------------------------------------------------
    # jurisdiction: whose bodies a bare 市委 / 县政府 refers to

    def _build_cues(self) -> _Cues:
        lex = self._cue_data
        level_of, weight_of, unit_of, min_level_score = {}, {}, {}, {}
        for level, spec in lex.get("levels", {}).items():
            if level not in LEVELS:
                raise ValueError(f"jurisdiction.toml: unknown level {level!r}")
            min_level_score[level] = float(spec.get("min_score", 1))
            for kind, default_weight in (("cues", 1.0), ("self", 3.0)):
                weight = float(spec.get(f"{kind}_weight", default_weight))
                for cue in spec.get(kind, []):
                    level_of[cue], weight_of[cue] = level, weight
                    unit_of[cue] = next((u for u in spec.get("units", []) if cue.lstrip("全我本").startswith(u)), "")
        excluded = frozenset(lex.get("exclude", {}).get("phrases", []))
        weights = {k: float(v) for k, v in lex.get("place_weights", {}).items()}
        return _Cues(level_of, weight_of, unit_of, excluded, min_level_score, weights, float(lex.get("min_place_score", 2)),
                     surface_matcher([*level_of, *excluded]))

    def _cue_hits(self, text: str, mentions: list[PlaceMention]) -> tuple[Counter, Counter]:
        """(bare cue counts by cue, named-body counts by place code).

        A cue glued to a place name is not bare: 唐山市政协 is Tangshan's 政协 wherever the text was written,
        so it is evidence for that place (named), not for "the city this text is about" (bare).
        """
        cues = self._cues
        bare: Counter = Counter()
        named: Counter = Counter()
        by_end = {m.end: m for m in mentions}
        for start, end, cue in leftmost_longest(cues.find(text)):
            if cue in cues.excluded:
                continue
            # the place may end right before the cue (重庆全市) or share the cue's unit (唐山市|市政协,
            # 西藏自治区|自治区党委)
            unit = cues.unit_of[cue]
            owner = by_end.get(start)
            if owner is None and unit and text.startswith(unit, start):
                owner = by_end.get(start + len(unit))
            if owner is not None and owner.start < start:
                named[owner.place.code] += 1
            else:
                bare[cue] += 1
        return bare, named

    def infer_jurisdiction(self, text: str, title: str | None = None,
                           mentions: list[PlaceMention] | None = None) -> Jurisdiction | None:
        """The unit whose bodies the text's bare 市委/县政府/省委 refer to, or None when nothing says.

        The level comes from bare body abbreviations (lexicons/jurisdiction.toml); the place is the unit of that
        level (市 cues: any unit called …市, municipalities and county-level cities included) scoring highest on
        named bodies, title mentions and text mentions — and is left None when no unit is named convincingly.
        ``mentions``: the text's place mentions when they are already known.
        """
        cues = self._cues
        parts = [(title, True, None)] if title else []
        parts.append((text or "", False, mentions))
        bare: Counter = Counter()
        score: Counter = Counter()
        tally: dict[str, Counter] = {}
        for part, in_title, known in parts:
            part_mentions = known if known is not None else self.resolve_mentions(part)
            part_bare, named = self._cue_hits(part, part_mentions)
            bare.update(part_bare)
            for code, n in named.items():
                score[code] += n * cues.weights.get("named_body", 5)
                tally.setdefault(code, Counter())["named"] += n
            for m in part_mentions:
                key = "title" if in_title else "mention"
                score[m.place.code] += cues.weights.get(key, 3 if in_title else 1)
                tally.setdefault(m.place.code, Counter())[key] += 1

        by_level = Counter()
        for cue, n in bare.items():
            by_level[cues.level_of[cue]] += n * cues.weight_of[cue]
        level = _pick_level(Counter({k: v for k, v in by_level.items() if v >= cues.min_level_score.get(k, 1)}))
        if level is None:
            return None
        cue_note = ", ".join([f"{c}×{n}" for c, n in bare.most_common() if cues.level_of[c] == level][:4])
        if level == "national":
            return Jurisdiction(NATIONAL, "national", f"national cues: {cue_note}")

        fits = [code for code in score if _fits_level(self.by_code[code], level)]
        if fits:
            order = {code: i for i, code in enumerate(score)}  # title first, then text order: ties go to the earlier
            best = max(fits, key=lambda c: (score[c], -order[c]))
            if score[best] >= cues.min_place_score:
                place = self.by_code[best]
                how = ", ".join(f"{k}×{v}" for k, v in tally[best].items())
                return Jurisdiction(place, place.level, f"{cue_note}; {place.name}: {how}")
        return Jurisdiction(None, level, f"{cue_note}; no {level} named")

    def resolve_relative(self, abbrev: str, jurisdiction: Jurisdiction | None) -> Place | None:
        """The unit a bare 省/市/县/区 means in a text of this jurisdiction: the nearest enclosing unit (the
        jurisdiction's place included) of that kind.  In a 唐山 text 市 → 唐山市 and 省 → 河北省."""
        if jurisdiction is None or jurisdiction.place is None or jurisdiction.place.level == "national":
            return None
        endings = self._relative.get(abbrev.strip())
        if endings is None:
            return None
        for unit in (jurisdiction.place, *self.ancestors(jurisdiction.place)):
            if unit.name.endswith(endings):
                return unit
        return None


def _pick_level(by_level: Counter) -> str | None:
    """The most local level that has bare cues wins ties: a county text cites 市委 above it more often than a
    city text cites 县委 below it; provinces and the nation only when nothing more local speaks."""
    county, prefecture = by_level.get("county", 0), by_level.get("prefecture", 0)
    if county or prefecture:
        return "county" if county >= prefecture else "prefecture"
    if by_level.get("province"):
        return "province"
    if by_level.get("national"):
        return "national"
    return None


def _fits_level(place: Place, level: str) -> bool:
    if level == "prefecture":  # 市委 also belongs to municipalities and county-level cities
        return place.level == "prefecture" or (place.level in ("province", "county") and place.name.endswith("市"))
    return place.level == level


def is_municipality(place: Place) -> bool:
    """北京 天津 上海 重庆: province-level units whose bodies are 市委/市政府."""
    return place.level == "province" and place.name.endswith("市")


# --------------------------------------------------------------------------------------------------
# conveniences over the default lexicon (scripts, the graph side); extraction components use lexicon.places


def _default() -> Places:
    from .lexicon import default_lexicon

    return default_lexicon().places


def lookup(name: str) -> list[Place]:
    return _default().lookup(name)


def get(code: str) -> Place | None:
    return _default().get(code)


def parent(place: Place) -> Place | None:
    return _default().parent(place)


def ancestors(place: Place) -> list[Place]:
    return _default().ancestors(place)


def province_of(place: Place) -> Place | None:
    return _default().province_of(place)


def short_name(full: str) -> str:
    return _default().short_name(full)


def find_places(text: str) -> list[tuple[int, int, Place]]:
    return _default().find_places(text)


def resolve_mentions(text: str) -> list[PlaceMention]:
    return _default().resolve_mentions(text)


def infer_jurisdiction(text: str, title: str | None = None) -> Jurisdiction | None:
    return _default().infer_jurisdiction(text, title)


def resolve_relative(abbrev: str, jurisdiction: Jurisdiction | None) -> Place | None:
    return _default().resolve_relative(abbrev, jurisdiction)
