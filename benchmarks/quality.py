"""Extraction quality against hand-made gold readings: precision, recall and F1, then the errors by pattern.

    .venv/bin/python benchmarks/quality.py ../shared/corpus/gold/xwlb2025 [--format text|json] [--show N]
    .venv/bin/python benchmarks/quality.py GOLD_DIR --doc 20250417-08      # one document's differences

A gold folder holds ``F.txt`` (title, publication time, blank line, body) and ``F.json`` (what a careful
reader extracts, see the gold folder's ``ANNOTATION-GUIDE.md``). Each ``F.txt`` is run through the same
pipeline as ``guanxi extract F.txt`` and scored the way the gold folder's README says:

* people: the set of names per document (redacted mentions excluded), micro-averaged over documents;
* posts: a gold post is found when one of that person's extracted positions quotes it, or names the same
  title at a body that the post's remaining words name (省委书记 ≈ 书记 at 中共河北省委员会, alias 省委);
  precision is the share of extracted positions that match some gold post of that person;
* event roles: a gold event is matched to the extracted event sharing the most named participants (on the
  gold's date, where it gives one); each gold (participant, role) is looked up there (``met`` and
  ``inspected`` are also satisfied by ``attended``, ``wrote`` by a written-speech role);
* directives: a gold directive is found when an extracted directive's text contains its fragment;
  precision is the share of extracted directives containing some gold fragment; speaker accuracy is the
  share of found directives whose speaker (or speaking-for body) is the gold one.

Then the misses and false hits, grouped by the pattern of text around them (what to fix generally, not
item by item). The exit code is 0; this measures, it does not judge.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guanxi.loaders.model import GuanxiInputError
from guanxi.loaders.pipeline import process_record
from guanxi.loaders.readers import ReaderOptions, iter_records

from _pipelines import add_ner_option, pipeline_for

ROLE_EQUIVALENTS = {
    "met": {"met", "attended"},
    "inspected": {"inspected", "attended"},
    "wrote": {"wrote", "submitted_written_speech"},
}


@dataclass
class Score:
    tp: int = 0          # found gold items (recall side)
    gold: int = 0
    correct: int = 0     # extracted items that match gold (precision side)
    extracted: int = 0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.correct += other.correct
        self.extracted += other.extracted

    @property
    def precision(self) -> float:
        return self.correct / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "found": self.tp, "gold": self.gold, "correct": self.correct, "extracted": self.extracted}


@dataclass
class Finding:
    """One miss or false hit, with the pattern it belongs to and where it is."""

    kind: str            # 'person' | 'post' | 'role' | 'directive' | 'speaker'
    side: str            # 'miss' | 'false'
    pattern: str
    doc: str
    item: str
    context: str = ""

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "side": self.side, "pattern": self.pattern, "doc": self.doc, "item": self.item,
                "context": self.context}


@dataclass
class Report:
    people: Score = field(default_factory=Score)
    posts: Score = field(default_factory=Score)
    roles: Score = field(default_factory=Score)
    events: Score = field(default_factory=Score)
    directives: Score = field(default_factory=Score)
    speakers: Score = field(default_factory=Score)   # tp = right speaker, gold = found directives
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------------------
# context around a string in the text, for grouping errors by pattern

_TITLE_WORDS = ("总书记", "主席", "总理", "总统", "首相", "委员长", "书记", "部长", "外长", "省长", "市长", "县长", "主任",
                "院长", "局长", "大使", "议长", "国王", "秘书长", "理事长", "董事长", "经理", "代表", "委员", "同志", "先生",
                "女士", "教授", "院士", "记者", "厅长", "副", "常委", "特使", "顾问", "发言人", "军长", "司令员", "政委",
                "党首", "领导人", "总干事", "首席", "厂长", "村民", "党员", "主持人", "专家", "队长", "所长")


def _window(text: str, start: int, end: int, width: int = 12) -> str:
    return text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]


def _person_pattern(text: str, name: str) -> tuple[str, str]:
    """The pattern of the first occurrence of a missed name (what a rule would have to read)."""
    pos = text.find(name)
    if pos == -1:
        return "not in text", ""
    end = pos + len(name)
    before, after = text[max(0, pos - 12):pos], text[end:end + 6]
    ctx = _window(text, pos, end)
    if after.startswith("摄") or before.endswith(("记者", "摄影", "通讯员")):
        return "credit or byline (记者X摄)", ctx
    if "·" in name or "-" in name:
        return "foreign name with ·", ctx
    if after.startswith("同志"):
        return "name + 同志", ctx
    if any(after.startswith(t) for t in _TITLE_WORDS):
        return "name + title after it", ctx
    if before.endswith(_TITLE_WORDS) or re.search(r"(长|书记|主席|总理|总统|委员|代表|主任|首相|大使)$", before):
        return "title before the name", ctx
    if after.startswith("、") or before.endswith("、"):
        return "bare name in a list", ctx
    if after.startswith(("等", "陪同", "在座", "参加", "出席")):
        return "name before an attendance word", ctx
    if after.startswith(("说", "表示", "介绍", "认为", "告诉", "指出", "强调")):
        return "untitled speaker (X说/表示)", ctx
    if after.startswith("是"):
        return "apposition (X是Y)", ctx
    return "untitled name elsewhere", ctx


def _false_person_pattern(text: str, name: str, gold_names: set[str], not_people: set[str]) -> str:
    from guanxi.loaders import places

    if name in not_people:
        return "listed in not_people"
    if any(name in g or g in name for g in gold_names):
        return "wrong boundary of a real name"
    if places.lookup(name):
        return "a place"
    if re.search(r"[国省市县区州]$", name) or name.endswith(("斯坦", "亚", "兰", "尔")):
        return "looks like a place or state"
    return "other"


# ---------------------------------------------------------------------------------------------------
# matching


def _post_matches(gold_post: str, position: dict[str, Any]) -> bool:
    quote = position.get("quote") or ""
    if gold_post and gold_post in quote:
        return True
    title = position.get("title_as_written") or position.get("title") or ""
    if not title or not gold_post.endswith(title):
        return False
    rest = gold_post[: -len(title)]
    if not rest:
        return True
    names = {position.get("organization") or ""} | set(position.get("organization_aliases") or [])
    names |= {position.get("post", "")[: -len(title)] if position.get("post", "").endswith(title) else ""}
    return any(rest == n or (len(rest) >= 2 and n and (rest in n or n.endswith(rest))) for n in names if n)


def _speaker_candidates(directive: dict[str, Any], organizations: list[dict[str, Any]]) -> set[str]:
    out = set()
    for key in ("speaker", "speaker_organization", "speaker_as_written"):
        if directive.get(key):
            out.add(directive[key])
    org_name = directive.get("speaker_organization")
    for org in organizations:
        if org_name and org["name"] == org_name:
            out.update(org.get("aliases") or [])
    if directive.get("speaker_kind") == "meeting":
        out.add("会议")
    return out


def _speaker_right(gold_speaker: str, candidates: set[str]) -> bool:
    g = _norm(gold_speaker)
    for c in candidates:
        c = _norm(c)
        if c == g or (len(g) >= 2 and len(c) >= 2 and (g in c or c in g)):
            return True
    return False


def _norm(s: str) -> str:
    return re.sub(r"[“”\"'《》\s]", "", s)


GOLD_KINDS = {"bilateral": "talks"}      # the gold's name for a kind, where it differs from the extractor's


def _event_for(gold_event: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The extracted event sharing the most named participants (on the gold's date, where it gives one); among
    events sharing as many, the one whose roles answer most of the gold's (a talk and the summit its guest
    came for share the guest: the summit is the one where the guest attended); then the one of the gold's kind
    (an inspection and the 座谈会 held during it share the inspector)."""
    names = set(gold_event["participants"])
    gold_kind = GOLD_KINDS.get(gold_event.get("kind", ""), gold_event.get("kind"))
    best, best_key = None, (0, 0, False)
    for event in events:
        if gold_event.get("date") and event.get("date") != gold_event["date"]:
            continue
        roles = {p["name"]: set(p["roles"]) for p in event["participants"]}
        shared = len(names & set(roles))
        answered = sum(1 for name, wanted in gold_event["participants"].items() for role in wanted
                       if roles.get(name, set()) & ROLE_EQUIVALENTS.get(role, {role}))
        key = (shared, answered, event.get("kind") == gold_kind)
        if shared and key > best_key:
            best, best_key = event, key
    return best


