"""The query, view and analysis subcommands of ``guanxi`` (registered by ``guanxi/cli.py``).

    guanxi person 张古江 | --id IRI        guanxi org 唐山市委 | --id IRI
    guanxi meeting 协商议政大会 | --date 2020-09-07 | --id IRI
    guanxi directives [--speaker S] [--addressee A] [--industry I] [--text T] [--since D] [--until D]
    guanxi path A B                          guanxi query NAME --param k=v   (guanxi query --list)
    guanxi view person|org|meeting|directives|overview … -o FILE.html
    guanxi dossier NAME | --id IRI -o FILE.html
    guanxi analyze centrality|communities [--top N]

Every query command takes ``--format table|json|csv``, ``--backend store|neo4j`` (default store) and
``--store DIR``. Exit codes (guanxi.argtypes.EXIT_CODES, in every --help): 0 found, 1 nothing found or an
ambiguous name (the candidates are listed; pick one with ``--id``), 2 usage.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Callable, Iterable, Sequence

from guanxi.argtypes import iso_date, whole_number

EXIT_OK, EXIT_EMPTY, EXIT_USAGE = 0, 1, 2
PERSON_LIMIT = 50   # guanxi person: rows per section unless --limit / --all
FORMATS = ("table", "json", "csv")

EPILOG = {
    "person": """examples:
  guanxi person 张古江
  guanxi person 王海                         # two people have that name: lists both, exit 1
  guanxi person --id https://w3id.org/guanxi/id/person/王海-… --format json
  guanxi person 张古江 --backend neo4j       # the same rows from Neo4j (after guanxi sync)
  guanxi person 习近平 --limit 10            # the 10 most recent rows of each section (default 50)
  guanxi person 张古江 --all --format csv    # every row

Rows are one per fact and document, newest documents first when cut by --limit; the section titles (json:
"counts") give each kind's facts, rows and documents in all.
""",
    "org": """examples:
  guanxi org 唐山市委
  guanxi org 中共唐山市委员会 --format csv
""",
    "meeting": """examples:
  guanxi meeting 协商议政大会
  guanxi meeting --date 2020-09-07
""",
    "directives": """examples:
  guanxi directives --industry 生物医药
  guanxi directives --speaker 张古江 --since 2020-09-01 --until 2020-12-31
  guanxi directives --speaker 县人民政府 --text 人才        # a body spoken for (the speaker is unnamed)
  guanxi directives --addressee 各级各单位 --format json
""",
    "path": """examples:
  guanxi path 张古江 刘志强
  guanxi path 郭建英 https://w3id.org/guanxi/id/person/王海-…

The shortest chain person – meeting or body – person, through at most one other person.
""",
    "query": """examples:
  guanxi query --list
  guanxi query search --param text=唐山
  guanxi query co_attendance --param person=https://w3id.org/guanxi/id/person/… --format csv
  guanxi query directives --param industry=生物医药 --backend neo4j

Named queries live in queries/NAME.rq (SPARQL) and queries/NAME.cypher (Cypher); see docs/queries.md.
Only those run by NAME; a pair of your own runs with --file my-queries/NAME.rq (NAME.cypher beside it).
""",
    "view": """examples:
  guanxi view person 张古江 --radius 2 -o zhang.html
  guanxi view org 唐山市委 -o org.html
  guanxi view meeting --date 2020-09-07 -o meeting.html
  guanxi view directives --industry 生物医药 -o biomed.html
  guanxi view overview --class Person --class Meeting --since 2025-03-01 --min-degree 2 --max-nodes 200 -o overview.html

Pages are self-contained and work offline; hover a node or edge for the quoted source and its document.
""",
    "dossier": """examples:
  guanxi dossier 张古江 -o zhang-dossier.html
""",
    "analyze": """examples:
  guanxi analyze centrality --top 10
  guanxi analyze communities --method greedy --format json
