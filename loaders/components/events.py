"""Events as government news reports them, with who took part in which role, when and where.

* **Meetings and conferences**: a held verb next to a name with a meeting suffix (``市政协召开协商议政大会``,
  ``…第二次会议10日下午在北京人民大会堂举行``); people named before a role phrase take that role
  (``出席会议并讲话``, ``主持``, ``先后发言``, ``提交了书面发言``: ``verbs.toml`` [roles]); ``X出席/主持…论坛/开幕式``.
* **Talks** (``会见/会谈/会晤/通电话``): the people named before the trigger and after it all ``met``
  (``由…率领的代表团``: its leader); ``…等参加会见``, ``陪同``, ``在座``: ``attended``.
* **Inspections** (``考察/调研/视察/看望慰问``): the people before the trigger ``inspected``; those who
  accompany them ``attended`` (and ``accompanied``).
* **Letters and messages** (``致信/贺信/复信/致电/回信``): the sender ``wrote``, with the addressee.
* **Visits** (``国事访问``, ``来华出席…``): ``attended``; ceremonies (``…开幕式``, ``…仪式``) are attended.
* A participant whose words at a talk, an inspection or a letter are reported (``X表示``, ``他强调``) also ``spoke``.
* Dates (``19日``, ``6月18日至19日``, ``去年11月``: month only, no day invented) resolved against the publication
  date (``loaders/dates.py``); the place where the text gives it (``在北京人民大会堂``). Past and planned
  events the text names are events too (``去年11月习近平主席同石破茂首相举行会晤``).

The words are data: ``lexicons/events.toml`` and ``verbs.toml``.
"""
from __future__ import annotations

import re

from ..dates import DateExpr, find_dates, resolve_date
from ..doc import Doc, Event
from ..model import Span
from ..registry import component

_THEME = re.compile(r"围绕[“\"「]([^”\"」]{2,80})[”\"」]|以[“\"「]([^”\"」]{2,80})[”\"」]为主题|主题为[“\"「]([^”\"」]{2,80})[”\"」]")
_PLACE = re.compile(r"在([\u4e00-\u9fff]{1,16}?)(?=同|与|和|会见|会谈|会晤|举行|出席|主持|考察|调研|视察|召开|接见|通电话|亲切)")
_CLAUSE = "，,；;：:"
_LISTED = re.compile(r"(?P<name>[^，。；、的]{2,30})的[^，。；]{0,12}?(?:还有|包括)")
_SENTENCE_END = "。！？!?\n"

Meeting = Event


