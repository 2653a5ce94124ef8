"""The guanxi command line. Subcommands live in small functions; argument parsing is argparse."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from rich.console import Console

from guanxi.argtypes import EXIT_CODES, whole_number

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2

EPILOG_EXTRACT = """examples:
  guanxi extract examples/002_a9ec4e6a3a1afbe8.txt
  guanxi extract examples/ --format jsonl > facts.jsonl
  guanxi extract --preset xwlb ../shared/corpus/xwlb/2025/20250310.json --format jsonl
  guanxi extract data.jsonl --records '' --text-field body --title-field headline --date-field meta.date
  cat page.html | guanxi extract - --input-format html
"""


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)  # messages are whole lines, never wrapped


def add_reader_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("reader options")
    group.add_argument("--input-format", choices=["txt", "html", "json", "jsonl"], help="force the input format (default: by extension)")
    group.add_argument("--preset", help="a named reader setup, e.g. xwlb (CCTV transcripts)")
    group.add_argument("--config", help="a TOML file with reader options (same names as these flags, with underscores)")
    group.add_argument("--records", help="dotted path to the list of records in a JSON file ('' = top level)")
    for name in ("text", "title", "date", "source", "id", "url", "authors"):
        group.add_argument(f"--{name}-field", help=f"dotted path of the {name} field in a JSON record")
    group.add_argument("--html-fields", action=argparse.BooleanOptionalAction, default=None, help="the text field holds HTML (default: detect)")
    group.add_argument("--encoding", help="force the text encoding (default: detect UTF-8 / GB18030)")


def reader_options(args: argparse.Namespace):
    from guanxi.loaders.model import GuanxiInputError
    from guanxi.loaders.readers import load_options, options_from_dict

    base: dict[str, Any] = {}
    if args.preset:
        base["preset"] = args.preset
    opts = options_from_dict(base, "--preset")
    if args.config:
        opts = load_options(args.config)
        if args.preset:
            raise GuanxiInputError("--preset", "give either --preset or --config (a config may name a preset)")
    overrides = {
        "format": args.input_format,
        "records": args.records,
        "text_field": args.text_field,
        "title_field": args.title_field,
        "date_field": args.date_field,
        "source_field": args.source_field,
        "id_field": args.id_field,
        "url_field": args.url_field,
        "authors_field": args.authors_field,
        "html_fields": args.html_fields,
        "encoding": args.encoding,
    }
    from dataclasses import replace

    return replace(opts, **{k: v for k, v in overrides.items() if v is not None})


def cmd_extract(args: argparse.Namespace) -> int:
    from guanxi.loaders.model import GuanxiInputError
    from guanxi.loaders.pipeline import extract_paths

    try:
        options = reader_options(args)
    except GuanxiInputError as exc:
        return _fail(exc.describe())
    results: list[dict[str, Any]] = []
    failures = 0
    for item in extract_paths(args.paths, options):
        if isinstance(item, GuanxiInputError):
            failures += 1
            _error_line(item.describe())  # one whole line per error: grep-able, never wrapped
            continue
        facts = item.facts
        if args.include_text:
            facts = facts | {"text": item.text}
        if args.format == "jsonl":
            sys.stdout.write(json.dumps(facts, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            results.append(facts)
    if args.format == "json":
        payload: Any = results[0] if len(results) == 1 and failures == 0 and _single_document_input(args.paths) else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if failures:
        sys.stderr.write(f"{failures} document(s) failed\n")
        return EXIT_SOME_FAILED
    return EXIT_OK


def _error_line(message: str) -> None:
    sys.stderr.write("error: " + " ".join(message.splitlines()) + "\n")
    sys.stderr.flush()


def _single_document_input(paths: Sequence[str]) -> bool:
    import os

    return len(paths) == 1 and not os.path.isdir(paths[0])


# --------------------------------------------------------------------------------------------------
# knowledge-graph commands: ingest, remove, sparql, export, stats, validate, merge, unmerge
# --------------------------------------------------------------------------------------------------

EPILOG_INGEST = """examples:
  guanxi ingest examples/
  guanxi ingest --preset xwlb ../shared/corpus/xwlb/2025 --workers 2 --store xwlb-kg
  guanxi ingest data.jsonl --text-field body --format json
  GUANXI_STORE=/data/kg guanxi ingest reports/
  guanxi ingest --preset xwlb ../shared/corpus/xwlb --executor dask --scheduler tcp://10.0.0.5:8786

Documents are new (added), changed (replaced), unchanged (same source text and extractor: skipped) or
failed (listed with file, record and reason; nothing already stored is lost). Exit code 1 if any failed.

Document ids: a JSON record's id field when mapped (--id-field; the xwlb preset maps video_detail.id), else
the file's path relative to the folder given, without extension (`guanxi ingest reports/` makes
reports/a/x.txt `a/x`; a file given by name is `x`), with #N for the N-th record of a JSON(L) file;
standard input gets `stdin-` and a hash of its text. Two inputs that would share an id are listed under
"document id collisions": in one ingest the second is skipped if its text is the same, refused otherwise;
a document that replaces one read earlier from another file that still exists is listed too.
"""
EPILOG_REMOVE = """examples:
  guanxi remove 002_a9ec4e6a3a1afbe8
  guanxi --store xwlb-kg remove VIDEzjEYNzbEIJxCg9KMF06250310
"""
EPILOG_SPARQL = """examples:
  guanxi sparql 'SELECT ?name WHERE { ?p a gx:Person ; gx:name ?name } LIMIT 10'
  guanxi sparql --file queries/posts.rq --param name=张古江 --format json
  guanxi sparql 'SELECT ?title ?exact WHERE { ?t gx:holder ?p ; gx:post/gx:title ?title ; gx:attestedBy/oa:hasTarget/oa:hasSelector/oa:exact ?exact . ?p gx:name ?name }' --param name=张古江
  guanxi sparql 'ASK { ?d gx:published ?when }' --param 'when=2020-09-08^^xsd:date'