""",
}


# --------------------------------------------------------------------------------------------------
# plumbing
# --------------------------------------------------------------------------------------------------

def _console(stderr: bool = False):
    from rich.console import Console

    if stderr:  # messages are whole lines, never wrapped at the terminal's width
        return Console(stderr=True, highlight=False, soft_wrap=True)
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    sys.stderr.write(f"error: {message}\n")
    return code


def _common(p: argparse.ArgumentParser, *, formats: Sequence[str] = FORMATS) -> None:
    if formats:
        p.add_argument("--format", choices=list(formats), default=formats[0], help="output format (default %(default)s)")
    p.add_argument("--backend", choices=["store", "neo4j"], default="store",
                   help="run the named queries on the embedded store (default) or on Neo4j (after guanxi sync)")
    p.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS,
                   help="the knowledge-graph store (default: $GUANXI_STORE or ./guanxi-data)")
    g = p.add_argument_group("Neo4j connection (with --backend neo4j; default $NEO4J_URI, $NEO4J_USER, $NEO4J_DATABASE, password from $NEO4J_PASSWORD)")
    g.add_argument("--uri", help="Bolt URI")
    g.add_argument("--user", help="user name")
    g.add_argument("--database", help="database name")


def _queries(args: argparse.Namespace):
    from guanxi.queries.api import Queries

    return Queries.open(args.backend, store_dir=getattr(args, "store", None), uri=args.uri, user=args.user,
                        database=args.database)


def _guard(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Errors as one line and the documented exit codes."""
    import functools

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        from guanxi.api import GuanxiError
        from guanxi.graph.store import StoreError, StoreMissingError
        from guanxi.queries.api import Ambiguous, NotFound
        from guanxi.queries.registry import QueryError

        try:
            return func(args)
        except Ambiguous as exc:
            _print_candidates(exc, getattr(args, "format", "table"))
            return EXIT_EMPTY
        except NotFound as exc:
            _print_not_found(exc, getattr(args, "format", "table"))
            return EXIT_EMPTY
        except QueryError as exc:
            return _fail(str(exc))
        except StoreMissingError as exc:
            return _fail(str(exc), EXIT_USAGE)
        except StoreError as exc:
            return _fail(str(exc), EXIT_EMPTY)
        except GuanxiError as exc:
            return _fail(str(exc), exc.exit_code)
        except Exception as exc:  # Neo4j unreachable, bad credentials...
            from guanxi.graph.neo4j_read import Neo4jError, QueryRejected, ReadOnlyError

            if isinstance(exc, (QueryRejected, ReadOnlyError)):
                return _fail(str(exc), EXIT_USAGE)
            if isinstance(exc, Neo4jError):
                return _fail(str(exc), EXIT_EMPTY)
            from guanxi.graph.store import READ_AGAIN, vanished_file

            if vanished_file(exc):  # a read-only store whose files the writer compacted away while we read
                return _fail(f"reading the store failed ({' '.join(str(exc).split())}); {READ_AGAIN}", EXIT_EMPTY)
            raise
    return wrapper


def _plain(value: Any) -> Any:
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _dump_json(data: Any) -> None:
    sys.stdout.write(json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " | ".join(_cell(v) for v in value)
    return str(value)


def _dump_csv(rows: Sequence[Any], columns: Sequence[str] | None = None) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    cols = list(columns or (rows[0]._fields if rows else []))
    writer.writerow(cols)
    for r in rows:
        writer.writerow([_cell(getattr(r, c)) for c in cols])


def _short_iri(iri: str | None) -> str:
    from guanxi.ontology.iri import ID_BASE, readable

    if not iri:
        return ""
    return readable(iri) if iri.startswith(ID_BASE) else iri


def _quotes(quotes: Iterable[str]) -> str:
    return "\n".join(f"「{q}」" for q in quotes)


def _doc(document: str | None, title: str | None = None, date: str | None = None) -> str:
    from guanxi.queries.build_views import doc_label

    return doc_label(document, title, date)


def _table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]):
    from rich.table import Table

    table = Table(title=title, show_header=True, highlight=False, show_lines=True, title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[_cell(x) for x in r])
    return table


