"""The Chinese language knowledge, read from the data files in ``loaders/lexicons/`` and checked in one place.

Every extraction component receives a :class:`Lexicon` (nothing reads a lexicon file behind its back), so a
test or a researcher can give one component a lexicon of their own in-process::

    lex = Lexicon.load("my-lexicons/")          # files there replace the bundled ones of the same name
    pipeline = Pipeline.from_config(lexicon=lex)

Each file is documented in ``loaders/lexicons/README.md``. ``GUANXI_LEXICONS`` names a folder whose files of
the same names replace the bundled ones (``Lexicon.load()`` reads it). Every file is validated when loaded:
a missing table, a value of the wrong type or an unknown option is a :class:`LexiconError` naming the file
and the entry, never a failure later in the middle of a document.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
import functools
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

BUNDLED_FILES = (
    "titles.toml", "names.toml", "surnames.txt", "non_names.txt", "foreign.txt", "verbs.toml", "events.toml",
    "directives.toml", "bodies.toml", "places.toml", "jurisdiction.toml", "industries.toml", "chrome.toml",
    "model_places.txt",
)


class LexiconError(ValueError):
    """A lexicon file that cannot be used: which file, which entry, what is wrong."""

    def __init__(self, name: str, problem: str):
        self.file = name
        self.problem = problem
        super().__init__(f"lexicon {name}: {problem}")


def bundled_dir() -> Path:
    return Path(str(resources.files("guanxi.loaders").joinpath("lexicons")))


def lexicon_path(name: str, override: str | os.PathLike[str] | None = None) -> Path:
    """The file a lexicon is read from: the user's copy (``override``, else ``GUANXI_LEXICONS``) if it has one."""
    folder = override if override is not None else os.environ.get("GUANXI_LEXICONS")
    if folder and (Path(folder) / name).is_file():
        return Path(folder) / name
    return bundled_dir() / name


def lexicon_text(name: str, override: str | os.PathLike[str] | None = None) -> str:
    return lexicon_path(name, override).read_text(encoding="utf-8")


@dataclass(frozen=True)
class TitleInfo:
    surface: str
    title: str
    implies: str | None
    under: str | None
    leader: bool
    after_name: bool = False     # may follow a name as its title (普京总统, 张三院士)
    of_person: bool = False      # stands for a person, whose title and name come before it (国家主席习近平特使)
    of_state: bool = False       # in a foreign chain, a post of the state, not of the party before it (越共中央总书记、国家主席)
    own_body: bool = False       # names its own body (外长, 国防部长): never the body of the item before it in a chain
    model_name: bool = False     # the name after it must be one the model reads, or a transliteration (专家|普遍认为)


_TITLE_OPTIONS = {"title", "implies", "under", "leader", "after_name", "of_person", "of_state", "own_body", "model_name"}


_POS_CACHE_SIZE = 20_000   # entries of about 1 KB (a phrase and its tokens): at most about 20 MB a process


def _patterns(r, where: str, patterns: tuple[str, ...], suffix: str = "") -> re.Pattern | None:
    """One regular expression matching any of a lexicon's patterns (None when there are none); a pattern that does
    not compile is the lexicon's error, named with its file and table."""
    if not patterns:
        return None
    try:
        return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + ")" + suffix)
    except re.error as exc:
        raise LexiconError(r.name, f"{where}: not a regular expression ({exc})") from exc


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    words = _longest_first(w for w in words if w)
    return re.compile("|".join(map(re.escape, words)) if words else r"(?!x)x")