class Events:
    def __init__(self, lexicon):
        self.lex = lexicon
        ev = lexicon.events
        self.kinds = {}
        self.officials_only: set[str] = set()
        self.describes_guest_after: dict[str, tuple[str, ...]] = {}
        for kind, spec in ev["kinds"].items():
            for trigger in spec["triggers"]:
                self.kinds[trigger] = (spec.get("kind", kind), spec.get("subject_role"), spec.get("object_role"))
                if spec.get("officials_only"):
                    self.officials_only.add(trigger)
                if spec.get("describes_guest_after"):
                    self.describes_guest_after[trigger] = tuple(spec["describes_guest_after"])
        self.trigger_pattern = re.compile("|".join(map(re.escape, sorted(self.kinds, key=len, reverse=True))))
        att = ev["attendance"]
        self.attendance_verbs = dict(att["verbs"])
        self.event_suffixes = tuple(sorted(set(att["ceremonies"]) | set(att["conferences"]) | set(lexicon.meeting_suffixes),
                                           key=len, reverse=True))
        self.ceremonies = tuple(att["ceremonies"])
        self.conferences = tuple(att["conferences"])
        self.attended_after = tuple(sorted(att["attended_after"], key=len, reverse=True))
        self.accompanied = tuple(att["accompanied"])
        self.joining = lexicon.event_joining
        self.motion_verbs = frozenset(att.get("motion_verbs", ()))
        self.light_verbs = frozenset(att.get("light_verbs", ()))
        self.press_conferences = tuple(att.get("press_conferences", ()))
        self.aside_pattern = re.compile("|".join(
            f"{re.escape(a)}[^，,。；;]{{1,60}}?{re.escape(b)}" for a, b in (pair.split("…") for pair in att.get("asides", ()))))
        self.recipient_markers = lexicon.letter_recipient_markers
        self.relative_days = {k: int(v) for k, v in ev["dates"].get("relative_days", {}).items()}
        self.held_pattern = _meeting_pattern(lexicon)
        endings = "|".join(map(re.escape, self.event_suffixes))
        self.occasion_pattern = re.compile(rf"在(?P<name>[\u4e00-\u9fff“”《》0-9]{{2,40}}?(?:{endings}))(?=上|发表|作|致辞|讲话|时|，)")
        self.speech_at = re.compile("|".join(map(re.escape, sorted(ev["attendance"]["speeches"], key=len, reverse=True))))
        self.noun_after = tuple(ev.get("triggers_as_nouns", {}).get("followed_by", []))
        self.speech = re.compile("|".join(map(re.escape, sorted(set(lexicon.speech_verbs) | {
            "表示", "指出", "强调", "说", "认为", "希望", "要求", "介绍"}, key=len, reverse=True))))

    # ------------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> None:
        text = doc.text
        self._doc = doc
        self._tags = {a: t for a, _b, t in doc.words}
        persons = doc.person_spans()
        meetings: list[Event] = []
        others: list[Event] = []
        # a document that announces a held meeting: 主持会议 there is that meeting, not another
        held: dict[int, Event | None] = {}
        for sentence in doc.sentences:
            s, e = sentence.span
            # the pattern tries every start of a sentence; one without a held verb cannot match
            m = self.held_pattern.search(text, s, e) if self.lex.meeting_held_pattern.search(text, s, e) else None
            held[s] = _meeting_from_match(text, m, (s, e), doc.meta.published, list(doc.people), self.lex) if m else None
        # (a 召开座谈会 whose name says nothing, 李希主持召开座谈会, announces no meeting of its own)
        self._held = any(m is not None for m in held.values())
        for sentence in doc.sentences:
            s, e = sentence.span
            meeting = held[s]
            if meeting is not None:
                meetings.append(meeting)
            others.extend(self._triggered(doc, s, e, persons, meeting))
            if meeting is None:
                others.extend(self._attended(doc, s, e, persons))
            others.extend(self._guests(doc, s, e, persons))
            others.extend(self._occasions(doc, s, e, persons))
        meetings = _dedupe(meetings)
        if meetings:
            _assign_roles(text, doc.sentences, meetings, persons, self.lex)
        events = self._merge(meetings + others)
        if not meetings:
            # 先后致辞 after 出席…启动仪式: the speakers spoke at that ceremony
            gatherings = [ev for ev in events if ev.kind in ("meeting", "conference", "ceremony")]
            if gatherings:
                _assign_roles(text, doc.sentences, gatherings, persons, self.lex, only=("spoke",))
        self._inherit_dates(events)
        self._spoke(doc, events, persons)
        _imply_roles(events, self.lex.implied_roles)
        doc.events = sorted(events, key=lambda ev: ev.span)

    # ------------------------------------------------------------------------------------------------
    # talks, inspections, letters, visits

    def _triggered(self, doc: Doc, s: int, e: int, persons, meeting: Event | None) -> list[Event]:
        text = doc.text
        out: list[Event] = []
        for match in self.trigger_pattern.finditer(text, s, e):
            kind, subject_role, object_role = self.kinds[match.group()]
            if kind == "talks" and self._attendance_phrase(text, match.start()):
                continue                       # 王毅参加会见: attends the talk announced elsewhere
            if kind in ("inspection", "visit") and text[max(s, match.start() - 4):match.start()].endswith(self.joining):
                continue                       # 刘家义陪同考察: accompanies the inspection announced before
            if text.startswith(("团", "者", "学者"), match.end()):
                continue                       # 访华团, 来访者: a noun, not the event
            if self._describes_guest(text, s, match):
                continue                       # 会见|来华出席…的Y: the guest's visit, told by 出席…的 (_described)
            if kind != "competition" and (not self._tagged_verb(match) and not self._after_motion(text, s, match.start())
                                          or text.startswith(self.noun_after, match.end())):
                continue                       # 重点考察调研成果, 调研协商座谈会: a noun, not the event
            clause_start = self._subject_start(text, s, match.start())
            subjects = [p for p in self._subjects(text, persons, clause_start, match.start())
                        if not self._reported_between(text, p[1], match.start())
                        and not self._inside_aside(text, clause_start, match.start(), p)]
            if match.group() in self.officials_only:
                # 习近平总书记来到重庆: an official's arrival is an inspection; a worker's is not
                subjects = [p for p in subjects if doc.people.get(p[2]) is not None and doc.people[p[2]].positions
                            and match.start() - p[1] <= 8]
                if not subjects or self._inside_other_event(text, s, match.start()):
                    continue
            objects: list[tuple[int, int, str]] = []
            if object_role is not None:
                stop = self._object_end(text, match.end(), e)
                objects = [p for p in persons if match.end() <= p[0] and p[1] <= stop]
                # 同X举行会谈 / 与X通电话: the other side is written before the trigger, after 同/与
                with_side = self._with_side(text, clause_start, match.start())
                if with_side is not None:
                    objects = [p for p in subjects if p[0] >= with_side] + objects
                    subjects = [p for p in subjects if p[0] < with_side]
            if kind == "visit":
                described = self._described(text, persons, match.end(), self._object_end(text, match.end(), e))
                if described is not None:
                    subjects = described[1]     # 来华出席…的马来西亚总理安瓦尔: the visitor is the one described
            if not subjects and kind != "competition":
                subjects = self._subject_after(text, persons, match.start(), e)   # 在会见奥尼尔时，李克强表示
            if kind == "competition":
                # 在…决赛中，刘梦婷、杨如意、韩林杉包揽金、银、铜牌: everyone named in the sentence competes
                subjects, objects = [p for p in persons if s <= p[0] and p[1] <= e], []
            if not subjects and not objects:
                continue
            if kind == "talks" and not (subjects and objects) and not self._names_a_side(text, match.end(), e) \
                    and not (subjects and self._subject_after(text, persons, match.start(), e)):
                # 在会见奥尼尔时，李克强表示: the guest before, the host after
                if not (objects and self._subject_after(text, persons, match.start(), e)):
                    continue                   # 会见 with one named side and no other
            event = Event(self._name(text, kind, subjects, objects, match), (s, e), None, kind=self._kind(kind),
                          trigger=match.group())
            self._date_and_place(doc, event, s, match.start(), e)
            for p in subjects:
                event.add(p[2], subject_role or "attended", (p[0], p[1]))
            for p in objects:
                event.add(p[2], object_role or "attended", (p[0], p[1]))
            if kind in ("talks", "inspection") and self._spoke_while(text, match.end(), e):
                for p in subjects:              # 习近平在北京会见国际工商界代表时强调: he spoke at that talk
                    event.add(p[2], "spoke", (p[0], p[1]))
            if kind == "letter":
                self._addressee(text, event, match.end(), e, objects, match.start(), subjects)
            if kind == "inspection":
                self._accompanying(text, event, s, e, persons, match.start())
            out.append(event)
        return out

    def _tagged_verb(self, match: re.Match[str]) -> bool:
        """The model reads the trigger as a verb: its first word, or a later one of a longer trigger (亲切|会见)."""
        tags = [self._tags.get(i) for i in range(match.start(), match.end())]
        return tags[0] in (None, "v", "vd") or any(t in ("v", "vd") for t in tags[1:])

    def _describes_guest(self, text: str, s: int, match: re.Match[str]) -> bool:
        """会见|来华出席…的Y, 会见|来华进行|国事访问的Y: a visit right after a talk's trigger describes its guest."""
        words = self.describes_guest_after.get(match.group(), ())
        if text.endswith(words, s, match.start()):
            return True
        before = text[max(s, match.start() - 8):match.start()]
        return any(w in before and not re.search(r"[，,。；;、]", before[before.rindex(w):]) and
                   self.trigger_pattern.search(before[before.rindex(w) + len(w):]) for w in words)

    def _inside_aside(self, text: str, start: int, end: int, person) -> bool:
        """在陈吉宁和龚正陪同下 / 应习近平邀请: a person inside an aside is not the trigger's subject."""
        return any(m.start() < person[0] and person[1] <= m.end() for m in self.aside_pattern.finditer(text, start, end))

    def _after_motion(self, text: str, s: int, pos: int) -> bool:
        """前往海南国际会展中心展览厅|巡馆, 赴湖南|调研: a trigger right after going to a place is the verb of
        that going, and 进行|国事访问 the event a light verb carries, whatever tag the model gave it."""
        words = [w for w in self._doc.words_in(s, pos) if w[1] <= pos]
        if words and words[-1][1] == pos and text[words[-1][0]:pos] in self.light_verbs:
            return True                   # 对马来西亚进行|国事访问, 开展|调研: the event a light verb carries
        return len(words) >= 2 and words[-1][1] == pos and words[-1][2] in ("LOC", "ORG", "ns") \
            and text[words[-2][0]:words[-2][1]] in self.motion_verbs

    def _spoke_while(self, text: str, start: int, end: int) -> bool:
        """…会见X时强调 / 主持召开…座谈会时指出: the clause from start ends in 时 and a speech verb, so the
        event's subject spoke there."""
        comma = min([i for i in (text.find(c, start, end) for c in _CLAUSE) if i != -1] or [end])
        at = text.rfind("时", start, comma)
        return at != -1 and bool(self.speech.fullmatch(text, at + 1, comma))

    def _reported_between(self, text: str, start: int, end: int) -> bool:
        """习近平强调，各民主党派…深入一线考察调研: the trigger is inside what the person said."""
        return any(text.startswith(("，", ",", "：", ":"), m.end()) for m in self.speech.finditer(text, start, end))

    def _inside_other_event(self, text: str, s: int, pos: int) -> bool:
        """来到 in a clause that already has an event trigger before it (考察时来到…): part of that event."""
        clause = max([text.rfind(c, s, pos) for c in "，,；;："] + [s - 1]) + 1
        return any(m.group() not in self.officials_only and self._tags.get(m.start()) in ("v", "vd")
                   for m in self.trigger_pattern.finditer(text, clause, pos))

    def _subject_after(self, text: str, persons, trigger: int, end: int):
        """在会见X时，Y表示…: a trigger in a 在…时 clause has its subject right after the clause."""
        clause_start = max(text.rfind(c, 0, trigger) for c in "，,。\n") + 1
        if not text.startswith("在", clause_start):
            return []
        comma = min([i for i in (text.find(c, trigger) for c in "，,") if i != -1 and i < end] or [-1])
        if comma == -1 or not text[comma - 1:comma] in ("时", "中", "后", "上"):
            return []
        after = [p for p in persons if comma < p[0] <= comma + 12 and p[1] <= end]
        return after[:1]

    def _kind(self, kind: str) -> str:
        return {"talks": "talks", "inspection": "inspection", "letter": "letter", "visit": "visit"}.get(kind, kind)

    def _attendance_phrase(self, text: str, pos: int) -> bool:
        return any(text.endswith(a[: -2], 0, pos) or text[max(0, pos - 4):pos].endswith(("参加", "陪同", "参加上述"))
                   for a in self.attended_after if a.endswith(("会见", "会谈")))

    def _subject_start(self, text: str, sentence_start: int, pos: int) -> int:
        """Where the subject of a trigger may start: the clause that holds it (李强表示，去年11月，|习近平主席同
        石破茂首相举行会晤), or, when no one is named in that clause, the sentence (9月2日晚，国家主席习近平…
        has the subject in its own clause anyway)."""
        i = pos
        while i > sentence_start and text[i - 1] not in "，,；;。\n":
            i -= 1
        if any(i <= p[0] and p[1] <= pos for p in self._doc.person_spans()):
            return i
        while i > sentence_start and text[i - 1] not in "；;。\n":
            i -= 1
        return i

    def _object_end(self, text: str, start: int, end: int) -> int:
        """The object of a trigger runs to the clause's end (会见…的马来西亚总理安瓦尔), but not across a speech
        or a new clause with its own subject."""
        i = start
        while i < end and text[i] not in "。；;\n":
            if text[i] in "，," and i - start > 60:
                break
            i += 1
        return i

    def _with_side(self, text: str, start: int, trigger: int) -> int | None:
        """同X举行会谈: the position right after 同/与 when the other side stands between it and the trigger."""
        for word in ("同", "与", "和"):
            pos = text.rfind(word, start, trigger)
            if pos != -1 and pos > start and any(p[0] > pos and p[1] <= trigger for p in self._doc.person_spans()):
                return pos + 1
        return None

    def _names_a_side(self, text: str, start: int, end: int) -> bool:
        """会见…访华团 / 会见…代表: the other side is a delegation or a body, not a named person."""
        clause = text[start:self._object_end(text, start, end)]
        return any(w in clause for w in ("代表团", "访华团", "代表", "嘉宾", "企业家", "客人", "一行", "团"))

    def _drop_attending(self, text: str, people, trigger: int):
        """王东峰等参加会见 is attendance at the talk, written as its own sentence; keep the leaders."""
        return people

    def _name(self, text: str, kind: str, subjects, objects, match: re.Match[str]) -> str:
        who = "、".join(dict.fromkeys(p[2] for p in subjects))
        whom = "、".join(dict.fromkeys(p[2] for p in objects))
        if kind == "talks":
            return f"{who}{match.group()}{whom}" if who and whom else f"{who or whom}{match.group()}"
        if kind == "letter":
            return f"{who}{match.group()}{whom}"
        if kind == "competition":
            start = match.start()
            while start > 0 and text[start - 1] not in "，,。；;：:\n在" and match.start() - start < 30:
                start -= 1
            return text[start:match.end()]
        clause_end = min([i for i in (text.find(c, match.end()) for c in "，。；\n") if i != -1] or [len(text)])
        return f"{who}{text[match.start():min(clause_end, match.end() + 12)]}"

    def _date_and_place(self, doc: Doc, event: Event, sentence_start: int, trigger: int, sentence_end: int) -> None:
        text = doc.text
        dates = find_dates(text, doc.meta.published, sentence_start, trigger, self.relative_days)
        if not dates:
            dates = [d for d in find_dates(text, doc.meta.published, trigger, sentence_end, self.relative_days)
                     if d.start - trigger < 12]
        if dates:
            self._set_date(event, dates[-1] if dates[-1].precision == "day" else dates[0])
        place = None
        # the look-ahead must see the trigger itself (在山东|考察), so search to the sentence's end
        for m in _PLACE.finditer(text, sentence_start, sentence_end):
            if m.end(1) > trigger:
                break
            place = m
        if place is not None:
            event.place, event.place_span = place.group(1), place.span(1)

    def _set_date(self, event: Event, d: DateExpr) -> None:
        event.date = d.date
        event.end_date = d.end_date
        event.date_precision = d.precision
        event.date_span = d.span
        event.date_explicit = True

    def _addressee(self, text: str, event: Event, start: int, end: int, objects, trigger: int = -1,
                   subjects=()) -> None:
        """The recipient of a letter or message: the named person, else 向/给 X before the trigger
        (习近平向…博览会致贺信, 给…回信), else the words after it up to the clause's end (复信…师生)."""
        if objects:
            event.addressee, event.addressee_span = objects[0][2], (objects[0][0], objects[0][1])
            return
        if trigger > 0:
            after_subject = max([p[1] for p in subjects if p[1] <= trigger] or [start - 40])
            clause = max([text.rfind(c, 0, trigger) for c in _CLAUSE + _SENTENCE_END] + [after_subject - 1]) + 1
            for word in self.recipient_markers:
                pos = text.rfind(word, clause, trigger)
                if pos != -1 and trigger - pos - len(word) >= 2:
                    first = pos + len(word)
                    event.addressee, event.addressee_span = text[first:trigger], (first, trigger)
                    return
        stop = start
        while stop < end and text[stop] not in _CLAUSE + _SENTENCE_END and stop - start < 30:
            stop += 1
        if stop > start:
            event.addressee, event.addressee_span = text[start:stop], (start, stop)

    def _accompanying(self, text: str, event: Event, s: int, e: int, persons, trigger: int) -> None:
        for word in self.accompanied:
            pos = text.find(word, s, e)
            if pos == -1:
                continue
            for p in persons:
                if s <= p[0] and p[1] <= pos and p[2] not in event.participants:
                    event.add(p[2], "attended", (p[0], p[1]))
                    event.add(p[2], "accompanied", (p[0], p[1]))
            break

    # ------------------------------------------------------------------------------------------------
    # 出席/主持 … 论坛/开幕式/仪式

    def _attended(self, doc: Doc, s: int, e: int, persons) -> list[Event]:
        text = doc.text
        out: list[Event] = []
        taken: set[int] = set()          # 主持召开 read, 主持 at the same place is not read again
        for verb in sorted(self.attendance_verbs, key=len, reverse=True):
            pos = text.find(verb, s, e)
            while pos != -1:
                if pos in taken:
                    pos = text.find(verb, pos + len(verb), e)
                    continue
                taken.add(pos)
                after = pos + len(verb)
                stop = after
                while stop < e and text[stop] not in "，,。；;\n" and stop - after < 60:
                    stop += 1
                subjects = self._subjects(text, persons, self._subject_start(text, s, pos), pos)
                listed = None if subjects else _LISTED.match(text, after, e)
                if listed:
                    # 出席授勋仪式的还有丁薛祥、王晨…: those listed after 还有 attended
                    stop = listed.end("name")
                    subjects = [p for p in persons if listed.end() <= p[0] and p[1] <= e]
                else:
                    described = self._described(text, persons, after, stop)
                    if described is not None:
                        stop, subjects = described   # 来华出席…峰会的马来西亚总理安瓦尔
                start = after
                while subjects and start < stop:
                    part_end = self._part_end(text, start, stop)
                    name_end = self._event_name_end(text, start, part_end)
                    if name_end is None:
                        break
                    event = self._attended_event(doc, text[start:name_end], (start, name_end), verb, subjects, persons, s, e, pos)
                    if event is not None:
                        out.append(event)
                    if part_end >= stop:
                        break
                    start = part_end + 1              # …峰会和纪念…活动: a second event
                pos = text.find(verb, pos + len(verb), e)
        return out

    def _attended_event(self, doc: Doc, phrase: str, span: Span, verb: str, subjects, persons, s: int, e: int,
                        pos: int) -> Event | None:
        text = doc.text
        lead = re.match(r"^(?:[于在][^，。]{1,20}?(?:举行|召开|举办)的)", phrase)
        name_start = span[0] + (lead.end() if lead else 0)
        name = text[name_start:span[1]].strip("“”《》")
        generic = name in self.lex.generic_meeting_names
        if generic and verb.startswith("主持") and not self._held:
            name = "、".join(p[2] for p in subjects) + verb + "的" + name     # 李希主持召开座谈会: presided, unnamed
        elif generic or len(name) < 3:
            return None
        kind = "ceremony" if name.endswith(self.ceremonies) else "conference" if name.endswith(self.conferences) else "meeting"
        event = Event(name, (s, e), None, kind=kind, trigger=verb)
        written = find_dates(text, doc.meta.published, span[0], span[1], self.relative_days)
        if written:
            self._set_date(event, written[0])     # 出席于1月20日举行的就职典礼: the ceremony's day
        else:
            self._date_and_place(doc, event, s, pos, e)
        for p in subjects:
            event.add(p[2], self.attendance_verbs[verb], (p[0], p[1]))
        for p in persons:                          # 特朗普总统就职典礼: the person the event is named after attends
            if name_start <= p[0] and p[1] <= span[1]:
                event.add(p[2], "attended", (p[0], p[1]))
        if text.startswith(("并讲话", "并致辞", "并发表讲话", "并发表主旨演讲", "并作主旨演讲"), span[1]) \
                or self._spoke_while(text, span[1], e):
            for p in subjects:
                event.add(p[2], "spoke", (p[0], p[1]))
        return event

    def _part_end(self, text: str, start: int, stop: int) -> int:
        """Where the first of several events joined by 和/及 ends (…峰会|和|纪念…活动), else stop."""
        for i in range(start + 1, stop):
            if text[i] in "和及" and any(text.endswith(x, start, i) for x in self.event_suffixes) \
                    and self._event_name_end(text, i + 1, stop) is not None:
                return i
        return stop

    def _event_name_end(self, text: str, start: int, stop: int) -> int | None:
        """The end of the longest event name from start (…博览会、“购在中国”系列活动启动仪式)."""
        best: int | None = None
        for i in range(start + 1, stop + 1):
            if any(text.endswith(suffix, start, i) for suffix in self.event_suffixes):
                best = i
        return best

    def _subjects(self, text: str, persons, start: int, end: int):
        """The people named in text[start:end] who are not part of another person's title (国家主席习近平|特别代表、
        国家副主席韩正: only 韩正)."""
        embedded = self._embedded()
        out = [p for p in persons if start <= p[0] and p[1] <= end and (p[0], p[1]) not in embedded]
        if not out:
            # the pronoun opens the sentence or the trigger's own clause (今年4月，|我对马来西亚进行国事访问)
            clause = max([text.rfind(c, start, end) for c in "，,；;："] + [start - 1]) + 1
            pronoun = None
            for head in (text[start:end].lstrip("“ "), text[clause:end].lstrip("“ ")):
                lead = end - len(head)
                pronoun = next((w for w in self.lex.pronouns if head.startswith(w)), None)
                if pronoun is None and (lead, lead + 1, "r") in self._doc.words_in(lead, lead + 1) and head.startswith("我"):
                    pronoun = "我"              # 习近平指出，…今年4月，我对马来西亚进行国事访问: the speaker himself
                if pronoun is not None:
                    break
            if pronoun == "我":
                speaker = self._last_speaker(text, persons, lead)
                out = [(lead, lead + 1, speaker)] if speaker else []
            elif pronoun is not None:
                named = [p for p in persons if p[1] <= lead]
                if named:
                    last = named[-1]
                    out = [(lead, lead + len(pronoun), last[2])]         # 他多次深入三地考察调研
        return out

    def _pronoun_subject(self, text: str, persons, s: int, pos: int):
        """他在… / 总书记在…: a pronoun or a bare title opening the clause before pos stands for the person
        named last before it."""
        clause = max([text.rfind(c, s, pos) for c in "，,；;："] + [s - 1]) + 1
        head = text[clause:pos].strip("“ ")
        if not (head in self.lex.pronouns or head in self.lex.titles):
            return []
        named = [p for p in persons if p[1] <= clause]
        return [(clause, pos, named[-1][2])] if named else []

    def _last_speaker(self, text: str, persons, pos: int) -> str | None:
        """The person whose speech was reported last before pos (习近平说，…我…): a name right before a speech verb."""
        best = None
        for p in persons:
            if p[1] <= pos and self.speech.match(text, p[1]) and (best is None or p[1] > best[1]):
                best = p
        return best[2] if best else None

    def _embedded(self) -> set[tuple[int, int]]:
        cached = getattr(self, "_embedded_cache", None)
        if cached is not None and cached[0] is self._doc:
            return cached[1]
        spans: set[tuple[int, int]] = set()
        for person in self._doc.people.values():
            for position in person.positions:
                if position.span is None:
                    continue
                for other in self._doc.people.values():
                    if other is person:
                        continue
                    for m in other.mentions:
                        if position.span[0] <= m[0] and m[1] <= position.span[1]:
                            spans.add(m)
        self._embedded_cache = (self._doc, spans)
        return spans

    def _described(self, text: str, persons, start: int, stop: int):
        """…出席X的马来西亚总理安瓦尔: a 的 ending the clause and a person named right after it; the clause then
        ends at 的 and describes that person."""
        de = text.find("的", start, stop)
        while de != -1:
            if self._event_name_end(text, start, de) is not None:
                chained = {p.name for p in self._doc.people.values() for pos in p.positions if pos.span and pos.span[0] == de + 1}
                # the person right after 的 and its titles (马来西亚副总理兼能源及水务转型部部长法迪拉: a long chain)
                after = [p for p in persons if de < p[0] and p[1] <= stop and (
                    p[0] <= de + 16 or p[2] in chained or (p[0] <= de + 32 and not re.search(r"[，,。；;、和与]", text[de + 1:p[0]])))]
                if after:
                    return de, after[:1]
            de = text.find("的", de + 1, stop)
        return None

    def _guests(self, doc: Doc, s: int, e: int, persons) -> list[Event]:
        """会见洪秀柱等第二届海峡两岸中华文化峰会台湾嘉宾: people named as an event's guests attended it."""
        text = doc.text
        out = []
        for m in re.finditer(r"等?([^，。、；]{3,40}?)(?:台湾|外国|各国|中外|境外)?(?:嘉宾|代表|与会者|参会者)", text[s:e]):
            phrase_start, phrase_end = s + m.start(1), s + m.end(1)
            name_end = self._event_name_end(text, phrase_start, phrase_end)
            if name_end is None:
                continue
            before = [p for p in persons if p[1] <= phrase_start and phrase_start - p[1] <= 1 and s <= p[0]]
            if not before:
                continue
            event = Event(text[phrase_start:name_end], (s, e), None, kind="conference", trigger="嘉宾")
            self._date_and_place(doc, event, s, phrase_start, e)
            for p in before:
                event.add(p[2], "attended", (p[0], p[1]))
            out.append(event)
        return out

    def _occasions(self, doc: Doc, s: int, e: int, persons) -> list[Event]:
        """习近平在博鳌亚洲论坛发表主旨演讲 / 在庆祝…30周年大会上，习近平宣布…: the speaker spoke at the
        occasion named after 在 (a conference, ceremony or meeting by its ending)."""
        text = doc.text
        out = []
        for m in self.occasion_pattern.finditer(text, s, e):
            name_start, name_end = m.span("name")
            name = m.group("name")
            if name in self.lex.generic_meeting_names or len(name) < 4 or any(p[0] < name_end and name_start < p[1] for p in persons):
                continue
            after = m.end()
            clause_end = min([i for i in (text.find(c, after, e) for c in "，,。；;") if i != -1] or [e])
            before = [p for p in persons if s <= p[0] and p[1] <= m.start() and m.start() - p[1] <= 6
                      and not any(c in text[p[1]:m.start()] for c in "，,；;")]
            if not before:
                before = self._pronoun_subject(text, persons, s, m.start())   # 总书记在…座谈会上强调
            on = text.startswith("上", after)
            spoken_at = after + (1 if on else 0)
            spoken_at += 1 if text.startswith("的", spoken_at) else 0
            if before and (self.speech_at.match(text, spoken_at) or (on and self.speech.match(text, spoken_at))):
                speakers = before[-1:]              # 习近平总书记在博鳌亚洲论坛|发表主旨演讲
            else:
                stop = after
                while stop < e and text[stop] in "上中时，, ":
                    stop += 1
                following = [p for p in persons if stop <= p[0] <= stop + 8 and p[1] <= e]
                speech = following and (self.speech_at.search(text, following[0][1], min(e, following[0][1] + 12))
                                        or self.speech.search(text, following[0][1], min(e, following[0][1] + 8)))
                if stop == after or not speech:
                    continue
                speakers = following[:1]            # 在…大会上，习近平总书记郑重宣布
                clause_end = e
            kind = ("ceremony" if name.endswith(self.ceremonies) else "conference" if name.endswith(self.conferences)
                    else "meeting")
            event = Event(name, (s, e), None, kind=kind, trigger="在")
            self._date_and_place(doc, event, s, name_start, clause_end)
            for p in speakers:
                event.add(p[2], "spoke", (p[0], p[1]))
            out.append(event)
        return out

    # ------------------------------------------------------------------------------------------------
    # one event per happening; and who spoke at it

    def _merge(self, events: list[Event]) -> list[Event]:
        """The headline and the body name the same talk: one event per kind with a shared participant and
        compatible dates; attendance sentences (王东峰等参加会见) join the talk before them."""
        out: list[Event] = []
        for event in sorted(events, key=lambda ev: ev.span):
            same = next((o for o in out if self._same(o, event)), None)
            if same is None:
                out.append(event)
                continue
            if event.date_explicit and not same.date_explicit:
                same.date, same.end_date, same.date_precision = event.date, event.end_date, event.date_precision
                same.date_span, same.date_explicit = event.date_span, True
            same.place = same.place or event.place
            same.place_span = same.place_span or event.place_span
            if len(event.participants) > len(same.participants) and event.kind == same.kind:
                same.name, same.span = event.name, event.span
            for p in event.participants.values():
                for role in p.roles:
                    for ev in p.evidence:
                        same.add(p.name, role, ev)
        self._attending(out)
        return out

    def _same(self, a: Event, b: Event) -> bool:
        if a.kind != b.kind:
            return False
        if a.kind in ("meeting", "conference", "ceremony") and not (a.name == b.name or a.name.endswith(b.name) or b.name.endswith(a.name)):
            return False
        if a.kind not in ("meeting", "conference", "ceremony") and not set(a.participants) & set(b.participants):
            return False
        if a.date_explicit and b.date_explicit and a.date != b.date:
            return False
        # a talk in the past or planned (去年…举行会谈) is not today's talk
        return not (a.date_explicit != b.date_explicit and (a.date_precision != "day" or b.date_precision != "day"))

    def _attending(self, events: list[Event]) -> None:
        """王东峰等参加会见 / 陪同 / 在座: attendance at the talk (or inspection) announced before it."""
        doc, text = self._doc, self._doc.text
        persons = doc.person_spans()
        for sentence in doc.sentences:
            s, e = sentence.span
            for phrase in self.attended_after:
                pos = text.find(phrase, s, e)
                if pos == -1:
                    continue
                target_kinds = ("talks",) if phrase.endswith(("会见", "会谈")) else ("talks", "inspection", "visit")
                before = [ev for ev in events if ev.kind in target_kinds and ev.span[0] <= s]
                if not before:
                    break
                # 参加会见 joins the 会见 (not a 会晤 of last year a speaker recalled)
                same_verb = [ev for ev in before if ev.trigger and phrase.endswith(ev.trigger[-2:]) and ev.date_precision == "day"]
                event = (same_verb or before)[-1]
                for p in persons:
                    if s <= p[0] and p[1] <= pos and p[2] not in event.participants:
                        event.add(p[2], "attended", (p[0], p[1]))
                        if phrase in self.accompanied:
                            event.add(p[2], "accompanied", (p[0], p[1]))
                break

    def _inherit_dates(self, events: list[Event]) -> None:
        """An event written without a date of its own, after a dated one, happened on that day (the report's
        opening ceremony after its 13日); one before any dated event keeps no date."""
        last: Event | None = None
        for event in sorted(events, key=lambda ev: ev.span):
            if event.date_explicit and event.date_precision == "day":
                last = event
            elif not event.date_explicit and event.date is None and last is not None:
                event.date, event.date_precision = last.date, "day"

    def _spoke(self, doc: Doc, events: list[Event], persons) -> None:
        """X表示 / 他强调 after a talk, an inspection or a letter: its participant spoke there."""
        text = doc.text
        paragraph_of = {sentence.span[0]: sentence.paragraph for sentence in doc.sentences}
        spoken = [ev for ev in events if ev.kind in ("talks", "inspection", "letter", "visit")
                  or ev.name.endswith(self.press_conferences)       # 发言人娄勤俭介绍: he spoke at the press conference
                  or (ev.kind in ("meeting", "conference") and ev.span[0] in paragraph_of
                      and any("presided" in p.roles for p in ev.participants.values()))]
        if not spoken:
            return

        def chaired_here(ev: Event, speaker: str, sentence, verb: int) -> bool:
            """调研期间，李希主持召开座谈会，…。他指出，…: a speech in the paragraph of a meeting its speaker chaired
            was made there — unless it is told as the chairing itself (胡国辉在主持会议时指出, seed 002: presided)."""
            return ev.kind in ("meeting", "conference") and speaker in ev.participants \
                and "presided" in ev.participants[speaker].roles and paragraph_of.get(ev.span[0]) == sentence.paragraph \
                and "主持" not in text[sentence.span[0]:verb]
        last_named: str | None = None
        for sentence in doc.sentences:
            s, e = sentence.span
            names_here = [p for p in persons if s <= p[0] < e]
            for match in self.speech.finditer(text, s, min(e, s + 40)):
                who = text[s:match.start()]
                speaker = None
                for p in names_here:
                    if p[0] == s or (p[1] <= match.start() and match.start() - p[1] <= 3):
                        speaker = p[2]
                        break
                who = re.sub(r"(?:对|向|给|跟|和|同)[^，。]{1,8}$", "", who.strip(" “"))
                who = re.sub(r"(?:还|也|又|再次|进一步|同时)$", "", who)
                if speaker is None and (who in self.lex.pronouns or who in self.lex.titles):
                    speaker = last_named          # 他对大家说 / 总书记和大家说
                if speaker is None:
                    continue
                before = [ev for ev in spoken if ev.span[0] <= s and (
                    chaired_here(ev, speaker, sentence, match.start()) or ev.name.endswith(self.press_conferences)
                    or (speaker in ev.participants and ev.kind not in ("meeting", "conference")))]
                if before:
                    # the talk or inspection the speaker led (or the meeting they chaired in this paragraph),
                    # not the summit a guest came for
                    led = [ev for ev in before if speaker in ev.participants
                           and (set(ev.participants[speaker].roles) & {"met", "inspected", "wrote"}
                                or chaired_here(ev, speaker, sentence, match.start()))]
                    (led or before)[-1].add(speaker, "spoke", (match.start(), match.end()))
                break
            if names_here:
                last_named = names_here[0][2]