def _print_candidates(exc: Any, fmt: str) -> None:
    rows = exc.candidates
    if fmt == "json":
        _dump_json({"ambiguous": True, "message": str(exc), "kind": exc.kind, "candidates": rows})
    elif fmt == "csv":
        _dump_csv(rows)
    else:
        out = _console()
        if exc.kind == "person":
            out.print(_table(f"{len(rows)} candidates", ["id (--id)", "name", "posts", "places", "documents", "dates"],
                             ([_short_iri(r.person), r.person_name, "、".join(r.posts), "、".join(r.places), r.documents,
                               f"{r.first_seen or '?'} – {r.last_seen or '?'}"] for r in rows)))
        elif exc.kind == "organization":
            out.print(_table(f"{len(rows)} candidates", ["id (--id)", "name", "kind", "place", "part of", "people"],
                             ([_short_iri(r.organization), r.organization_name, r.kind, r.place, r.parent, r.members] for r in rows)))
        else:
            out.print(_table(f"{len(rows)} candidates", ["id (--id)", "meeting", "date", "organizer", "participants"],
                             ([_short_iri(r.meeting), r.meeting_name, r.meeting_date, r.organizer_name, r.participants] for r in rows)))
    _console(stderr=True).print(f"{exc} — no choice was made; run again with --id ID (as printed)", markup=False)


def _print_not_found(exc: Any, fmt: str) -> None:
    if fmt == "json":
        _dump_json({"found": False, "message": str(exc), "suggestions": exc.suggestions})
    err = _console(stderr=True)
    err.print(str(exc), markup=False)
    if exc.suggestions and fmt != "json":
        err.print("did you mean: " + "、".join(sorted({s.label for s in exc.suggestions})[:20]), markup=False)


# --------------------------------------------------------------------------------------------------
# person, org, meeting, directives, path, query
# --------------------------------------------------------------------------------------------------

def _ref(args: argparse.Namespace, what: str) -> str:
    name, iri = getattr(args, "name", None), getattr(args, "id", None)
    if bool(name) == bool(iri):
        from guanxi.queries.registry import QueryError

        raise QueryError(f"give a {what}'s NAME or --id IRI (one of them)")
    return iri or name


@_guard
def cmd_person(args: argparse.Namespace) -> int:
    limit = None if getattr(args, "all", False) else (getattr(args, "limit", PERSON_LIMIT) or None)
    with _queries(args) as q:
        profile = q.person_profile(_ref(args, "person"), limit=limit)
    p = profile.person
    if args.format == "json":
        _dump_json({"person": p, "limit": profile.limit, "counts": profile.counts, "posts": profile.posts,
                    "meetings": profile.meetings, "directives": profile.directives})
        return EXIT_OK
    if args.format == "csv":
        _dump_csv(profile.rows, profile.rows[0]._fields if profile.rows else None)
        return EXIT_OK
    out = _console()
    out.print(f"[bold]{_esc(p.person_name)}[/bold]  {_esc(_short_iri(p.person))}")
    facts = [f"aliases: {'、'.join(p.aliases)}" if p.aliases else "", f"places: {'、'.join(p.places)}" if p.places else "",
             f"{p.documents} document(s), {p.first_seen or '?'} – {p.last_seen or '?'}"]
    out.print("  ".join(f for f in facts if f), markup=False)
    out.print(_table(_section("posts", profile, "post"), ["post", "body", "first attested", "last attested", "quote", "document"],
                     ([r.label, r.organization, r.date_from, r.date_to, _quotes(r.quotes), _doc(r.document, r.document_title, r.published)]
                      for r in profile.posts)))
    out.print(_table(_section("meetings, talks, inspections, letters", profile, "meeting"),
                     ["date", "kind", "event", "roles", "organizer", "quote", "document"],
                     ([r.date_from, _event_kind(r.event_kind), r.label, _roles(r.roles),
                       r.organization, _quotes(r.quotes), _doc(r.document, r.document_title, r.published)]
                      for r in profile.meetings)))
    out.print(_table(_section("directives", profile, "directive"), ["date", "directive (quoted)", "meeting / for", "document"],
                     ([r.date_from, _text_and_quotes(r.label, r.quotes), " / ".join(x for x in (r.meeting, r.organization) if x),
                       _doc(r.document, r.document_title, r.published)] for r in profile.directives)))
    if not profile.complete:
        out.print(f"… the {profile.limit} most recent rows of each section; more with --limit N, all with --all",
                  markup=False)
    return EXIT_OK


