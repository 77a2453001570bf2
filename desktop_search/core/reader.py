"""File to passages, in a child process with a time and memory budget per file.

MuPDF can loop on a hostile PDF, a zip bomb can ask for gigabytes, a C library can crash: none
of that may stall or kill the run, so the extract-and-chunk step runs in a process of its own
that is replaced when a file breaks it.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from desktop_search.core.chunking import Passage, chunk, load_counter
from desktop_search.core.extract import ERROR, Skipped, extract

TIME_BUDGET = 120.0  # seconds per file; the 1,158-page octave manual takes about 10
MEMORY_BUDGET = 3 << 30  # bytes of address space for the child
SIZE_BUDGETS = {"text": 64 << 20, "html": 64 << 20}  # bytes; bigger text is a log or a dump
STARTUP_BUDGET = 60.0


def read_file(path: Path, tokenizer: Any) -> tuple[str, list[Passage]]:
    """(kind, passages) or Skipped: the work itself, in whichever process runs it."""
    kind, pages = extract(path)
    return kind, chunk(pages, tokenizer)


def check_size(path: Path, kind: str | None) -> None:
    limit = SIZE_BUDGETS.get(kind or "")
    size = path.stat().st_size
    if limit and size > limit:
        raise Skipped(ERROR, f"too large to index: {size / 2**20:.0f} MB (limit {limit >> 20} MB)")


class InProcessReader:
    """No isolation: for tools and tests that feed only trusted files."""

    def __init__(self, model_dir: Path) -> None:
        self.tokenizer = load_counter(model_dir)

    def __call__(self, path: Path, kind: str | None = None) -> tuple[str, list[Passage]]:
        check_size(path, kind)
        return read_file(path, self.tokenizer)

    def close(self) -> None:
        pass


class SandboxedReader:
    def __init__(
        self, model_dir: Path, *, time_budget: float = TIME_BUDGET, memory_budget: int = MEMORY_BUDGET
    ) -> None:
        self.model_dir = model_dir
        self.time_budget = time_budget
        self.memory_budget = memory_budget
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None

    def __call__(self, path: Path, kind: str | None = None) -> tuple[str, list[Passage]]:
        check_size(path, kind)
        connection = self._ensure_child()
        connection.send(str(path))
        if not connection.poll(self.time_budget):
            self._stop()
            raise Skipped(ERROR, f"took longer than {self.time_budget:.0f} s to read (skipped)")
        try:
            reply = connection.recv()
        except (EOFError, OSError):
            code = self._process.exitcode if self._process else None
            self._stop()
            raise Skipped(ERROR, f"the reader crashed on this file (exit code {code})") from None
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise Skipped(reply[1], reply[2])

    def _ensure_child(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._connection is not None:
            return self._connection
        self._stop()
        context = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        parent, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(child, str(self.model_dir), self.memory_budget),
            daemon=True,
            name="desktop-search-reader",
        )
        self._process.start()
        child.close()
        self._connection = parent
        if not parent.poll(STARTUP_BUDGET) or parent.recv() != "ready":
            self._stop()
            raise RuntimeError("the file reader process did not start")
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


def _serve(connection: Connection, model_dir: str, memory_budget: int) -> None:
    """The child: read files one by one until told to stop."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_budget, memory_budget))
    except (ImportError, ValueError, OSError):
        pass  # not on every platform; the time budget still holds
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    tokenizer = load_counter(Path(model_dir))
    connection.send("ready")
    while True:
        try:
            path = connection.recv()
        except (EOFError, OSError):
            return
        if path is None:
            return
        try:
            kind, passages = read_file(Path(path), tokenizer)
            connection.send(("ok", kind, passages))
        except Skipped as skipped:
            connection.send(("skipped", skipped.status, skipped.reason))
        except MemoryError:
            connection.send(("skipped", ERROR, "needs more memory than a file may use (skipped)"))
        except Exception as error:  # an odd file must cost only itself
            connection.send(("skipped", ERROR, f"{type(error).__name__}: {str(error)[:200]}"))