# ----------------------------------------------------------------------------------------------------
# meetings held (ported: the seed's 协商议政大会 and the national sessions)


def _meeting_pattern(lex) -> re.Pattern[str]:
    suffixes = "|".join(map(re.escape, lex.meeting_suffixes))
    held = "|".join(map(re.escape, lex.meeting_held))
    time_words = "(?:" + "|".join(map(re.escape, lex.time_of_day)) + ")?"
    relative = "(?:" + "|".join(map(re.escape, lex.events["dates"].get("relative_days", {}))) + ")?"
    # 19日上午, 今天（3月4日）: a day written as a relative word with the date in brackets after it
    date_part = rf"{relative}(?:（(?:\d{{1,2}}月)?\d{{1,2}}日）)?(?:\d{{4}}年)?(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?{time_words}"
    # (organiser)(date)(召开|举行)(name)   or   (name)(date)(在place)(召开|举行)
    return re.compile(
        rf"(?P<org>[\u4e00-\u9fff]{{2,16}}?)(?P<d1>{date_part})(?:在[\u4e00-\u9fff]{{2,12}})?(?:主持)?(?P<held>{held})(?P<name>[\u4e00-\u9fff“”《》0-9]{{0,30}}?(?:{suffixes}))"
        rf"|(?P<name2>[\u4e00-\u9fff“”《》0-9]{{2,40}}?(?:{suffixes}))(?P<d2>{date_part})(?:在[\u4e00-\u9fff]{{2,20}}?)?(?P<held2>{held})(?!式)"
    )


