"""Directives and pledges (the commitments): who said what must be done, or what they will do.

How a careful reader counts them (the gold readings' guide), as rules over sentences:

* **Who speaks.** A reported speech starts where a speaker and a speech verb stand (``X强调，…``,
  ``他指出，…``, ``李希要求聚焦…``, ``会议指出，…``, ``通知要求，…``, ``外交部发言人毛宁表示，…``,
  ``记者从国家卫生健康委获悉，…``). Every following sentence of the paragraph belongs to the same speaker
  until another one takes over; a new paragraph goes on with them when it starts like a continuation
  (a modal, a numbered item, ``中方``/``我们``), else the narrator speaks again. A speech outline whose
  speaker is unnamed speaks throughout (``document_voice``).
* **What counts.** A sentence of a speaker's statement that gives an instruction (``要``, ``必须``, ``着力``,
  ``确保``, ``希望`` …) or a pledge (``愿``, ``将``, ``决定``, ``承诺`` …), or that starts with a verb right
  after such a sentence (``双方要突出…。携手建设…。继续开展…。``). Never the narrator's sentences, a
  congratulation or wish (``祝…``), nor a statement of value with no strong modal (``…意义重大``).
* **Numbered items** (``1、``, ``（一）``, ``一是``, ``一要``, ``第一，``) nest by marker family under the lead
  sentence; a heading repeated in a table of contents and in the body is one directive with two mentions.
* **Targets.** Deadlines, amounts, percentages and multiples a commitment states are kept with their spans.

All the words are data (``lexicons/directives.toml``, ``verbs.toml``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import industries as industry_vocab
from ..doc import Addressee, Directive, Doc, Quantity, Speaker
from ..model import Span
from ..registry import component
from ..text_units import paragraphs

_CN = "[一二三四五六七八九十]{1,3}"
# marker family -> pattern; the family decides nesting, the number the ordinal
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("paren_arabic", re.compile(r"[（(](\d{1,2})[）)]")),
    ("paren_cn", re.compile(rf"[（(]({_CN})[）)]")),
    ("arabic", re.compile(r"(\d{1,2})[、.．](?!\d)")),
    ("cn_dun", re.compile(rf"({_CN})、")),
    ("shi", re.compile(rf"({_CN})是(?=要|[^\s，。])")),
    ("yao", re.compile(rf"({_CN})(?=要)")),
    ("di", re.compile(rf"第({_CN})[，,、]")),
]
TOC_START = re.compile(r"(目录|提纲)\s*[:：]")
TOC_END = re.compile(r"^[…\.。\s]+$")
_CLAUSE_END = "，,；;：:。！？!?\n"
_QUOTES = "“”\"‘’「」『』"
_YEAR_START = re.compile(r"((?:19|20)\d\d)年")


def cn_number(s: str, digits: dict[str, int]) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + digits.get(s[1:], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return digits.get(tens, 0) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(s, 0)


def match_marker(text: str, pos: int, lex) -> tuple[str, int, int] | None:
    """(family, ordinal, marker end) when a numbered marker starts at pos."""
    for family, pattern in MARKERS:
        m = pattern.match(text, pos)
        if m:
            return family, cn_number(m.group(1), lex.cn_digits), m.end()
    return None


def find_toc(text: str) -> Span | None:
    """The table of contents block (目录/提纲:… up to a line of dots), if any."""
    m = TOC_START.search(text)
    if not m:
        return None
    pos = text.find("\n", m.end())
    if pos == -1:
        return None
    for p_start, p_end in paragraphs(text):
        if p_start > pos and TOC_END.match(text[p_start:p_end]):
            return (m.start(), p_end)
    return None


def _normalise_heading(s: str) -> str:
    return re.sub(r"[\s，。、；：,.;:！？!?“”\"']", "", s)


@dataclass
class Intro:
    speaker: Speaker
    statement_start: int      # where the statement (the directive's text) starts
    clause_start: int


class Directives:
    def __init__(self, lexicon, paragraphs: str = "lenient"):
        self.lex = lexicon
        self.paragraph_mode = paragraphs
        d = lexicon.directives
        self.reporting = tuple(sorted(set(d["speakers"]["reporting_verbs"]) | set(lexicon.speech_verbs), key=len, reverse=True))
        self.directing = tuple(sorted(d["speakers"]["directing_verbs"], key=len, reverse=True))
        self.verbs = re.compile("|".join(map(re.escape, sorted(set(self.reporting) | set(self.directing), key=len, reverse=True))))
        self.documents = tuple(sorted(d["speakers"]["document_endings"], key=len, reverse=True))
        self.authored = tuple(sorted(d["speakers"]["authored"], key=len, reverse=True))
        self.source_before = tuple(d["speakers"]["source_before"])
        self.source_after = re.compile("|".join(map(re.escape, d["speakers"]["source_after"])))
        self.spokesperson = tuple(sorted(d["speakers"]["spokesperson"], key=len, reverse=True))
        self.pledge_words = tuple(sorted(d["pledge"]["words"], key=len, reverse=True))
        self.pledge_subjects = tuple(sorted(d["pledge"]["subjects"], key=len, reverse=True))
        self.subject_verbs = tuple(sorted(d["pledge"]["subject_verbs"], key=len, reverse=True))
        self.predictions = lexicon.predictions
        self.hedges = lexicon.hedges
        self.outcomes = lexicon.outcomes
        self.announced_facts = lexicon.announced_facts
        self.announced_decisions = lexicon.announced_decisions
        self.group_speakers = tuple(sorted(d["speakers"]["group_speakers"], key=len, reverse=True))
        self.continues = tuple(d["scope"]["continues_with"])
        self.inline_starts = tuple(("要", "必须", "应当", "务必", "各", "全", "将", "愿", "不会", "坚决", "决不")) 
        self.imperative_tags = frozenset(d["scope"]["imperative_start_tags"])
        self.instructing_starts = lexicon.instructing_starts
        self.not_imperative = tuple(d["scope"]["not_imperative"])
        self.copulas = frozenset(d["scope"]["copulas"])
        self.assessments = lexicon.assessments
        self.knowing = lexicon.knowing
        self.fact_markers = tuple(d["scope"]["fact_markers"])
        self.narration = tuple(d["scope"]["narration"])
        self.report_formulas = lexicon.report_formulas
        self.heeding = tuple(d["scope"].get("heeding", ()))
        self.adverb_tags = frozenset(d["scope"].get("imperative_adverb_tags", ()))
        self.not_imperative_adverbs = frozenset(d["scope"].get("not_imperative_adverbs", ()))
        self.verb_only = frozenset(d["pledge"]["verb_only"])
        self.ceremonial = tuple(d["pledge"]["ceremonial"])
        self.wishes = tuple(d["exclude"]["wishes"])
        self.value_markers = tuple(d["exclude"]["value_markers"])
        self.strong = tuple(d["exclude"]["strong_modals"])
        self.instruction_strong = tuple(w for w in self.strong if w not in self.pledge_words)
        self.past_starts = tuple(d["exclude"]["past_starts"])
        self.sentiments = tuple(d["exclude"]["sentiments"])
        self.quantity_patterns = [(kind, re.compile(pattern)) for kind, pattern in d["quantities"].items()]

    # ------------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> None:
        doc.directives = self.extract(doc)

    def extract(self, doc: Doc) -> list[Directive]:
        text, lex = doc.text, self.lex
        self._doc = doc
        self._tags = {s: tag for s, _e, tag in doc.words}
        self._person_ends = {e: name for name, p in doc.people.items() for s, e in p.mentions}
        self._person_starts = {s for p in doc.people.values() for s, e in p.mentions}
        self._titles_of = {name: {pos.title for pos in p.positions} | {pos.title_as_written for pos in p.positions}
                           for name, p in doc.people.items()}
        voice = self.document_voice(doc)
        toc = find_toc(text)
        directives: list[Directive] = []
        by_heading: dict[str, Directive] = {}
        stack: list[tuple[str, str]] = []            # (marker family, directive id)
        paragraph_lead: dict[int, str] = {}           # paragraph -> last unnumbered directive id in it
        current: Speaker | None = voice
        last_person: str | None = voice.name if voice and voice.kind == "person" else None
        previous_paragraph = -1
        in_toc_before = False
        last_was_directive = False
        for sentence in doc.sentences:
            s, e = sentence.span
            in_toc = toc is not None and toc[0] <= s < toc[1]
            if in_toc_before and not in_toc:
                stack.clear()                         # the body restarts the numbering the TOC used
            in_toc_before = in_toc
            if sentence.paragraph != previous_paragraph:
                previous_paragraph = sentence.paragraph
                if not (current is not None and current is not voice and self._paragraph_continues(text, s, e)):
                    current = voice                   # the narrator speaks again
                    last_was_directive = False
            if current is not None and current is not voice and self._narrator_takes_over(text, s, e, current):
                current = voice
                last_was_directive = False
            intros = self.intros(text, s, e, last_person, current)
            if not intros and self.report_formulas is not None and self.report_formulas.search(text, s, e):
                current, last_was_directive = voice, False
                continue                              # 出席座谈会的…还有…: the report's own words, nobody's statement
            segments: list[tuple[int, Speaker | None, bool]] = []   # (start, speaker, starts with a directing verb)
            if intros:
                if intros[0].clause_start > s and current is not None:
                    segments.append((s, current, False))
                for intro in intros:
                    segments.append((intro.statement_start, intro.speaker, intro.statement_start == intro.clause_start))
                    if intro.speaker.kind == "person" and intro.speaker.name:
                        last_person = intro.speaker.name
                current = intros[-1].speaker
                stack.clear()
                last_was_directive = False
            else:
                segments.append((s, current, False))
            # an intro at the sentence's very end (…伊萨耶夫说) puts its statement past it: clamp to the sentence
            bounds = [min(seg[0], e) for seg in segments[1:]] + [e]
            for (seg_start, speaker, directing), seg_end in zip(segments, bounds):
                if speaker is None or seg_start >= seg_end:
                    continue
                made = self._directive(doc, seg_start, seg_end, (s, e), speaker, directing, in_toc, last_was_directive,
                                       sentence.paragraph, directives, by_heading, stack, paragraph_lead)
                last_was_directive = made
        return directives

    # ------------------------------------------------------------------------------------------------
    # who speaks

    def intros(self, text: str, start: int, end: int, last_person: str | None, current: Speaker | None) -> list[Intro]:
        """The speech intros of a sentence, in order (a sentence may pass from one speaker to another)."""
        out: list[Intro] = []
        for match in self.verbs.finditer(text, start, end):
            verb = match.group()
            after = match.end()
            directing = verb in self.directing
            follows = text[after:after + 1]
            if not directing and follows not in "，,：:“\"" and not text.startswith(self.inline_starts, after):
                continue                      # 表示|感谢 …: not a reported statement
            clause_start = self._clause_start(text, start, match.start())
            if self._heeded(text, clause_start, match.start()):
                continue                      # 落实总书记要求，…: the instruction heeded, not a new statement
            who = self._speaker(text, clause_start, match.start(), last_person, current)
            if who is None:
                continue
            if out and out[-1].clause_start == clause_start:
                continue                      # 李希强调要… : one intro per clause
            if directing or follows not in "，,：:“\"":
                statement = clause_start          # 李希要求聚焦…, 会议决定，…: the verb directs, keep it
            else:
                statement = after + 1
                while statement < end and text[statement] in _QUOTES:
                    statement += 1
            out.append(Intro(who, statement, clause_start))
        return out

    def _clause_start(self, text: str, sentence_start: int, pos: int) -> int:
        i = pos
        while i > sentence_start and text[i - 1] not in _CLAUSE_END:
            i -= 1
        while i < pos and (text[i].isspace() or text[i] in _QUOTES):
            i += 1
        return i

    def _speaker(self, text: str, start: int, end: int, last_person: str | None, current: Speaker | None) -> Speaker | None:
        """The speaker written in text[start:end] (the words before a speech verb in its clause)."""
        lex = self.lex
        who_end = self._speaker_end(text, start, end)
        who = text[start:who_end].strip()
        # 胡国辉在主持会议时 / 李希在座谈会上 / 他在讲话中: the place or occasion before the verb
        occasion = re.search(r"在[^，。]{1,40}?(?:时|上|中|期间|之际|后)$", who)
        if occasion:
            who = who[: occasion.start()]
        if not who:
            # 李希还到韶山冲派出所，强调要… / 中共中央、国务院印发…，要求…: the sentence's subject, or the one
            # speaking now
            subject = self._sentence_subject(text, start)
            if subject is not None:
                return subject
            if current is not None and current.kind != "unnamed":
                return current
            return Speaker("person", name=last_person) if last_person else None
        for variant in self._variants(text, start, who):
            person = self._person_ending(start, start + len(variant))
            if person is not None:
                org = self._spokesperson_body(text, start, start + len(variant) - len(person))
                return Speaker("person", name=person, organization=org, span=(start + len(variant) - len(person), start + len(variant)))
            if variant in lex.pronouns:
                # 李希…到湖北调研。他强调，…: the person named last before the pronoun, else the last speaker
                named = self._named_before(start) or last_person
                return Speaker("person", name=named, span=(start, start + len(variant))) if named else None
            holder = next((n for n, titles in self._titles_of.items() if variant in titles), None)
            if holder is not None:
                return Speaker("person", name=holder, span=(start, start + len(variant)))     # 总书记强调
        if not self._nominal(start, start + len(who)):
            return None                       # 搭建起…表达意见|建议: a verb phrase, not a speaker
        if who.endswith(lex.meeting_speakers):
            return Speaker("meeting", span=(start, start + len(who)))
        if who.endswith(self.spokesperson):
            body = who[: -len(next(s for s in self.spokesperson if who.endswith(s)))]
            return Speaker("body", organization=body or who, span=(start, start + len(who)))
        if who.endswith(self.documents) or (who.startswith("《") and who.endswith("》")):
            author = self._author(text, start, who)
            if author is not None:
                return Speaker("person", name=author, organization=None, span=(start, start + len(who)))
            return Speaker("document", organization=who, span=(start, start + len(who)))
        source = self._source(who)
        if source is not None:
            return Speaker("body", organization=source, span=(start, start + len(who)))
        if self._is_body(who, start):
            return Speaker("body", organization=who, span=(start, start + len(who)))
        if len(who) <= 12 and (who.endswith(self.group_speakers) or lex.title_ending_at(who, len(who))):
            return Speaker("group", organization=who, span=(start, start + len(who)))   # 三位县委书记表示
        return None

    def _speaker_end(self, text: str, start: int, end: int) -> int:
        """Where the speaker written before a verb at ``end`` ends, less the adverbs and times between them
        (李希还强调, 毛宁16日表示, 沃洛金当天也表示)."""
        lex = self.lex
        who_end = end
        for _ in range(3):
            trimmed = who_end
            for adverb in lex.speaker_trailing:
                if text.endswith(adverb, start, trimmed):
                    trimmed -= len(adverb)
                    break
            if lex.speaker_trailing_time is not None:
                dated = lex.speaker_trailing_time.search(text, start, trimmed)
                if dated is not None and dated.start() > start:
                    trimmed = dated.start()
            if trimmed == who_end:
                break
            who_end = trimmed
        return who_end

    def _named_before(self, pos: int) -> str | None:
        best: tuple[int, str] | None = None
        for name, person in self._doc.people.items():
            for s, e in person.mentions:
                if e <= pos and pos - e <= 300 and (best is None or s > best[0]):
                    best = (s, name)
        return best[1] if best else None

    def _sentence_subject(self, text: str, clause_start: int) -> Speaker | None:
        """The person or body a sentence starts with, when the clause before the verb has no subject of its own."""
        start = clause_start
        while start > 0 and text[start - 1] not in "。！？!?；;\n":
            start -= 1
        if start == clause_start:
            return None
        first_clause_end = start
        while first_clause_end < clause_start and text[first_clause_end] not in "，,":
            first_clause_end += 1
        if re.search(r"主持召开[^，。]*会议", text[start:clause_start]):
            return Speaker("meeting", span=(start, clause_start))   # 李克强主持召开国务院常务会议，…确定…
        best: tuple[int, str] | None = None
        for name, person in self._doc.people.items():
            for s, e in person.mentions:
                if start <= s < first_clause_end and (best is None or s < best[0]):
                    best = (s, name)
        if best is not None:
            return Speaker("person", name=best[1], span=(best[0], best[0] + len(best[1])))
        # a body at the start: 中共中央、国务院印发…
        end = start
        for s, e, tag in self._words_in(start, first_clause_end):
            if s != end:
                break
            if tag in ("ORG", "LOC") or text[s:e] in "、和与及":
                end = e
            else:
                break
        while end > start and text[end - 1] in "、和与及":
            end -= 1
        if end > start:
            return Speaker("body", organization=text[start:end], span=(start, end))
        return None

    def _author(self, text: str, start: int, who: str) -> str | None:
        """文章强调 after 《求是》杂志发表习近平的重要文章: an authored document speaks for its author."""
        genre = next((g for g in self.authored if who.endswith(g)), None)
        if genre is None:
            return None
        best: tuple[int, str] | None = None
        for name, person in self._doc.people.items():
            for s, e in person.mentions:
                if s >= start:
                    continue
                window = text[e:e + 24]
                pos = window.find(genre)
                if pos != -1 and not any(c in "。；\n" for c in window[:pos]) and (best is None or s > best[0]):
                    best = (s, name)
        return best[1] if best else None

    def _variants(self, text: str, start: int, who: str) -> list[str]:
        """The speaker expression and its shorter readings: 他|对大家 (说), 习近平|总书记 (指出),
        洪秀柱|等台湾嘉宾 (表示)."""
        lex = self.lex
        out = [who]
        addressed = re.search(r"(?:对|向|给|跟|和|同)[^，。]{1,10}$", who)
        if addressed and addressed.start() > 0:
            out.append(who[: addressed.start()])
        for form in list(out):
            title = lex.title_ending_at(form, len(form))
            if title is not None and len(form) > len(title.surface):
                out.append(form[: -len(title.surface)])
        group = who.find("等")
        if group > 0:
            out.append(who[:group])
        return out

    def _nominal(self, start: int, end: int) -> bool:
        """True when the model reads text[start:end] as names and nouns only (a body, a document, a meeting)."""
        for s, e, tag in self._words_in(start, end):
            if tag[:1] in ("v", "p", "c", "u", "d", "r") and tag not in ("vn",):
                return False
        return True

    def _words_in(self, start: int, end: int):
        return self._doc.words_in(start, end)

    def _person_ending(self, start: int, end: int) -> str | None:
        name = self._person_ends.get(end)
        if name is not None and end - len(name) >= start:
            return name
        return None

    def _spokesperson_body(self, text: str, start: int, name_start: int) -> str | None:
        """外交部发言人|毛宁: the body a spokesperson speaks for."""
        before = text[start:name_start]
        for word in self.spokesperson:
            if before.endswith(word) and len(before) > len(word):
                return before[: -len(word)]
        return None

    def _source(self, who: str) -> str | None:
        """记者从国家卫生健康委获悉 / 据商务部: the body a report's statements come from."""
        for head in self.source_before:
            if who.startswith(head):
                body = who[len(head):]
                return body or None
        m = self.source_after.search(who)
        if m and m.start() > 1:
            return who[: m.start()]
        return None

    def _is_body(self, who: str, start: int) -> bool:
        lex, doc = self.lex, self._doc
        if len(who) > 24 or any(c in who for c in "，。；"):
            return False
        if who in lex.foreign_states or who in lex.international_bodies or who in lex.bodies["national"]:
            return True
        if (len(who) == 2 and who[1] in lex.side_endings) or (who.endswith("方面") and len(who) <= 8):
            return True                                  # 中方, 美方, 英国方面
        end = start + len(who)
        if any(s == start and e == end for s, e in (x.span for x in doc.entities if x.label in ("ORG", "LOC"))):
            return True                                  # 外交部表示, 河北沧州要求
        if all(tag in ("ORG", "LOC") or text in "、和与及" for _s, _e, tag in self._words_in(start, end)
               for text in [doc.text[_s:_e]]) and self._words_in(start, end):
            return True                                  # 中共中央、国务院
        for spans in doc.organizations.spans.values():
            if (start, end) in spans:
                return True
        return who.endswith(tuple(lex.bodies["suffixes"])) and len(who) >= 3

    def document_voice(self, doc: Doc) -> Speaker | None:
        """Who speaks where no statement says so: the person a title names (习近平在…时强调), or the unnamed
        speaker of a speech or outline (讲话提纲) and the body they speak for (代表县政府)."""
        lex, title, text = self.lex, doc.meta.title, doc.text
        if not title:
            return None
        names = set(doc.people)
        named = [n for n in names if n in title and re.search(re.escape(n) + r".{0,30}(强调|指出|讲话|致辞|表示|发言|要求|主持)", title)]
        if named:
            return Speaker("person", name=min(named, key=title.index))
        if not any(w in title for w in lex.speech_titles):
            return None
        if any(self.intros(text, s.span[0], s.span[1], None, None) for s in doc.sentences):
            return None
        m = re.search(r"代表([\u4e00-\u9fff]{2,12}?)(?:[，,、]|向|对|感谢)", text)
        organization = m.group(1) if m else None
        span = (m.start(1), m.end(1)) if m else None
        return Speaker("unnamed", organization=organization, span=span)

    def _paragraph_continues(self, text: str, start: int, end: int) -> bool:
        """A new paragraph goes on with the last speaker when it starts like a continuation (要…, 一是…,
        中方…); it is the narrator's when it starts with a person, a time, a place or an occasion."""
        head = self._content_start(text, start)
        if text.startswith(self.continues, head):
            return True
        if self.paragraph_mode != "lenient":
            return False
        if head in self._person_starts or self._tags.get(head) in ("PER", "TIME", "LOC", "ORG", "t", "p", "s", "f"):
            return False
        return not any(m in text[start:end] for m in self.narration)

    def _narrator_takes_over(self, text: str, start: int, end: int, current: Speaker) -> bool:
        """牢记总书记嘱托，这些年，… : a sentence that names the speaker in the third person, or looks back, is
        the narrator's; a document's or a body's statement goes on only into sentences that continue it."""
        body = text[start:end]
        if any(m in body for m in self.narration):
            return True
        if current.kind == "person" and current.name:
            titles = {t for t in self._titles_of.get(current.name, set()) if len(t) >= 2}
            if current.name in body or any(self._speakers_title_at(text, start, end, t, current.name) for t in titles):
                # unless the sentence is a new intro of theirs (not 落实总书记要求, the instruction heeded)
                return not any(not self._heeded(text, self._clause_start(text, start, m.start()), m.start())
                               for m in self.verbs.finditer(text, start, end))
        if current.kind in ("document", "body"):
            return not text.startswith(self.continues, self._content_start(text, start))
        return False

    def _heeded(self, text: str, clause_start: int, verb: int) -> bool:
        """落实总书记要求 / 牢记习近平总书记嘱托: the clause heeds an instruction (a heeding verb, then who gave it,
        then the verb as a noun); nobody speaks in it."""
        head = self._content_start(text, clause_start)
        return head < verb and text.startswith(self.heeding, head)

    def _speakers_title_at(self, text: str, start: int, end: int, title: str, speaker: str) -> bool:
        """The speaker's title written in the sentence as a reference to them (总书记指出…), not as another
        person's title (王沪宁表示，…。去年，习近平主席同…: 主席 is 习近平's)."""
        pos = text.find(title, start, end)
        while pos != -1:
            after, before = pos + len(title), pos
            other_after = after in self._person_starts and not text.startswith(speaker, after)
            other_before = self._person_ends.get(before) not in (None, speaker)
            longest = self.lex.title_ending_at(text, after)
            # 书记 inside 习近平总书记: a longer title that is not the speaker's
            inside_another = longest is not None and len(longest.surface) > len(title) \
                and longest.surface not in self._titles_of.get(speaker, ())
            if not (other_after or other_before or inside_another):
                return True
            pos = text.find(title, pos + 1, end)
        return False

    def _content_start(self, text: str, pos: int) -> int:
        while pos < len(text) and (text[pos].isspace() or text[pos] in _QUOTES):
            pos += 1
        return pos

    # ------------------------------------------------------------------------------------------------
    # what counts

    def modality(self, text: str, start: int, end: int) -> tuple[str, str, int, str] | None:
        """(word, strength, position, kind) of the first instruction or pledge word in text[start:end]."""
        lex = self.lex
        best: tuple[str, str, int, str] | None = None
        for word, strength in lex.modality.items():
            pos = self._find(text, word, start, end)
            if pos is not None and word in self.verb_only and self._tags.get(pos) not in (None, "v", "vd"):
                pos = None                    # 契合新时代要求: a noun
            if pos is not None and (best is None or pos < best[2] or (pos == best[2] and len(word) > len(best[0]))):
                best = (word, strength, pos, "instruction")
        subject = self._pledge_subject_at(text, start, end)
        if subject is not None:
            for word in self.subject_verbs:
                if text.startswith(word, subject):
                    if best is None or subject < best[2]:
                        best = (word, "pledge", subject, "pledge")
                    break
        for word in self.pledge_words:
            pos = self._find(text, word, start, end)
            while pos is not None and self._predicted(text, start, pos, word):
                pos = self._find(text, word, pos + 1, end)   # 合作必将取得…: a prediction; a later pledge may follow
            if pos is None:
                continue
            if word == "将" and self._tags.get(pos) not in (None, "d", "vd"):
                continue                      # 将|其纳入: a preposition, not a promise
            if word in self.verb_only and self._tags.get(pos) not in (None, "v", "vd"):
                continue                      # 关于…的决定, 做了大量准备: a noun, not a commitment
            if text.startswith("了", pos + len(word)):
                continue                      # 决定了: done, not promised
            if word == "宣布" and text[pos:end].rstrip("。！；”").endswith(self.ceremonial):
                continue                      # 宣布…启动: a ceremony
            if word == "宣布" and self._announces_a_fact(text, pos + len(word), end):
                continue                      # 宣布过去24小时新增…: a report, not a decision
            if any(m in text[pos + len(word):pos + len(word) + 6] for m in self.sentiments):
                continue                      # 我将永远铭记…: a feeling, not a commitment
            if best is None or pos < best[2]:
                best = (word, "pledge", pos, "pledge")
        return best

    def _predicted(self, text: str, start: int, pos: int, word: str) -> bool:
        """The pledge word at ``pos`` foretells: a hedge before it in the statement (遇难人数可能还将上升), an
        outcome after 将 (将产生严重后果), or a prediction (必将, 终将) whose subject is not the speaker's side
        written right before it: 欧中合作必将取得更多成果 foretells, 中方必将坚决反制 pledges."""
        if any(text.find(h, start, pos) != -1 for h in self.hedges):
            return True
        if word == "将" and text.startswith(self.outcomes, pos + len(word)):
            return True
        for prediction in self.predictions:
            offset = prediction.find(word)
            while offset != -1:
                head = pos - offset
                if head >= start and text.startswith(prediction, head):
                    _clause, subject = self._subject_before(text, start, head)
                    subject = subject.lstrip(_QUOTES)
                    return subject not in self.pledge_subjects and not self._is_side(subject)   # 俄方必将…: a side
                offset = prediction.find(word, offset + 1)
        return False

    def _announces_a_fact(self, text: str, start: int, end: int) -> bool:
        """What follows 宣布 reports a fact (过去24小时新增…, 最新数据显示…) and decides nothing."""
        content = text[start:end]
        if not any(m in content for m in self.announced_facts):
            return False
        for word in self.announced_decisions:
            pos = self._find(text, word, start, end)
            while pos is not None:
                if word != "将" or self._tags.get(pos) in (None, "d", "vd"):
                    return False              # 将其扣押: a preposition decides nothing; 将赴: a visit
                pos = self._find(text, word, pos + 1, end)
        return True

    def _judged(self, text: str, pos: int, end: int) -> bool:
        """The modal word at ``pos`` opens the subject of a judgement (…仍然是最大威胁, …的行为构成威胁): a verb of
        assessment follows it in its clause, with no verb of knowing between. (A plain copula does not: 要坚持绿水青山
        就是金山银山的理念 instructs.)"""
        clause_end = min((i for i in (text.find(c, pos, end) for c in "，,；;。！？") if i != -1), default=end)
        found = [i for i in (text.find(w, pos, clause_end) for w in self.assessments) if i != -1]
        return bool(found) and not any(k in text[pos:min(found)] for k in self.knowing)

    def _pledge_subject_at(self, text: str, start: int, end: int) -> int | None:
        """Where the verb after a pledging subject starts (中方|支持…, 我们|欢迎…), or None."""
        for subject in self.pledge_subjects:
            if text.startswith(subject, start):
                pos = start + len(subject)
                for adverb in self.lex.speaker_trailing:
                    if text.startswith(adverb, pos):
                        pos += len(adverb)
                        break
                return pos
        return None

    def _find(self, text: str, word: str, start: int, end: int) -> int | None:
        pos = text.find(word, start, end)
        while pos != -1:
            if not self._inside_non_modal(text, pos, word):
                return pos
            pos = text.find(word, pos + 1, end)
        return None

    def _inside_non_modal(self, text: str, pos: int, word: str) -> bool:
        if self.lex.not_modal_pattern is not None and self.lex.not_modal_pattern.match(text, pos):
            return True                       # 应马克龙总统邀请: a preposition
        for nm in self.lex.not_modal:
            offset = nm.find(word)
            while offset != -1:
                if text.startswith(nm, pos - offset):
                    return True
                offset = nm.find(word, offset + 1)
        return False

    def _excluded(self, text: str, start: int, end: int) -> bool:
        body = text[start:end]
        if body.lstrip(_QUOTES).startswith(self.wishes):
            return True
        instruction = any(self._find(text, w, start, end) is not None for w in self.instruction_strong)
        if (body.startswith(self.past_starts) or self._in_a_past_year(body)) and not instruction:
            return True                       # 去年11月，…举行会晤，一致同意…: what was done, not a commitment
        if any(m in body for m in self.value_markers) and not any(self._find(text, w, start, end) is not None for w in self.strong):
            return True
        return False

    def _in_a_past_year(self, body: str) -> bool:
        """The statement opens with a year before the document's (习近平指出，2014年，我应普京总统邀请赴俄罗斯…):
        a recollection. A target year (到2035年) opens with 到, not with the year."""
        m = _YEAR_START.match(body.lstrip(_QUOTES))
        published = self._doc.meta.published or ""
        return bool(m) and published[:4].isdigit() and int(m.group(1)) < int(published[:4])

    def _imperative_start(self, text: str, start: int, end: int) -> bool:
        """A sentence that starts with a verb that instructs and states no identity or fact (抓好党建|是|本职,
        像这样的企业…有近10家 are statements)."""
        opening = start
        if self.lex.not_modal_pattern is not None and self.lex.not_modal_pattern.match(text, start):
            return False                      # 应…邀请，…: a visit's formula
        words = self._words_in(start, end)
        if len(words) >= 2 and words[0][0] == start and words[0][2] in self.adverb_tags and words[0][1] - start >= 2 \
                and text[start:words[0][1]] not in self.not_imperative_adverbs and words[1][2] in self.imperative_tags:
            start = words[1][0]           # 积极|投身…, 切实|加强…: a manner adverb before the verb
        if self._tags.get(start) not in self.imperative_tags or text.startswith(self.not_imperative, start):
            return False
        if any(text[s:e] in self.copulas for s, e, _t in self._words_in(start, end)):
            return False
        return not any(m in text[opening:end] for m in self.fact_markers)   # 很荣幸|来华…: the adverb counts

    def _directive(self, doc: Doc, s: int, e: int, sentence: Span, speaker: Speaker, directing: bool, in_toc: bool,
                   follows_directive: bool, paragraph: int, directives: list[Directive], by_heading: dict[str, Directive],
                   stack: list[tuple[str, str]], paragraph_lead: dict[int, str]) -> bool:
        text, lex = doc.text, self.lex
        while e > s and text[e - 1] in " \t":
            e -= 1
        marker = match_marker(text, s, lex)
        modal = self.modality(text, s, e)
        if modal is not None and (self._excluded(text, s, e) or self._judged(text, modal[2] + len(modal[0]), e)):
            modal = None
        implied = False
        content = marker[2] if marker is not None else s
        if modal is None and (follows_directive or marker is not None or text.startswith(self.instructing_starts, content)) \
                and speaker.kind in ("person", "meeting", "body", "document", "group") \
                and self._imperative_start(text, content, e) and not self._excluded(text, s, e):
            implied = True                    # 双方要…。|携手建设…。, 一是倡导共同安全: a verb that instructs
        parent_id: str | None = None
        ordinal: int | None = None
        family: str | None = None
        if marker is not None:
            family, ordinal, _ = marker
            families = [f for f, _ in stack]
            if family in families:
                while stack and stack[-1][0] != family:
                    stack.pop()
                stack.pop()
            if stack:
                parent_id = stack[-1][1]
            elif ordinal == 1 or paragraph in paragraph_lead:
                parent_id = paragraph_lead.get(paragraph)
            if modal is None and parent_id is None and not implied:
                return False
        else:
            if modal is None and not implied:
                return False
            parent_id = stack[-1][1] if stack else None

        heading = _normalise_heading(text[s:e])
        existing = by_heading.get(heading) if marker is not None or in_toc else None
        if existing is not None and existing.in_toc and not in_toc:
            # the body's copy of a TOC heading: one directive, two mentions; the body is the main span
            existing.mentions.append((s, e))
            existing.span = (s, e)
            if marker is not None:
                stack.append((family, existing.id))
            return True
        if modal is not None and modal[3] == "pledge" and speaker.kind in ("person", "group") \
                and not self._speakers_side(doc, s, modal[2], speaker):
            return False                      # 德国公司将因此受益: a prediction, not the speaker's pledge
        if modal is not None and not text[modal[2] + len(modal[0]):e].strip(" ，,。；;：:“”\n"):
            return False                      # 习近平总书记郑重宣布，: nothing is said yet
        kind = modal[3] if modal else (directives[-1].kind if directives and implied else "instruction")
        directive = Directive(
            id=f"d{len(directives) + 1}",
            span=(s, e),
            speaker=speaker,
            modality=modal[0] if modal else None,
            strength=modal[1] if modal else ("implied" if implied else None),
            kind=kind,
            ordinal=ordinal,
            marker_family=family,
            parent=parent_id,
            addressees=self._addressees(doc, s, e, modal),
            industries=[_shift(m, s) for m in industry_vocab.find_industries(text[s:e], lex.industries)],
            mentions=[(s, e)],
            in_toc=in_toc,
            sentence=sentence,
            quantities=self.quantities(text, s, e),
        )
        directives.append(directive)
        if in_toc or marker is not None:
            by_heading.setdefault(heading, directive)
        if marker is not None:
            stack.append((family, directive.id))
        else:
            paragraph_lead[paragraph] = directive.id
        return True

    def _addressees(self, doc: Doc, s: int, e: int, modal: tuple[str, str, int, str] | None) -> list[Addressee]:
        """Whom a directive is addressed to: the subject before its modal word (各级各单位要…); after a
        directing verb, its object (要求各级党组织认真…) or the subject after its comma (会议要求，各地区各部门要…)."""
        text, lex = doc.text, self.lex
        verb = None if modal is None else next((v for v in self.directing if text.startswith(v, modal[2])), None)
        if verb is None:
            return find_addressees(text, s, modal[2] if modal else s, lex)
        # before a directing verb stands its speaker (教育部|要求各地学校…), never its addressee
        after = modal[2] + len(verb)
        if text[after:after + 1] in ("，", ",", "：", ":"):
            inner = self.modality(text, after + 1, e)
            return find_addressees(text, after + 1, inner[2], lex) if inner is not None else []
        return object_addressees(text, after, e, doc.words, lex)

    def _subject_before(self, text: str, start: int, pos: int) -> tuple[int, str]:
        """(where its clause starts, the subject written before ``pos`` in that clause, less a trailing adverb)."""
        clause = max(start, max(text.rfind(c, start, pos) for c in "，,；;：:") + 1)
        subject = text[clause:pos].strip()
        for adverb in self.lex.speaker_trailing:
            if subject.endswith(adverb):
                return clause, subject[: -len(adverb)]
        return clause, subject

    def _is_side(self, subject: str) -> bool:
        """中方, 美方, 俄方: a state's side in two characters."""
        return len(subject) == 2 and subject[1] in self.lex.side_endings

    def _speakers_side(self, doc: Doc, start: int, verb: int, speaker: Speaker) -> bool:
        """A pledge binds its speaker: its subject (what stands before the pledge word in the clause) is empty,
        the speaker's side (中方, 我们), a body or a state, or the speaker."""
        text, lex = doc.text, self.lex
        clause, subject = self._subject_before(text, start, verb)
        if not subject or subject in self.pledge_subjects or subject in lex.pronouns:
            return True
        if speaker.name and (speaker.name in subject or subject in self._titles_of.get(speaker.name, ())):
            return True                       # 李希要求 / 总书记希望: the speaker by name or by title
        if self._is_side(subject) or subject in lex.foreign_states \
                or (len(subject) == 2 and subject[0] in lex.state_abbreviations and subject[1] in lex.state_group_endings):
            return True
        words = self._words_in(clause, verb)
        bodies = tuple(lex.bodies["suffixes"]) + tuple(lex.bodies["cores"])       # 芬兰|议会愿…: the state's parliament
        return bool(words) and words[0][2] in ("ORG", "LOC") and all(t not in ("n",) or doc.text[a:b].endswith(bodies)
                                                                   for a, b, t in words[1:] if t not in ("ORG", "LOC", "w", "c"))

    def quantities(self, text: str, start: int, end: int) -> list[Quantity]:
        out: list[Quantity] = []
        taken: list[Span] = []
        for kind, pattern in self.quantity_patterns:
            for m in pattern.finditer(text, start, end):
                span = m.span()
                if any(a < span[1] and span[0] < b for a, b in taken):
                    continue
                taken.append(span)
                number = re.search(r"\d+(?:\.\d+)?", m.group())
                value = float(number.group()) if number else None
                unit = m.group()[number.end():] if number else None
                out.append(Quantity(kind, m.group(), span, value, unit or None))
        return sorted(out, key=lambda q: q.span)


