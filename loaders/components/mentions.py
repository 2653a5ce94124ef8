"""Every time a person's name is written, and the short forms that refer to them (习主席 → 习近平).

A short form is a surname and a leader's title (习主席, 江主席, 李总理) when exactly one person of the
document has that surname: it becomes a mention of that person, never a new name.
"""
from __future__ import annotations

import re

from ..doc import Doc
from ..names import is_boundary_at, jieba_freq
from ..registry import component


def find_name_mentions(text: str, names: set[str], lex) -> dict[str, list[tuple[int, int]]]:
    """Every occurrence of a known name, longest names first, not inside a longer name."""
    found: dict[str, list[tuple[int, int]]] = {n: [] for n in names}
    if not names:
        return found
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    for match in pattern.finditer(text):
        name = match.group()
        start, end = match.span()
        if len(name) == 2 and not is_boundary_at(text, end, lex):
            continue
        if start > 0 and text[start - 1] in lex.surnames and len(name) == 2 and lex.title_ending_at(text, start) is None \
                and text[start - 1:end] not in names:
            continue           # 欧阳X inside a longer name we do not know
        found[name].append((start, end))
    return found


@component("mentions")
def make_mentions(lexicon):
    def run(doc: Doc) -> None:
        text = doc.text
        for name, spans in find_name_mentions(text, set(doc.people), lexicon).items():
            doc.people[name].mentions.update(spans)
        by_surname: dict[str, list[str]] = {}
        for name in doc.people:
            surname = name[:2] if name[:2] in lexicon.compound_surnames else name[:1]
            by_surname.setdefault(surname, []).append(name)
        taken = {s for p in doc.people.values() for s in p.mentions | p.short_mentions}
        for match in lexicon.leader_title_pattern.finditer(text):
            for length in (2, 1):
                start = match.start() - length
                if start < 0:
                    continue
                surname = text[start:match.start()]
                owners = by_surname.get(surname, [])
                if len(owners) != 1 or owners[0] == surname:
                    continue
                span = (start, match.end())
                if any(s < span[1] and span[0] < e for s, e in taken):
                    continue
                if start > 0 and jieba_freq(text[start - 1:start + length]) > 0:
                    continue       # 学|习主席: the surname is the end of a word
                doc.people[owners[0]].short_mentions.add(span)
                doc.people[owners[0]].found_by.add("short form")
                break

    return run