def _clean_event_name(name: str, people: list[str], lex) -> str:
    # a name never runs across these (国家主席习近平将出席|会议, 外交部就…出席|中拉论坛…会议)
    cuts = re.compile(".*(?:" + "|".join(map(re.escape, lex.meeting_name_cuts)) + ")")
    masked = name
    for word in lex.meeting_name_keeps:       # 亚洲文明对话大会: the 对 of 对话 is no cut
        masked = masked.replace(word, "\x00" * len(word))
    cut = cuts.match(masked)
    if cut:
        name = name[cut.end():]
    for person in people:
        if person in name:
            name = name[name.rindex(person) + len(person):]
    return _strip_quotes(name)


def _strip_quotes(name: str) -> str:
    """The quote marks around a name, not those inside it (“中国这十年”系列主题新闻发布会 keeps its pair)."""
    stripped = name.strip("“”《》")
    for left, right in ("“”", "《》"):
        if stripped.count(left) != stripped.count(right):
            return name.lstrip("”》").rstrip("“《")
    return stripped


def _valid_organizer(surface: str | None, people: list[str], lexicon) -> bool:
    """An organiser is a body: a national body, a place + body core, or a name with a body suffix."""
    if not surface or any(p in surface for p in people):
        return False
    lex = lexicon.bodies
    if surface in lex["national"]:
        return True
    if re.search(r"[年月日时]|上午|下午|晚", surface):
        return False
    return surface.endswith(tuple(lex["suffixes"]) + tuple(lex["cores"]) + ("委", "政协", "人大", "政府", "中央", "国务院", "政治局"))