class _Reader:
    """Typed access to one parsed TOML file, with errors that name the file and the key."""

    def __init__(self, name: str, data: dict[str, Any]):
        self.name = name
        self.data = data

    def table(self, *path: str, required: bool = True) -> dict[str, Any]:
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                if not required:
                    return {}
                raise LexiconError(self.name, f"missing table [{'.'.join(path)}]")
            node = node[key]
        if not isinstance(node, dict):
            raise LexiconError(self.name, f"[{'.'.join(path)}] must be a table")
        return node

    def words(self, *path: str, required: bool = True) -> tuple[str, ...]:
        *table, key = path
        node = self.table(*table, required=required) if table else self.data
        if key not in node:
            if required:
                raise LexiconError(self.name, f"missing {'.'.join(path)}")
            return ()
        value = node[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise LexiconError(self.name, f"{'.'.join(path)} must be a list of non-empty strings")
        return tuple(value)

    def chars(self, *path: str) -> frozenset[str]:
        *table, key = path
        node = self.table(*table)
        value = node.get(key)
        if not isinstance(value, str):
            raise LexiconError(self.name, f"{'.'.join(path)} must be a string of characters")
        return frozenset(value)

    def integer(self, *path: str) -> int:
        *table, key = path
        value = self.table(*table).get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise LexiconError(self.name, f"{'.'.join(path)} must be a non-negative integer")
        return value

    def string_map(self, *path: str, required: bool = True) -> dict[str, str]:
        node = self.table(*path, required=required)
        for k, v in node.items():
            if not isinstance(v, str):
                raise LexiconError(self.name, f"[{'.'.join(path)}] {k!r} must map to a string")
        return dict(node)


class Lexicon:
    """All the language knowledge one extraction run uses, read from a folder of data files.

    Attributes are read eagerly (every file is parsed and checked by :meth:`load`); structures built from
    them (the gazetteer, compiled patterns) are built on first use and kept on this instance only.
    """

    def __init__(self, texts: dict[str, str], paths: dict[str, Path] | None = None):
        self.texts = texts
        self.paths = paths or {}
        self._parse()

    # ------------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, override: str | os.PathLike[str] | None = None) -> "Lexicon":
        """The bundled lexicons, with the files of ``override`` (default: ``$GUANXI_LEXICONS``) in their place."""
        if override is not None and not Path(override).is_dir():
            raise LexiconError(str(override), "is not a folder of lexicon files")
        paths = {name: lexicon_path(name, override) for name in BUNDLED_FILES}
        texts = {}
        for name, path in paths.items():
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise LexiconError(name, f"cannot read {path}: {exc}") from None
        return cls(texts, paths)

    def toml(self, name: str) -> _Reader:
        try:
            return _Reader(name, tomllib.loads(self.texts[name]))
        except tomllib.TOMLDecodeError as exc:  # a user's edit broke the file: say which one
            raise LexiconError(name, str(exc)) from None

    def word_list(self, name: str) -> tuple[str, ...]:
        """Whitespace-separated words; '#' starts a comment."""
        words: list[str] = []
        for line in self.texts[name].splitlines():
            words.extend(line.split("#", 1)[0].split())
        return tuple(words)

    def sections(self, name: str) -> dict[str, tuple[str, ...]]:
        """A word list in ``[section]`` blocks (foreign.txt)."""
        out: dict[str, list[str]] = {}
        current: str | None = None
        for number, line in enumerate(self.texts[name].splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1].strip()
                out.setdefault(current, [])
            elif line:
                if current is None:
                    raise LexiconError(name, f"line {number}: words before the first [section]")
                out[current].extend(line.split())
        return {k: tuple(v) for k, v in out.items()}

    # ------------------------------------------------------------------------------------------------
    def _parse(self) -> None:
        self._parse_titles()
        self._parse_names()
        self._parse_people_lists()
        self._parse_verbs()
        self._parse_events()
        self._parse_directives()
        self._parse_bodies()
        self.places_rules = self.toml("places.toml").data
        self.jurisdiction_rules = self.toml("jurisdiction.toml").data
        _Reader("places.toml", self.places_rules).table("units")

    def _parse_titles(self) -> None:
        raw = self.toml("titles.toml").table("titles")
        titles: dict[str, TitleInfo] = {}
        for surface, opts in raw.items():
            if not isinstance(opts, dict) or set(opts) - _TITLE_OPTIONS:
                unknown = sorted(set(opts) - _TITLE_OPTIONS) if isinstance(opts, dict) else opts
                raise LexiconError("titles.toml", f"title {surface!r}: unknown options {unknown}")
            if opts.get("under") not in (None, "party_committee", "government"):
                raise LexiconError("titles.toml", f"title {surface!r}: under must be party_committee or government")
            titles[surface] = TitleInfo(surface, opts.get("title", surface), opts.get("implies"), opts.get("under"),
                                        bool(opts.get("leader", False)), bool(opts.get("after_name", opts.get("leader", False))),
                                        bool(opts.get("of_person", False)), bool(opts.get("of_state", False)),
                                        bool(opts.get("own_body", False)), bool(opts.get("model_name", False)))
        self.titles = titles
        self.title_pattern = _alternation(titles)
        self.title_lengths = sorted({len(t) for t in titles}, reverse=True)
        self.leader_titles = _longest_first(t for t, i in titles.items() if i.leader)
        self.after_name_titles = _longest_first(t for t, i in titles.items() if i.after_name)

    def _parse_names(self) -> None:
        r = self.toml("names.toml")
        self.boundary = r.chars("characters", "boundary")
        self.function_chars = r.chars("characters", "function")
        self.joiners = r.chars("characters", "joiners")
        self.pronouns = r.chars("characters", "pronouns")
        self.time_chars = r.chars("characters", "time")
        # the characters that end a transliterated name read up to the next word (普京|未, 格罗西|在)
        self.name_end_chars = self.function_chars | self.time_chars
        self.title_continuations = r.chars("characters", "title_continuations")
        self.transliteration_strict = r.chars("characters", "transliteration_strict")
        self.transliteration_wide = r.chars("characters", "transliteration_wide")
        self.not_foreign_start = r.chars("characters", "not_foreign_start")
        self.before_leader_name = r.chars("characters", "before_leader_name")
        self.before_name = r.chars("characters", "before_name") | self.function_chars | self.before_leader_name
        self.redaction_chars = r.chars("characters", "redaction")
        self.time_before_qian = r.chars("characters", "time_before_qian")
        self.body_conjunctions = r.chars("characters", "body_conjunctions")
        self.title_separators = r.chars("characters", "title_separators")
        self.appointment_verbs = _longest_first(r.words("characters", "appointment"))
        self.max_foreign_name = r.integer("limits", "foreign_name")
        self.max_body_phrase = r.integer("limits", "body_phrase")
        self.conjunction_ok_before = r.words("body_phrase", "conjunction_ok_before")
        self.body_stop_tags = r.words("body_phrase", "stop_tags")
        self.body_tags = r.words("body_phrase", "body_tags")
        self.stop_tag_allowed = frozenset(r.words("body_phrase", "stop_tag_allowed"))
        self.body_stop_words = frozenset(r.words("body_phrase", "stop_words"))
        self.bare_bodies = frozenset(r.words("body_phrase", "bodies"))
        self.honorifics_after = _longest_first(r.words("honorifics", "after_surname"))
        self.honorifics_before = frozenset(r.words("honorifics", "before_surname"))
        self.comrade = _longest_first(r.words("honorifics", "comrade"))
        self.relatives = _longest_first(r.words("honorifics", "relatives"))
        self.context_after = _longest_first(r.words("context", "after"))
        self.context_before = _longest_first(r.words("context", "before"))
        self.mid_word_tags = frozenset(r.words("context", "mid_word_tags"))
        self.noun_tags = frozenset(r.words("context", "noun_tags"))
        self.weak_context = frozenset(r.words("context", "weak"))
        self.strong_context_after = _longest_first(w for w in self.context_after if w not in self.weak_context)
        self.strong_context_before = _longest_first(w for w in self.context_before if w not in self.weak_context)
        self.credit_before = _longest_first(r.words("credits", "before"))
        self.credit_after = _longest_first(r.words("credits", "after"))
        self.side_endings = frozenset(r.words("model", "side_endings"))
        self.state_group_endings = frozenset(r.words("model", "state_group_endings"))
        self.not_person_starts = frozenset(r.words("model", "not_person_starts"))
        self.min_name_chars = r.integer("model", "min_chars")
        self.not_person_endings = _longest_first(r.words("model", "not_person_endings"))
        self.body_member_words = _longest_first(r.words("model", "body_member_words"))
        self.redaction_pattern = re.compile("[" + re.escape("".join(sorted(self.redaction_chars))) + "]{2,}")

    def _parse_people_lists(self) -> None:
        surnames = self.word_list("surnames.txt")
        self.compound_surnames = frozenset(s for s in surnames if len(s) == 2)
        self.surnames = frozenset(s for s in surnames if len(s) == 1)
        self.non_names = frozenset(self.word_list("non_names.txt"))
        foreign = self.sections("foreign.txt")
        for section in ("states", "international", "abbreviations"):
            if section not in foreign:
                raise LexiconError("foreign.txt", f"missing [{section}]")
        self.foreign_states = frozenset(foreign["states"])
        self.stateless_parties = frozenset(foreign.get("parties", ()))
        self.international_bodies = frozenset(foreign["international"]) | self.stateless_parties
        self.state_abbreviations = frozenset(foreign["abbreviations"])
        # a party written without its state's name (越共=越南): the state its posts of state belong to
        self.party_states: dict[str, str] = {}
        for token in foreign.get("party_states", ()):
            party, _, state = token.partition("=")
            if not party or not state:
                raise LexiconError("foreign.txt", f"[party_states]: {token!r} is not PARTY=STATE")
            self.party_states[party] = state
        self.parties_with_states = _longest_first(self.party_states)
        self.model_places = frozenset(self.word_list("model_places.txt"))
        # foreign towns and regions the news names that the model reads as people (汗尤尼斯, 第聂伯罗彼得罗夫斯克)
        self.foreign_places = _longest_first(foreign.get("places", ()))

    def _parse_verbs(self) -> None:
        r = self.toml("verbs.toml")
        self.speech_verbs = _longest_first(r.words("speech", "words"))
        roles = r.table("roles")
        self.roles = {}
        for role, phrases in roles.items():
            for phrase in r.words("roles", role):
                self.roles[phrase] = role
        self.meeting_suffixes = _longest_first(r.words("meetings", "suffixes"))
        self.meeting_held = _longest_first(r.words("meetings", "held"))
        self.after_name = _longest_first(r.words("after_name", "words"))
        self.addressee_starts = _longest_first(r.words("addressees", "starts"))
        self.addressee_ends = _longest_first(r.words("addressees", "ends"))
        self.addressee_separators = _longest_first(r.words("addressees", "separators"))
        self.addressee_strip = _longest_first(r.words("addressees", "strip_suffixes"))
        self.addressee_body_endings = _longest_first(r.words("addressees", "body_endings"))
        self.addressee_group_starts = _longest_first(r.words("addressees", "group_starts"))

    def _parse_events(self) -> None:
        r = self.toml("events.toml")
        self.events = r.data
        self.generic_meeting_names = frozenset(r.words("meetings", "generic_names"))
        self.meeting_name_cuts = _longest_first(r.words("meetings", "name_cuts"))
        self.meeting_lead_words = _longest_first(r.words("meetings", "lead_words"))
        self.meeting_references = _longest_first(r.words("meetings", "references"))
        self.meeting_name_keeps = _longest_first(r.words("meetings", "name_keeps"))
        self.time_of_day = _longest_first(r.words("dates", "time_of_day"))
        self.event_joining = _longest_first(r.words("attendance", "joining"))
        self.letter_recipient_markers = _longest_first(r.words("kinds", "letter", "recipient_markers"))
        self.implied_roles: list[tuple[frozenset[str], str, str, frozenset[str]]] = []
        for key in r.table("implied_roles", required=False):
            entry = r.table("implied_roles", key)
            role, implies = entry.get("role"), entry.get("implies")
            if not (isinstance(role, str) and role and isinstance(implies, str) and implies):
                raise LexiconError(r.name, f"[implied_roles.{key}] role and implies must each name one role")
            self.implied_roles.append((frozenset(r.words("implied_roles", key, "kinds")), role, implies,
                                       frozenset(r.words("implied_roles", key, "unless", required=False))))

    def _parse_directives(self) -> None:
        r = self.toml("directives.toml")
        self.directives = r.data
        self.modality = {}
        for word, strength in r.string_map("modality").items():
            self.modality[word] = strength
        self.not_modal = _longest_first(r.words("not_modal", "words"))
        self.not_modal_pattern = _patterns(r, "[not_modal] patterns", r.words("not_modal", "patterns", required=False))
        self.predictions = _longest_first(r.words("pledge", "predictions", required=False))
        self.hedges = _longest_first(r.words("pledge", "hedges", required=False))
        self.outcomes = _longest_first(r.words("pledge", "outcomes", required=False))
        self.announced_facts = _longest_first(r.words("pledge", "announced_facts", required=False))
        self.announced_decisions = _longest_first(r.words("pledge", "announced_decisions", required=False))
        self.report_formulas = _patterns(r, "[scope] report_formulas", r.words("scope", "report_formulas", required=False))
        self.instructing_starts = _longest_first(r.words("scope", "instructing_starts", required=False))
        self.assessments = _longest_first(r.words("scope", "assessments", required=False))
        self.knowing = _longest_first(r.words("scope", "knowing", required=False))
        self.cn_digits = {k: int(v) for k, v in r.table("numbers", "digits").items()}
        self.speaker_trailing = _longest_first(r.words("speakers", "trailing_adverbs"))
        self.speaker_trailing_time = _patterns(
            r, "[speakers] trailing_times / trailing_occasions",
            r.words("speakers", "trailing_times", required=False) + r.words("speakers", "trailing_occasions", required=False),
            suffix="$")                       # matched at the end of the words before the verb
        self.pronouns = frozenset(r.words("speakers", "pronouns"))
        self.meeting_speakers = _longest_first(r.words("speakers", "meeting_endings"))
        self.speech_titles = _longest_first(r.words("speakers", "speech_titles"))
        self.leading_titles = _longest_first(r.words("speakers", "leading_titles"))

    def _parse_bodies(self) -> None:
        r = self.toml("bodies.toml")
        self.bodies = r.data
        for table in ("templates", "national", "cores", "party_departments", "democratic_parties", "suffixes",
                      "relative_levels", "national_prefixes"):
            r.table(table)
        for surface, entry in r.table("national").items():
            if not isinstance(entry, dict) or not {"name", "kind"} <= set(entry):
                raise LexiconError("bodies.toml", f"national body {surface!r} needs name and kind")
        self.relative_levels = r.string_map("relative_levels", "levels")
        self.level_prefix = r.string_map("relative_levels", "prefix")
        self.national_prefixes = _longest_first(r.words("national_prefixes", "words"))

    # ------------------------------------------------------------------------------------------------
    # structures built on first use

    @cached_property
    def places(self):
        """The gazetteer of administrative divisions with this lexicon's matching rules."""
        from .places import Places

        return Places.build(self)

    @cached_property
    def body_rules(self):
        from .organizations import BodyRules

        return BodyRules(self)

    @cached_property
    def industries(self):
        from .industries import parse_vocabulary

        return parse_vocabulary(self.texts["industries.toml"])

    @cached_property
    def chrome(self):
        from .cleaning import parse_chrome_patterns

        return parse_chrome_patterns(self.texts["chrome.toml"], "chrome.toml")

    @cached_property
    def role_phrase_pattern(self) -> re.Pattern[str]:
        """The role phrases (主持, 出席, 讲话 …), longest first: at any position the longest one is taken."""
        return _alternation(self.roles)

    @cached_property
    def meeting_held_pattern(self) -> re.Pattern[str]:
        """The verbs of a held meeting (召开, 举行): a sentence without one announces no meeting."""
        return _alternation(self.meeting_held)

    @cached_property
    def pos_tokens(self) -> Callable[[str], tuple[tuple[str, str], ...]]:
        """``lex.pos_tokens(text)``: ``jieba.posseg.cut(text)`` as (word, flag) pairs, remembered for this
        lexicon: the same phrases before titles and names recur across documents (中共中央政治局常委、国务院),
        and the cut was a tenth of the rules' time. jieba's dictionary never changes once loaded, so the
        answer for a text is fixed."""
        from .names import pos_cut

        @functools.lru_cache(maxsize=_POS_CACHE_SIZE)
        def cut(text: str) -> tuple[tuple[str, str], ...]:
            return tuple((t.word, t.flag) for t in pos_cut(text))

        return cut

    @cached_property
    def context_after_pattern(self) -> re.Pattern[str]:
        return _alternation(self.context_after)

    @cached_property
    def foreign_places_pattern(self) -> re.Pattern[str]:
        """Foreign place names (汗尤尼斯): a name found inside one is part of the place, not a person."""
        return _alternation(self.foreign_places)

    @cached_property
    def speech_pattern(self) -> re.Pattern[str]:
        return _alternation(self.speech_verbs)

    @cached_property
    def after_name_pattern(self) -> re.Pattern[str]:
        """Words that end a name when they follow it: verbs.toml's after_name and the credits' endings (王新庆|摄)."""
        return _alternation((*self.after_name, *self.credit_after))

    @cached_property
    def leader_title_pattern(self) -> re.Pattern[str]:
        return _alternation(self.leader_titles)

    @cached_property
    def title_anywhere(self) -> re.Pattern[str]:
        """Every position where a title starts, overlapping (常委会委员长: both 常委 and 委员长)."""
        return re.compile("(?=(" + self.title_pattern.pattern + "))")

    def title_ending_at(self, text: str, end: int) -> TitleInfo | None:
        """The longest title that ends right before ``end``."""
        for length in self.title_lengths:
            if end - length >= 0 and text[end - length:end] in self.titles:
                return self.titles[text[end - length:end]]
        return None

    def foreign_kind(self, body_surface: str) -> str | None:
        """'state' or 'international' when the body as written ends (or starts) with a foreign state or body."""
        for length in range(min(len(body_surface), 10), 0, -1):
            for piece in (body_surface[-length:], body_surface[:length] if length > 1 else ""):
                if piece in self.foreign_states:
                    return "state"     # 美国 / 老挝人民革命党中央委员会
                if piece in self.international_bodies:
                    return "international"
        return None

    def fingerprint_bytes(self) -> list[tuple[str, bytes]]:
        """(file name, content) of every file this lexicon was read from, for documents' version tags."""
        return [(name, self.texts[name].encode("utf-8")) for name in sorted(self.texts)]


_DEFAULT: dict[str, Lexicon] = {}


def default_lexicon() -> Lexicon:
    """The lexicon of ``$GUANXI_LEXICONS`` (or the bundled one), loaded once per folder for the command-line
    paths that extract many documents; components never call this — they are given a lexicon."""
    key = os.environ.get("GUANXI_LEXICONS", "")
    if key not in _DEFAULT:
        _DEFAULT[key] = Lexicon.load()
    return _DEFAULT[key]