Prefixes gx: id: oa: prov: org: schema: foaf: skos: dcterms: rdf: rdfs: owl: xsd: sh: are predeclared; the
default graph is the union of all graphs. --param name=value binds ?name (pyoxigraph substitutions, never
pasted into the text): value is a string literal, <IRI> an IRI, value^^xsd:type a typed literal.
Read-only: SPARQL Update is refused.
"""
EPILOG_EXPORT = """examples:
  guanxi export --format nq -o kg.nq          # canonical: sorted, byte-identical for the same inputs
  guanxi export --format ttl > kg.ttl         # union of all graphs
  guanxi export --format trig -o kg.trig      # named graphs kept (one per document)
  guanxi export --format jsonld -o kg.jsonld
  guanxi export --format graphml -o kg.graphml   # persons, organizations, meetings, directives
"""
EPILOG_STATS = """examples:
  guanxi stats
  guanxi --store xwlb-kg stats --format json
"""
EPILOG_VALIDATE = """examples:
  guanxi validate
  guanxi --store xwlb-kg validate --limit 20
  guanxi validate --format json | jq '.violations[].focus'

Runs the SHACL shapes (ontology/shapes.ttl) on the union of all graphs; exit code 1 on violations.
"""
EPILOG_MERGE = """examples:
  guanxi merge 王海 https://w3id.org/guanxi/id/person/王海-0123456789abcdef --reason "same deputy mayor of 唐山, reported from 北京"
  guanxi merge https://w3id.org/guanxi/id/person/张古江-… 张古江 --reason "…"
  guanxi merge --file decisions.csv

A and B are ids as the tables print them (person/王海-…), IRIs, or names that only one person has. A is
merged into B: every document naming A is re-emitted with B. The decision is kept in the manual graph, on the
records (document, name) it is about, so it holds across re-ingest and re-resolution.

decisions.csv (UTF-8, a header line, then one decision per line):
  decision,a,b,reason
  merge,person/王海-0123456789abcdef,person/王海-fedcba9876543210,same deputy mayor after a move
  reject,person/李强-…,person/李强-…,a county official and the premier
  unmerge,person/王海-…,tangshan_b,a different 王海 in that report
Every line is checked before any is applied; a bad one is reported with the file, the line and the problem.
"""
EPILOG_REJECT = """examples:
  guanxi reject person/王海-0123456789abcdef person/王海-fedcba9876543210 --reason "deputy mayors of two cities"

The decision names records (a document and a name), so it survives re-ingest and re-resolution.
"""
EPILOG_RESOLVE = """examples:
  guanxi resolve candidates
  guanxi resolve candidates --name 王海 --min-score -100 --format json
  guanxi resolve candidates --format csv > queue.csv

Each row is two people with one name that resolution kept apart: their posts, places, documents and dates
side by side, the score of the best pair of their groups (graph/resolution.toml) and what it rests on. Decide
with `guanxi merge A B --reason R`, `guanxi reject A B --reason R`, or many at once with
`guanxi merge --file decisions.csv`. Exit code 1 when the queue is empty.
"""
EPILOG_UNMERGE = """examples:
  guanxi unmerge 王海 --document 002_a9ec4e6a3a1afbe8 --reason "a different 王海 (an entrepreneur)"

In that document the name becomes a person of its own; the document is re-emitted.
"""


def _stdout() -> Console:
    # piped output is not cut to 80 columns: file paths and IRIs stay whole
    return Console(highlight=False, width=None if sys.stdout.isatty() else 240)


def _store_dir(args: argparse.Namespace) -> str | None:
    return getattr(args, "store", None)


def _open(args: argparse.Namespace, *, create: bool = False, read_only: bool = False):
    """The store of ``--store`` / ``$GUANXI_STORE`` / ``./guanxi-data``.  Only ``ingest`` creates one; readers
    open it read-only, so that they run while an ingest writes it."""
    from guanxi.api import Guanxi

    return Guanxi(_store_dir(args), create=create, read_only=read_only)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    sys.stderr.write(f"error: {message}\n")
    return code


def _store_errors(func):
    """Report store-level problems (busy store, unknown person...) as one line, not a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        from guanxi.api import GuanxiError
        from guanxi.graph.store import StoreError, StoreMissingError

        try:
            return func(args)
        except StoreMissingError as exc:
            return _fail(str(exc), EXIT_USAGE)
        except StoreError as exc:
            return _fail(str(exc), EXIT_SOME_FAILED)
        except GuanxiError as exc:
            return _fail(str(exc), exc.exit_code)
        except (OSError, RuntimeError) as exc:  # a read-only store whose files the writer compacted away
            from guanxi.graph.store import READ_AGAIN, vanished_file

            if not vanished_file(exc):
                raise
            return _fail(f"reading the store failed ({' '.join(str(exc).split())}); {READ_AGAIN}", EXIT_SOME_FAILED)
    return wrapper


@_store_errors
def cmd_ingest(args: argparse.Namespace) -> int:
    from guanxi.loaders.model import GuanxiInputError

    try:
        options = reader_options(args)
    except GuanxiInputError as exc:
        return _fail(exc.describe())
    if args.scheduler and args.executor == "local":
        return _fail("--scheduler is the address of a Dask scheduler: give it with --executor dask")
    with _open(args, create=True) as gx:
        if sys.stderr.isatty():
            report = _ingest_with_progress(gx, args, options)
        else:
            report = gx.ingest(args.paths, options, workers=args.workers, executor=args.executor,
                               scheduler=args.scheduler)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_ingest_table(report)
    return EXIT_OK if report.ok else EXIT_SOME_FAILED


