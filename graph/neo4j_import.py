"""An initial load of the projection into an empty database with ``neo4j-admin database import full``.

``guanxi sync`` writes through Bolt transactions (about ten thousand elements a second on a small machine);
Neo4j's offline importer builds the store files directly from CSV.  For a first load of a large store:

    from guanxi.graph import neo4j_import
    report = neo4j_import.initial_import(store)          # the local server of scripts/neo4j-local

1. the database must be empty (checked over Bolt; Community has one user database, so the importer would
   replace exactly the database a ``guanxi sync`` writes to);
2. the projection (kept in the projection cache, :mod:`guanxi.graph.projection_cache`) is written as CSV files
   with typed headers (:func:`write_csv`): one file per label set and property-type signature for nodes
   (``iri:ID(Entity)``, ``name``, ``aliases:string[]``, ``date:date``, ``start:long``… ``:LABEL``), one per
   relationship type and signature (``:START_ID(Entity)``, ``:END_ID(Entity)``, ``:TYPE``, ``_gx_id``…) — the same
   properties, bookkeeping ones included, that a sync writes;
3. the server is stopped (Community cannot stop one database), ``neo4j-admin database import full`` runs on
   the server's own jars (``org.neo4j.cli.AdminTool``), and the server is started again;
4. the uniqueness constraints are created and the sync state is written, so the next ``guanxi sync`` finds the
   database up to date and later ones are incremental.

For another installation (Docker, a packaged server) :func:`write_csv` writes the files and
:func:`admin_arguments` gives the importer's arguments; stop that DBMS, run ``bin/neo4j-admin database import
full`` with them, start it, and run ``guanxi sync`` (it compares everything once and records its state).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from guanxi.graph import neo4j_local
from guanxi.graph import neo4j_sync as ns
from guanxi.graph.projection import PROJECTION_VERSION, Node, PropertyGraph, Relationship, check_name, project, store_generation
from guanxi.graph.projection_cache import open_cache
from guanxi.ontology.vocab import load_projection

__all__ = ["ImportError_", "NotEmptyError", "ToolNotFoundError", "CsvFiles", "ImportReport", "write_csv",
           "admin_arguments", "initial_import", "ARRAY_DELIMITER"]

ARRAY_DELIMITER = "\x1f"      # between the elements of a list value (never in guanxi's text: it is a control character)
ID_SPACE = "Entity"
IMPORT_TIMEOUT = 3600.0


class ImportError_(RuntimeError):
    """The initial import could not run (the message says why, in one line)."""


class NotEmptyError(ImportError_):
    """The target database already holds nodes."""


class ToolNotFoundError(ImportError_):
    """neo4j-admin (the local server's jars, or the given binary) is not there."""


@dataclass
class CsvFiles:
    directory: Path
    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    multiline: list[Path] = field(default_factory=list)     # files with a value spanning lines
    node_count: int = 0
    relationship_count: int = 0
    bytes: int = 0


@dataclass
class ImportReport:
    nodes: int = 0
    relationships: int = 0
    files: int = 0
    csv_bytes: int = 0
    database: str = ""
    uri: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "relationships": self.relationships, "files": self.files,
                "csv_bytes": self.csv_bytes, "database": self.database, "uri": self.uri,
                "timings": {k: round(v, 3) for k, v in self.timings.items()}, "seconds": round(self.seconds, 3)}


# ---- CSV ------------------------------------------------------------------------------------------------

def _type_of(value: Any) -> str:
    """The neo4j-admin header type of a value: the Neo4j type a sync writes for it."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, date):
        return "date"
    if isinstance(value, list):
        inner = {_type_of(v) for v in value} or {"string"}
        if len(inner) != 1:
            raise ValueError(f"a list of mixed types cannot be imported: {value!r}")
        return inner.pop() + "[]"
    return "string"


def _raw(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value: Any) -> str:
    """One CSV field: absent -> empty (no property); strings and lists always quoted, so that "" is an empty
    string, not an absent one; list elements joined by :data:`ARRAY_DELIMITER`."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = ARRAY_DELIMITER.join(_raw(v) for v in value)
    elif isinstance(value, (bool, int, float, date)):
        return _raw(value)
    else:
        text = str(value)
    return '"' + text.replace('"', '""') + '"'