def _section(title: str, profile: Any, kind: str) -> str:
    """posts (3 facts, 120 rows, 118 documents; the 50 most recent rows shown): a section's title with the
    person's totals."""
    c = profile.counts.get(kind, {"facts": 0, "rows": 0, "documents": 0})
    shown = len({(r.item, r.document) for r in profile.of_kind(kind)})
    tail = f"; the {shown} most recent rows shown" if shown < c["rows"] else ""
    return f"{title} ({_n(c['facts'], 'fact')}, {_n(c['rows'], 'row')}, {_n(c['documents'], 'document')}{tail})"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _event_kind(code: str | None) -> str:
    """talks → 会见会谈 talks: the event kind's Chinese label from the ontology, and its code."""
    from guanxi.ontology.vocab import load_projection

    code = code or "meeting"
    return f"{load_projection().kind_labels.get(code, code)} {code}"


def _text_and_quotes(text: str | None, quotes: Sequence[str]) -> str:
    """The quotes 「…」; the text above them only when no quote is the text itself."""
    quoted = _quotes(quotes)
    return quoted if text in quotes or not text else f"{text}\n{quoted}"


def _esc(text: str | None) -> str:
    from rich.markup import escape

    return escape(text or "")


def _distinct(rows: Sequence[Any]) -> set[str]:
    return {r.item for r in rows}


def _roles(roles: Iterable[str]) -> str:
    from guanxi.queries.build_views import ROLE_ZH

    return "、".join(f"{ROLE_ZH.get(r, r)} {r}" for r in roles)


@_guard
def cmd_org(args: argparse.Namespace) -> int:
    with _queries(args) as q:
        roster = q.organization_roster(_ref(args, "body"))
    o = roster.organization
    if args.format == "json":
        _dump_json({"organization": o, "roster": roster.roster, "timeline": roster.timeline})
        return EXIT_OK
    if args.format == "csv":
        _dump_csv(roster.roster, [f for f in ("person_name", "post", "first_seen", "last_seen", "quotes", "documents", "person", "tenure")])
        return EXIT_OK
    out = _console()
    out.print(f"[bold]{_esc(o.organization_name)}[/bold]  {_esc(o.organization)}")
    out.print("  ".join(x for x in (f"kind: {o.kind}" if o.kind else "", f"place: {o.place}" if o.place else "",
                                    f"part of: {o.parent}" if o.parent else "", f"{o.members} people held posts here") if x),
              markup=False)
    out.print(_table(f"roster ({len(roster.roster)})", ["post", "person", "first attested", "last attested", "quote", "documents"],
                     ([r.post, r.person_name, r.first_seen, r.last_seen, _quotes(r.quotes), "\n".join(_doc(d) for d in r.documents)]
                      for r in roster.roster)))
    other = [t for t in roster.timeline if t.kind != "post"]
    if other:
        out.print(_table(f"meetings, directives, documents ({len(other)})", ["date", "kind", "what", "who / with"],
                         ([t.date, t.kind, t.label, t.other_name] for t in other)))
    return EXIT_OK if roster.roster or other else EXIT_EMPTY