def _ingest_with_progress(gx, args: argparse.Namespace, options):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[tally]}"), TimeElapsedColumn()]
    tally = {"new": 0, "changed": 0, "unchanged": 0, "failed": 0}
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task("ingest", total=None, tally="")

        def notify(event: str, what: str) -> None:
            tally[event] = tally.get(event, 0) + 1
            progress.update(task, advance=1, tally=" ".join(f"{k} {v}" for k, v in tally.items() if v))

        return gx.ingest(args.paths, options, workers=args.workers, progress=notify, executor=args.executor,
                         scheduler=args.scheduler)


def _print_ingest_table(report) -> None:
    from rich.table import Table

    out = _stdout()
    table = Table(title="ingest", show_header=True)
    table.add_column("documents")
    table.add_column("count", justify="right")
    data = report.to_json()
    for key, value in data["documents"].items():
        table.add_row(key, str(value))
    out.print(table)
    if report.failed:
        failures = Table(title="failures", show_header=True)
        for col in ("file", "record", "line", "reason"):
            failures.add_column(col)
        for f in report.failed:
            failures.add_row(f.file, "" if f.record is None else str(f.record), "" if f.line is None else str(f.line),
                             f.reason)
        out.print(failures)
    if report.collisions:
        clashes = Table(title="document id collisions", show_header=True)
        for col in ("id", "kept", "other input", "what happened"):
            clashes.add_column(col)
        for c in report.collisions:
            happened = ("replaced the earlier document, whose file is still there: if they are different "
                        "documents, ingest both from their common folder" if c.earlier else
                        "same text: skipped" if c.same_content else "different text: not stored (see failures)")
            clashes.add_row(c.doc_id, c.first + (" (earlier ingest)" if c.earlier else ""), c.second, happened)
        out.print(clashes)
    store = Table(title="store", show_header=True)
    store.add_column("what")
    store.add_column("count", justify="right")
    for key in ("documents", "people", "posts", "tenures", "meetings", "directives", "organizations"):
        store.add_row(key, str(data["store"].get(key, 0)))
    out.print(store)
    out.print(f"{data['seconds']:.1f} s")


@_store_errors
def cmd_remove(args: argparse.Namespace) -> int:
    missing = []
    with _open(args) as gx:
        for doc_id in args.doc_ids:
            if not gx.remove(doc_id):
                missing.append(doc_id)
    for doc_id in missing:
        _stderr().print(f"no document {doc_id} in the store", markup=False)
    return EXIT_SOME_FAILED if missing else EXIT_OK


def parse_param(text: str):
    """``name=value`` -> (name, pyoxigraph term): <IRI>, value^^prefix:type / value^^<IRI>, else a string."""
    import pyoxigraph as ox

    from guanxi.ontology.vocab import PREFIXES

    if "=" not in text:
        raise ValueError(f"--param needs name=value, got {text!r}")
    name, value = text.split("=", 1)
    name = name.strip().lstrip("?$")
    if not name:
        raise ValueError(f"--param needs a variable name: {text!r}")
    if value.startswith("<") and value.endswith(">"):
        return name, ox.NamedNode(value[1:-1])
    if "^^" in value:
        lexical, datatype = value.rsplit("^^", 1)
        if datatype.startswith("<") and datatype.endswith(">"):
            datatype = datatype[1:-1]
        elif ":" in datatype and datatype.split(":", 1)[0] in PREFIXES:
            prefix, local = datatype.split(":", 1)
            datatype = PREFIXES[prefix] + local
        return name, ox.Literal(lexical, datatype=ox.NamedNode(datatype))
    return name, ox.Literal(value)


