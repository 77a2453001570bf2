"""The running instance's side of `desktop-search search` (cli/client.py is the other): the window
and `desktop-search serve` answer the channel's requests (core/query_server.py) with the same core
call and the same records the in-process command line prints."""

from __future__ import annotations

import os
import queue
import select
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from desktop_search.cli import commands
from desktop_search.cli.search_request import BadRequest, SearchRequest, settings_key
from desktop_search.core.library import Index, Library, Plan, Update
from desktop_search.core.query_server import ChannelError, QueryServer, socket_path
from desktop_search.core.scanner import Exclusions
from desktop_search.core.watcher import FolderWatcher

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
    """`desktop-search serve`: answer until SIGINT (Ctrl+C) or SIGTERM; meanwhile, unless told not
    to, bring the added folders up to date and follow their changes (as `index --watch`)."""
    with _StopSignals() as stop_signals:
        try:
            serving = Serving.start(services)
        except ChannelError as error:
            print(f"desktop-search: {error}", file=sys.stderr)
            return 1
        try:
            serving.answerer.warm()
            print(f"answering searches on {serving.server.path}; Ctrl+C to stop", file=sys.stderr, flush=True)
            library = services.library()
            keeper = _Keeper(library) if watch and library.folders() else None
            try:
                if keeper is not None:
                    keeper.start()
                stop_signals.wait()
            finally:
                if keeper is not None:
                    keeper.stop()
        finally:
            serving.stop()
    return 0


class _StopSignals:
    """SIGINT and SIGTERM, noted however early they come: each wakes wait() through a pipe (a
    signal that lands just before a lock's wait would not interrupt it), none raises mid-work."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self) -> _StopSignals:
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._wakeup = signal.set_wakeup_fd(self._write)
        self._handlers = {number: signal.signal(number, _noted) for number in self.SIGNALS}
        return self

    def wait(self) -> None:
        select.select([self._read], [], [])

    def __exit__(self, *exc_info: object) -> None:
        for number, handler in self._handlers.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._wakeup)
        os.close(self._read)
        os.close(self._write)


def _noted(number: int, frame: object) -> None:
    """The signal's byte is in the wakeup pipe; nothing else to do."""


class _Keeper(threading.Thread):
    """Brings the added folders up to date, then follows their changes, until stop()."""

    def __init__(self, library: Library) -> None:
        super().__init__(name="index-keeper")
        self.library = library
        self.stopping = threading.Event()
        self.batches: queue.Queue[set[str] | None] = queue.Queue()
        self.watcher = FolderWatcher(self.batches.put, exclusions=Exclusions(library.exclusions()))
        self.watcher.start()
        self.watcher.watch(library.folders())

    def run(self) -> None:
        plan = Plan()
        self.library.apply(Index(), plan)
        commands.run_plan(self.library, plan, self.stopping)
        while (folders := self.batches.get()) is not None and not self.stopping.is_set():
            print(f"changes in {', '.join(sorted(folders))}", file=sys.stderr)
            plan = Plan()
            self.library.apply(Update(tuple(sorted(folders))), plan)
            commands.run_plan(self.library, plan, self.stopping)

    def stop(self) -> None:
        """At the run's next event: a later run carries on from there."""
        self.stopping.set()
        self.batches.put(None)
        self.join()
        self.watcher.stop()