def _shift(mention: industry_vocab.IndustryMention, offset: int) -> industry_vocab.IndustryMention:
    return industry_vocab.IndustryMention(mention.start + offset, mention.end + offset, mention.concept, mention.label, mention.surface)


def find_addressees(text: str, start: int, modal_pos: int, lex) -> list[Addressee]:
    """各级各单位要… / 科技局、人才办等单位要… / 全市各级政协组织和政协委员，要…: the subject before the
    modal verb, when it names a group or a body."""
    if modal_pos <= start:
        return []
    subject_start = start
    marker = match_marker(text, start, lex)
    if marker is not None:
        subject_start = marker[2]
    subject_end = modal_pos
    while subject_end > subject_start and text[subject_end - 1] in "，, ":
        subject_end -= 1
    comma = max(text.rfind("，", subject_start, subject_end), text.rfind(",", subject_start, subject_end))
    if comma != -1:
        subject_start = comma + 1
    return _split_addressees(text, subject_start, subject_end, lex)


def object_addressees(text: str, verb_end: int, end: int, words: list[tuple[int, int, str]], lex) -> list[Addressee]:
    """李希要求各级党组织认真贯彻… / 号召全国各族人民…: the group a directing verb is addressed to, the words
    after it up to the first verb, adverb or punctuation (by the model's tags)."""
    stop = verb_end
    for ws, we, tag in words:
        if we <= verb_end:
            continue
        if ws >= end or ws < stop or tag in ("v", "vd", "d", "ad", "w", "p", "u") or text[ws] in "，,。；;：:":
            break
        stop = we
    return _split_addressees(text, verb_end, stop, lex) if stop > verb_end else []