# ---------------------------------------------------------------------------------------------------


def score_document(doc_id: str, text: str, facts: dict[str, Any], gold: dict[str, Any], report: Report) -> None:
    found = report.findings
    people = {p["name"]: p for p in facts["people"] if not p.get("redacted")}
    gold_people: dict[str, list[str]] = gold.get("people", {})
    not_people = set(gold.get("not_people", []))

    s = Score(gold=len(gold_people), extracted=len(people))
    s.tp = s.correct = len(set(people) & set(gold_people))
    report.people.add(s)
    for name in sorted(set(gold_people) - set(people)):
        pattern, ctx = _person_pattern(text, name)
        found.append(Finding("person", "miss", pattern, doc_id, name, ctx))
    for name in sorted(set(people) - set(gold_people)):
        spans = people[name].get("mentions") or []
        ctx = _window(text, *spans[0]) if spans else ""
        found.append(Finding("person", "false", _false_person_pattern(text, name, set(gold_people), not_people), doc_id, name, ctx))

    # posts
    s = Score()
    for name, posts in gold_people.items():
        positions = people.get(name, {}).get("positions", [])
        for post in posts:
            s.gold += 1
            if any(_post_matches(post, p) for p in positions):
                s.tp += 1
            else:
                if name not in people:
                    pattern = "person missed"
                elif not positions:
                    pattern = "person found without any post"
                else:
                    pattern = "post not among the person's positions"
                pos = text.find(post)
                found.append(Finding("post", "miss", pattern, doc_id, f"{name}: {post}",
                                     _window(text, pos, pos + len(post)) if pos >= 0 else ""))
    for name, person in people.items():
        for position in person.get("positions", []):
            s.extracted += 1
            if any(_post_matches(post, position) for post in gold_people.get(name, [])):
                s.correct += 1
            else:
                pattern = "person not in gold" if name not in gold_people else "post the reader did not give"
                found.append(Finding("post", "false", pattern, doc_id, f"{name}: {position.get('post')}",
                                     position.get("quote") or ""))
    report.posts.add(s)

    # events and roles
    events = facts.get("events", [])
    s, ev = Score(), Score(gold=len(gold.get("meetings", [])), extracted=len(events))
    # an extracted event can be the best match of several gold events (a talk and the summit its guest came
    # for, when the summit was not extracted): its roles are judged against all of them
    matched_events: dict[int, list[dict[str, Any]]] = {}
    for gold_event in gold.get("meetings", []):
        event = _event_for(gold_event, events)
        if event is not None:
            ev.tp += 1
            matched_events.setdefault(id(event), []).append(gold_event)
        roles = {p["name"]: set(p["roles"]) for p in event["participants"]} if event else {}
        for name, wanted in gold_event["participants"].items():
            for role in wanted:
                s.gold += 1
                if roles.get(name, set()) & ROLE_EQUIVALENTS.get(role, {role}):
                    s.tp += 1
                else:
                    pattern = f"{gold_event['kind']}: " + ("no event found" if event is None else
                                                            "participant missing" if name not in roles else f"role {role} missing")
                    found.append(Finding("role", "miss", pattern, doc_id, f"{name} {role} @ {gold_event.get('what', '')}"))
    ev.correct = len(matched_events)
    for event in events:
        gold_events = matched_events.get(id(event), [])
        for participant in event["participants"]:
            for role in participant["roles"]:
                s.extracted += 1
                wanted = {w for g in gold_events for w in g["participants"].get(participant["name"], [])}
                if any(role in ROLE_EQUIVALENTS.get(w, {w}) for w in wanted):
                    s.correct += 1
                else:
                    pattern = "event not in gold" if not gold_events else "role the reader did not give"
                    found.append(Finding("role", "false", pattern, doc_id, f"{participant['name']} {role} @ {event.get('name')}"))
    report.roles.add(s)
    report.events.add(ev)

    # directives and speakers
    directives = facts.get("directives", [])
    gold_directives = gold.get("directives", [])
    s = Score(gold=len(gold_directives), extracted=len(directives))
    sp = Score()
    orgs = facts.get("organizations", [])
    for g in gold_directives:
        hits = [d for d in directives if g["fragment"] in d["text"]]
        if hits:
            s.tp += 1
            sp.gold += 1
            sp.extracted += 1
            if any(_speaker_right(g["speaker"], _speaker_candidates(d, orgs)) for d in hits):
                sp.tp += 1
                sp.correct += 1
            else:
                said = "; ".join(sorted({str(d.get("speaker") or d.get("speaker_organization") or d.get("speaker_kind")) for d in hits}))
                found.append(Finding("speaker", "miss", "wrong speaker", doc_id, f"{g['speaker']} ≠ {said}", g["fragment"]))
        else:
            pos = text.find(g["fragment"])
            overlapping = [d for d in directives if pos >= 0 and d["span"][0] < pos + len(g["fragment"]) and pos < d["span"][1]]
            pattern = "overlapping directive cut differently" if overlapping else _directive_pattern(text, pos)
            found.append(Finding("directive", "miss", pattern, doc_id, f"{g['speaker']}: {g['fragment']}"))
    for d in directives:
        if any(g["fragment"] in d["text"] for g in gold_directives):
            s.correct += 1
        else:
            found.append(Finding("directive", "false", "not a gold directive", doc_id,
                                 f"{d.get('speaker') or d.get('speaker_organization') or d.get('speaker_kind')}: {d['text'][:50]}"))
    report.directives.add(s)
    report.speakers.add(sp)