def _meeting_from_match(text: str, m: re.Match[str], sentence: Span, published: str | None, people: list[str], lex) -> Meeting | None:
    s, e = sentence
    if m.group("name") is not None:
        organizer: str | None = _strip_lead(m.group("org"), lex)
        org_end = m.end("org")
        holder = organizer if organizer.endswith(lex.meeting_suffixes) and len(organizer) >= 4 else None
        if not _valid_organizer(organizer, people, lex):
            organizer = None
        name = _clean_event_name(m.group("name"), people, lex)
        if name in lex.generic_meeting_names and organizer:
            name = organizer + name            # 中共中央政治局召开会议 → 中共中央政治局会议
        elif name in lex.generic_meeting_names and holder and not any(p in holder for p in people):
            name = holder + name               # 十四届全国人大三次会议举行新闻发布会: the session's press conference
        meeting = Meeting(name, (s, e), None, organizer=organizer, organizer_span=(org_end - len(organizer), org_end) if organizer else None)
    else:
        name = _clean_event_name(_strip_lead(m.group("name2"), lex), people, lex)
        meeting = Meeting(name, (s, e), None)
    if name in lex.generic_meeting_names or len(name) < 3:
        return None                            # 会议 with no organiser names nothing a reader could find again
    if name.startswith(lex.meeting_references) and \
            name[next(len(r) for r in lex.meeting_references if name.startswith(r)):] in lex.generic_meeting_names:
        return None                            # 我们召开这个座谈会: the meeting already announced
    written = [d for d in find_dates(text, published, s, e) if d.precision == "day"]
    if written:
        meeting.date, meeting.end_date, meeting.date_span = written[0].date, written[0].end_date, written[0].span
        meeting.date_explicit = True
    theme = _THEME.search(text, s, e)
    if theme:
        group = next(i for i in (1, 2, 3) if theme.group(i))
        meeting.theme = theme.group(group)
        meeting.theme_span = theme.span(group)
    meeting.trigger = m.group("held") or m.group("held2")
    return meeting


