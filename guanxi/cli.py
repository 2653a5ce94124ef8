"""The guanxi command line. Subcommands live in small functions; argument parsing is argparse."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from rich.console import Console

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
    return Console(stderr=True, highlight=False)


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

    err = _stderr()
    try:
        options = reader_options(args)
    except GuanxiInputError as exc:
        err.print(f"[red]error:[/red] {exc.describe()}", markup=True)
        return EXIT_USAGE
    results: list[dict[str, Any]] = []
    failures = 0
    for item in extract_paths(args.paths, options):
        if isinstance(item, GuanxiInputError):
            failures += 1
            err.print(f"error: {item.describe()}", markup=False)
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
        err.print(f"{failures} document(s) failed", markup=False)
        return EXIT_SOME_FAILED
    return EXIT_OK


def _single_document_input(paths: Sequence[str]) -> bool:
    import os

    return len(paths) == 1 and not os.path.isdir(paths[0])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guanxi",
        description="Chinese government texts → a knowledge graph of who holds which post, who met whom, and who committed to what.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `guanxi extract … | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
