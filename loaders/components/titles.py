"""The title rules: names read with the title chain written before them.

A person is found where a title from ``titles.toml`` stands right before a surname-led name (市长丁绣峰),
or a transliterated name after a foreign body's title (法国总统马克龙), or after such a name in a list that
shares the title (市政协领导王连灵、胡万宁、…). Each mention keeps its chain of (body, title) items, resolved
against the document's jurisdiction (省委常委、市委书记张古江: 河北省委 and 唐山市委).
"""
from __future__ import annotations

from ..chains import is_foreign_chain, read_chain, resolve_chain
from ..doc import Doc, TitledMention
from ..names import foreign_name_at, is_boundary_at, jieba_tag, mend_model_spans, name_at, plausible, post_taken_at, surname_lengths
from .ner import HEAD_SOURCES
from ..registry import component


def leader_name_ends(text: str, lex) -> set[int]:
    """Ends of names written right before a leader's title (习近平|主席): a title there follows a name.
    Only names jieba's dictionary knows as names are taken here: the left edge has no other evidence."""
    ends = set()
    for match in lex.leader_title_pattern.finditer(text):
        title_start = match.start()
        for length in (3, 2, 4):
            start = title_start - length
            if start < 0 or length not in surname_lengths(text, start, lex):
                continue
            if start > 0 and text[start - 1] not in lex.boundary and text[start - 1] not in lex.before_leader_name:
                continue
            tag = jieba_tag(text[start:title_start])
            if tag is not None and tag.startswith("nr") and plausible(text[start:title_start], lex):
                ends.add(title_start)
                break
    return ends


def find_titled(text: str, jurisdiction, lex, after_names: set[int] | None = None,
                model_names: dict[int, int] | None = None, bodies: dict[int, int] | None = None,
                organizations: list[tuple[int, int]] | None = None) -> list[TitledMention]:
    """Titled mentions and the bare names that share their titles.

    ``after_names``: positions right after a name already known; a leader's title there (习近平|主席) is
    the name's own title written after it, not one before another name. ``model_names``: start → end of
    the model's PER spans; where one starts right after a title and the characters alone cannot delimit the
    name (负责人刘优良刚刚…), the model's boundary is taken."""
    mentions: list[TitledMention] = []
    taken: set[int] = set()
    after_names = after_names or set()
    model_names = model_names or {}
    persons_by_end = {e: s for s, e in model_names.items()}
    inside_bodies = [(s, e) for s, e in organizations or () if e - s >= 4]
    for match in lex.title_anywhere.finditer(text):
        # every title start, overlapping, longest title there (常委会委员长: both 常委 and 委员长)
        end = match.start() + len(match.group(1))
        if end in taken:
            continue
        if text[end:end + 1] in lex.title_continuations:
            continue       # 主席|国为, 主席|团: the title is part of a longer word
        if any(s < end < e for s, e in inside_bodies):
            continue       # 水利部长|江水利委员会: the body's name runs on past the title: no name follows
        chain = read_chain(text, end, lex, bodies, persons_by_end)
        if not chain:
            continue
        last = chain[-1][1]
        if end - len(last.surface) in after_names and lex.titles[last.surface].after_name:
            continue       # 习近平|总书记|都会来: the title is the name's own, written after it
        if end not in model_names and post_taken_at(text, end, lex):
            continue       # 王小川研究员|任所长: the title's holder is named before it; 任 takes a post
        foreign = False
        if is_foreign_chain(chain, lex):
            # 法国总统马克龙: a transliterated name, read to the next boundary
            name_end = foreign_name_at(text, end, lex)
            foreign = name_end is not None
            name_end = name_end or name_at(text, end, lex)
        else:
            name_end = name_at(text, end, lex, strict=end in model_names)
            if name_end is None and end not in model_names:
                # 由党首山口那津男|率领: a name the characters cannot delimit, read up to the word after it
                name_end = foreign_name_at(text, end, lex)
                if name_end is not None and (name_end - end < 3 or not is_boundary_at(text, name_end, lex)):
                    name_end = None
        model_end = model_names.get(end)
        if model_end is not None and (name_end is None or (
                not foreign and name_end < model_end <= end + 4 and is_boundary_at(text, model_end, lex)
                and plausible(text[end:model_end], lex))):
            name_end = model_end      # 负责人刘优良|刚刚: the model delimits what the characters cannot
        if name_end is None:
            continue
        if last.model_name and not foreign and model_names.get(end) != name_end:
            continue       # 业内专家|普遍认为: an occupation word is followed by too many ordinary words
        items = resolve_chain(chain, jurisdiction, lex, foreign=foreign)
        taken.add(end)
        mentions.append(TitledMention(text[end:name_end], (end, name_end), items, foreign))
        # 市政协领导王连灵、胡万宁、白春明: bare names after a titled one share its titles
        pos = name_end
        while pos < len(text) and text[pos] == "、":
            next_end = model_names.get(pos + 1) or name_at(text, pos + 1, lex, strict=True)
            if next_end is None:
                break
            if lex.title_pattern.match(text, next_end):   # 、张三主任 is another chain
                break
            mentions.append(TitledMention(text[pos + 1:next_end], (pos + 1, next_end), items, foreign, shared=True))
            taken.add(pos + 1)
            pos = next_end
    return mentions


@component("titles")
def make_titles(lexicon):
    def run(doc: Doc) -> None:
        # a title right after a name the model or the leader pattern knows is that name's own title
        persons = mend_model_spans(doc.text, [e.span for e in doc.entities_of("PER") if e.source not in HEAD_SOURCES], lexicon)
        after = {e for _, e in persons} | leader_name_ends(doc.text, lexicon)
        bodies = {e.end: e.start for e in doc.entities if e.label in ("ORG", "LOC")}
        # a body the model reads that ends like a body (…委员会, …局): a title inside it has no name after it
        endings = tuple(lexicon.bodies["suffixes"]) + tuple(lexicon.bodies["cores"])
        orgs = [e.span for e in doc.entities_of("ORG") if doc.text[e.start:e.end].endswith(endings)]
        doc.titled = find_titled(doc.text, doc.jurisdiction, lexicon, after, dict(persons), bodies, orgs)

    return run