@_guard
def cmd_meeting(args: argparse.Namespace) -> int:
    from guanxi.queries.registry import QueryError

    if not (args.name or args.date or args.id):
        raise QueryError("give a meeting's NAME, --date or --id")
    if args.name and args.id:
        raise QueryError("give a meeting's NAME or --id, not both")
    with _queries(args) as q:
        detail = q.meeting_detail(args.id or args.name, args.date)
    m = detail.meeting
    if args.format == "json":
        _dump_json({"meeting": m, "participants": detail.participants, "directives": detail.directives})
        return EXIT_OK
    if args.format == "csv":
        _dump_csv(detail.participants)
        return EXIT_OK
    out = _console()
    out.print(f"[bold]{_esc(m.meeting_name)}[/bold] {_esc(m.meeting_date or '')}  {_esc(m.meeting)}")
    out.print("  ".join(x for x in (f"organizer: {m.organizer_name}" if m.organizer_name else "",
                                    f"theme: {m.theme}" if m.theme else "",
                                    "documents: " + ", ".join(_doc(d) for d in m.documents)) if x), markup=False)
    out.print(_table(f"participants ({len(detail.participants)})", ["person", "roles", "posts", "quote"],
                     ([r.person_name, _roles(r.roles), "、".join(r.posts), _quotes(r.quotes)] for r in detail.participants)))
    if detail.directives:
        out.print(_directives_table(detail.directives))
    return EXIT_OK


def _speaker(r: Any) -> str:
    if r.speaker_name:
        return r.speaker_name + (f"\n(for {r.body_name})" if r.body_name else "")
    if r.body_name:
        return f"(unnamed speaker)\nfor {r.body_name}"
    return ""


def _directives_table(rows: Sequence[Any]):
    return _table(f"directives ({len(rows)})", ["date", "speaker", "directive (quoted)", "to / industry", "document"],
                  ([r.date, _speaker(r), _text_and_quotes(r.content, r.quotes), "、".join([*r.addressees, *r.industries]),
                    _doc(r.document, r.document_title, r.date)] for r in rows))


@_guard
def cmd_directives(args: argparse.Namespace) -> int:
    with _queries(args) as q:
        rows = q.directives(speaker=args.speaker, addressee=args.addressee, industry=args.industry, text=args.text,
                            since=args.since, until=args.until)
    if args.format == "json":
        _dump_json(rows)
    elif args.format == "csv":
        _dump_csv(rows, [c for c in rows[0]._fields if c != "targets"] if rows else None)
    else:
        _console().print(_directives_table(rows))
    if not rows:
        _console(stderr=True).print("no directives match", markup=False)
        return EXIT_EMPTY
    return EXIT_OK


@_guard
def cmd_path(args: argparse.Namespace) -> int:
    with _queries(args) as q:
        rows = q.connection_path(args.a, args.b)
    if args.format == "json":
        _dump_json(rows)
    elif args.format == "csv":
        _dump_csv(rows)
    elif rows:
        chain = []
        for r in rows:
            chain.append(("" if r.step == 0 else f" —{r.via}— ") + f"{r.node_name}" + (f" ({r.node_date})" if r.node_date else ""))
        out = _console()
        out.print("".join(chain), markup=False)
        out.print(_table(None, ["step", "kind", "name", "via", "date", "IRI"],
                         ([r.step, r.node_kind, r.node_name, r.via, r.node_date, r.node] for r in rows)))
    if not rows:
        _console(stderr=True).print("no connection through a shared meeting or body, nor through one person in between",
                                    markup=False)
        return EXIT_EMPTY
    return EXIT_OK


