"""The running instance's side of `desktop-search search` (cli/client.py is the other): the window
and `desktop-search serve` answer the channel's requests (core/query_server.py) with the same core
call and the same records the in-process command line prints."""

from __future__ import annotations

import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from desktop_search.cli import commands
from desktop_search.cli.search_request import BadRequest, SearchRequest, settings_key
from desktop_search.core.query_server import ChannelError, QueryServer, socket_path

if TYPE_CHECKING:
    from desktop_search.core.history import History
    from desktop_search.core.search import Searcher
    from desktop_search.services import Services


class Answerer:
    """Answers requests one at a time, on catalog connections of its own (the window's indexer
    and search threads keep theirs)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = settings_key(services.settings)
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._history: History | None = None

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request.get("command")
        if command == "hello":
            if request.get("settings") != self.settings:
                return {"ok": False, "elsewhere": self.settings}  # the client searches in-process
            return {"ok": True}
        with self._lock:
            if command == "remember" and isinstance(request.get("query"), str):
                self._remembered().record(request["query"])
                return {"ok": True}
            if command != "search":
                return {"ok": False, "error": f"unknown request {command!r}"}
            try:
                search = SearchRequest.from_json(request)
            except BadRequest as error:
                return {"ok": False, "error": str(error)}
            if search.kinds and (refusal := commands.unknown_kind(search.kinds)):
                return {"ok": False, "usage": refusal}
            if search.remember:
                self._remembered().record(search.query)
            return {"ok": True, **commands.search_answer(self._searching(), search)}

    def _searching(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self.services.searcher(own_connection=True)
        return self._searcher

    def _remembered(self) -> History:
        if self._history is None:
            self._history = self.services.history(own_connection=True)
        return self._history

    def warm(self) -> None:
        """Load the model and read the vector index now, not on the first query."""
        with self._lock:
            commands.search_answer(self._searching(), SearchRequest("warming up", limit=1))

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.catalog.close()
            if self._history is not None:
                self._history.close()
            self._searcher = self._history = None


class Serving:
    """The channel of services' data directory, answered until stop()."""

    def __init__(self, services: Services) -> None:
        self.answerer = Answerer(services)
        self.server = QueryServer(socket_path(services.settings.data_dir), self.answerer)

    @classmethod
    def start(cls, services: Services) -> Serving:
        """Raises ChannelError when the channel cannot be served (see core/query_server.py)."""
        serving = cls(services)
        serving.server.start()
        return serving

    def stop(self) -> None:
        self.server.stop()
        self.answerer.close()


def serve(services: Services, watch: bool) -> int:
    """`desktop-search serve`: answer until Ctrl+C or SIGTERM; meanwhile, unless told not to,
    bring the added folders up to date and keep them so (as `index --watch`)."""
    try:
        serving = Serving.start(services)
    except ChannelError as error:
        print(f"desktop-search: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped as by Ctrl+C
    serving.answerer.warm()
    print(f"answering searches on {serving.server.path}; Ctrl+C to stop", file=sys.stderr, flush=True)
    try:
        library = services.library()
        if watch and library.folders():
            commands.index(library, [])
            commands.watch(library)  # until interrupted
        else:
            threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        serving.stop()
    return 0