def _strip_lead(s: str, lex) -> str:
    # drop a leading date or adverb glued to the organiser (近日市政协 → 市政协)
    for word in lex.meeting_lead_words:
        if s.startswith(word):
            return s[len(word):]
    return s


def _dedupe(meetings: list[Meeting]) -> list[Meeting]:
    """A headline and the body announce the same meeting: one meeting per name (and written date), the
    body's sentence with a written date taking precedence."""
    out: list[Meeting] = []
    for meeting in meetings:
        same = next((m for m in out if _same_meeting(m, meeting)), None)
        if same is None:
            out.append(meeting)
            continue
        if meeting.date_explicit and not same.date_explicit:
            same.span, same.date, same.date_explicit = meeting.span, meeting.date, True
            same.date_span, same.end_date = meeting.date_span, meeting.end_date
            same.organizer = meeting.organizer or same.organizer
            same.organizer_span = meeting.organizer_span or same.organizer_span
        if meeting.theme and not same.theme:
            same.theme, same.theme_span = meeting.theme, meeting.theme_span
        for p in meeting.participants.values():
            for role in p.roles:
                for ev in p.evidence:
                    same.add(p.name, role, ev)
    return out


def _imply_roles(events: list[Event], rules) -> None:
    """Add the roles a reader counts along with another (events.toml [implied_roles]: who spoke at a meeting
    attended it), with the evidence of the role that implies them."""
    for kinds, role, implies, unless in rules:
        for event in events:
            if event.kind not in kinds:
                continue
            for p in list(event.participants.values()):
                if role in p.roles and implies not in p.roles and not unless.intersection(p.roles):
                    for span in list(p.evidence):
                        event.add(p.name, implies, span)