@_store_errors
def cmd_sparql(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    query, problem = _query_argument(args)
    if problem:
        return _fail(problem)
    try:
        bindings = dict(parse_param(p) for p in args.param or [])
    except ValueError as exc:
        return _fail(str(exc))
    with _open(args, read_only=True) as gx:
        result = gx.sparql(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            value = bool(result)
            sys.stdout.write(json.dumps({"boolean": value}) + "\n" if args.format == "json" else f"{str(value).lower()}\n")
            return EXIT_OK
        if isinstance(result, ox.QueryTriples):
            sys.stdout.buffer.write(ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES))
            return EXIT_OK
        if args.format in ("json", "csv"):
            fmt = ox.QueryResultsFormat.JSON if args.format == "json" else ox.QueryResultsFormat.CSV
            sys.stdout.buffer.write(result.serialize(format=fmt))
            if args.format == "json":
                sys.stdout.write("\n")
            return EXIT_OK
        _print_solutions(result)
    return EXIT_OK


def _query_argument(args: argparse.Namespace) -> tuple[str, str | None]:
    """(query text, problem): the QUERY argument or the text of ``--file``, exactly one of them."""
    if (args.query is None) == (args.file is None):
        return "", "give a QUERY or --file F (one of them)"
    if args.file is None:
        return args.query, None
    try:
        with open(args.file, encoding="utf-8") as fh:
            return fh.read(), None
    except (OSError, UnicodeDecodeError) as exc:
        return "", f"cannot read {args.file}: {exc.strerror if isinstance(exc, OSError) else 'not UTF-8 text'}"


def _print_solutions(result) -> None:
    from rich.table import Table

    from guanxi.ontology.iri import readable

    variables = [v.value for v in result.variables]
    table = Table(show_header=True, highlight=False)
    for v in variables:
        table.add_column(v, overflow="fold")
    rows = 0
    for solution in result:
        cells = []
        for v in variables:
            term = solution[v]
            if term is None:
                cells.append("")
            elif hasattr(term, "datatype") or hasattr(term, "language"):
                cells.append(term.value)
            else:
                cells.append(readable(term.value) if term.value.startswith("https://w3id.org/guanxi/id/") else term.value)
        table.add_row(*cells)
        rows += 1
    console = _stdout()
    console.print(table)
    console.print(f"{rows} row(s)")


@_store_errors
def cmd_export(args: argparse.Namespace) -> int:
    from guanxi.outputs import OutputError, atomic_output, check_output

    to_file = bool(args.output) and args.output != "-"
    try:
        if to_file:
            check_output(args.output, example=f"kg.{args.format}")
    except OutputError as exc:
        return _fail(str(exc))
    with _open(args, read_only=True) as gx:
        if to_file:
            with atomic_output(args.output) as fh:
                gx.export(args.format, fh)
        else:
            gx.export(args.format, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return EXIT_OK


@_store_errors
def cmd_stats(args: argparse.Namespace) -> int:
    from rich.table import Table

    with _open(args, read_only=True) as gx:
        stats = gx.stats()
    if args.format == "json":
        sys.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    table = Table(title=f"store {stats.pop('store')}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in stats.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    _stdout().print(table)
    return EXIT_OK


@_store_errors
def cmd_validate(args: argparse.Namespace) -> int:
    from guanxi.ontology.iri import readable
    from guanxi.ontology.vocab import PREFIXES

    def short(term: str | None) -> str:
        if term is None:
            return "-"
        if term.startswith("https://w3id.org/guanxi/id/"):
            return readable(term)
        for prefix, ns in PREFIXES.items():
            if term.startswith(ns):
                return f"{prefix}:{term[len(ns):]}"
        return term

    with _open(args, read_only=True) as gx:
        report = gx.validate()
    if args.format == "json":
        payload = {"conforms": report.conforms, "triples": report.triples,
                   "violations": [{"focus": v.focus, "path": v.path, "message": v.message, "severity": v.severity}
                                  for v in report.violations]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK if report.conforms else EXIT_SOME_FAILED
    out = _stdout()
    if report.conforms:
        out.print(f"valid: {report.triples:,} triples conform to the guanxi shapes", markup=False)
        return EXIT_OK
    shown = report.violations if args.limit <= 0 else report.violations[:args.limit]
    for v in shown:
        out.print(f"{v.severity}: {short(v.focus)}\n  path: {short(v.path)}\n  {v.message}", markup=False)
    more = len(report.violations) - len(shown)
    out.print(f"{len(report.violations)} violation(s)" + (f" ({more} not shown)" if more else ""), markup=False)
    return EXIT_SOME_FAILED


@_store_errors
def cmd_merge(args: argparse.Namespace) -> int:
    from guanxi.ontology.iri import readable

    if args.file:
        if args.a or args.b or args.reason:
            return _fail("give either A B --reason R, or --file F (the reasons are in the file)")
        with _open(args) as gx:
            report = gx.apply_decisions(args.file)
        counts = {kind: sum(1 for r in report.applied if r.decision == kind) for kind in ("merge", "reject", "unmerge")}
        Console(highlight=False).print(f"{args.file}: {len(report.applied)} decision(s) applied ("
                                       + ", ".join(f"{n} {k}" for k, n in counts.items() if n)
                                       + f"); rewrote {len(report.rewritten)} other document(s)", markup=False)
        return EXIT_OK
    if not (args.a and args.b):
        return _fail("give two people A B (names, ids or IRIs), or --file F")
    if not args.reason or not args.reason.strip():
        return _fail("--reason must not be empty")
    from guanxi.api import GuanxiError

    with _open(args) as gx:
        record = gx._record_of(gx.person(args.b))
        docs = gx.merge(args.a, args.b, args.reason)
        try:  # the merged person's id (its anchor may be A's, if A was attested first)
            node = gx.store.index.assigned_in(record[0])[record[1]][0]
        except (GuanxiError, KeyError):
            node = None
    Console(highlight=False).print(f"merged; rewrote {len(docs)} other document(s)" +
                                   (f"; the person is {readable(node)}" if node else ""), markup=False)
    return EXIT_OK


@_store_errors
def cmd_reject(args: argparse.Namespace) -> int:
    if not args.reason or not args.reason.strip():
        return _fail("--reason must not be empty")
    with _open(args) as gx:
        docs = gx.reject(args.a, args.b, args.reason)
    Console(highlight=False).print(f"recorded: two different people; rewrote {len(docs)} document(s)", markup=False)
    return EXIT_OK


def _identity_json(ident) -> dict[str, Any]:
    from guanxi.ontology.iri import readable

    first, last = ident.first_last()
    return {"id": readable(ident.iri), "iri": ident.iri, "name": ident.name, "names": ident.names,
            "places": sorted({h.label for h in ident.homes}), "posts": sorted({p for r in ident.records for p in r.posts}),
            "documents": ident.documents, "mentions": ident.mentions, "first_seen": first, "last_seen": last}


@_store_errors
def cmd_resolve(args: argparse.Namespace) -> int:
    from rich.table import Table

    if args.limit is not None and args.limit < 1:
        return _fail("--limit must be at least 1")
    with _open(args) as gx:
        queue = gx.candidates(args.name, args.min_score, args.limit)
    rows = [{"a": _identity_json(c.a), "b": _identity_json(c.b), "score": c.score, "why": c.why,
             "mentions": c.mentions} for c in queue]
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["score", "mentions", "a", "a_places", "a_posts", "a_documents", "a_dates",
                         "b", "b_places", "b_posts", "b_documents", "b_dates", "why"])
        for r in rows:
            cells = [r["score"], r["mentions"]]
            for side in ("a", "b"):
                x = r[side]
                cells += [x["id"], " | ".join(x["places"]), " | ".join(x["posts"]), x["documents"],
                          f"{x['first_seen']}..{x['last_seen']}"]
            writer.writerow(cells + [r["why"]])
    else:
        table = Table(title=f"{len(rows)} candidate pair(s): decide with guanxi merge A B / guanxi reject A B "
                      "(or many at once: guanxi merge --file decisions.csv)", show_header=True, highlight=False)
        for col in ("score", "A (id)", "A: posts, places, documents, dates", "B (id)", "B: posts, places, documents, dates", "why"):
            table.add_column(col, overflow="fold")

        def side(x: dict[str, Any]) -> str:
            return "\n".join(filter(None, ["、".join(x["posts"][:4]), "、".join(x["places"]),
                                            f"{x['documents']} document(s), {x['mentions']} mention(s)",
                                            f"{x['first_seen']} – {x['last_seen']}"]))

        for r in rows:
            table.add_row(f"{r['score']:g}", r["a"]["id"], side(r["a"]), r["b"]["id"], side(r["b"]), r["why"])
        _stdout().print(table)
    if not rows:
        sys.stderr.write("no candidates" + (f" for {args.name}" if args.name else "") +
                         (f" with a score of at least {args.min_score:g}" if args.min_score is not None else "") + "\n")
        return EXIT_SOME_FAILED
    return EXIT_OK


@_store_errors
def cmd_unmerge(args: argparse.Namespace) -> int:
    from guanxi.ontology.iri import readable

    with _open(args) as gx:
        node = gx.unmerge(args.person, args.document, args.reason)
    Console(highlight=False).print(f"in {args.document} the name is now {readable(node)}\n{node}", markup=False)
    return EXIT_OK


def _add_store_option(p: argparse.ArgumentParser) -> None:
    # also accepted after the subcommand; SUPPRESS keeps a global --store given before it
    p.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS,
                   help="the knowledge-graph store (default: $GUANXI_STORE or ./guanxi-data)")


def _add_graph_commands(sub) -> None:
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("ingest", help="extract documents into the knowledge-graph store (idempotent)",
                       description="Extract documents and store each one's facts as a named graph, with entity "
                       "resolution; unchanged documents are skipped, changed ones replaced atomically.",
                       epilog=EPILOG_INGEST, formatter_class=fmt)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for standard input")
    p.add_argument("--workers", type=whole_number(1), default=1, help="extraction processes (default 1)")
    p.add_argument("--executor", choices=["local", "dask"], default=None,
                   help="where extraction runs: local processes (default), or a Dask cluster (pip install 'guanxi[dask]')")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask; default: a LocalCluster "
                   "of --workers processes)")
    p.add_argument("--format", choices=["table", "json"], default="table", help="summary format")
    _add_store_option(p)
    add_reader_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="remove documents (their named graphs) from the store",
                       description="Drop documents' graphs and recompute what depended on them.",
                       epilog=EPILOG_REMOVE, formatter_class=fmt)
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    _add_store_option(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("sparql", help="run a read-only SPARQL query", description="Run a read-only SPARQL "
                       "query over the union of all graphs.", epilog=EPILOG_SPARQL, formatter_class=fmt)
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--file", metavar="F", help="read the query from a file (.rq)")
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="bind ?NAME (repeatable)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_store_option(p)
    p.set_defaults(func=cmd_sparql)

    p = sub.add_parser("export", help="export the graph (ttl, trig, nq, jsonld, graphml)",
                       description="Write the data graphs (not the ontology) in an RDF format or as GraphML.",
                       epilog=EPILOG_EXPORT, formatter_class=fmt)
    p.add_argument("--format", choices=["ttl", "trig", "nq", "jsonld", "graphml"], default="nq")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    _add_store_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="what the store holds", epilog=EPILOG_STATS, formatter_class=fmt)
    p.add_argument("--format", choices=["table", "json"], default="table")
    _add_store_option(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("validate", help="check the graph against the SHACL shapes",
                       epilog=EPILOG_VALIDATE, formatter_class=fmt)
    p.add_argument("--limit", type=whole_number(0), default=50, help="show at most N violations (0: all)")
    p.add_argument("--format", choices=["table", "json"], default="table",
                   help="json: {conforms, triples, violations: [{focus, path, message, severity}]} (all of them)")
    _add_store_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("merge", help="record that person A is person B (or apply a file of decisions)",
                       epilog=EPILOG_MERGE, formatter_class=fmt,
                       description="Merge person A into person B (a manual entity-resolution decision), or apply "
                       "a CSV of merge / reject / unmerge decisions with --file.")
    p.add_argument("a", metavar="A", nargs="?", help="person id, IRI or unambiguous name (merged away)")
    p.add_argument("b", metavar="B", nargs="?", help="person id, IRI or unambiguous name (kept, with its name)")
    p.add_argument("--reason", help="why A and B are the same person")
    p.add_argument("--file", metavar="F", help="a CSV of decisions: decision,a,b,reason (see below)")
    _add_store_option(p)
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("reject", help="record that A and B are different people", epilog=EPILOG_REJECT,
                       formatter_class=fmt, description="Record that two people the review queue (or the rules) "
                       "put side by side are different: resolution never merges them again.")
    p.add_argument("a", metavar="A", help="person id, IRI or unambiguous name")
    p.add_argument("b", metavar="B", help="person id, IRI or unambiguous name")
    p.add_argument("--reason", required=True, help="why they are different people")
    _add_store_option(p)
    p.set_defaults(func=cmd_reject)

    p = sub.add_parser("resolve", help="entity resolution: the review queue of candidate pairs",
                       epilog=EPILOG_RESOLVE, formatter_class=fmt,
                       description="Entity resolution. `resolve candidates` lists the pairs of people with one "
                       "name that the rules did not merge, most mentions first, with the evidence side by side.")
    rsub = p.add_subparsers(dest="resolve_command", metavar="COMMAND", required=True)
    c = rsub.add_parser("candidates", help="pairs the rules did not merge, most mentions first",
                        epilog=EPILOG_RESOLVE, formatter_class=fmt)
    c.add_argument("--name", help="only this name")
    c.add_argument("--min-score", type=float, metavar="S",
                   help="only pairs scoring at least S (default: the model's candidate_min_score; posts that "
                   "conflict score -10)")
    c.add_argument("--limit", type=int, metavar="N", help="at most N pairs")
    c.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_store_option(c)
    c.set_defaults(func=cmd_resolve)

    p = sub.add_parser("unmerge", help="split a person's mentions in one document off into their own person",
                       epilog=EPILOG_UNMERGE, formatter_class=fmt,
                       description="Record that in one document the person's name refers to someone else.")
    p.add_argument("person", metavar="PERSON", help="person IRI or unambiguous name")
    p.add_argument("--document", required=True, metavar="DOC_ID")
    p.add_argument("--reason", help="why (recorded with the decision)")
    _add_store_option(p)
    p.set_defaults(func=cmd_unmerge)


# --------------------------------------------------------------------------------------------------
# Neo4j: sync (write the projection) and cypher (read-only queries)
# --------------------------------------------------------------------------------------------------

EPILOG_SYNC = """examples:
  eval "$(scripts/neo4j-local env)"; guanxi sync
  guanxi --store xwlb-kg sync --batch-size 2000 --format json
  guanxi sync --uri bolt://db.example.org:7687 --user analyst --database guanxi
  guanxi sync --full            # rewrite every element (after editing the Neo4j graph by hand)

Connection: --uri/--user/--database or NEO4J_URI, NEO4J_USER, NEO4J_DATABASE; the password comes from
NEO4J_PASSWORD (empty: no authentication) or, on a terminal, a prompt. It is never printed.
Idempotent and incremental: the projection is kept in <store>/projection.sqlite and only what changed since
the last sync is projected again, compared and written; retracted facts are deleted, and when the store has not
changed nothing is written. An interrupted sync is completed by the next one. The mapping is documented in
docs/schema.md; an initial load of a large store is faster with `guanxi neo4j-import` (docs/neo4j.md).
"""
EPILOG_CYPHER = """examples:
  guanxi cypher 'MATCH (p:Person {name: $name})-[h:HELD]->(o:Organization) RETURN h.post_label, o.name' --param name=张古江
  guanxi cypher 'MATCH (m:Meeting) WHERE m.date >= date($from) RETURN m.name, m.date' --param from=2025-03-01
  guanxi cypher 'MATCH (p:Person) RETURN p.name LIMIT $n' --param n:=10 --format json
  guanxi cypher --file my-query.cypher --format csv > out.csv

Read-only (docs/security.md): LOAD CSV, administration (SHOW USERS, CREATE USER, dbms.* procedures...),
transaction management (TERMINATE/SHOW TRANSACTIONS, CALL {} IN TRANSACTIONS), USE and writes are refused
before anything is sent; then the server's plan of the query (EXPLAIN) must be a read calling only read-only
procedures; then it runs in a read transaction, where the server refuses writes. --param NAME=VALUE passes
$NAME as a string, --param NAME:=JSON as a JSON value (number, list, true, null); values are Cypher
parameters, never pasted into the query. Worked queries: docs/cypher-cookbook.md.
"""


def _neo4j_settings(args: argparse.Namespace):
    from guanxi.graph.neo4j_read import settings

    return settings(args.uri, args.user, None, args.database)


@_store_errors
def cmd_sync(args: argparse.Namespace) -> int:
    from guanxi.graph import neo4j_read, neo4j_sync

    conn = _neo4j_settings(args)
    try:
        driver = neo4j_read.open_driver(conn)
    except neo4j_read.Neo4jError as exc:
        return _fail(str(exc), EXIT_SOME_FAILED)
    try:
        with _open(args, read_only=True) as gx:  # sync only reads the store: it runs during an ingest
            if sys.stderr.isatty():
                report = _sync_with_progress(gx.store, driver, conn.database, args)
            else:
                report = neo4j_sync.sync(gx.store, driver, conn.database, batch_size=args.batch_size, full=args.full)
    except Exception as exc:
        import neo4j

        if isinstance(exc, (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError)):
            error = neo4j_read.friendly_error(exc, conn)
            return _fail(f"{error}\nthe sync stopped part-way; run `guanxi sync` again to complete it", EXIT_SOME_FAILED)
        raise
    finally:
        driver.close()
    if args.format == "json":
        data = report.to_json() | {"uri": conn.uri, "database": conn.database}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_sync_table(report, conn)
    return EXIT_OK


def _sync_with_progress(store, driver, database, args: argparse.Namespace):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from guanxi.graph import neo4j_sync

    columns = [SpinnerColumn(), TextColumn("sync {task.fields[phase]}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    with Progress(*columns, console=_stderr(), transient=True) as progress:
        task = progress.add_task("sync", total=None, phase="")

        def notify(phase: str, done: int, total: int) -> None:
            progress.update(task, completed=done, total=total or None, phase=phase)

        return neo4j_sync.sync(store, driver, database, batch_size=args.batch_size, full=args.full, progress=notify)


def _print_sync_table(report, conn) -> None:
    from rich.table import Table

    out = Console(highlight=False)
    if report.up_to_date:
        out.print(f"up to date: the store has not changed since the last sync to {conn.uri} "
                  f"(database {conn.database}); nothing written ({report.seconds:.2f} s)", markup=False, soft_wrap=True)
        return
    table = Table(title=f"sync → {conn.uri} ({conn.database})" + (" --full" if report.full else ""), show_header=True)
    table.add_column("")
    for col in ("created", "updated", "deleted", "unchanged"):
        table.add_column(col, justify="right")
    for name, tally in (("nodes", report.nodes), ("relationships", report.relationships)):
        table.add_row(name, *(f"{v:,}" for v in tally.to_json().values()))
    out.print(table)
    projection = report.projection or {}
    how = {"incremental": f"{projection.get('projected', 0):,} element(s) of {projection.get('graphs', 0):,} changed "
                          "graph(s) projected again",
           "rebuilt": "the whole store projected", "current": "projection up to date",
           "in memory": "the whole store projected"}.get(projection.get("mode", ""), "")
    out.print(f"{report.mode}; {how}; {report.batches} batch(es), {report.seconds:.1f} s", markup=False)


def cmd_cypher(args: argparse.Namespace) -> int:
    from guanxi.graph import cypher_guard, neo4j_read

    query, problem = _query_argument(args)
    if problem:
        return _fail(problem)
    try:
        params = dict(neo4j_read.parse_param(p) for p in args.param or [])
    except ValueError as exc:
        return _fail(str(exc))
    refused = cypher_guard.refusal(query)  # before connecting: a refused query is never sent
    if refused:
        return _fail(refused)
    conn = _neo4j_settings(args)
    try:
        driver = neo4j_read.open_driver(conn)
    except neo4j_read.Neo4jError as exc:
        return _fail(str(exc), EXIT_SOME_FAILED)
    try:
        result = cypher_guard.run_user_read(driver, query, params, conn.database, conn)
    except cypher_guard.CypherRefused as exc:
        return _fail(str(exc))
    except (neo4j_read.ReadOnlyError, neo4j_read.QueryRejected) as exc:
        return _fail(str(exc))
    except neo4j_read.Neo4jError as exc:
        return _fail(str(exc), EXIT_SOME_FAILED)
    finally:
        driver.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(neo4j_read.rows_as_plain(result), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(result.keys)
        for row in neo4j_read.rows_as_plain(result):
            writer.writerow(["" if v is None else v if isinstance(v, (str, int, float)) else json.dumps(v, ensure_ascii=False)
                             for v in row.values()])
    else:
        from rich.table import Table

        table = Table(show_header=True, highlight=False)
        for key in result.keys:
            table.add_column(key, overflow="fold")
        for cells in neo4j_read.rows_as_cells(result):
            table.add_row(*cells)
        console = Console(highlight=False)
        console.print(table)
        console.print(f"{len(result.rows)} row(s)", markup=False)
    return EXIT_OK


EPILOG_IMPORT = """examples:
  guanxi --store xwlb-kg neo4j-import            # the local server of scripts/neo4j-local, whose database is empty
  guanxi neo4j-import --format json
  guanxi neo4j-import --csv-only import-files/   # the files and the neo4j-admin arguments for another installation

A first load of a large store into an empty database: the projection is written as CSV files with typed headers,
the local server is stopped, `neo4j-admin database import full` builds the database from them, the server is
started again, the constraints and the sync state are written (the next `guanxi sync` is up to date, later ones
incremental). The database must be empty (a non-empty one is refused: update it with `guanxi sync`).
Exit status: 0 imported, 1 refused or failed (the reason in one line), 2 usage. See docs/neo4j.md.
"""


@_store_errors
def cmd_neo4j_import(args: argparse.Namespace) -> int:
    import os

    from guanxi.graph import neo4j_import, neo4j_local

    home = Path(args.neo4j_home).expanduser().resolve() if args.neo4j_home else neo4j_local.default_home()
    if args.csv_only:
        from guanxi.graph.projection import project
        from guanxi.graph.projection_cache import open_cache

        with _open(args, read_only=True) as gx:  # only reads the store
            cache = open_cache(gx.store)
            try:
                if cache is not None:
                    cache.refresh(gx.store)
                    files = neo4j_import.write_csv(cache.iter_nodes(), cache.iter_relationships(), args.csv_only)
                else:
                    graph = project(gx.store)
                    files = neo4j_import.write_csv(graph.nodes.values(), graph.relationships.values(), args.csv_only)
            except OSError as exc:
                return _fail(f"cannot write the import files in {args.csv_only}: {exc}", EXIT_SOME_FAILED)
            finally:
                if cache is not None:
                    cache.close()
        command = ["neo4j-admin", *neo4j_import.admin_arguments(files, args.database or "neo4j")]
        if args.format == "json":
            sys.stdout.write(json.dumps({"nodes": files.node_count, "relationships": files.relationship_count,
                                         "files": [str(p) for p in files.nodes + files.relationships],
                                         "command": command}, ensure_ascii=False, indent=2) + "\n")
        else:
            import shlex

            print(f"{files.node_count:,} nodes and {files.relationship_count:,} relationships in "
                  f"{len(files.nodes) + len(files.relationships)} files under {files.directory}")
            print("stop the DBMS, then run:\n  " + shlex.join(command) + "\nstart it, and run `guanxi sync` once")
        return EXIT_OK
    uri = os.environ.get("NEO4J_URI", "").strip()
    local = neo4j_local.status(home)
    if uri and local.uri and uri.rstrip("/") != local.uri:
        return _fail(f"neo4j-import loads the local server of scripts/neo4j-local ({local.uri}), but NEO4J_URI is {uri}; "
                     "for another installation write the files with --csv-only DIR and run its neo4j-admin",
                     EXIT_SOME_FAILED)
    if args.database and args.database != neo4j_local.DEFAULT_DATABASE:
        return _fail(f"the local server has one user database, {neo4j_local.DEFAULT_DATABASE}", EXIT_USAGE)
    try:
        with _open(args, read_only=True) as gx:  # only reads the store
            def progress(what: str) -> None:
                if sys.stderr.isatty():
                    print(f"neo4j-import: {what} ...", file=sys.stderr, flush=True)

            report = neo4j_import.initial_import(gx.store, home, csv_dir=args.keep_csv, progress=progress)
    except (neo4j_import.ImportError_, neo4j_local.Neo4jLocalError) as exc:
        return _fail(str(exc), EXIT_SOME_FAILED)
    if args.format == "json":
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        times = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
        print(f"imported {report.nodes:,} nodes and {report.relationships:,} relationships into {report.database} at "
              f"{report.uri} in {report.seconds:.1f} s ({times})")
    return EXIT_OK


def _add_neo4j_options(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("Neo4j connection (default: $NEO4J_URI, $NEO4J_USER, $NEO4J_DATABASE; password from $NEO4J_PASSWORD or a prompt)")
    group.add_argument("--uri", help="Bolt URI (default bolt://localhost:7687)")
    group.add_argument("--user", help="user name (default neo4j)")
    group.add_argument("--database", help="database name (default neo4j)")


def _add_neo4j_commands(sub) -> None:
    fmt = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("sync", help="write the knowledge graph to Neo4j (incremental, idempotent)",
                       description="Project the store onto a property graph (docs/schema.md) and make Neo4j hold "
                       "exactly it: changed elements are written in batched transactions, retracted ones deleted.",
                       epilog=EPILOG_SYNC, formatter_class=fmt)
    _add_neo4j_options(p)
    p.add_argument("--batch-size", type=whole_number(1), default=2000, metavar="N", help="rows per transaction (default 2000)")
    p.add_argument("--full", action="store_true",
                   help="project the whole store again and rewrite every element, even when the store is unchanged")
    p.add_argument("--format", choices=["table", "json"], default="table", help="summary format")
    _add_store_option(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser("neo4j-import", help="load the graph into an empty Neo4j database with neo4j-admin import",
                       description="A first load of the store's property graph into the local server's empty "
                       "database through `neo4j-admin database import full` (much faster than a sync).",
                       epilog=EPILOG_IMPORT, formatter_class=fmt)
    p.add_argument("--neo4j-home", metavar="DIR", help="the local server's folder (default: $GUANXI_NEO4J_HOME or .neo4j)")
    p.add_argument("--database", help="the database (the local server has one: neo4j)")
    p.add_argument("--keep-csv", metavar="DIR", help="write the CSV files into DIR and keep them")
    p.add_argument("--csv-only", metavar="DIR", help="only write the CSV files into DIR and print the neo4j-admin "
                   "command for another installation")
    p.add_argument("--format", choices=["table", "json"], default="table", help="summary format")
    _add_store_option(p)
    p.set_defaults(func=cmd_neo4j_import)

    p = sub.add_parser("cypher", help="run a read-only Cypher query on the Neo4j graph",
                       description="Run Cypher in a read transaction against the graph `guanxi sync` wrote.",
                       epilog=EPILOG_CYPHER, formatter_class=fmt)
    p.add_argument("query", nargs="?", metavar="QUERY")
    p.add_argument("--file", metavar="F", help="read the query from a file")
    p.add_argument("--param", action="append", metavar="NAME=VALUE", help="$NAME as a string; NAME:=JSON for numbers, lists... (repeatable)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_neo4j_options(p)
    p.set_defaults(func=cmd_cypher)


# --------------------------------------------------------------------------------------------------
# queries and views: person, org, meeting, directives, path, query, view, dossier, analyze
# (implemented in guanxi.queries.commands; docs/queries.md)
# --------------------------------------------------------------------------------------------------

def _add_query_commands(sub) -> None:
    from guanxi.queries.commands import add_commands

    add_commands(sub)


def _add_serve_command(sub) -> None:
    from guanxi.listings import add_commands as add_listings
    from guanxi.workbench.serve import add_command

    add_listings(sub)
    add_command(sub)


def build_parser() -> argparse.ArgumentParser:
    from guanxi import __version__

    parser = argparse.ArgumentParser(
        prog="guanxi",
        description="Chinese government texts → a knowledge graph of who holds which post, who met whom, and who committed to what.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"guanxi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "extract",
        help="print the facts found in documents, with character spans",
        description="Read documents (txt, html, json, jsonl, directories, - for stdin) and print, per document, "
        "its people and posts, bodies, meetings, directives and industries, each with the span of the cleaned text "
        "that supports it.",
        epilog=EPILOG_EXTRACT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, or - for standard input")
    p.add_argument("--format", choices=["json", "jsonl"], default="json", help="json: one object (one file) or a list; jsonl: one line per document")
    p.add_argument("--include-text", action="store_true", help="add the cleaned text the spans index")
    add_reader_options(p)
    p.set_defaults(func=cmd_extract)
    parser.add_argument("--store", metavar="DIR", help="the knowledge-graph store (default: $GUANXI_STORE or ./guanxi-data)")
    _add_graph_commands(sub)
    _add_neo4j_commands(sub)
    _add_query_commands(sub)
    _add_serve_command(sub)
    parser.epilog = EXIT_CODES
    for command in sub.choices.values():  # the same exit codes for every command, said in every --help
        command.epilog = ((command.epilog or "").rstrip("\n") + "\n\n" + EXIT_CODES).lstrip("\n")
        command.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


class Terminated(BaseException):
    """SIGTERM, turned into an exception so that workers are stopped and what was written is kept."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    import signal
    import threading

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, argparse's message already printed)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return args.func(args)
    except SystemExit:
        raise
    except Terminated:
        print("guanxi: terminated; what was written so far is kept, and running the command again continues",
              file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        # stores commit per document and syncs per batch: what was done is kept, and the same command resumes
        print("guanxi: interrupted; what was written so far is kept, and running the command again continues",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # `guanxi extract … | head`
        return EXIT_OK
    except Exception as exc:  # a bug: one line (the traceback with GUANXI_DEBUG=1), not a wall of Python
        import os

        if os.environ.get("GUANXI_DEBUG"):
            raise
        sys.stderr.write(f"error: unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:500]} "
                         "(a bug in guanxi: GUANXI_DEBUG=1 shows where; please report it)\n")
        return EXIT_SOME_FAILED


if __name__ == "__main__":
    sys.exit(main())
