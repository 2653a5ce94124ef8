"""Which record-linkage method decides "same person?" best on our records: guanxi's constrained clustering
(graph/resolution.py), Splink (Fellegi-Sunter on DuckDB, EM-trained) and nomenklatura's matchers
(followthemoney entities, the OpenSanctions stack).  Precision / recall / F1 of the merges on a hand-checked
set of record pairs, and the time each takes on the whole store.

    .venv/bin/python benchmarks/linkage.py STORE_DIR [--pairs benchmarks/data/resolution_pairs.csv] [--json out.json]

STORE_DIR: a store ingested from the xwlb 2025 corpus (guanxi ingest --preset xwlb ../shared/corpus/xwlb/2025).
Splink and nomenklatura are not guanxi dependencies: install them where you run this (pip install splink
nomenklatura); a method whose library is missing is reported as skipped.

The pairs file (``doc_a,doc_b,name,same,note``) was labelled by reading both documents: ``same`` is 1 when
the two mentions are one person.  A pair counts as merged when the method puts both records in one cluster.
"""
from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guanxi.graph.resolution import Decisions, Record, load_model, resolve  # noqa: E402

DEFAULT_PAIRS = Path(__file__).with_name("data") / "resolution_pairs.csv"


def load_records(store: Path) -> list[Record]:
    db = sqlite3.connect(f"file:{store / 'facts.sqlite'}?mode=ro", uri=True)
    return [Record.from_json(json.loads(p)) for (p,) in db.execute("SELECT payload FROM records")]


def load_pairs(path: Path) -> list[tuple[tuple[str, str], tuple[str, str], bool]]:
    with open(path, encoding="utf-8") as fh:
        return [((r["doc_a"], r["name"]), (r["doc_b"], r["name"]), r["same"].strip() == "1") for r in csv.DictReader(fh)]


def score(pairs, same_cluster) -> dict:
    tp = fp = fn = tn = 0
    for a, b, truth in pairs:
        predicted = same_cluster(a, b)
        if predicted is None:
            continue
        tp += predicted and truth
        fp += predicted and not truth
        fn += (not predicted) and truth
        tn += (not predicted) and not truth
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(precision, 3), "recall": round(recall, 3),
            "f1": round(f1, 3)}


# ---- guanxi -------------------------------------------------------------------------------------------

def run_guanxi(records: list[Record]):
    by_name = defaultdict(list)
    for r in records:
        by_name[r.name].append(r)
    started = time.perf_counter()
    cluster = {}
    model = load_model()
    for name, recs in by_name.items():
        result = resolve(recs, Decisions(), model)
        for key, (node, _) in result.assignment.items():
            cluster[key] = node
    seconds = time.perf_counter() - started
    return (lambda a, b: cluster[a] == cluster[b] if a in cluster and b in cluster else None), seconds


# ---- Splink -------------------------------------------------------------------------------------------

def _flat(records: list[Record]):
    import pandas as pd

    rows = []
    for i, r in enumerate(records):
        home = r.home
        rows.append({
            "unique_id": i, "name": r.name,
            "home": home.key if home else None,
            "province": (home.lineage[-1] if home and home.lineage else (home.key if home else None)),
            "home_kind": home.kind if home else None,
            "day": r.day, "co_names": list(r.co_names), "posts": list(r.posts),
        })
    return pd.DataFrame(rows)


