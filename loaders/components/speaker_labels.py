"""Speaker labels: an interview or a transcript names who speaks at the start of a line (``金石开：很有可能。``,
``【吴海花】：我代表…``). A two- or three-character Chinese name there, before a colon, is a person, even where the
model reads it as a place or cuts it short (姜山 as a town, 金石|开).

Only a plausible Chinese name counts (a surname and one or two given-name characters, ``names.looks_chinese``),
and never one the place gazetteer, the foreign states and places, the titles or the non-names know
(``贵州：抓好特色农业``, ``伊朗：``, ``主持人：``, ``记者：``) or the model reads as a place elsewhere in the text, nor one whose last character starts a word that follows names (``张耀真说：``)."""
from __future__ import annotations

import re

from ..doc import Doc
from ..names import looks_chinese
from ..registry import component

# a line start, an optional opening bracket, a name, an optional closing bracket, a colon
_LABEL = re.compile(r"(?:^|(?<=\n))[ \t\u3000]*[【\[“\"]?(?P<name>[\u4e00-\u9fff]{2,3})[】\]”\"]?[：:]")


class SpeakerLabels:
    def __init__(self, lexicon):
        self.lex = lexicon

    def __call__(self, doc: Doc) -> None:
        text, lex = doc.text, self.lex
        for match in _LABEL.finditer(text):
            start, end = match.span("name")
            name = match.group("name")
            if name in doc.people or not self._plausible(name):
                continue
            if any(e.label in ("LOC", "ORG") and text[e.start:e.end] == name and e.start != start for e in doc.entities):
                continue                     # 伊朗：… where the model reads 伊朗 as a place elsewhere in the text
            # a longer person already read here (金石开 where 金石 was read): the label's reading wins
            for other in [p for p in doc.people.values() if p.name != name and name.startswith(p.name)]:
                other.mentions.discard((start, start + len(other.name)))
                if not other.mentions and not other.positions:
                    del doc.people[other.name]
            person = doc.person(name)
            person.mentions.add((start, end))
            person.found_by.add("speaker_label")

    def _plausible(self, name: str) -> bool:
        lex = self.lex
        if not looks_chinese(name, lex) or name in lex.non_names or name in lex.titles:
            return False
        if any(name.endswith(t) for t in lex.titles if len(t) >= 2):
            return False                     # 王主任：
        if any(name.startswith(w, i) for w in lex.after_name for i in range(1, len(name))):
            return False                     # 张耀真说：, 徐阳推荐
        if name in lex.foreign_states or name in lex.model_places or name in lex.foreign_places:
            return False                     # 伊朗：, 萨那：
        return not lex.places.lookup(name)


@component("speaker_labels")
def make_speaker_labels(lexicon):
    return SpeakerLabels(lexicon)