def _directive_pattern(text: str, pos: int) -> str:
    if pos < 0:
        return "fragment not in cleaned text"
    start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos)) + 1
    sentence = text[start:text.find("。", pos) + 1 or len(text)]
    if re.search(r"愿|将|决定|承诺|力争|准备", sentence) and not re.search(r"要|必须|应当|务必|确保", sentence):
        return "pledge (愿/将/决定)"
    if re.search(r"强调|指出|表示|要求|希望|说|认为|提出", text[start:pos + 8]):
        return "speech sentence not taken"
    return "continuation sentence (speaker from before)"


# ---------------------------------------------------------------------------------------------------


def run(gold_dir: Path, only: str | None = None, pipeline=None) -> tuple[Report, dict[str, dict[str, Any]]]:
    report = Report()
    outputs: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for gold_path in sorted(gold_dir.glob("*.json")):
        doc_id = gold_path.stem
        if only and doc_id != only:
            continue
        text_path = gold_path.with_suffix(".txt")
        if not text_path.is_file():
            report.failed.append(f"{doc_id}: no {text_path.name}")
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        items = list(iter_records([str(text_path)], ReaderOptions()))
        if len(items) != 1 or isinstance(items[0], GuanxiInputError):
            report.failed.append(f"{doc_id}: {items[0] if items else 'nothing read'}")
            continue
        try:
            extracted = process_record(items[0], pipeline)
        except Exception as exc:  # measure the rest; the failure is a finding of its own
            report.failed.append(f"{doc_id}: {type(exc).__name__}: {exc}")
            continue
        report.documents += 1
        outputs[doc_id] = extracted.facts
        score_document(doc_id, extracted.text, extracted.facts, gold, report)
    report.seconds = time.perf_counter() - started
    return report, outputs