def _split_addressees(text: str, subject_start: int, subject_end: int, lex) -> list[Addressee]:
    subject = text[subject_start:subject_end]
    if not subject or len(subject) > 40:
        return []
    if not (subject.startswith(lex.addressee_starts) or subject.endswith(lex.addressee_ends) or _names_a_body(subject, lex)):
        return []
    for suffix in lex.addressee_strip:
        if subject.endswith(suffix):
            subject_end -= len(suffix)
            subject = subject[: -len(suffix)]
            break
    pattern = re.compile("|".join(map(re.escape, lex.addressee_separators)))
    out: list[Addressee] = []
    pos = subject_start
    for part in pattern.split(subject):
        part_start = text.find(part, pos, subject_end) if part else -1
        if part and part_start != -1:
            out.append(Addressee(part, (part_start, part_start + len(part))))
            pos = part_start + len(part)
    return out


def _names_a_body(subject: str, lex) -> bool:
    first = re.split("、|和|及", subject)[0]
    return 2 <= len(first) <= 12 and first.endswith(lex.addressee_body_endings)


@component("directives")
def make_directives(lexicon, paragraphs: str = "lenient"):
    """``paragraphs``: "lenient" (a new paragraph that does not start with a person, a time, a place or an
    occasion goes on with the last speaker) or "strict" (only one that starts like a continuation: 要…, 一是…)."""
    return Directives(lexicon, paragraphs)
