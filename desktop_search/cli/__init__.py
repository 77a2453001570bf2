"""The command line: `desktop-search index|search|similar|status|exclude|remove|retry|duplicates|
history|save|unsave`; with no command, the window (given folders or files, it adds them)."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Sequence

from desktop_search import __version__
from desktop_search.paths import ModelNotFoundError
from desktop_search.settings import Settings

EXIT_USAGE = 2
EXIT_DATA_DIR = 3
EXIT_NO_MODEL = 4
COMMANDS = (
    "index",
    "search",
    "similar",
    "status",
    "exclude",
    "remove",
    "retry",
    "duplicates",
    "history",
    "save",
    "unsave",
    "serve",
)
_OPTIONS_WITH_VALUES = ("--data-dir", "--chroma-url", "--ocr-languages", "--reranker")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-search", description="Find your files by meaning. With no command, opens the window."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        help="where the index lives (default: the user data directory; env DESKTOP_SEARCH_DATA_DIR)",
    )
    parser.add_argument(
        "--chroma-url",
        help="use a Chroma server (http://host:port) for the vectors (env DESKTOP_SEARCH_CHROMA_URL)",
    )
    parser.add_argument(
        "--no-ocr",
        dest="ocr",
        action="store_false",
        default=None,
        help="leave scanned pages and images unread (env DESKTOP_SEARCH_OCR=off)",
    )
    parser.add_argument(
        "--ocr-languages",
        help='languages OCR reads, joined by "+", e.g. eng+deu (default eng; env DESKTOP_SEARCH_OCR_LANGUAGES)',
    )
    parser.add_argument(
        "--reranker",
        metavar="DIR",
        help="re-score the best passages with the cross-encoder in DIR (model.onnx + tokenizer.json; "
        "default off; env DESKTOP_SEARCH_RERANKER_DIR)",
    )
    commands = parser.add_subparsers(dest="command")

    index = commands.add_parser("index", help="add folders or files and index them")
    index.add_argument("paths", nargs="*", help="folders or files (default: every folder added before)")
    index.add_argument(
        "--watch", action="store_true", help="then keep the index in step with the folders until Ctrl+C"
    )

    search = commands.add_parser(
        "search",
        help="search the index",
        description="Search the index by words and meaning. The query may also hold filters:",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.format_help = functools.partial(_with_syntax_help, search)  # type: ignore[method-assign]
    search.add_argument("query", nargs="?", help="what to look for")
    search.add_argument("--limit", type=int, default=10, help="files to show (default 10)")
    search.add_argument("--json", action="store_true", help="print a JSON array, best first")
    search.add_argument(
        "--passages",
        type=int,
        default=0,
        metavar="N",
        help="also each file's best N passages (page, span, score, snippet), as the window orders them",
    )
    search.add_argument(
        "--queries", metavar="FILE", help="one query per line ('-' for stdin); prints JSON Lines"
    )
    search.add_argument(
        "--nearest",
        action="store_true",
        help='when nothing is close to the query, list the nearest files anyway (marked "close": false)',
    )
    search.add_argument(
        "--local",
        action="store_true",
        help="search in this process even when the window or `desktop-search serve` runs",
    )
    search.add_argument("--mode", choices=("hybrid", "vector", "keyword"), default="hybrid")
    search.add_argument(
        "--sort",
        choices=("relevance", "date", "name"),
        default="relevance",
        help="order of the files found: relevance (default), date (newest first) or name",
    )
    search.add_argument(
        "--type",
        dest="kinds",
        action="append",
        default=[],
        help="only this file type, e.g. pdf, docx, xlsx, epub, email, code (repeatable; a wrong one lists all)",
    )
    search.add_argument(
        "--folder",
        dest="folders",
        action="append",
        default=[],
        help="only files under this folder (an added folder or one below it)",
    )

    similar = commands.add_parser("similar", help="files like this one, closest in meaning first")
    similar.add_argument("path", help="a file, indexed or not (one that is not is read, never added)")
    similar.add_argument("--limit", type=int, default=10, help="files to show (default 10)")
    similar.add_argument("--json", action="store_true", help="print a JSON array, best first")
    similar.add_argument(
        "--passages",
        type=int,
        default=0,
        metavar="N",
        help="also each file's N passages most like the file's",
    )
    similar.add_argument("--type", dest="kinds", action="append", default=[], help="only this file type")
    similar.add_argument(
        "--folder", dest="folders", action="append", default=[], help="only files under this folder"
    )

    exclude = commands.add_parser(
        "exclude", help="leave files out (gitignore patterns); without patterns, list them"
    )
    exclude.add_argument("patterns", nargs="*", help='e.g. "*.log" "drafts/" "/archive/2019/"')
    exclude.add_argument("--remove", action="store_true", help="remove these patterns instead")

    remove = commands.add_parser("remove", help="forget added folders (the files on disk stay)")
    remove.add_argument("folders", nargs="+", help="folders or files added before")

    retry = commands.add_parser("retry", help="read files that could not be read again")
    retry.add_argument("paths", nargs="*", help="files to read again (default: every failure)")

    status = commands.add_parser("status", help="folders, files by status, failures")
    status.add_argument("--json", action="store_true", help="every file with its status, as JSON")

    duplicates = commands.add_parser(
        "duplicates", help="files with the same bytes, then near-identical ones, largest waste first"
    )
    duplicates.add_argument("--json", action="store_true", help="the groups as a JSON array")

    serve = commands.add_parser(
        "serve",
        help="answer `desktop-search search` from this process until stopped (model loaded, index open)",
        description="Keep the index open and answer the command line's searches at once, over a "
        "socket only you can use; meanwhile bring the added folders up to date and watch them.",
    )
    serve.add_argument(
        "--no-watch", dest="watch", action="store_false", help="only answer; leave the folders alone"
    )

    from desktop_search.cli import history_commands

    history_commands.add_parsers(commands)
    return parser


def _with_syntax_help(parser: argparse.ArgumentParser) -> str:
    """`search --help`, ending with the query syntax: read only then, not on every search's start."""
    parser.epilog = _syntax_help()
    return argparse.ArgumentParser.format_help(parser)


