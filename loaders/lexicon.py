"""Loads the Chinese language knowledge kept as data files under ``loaders/lexicons/``.

Each file is documented in ``loaders/lexicons/README.md``. Users extend the lexicons by editing the files;
``GUANXI_LEXICONS`` may name a folder whose files of the same names replace the bundled ones.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def lexicon_path(name: str) -> Path:
    """The file a lexicon is read from: the user's copy in ``GUANXI_LEXICONS`` if there is one."""
    override = os.environ.get("GUANXI_LEXICONS")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    return Path(str(resources.files("guanxi.loaders").joinpath("lexicons", name)))


def lexicon_text(name: str) -> str:
    return lexicon_path(name).read_text(encoding="utf-8")


_lexicon_text = lexicon_text


def load_toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(_lexicon_text(name))
    except tomllib.TOMLDecodeError as exc:  # a user's edit broke the file: say which one
        raise ValueError(f"lexicon {name}: {exc}") from exc


def load_word_list(name: str) -> list[str]:
    """Whitespace-separated words; '#' starts a comment."""
    words: list[str] = []
    for line in _lexicon_text(name).splitlines():
        words.extend(line.split("#", 1)[0].split())
    return words


@dataclass(frozen=True)
class TitleInfo:
    surface: str
    title: str
    implies: str | None
    under: str | None
    leader: bool


@dataclass(frozen=True)
class Lexicon:
    titles: dict[str, TitleInfo]
    title_pattern: re.Pattern[str]           # any title, longest first
    compound_surnames: frozenset[str]
    surnames: frozenset[str]
    non_names: frozenset[str]
    speech_verbs: tuple[str, ...]
    roles: dict[str, str]                    # phrase -> role
    meeting_suffixes: tuple[str, ...]
    meeting_held: tuple[str, ...]
    modality: dict[str, str]                 # word -> strength
    not_modal: tuple[str, ...]
    after_name: tuple[str, ...]
    addressee_starts: tuple[str, ...]
    addressee_ends: tuple[str, ...]
    addressee_separators: tuple[str, ...]
    addressee_strip: tuple[str, ...]
    bodies: dict[str, Any]


def _longest_first(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def lexicon() -> Lexicon:
    titles_raw = load_toml("titles.toml")["titles"]
    titles = {
        surface: TitleInfo(
            surface=surface,
            title=opts.get("title", surface),
            implies=opts.get("implies"),
            under=opts.get("under"),
            leader=bool(opts.get("leader", False)),
        )
        for surface, opts in titles_raw.items()
    }
    surnames = load_word_list("surnames.txt")
    verbs = load_toml("verbs.toml")
    roles = {phrase: role for role, phrases in verbs["roles"].items() for phrase in phrases}
    return Lexicon(
        titles=titles,
        title_pattern=re.compile("|".join(map(re.escape, _longest_first(list(titles))))),
        compound_surnames=frozenset(s for s in surnames if len(s) == 2),
        surnames=frozenset(s for s in surnames if len(s) == 1),
        non_names=frozenset(load_word_list("non_names.txt")),
        speech_verbs=_longest_first(verbs["speech"]["words"]),
        roles=roles,
        meeting_suffixes=_longest_first(verbs["meetings"]["suffixes"]),
        meeting_held=_longest_first(verbs["meetings"]["held"]),
        modality=dict(verbs["modality"]),
        not_modal=_longest_first(verbs["not_modal"]["words"]),
        after_name=_longest_first(verbs["after_name"]["words"]),
        addressee_starts=_longest_first(verbs["addressees"]["starts"]),
        addressee_ends=_longest_first(verbs["addressees"]["ends"]),
        addressee_separators=_longest_first(verbs["addressees"]["separators"]),
        addressee_strip=_longest_first(verbs["addressees"]["strip_suffixes"]),
        bodies=load_toml("bodies.toml"),
    )
