"""``guanxi people``, ``guanxi bodies`` and ``guanxi industries``: listings with counts (the ``people``,
``organizations`` and ``industries`` named queries), registered by ``guanxi/cli.py``."""
from __future__ import annotations

import argparse

from guanxi.queries.commands import EXIT_EMPTY, EXIT_OK, _common, _console, _dump_csv, _dump_json, _guard, _queries, _table

EPILOG = {
    "people": """examples:
  guanxi people                       # the 50 most documented people
  guanxi people --top 0 --format csv > people.csv
  guanxi people --name 王              # names containing 王
""",
    "bodies": """examples:
  guanxi bodies                       # the bodies with the most people holding posts
  guanxi bodies --kind party_committee --format json
""",
    "industries": """examples:
  guanxi industries                   # every industry the documents mention, with directive and document counts
  guanxi industries --format csv
""",
}
COLUMNS = {
    "people": (["person", "documents", "posts", "meetings", "directives", "first seen", "last seen", "IRI"],
               lambda r: [r.person_name, r.documents, r.posts, r.meetings, r.directives, r.first_seen, r.last_seen, r.person]),
    "organizations": (["body", "kind", "place", "part of", "people", "documents", "IRI"],
                      lambda r: [r.organization_name, r.kind, r.place, r.parent, r.members, r.documents, r.organization]),
    "industries": (["industry", "code", "directives", "documents", "IRI"],
                   lambda r: [r.industry_name, r.code, r.directives, r.documents, r.industry]),
}


@_guard
def cmd_listing(args: argparse.Namespace) -> int:
    query = {"people": "people", "bodies": "organizations", "industries": "industries"}[args.command]
    with _queries(args) as q:
        rows = q.run(query)
    if getattr(args, "name", None):
        field = "person_name" if query == "people" else "organization_name"
        rows = [r for r in rows if args.name in (getattr(r, field) or "")]
    if getattr(args, "kind", None):
        rows = [r for r in rows if r.kind == args.kind]
    total = len(rows)
    shown = rows[: args.top] if args.top else rows
    if args.format == "json":
        _dump_json(shown)
    elif args.format == "csv":
        _dump_csv(shown, [c for c in (shown[0]._fields if shown else [])])
    else:
        headers, cells = COLUMNS[query]
        out = _console()
        out.print(_table(f"{args.command} ({len(shown)} of {total})" if len(shown) < total else f"{args.command} ({total})",
                         headers, (cells(r) for r in shown)))
    return EXIT_OK if rows else EXIT_EMPTY


def add_commands(sub) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("people", help="every person, with documents, posts, meetings and directives (most documented first)",
                       epilog=EPILOG["people"], formatter_class=fmt)
    p.add_argument("--name", help="only names containing this text")
    p.add_argument("--top", type=int, default=50, help="how many to show (0: all; default 50)")
    _common(p)
    p.set_defaults(func=cmd_listing)
    p = sub.add_parser("bodies", help="every body, with its kind, place and how many people held posts there",
                       epilog=EPILOG["bodies"], formatter_class=fmt)
    p.add_argument("--name", help="only names containing this text")
    p.add_argument("--kind", help="only this kind (party_committee, government, cppcc, peoples_congress, department…)")
    p.add_argument("--top", type=int, default=50, help="how many to show (0: all; default 50)")
    _common(p)
    p.set_defaults(func=cmd_listing)
    p = sub.add_parser("industries", help="the industries the documents mention, with directive and document counts",
                       epilog=EPILOG["industries"], formatter_class=fmt)
    p.add_argument("--top", type=int, default=0, help="how many to show (0: all, the default)")
    _common(p)
    p.set_defaults(func=cmd_listing)
