"""Risky work on files in a child process with a time and memory budget per request.

MuPDF can loop on a hostile PDF, a zip bomb can ask for gigabytes, a C library can crash: none
of that may stall or kill the caller (the indexer, or the window's preview), so such work runs in
a process of its own that is replaced when a request breaks it.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection
from typing import Any

from desktop_search.core import ticks
from desktop_search.core.extract import ERROR, Skipped

MEMORY_BUDGET = 3 << 30  # bytes of address space for the child
STARTUP_BUDGET = 60.0  # seconds for the child to import what it needs

# Runs in the child: its argument -> the function that answers each request. Both the setup
# function and its argument cross to the child, so they must be picklable (module level).
Setup = Callable[[Any], Callable[[Any], Any]]


class Sandbox:
    """One child process answering requests one at a time; used from one thread at a time.

    A call returns the handler's answer or raises Skipped: with the handler's own status and
    reason, or because the child took too long or died (it is then replaced at the next call).
    """

    def __init__(
        self,
        setup: Setup,
        argument: Any,
        *,
        name: str,
        time_budget: float,
        memory_budget: int = MEMORY_BUDGET,
    ) -> None:
        self.setup = setup
        self.argument = argument
        self.name = name
        self.time_budget = time_budget
        self.memory_budget = memory_budget
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def __call__(self, request: Any) -> Any:
        steps = self.steps(request)
        while True:
            try:
                next(steps)
            except StopIteration as end:
                return end.value

    def steps(self, request: Any) -> Generator[ticks.Tick, None, Any]:
        """As a call, but yields the child's ticks (core/ticks.py) on the way; the child waits
        while the caller holds a tick, and that time is not counted in the budget. Closing the
        generator before the answer (the user stopped the run) ends the child."""
        connection = self.start()
        connection.send(request)
        budget = self.time_budget
        answered = False
        try:
            while True:
                began = time.monotonic()
                if not connection.poll(max(budget, 0.0)):
                    self._stop()
                    raise Skipped(ERROR, f"took longer than {self.time_budget:.0f} s to read")
                budget -= time.monotonic() - began
                try:
                    reply = connection.recv()
                except (EOFError, OSError):
                    code = self._process.exitcode if self._process else None
                    self._stop()
                    raise Skipped(ERROR, f"the reader crashed on this file (exit code {code})") from None
                if reply[0] != "tick":
                    break
                yield reply[1]
                try:
                    connection.send("go")
                except OSError:
                    pass  # it died: the next poll says so
            answered = True
        finally:
            if not answered:
                self._stop()  # given up halfway: the child's answer would come to the next request
        if reply[0] == "ok":
            return reply[1]
        raise Skipped(reply[1], reply[2])

    def start(self) -> Connection:
        """The child's end of the pipe, starting the child first if there is none alive."""
        if self._process is not None and self._process.is_alive() and self._connection is not None:
            return self._connection
        self._stop()
        context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, self.setup, self.argument, self.memory_budget),
            daemon=True,
            name=self.name,
        )
        self._process.start()
        child.close()
        self._connection = parent
        if not parent.poll(STARTUP_BUDGET) or parent.recv() != "ready":
            self._stop()
            raise RuntimeError(f"the {self.name} process did not start")
        return parent

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._process = self._connection = None

    def close(self) -> None:
        if self._connection is not None and self._process is not None and self._process.is_alive():
            try:
                self._connection.send(None)
                self._process.join(2)
            except OSError:
                pass
        self._stop()


def _serve(connection: Connection, setup: Setup, argument: Any, memory_budget: int) -> None:
    """The child: answer requests one by one until told to stop."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_budget, memory_budget))
    except (ImportError, ValueError, OSError):
        pass  # not on every platform; the time budget still holds
    handle = setup(argument)
    ticks.report_to(lambda tick: _tick(connection, tick))
    connection.send("ready")
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        ticks.start()
        try:
            connection.send(("ok", handle(request)))
        except Skipped as skipped:
            connection.send(("skipped", skipped.status, skipped.reason))
        except MemoryError:
            connection.send(("skipped", ERROR, "needs more memory than a file may use"))
        except Exception as error:  # an odd file must cost only itself
            connection.send(("skipped", ERROR, f"{type(error).__name__}: {str(error)[:200]}"))


def _tick(connection: Connection, tick: ticks.Tick) -> None:
    """In the child: tell the parent how far the request got, then wait for its go-ahead."""
    connection.send(("tick", tick))
    if connection.recv() != "go":
        raise SystemExit(0)  # the parent is gone or gave up
