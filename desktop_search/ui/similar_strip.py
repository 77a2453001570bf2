"""The "Similar files" strip under the preview: a few files like the previewed one.

It must never cost the results list anything, so it is filled late and elsewhere: only once the
selection has rested for REST_MS (arrowing through results asks nothing), on a worker thread of
its own with a Similar on its own catalog connection. What it found is kept for the last few
files, so going back to one is instant; forget() drops that when the index changes.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QEnterEvent, QFocusEvent, QKeyEvent, QMouseEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop_search.ui import icons
from desktop_search.ui.widgets import ElidedLabel

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

    from desktop_search.core.search import FileHit
    from desktop_search.core.similar import Similar
    from desktop_search.ui.workers import LatestWorker

REST_MS = 300  # the selection rests this long before the strip asks
SHOWN = 5
REMEMBERED = 64  # files whose likes are kept


def find_likes(similar: Similar, path: str) -> tuple[str, list[FileHit]]:
    """On the strip's worker: the files like path (the path comes back to tell answers apart)."""
    return path, similar.similar(path, SHOWN)


class SimilarStrip(QWidget):
    chosen = Signal(str, str)  # the previewed file, the similar file clicked
    more_requested = Signal(str)  # the previewed file: list all its likes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker: LatestWorker | None = None
        self._similar: Similar | None = None
        self._ticket = -1
        self._known: OrderedDict[str, list[FileHit]] = OrderedDict()
        self.path: str | None = None  # the file whose likes are (to be) shown
        self.hits: list[FileHit] = []  # shown, for self.path
        self.working = False  # True from a selection until its likes (or none) are on the strip

        self._rest = QTimer(self, singleShot=True, interval=REST_MS)
        self._rest.timeout.connect(self._on_rest_timeout)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setForegroundRole(QPalette.ColorRole.Mid)
        self._caption = QLabel("Similar files")
        font = self._caption.font()
        font.setBold(True)
        self._caption.setFont(font)
        self.status = QLabel()
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.more = QToolButton(autoRaise=True)
        self.more.setText("More like this")
        self.more.setIcon(icons.line_icon("similar"))
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more.setToolTip("List all the files like this one (Ctrl+Shift+S)")
        self.more.clicked.connect(self._on_more_clicked)
        top = QHBoxLayout()
        top.setContentsMargins(8, 0, 4, 0)
        top.addWidget(self._caption)
        top.addWidget(self.status, 1)
        top.addWidget(self.more)
        self._rows = QVBoxLayout()
        self._rows.setContentsMargins(4, 0, 4, 0)
        self._rows.setSpacing(0)
        self.entries: list[StripEntry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(2)
        layout.addWidget(line)
        layout.addLayout(top)
        layout.addLayout(self._rows)
        self.hide()

    def attach(self, worker: LatestWorker, similar: Similar) -> None:
        """worker: the strip's own; similar: with a catalog connection for that worker's thread."""
        self._worker = worker
        self._similar = similar
        worker.job_finished.connect(self._on_worker_job_finished)
        worker.job_failed.connect(self._on_worker_job_failed)

    def close_similar(self) -> None:
        """After the worker stopped: close the Similar's own catalog connection."""
        if self._similar is not None:
            self._similar.catalog.close()
            self._similar = None

    def show_for(self, path: str) -> None:
        """The file now previewed: its likes at once if known, else after the selection rests."""
        if self._similar is None or self._worker is None:
            return
        if path == self.path and (self.hits or self.working):
            return  # the same file again (the list was refreshed): nothing new to ask
        self.path = path
        self._worker.discard()
        self.show()
        if path in self._known:
            self._rest.stop()
            self._known.move_to_end(path)
            self._fill(self._known[path])
            return
        self.working = True
        for entry in self.entries:
            entry.setEnabled(False)  # the last file's, until these come: no jump in the layout
        self.status.setText("Finding similar files…")
        self.status.setToolTip("")
        self._rest.start()

    def clear(self) -> None:
        self._rest.stop()
        if self._worker is not None:
            self._worker.discard()
        self.path = None
        self.hits = []
        self.working = False
        self._set_entries([])
        self.hide()

    def forget(self) -> None:
        """The index changed: what was found is asked again at the next selection (the likes on
        screen stay: while indexing runs, the index changes every few seconds)."""
        self._known.clear()

    def _on_rest_timeout(self) -> None:
        if self.path is not None and self._worker is not None and self._similar is not None:
            self._ticket = self._worker.submit(find_likes, self._similar, self.path)

    def _on_worker_job_finished(self, ticket: int, answer: tuple[str, list[FileHit]] | None) -> None:
        if answer is None:  # the worker's set-up (lower_this_thread)
            return
        path, hits = answer
        self._known[path] = hits
        while len(self._known) > REMEMBERED:
            self._known.popitem(last=False)
        if ticket == self._ticket and path == self.path:
            self._fill(hits)

    def _on_worker_job_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket and self._worker is not None and self._worker.is_latest(ticket):
            self.hits = []
            self.working = False
            self._set_entries([])
            self.status.setText("No similar files")
            self.status.setToolTip(message.partition(": ")[2])  # "NotComparable: name: why"

    def _fill(self, hits: list[FileHit]) -> None:
        self.hits = hits
        self.working = False
        self._set_entries(hits)
        self.status.setText("" if hits else "No similar files")
        self.status.setToolTip("")

    def _set_entries(self, hits: list[FileHit]) -> None:
        for entry in self.entries:
            entry.deleteLater()
        self.entries = [StripEntry(hit) for hit in hits]
        for entry in self.entries:
            entry.clicked.connect(self._on_entry_clicked)
            self._rows.addWidget(entry)
        self.more.setEnabled(bool(hits))

    def _on_entry_clicked(self, path: str) -> None:
        if self.path is not None:
            self.chosen.emit(self.path, path)

    def _on_more_clicked(self) -> None:
        if self.path is not None:
            self.more_requested.emit(self.path)


class StripEntry(QWidget):
    """One similar file: its kind's icon and name (the folder in the tooltip); a click shows it."""

    clicked = Signal(str)

    def __init__(self, hit: FileHit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = hit.path
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; Enter or Space picks it
        self.setAutoFillBackground(False)
        self.setBackgroundRole(QPalette.ColorRole.Midlight)
        self.setToolTip(f"{hit.path}\nClick to list the files like this one, with it selected")
        self.setAccessibleName(os.path.basename(hit.path))
        icon = QLabel()
        icon.setPixmap(icons.kind_icon(hit.kind).pixmap(16, 16))
        self.name = ElidedLabel(os.path.basename(hit.path))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        folder = ElidedLabel(os.path.basename(os.path.dirname(hit.path)))
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        folder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        folder.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(6)
        layout.addWidget(icon)
        layout.addWidget(self.name, 3)
        layout.addWidget(folder, 1)

    def enterEvent(self, event: QEnterEvent) -> None:
        self.setAutoFillBackground(True)  # the row under the pointer, as in a list
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.setAutoFillBackground(self.hasFocus())
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setAutoFillBackground(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setAutoFillBackground(False)
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.path)
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.path)
        super().mouseReleaseEvent(event)