def _line(label: str, s: Score) -> str:
    return (f"{label:<11} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"
            f"   (found {s.tp}/{s.gold}, correct {s.correct}/{s.extracted})")


def print_text(report: Report, show: int) -> None:
    print(f"gold documents: {report.documents} scored, {len(report.failed)} failed, {report.seconds:.1f} s")
    for failure in report.failed:
        print(f"  failed: {failure}")
    print(_line("people", report.people))
    print(_line("posts", report.posts))
    print(_line("events", report.events))
    print(_line("event roles", report.roles))
    print(_line("directives", report.directives))
    sp = report.speakers
    print(f"{'speakers':<11} right {sp.recall:.3f} of the found directives ({sp.tp}/{sp.gold})")
    groups: dict[tuple[str, str], dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in report.findings:
        groups[(f.kind, f.side)][f.pattern].append(f)
    for (kind, side), patterns in sorted(groups.items()):
        total = sum(len(v) for v in patterns.values())
        print(f"\n{kind} {'misses' if side == 'miss' else 'false hits'}: {total}")
        for pattern, items in sorted(patterns.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(items):4d}  {pattern}")
            for f in items[:show]:
                print(f"          {f.doc}  {f.item}" + (f"   … {f.context} …" if f.context else ""))


def as_json(report: Report) -> dict[str, Any]:
    patterns: dict[str, Counter] = defaultdict(Counter)
    for f in report.findings:
        patterns[f"{f.kind} {f.side}"][f.pattern] += 1
    return {
        "documents": report.documents,
        "failed": report.failed,
        "seconds": round(report.seconds, 2),
        "people": report.people.as_json(),
        "posts": report.posts.as_json(),
        "events": report.events.as_json(),
        "event_roles": report.roles.as_json(),
        "directives": report.directives.as_json(),
        "speaker_accuracy": round(report.speakers.recall, 4),
        "speakers": report.speakers.as_json(),
        "patterns": {k: dict(v.most_common()) for k, v in sorted(patterns.items())},
        "findings": [f.as_json() for f in report.findings],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold_dir", type=Path, help="a folder of F.txt + F.json gold readings")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_ner_option(parser)
    parser.add_argument("--show", type=int, default=3, help="examples printed per error pattern (text format)")
    parser.add_argument("--doc", help="score only this document (its file stem) and print its extraction")
    args = parser.parse_args(argv)
    if not args.gold_dir.is_dir():
        print(f"quality.py: {args.gold_dir} is not a folder of gold readings", file=sys.stderr)
        return 2
    report, outputs = run(args.gold_dir, args.doc, pipeline_for(args.ner))
    if args.format == "json":
        print(json.dumps(as_json(report), ensure_ascii=False, indent=1))
    else:
        print_text(report, args.show if not args.doc else 1000)
        if args.doc and args.doc in outputs:
            facts = outputs[args.doc]
            print("\nextracted people:", {p["name"]: [x.get("post") for x in p["positions"]] for p in facts["people"]})
            for e in facts["events"]:
                print("event:", e["kind"], e["date"], e["name"], {p["name"]: p["roles"] for p in e["participants"]})
            for d in facts["directives"]:
                print("directive:", d.get("speaker") or d.get("speaker_organization") or d["speaker_kind"], "|", d["text"][:80])
    return 0


if __name__ == "__main__":
    sys.exit(main())