@_guard
def cmd_query(args: argparse.Namespace) -> int:
    from guanxi.queries import registry
    from guanxi.queries.registry import QueryError

    if args.list:
        reg = registry.registry()
        out = _console()
        out.print(_table("named queries", ["name", "parameters", "columns", "description"],
                         ([q.name, ", ".join(f"{p.name}{'?' if p.optional else ''}" for p in q.params),
                           ", ".join(c.name for c in q.columns), q.description] for q in reg.values())))
        return EXIT_OK
    if bool(args.name) == bool(args.file):
        raise QueryError("give a query NAME (guanxi query --list shows them) or --file PATH.rq (one of them)")
    query = registry.load_user_query(args.file) if args.file else registry.named(args.name)
    params: dict[str, str] = {}
    for item in args.param or []:
        if "=" not in item:
            raise QueryError(f"--param needs name=value, got {item!r}")
        k, v = item.split("=", 1)
        params[k.strip()] = v
    with _queries(args) as q:
        rows = registry.run(q.backend, query, params)
    columns = [c.name for c in query.columns]
    if args.format == "json":
        _dump_json(rows)
    elif args.format == "csv":
        _dump_csv(rows, columns)
    else:
        out = _console()
        out.print(_table(query.name, columns, ([getattr(r, c) for c in columns] for r in rows)))
        out.print(f"{len(rows)} row(s)", markup=False)
    return EXIT_OK if rows else EXIT_EMPTY


# --------------------------------------------------------------------------------------------------
# views, dossier, analyze
# --------------------------------------------------------------------------------------------------

def _output(path: str) -> None:
    """Refuse an -o that cannot be written before any query runs (a folder, a missing folder...)."""
    from guanxi.outputs import OutputError, check_output
    from guanxi.queries.registry import QueryError

    try:
        check_output(path)
    except OutputError as exc:
        raise QueryError(str(exc)) from None


@_guard
def cmd_view(args: argparse.Namespace) -> int:
    from guanxi.queries import build_views as bv
    from guanxi.queries.registry import QueryError
    from guanxi.queries.views import write

    _output(args.output)
    with _queries(args) as q:
        if args.kind == "person":
            graph = bv.person_view(q, _ref(args, "person"), radius=args.radius, max_nodes=args.max_nodes)
        elif args.kind == "org":
            graph = bv.organization_view(q, _ref(args, "body"), radius=args.radius, max_nodes=args.max_nodes)
        elif args.kind == "meeting":
            if not (args.name or args.date or args.id):
                raise QueryError("give a meeting's NAME, --date or --id")
            graph = bv.meeting_view(q, args.id or args.name, date=args.date, max_nodes=args.max_nodes)
        elif args.kind == "directives":
            graph = bv.directives_view(q, speaker=args.speaker, addressee=args.addressee, industry=args.industry,
                                       text=args.text, since=args.since, until=args.until, max_nodes=args.max_nodes)
        else:
            classes = [c.strip() for item in (args.classes or ["Person,Organization,Meeting"]) for c in item.split(",") if c.strip()]
            graph = bv.overview(q, classes=classes, since=args.since, until=args.until, min_degree=args.min_degree,
                                max_nodes=args.max_nodes)
    path = write(graph, args.output)
    err = _console(stderr=True)
    err.print(f"wrote {path} ({len(graph.nodes)} nodes, {len(graph.edges)} edges)", markup=False)
    if graph.note:
        err.print(graph.note, markup=False)
    return EXIT_OK if graph.nodes else EXIT_EMPTY


@_guard
def cmd_dossier(args: argparse.Namespace) -> int:
    from guanxi.queries import build_views as bv

    _output(args.output)
    with _queries(args) as q:
        path = bv.write_dossier(q, _ref(args, "person"), args.output, radius=args.radius, max_nodes=args.max_nodes)
    _console(stderr=True).print(f"wrote {path}", markup=False)
    return EXIT_OK


