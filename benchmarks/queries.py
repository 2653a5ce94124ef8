"""Named-query latency on both backends: each named query's p50 / p95 on the embedded store and on Neo4j.

    .venv/bin/python benchmarks/queries.py --store /tmp/xwlb-kg [--backends store,neo4j] [--people 10]
                                           [--repeats 3] [--budget 60] [--sync] [--json FILE]

Parameters come from the graph itself, the same way every run: for people, bodies and meetings the three with the
most documents (the hubs a journalist looks up first, and the largest answers) and the rest spread over the store
by a hash of their IRI; names, texts and dates from those.  Each (query, parameters) pair runs once to warm up,
then ``--repeats`` times; a query stops being sampled when its runs have taken ``--budget`` seconds (the output
says how many ran).  Latency is the wall time of ``guanxi.queries.registry.run`` (query, transfer, typed rows).

Neo4j: ``NEO4J_URI`` & co. when set, else the local server (``scripts/neo4j-local``, started if needed); it must
hold this store's graph (the sync state's generation is checked; ``--sync`` runs ``guanxi sync`` first).

Target (issue 12): p95 < 100 ms for the profile-style queries (one person, body or meeting: ``PROFILE_STYLE``) on
both backends.  It prints a table and, with ``--json``, writes the figures; :func:`run` returns them (the scale
benchmark calls it).  Exit status 1 when a profile-style query misses the target.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROFILE_STYLE = ("person_profile", "person_profile_counts", "person_card", "organization_card", "organization_roster", "meeting_detail",
                 "timeline", "neighbours", "person_candidates", "organization_candidates")
TARGET_MS = 100.0

_P = """PREFIX gx: <https://w3id.org/guanxi/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
PEOPLE = _P + "SELECT ?x ?name (COUNT(DISTINCT ?g) AS ?docs) WHERE { GRAPH ?g { ?x a gx:Person ; gx:name ?name } } GROUP BY ?x ?name"
BODIES = _P + """SELECT ?x ?name (COUNT(DISTINCT ?g) AS ?docs) WHERE { ?k rdfs:subClassOf gx:Organization .
  GRAPH ?g { ?x a ?k ; gx:name ?name } } GROUP BY ?x ?name"""
MEETINGS = _P + "SELECT ?x ?name ?date (COUNT(DISTINCT ?g) AS ?docs) WHERE { GRAPH ?g { ?x a gx:Meeting ; gx:name ?name ; gx:date ?date } } GROUP BY ?x ?name ?date"
INDUSTRIES = _P + "SELECT DISTINCT ?x ?name WHERE { ?x a gx:Industry ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }"


