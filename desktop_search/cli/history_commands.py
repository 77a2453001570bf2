"""`desktop-search history|save|unsave`: the recent and saved searches the window shows, listed
and changed from the command line (the same core History)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from desktop_search.cli import EXIT_USAGE

if TYPE_CHECKING:  # not at start-up: the parser is built before the window opens
    from desktop_search.services import Services

COMMANDS = ("history", "save", "unsave")


def add_parsers(commands: Any) -> None:
    """Add the commands to the parser's subcommands (argparse's private _SubParsersAction)."""
    history = commands.add_parser("history", help="recent and saved searches")
    history.add_argument("--json", action="store_true", help='print {"recent": [...], "saved": [...]}')
    history.add_argument("--clear", action="store_true", help="forget the recent searches (saved ones stay)")
    save = commands.add_parser("save", help="save a search under a name (the window lists it)")
    save.add_argument("name", help="what to call it")
    save.add_argument("query", help='the search, as typed in the window, e.g. "budget -draft"')
    unsave = commands.add_parser("unsave", help="forget a saved search")
    unsave.add_argument("name", help="the saved search's name")


def run(services: Services, args: argparse.Namespace) -> int:
    from desktop_search.core.history import HistoryError

    history = services.history()
    try:
        if args.command == "save":
            saved = history.save(args.name, args.query)
            print(f"saved “{saved.name}”: {saved.query}")
        elif args.command == "unsave":
            history.unsave(args.name)
            print(f"forgot “{args.name}”")
        elif args.clear:
            history.clear()
            print("recent searches cleared")
        elif args.json:
            record = {
                "recent": [{"query": r.query, "at": _iso(r.at)} for r in history.recent()],
                "saved": [{"name": s.name, "query": s.query} for s in history.saved()],
            }
            print(json.dumps(record, ensure_ascii=False, indent=2))
        else:
            show(history.recent(), history.saved())
    except HistoryError as error:
        print(f"desktop-search: {error}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def remember(services: Services, query: str) -> None:
    """A search asked on the command line joins the recent searches, as one pressed Enter on."""
    services.history().record(query)


def show(recent: list[Any], saved: list[Any]) -> None:
    if recent:
        print("recent searches (newest first):")
        for search in recent:
            print(f"  {search.query}")
    else:
        print("no recent searches")
    if saved:
        print("saved searches:")
        width = max(len(search.name) for search in saved)
        for search in saved:
            print(f"  {search.name:{width}s}  {search.query}")


def _iso(at: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(at))