def run_splink(records: list[Record], threshold: float = 0.5):
    try:
        import splink.comparison_level_library as cll
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return None, None
    df = _flat(records)
    started = time.perf_counter()
    home = cl.CustomComparison(
        output_column_name="home",
        comparison_levels=[
            cll.NullLevel("home"),
            cll.ExactMatchLevel("home"),
            cll.CustomLevel("home_l = 'national' OR home_r = 'national'", "one side national"),
            cll.ExactMatchLevel("province").configure(label_for_charts="same province"),
            cll.ElseLevel(),
        ])
    time_cmp = cl.CustomComparison(
        output_column_name="day",
        comparison_levels=[
            cll.NullLevel("day"),
            cll.CustomLevel("abs(day_l - day_r) <= 120", "within 120 days"),
            cll.CustomLevel("abs(day_l - day_r) <= 400", "within 400 days"),
            cll.ElseLevel(),
        ])
    co = cl.CustomComparison(
        output_column_name="co_names",
        comparison_levels=[
            cll.NullLevel("co_names"),
            cll.CustomLevel("len(list_intersect(co_names_l, co_names_r)) >= 2", "2+ people named alongside in both"),
            cll.CustomLevel("len(list_intersect(co_names_l, co_names_r)) = 1", "1 person named alongside in both"),
            cll.ElseLevel(),
        ])
    posts = cl.CustomComparison(
        output_column_name="posts",
        comparison_levels=[
            cll.CustomLevel("posts_l IS NULL OR posts_r IS NULL OR len(posts_l) = 0 OR len(posts_r) = 0", "no post").configure(is_null_level=True),
            cll.CustomLevel("len(list_intersect(posts_l, posts_r)) >= 1", "a post in common"),
            cll.ElseLevel(),
        ])
    settings = SettingsCreator(link_type="dedupe_only", comparisons=[home, time_cmp, co, posts],
                               blocking_rules_to_generate_predictions=[block_on("name")])
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df), settings)
    linker.training.estimate_probability_two_random_records_match([block_on("name")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=200_000)
    # blocking on the name is what resolution does; EM then estimates every comparison's m values
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    table = clusters.as_pandas_dataframe()
    seconds = time.perf_counter() - started
    by_id = dict(zip(table["unique_id"], table["cluster_id"]))
    key_of = {(r.doc_id, r.name): i for i, r in enumerate(records)}
    pairs_scored = predictions.as_pandas_dataframe()
    probability = {(min(a, b), max(a, b)): p for a, b, p in zip(pairs_scored["unique_id_l"], pairs_scored["unique_id_r"],
                                                                    pairs_scored["match_probability"])}

    def same(a, b):
        if a not in key_of or b not in key_of:
            return None
        return by_id[key_of[a]] == by_id[key_of[b]]

    def pairwise(cut):
        def decide(a, b):
            if a not in key_of or b not in key_of:
                return None
            i, j = sorted((key_of[a], key_of[b]))
            return probability.get((i, j), 0.0) >= cut
        return decide

    return (same, pairwise), seconds


# ---- nomenklatura -------------------------------------------------------------------------------------

def run_nomenklatura(records: list[Record], pairs, algorithm: str = "logic-v2", threshold: float = 0.7):
    try:
        from followthemoney import model as ftm
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return None, None
    algo = get_algorithm(algorithm)
    if algo is None:
        return None, None
    config = algo.default_config() if hasattr(algo, "default_config") else {}
    by_key = {(r.doc_id, r.name): r for r in records}

    def entity(r: Record):
        e = ftm.make_entity("Person")
        e.id = f"{r.doc_id}-{r.name}"
        e.add("name", r.name)
        for p in r.posts:
            e.add("position", p)
        if r.home is not None:
            e.add("country", "cn" if r.home.kind != "foreign" else None, quiet=True)
            e.add("address", r.home.label, quiet=True)
        if r.date:
            e.add("modifiedAt", r.date, quiet=True)
        return e

    entities = {k: entity(r) for k, r in by_key.items()}
    first = next(((a, b) for a, b, _ in pairs if a in entities and b in entities), None)
    if first:  # warm-up: the first comparison loads the matcher's name tables
        algo.compare(entities[first[0]], entities[first[1]], config)
    started = time.perf_counter()
    decided = {}
    for a, b, _ in pairs:
        if a in entities and b in entities:
            result = algo.compare(entities[a], entities[b], config)
            decided[(a, b)] = result.score >= threshold
    seconds_pairs = time.perf_counter() - started
    # the cost of scoring every pair of one name, as it would run on the store
    by_name = defaultdict(list)
    for k in entities:
        by_name[k[1]].append(k)
    n_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_name.values())
    per_pair = seconds_pairs / max(1, len(decided))
    return (lambda a, b: decided.get((a, b))), per_pair * n_pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    records = load_records(args.store)
    pairs = load_pairs(args.pairs)
    print(f"{len(records):,} records, {len({r.name for r in records}):,} names; {len(pairs)} hand-checked pairs "
          f"({sum(1 for *_, s in pairs if s)} same, {sum(1 for *_, s in pairs if not s)} different)")
    out = {}
    same, seconds = run_guanxi(records)
    out["guanxi (constrained clustering)"] = score(pairs, same) | {"seconds": round(seconds, 2)}
    splink, seconds = run_splink(records)
    if splink:
        clusters, pairwise = splink
        out["splink (EM, connected components at 0.5)"] = score(pairs, clusters) | {"seconds": round(seconds, 2)}
        for cut in (0.05, 0.5):
            out[f"splink (EM, pairwise p >= {cut})"] = score(pairs, pairwise(cut)) | {"seconds": round(seconds, 2)}
    else:
        out["splink"] = {"skipped": "pip install splink"}
    for algorithm in ("logic-v2", "regression-v1"):
        nk, seconds = run_nomenklatura(records, pairs, algorithm)
        if nk:
            out[f"nomenklatura {algorithm} (pairwise >= 0.7)"] = score(pairs, nk) | {"seconds (all pairs of a name, extrapolated)": round(seconds, 1)}
        else:
            out[f"nomenklatura {algorithm}"] = {"skipped": "pip install nomenklatura"}
    print(f"{'method':48} {'P':>6} {'R':>6} {'F1':>6} {'fp':>4} {'fn':>4} {'seconds':>9}")
    for method, r in out.items():
        if "skipped" in r:
            print(f"{method:48} skipped: {r['skipped']}")
            continue
        secs = next(v for k, v in r.items() if k.startswith("seconds"))
        print(f"{method:48} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} {r['fp']:4} {r['fn']:4} {secs:9}")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
