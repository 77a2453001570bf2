"""The command line: `desktop-search index|search|status|exclude`; with no command, the window
(given folders or files, it adds them)."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from desktop_search import __version__
from desktop_search.core.filters import Filters
from desktop_search.core.indexer import FileIndexed, Progress, Summary
from desktop_search.core.search import FileHit
from desktop_search.core.store import DataDirError

EXIT_USAGE = 2
EXIT_DATA_DIR = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desktop-search", description="Find your files by meaning. With no command, opens the window."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        help="where the index lives (default: the user data directory; env DESKTOP_SEARCH_DATA_DIR)",
    )
    parser.add_argument("--chroma-url", help="use a Chroma server (http://host:port) for the vectors")
    commands = parser.add_subparsers(dest="command")

    index = commands.add_parser("index", help="add folders or files and index them")
    index.add_argument("paths", nargs="*", help="folders or files (default: every folder added before)")
    index.add_argument(
        "--watch", action="store_true", help="then keep the index in step with the folders until Ctrl+C"
    )

    search = commands.add_parser("search", help="search the index")
    search.add_argument("query", nargs="?", help="what to look for")
    search.add_argument("--limit", type=int, default=10, help="files to show (default 10)")
    search.add_argument("--json", action="store_true", help="print a JSON array, best first")
    search.add_argument(
        "--queries", metavar="FILE", help="one query per line ('-' for stdin); prints JSON Lines"
    )
    search.add_argument("--mode", choices=("hybrid", "vector", "keyword"), default="hybrid")
    search.add_argument(
        "--type",
        dest="kinds",
        action="append",
        default=[],
        help="only this file type (pdf, docx, text, html)",
    )
    search.add_argument(
        "--folder",
        dest="folders",
        action="append",
        default=[],
        help="only files under this folder (an added folder or one below it)",
    )

    exclude = commands.add_parser(
        "exclude", help="leave files out (gitignore patterns); without patterns, list them"
    )
    exclude.add_argument("patterns", nargs="*", help='e.g. "*.log" "drafts/" "/archive/2019/"')
    exclude.add_argument("--remove", action="store_true", help="remove these patterns instead")

    status = commands.add_parser("status", help="folders, files by status, failures")
    status.add_argument("--json", action="store_true", help="every file with its status, as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # the file reader runs in a child process, also when frozen
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    options, folders = _split_folders(argv)
    args = parser.parse_args(options)
    if args.command is None:
        from desktop_search.ui.app import run_gui

        return run_gui(data_dir=args.data_dir, chroma_url=args.chroma_url, folders=folders)
    if args.command == "search" and not (args.query or args.queries):
        parser.error("search needs a QUERY or --queries FILE")
    if args.command == "search" and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.command == "index":
        missing = [p for p in args.paths if not os.path.exists(p)]
        if missing:
            parser.error(f"no such file or folder: {missing[0]}")

    from desktop_search.services import Services

    try:
        services = Services.open(args.data_dir, chroma_url=args.chroma_url)
    except (DataDirError, FileNotFoundError) as error:
        print(f"desktop-search: {error}", file=sys.stderr)
        return EXIT_DATA_DIR
    for warning in services.store.warnings:
        print(f"desktop-search: {warning}", file=sys.stderr)
    try:
        if args.command == "index":
            code = index_command(services, [os.path.abspath(p) for p in args.paths])
            return watch_command(services) if args.watch and code == 0 else code
        if args.command == "search":
            return search_command(services, args)
        if args.command == "exclude":
            return exclude_command(services, args.patterns, args.remove)
        return status_command(services, args.json)
    finally:
        services.close()


_COMMANDS = ("index", "search", "status", "exclude")
_OPTIONS_WITH_VALUES = ("--data-dir", "--chroma-url")


def _split_folders(argv: list[str]) -> tuple[list[str], list[str]]:
    """`desktop-search [options] FOLDER...` (a file manager's "Open with", a launcher's %F): the
    window, with those added. Returns (the arguments for the parser, the folders)."""
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index += 1 if "=" in argv[index] or argv[index] not in _OPTIONS_WITH_VALUES else 2
    rest = argv[index:]
    if not rest or rest[0] in _COMMANDS or not os.path.exists(rest[0]):
        return argv, []
    return argv[:index], rest


def index_command(services, roots: list[str]) -> int:  # type: ignore[no-untyped-def]
    if not roots and not services.store.catalog.folders():
        print("desktop-search: nothing to index; give a folder: desktop-search index PATH", file=sys.stderr)
        return EXIT_USAGE
    bar = ProgressLine(sys.stderr)
    try:
        for event in services.indexer().run(roots or None):
            if isinstance(event, Progress):
                bar.show(event)
            elif isinstance(event, FileIndexed) and event.status == "error":
                bar.note(f"error: {event.path}: {event.reason}")
            elif isinstance(event, Summary):
                bar.clear()
                print_summary(event, sys.stdout)
    except (sqlite3.OperationalError, OSError) as error:
        # Disk full or the data directory gone read-only: each file is saved in one transaction,
        # so what was indexed stays good and the next run carries on from there.
        bar.clear()
        print(
            f"desktop-search: cannot write the index in {services.store.directory}: {error}", file=sys.stderr
        )
        return EXIT_DATA_DIR
    return 0


def watch_command(services) -> int:  # type: ignore[no-untyped-def]
    import queue

    from desktop_search.core.scanner import Exclusions
    from desktop_search.core.watcher import FolderWatcher

    batches: queue.Queue[set[str]] = queue.Queue()
    watcher = FolderWatcher(batches.put, exclusions=Exclusions(services.store.catalog.exclusions()))
    watcher.start()
    watcher.watch(services.store.catalog.folders())
    print("watching for changes; Ctrl+C to stop", file=sys.stderr)
    try:
        while True:
            roots = sorted(batches.get())
            print(f"changes in {', '.join(roots)}", file=sys.stderr)
            index_command(services, roots)
    except KeyboardInterrupt:
        return 0
    finally:
        watcher.stop()


def exclude_command(services, patterns: list[str], remove: bool) -> int:  # type: ignore[no-untyped-def]
    catalog = services.store.catalog
    current = catalog.exclusions()
    if not patterns:
        print(
            "\n".join(current)
            if current
            else "no exclusions (hidden files, caches and temp files are always left out)"
        )
        return 0
    chosen = [p for p in current if p not in patterns] if remove else sorted({*current, *patterns})
    catalog.set_exclusions(chosen)
    # Apply at once: newly excluded files leave the index, re-included ones come in.
    return index_command(services, [])


def print_summary(summary: Summary, out: TextIO) -> None:
    for folder in summary.missing_folders:
        out.write(f"folder not found (unplugged drive?), its files are kept: {folder}\n")
    out.write(
        f"indexed {summary.indexed} files ({summary.passages} passages), unchanged {summary.unchanged}, "
        f"removed {summary.removed}, not indexed {sum(summary.failed.values())}\n"
        f"embedded {summary.embedded} passages, reused {summary.reused}; "
        f"keyword-searchable after {summary.keyword_seconds:.1f} s, done in {summary.seconds:.1f} s\n"
    )
    for reason, count in summary.failed.most_common():
        out.write(f"  {count:5d}  {reason}\n")


def hit_json(hit: FileHit) -> dict[str, Any]:
    return {
        "path": hit.path,
        "page": hit.best.page,
        "score": round(hit.score, 6),
        "snippet": hit.best.snippet,
        "highlights": [list(span) for span in hit.best.highlights],
        "type": hit.kind,
    }


def search_command(services, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    searcher = services.searcher()
    filters = Filters(kinds=tuple(args.kinds), folders=tuple(os.path.abspath(f) for f in args.folders))
    if args.queries:
        stream = sys.stdin if args.queries == "-" else open(args.queries, encoding="utf-8")
        with stream:
            for line in stream:
                query = line.rstrip("\n")
                if query.strip():
                    hits = searcher.search(query, args.limit, filters, args.mode)
                    print(
                        json.dumps({"query": query, "hits": [hit_json(h) for h in hits]}, ensure_ascii=False)
                    )
        return 0
    hits = searcher.search(args.query, args.limit, filters, args.mode)
    if args.json:
        print(json.dumps([hit_json(h) for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no results")
    bold = sys.stdout.isatty()
    for rank, hit in enumerate(hits, 1):
        page = f"  p. {hit.best.page}" if hit.best.page else ""
        print(f"{rank:2d}. {hit.path}{page}  ({hit.score:.4f})")
        print(f"    {mark(hit.best.snippet, hit.best.highlights, bold)}")
    return 0


def mark(snippet: str, spans: Iterable[tuple[int, int]], bold: bool) -> str:
    opening, closing = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    for start, end in sorted(spans, reverse=True):
        snippet = snippet[:start] + opening + snippet[start:end] + closing + snippet[end:]
    return snippet


def status_command(services, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    catalog = services.store.catalog
    files = list(catalog.files())
    if as_json:
        print(
            json.dumps(
                [
                    {"path": f.path, "status": f.status, "reason": f.reason, "passages": f.passages}
                    for f in files
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"index: {services.store.directory}")
    for folder in catalog.folders():
        count = sum(1 for f in files if f.folder == folder)
        print(f"folder: {folder} ({count} files)")
    counts = catalog.counts()
    print(
        "files: " + ", ".join(f"{status} {counts[status]}" for status in sorted(counts))
        if counts
        else "files: none"
    )
    pending = sum(f.passages for f in files if not f.synced)
    print(f"passages: {catalog.passage_count()} ({pending} waiting for embedding)")
    failures = [f for f in files if f.status not in ("indexed",)]
    if failures:
        print("not indexed:")
        for f in failures:
            print(f"  {f.status}: {f.path}" + (f" ({f.reason})" if f.reason else ""))
    return 0


class ProgressLine:
    """One self-rewriting line on a terminal; plain lines every few seconds otherwise."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.last = 0.0

    def show(self, event: Progress) -> None:
        now = time.monotonic()
        if now - self.last < (0.1 if self.tty else 5.0) and event.done < event.total:
            return
        self.last = now
        unit = "passages" if event.phase == "embedding" else "files"
        share = event.done / event.total if event.total else 0.0
        width = 24
        bar = "#" * int(share * width) + "-" * (width - int(share * width))
        rate = f" {event.rate:.0f} passages/s" if event.rate else ""
        eta = f" ETA {format_seconds(event.eta)}" if event.eta is not None else ""
        line = f"{event.phase:9s} [{bar}] {event.done}/{event.total} {unit}{rate}{eta}"
        if self.tty:
            self.out.write("\r\x1b[K" + line[: os.get_terminal_size(self.out.fileno()).columns - 1])
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def note(self, message: str) -> None:
        self.clear()
        self.out.write(message + "\n")

    def clear(self) -> None:
        if self.tty:
            self.out.write("\r\x1b[K")
            self.out.flush()


def format_seconds(seconds: float) -> str:
    seconds = int(seconds)
    return (
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )
