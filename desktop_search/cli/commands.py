"""The commands, each a thin layer over the core: the library for folders and indexing, the
searcher for queries. What they print is in output.py."""

from __future__ import annotations

import argparse
import json
import os
import queue
import sys
import threading
from collections.abc import Collection
from typing import Any

from desktop_search.cli import EXIT_DATA_DIR, EXIT_USAGE, history_commands
from desktop_search.cli.duplicates import duplicates
from desktop_search.cli.output import (
    ProgressLine,
    hit_json,
    hit_record,
    print_batch_line,
    print_found,
    print_hits,
    print_summary,
)
from desktop_search.cli.search_request import SearchRequest
from desktop_search.core.filters import Filters
from desktop_search.core.indexer import FileIndexed, Progress, Summary
from desktop_search.core.library import Exclude, Index, IndexWriteError, Library, Plan, Remove, Retry, Update
from desktop_search.core.library_status import vector_state
from desktop_search.core.search import PASSAGES_PER_FILE, FileHit, Searcher
from desktop_search.core.similar import NotComparable
from desktop_search.services import Services


def run(services: Services, args: argparse.Namespace) -> int:
    library = services.library()
    if args.command == "index":
        code = index(library, args.paths)
        return watch(library) if args.watch and code == 0 else code
    if args.command in history_commands.COMMANDS:
        return history_commands.run(services, args)
    if args.command == "search":
        return search(services, args)
    if args.command == "similar":
        return similar(services, args)
    if args.command == "exclude":
        return exclude(library, args.patterns, args.remove)
    if args.command == "remove":
        return remove(library, args.folders)
    if args.command == "retry":
        return retry(library, args.paths)
    if args.command == "duplicates":
        return duplicates(services, args.json)
    return status(services, library, args.json)


def _error(message: str) -> None:
    print(f"desktop-search: {message}", file=sys.stderr)


def index(library: Library, paths: list[str]) -> int:
    plan = Plan()
    if paths:
        checked = library.check(paths)
        for refusal in checked.refused:
            _error(refusal)
        if not (checked.new or checked.known):
            return EXIT_USAGE
        library.apply(Index(checked.new), plan)
        library.apply(Update(checked.known), plan)
    elif not library.folders():
        _error("nothing to index; give a folder: desktop-search index PATH")
        return EXIT_USAGE
    else:
        library.apply(Index(), plan)
    return run_plan(library, plan)


def run_plan(library: Library, plan: Plan, stop: threading.Event | None = None) -> int:
    """stop: when set, the run ends at its next event (a later run carries on from there)."""
    bar = ProgressLine(sys.stderr)
    try:
        for event in library.run(plan):
            if stop is not None and stop.is_set():
                bar.clear()
                break
            if isinstance(event, Progress):
                bar.show(event)
            elif isinstance(event, FileIndexed) and event.status == "error":
                bar.note(f"error: {event.path}: {event.reason}")
            elif isinstance(event, Summary):
                bar.clear()
                print_summary(event, sys.stdout)
    except IndexWriteError as error:
        bar.clear()
        _error(str(error))
        return EXIT_DATA_DIR
    except OSError as error:  # the vector store could not be written
        bar.clear()
        _error(f"cannot write the index: {error}")
        return EXIT_DATA_DIR
    return 0


def watch(library: Library) -> int:
    from desktop_search.core.scanner import Exclusions
    from desktop_search.core.watcher import FolderWatcher

    batches: queue.Queue[set[str]] = queue.Queue()
    watcher = FolderWatcher(batches.put, exclusions=Exclusions(library.exclusions()))
    watcher.start()
    watcher.watch(library.folders())
    print("watching for changes; Ctrl+C to stop", file=sys.stderr)
    try:
        while True:
            folders = sorted(batches.get())
            print(f"changes in {', '.join(folders)}", file=sys.stderr)
            plan = Plan()
            library.apply(Update(tuple(folders)), plan)
            run_plan(library, plan)
    except KeyboardInterrupt:
        return 0
    finally:
        watcher.stop()


def exclude(library: Library, patterns: list[str], remove: bool) -> int:
    current = library.exclusions()
    if not patterns:
        always = "hidden files, caches and temp files are always left out"
        print("\n".join(current) if current else f"no exclusions ({always})")
        return 0
    chosen = [p for p in current if p not in patterns] if remove else [*current, *patterns]
    plan = Plan()
    library.apply(Exclude(tuple(chosen)), plan)
    if not library.folders():
        print("exclusions saved; they apply to the folders you add")
        return 0
    return run_plan(library, plan)  # at once: excluded files leave the index, re-included ones come in


def _all_known(paths: list[str], known: Collection[str], what: str) -> list[str] | None:
    """The paths made absolute, or None (each unknown one said) if any is not among the known."""
    wanted = [os.path.abspath(path) for path in paths]
    unknown = [path for path in wanted if path not in known]
    for path in unknown:
        _error(f"{what}: {path} (see desktop-search status)")
    return None if unknown else wanted


