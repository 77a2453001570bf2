"""`desktop-search search` handed to a running instance (the window, or `desktop-search serve`):
no model to load, no index to open, so a query costs milliseconds. Imports nothing heavy (no
numpy, ONNX Runtime, Chroma or Qt): it runs before any of them would be imported.

When no instance answers, or one runs with other settings, the caller searches in-process."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from desktop_search.cli.output import print_batch_line, print_found
from desktop_search.cli.search_request import SearchRequest, settings_key
from desktop_search.core.query_server import Channel, ChannelError, socket_path
from desktop_search.settings import Settings

EXIT_FAILED = 1


def served_search(
    settings: Settings, args: argparse.Namespace, parser: argparse.ArgumentParser
) -> int | None:
    """The exit code of the search answered by a running instance; None if none answered."""
    try:
        channel = Channel.connect(socket_path(settings.data_dir))
    except ChannelError:
        return None
    if channel is None:
        return None
    with channel:
        # First whether it answers as this process would: before a line of --queries is read.
        if not _usable(channel.ask({"command": "hello", "settings": settings_key(settings)}), parser):
            return None
        if args.queries is None:
            request = SearchRequest.from_args(args, args.query, remember=True)
            answer = channel.ask(request.to_json())
            if not _usable(answer, parser):
                return None  # it stopped before answering: nothing is printed yet
            assert answer is not None
            print_found(answer, sys.stdout, args.json, args.passages)
            return 0
        if args.query:  # as in-process: the query given beside --queries is remembered, not run
            channel.ask({"command": "remember", "query": args.query})
        for query in _queries(args.queries):
            answer = channel.ask(SearchRequest.from_args(args, query, remember=False).to_json())
            if not _usable(answer, parser):
                print("desktop-search: the running instance stopped answering", file=sys.stderr)
                return EXIT_FAILED
            assert answer is not None
            print_batch_line(query, answer, sys.stdout)
        return 0


def _usable(answer: dict[str, Any] | None, parser: argparse.ArgumentParser) -> bool:
    """Whether answer holds hits to print; refusals are said (a usage error exits here)."""
    if answer is None:
        return False  # the instance went away
    if answer.get("ok"):
        return True
    if "usage" in answer:
        parser.error(answer["usage"])
    if "error" in answer:
        print(f"desktop-search: the running instance could not answer: {answer['error']}", file=sys.stderr)
        sys.exit(EXIT_FAILED)
    return False  # "elsewhere": the instance runs with other settings


def _queries(source: str) -> Iterator[str]:
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    with stream:
        for line in stream:
            query = line.rstrip("\n")
            if query.strip():
                yield query
