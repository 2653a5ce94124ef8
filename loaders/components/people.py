"""The people of a document: the title rules and the statistical model fused, and the posts the text gives.

Where a person comes from, strongest first:

* the title rules (``titles``): a name read after its title chain, with the chain's posts;
* the model (``ner``): a PER span. The rules correct its boundaries where they overlap (首相石破茂, not
  石破; 华盛顿哥伦比亚特区总检察长施瓦尔布 from 施瓦尔 + 瓦尔布), a transliteration written in pieces is
  read whole across its joiners (哈拉-阿霍), and what the model proposes alone is checked: never a place, a
  state, a body, a side (中方, 马方), an army (以军), a form of address (李先生, 小朱), the tail of a title
  (长金正恩 from 委员长金正恩), nor a name followed by a title and another name (哈马斯|高级官员|哈利勒·哈亚:
  a body). A transliterated name the model proposes alone needs a person's context (a speech verb, a list,
  a title after it, 等参加会见) or a second mention.

With the person head (``ner`` option ``person_head = "join"``, see ``ner.py``): its names are taken with
their boundaries and may be written in Latin letters (``BradBuxer``, ``TH000``); only the lexicons' hard
vetoes apply to them (a state, a side, a title, 长金正恩, a body the text names elsewhere). A Chinese-character
name that only one of the two models reads needs a person's context, a joiner or a second mention.

Then the posts written after a name (普京总统, 江泽民主席 → 总统, 主席) and in apposition
(刘庆是江苏省产业技术研究院院长), each with its span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chains import TitleItem, read_chain, resolve_chain
from ..doc import Doc, Position, TitledMention
from .. import organizations
from ..names import (
    all_cjk, extend_over_joiners, foreign_name_at, is_cjk, is_common_word, jieba_freq, jieba_tag, looks_chinese, mend_model_spans, name_at,
    plausible, post_taken_at, surname_lengths,
)
from ..registry import component
from .ner import HEAD_ALONE, HEAD_SOURCES, UNCONFIRMED, VETOED



@dataclass
class Candidate:
    span: tuple[int, int]
    source: str                       # 'title' | 'list' | 'model'
    chain: list[TitleItem] = field(default_factory=list)
    foreign: bool = False
    head: bool = False                # a span of the CLUENER-trained person head (``ner.head``)
    needs_context: bool = False       # the head and LAC disagree on it (``ner.head.alone``, ``ner.lac.unconfirmed``)

    @property
    def start(self) -> int:
        return self.span[0]

    @property
    def end(self) -> int:
        return self.span[1]


class People:
    def __init__(self, lexicon, common_word_freq: int = 200):
        self.lex = lexicon
        self.common_word_freq = common_word_freq
        self._person_starts: set[int] = set()
        self._previous_word: dict[int, str] = {}
        self._places_and_bodies: list[tuple[int, int]] = []
        self._place_starts: set[int] = set()
        self._place_ends: set[int] = set()
        self._model_persons: list[tuple[int, int]] = []
        self._head_spans: set[tuple[int, int]] = set()

    # ------------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> None:
        text, lex = doc.text, self.lex
        lac_persons = [e for e in doc.entities_of("PER") if e.source not in HEAD_SOURCES]   # as without the head
        self._person_starts = {e.start for e in lac_persons} | {m.span[0] for m in doc.titled}
        self._previous_word = {doc.words[i + 1][0]: doc.words[i][2] for i in range(len(doc.words) - 1)}
        self._places_and_bodies = [e.span for e in doc.entities if e.label in ("LOC", "ORG")]
        self._place_starts = {s for s, _ in self._places_and_bodies}
        self._place_ends = {e for _, e in self._places_and_bodies}
        self._model_persons = [e.span for e in lac_persons]
        # strings the model itself reads as a common noun somewhere in the document (多起|林火|。)
        self._noun_readings = {text[s:e] for s, e, tag in doc.words if tag in lex.noun_tags and e - s >= 2}
        self._in_foreign_places = [m.span() for m in lex.foreign_places_pattern.finditer(text)] if lex.foreign_places else []
        redacted = [r.span for r in doc.redactions]
        head_spans = {e.span for e in doc.entities_of("PER") if e.source in HEAD_SOURCES}
        self._head_spans = head_spans
        rules = [Candidate(m.span, "list" if m.shared else "title", m.chain, m.foreign) for m in doc.titled
                 if self._rule_name_ok(m, text)]
        unconfirmed = {e.span for e in doc.entities_of("PER") if e.source in (UNCONFIRMED, HEAD_ALONE)}
        lac = mend_model_spans(text, [e.span for e in lac_persons if e.source != VETOED], lex)
        model = [Candidate(span, "model", needs_context=any(s < span[1] and span[0] < e for s, e in unconfirmed)) for span in lac]
        model += [Candidate(span, "model", head=True, needs_context=span in unconfirmed) for span in sorted(head_spans)]
        model.sort(key=lambda c: c.span)
        chosen = self._fuse(text, rules, model)
        model_names = [text[c.start:c.end] for c in chosen if c.source == "model"]
        not_people = self._not_people(doc, chosen)
        endings = tuple(lex.bodies["suffixes"]) + tuple(lex.bodies["cores"])
        inside = [e.span for e in doc.entities_of("ORG") if e.end - e.start >= 4 and text[e.start:e.end].endswith(endings)]
        for c in chosen:
            if any(s < c.end and c.start < e for s, e in redacted):
                continue
            if any(s <= c.start and c.end <= e and (s, e) != c.span for s, e in inside):
                continue           # 水利部长江水利委员会: a name inside a body's name is not a person
            name = text[c.start:c.end]
            if c.source == "model" and not c.head and (name in not_people or not self._model_name_ok(name, c, text, doc, model_names)):
                continue
            if c.head and not self._head_name_ok(name, c, text, not_people):
                continue
            if c.needs_context and all_cjk("".join(ch for ch in name if ch not in lex.joiners)) \
                    and not self._confirmed(name, c, text, model_names):
                continue
            person = doc.person(name)
            person.mentions.add(c.span)
            person.found_by.add(c.source)
            for item in c.chain:
                org = doc.organizations.add(item.organization, _body_span(item))
                person.add_position(Position(item.title.title, item.title.surface, item.title_span, org,
                                             (item.span[0], c.end), how="title before name"))
        self._drop_fragments(doc)
        self._split_run_together(doc)
        self._complete_lists(doc)
        for person in list(doc.people.values()):
            self._posts_after_name(doc, person)
            self._apposition(doc, person)

    def _not_people(self, doc: Doc, chosen: list[Candidate]) -> set[str]:
        """Strings the document shows are not people: the model reads them as a place or a body elsewhere
        (马祖 … 黄岐至马祖), or one of their occurrences is the body of a title before a name (哈马斯|高级官员|…)."""
        text = doc.text
        out = {text[e.start:e.end] for e in doc.entities if e.label in ("LOC", "ORG")}
        word_ends = {e for _s, e, _t in doc.words}
        for c in chosen:
            if c.source == "model" and (self._body_of_a_title(c, text) or self._member_word_after(text, c.end, word_ends)):
                out.add(text[c.start:c.end])
        return out

    def _member_word_after(self, text: str, end: int, word_ends: set[int]) -> bool:
        """X|号, X|武装, X|发言人: a body, a ship or a force; the member word must end a word of the model's
        (习近平|号召 is a verb, not the ship 习近平号)."""
        return any(text.startswith(w, end) and (not word_ends or end + len(w) in word_ends)
                   for w in self.lex.body_member_words)

    def _drop_fragments(self, doc: Doc) -> None:
        """A name the model alone proposed whose every mention lies inside a longer person's name (苏吉|约诺)."""
        names = sorted(doc.people, key=len, reverse=True)
        for short in [n for n in names if doc.people[n].found_by == {"model"}]:
            longer = [n for n in names if len(n) > len(short) and short in n]
            if not longer:
                continue
            inside = set()
            for name in longer:
                for m in re.finditer(re.escape(name), doc.text):
                    inside.add(m.span())
            person = doc.people[short]
            if all(any(s <= ms and me <= e for s, e in inside) or self._continues_a_name(doc.text, ms, me, longer)
                   for ms, me in person.mentions):
                del doc.people[short]

    def _split_run_together(self, doc: Doc) -> None:
        """蔡奇丁|薛祥, 蔡奇陪|同: a name the model alone proposed that is a known person's name and the start
        of the next word (another name, or a word that follows names) is that person's mention."""
        text, lex = doc.text, self.lex
        others = {n for n, p in doc.people.items() if p.found_by != {"model"}}
        for name in [n for n, p in doc.people.items() if p.found_by == {"model"}]:
            known = next((k for k in sorted(others, key=len, reverse=True) if name.startswith(k) and len(k) < len(name)), None)
            if known is None:
                continue
            person = doc.people.pop(name)
            for start, _end in person.mentions:
                rest = start + len(known)
                if lex.after_name_pattern.match(text, rest) or any(text.startswith(o, rest) or o.startswith(text[rest:_end]) for o in others):
                    doc.people[known].mentions.add((start, rest))

    @staticmethod
    def _continues_a_name(text: str, start: int, end: int, longer: list[str]) -> bool:
        """瓦尔布 where the text's 施瓦尔布 is cut: the characters before it complete a longer name."""
        return any(text[max(0, start - len(n) + (end - start)):end] == n for n in longer)

    # ------------------------------------------------------------------------------------------------
    # the model's spans, mended where its boundaries are known to slip

    def _complete_lists(self, doc: Doc) -> None:
        """丁薛祥、刘鹤、胡春华、尤权、王勇: in a list of people, a name-shaped item the model missed is a person."""
        text, lex = doc.text, self.lex
        known = {s: e for p in doc.people.values() for s, e in p.mentions}
        for sentence_start, sentence_end in ((s.span[0], s.span[1]) for s in doc.sentences) if doc.sentences else [(0, len(text))]:
            pos = sentence_start
            items: list[tuple[int, int]] = []
            while pos < sentence_end:
                stop = pos
                while stop < sentence_end and text[stop] not in lex.boundary:
                    stop += 1
                items.append((pos, stop))
                if stop >= sentence_end or text[stop] != "、":
                    self._complete_list(doc, items, known)
                    items = []
                pos = stop + 1

    def _complete_list(self, doc: Doc, items: list[tuple[int, int]], known: dict[int, int]) -> None:
        if len(items) < 3:
            return
        text, lex = doc.text, self.lex
        people = [(s, e) for s, e in items if known.get(s) == e]
        if len(people) < 2 or len(people) * 2 < len(items):
            return
        for start, end in items:
            name = text[start:end]
            if known.get(start) == end or not (2 <= len(name) <= 3) or not looks_chinese(name, lex) or not plausible(name, lex):
                continue
            person = doc.person(name)
            person.mentions.add((start, end))
            person.found_by.add("list")

    # ------------------------------------------------------------------------------------------------
    # fusion of the rules' and the model's spans

    def _fuse(self, text: str, rules: list[Candidate], model: list[Candidate]) -> list[Candidate]:
        lex = self.lex
        pieces = [c.span for c in rules + model]
        out: list[Candidate] = []
        rule_spans = sorted(rules, key=lambda c: c.span)
        for c in rule_spans:
            overlapping = [m for m in model if m.start < c.end and c.start < m.end]
            start, end = c.span
            for m in overlapping:
                if m.span == c.span:
                    continue
                if c.foreign or not surname_lengths(text, c.start, lex):
                    # a transliteration the rules cut short: the model's continuation joins it (施瓦尔 + 瓦尔布)
                    if m.start >= start and m.end > end and all_cjk(text[end:m.end]) \
                            and not self._runs_into_words(text, end, m.end):
                        end = m.end
                elif m.start == start and m.end > end and m.end - start <= 4 and plausible(text[start:m.end], lex) \
                        and not m.head:
                    end = m.end        # 王东|峰: LAC read the whole Chinese name (the head reads 苏林|时 too)
            end = extend_over_joiners(text, start, end, lex, pieces)
            out.append(Candidate((start, end), c.source, c.chain, c.foreign))
        taken = [c.span for c in out]
        for m in model:
            if any(m.start < e and s < m.end for s, e in taken):
                continue           # the rules decided this name (and its boundaries)
            start, end = m.span
            if text[start - 1:start] in lex.joiners or text[end:end + 1] in lex.joiners or (
                    m.head and any(j in text[start:end] for j in lex.joiners)):
                # a piece of a transliteration (哈拉-阿霍, 哈那哈提·木哈买提): read the whole name
                start, end = self._whole_transliteration(text, start, end)
            end = self._before_title_after_name(text, start, end)
            end = self._before_a_relative(text, start, end)
            if any(start < e and s < end for s, e in taken):
                continue
            out.append(Candidate((start, end), "model", head=m.head, needs_context=m.needs_context))
            taken.append((start, end))
        return sorted(out, key=lambda c: c.span)

    def _before_title_after_name(self, text: str, start: int, end: int) -> int:
        """石破|茂|首相, 许其|亮|、: the model stopped one character short of a name that a title or a list
        separator follows."""
        lex = self.lex
        if end + 1 >= len(text) or not is_cjk(text[end]) or text[end] in lex.function_chars or text[end] in lex.boundary \
                or lex.title_pattern.match(text, end) or lex.after_name_pattern.match(text, end) or lex.speech_pattern.match(text, end):
            return end
        chinese = bool(surname_lengths(text, start, lex))
        if end + 1 - start > (3 if chinese else lex.max_foreign_name):
            return end
        match = lex.title_pattern.match(text, end + 1)
        if match and lex.titles[match.group()].after_name:
            return end + 1
        if chinese and text[end + 1] in "、，。；" and plausible(text[start:end + 1], lex):
            return end + 1
        return end

    def _runs_into_words(self, text: str, end: int, model_end: int) -> bool:
        """内塔尼亚胡|原计划: the model's continuation is a function or time character and then a dictionary word,
        where the rules stopped; 努尔兰·阿不|都满金 is a name's own characters."""
        lex = self.lex
        rest = text[end + 1:model_end]
        return text[end] in lex.name_end_chars and any(
            is_common_word(rest[:k], jieba_tag(rest[:k]) or "") for k in range(2, len(rest) + 1))

    def _before_a_relative(self, text: str, start: int, end: int) -> int:
        """徐悲鸿|夫人: a word for a relative that starts inside the model's span ends the name there."""
        for pos in range(start + 2, end):
            if text.startswith(self.lex.relatives, pos):
                return pos
        return end

    def _whole_transliteration(self, text: str, start: int, end: int) -> tuple[int, int]:
        lex = self.lex
        while start > 1 and text[start - 1] in lex.joiners and is_cjk(text[start - 2]):
            s = start - 2
            while s > 0 and is_cjk(text[s - 1]) and text[s - 1] not in lex.boundary and start - s < 8 \
                    and not lex.title_ending_at(text, s):
                s -= 1
            start = s
        new_end = foreign_name_at(text, start, lex)
        return start, max(end, new_end or end)

    # ------------------------------------------------------------------------------------------------
    # checks

    def _rule_name_ok(self, mention: TitledMention, text: str) -> bool:
        name = mention.name
        lex = self.lex
        if name in lex.foreign_states or name in lex.international_bodies or lex.places.lookup(name):
            return False
        start, end = mention.span
        if any(start <= s < end for s, e in self._places_and_bodies) and not any(
                s < end and start < e for s, e in self._model_persons + sorted(self._head_spans)):
            # 县长|所乡古荣村: the model reads a place starting inside what the rule read as a name, and neither
            # LAC nor the person head reads a person there (总理|内塔尼亚胡: LAC's place 内塔尼亚, the head's name;
            # 芬兰总统|尼尼斯托: LAC reads a place, the head a person)
            return False
        if len(name) >= 3 and not looks_chinese(name, lex) and name.endswith(lex.not_person_endings):
            return False
        if len(name) == 3 and name[2] in lex.function_chars and not any(s < end and start < e for s, e in self._model_persons):
            tag = jieba_tag(name[:2])
            if tag is not None and not tag.startswith("nr") and jieba_freq(name[:2]) >= self.common_word_freq:
                return False   # 第一书记|任期|就: a word and a function character after a title, and no model name there
        return not self._followed_by_title_and_name(text, mention.span[1])

    def _body_of_a_title(self, c: Candidate, text: str) -> bool:
        """The model's X in X|title|name is the body of that title (哈马斯|高级官员|哈利勒·哈亚), unless X is a
        Chinese name that LAC and the person head both read (记者陈小莹|实习记者|杨澜: two credits in a row)."""
        if not self._followed_by_title_and_name(text, c.end):
            return False
        return not (c.span in self._head_spans and c.span in self._model_persons and looks_chinese(text[c.start:c.end], self.lex))

    def _followed_by_title_and_name(self, text: str, end: int) -> bool:
        """X|高级官员|哈利勒·哈亚: a string followed by a title and then a name is the body of that title."""
        lex = self.lex
        match = lex.title_pattern.match(text, end)
        if not match:
            # the title may come after a few characters of body (哈马斯|政治局|主席)
            for stop in range(end + 1, min(len(text), end + 5)):
                c = text[stop - 1]
                if c in lex.boundary or c in lex.function_chars or c in lex.body_conjunctions \
                        or lex.after_name_pattern.match(text, stop - 1) or lex.speech_pattern.match(text, stop - 1):
                    return False       # 黄坤明|和|省长王伟中, 习近平|会见|俄罗斯总统普京: not a body
                match = lex.title_pattern.match(text, stop)
                if match:
                    break
            if not match:
                return False
        elif lex.titles[match.group()].after_name:
            return False       # 习近平|总书记: a name's own title, written after it
        after = match.end()
        if after not in self._person_starts and post_taken_at(text, after, lex):
            return False       # 王小川|研究员|任所长: the name's own title, then the post it takes
        if after in self._person_starts:
            return True
        return name_at(text, after, lex, strict=True) is not None and not lex.after_name_pattern.match(text, after)

    def _confirmed(self, name: str, c: Candidate, text: str, model_names: list[str]) -> bool:
        """A name LAC alone reads, where the person head reads nothing: kept with a person's context (a title
        after it: 特朗普|总统, a speech verb, 等参加), a joiner (哈那哈提·木哈买提) or a second mention."""
        return (self._person_context(text, c.start, c.end) or any(j in name for j in self.lex.joiners)
                or model_names.count(name) > 1)

    def _head_name_ok(self, name: str, c: Candidate, text: str, not_people: set[str]) -> bool:
        """A name the person head proposes: it was trained on people written the way news, sport, games and
        entertainment write them (Latin letters, untitled transliterations, IDs), so it needs no person's
        context; what the lexicons know is not a person still is not (a state, a side, a title, 长金正恩)."""
        lex = self.lex
        bare = "".join(ch for ch in name if ch not in lex.joiners)
        if not bare or (all_cjk(bare) and len(bare) < lex.min_name_chars):
            return False
        if name in lex.non_names or name in lex.foreign_states or name in lex.international_bodies or name in lex.titles:
            return False
        head = name[:2]
        if len(head) == 2 and (head[1:] in lex.side_endings or (head[0] in lex.state_abbreviations and head[1:] in lex.state_group_endings)):
            return False
        if lex.title_ending_at(text, c.start + 1):
            return False
        surname = 2 if name[:2] in lex.compound_surnames else 1
        if name[surname:] in lex.titles:
            return False
        if self._body_of_a_title(c, text):
            return False
        if not all(ch.isalnum() or ch in lex.joiners for ch in name):
            return False                                   # Morhaime): a span over punctuation
        if self._a_thing_not_a_person(name, c, text, self._person_context(text, c.start, c.end)) \
                or self._inside_a_foreign_place(c):
            return False                                   # “海马斯”火箭弹, 汗|尤尼斯
        # a two-character common word (火光在…都能看到) needs a person's context; three characters and more
        # that jieba knows as a word are mostly people it lists under other tags (周恩来 t, 厉无畏 i, 金正日 nz)
        if len(name) == 2 and self._common_word_without_context(name, c, text):
            return False
        return not all_cjk(bare) or name not in not_people  # 哈马斯: the model reads it as a body elsewhere

    def _inside_a_foreign_place(self, c: Candidate) -> bool:
        """汗|尤尼斯: the name lies inside a foreign town's name where it is written."""
        return any(s <= c.start and c.end <= e for s, e in self._in_foreign_places)

    def _a_thing_not_a_person(self, name: str, c: Candidate, text: str, context: bool) -> bool:
        """“海马斯”火箭弹: a quoted name is a weapon, a ship, a brand; 多起林火 … 林火借助风势: a string the model
        reads as a common noun elsewhere in the document. Either is a person only with a person's context."""
        quoted = text[c.start - 1:c.start] in "“\"「" and text[c.end:c.end + 1] in "”\"」"
        if not (quoted or name in self._noun_readings) or context:
            return False
        return not self._mentioned_elsewhere_with_context(text, name)

    def _model_name_ok(self, name: str, c: Candidate, text: str, doc: Doc, model_names: list[str]) -> bool:
        lex = self.lex
        bare = "".join(ch for ch in name if ch not in lex.joiners)
        if len(bare) < lex.min_name_chars or not all_cjk(bare):
            return False
        if name in lex.non_names or name in lex.foreign_states or name in lex.international_bodies:
            return False
        if lex.places.lookup(name) or name in lex.titles or name in lex.model_places:
            return False                                   # 赫尔松, 萨那: the model reads it as a place elsewhere
        head = name[:2]
        if head[1:] in lex.side_endings or (head[0] in lex.state_abbreviations and head[1:] in lex.state_group_endings):
            return False                                   # 中方, 马方(珍视), 以军: a side or an army
        if len(name) == 2 and name[0] in lex.state_abbreviations and name[1] in lex.state_abbreviations:
            return False                                   # 马中(关系), 中芬: two states
        if name.endswith(lex.honorifics_after) and len(name) - max(len(h) for h in lex.honorifics_after if name.endswith(h)) <= (2 if name[:2] in lex.compound_surnames else 1):
            return False                                   # 李先生, 王女士: a form of address
        if name[0] in lex.honorifics_before and name[1:] in lex.surnames | lex.compound_surnames:
            return False                                   # 小朱, 老王
        if lex.title_ending_at(text, c.start + 1):
            return False                                   # 委员长|金正恩 read as 长金正恩
        surname = 2 if name[:2] in lex.compound_surnames else 1
        if name[surname:] in lex.titles:
            return False                                   # 习主席, 李总理: a surname and a title
        if self._followed_by_title_and_name(text, c.end):
            return False                                   # 哈马斯高级官员哈利勒·哈亚: a body
        tag = jieba_tag(name)
        chinese = looks_chinese(name, lex)
        context = self._person_context(text, c.start, c.end)
        if self._a_thing_not_a_person(name, c, text, context) or self._inside_a_foreign_place(c):
            return False
        if self._common_word_without_context(name, c, text):
            return False                                   # 杨柳: a common word (周恩来|曾 is a 't' in jieba: context)
        if len(name) >= 3 and name.endswith(lex.not_person_endings):
            return False                                   # 黎真主党, 波克罗夫斯克: a body, a place
        if (c.end in self._place_starts or c.start in self._place_ends) and not context and not lex.title_ending_at(text, c.start) \
                and not any(j in name for j in lex.joiners):
            return False                                   # 第聂伯罗|彼得罗夫斯克: part of a place's name
        if chinese:
            given = name[2:] if name[:2] in lex.compound_surnames else name[1:]
            given_tag = jieba_tag(given)
            weak = (tag is not None and not tag.startswith("nr")) or (
                len(given) == 2 and given_tag is not None and not given_tag.startswith("nr") and jieba_freq(given) >= self.common_word_freq)
            # 马灯, 林果(产业), 对党忠诚, 陆海(空天): a word read as a name needs a person's context at one of
            # its mentions; being written twice is not enough (多起林火…林火借助风势)
            return not weak or context or self._mentioned_elsewhere_with_context(text, name)
        # a transliteration the model proposes alone: it starts a word (第|聂伯罗 is inside a place's name) and
        # has a person's context or a joiner
        if any(j in name for j in lex.joiners):
            return True
        if (c.end in self._place_starts or c.start in self._place_ends) and not context:
            return False                                   # 第聂伯罗|彼得罗夫斯克: part of a place's name
        previous = self._previous_word.get(c.start)
        if previous in lex.mid_word_tags and not lex.title_ending_at(text, c.start):
            if not self._mentioned_elsewhere_with_context(text, name):
                return False                               # 第|聂伯罗(彼得罗夫斯克): inside a place's name
        return context or self._mentioned_elsewhere_with_context(text, name)

    def _mentioned_elsewhere_with_context(self, text: str, name: str) -> bool:
        for m in re.finditer(re.escape(name), text):
            if self._person_context(text, m.start(), m.end()) or self.lex.title_ending_at(text, m.start()):
                return True
        return False

    def _common_word_without_context(self, name: str, c: Candidate, text: str) -> bool:
        """A frequent dictionary word that jieba does not tag as a name, with no strong person's context here."""
        tag = jieba_tag(name)
        return tag is not None and not tag.startswith("nr") and jieba_freq(name) >= self.common_word_freq \
            and not self._strong_context(text, c.start, c.end)

    def _strong_context(self, text: str, start: int, end: int) -> bool:
        """A person's context that a common word does not have by chance: a title before or after, a speech
        verb or 一行/夫妇/先生… after, 会见/陪同 before, or a list whose neighbour is a person (邓朴方、|厉无畏|、陈宗兴)."""
        lex = self.lex
        if lex.title_ending_at(text, start) or lex.title_pattern.match(text, end) or lex.speech_pattern.match(text, end):
            return True
        if any(text.startswith(w, end) for w in lex.strong_context_after):
            return True
        if text[max(0, start - 3):start].endswith(lex.strong_context_before):
            return True
        separators = "、和与及"
        if text[end:end + 1] and text[end] in separators and end + 1 in self._person_starts:
            return True
        return start >= 1 and text[start - 1] in separators and any(e == start - 1 for _, e in self._model_persons)

    def _person_context(self, text: str, start: int, end: int) -> bool:
        lex = self.lex
        if lex.context_after_pattern.match(text, end) or lex.title_pattern.match(text, end):
            return True
        return text[max(0, start - 3):start].endswith(lex.context_before)

    # ------------------------------------------------------------------------------------------------
    # posts written after the name, and in apposition

    def _posts_after_name(self, doc: Doc, person) -> None:
        """普京总统, 江泽民主席, 习近平总书记: the title that follows a mention of the name."""
        text, lex = doc.text, self.lex
        for start, end in sorted(person.mentions):
            match = lex.title_pattern.match(text, end)
            if not match:
                continue
            title = lex.titles[match.group()]
            if not title.after_name:
                continue                      # 习近平|特别代表: not a title that follows its holder's name
            if text[match.end():match.end() + 1] in lex.title_continuations:
                continue                      # 主席|团, 书记|处: a longer word, not the title
            if any(p.title == title.title for p in person.positions):
                continue                      # 国家主席习近平 … 习近平主席: the post the text already gave
            org = None
            if title.implies and not self._looks_foreign(doc, person, start):
                org = doc.organizations.add(organizations.resolve(title.implies, doc.jurisdiction, lex))
            person.add_position(Position(title.title, title.surface, match.span(), org, (start, match.end()),
                                         how="title after name"))

    def _name_follows(self, text: str, pos: int) -> bool:
        return bool(surname_lengths(text, pos, self.lex))

    def _looks_foreign(self, doc: Doc, person, start: int) -> bool:
        if any(p.organization is not None and self.lex.foreign_kind(p.organization.name) for p in person.positions):
            return True
        return not (surname_lengths(doc.text, start, self.lex) and len(person.name) <= 3 and plausible(person.name, self.lex))

    def _apposition(self, doc: Doc, person) -> None:
        """刘庆是江苏省产业技术研究院院长: a post stated of the person with 是 (up to the clause's end)."""
        text, lex = doc.text, self.lex
        for start, end in sorted(person.mentions):
            if text[end:end + 1] != "是":
                continue
            stop = end + 1
            while stop < len(text) and stop - end <= lex.max_body_phrase and text[stop] not in lex.boundary:
                stop += 1
            title = lex.title_ending_at(text, stop)
            if title is None:
                continue
            bodies = {e.end: e.start for e in doc.entities if e.label in ("ORG", "LOC")}
            chain = read_chain(text, stop, lex, bodies)
            if not chain or chain[0][2][0] != end + 1:
                continue                      # the chain must start right after 是
            for item in resolve_chain(chain, doc.jurisdiction, lex):
                org = doc.organizations.add(item.organization, _body_span(item))
                person.add_position(Position(item.title.title, item.title.surface, item.title_span, org,
                                             (start, item.span[1]), how="apposition"))


def _body_span(item: TitleItem) -> tuple[int, int] | None:
    return (item.span[0], item.span[0] + len(item.body_surface)) if item.body_surface else None


@component("people")
def make_people(lexicon, common_word_freq: int = 200):
    return People(lexicon, common_word_freq=common_word_freq)