def remove(library: Library, folders: list[str]) -> int:
    wanted = _all_known(folders, library.folders(), "not an added folder")
    if wanted is None:
        return EXIT_USAGE
    plan = Plan()
    for folder in wanted:
        library.apply(Remove(folder), plan)
        print(f"removed {folder}")
    return run_plan(library, plan)  # their vectors leave the vector store


def retry(library: Library, paths: list[str]) -> int:
    failed = {failure.path for failure in library.status().failures}
    wanted = _all_known(paths, failed, "not a file that failed to index")
    if wanted is None:
        return EXIT_USAGE
    if not failed:
        print("no files to retry: every file was read")
        return 0
    plan = Plan()
    library.apply(Retry(tuple(wanted)), plan)
    return run_plan(library, plan)


def search(services: Services, args: argparse.Namespace) -> int:
    searcher = services.searcher()
    if args.query:
        history_commands.remember(services, args.query)
    if args.queries:
        stream = sys.stdin if args.queries == "-" else open(args.queries, encoding="utf-8")  # noqa: SIM115
        with stream:
            for line in stream:
                query = line.rstrip("\n")
                if query.strip():  # a batch of --queries is no one's history
                    answer = search_answer(searcher, SearchRequest.from_args(args, query, remember=False))
                    print_batch_line(query, answer, sys.stdout)
        return 0
    answer = search_answer(searcher, SearchRequest.from_args(args, args.query, remember=False))
    print_found(answer, sys.stdout, args.json, args.passages)
    return 0


def search_answer(searcher: Searcher, request: SearchRequest) -> dict[str, Any]:
    """{"hits": [hit_record...], "found": n}: what a search prints, here or sent from a running
    instance (cli/serving.py) to the command line that asked (output.print_found prints it)."""
    filters = Filters(kinds=request.kinds, folders=request.folders)
    passages = max(request.passages, PASSAGES_PER_FILE)
    found = searcher.search(request.query, request.limit, filters, request.mode, passages, request.sort)
    hits = shown(found, request.nearest)
    return {"hits": [hit_record(hit, request.passages) for hit in hits], "found": len(found)}


def unknown_kind(kinds: Collection[str]) -> str | None:
    """Why a --type is refused, or None when every one is known."""
    from desktop_search.core.extract import EXTRACTORS  # (not at start-up: it loads PyMuPDF)

    unknown = sorted(set(kinds) - set(EXTRACTORS))
    if unknown:
        return f"unknown --type {unknown[0]}; choose from {', '.join(sorted(EXTRACTORS))}"
    return None


def similar(services: Services, args: argparse.Namespace) -> int:
    try:
        filters = Filters(kinds=tuple(args.kinds), folders=tuple(os.path.abspath(f) for f in args.folders))
        hits = services.similar().similar(args.path, args.limit, filters)
    except NotComparable as refusal:
        _error(str(refusal))
        return EXIT_USAGE
    if args.json:
        print(json.dumps([hit_json(h, args.passages) for h in hits], ensure_ascii=False, indent=2))
    else:
        print_hits(hits, sys.stdout, args.passages)
    return 0


def shown(hits: list[FileHit], nearest: bool) -> list[FileHit]:
    """The hits to print: none when no hit is close to the query, unless the nearest were asked for."""
    return hits if nearest or any(hit.close for hit in hits) else []


def status(services: Services, library: Library, as_json: bool) -> int:
    stats = library.status()
    problem = services.store.vector_store_problem()
    if as_json:
        files = [
            {
                "path": f.path,
                "status": f.status,
                "reason": f.reason,
                "passages": f.passages,
                "vectors": vector_state(f),
            }
            for f in library.files()
        ]
        totals = {
            "files": stats.files,
            "indexed": stats.indexed,
            "passages": stats.passages,
            "files_waiting_for_vectors": stats.waiting,
            "passages_waiting_for_vectors": stats.waiting_passages,
            "ocr_pages_waiting": stats.waiting_ocr_pages,
            "searchable_by_meaning": stats.waiting == 0 and problem is None,
            "vector_store_problem": problem,  # None: the vector store answers
        }
        print(json.dumps({"totals": totals, "files": files}, ensure_ascii=False, indent=2))
        return 0
    print(f"index: {services.settings.data_dir}")
    for folder in stats.folders:
        missing = " (not found: unplugged drive?)" if folder.missing else ""
        print(f"folder: {folder.path} ({folder.files} files){missing}")
    counts = ", ".join(f"{name} {count}" for name, count in stats.by_status.items())
    print(f"files: {counts or 'none'}")
    print(f"passages: {stats.passages} ({stats.waiting_passages} waiting for embedding)")
    if problem:
        print(f"vector store: {problem}")
    if stats.waiting_ocr_pages:
        print(f"OCR: {stats.waiting_ocr_pages} pages waiting")
    if stats.exclusions:
        print("excluded: " + ", ".join(stats.exclusions))
    if stats.failures:
        print("not indexed:")
        for failure in stats.failures:
            print(f"  {failure.status}: {failure.path}" + (f" ({failure.reason})" if failure.reason else ""))
    return 0