class _Writer:
    def __init__(self, directory: Path, prefix: str):
        self.directory, self.prefix = directory, prefix
        self.files: dict[tuple, tuple[Path, Any]] = {}
        self.multiline: set[Path] = set()
        self.count = 0

    def file(self, signature: tuple, header: list[str]) -> Any:
        got = self.files.get(signature)
        if got is None:
            path = self.directory / f"{self.prefix}-{len(self.files):04d}.csv"
            handle = open(path, "w", encoding="utf-8", newline="")
            handle.write(",".join(header) + "\n")
            got = self.files[signature] = (path, handle)
        return got

    def row(self, signature: tuple, header: list[str], cells: list[str]) -> None:
        path, handle = self.file(signature, header)
        line = ",".join(cells)
        if "\n" in line or "\r" in line:
            self.multiline.add(path)
        handle.write(line + "\n")
        self.count += 1

    def close(self) -> list[Path]:
        for _, handle in self.files.values():
            handle.close()
        return [path for path, _ in self.files.values()]


def write_csv(nodes: Iterable[Node], relationships: Iterable[Relationship], directory: str | os.PathLike[str]) -> CsvFiles:
    """Write nodes and relationships as neo4j-admin import CSV files into ``directory`` (created if needed)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files = CsvFiles(out)
    writer = _Writer(out, "nodes")
    for node in nodes:
        keys = sorted(k for k in node.props if k != "iri")
        signature = ("n", node.labels, tuple((k, _type_of(node.props[k])) for k in keys))
        header = [f"iri:ID({ID_SPACE})", "_gx_hash"] + [f"{check_name(k)}:{t}" for k, t in signature[2]] + [":LABEL"]
        cells = [_cell(node.iri), _cell(node.hash)] + [_cell(node.props[k]) for k in keys]
        cells.append(_cell([check_name(x) for x in node.labels]))
        writer.row(signature, header, cells)
    files.nodes = writer.close()
    files.node_count = writer.count
    multiline = set(writer.multiline)
    writer = _Writer(out, "relationships")
    for rel in relationships:
        keys = sorted(rel.props)
        signature = ("r", rel.type, tuple((k, _type_of(rel.props[k])) for k in keys))
        header = [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE", "_gx_id", "_gx_hash"]
        header += [f"{check_name(k)}:{t}" for k, t in signature[2]]
        cells = [_cell(rel.start), _cell(rel.end), _cell(check_name(rel.type)), _cell(rel.id), _cell(rel.hash)]
        cells += [_cell(rel.props[k]) for k in keys]
        writer.row(signature, header, cells)
    files.relationships = writer.close()
    files.relationship_count = writer.count
    files.multiline = sorted(multiline | writer.multiline)
    files.bytes = sum(p.stat().st_size for p in files.nodes + files.relationships)
    return files


def admin_arguments(files: CsvFiles, database: str) -> list[str]:
    """The arguments of ``neo4j-admin`` for these files (after ``neo4j-admin``)."""
    # the database first: --nodes / --relationships take several files and would swallow it
    args = ["database", "import", "full", database, "--overwrite-destination=true", "--array-delimiter=U+001F",
            "--delimiter=,", "--quote=\"", "--id-type=string", "--ignore-empty-strings=false", "--trim-strings=false",
            "--threads=2", "--max-off-heap-memory=1G", f"--report-file={files.directory / 'import.report'}"]
    if files.multiline:
        # values spanning lines (a quote's context across a paragraph break, \r\n included) in quoted cells; the
        # per-file "v2" form of this option lost track of the quotes at a buffer boundary on the xwlb year
        args += ["--multiline-fields=true"]
    args += [f"--nodes={p}" for p in files.nodes]
    args += [f"--relationships={p}" for p in files.relationships]
    return args


# ---- the import ------------------------------------------------------------------------------------------

def _check_empty(driver: Any, database: str, uri: str) -> None:
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS n", database_=database)
    count = records[0]["n"]
    if count:
        raise NotEmptyError(
            f"database {database} at {uri} is not empty ({count:,} nodes): neo4j-admin import replaces a whole "
            "database, so it only loads an empty one; update this one with `guanxi sync`, or empty it first "
            "(scripts/neo4j-local reset)")


def _remove_database_files(home: Path, database: str) -> None:
    data = home / "data"
    for folder in (data / "databases" / database, data / "transactions" / database):
        shutil.rmtree(folder, ignore_errors=True)


def initial_import(store: Any, home: str | os.PathLike[str] | None = None, *, csv_dir: str | os.PathLike[str] | None = None,
                   keep_csv: bool = False, progress: Any = None) -> ImportReport:
    """Load the projection of ``store`` into the local server's empty database with neo4j-admin (see the module
    docstring).  Raises :class:`ToolNotFoundError`, :class:`NotEmptyError` or :class:`ImportError_`."""
    started = time.perf_counter()
    report = ImportReport()
    home = Path(home or neo4j_local.default_home()).expanduser().resolve()
    if not neo4j_local.is_fetched(home):
        raise ToolNotFoundError(
            f"neo4j-admin not found: the local Neo4j in {home} has not been fetched (run `scripts/neo4j-local "
            "fetch`); for another installation write the files with `guanxi neo4j-import --csv-only DIR`")

    def step(what: str) -> None:
        if progress:
            progress(what)

    # 1. the target: running, reachable, empty
    t = time.perf_counter()
    step("checking the database")
    status = neo4j_local.status(home)
    auth = status.auth if status.running else True
    info = neo4j_local.ensure_started(home, auth=auth)
    report.uri, report.database = info.uri, info.database
    with info.driver(notifications_min_severity="OFF") as driver:
        _check_empty(driver, info.database, info.uri)
    report.timings["check"] = time.perf_counter() - t

    # 2. the projection, as CSV
    t = time.perf_counter()
    step("projecting the store")
    cache = open_cache(store)
    graph: PropertyGraph | None = None
    try:
        if cache is not None:
            cache.refresh(store)
            generation, cache_id, cache_seq = cache.generation, cache.cache_id, cache.seq
            cache_nonce = cache.nonce(cache_seq)
        else:
            graph = project(store)
            generation, cache_id, cache_seq, cache_nonce = store_generation(store), None, None, None
        report.timings["project"] = time.perf_counter() - t
        t = time.perf_counter()
        step("writing CSV files")
        directory = Path(csv_dir) if csv_dir else Path(tempfile.mkdtemp(prefix="guanxi-import-"))
        try:
            if graph is not None:
                files = write_csv(graph.nodes.values(), graph.relationships.values(), directory)
            else:
                files = write_csv(cache.iter_nodes(), cache.iter_relationships(), directory)
        except OSError as exc:
            raise ImportError_(f"cannot write the import files in {directory}: {exc}") from None
    finally:
        if cache is not None:
            cache.close()
    report.files = len(files.nodes) + len(files.relationships)
    report.csv_bytes = files.bytes
    report.timings["csv"] = time.perf_counter() - t

    # 3. stop, import, start
    try:
        t = time.perf_counter()
        step("stopping the server")
        neo4j_local.stop(home)
        step("importing (neo4j-admin database import full)")
        try:
            neo4j_local.run_admin(admin_arguments(files, info.database), home,
                                  what="neo4j-admin database import full", timeout=IMPORT_TIMEOUT)
        except neo4j_local.Neo4jLocalError as exc:
            # a failed import leaves the database's files unusable; it was empty, so remove them: the server
            # creates the default database afresh when it starts
            _remove_database_files(home, info.database)
            raise ImportError_(f"{exc}\n(the database was empty; it is empty again: run `guanxi sync` to fill it "
                               "through Bolt)") from None
        report.timings["import"] = time.perf_counter() - t
    finally:
        t = time.perf_counter()
        step("starting the server")
        info = neo4j_local.ensure_started(home, auth=auth)
        report.timings["restart"] = time.perf_counter() - t
        if not keep_csv and not csv_dir:
            shutil.rmtree(directory, ignore_errors=True)

    # 4. constraints and the sync state: the next `guanxi sync` finds the database up to date
    t = time.perf_counter()
    step("constraints")
    with info.driver(notifications_min_severity="OFF") as driver:
        ns.ensure_constraints(driver, info.database)
        base = check_name(load_projection().base_label)
        records, _, _ = driver.execute_query(f"MATCH (n:`{base}`) RETURN count(n) AS n", database_=info.database)
        report.nodes = records[0]["n"]
        records, _, _ = driver.execute_query(f"MATCH (:`{base}`)-[r]->() RETURN count(r) AS n", database_=info.database)
        report.relationships = records[0]["n"]
        if (report.nodes, report.relationships) != (files.node_count, files.relationship_count):
            raise ImportError_(f"neo4j-admin imported {report.nodes:,} nodes and {report.relationships:,} relationships "
                               f"of {files.node_count:,} and {files.relationship_count:,}; see "
                               f"{files.directory / 'import.report'}")
        driver.execute_query(ns.WRITE_STATE, key=ns.STATE_KEY, generation=generation, nodes=files.node_count,
                             relationships=files.relationship_count, version=PROJECTION_VERSION, cache_id=cache_id,
                             cache_seq=cache_seq, cache_nonce=cache_nonce, database_=info.database)
    report.timings["constraints"] = time.perf_counter() - t
    report.seconds = time.perf_counter() - started
    return report
