"""One meaning for each exit code across the commands (0 success, 1 nothing found or not all done, 2 usage),
said in every --help; invalid values are usage errors, not silently accepted."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from guanxi import cli
from guanxi.api import Guanxi

FIXTURES = Path(__file__).parent / "fixtures"
INPUTS = sorted(str(p) for p in (FIXTURES / "seeds").glob("*.txt")) + sorted(str(p) for p in (FIXTURES / "kg").glob("*.txt"))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    directory = tmp_path_factory.mktemp("exit-codes") / "store"
    with Guanxi(directory) as g:
        assert g.ingest(INPUTS).ok
    return str(directory)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_help_says_what_the_exit_codes_mean(capsys):
    parser = cli.build_parser()
    [sub] = [a for a in parser._actions if a.choices and "ingest" in a.choices]
    commands = sorted(sub.choices)
    assert {"ingest", "sparql", "cypher", "person", "merge", "dossier", "analyze"} <= set(commands)
    for command in [None, *commands]:
        code, out, _ = run(capsys, *([command] if command else []), "--help")
        assert code == 0, command
        text = " ".join(out.split())
        assert "exit codes: 0 success 1 nothing found" in text and "2 usage error" in text, command


@pytest.mark.parametrize("args", [
    ["directives", "--since", "2025-02-30"], ["directives", "--until", "2025-13-01"], ["meeting", "--date", "20250301"],
    ["view", "directives", "--since", "2025-02-30", "-o", "x.html"], ["analyze", "centrality", "--top", "-1"],
    ["analyze", "centrality", "--sample", "0"], ["view", "person", "张古江", "--radius", "0", "-o", "x.html"],
    ["view", "overview", "--max-nodes", "0", "-o", "x.html"], ["dossier", "张古江", "--max-nodes", "-5", "-o", "x.html"],
    ["view", "overview", "--min-degree", "-1", "-o", "x.html"], ["validate", "--limit", "-1"],
    ["ingest", "x.txt", "--workers", "0"], ["sync", "--batch-size", "0"], ["analyze", "centrality", "--top", "ten"],
])
def test_invalid_values_are_usage_errors(capsys, store, args):
    code, out, err = run(capsys, "--store", store, *args)
    assert code == 2, (args, err)
    assert "error: argument" in err and out == ""


def test_ambiguous_and_unknown_names_exit_1_for_every_command(capsys, store):
    code, _, err = run(capsys, "--store", store, "person", "王海")
    assert code == 1 and "no choice was made" in err
    code, _, err = run(capsys, "--store", store, "merge", "王海", "张古江", "--reason", "r")
    assert code == 1 and "王海 is ambiguous" in err
    code, _, err = run(capsys, "--store", store, "unmerge", "王海", "--document", "baoding")
    assert code == 1 and "ambiguous" in err
    for command in (["person", "李强"], ["merge", "李强", "张古江", "--reason", "r"],
                    ["unmerge", "李强", "--document", "baoding"], ["path", "李强", "张古江"]):
        code, _, err = run(capsys, "--store", store, *command)
        assert code == 1 and "李强" in err, (command, err)
    code, _, err = run(capsys, "--store", store, "merge", "张古江", "张古江", "--reason", "r")
    assert code == 2 and "into itself" in err  # a request that cannot be made: usage


def test_malformed_and_refused_queries_exit_2(capsys, store):
    code, _, err = run(capsys, "--store", store, "sparql", "SELECT WHERE {")
    assert code == 2 and "SPARQL syntax error" in err
    code, _, err = run(capsys, "--store", store, "sparql", "DELETE WHERE { ?s ?p ?o }")
    assert code == 2 and "SPARQL Update" in err
    code, _, err = run(capsys, "--store", store, "cypher", "LOAD CSV FROM 'http://x/' AS r RETURN r")
    assert code == 2 and "LOAD CSV" in err
    code, out, _ = run(capsys, "--store", store, "sparql", "ASK { ?p a gx:Person }", "--format", "json")
    assert code == 0 and json.loads(out) == {"boolean": True}


def test_nothing_found_exits_1(capsys, store):
    assert run(capsys, "--store", store, "directives", "--industry", "不存在的产业")[0] == 1
    assert run(capsys, "--store", store, "remove", "no-such-document")[0] == 1
    assert run(capsys, "--store", store, "query", "search", "--param", "text=不存在")[0] == 1


def test_a_config_value_of_the_wrong_type_is_one_usage_error(capsys, store, tmp_path):
    config = tmp_path / "opts.toml"
    config.write_text('max_chars = "lots"\n', encoding="utf-8")
    for command in ("ingest", "extract"):
        code, out, err = run(capsys, "--store", store, command, str(FIXTURES / "kg" / "baoding.txt"), "--config", str(config))
        assert code == 2 and out == "", (command, err)
        assert err.strip() == f'error: {config}: option max_chars must be a positive whole number, got "lots"'