def _spread(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def pick(rows: list[tuple[str, str, int]], k: int, top: int = 3) -> list[tuple[str, str]]:
    """The ``top`` rows with the most documents, then rows in hash order up to ``k`` (deterministic)."""
    by_docs = sorted(rows, key=lambda r: (-r[2], r[0]))
    chosen = by_docs[:top]
    seen = {r[0] for r in chosen}
    for r in sorted(rows, key=lambda r: _spread(r[0])):
        if len(chosen) >= k:
            break
        if r[0] not in seen:
            chosen.append(r)
            seen.add(r[0])
    return [(r[0], r[1]) for r in chosen]


def cases(store: Any, people: int = 10) -> dict[str, list[dict[str, Any]]]:
    """Parameters for every named query, drawn from the store (see the module docstring)."""
    def rows(query: str) -> list[tuple]:
        out = []
        for r in store.query(query):
            out.append(tuple(r[i].value if r[i] is not None else "" for i in range(len(r))))
        return out

    persons = pick([(x, n, int(d)) for x, n, d in rows(PEOPLE)], people)
    bodies = pick([(x, n, int(d)) for x, n, d in rows(BODIES)], people)
    meeting_rows = rows(MEETINGS)
    dates = {x: d for x, _n, d, _c in meeting_rows}
    meetings = pick([(x, n, int(c)) for x, n, _d, c in meeting_rows], people)
    industries = sorted(rows(INDUSTRIES), key=lambda r: _spread(r[0]))[:3]
    out: dict[str, list[dict[str, Any]]] = {}
    out["person_profile"] = [{"person": p} for p, _ in persons]
    out["person_card"] = [{"person": p} for p, _ in persons]
    out["person_profile_counts"] = [{"person": p} for p, _ in persons]
    out["person_candidates"] = [{"name": n} for _, n in persons]
    out["organization_card"] = [{"organization": o} for o, _ in bodies]
    out["organization_roster"] = [{"organization": o} for o, _ in bodies]
    out["organization_candidates"] = [{"name": n[:4]} for _, n in bodies[:5]]
    out["meeting_detail"] = [{"meeting": m} for m, _ in meetings]
    out["timeline"] = [{"entity": x} for x, _ in persons[:5] + bodies[:5]]
    out["neighbours"] = [{"node": x} for x, _ in persons[:4] + bodies[:3] + meetings[:3]]
    out["co_attendance"] = [{"person": p} for p, _ in persons[:5]]
    out["connection_path"] = [{"source": a, "target": b} for (a, _), (b, _) in zip(persons[:5], persons[5:10])]
    some = sorted(dates.values())
    mid = some[len(some) // 2] if some else "2025-01-01"
    out["meetings"] = [{"meeting": m} for m, _ in meetings[:3]] + [{"name": n[:2]} for _, n in meetings[:2]] + \
        [{"date": dates[m]} for m, _ in meetings[:2]] + [{"since": mid, "until": mid[:8] + "28"}]
    out["directives"] = [{"meeting": m} for m, _ in meetings[:3]] + [{"speaker": n} for _, n in persons[:3]] + \
        [{"industry": n} for _, n in industries] + [{"since": mid, "until": mid[:8] + "28"}]
    out["search"] = [{"text": n} for _, n in persons[:3] + bodies[:2]] + [{"text": "要", "type": "Directive"}]
    out["links"] = [{}]
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


def measure(backend: Any, params: dict[str, list[dict[str, Any]]], repeats: int, budget: float,
            only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    from guanxi.queries import registry

    out: dict[str, dict[str, Any]] = {}
    for name in sorted(params):
        if only and name not in only:
            continue
        times: list[float] = []
        rows: list[int] = []
        spent = 0.0
        complete = True
        for p in params[name]:
            if spent > budget:
                complete = False
                break
            t = time.perf_counter()
            registry.run(backend, name, p)                  # warm-up (plans, caches)
            spent += time.perf_counter() - t
            for _ in range(repeats):
                t = time.perf_counter()
                result = registry.run(backend, name, p)
                elapsed = time.perf_counter() - t
                spent += elapsed
                times.append(elapsed * 1000)
                rows.append(len(result))
        out[name] = {"runs": len(times), "parameter_sets": len(params[name]), "complete": complete,
                     "p50_ms": round(statistics.median(times), 2) if times else None,
                     "p95_ms": round(_percentile(times, 0.95), 2) if times else None,
                     "max_ms": round(max(times), 2) if times else None,
                     "rows_median": statistics.median(rows) if rows else None,
                     "rows_max": max(rows) if rows else None,
                     "profile_style": name in PROFILE_STYLE}
    return out


def _neo4j_backend(sync_first: bool, store: Any):
    from guanxi.graph import neo4j_local
    from guanxi.graph import neo4j_read as nr
    from guanxi.graph import neo4j_sync as ns
    from guanxi.queries.backends import Neo4jBackend

    if os.environ.get("NEO4J_URI"):
        conn = nr.settings(interactive=False)
    else:
        info = neo4j_local.ensure_started()
        conn = nr.Settings(info.uri, info.user, info.password, info.database)
    driver = nr.open_driver(conn)
    if sync_first:
        ns.sync(store, driver, conn.database)
    from guanxi.graph.projection_cache import open_cache

    cache = open_cache(store)
    try:
        if cache is not None:
            cache.refresh(store)
            generation = cache.generation
        else:
            from guanxi.graph.projection import store_generation
            generation = store_generation(store)
    finally:
        if cache is not None:
            cache.close()
    if ns.read_state(driver, conn.database) != generation:
        driver.close()
        raise SystemExit(f"Neo4j at {conn.uri} does not hold this store's graph (run `guanxi sync` or pass --sync)")
    return Neo4jBackend(driver, conn.database, conn, owned=True)


def run(store_dir: str | os.PathLike[str], backends: tuple[str, ...] = ("store", "neo4j"), *, people: int = 10,
        repeats: int = 3, budget: float = 60.0, sync_first: bool = False, only: set[str] | None = None) -> dict[str, Any]:
    """The figures as a dict (see the module docstring)."""
    from guanxi.api import Guanxi
    from guanxi.queries.backends import StoreBackend

    results: dict[str, Any] = {"store": str(store_dir), "repeats": repeats, "budget_s": budget,
                               "target_p95_ms": TARGET_MS, "profile_style": list(PROFILE_STYLE), "backends": {}}
    with Guanxi(store_dir) as gx:
        results["documents"] = len(gx.store.documents())
        t = time.perf_counter()
        params = cases(gx.store, people)
        results["sampling_s"] = round(time.perf_counter() - t, 2)
        for kind in backends:
            if kind == "store":
                backend: Any = StoreBackend(gx.store)
            else:
                backend = _neo4j_backend(sync_first, gx.store)
            try:
                results["backends"][kind] = measure(backend, params, repeats, budget, only)
            finally:
                backend.close()
    missed = []
    for kind, figures in results["backends"].items():
        for name, f in figures.items():
            if f["profile_style"] and f["p95_ms"] is not None and f["p95_ms"] >= TARGET_MS:
                missed.append(f"{kind}:{name}")
    results["missed"] = missed
    return results


def print_table(results: dict[str, Any]) -> None:
    kinds = list(results["backends"])
    names = sorted({n for f in results["backends"].values() for n in f})
    print(f"store {results['store']}: {results['documents']:,} documents; repeats {results['repeats']}; "
          f"target p95 < {TARGET_MS:.0f} ms for profile-style queries (*)")
    head = f"{'query':26}" + "".join(f"{k + ' p50':>12}{k + ' p95':>12}{'rows':>8}" for k in kinds)
    print(head)
    for name in names:
        line = f"{name + (' *' if name in PROFILE_STYLE else ''):26}"
        for k in kinds:
            f = results["backends"][k].get(name)
            if not f or f["p50_ms"] is None:
                line += f"{'—':>12}{'—':>12}{'':>8}"
                continue
            cut = "" if f["complete"] else "+"
            line += f"{f['p50_ms']:>10.1f}ms{f['p95_ms']:>10.1f}ms{str(f['rows_median']) + cut:>8}"
        print(line)
    print("missed: " + (", ".join(results["missed"]) or "none"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="a guanxi store directory")
    parser.add_argument("--backends", default="store,neo4j", help="comma-separated: store, neo4j")
    parser.add_argument("--people", type=int, default=10, help="people (and bodies, meetings) to sample")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per query and backend")
    parser.add_argument("--only", help="comma-separated query names")
    parser.add_argument("--sync", action="store_true", help="run guanxi sync first")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON ('-': stdout)")
    args = parser.parse_args(argv)
    results = run(args.store, tuple(b.strip() for b in args.backends.split(",") if b.strip()), people=args.people,
                  repeats=args.repeats, budget=args.budget, sync_first=args.sync,
                  only=set(args.only.split(",")) if args.only else None)
    if args.json == "-":
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        print_table(results)
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if results["missed"] else 0


if __name__ == "__main__":
    sys.exit(main())