@_guard
def cmd_analyze(args: argparse.Namespace) -> int:
    from guanxi.graph import networkx_graph as nxg

    with _queries(args) as q:
        g = nxg.co_attendance_graph(q)
    if args.what == "centrality":
        ranked = nxg.centrality(g, top=args.top, betweenness_k=args.sample)
        if args.format == "json":
            _dump_json([r.__dict__ for r in ranked])
        elif args.format == "csv":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(["rank", "name", "people_met", "meetings_together", "betweenness", "iri"])
            for r in ranked:
                writer.writerow([r.rank, r.name, r.degree, int(r.strength), r.betweenness, r.node])
        else:
            out = _console()
            out.print(_table(f"centrality in the co-attendance network ({g.number_of_nodes()} people, "
                             f"{g.number_of_edges()} pairs)", ["#", "name", "people met", "meetings together", "betweenness", "IRI"],
                             ([r.rank, r.name, r.degree, int(r.strength), f"{r.betweenness:.4f}", r.node] for r in ranked)))
        return EXIT_OK if ranked else EXIT_EMPTY
    groups = nxg.communities(g, method=args.method)
    shown = groups[: args.top] if args.top else groups
    if args.format == "json":
        _dump_json([{"community": c.index, "size": c.size, "members": list(c.members), "names": list(c.names)} for c in shown])
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["community", "size", "name", "iri"])
        for c in shown:
            for iri, name in zip(c.members, c.names):
                writer.writerow([c.index, c.size, name, iri])
    else:
        out = _console()
        out.print(_table(f"{len(groups)} communities ({args.method}) in the co-attendance network", ["#", "size", "members (most connected first)"],
                         ([c.index, c.size, "、".join(c.names[:30]) + (" …" if c.size > 30 else "")] for c in shown)))
    return EXIT_OK if groups else EXIT_EMPTY


# --------------------------------------------------------------------------------------------------
# registration
# --------------------------------------------------------------------------------------------------

def _directive_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--speaker", help="a speaker's name or IRI, or the body spoken for (县人民政府)")
    p.add_argument("--addressee", help="part of an addressee's name (各级各单位, 科技局)")
    p.add_argument("--industry", help="part of an industry's label or code (生物医药)")
    p.add_argument("--text", help="part of the directive's text")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=iso_date, help="on or after this date")
    p.add_argument("--until", metavar="YYYY-MM-DD", type=iso_date, help="on or before this date")