def _syntax_help() -> str:
    from desktop_search.core.query_terms import SYNTAX

    lines = [f"  {example:<20} {meaning}" for example, meaning in SYNTAX]
    return (
        "query syntax (combine freely, e.g. 'budget type:spreadsheet in:reports modified:2024'):\n"
        + "\n".join(lines)
        + "\n\nA date is a document's own (a mail's Date:), else the file's modification time."
        + "\nOther word:value text (http:, note:x) is searched as it is."
    )


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # the file reader runs in a child process, also when frozen
        import multiprocessing  # (only then: a search a running instance answers skips it)

        multiprocessing.freeze_support()
    parser = build_parser()
    options, folders = _split_folders(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(options)
    settings = settings_from(args)
    if args.command is None:
        from desktop_search.ui.app import run_gui

        return run_gui(settings, folders=folders)
    if args.command == "search" and not (args.query or args.queries):
        parser.error("search needs a QUERY or --queries FILE")
    if args.command in ("search", "similar") and args.passages < 0:
        parser.error("--passages must be 0 or more")
    if args.command in ("search", "similar") and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.command == "search" and not args.local:
        from desktop_search.cli.client import served_search  # first: it imports nothing heavy

        code = served_search(settings, args, parser)
        if code is not None:
            return code

    from desktop_search.cli import commands
    from desktop_search.core.store import DataDirError
    from desktop_search.services import Services

    if (
        args.command in ("search", "similar")
        and args.kinds
        and (refusal := commands.unknown_kind(args.kinds))
    ):
        parser.error(refusal)
    try:
        services = Services.open(settings, isolated=args.command == "serve")
    except ModelNotFoundError as error:
        print(f"desktop-search: {error}", file=sys.stderr)
        return EXIT_NO_MODEL
    except DataDirError as error:
        print(f"desktop-search: {error}", file=sys.stderr)
        return EXIT_DATA_DIR
    if args.command in ("index", "status", "retry"):
        services.store.check_vectors()  # (searches need not wait for it: see Store.check_vectors)
    for warning in services.store.warnings:
        print(f"desktop-search: {warning}", file=sys.stderr)
    try:
        if args.command == "serve":
            from desktop_search.cli.serving import serve

            return serve(services, args.watch)
        return commands.run(services, args)
    finally:
        services.close()


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings the parsed command line asks for, over the environment's."""
    return Settings.resolve(
        data_dir=args.data_dir,
        chroma_url=args.chroma_url,
        ocr=args.ocr,
        ocr_languages=args.ocr_languages,
        reranker=args.reranker,
    )


def _split_folders(argv: list[str]) -> tuple[list[str], list[str]]:
    """`desktop-search [options] FOLDER...` (a file manager's "Open with", a launcher's %F): the
    window, with those added. Returns (the arguments for the parser, the folders)."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index += 1 if "=" in argv[index] or argv[index] not in _OPTIONS_WITH_VALUES else 2
    rest = argv[index:]
    if not rest or rest[0] in COMMANDS or not os.path.exists(rest[0]):
        return argv, []
    return argv[:index], rest