def _same_meeting(a: Meeting, b: Meeting) -> bool:
    if a.kind != b.kind:
        return False
    if not (a.name == b.name or a.name.endswith(b.name) or b.name.endswith(a.name)):
        return False
    return a.date == b.date or not (a.date_explicit and b.date_explicit)


def _role_phrases(text: str, start: int, end: int, lex) -> list[tuple[int, int, str]]:
    """The role phrases of text[start:end], left to right, the longest at each position, none overlapping."""
    return [(m.start(), m.end(), lex.roles[m.group()]) for m in lex.role_phrase_pattern.finditer(text, start, end)]


def _assign_roles(text: str, sentences, meetings: list[Meeting], person_spans: list[tuple[int, int, str]], lex,
                  only: tuple[str, ...] | None = None) -> None:
    """People named before a role phrase in a sentence take that role at the nearest meeting announced
    at or before the sentence (or the first meeting, for a headline above the announcement). ``only``: the
    roles taken this way (a ceremony found by 出席 gives its speakers; attendance is its own)."""
    suffixes = lex.meeting_suffixes
    for sentence in sentences:
        s, e = sentence.span
        candidates = [m for m in meetings if m.span[0] <= s]
        nearest = candidates[-1] if candidates else meetings[0]
        group: list[tuple[int, int, str]] = []
        cursor = s
        previous_end = None
        for p_start, p_end, role in _role_phrases(text, s, e, lex):
            if text.startswith(("会见", "会谈", "上述会见", "上述会谈"), p_end):
                continue                       # 王毅参加会见: the talk's attendance, not the meeting's
            if text.startswith("时", p_start) and not (previous_end is not None
                                                       and _named_then_spoke(text, previous_end, p_start, lex)):
                continue                       # 在会见…时强调: not a meeting's speech (主持召开…座谈会时强调 is)
            if role == "spoke" and _speech_as_noun(text, p_start, p_end):
                continue                       # 贯彻落实习近平总书记重要讲话、指示精神: a speech of another day
            meeting = _meeting_named_after(text, p_end, candidates or meetings, suffixes) or nearest
            people = [p for p in person_spans if cursor <= p[0] and p[1] <= p_start]
            if people:
                group = people
            elif not (previous_end is not None and (_same_subject(text[previous_end:p_start].strip("，, "), suffixes)
                                                    or text.startswith("时", p_start))):
                group = _listed_after(text, p_end, e, person_spans, suffixes)
                # 出席座谈会的党外人士还有陈晓光、郑建邦…: those listed after; 其他4名同志提交了书面发言: nobody
            for p in group:
                if only is None or role in only:
                    meeting.add(p[2], role, (p[0], p[1]) if p[0] > p_start else (p[0], p_end))
            cursor = max(p_end, max((p[1] for p in group if p[0] > p_start), default=p_end))
            previous_end = p_end


