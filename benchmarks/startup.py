"""Time to first searchable (two-pass indexing), and cold start of the CLI and of the window."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import desktop_search  # noqa: F401  (first: ORT_DISABLE_TELEMETRY)

CLI_RUNS = 3
CLI_QUERIES = ("how does ownership and borrowing work", "set logscale", "install a package with apt")
GUI_QUERY = "borrowing rules"
GUI_TIMEOUT = 120.0


# child tasks


def first_searchable(folder: str, data_dir: str) -> dict[str, Any]:
    """Index `folder` into a new data directory; when does a keyword search find something?"""
    from desktop_search.core.indexer import FileIndexed, Progress, Summary
    from desktop_search.services import Services

    services = Services.open(data_dir)
    searcher = services.searcher(own_connection=True)  # as the window searches: its own connection
    marks: dict[str, Any] = {}
    origin = time.perf_counter()
    summary = None
    files_read, reading_total, last_indexed = 0, None, None
    for event in services.indexer().run([folder]):
        now = time.perf_counter() - origin
        if isinstance(event, Progress) and event.phase == "reading":
            reading_total = event.total
        elif isinstance(event, FileIndexed):
            files_read += 1
            if event.status == "indexed":
                last_indexed = event.path
            if event.status == "indexed" and "first_file" not in marks:
                marks["first_file"] = now
                word = _distinctive_word(services.store.catalog, event.path)
                hits = searcher.search(word, mode="keyword") if word else []
                marks["first_file_query"] = {"word": word, "found": any(h.path == event.path for h in hits)}
            if files_read == reading_total and "keyword" not in marks:  # pass 1 is over
                marks["keyword"] = time.perf_counter() - origin
                word = _distinctive_word(services.store.catalog, last_indexed)
                hits = searcher.search(word, mode="keyword") if word else []
                marks["keyword_query"] = {"word": word, "hits": len(hits)}
        elif isinstance(event, Summary):
            summary = event
    seconds = time.perf_counter() - origin
    hybrid = searcher.search("how to typeset a document")
    services.close()
    assert summary is not None
    return {
        **marks,
        "seconds": seconds,
        "summary_seconds": summary.seconds,
        "summary_keyword_seconds": summary.keyword_seconds,
        "files": summary.indexed,
        "passages": summary.passages,
        "hybrid_hits": len(hybrid),
    }


def _distinctive_word(catalog: Any, path: str | None) -> str | None:
    """A long word from the file's (or the last file's) first passage."""
    from desktop_search.core.catalog import file_key

    first = catalog.passages_of(file_key(path))[:1] if path else []
    words = re.findall(r"[A-Za-z]{6,}", first[0].text) if first else []
    return max(words, key=len) if words else None


def gui_probe(data_dir: str, launched: float, query: str) -> dict[str, Any]:
    """Child task: start the app as `desktop-search` does, note when its window is exposed with a
    focused, enabled line edit (accepts typing), type `query`, note when results are listed."""
    from common import rss_now
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMainWindow

    app = QApplication(["desktop-search"])
    marks: dict[str, Any] = {"imported_qt": time.time() - launched}

    def results_count(window: QMainWindow) -> int:
        view = getattr(window, "results_view", None)
        views = (
            [view]
            if view is not None
            else [
                v
                for v in window.findChildren(QAbstractItemView)
                if type(v.model()).__name__ == "ResultsModel"
            ]
        )
        return max(
            (v.model().rowCount() for v in views if v is not None and v.model() is not None), default=0
        )

    def poll() -> None:
        now = time.time() - launched
        windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
        if not windows:
            return
        window = windows[0]
        handle = window.windowHandle()
        if "window" not in marks and handle is not None and handle.isExposed():
            marks["window"] = now
        focus = app.focusWidget()
        if "window" in marks and "typing" not in marks and isinstance(focus, QLineEdit) and focus.isEnabled():
            marks["typing"] = now
            QTest.keyClicks(focus, query)
            marks["typed"] = time.time() - launched
        if "typed" in marks and "results" not in marks and results_count(window) > 0:
            marks["results"] = now
            marks["rss"] = rss_now()
            QTimer.singleShot(0, window.close)
            QTimer.singleShot(500, app.quit)

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(2)
    QTimer.singleShot(int(GUI_TIMEOUT * 1000), app.quit)
    from desktop_search.settings import Settings
    from desktop_search.ui.app import run_gui

    marks["exit_code"] = run_gui(Settings.resolve(data_dir=data_dir))
    return marks


# sections (bench.py side)


def first_section(ctx: Any) -> list[Any]:
    from common import Row, log, run_child

    data_dir = ctx.scratch / "first-searchable"
    log(f"indexing {ctx.first} into a new data directory, searching by keyword as soon as possible")
    child = run_child("startup.first_searchable", str(ctx.first), str(data_dir))
    run = child.value
    ctx.notes["first_memory"] = {
        "peak_rss": child.peak_rss,
        "peak_tree_rss": child.peak_tree_rss,
        "files": run["files"],
        "passages": run["passages"],
    }
    query = run.get("keyword_query", {})
    first = run.get("first_file_query", {})
    name = f"{ctx.first.parent.name}/{ctx.first.name}"
    return [
        Row(
            "first",
            f"{name}: first file keyword-searchable",
            f"{run['first_file']:.2f} s",
            note=f"search for '{first.get('word')}' found it: {first.get('found')}",
        ),
        Row(
            "first",
            f"{name}: every file keyword-searchable ({run['files']} files, {run['passages']:,} passages)",
            f"{run['keyword']:.1f} s",
            "seconds (Recoll: 1.8 s for 988 pages here)",
            note=f"Summary.keyword_seconds {run['summary_keyword_seconds']:.1f} s; search for "
            f"'{query.get('word')}' then: {query.get('hits')} files",
        ),
        Row(
            "first",
            f"{name}: fully embedded",
            f"{run['seconds']:.1f} s",
            note=f"{run['passages'] / max(run['seconds'] - run['keyword'], 1e-9):.1f} passages/s in pass 2; "
            f"hybrid search at the end: {run['hybrid_hits']} files",
        ),
    ]


def _cli_once(command: list[str]) -> tuple[float, float, int]:
    """Seconds to the first byte of output, to exit, and peak RSS (bytes) of one CLI run."""
    from common import CHILD_ENV

    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **CHILD_ENV}
    )
    assert process.stdout is not None
    process.stdout.read(1)
    first_byte = time.perf_counter() - started
    process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command} exited {process.returncode}")
    return first_byte, time.perf_counter() - started, usage.ru_maxrss * 1024


def start_section(ctx: Any) -> list[Any]:
    from bigindex import big_index
    from common import Row, log, mib

    rows = []
    data_dir, meta = big_index(ctx)
    passages = meta["replicate"]["passages"]
    cli = str(Path(sys.executable).with_name("desktop-search"))
    version = statistics.median(_cli_once([cli, "--version"])[1] for _ in range(CLI_RUNS))
    log(f"cold-starting `desktop-search search` {CLI_RUNS} times on the {passages:,}-passage index")
    runs = [_cli_once([cli, "--data-dir", str(data_dir), "search", query, "--json"]) for query in CLI_QUERIES]
    rows.append(
        Row(
            "start",
            f"CLI: launch to first results, `desktop-search search` ({passages:,} passages)",
            f"{statistics.median(r[1] for r in runs):.2f} s",
            note=f"median of {len(runs)} (each: {', '.join(f'{r[1]:.2f}' for r in runs)} s); "
            f"`desktop-search --version` alone {version:.2f} s; peak RSS {mib(max(r[2] for r in runs))}",
        )
    )
    rows.extend(_gui_rows(ctx, data_dir, passages))
    return rows


def _gui_rows(ctx: Any, data_dir: Path, passages: int) -> list[Any]:
    import importlib.util

    from common import Row, log, mib, run_child

    if (
        importlib.util.find_spec("desktop_search.ui.app") is None
        or importlib.util.find_spec("PySide6") is None
    ):
        return [
            Row(
                "start",
                "GUI: launch to a window that accepts typing",
                "n/a",
                note="desktop_search.ui.app or PySide6 is not installed",
            )
        ]
    copy = ctx.scratch / "gui-data"  # the window may rescan its folders and writes window.ini
    shutil.copytree(data_dir, copy)
    log(f"cold-starting the window (offscreen) on a copy of the {passages:,}-passage index")
    try:
        marks = run_child(
            "startup.gui_probe",
            str(copy),
            time.time(),
            GUI_QUERY,
            env={"QT_QPA_PLATFORM": "offscreen"},
            timeout=GUI_TIMEOUT + 60,
        ).value
    except RuntimeError as error:
        return [Row("start", "GUI: launch to a window that accepts typing", "failed", note=str(error))]
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    rows = [
        Row(
            "start",
            f"GUI: launch to a window that accepts typing ({passages:,} passages, offscreen)",
            f"{marks['typing']:.2f} s" if "typing" in marks else "not reached",
            note=f"window exposed at {marks['window']:.2f} s" if "window" in marks else "no window seen",
        )
    ]
    if "results" in marks:
        rows.append(
            Row(
                "start",
                f"GUI: launch to first results for '{GUI_QUERY}' typed at once",
                f"{marks['results']:.2f} s",
                note=f"typing done at {marks['typed']:.2f} s; RSS then {mib(marks['rss'])}",
            )
        )
    else:
        rows.append(
            Row("start", "GUI: launch to first results", "not reached", note=f"within {GUI_TIMEOUT:.0f} s")
        )
    return rows