def add_commands(sub: Any) -> None:
    """Register the subcommands on an argparse subparsers object."""
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("person", help="a person's posts, meetings and directives, with quotes", epilog=EPILOG["person"],
                       formatter_class=fmt, description="What the graph says about one person: posts with attested "
                       "dates, meetings with roles, directives, each with its document and quote.")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--id", metavar="ID", help="the person's id as the tables print it (person/王海-…) or IRI, to pick among namesakes")
    p.add_argument("--limit", type=whole_number(0), default=PERSON_LIMIT, metavar="N",
                   help=f"the N most recent rows (fact and document) of each section, in every format (default "
                   f"{PERSON_LIMIT}; 0: all); the section titles and the json 'counts' give the totals")
    p.add_argument("--all", action="store_true", help="every row of every section (slow for the most reported "
                   "people: tens of thousands of quotes)")
    _common(p)
    p.set_defaults(func=cmd_person)

    p = sub.add_parser("org", help="who held which post in a body", epilog=EPILOG["org"], formatter_class=fmt)
    p.add_argument("name", nargs="?", metavar="NAME", help="the body's name, alias or part of it")
    p.add_argument("--id", metavar="ID", help="an id as the tables print it, or an IRI")
    _common(p)
    p.set_defaults(func=cmd_org)

    p = sub.add_parser("meeting", help="a meeting's participants, roles and directives", epilog=EPILOG["meeting"],
                       formatter_class=fmt)
    p.add_argument("name", nargs="?", metavar="NAME", help="part of the meeting's name")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=iso_date)
    p.add_argument("--id", metavar="ID", help="an id as the tables print it, or an IRI")
    _common(p)
    p.set_defaults(func=cmd_meeting)

    p = sub.add_parser("directives", help="directives by speaker, addressee, industry, text, dates",
                       epilog=EPILOG["directives"], formatter_class=fmt)
    _directive_filters(p)
    _common(p)
    p.set_defaults(func=cmd_directives)

    p = sub.add_parser("path", help="how two people are connected", epilog=EPILOG["path"], formatter_class=fmt)
    p.add_argument("a", metavar="A", help="name or IRI")
    p.add_argument("b", metavar="B", help="name or IRI")
    _common(p)
    p.set_defaults(func=cmd_path)

    p = sub.add_parser("query", help="run a named query (queries/NAME.rq / NAME.cypher)", epilog=EPILOG["query"],
                       formatter_class=fmt)
    p.add_argument("name", nargs="?", metavar="NAME", help="a named query (guanxi query --list)")
    p.add_argument("--file", metavar="PATH.rq", help="run a query pair of your own: PATH.rq and PATH.cypher with "
                   "the named queries' header (docs/queries.md); checked like any query you type")
    p.add_argument("--param", action="append", metavar="K=V", help="a parameter (repeatable)")
    p.add_argument("--list", action="store_true", help="list the named queries")
    _common(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("view", help="write an interactive, offline HTML graph view", epilog=EPILOG["view"],
                       formatter_class=fmt)
    p.add_argument("kind", choices=["person", "org", "meeting", "directives", "overview"])
    p.add_argument("name", nargs="?", metavar="NAME", help="person, body or meeting name")
    p.add_argument("--id", metavar="ID", help="an id as the tables print it, or an IRI")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=iso_date, help="meeting date")
    p.add_argument("-o", "--output", required=True, metavar="FILE.html")
    p.add_argument("--radius", type=whole_number(1), default=2, help="ego network radius in hops (person, org; default 2)")
    p.add_argument("--max-nodes", type=whole_number(1), default=150, help="node cap (default 150); the page says what it left out")
    p.add_argument("--class", dest="classes", action="append", metavar="KIND",
                   help="overview: node kinds to show (Person, Organization, Meeting, Directive, Addressee, Industry; "
                   "repeatable or comma-separated; default Person,Organization,Meeting)")
    p.add_argument("--min-degree", type=whole_number(0), default=1, help="overview: hide nodes with fewer links (default 1)")
    _directive_filters(p)
    _common(p, formats=())
    p.set_defaults(func=cmd_view)

    p = sub.add_parser("dossier", help="one offline HTML page about a person", epilog=EPILOG["dossier"], formatter_class=fmt,
                       description="Posts over time, meetings and roles, directives with quotes, the ego network and the "
                       "list of sources, in one self-contained page.")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--id", metavar="ID", help="an id as the tables print it, or an IRI")
    p.add_argument("-o", "--output", required=True, metavar="FILE.html")
    p.add_argument("--radius", type=whole_number(1), default=2, help="ego network radius in hops (default 2)")
    p.add_argument("--max-nodes", type=whole_number(1), default=120, help="node cap of the network (default 120)")
    _common(p, formats=())
    p.set_defaults(func=cmd_dossier)

    p = sub.add_parser("analyze", help="rank officials or find groups in the co-attendance network",
                       epilog=EPILOG["analyze"], formatter_class=fmt)
    p.add_argument("what", choices=["centrality", "communities"])
    p.add_argument("--top", type=whole_number(0), default=10, help="how many to show (0: all; default 10)")
    p.add_argument("--method", choices=["louvain", "greedy"], default="louvain", help="communities: the algorithm")
    p.add_argument("--sample", type=whole_number(1), default=None, metavar="K",
                   help="centrality: estimate betweenness from K sampled pivots (big graphs)")
    _common(p)
    p.set_defaults(func=cmd_analyze)