def _same_subject(between: str, suffixes: tuple[str, ...]) -> bool:
    """主持|并|讲话, 主持|座谈会并|发表重要讲话: the second role phrase has the first one's subject."""
    if between in ("并", "并作", ""):
        return True
    head = between.removesuffix("并作").removesuffix("并")
    return head != between and len(head) <= 16 and head.endswith(suffixes)


def _named_then_spoke(text: str, start: int, end: int, lex) -> bool:
    """主持召开|高标准高质量推进雄安新区建设座谈会|时强调: the meeting's name, then its speech by the same subject.
    A chair's remarks at a meeting named by a generic word (胡国辉在主持|会议|时指出, seed 002) are his presiding."""
    between = text[start:end]
    return text.startswith("时", end) and between.endswith(lex.meeting_suffixes) and len(between) <= 40 \
        and between not in lex.generic_meeting_names and not any(c in between for c in "，,；;。")


def _speech_as_noun(text: str, start: int, end: int) -> bool:
    """讲话 as a noun: …重要讲话精神, 重要讲话、指示精神, 的讲话 (not 发表重要讲话, 并讲话)."""
    if text.startswith("精神", end) or re.match(r"[、和及]\S{1,6}精神", text[end:end + 9]):
        return True
    if text.endswith("的", 0, start):
        return True
    return text.endswith("重要", 0, start) and not text.endswith(("发表重要", "作重要"), 0, start)


def _meeting_named_after(text: str, pos: int, meetings: list[Meeting], suffixes: tuple[str, ...]) -> Meeting | None:
    """出席|座谈会: a generic word after the role phrase names the meeting of that kind announced before
    (党外人士座谈会), not whatever meeting was mentioned last (不久前召开的四中全会)."""
    word = next((w for w in suffixes if text.startswith(w, pos)), None)
    if word is None:
        return None
    named = [m for m in meetings if m.name.endswith(word)]
    return named[0] if named else None


def _listed_after(text: str, pos: int, end: int, person_spans, suffixes: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """出席座谈会的党外人士还有A、B…等: the people listed after 还有/有/包括 in a 出席…的 phrase."""
    word = next((w for w in suffixes if text.startswith(w, pos)), "")
    if not text.startswith("的", pos + len(word)):
        return []
    for marker in ("还有", "包括", "有"):
        at = text.find(marker, pos, min(end, pos + 24))
        if at != -1:
            return [p for p in person_spans if at + len(marker) <= p[0] and p[1] <= end]
    return []


@component("events")
def make_events(lexicon):
    return Events(lexicon)
