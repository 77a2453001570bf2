"""Fixtures for the window's tests: offscreen Qt, small real folders copied from the shared corpus,
a data directory per test, and a window built on a real store."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import desktop_search  # noqa: F401  (ONNX Runtime's environment, before it is imported)
from desktop_search.ui.compat import keep_singletons_alive
from tests.helpers import corpus_dir

keep_singletons_alive()  # as run_gui does: long test runs paint a lot (see desktop_search/ui/compat.py)

# A few small files (about 25 passages, seconds to embed) with known contents.
DOCS = {
    "pdf/good/pdfjs__file_pdfjs_test.pdf": "mozilla-testing.pdf",  # 5 pages; reftests on page 2
    "text/rust-book/ch15-03-drop.md": "drop.md",
    "text/rust-book/ch16-00-concurrency.md": "concurrency.md",
    "docx/good/poi__heading123.docx": "headings.docx",
}
MORE_DOCS = {  # a second folder, on some of the same subjects
    "text/rust-book/ch16-01-threads.md": "threads.md",
    "text/rust-book/ch15-01-box.md": "box.md",
}
PROBLEMS = {
    "pdf/encrypted/pdfjs__bug1782186.pdf": "locked.pdf",  # needs a password
    "pdf/broken/derived_zero_bytes.pdf": "empty.pdf",
    "docx/encrypted/poi__protected_agile.docx": "locked.docx",
    "pdf/notext/pdfjs__issue19424.pdf": "drawing.pdf",  # no text layer
}


def pytest_configure(config: pytest.Config) -> None:
    # The offscreen platform says these when a window's size limits change or a window is raised;
    # they are limits of that platform, not bugs of ours.
    config.addinivalue_line("qt_log_ignore", "This plugin does not support propagateSizeHints")
    config.addinivalue_line("qt_log_ignore", r"This plugin does not support raise\(\)")


def copy_corpus(files: dict[str, str], target: Path) -> Path:
    """Copy corpus files into target (the corpus is read-only and shared; tests own their copy)."""
    target.mkdir(parents=True, exist_ok=True)
    for source, name in files.items():
        shutil.copy(corpus_dir() / source, target / name)
    return target


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    return copy_corpus(DOCS, tmp_path / "docs")


@pytest.fixture
def more_docs(tmp_path: Path) -> Path:
    return copy_corpus(MORE_DOCS, tmp_path / "more")


@pytest.fixture
def problems(tmp_path: Path) -> Path:
    return copy_corpus(PROBLEMS, tmp_path / "problems")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path) -> Iterator[object]:
    from desktop_search.services import Services

    opened = Services.open(str(data_dir), isolated=True)  # as the app opens it
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, services) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from desktop_search.ui.app import share_the_interpreter
    from desktop_search.ui.main_window import MainWindow

    share_the_interpreter()  # as run_gui does
    built = MainWindow(services.store.directory, services)
    built.resize(1200, 760)
    built.show()
    qtbot.waitExposed(built)
    with qtbot.waitSignal(built.model_worker.job_finished, timeout=60_000):  # searches are hybrid from here
        built.start()
    yield built
    built.close()  # stops the workers before the services close


@pytest.fixture
def opened_urls() -> Iterator[list[str]]:
    """The URLs the app asks the desktop to open, taken by Qt's own hook for a URL scheme
    (QDesktopServices.setUrlHandler): the request is seen, nothing is launched."""
    from PySide6.QtCore import QObject, QUrl, Slot
    from PySide6.QtGui import QDesktopServices

    class Recorder(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.urls: list[str] = []

        @Slot(QUrl)
        def take(self, url: QUrl) -> None:
            self.urls.append(url.toString())

    recorder = Recorder()
    QDesktopServices.setUrlHandler("file", recorder, "take")
    yield recorder.urls
    QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def drop():  # type: ignore[no-untyped-def]
    """drop(widget, paths): drag local paths over widget and drop them, as a file manager would."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    def do_drop(widget, paths) -> bool:  # type: ignore[no-untyped-def]
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
        centre = widget.rect().center()
        enter = QDragEnterEvent(
            QPointF(centre),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, enter)
        if not enter.isAccepted():
            return False
        dropped = QDropEvent(
            QPointF(centre),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, dropped)
        return dropped.isAccepted()

    return do_drop


@pytest.fixture
def index_by_drop(qtbot, window, drop):  # type: ignore[no-untyped-def]
    """Drop paths on the window's results area and wait for the indexer to finish; the Summary."""

    def run(*paths, timeout: int = 180_000):  # type: ignore[no-untyped-def]
        with qtbot.waitSignal(window.library.indexing_finished, timeout=timeout) as finished:
            assert drop(window.results, paths)
        qtbot.waitUntil(window.library.is_settled)
        return finished.args[0]

    return run


@pytest.fixture
def search(qtbot, window):  # type: ignore[no-untyped-def]
    """search(text): type text in the search box like a person and wait for its results."""

    def run(text: str, timeout: int = 15_000):  # type: ignore[no-untyped-def]
        box = window.search_bar.box
        box.setFocus()
        box.clear()
        with qtbot.waitSignal(
            window.results.answer_shown,
            timeout=timeout,
            check_params_cb=lambda answer: answer.text == text.strip(),
        ):
            qtbot.keyClicks(box, text)
        return window.results.model

    return run
