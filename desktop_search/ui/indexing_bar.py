"""The strip that shows what the indexer is doing, with pause and cancel."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop_search.ui import icons
from desktop_search.ui.widgets import ElidedLabel

if TYPE_CHECKING:
    from desktop_search.core.indexer import Progress
    from desktop_search.ui.library import Library


class IndexingBar(QFrame):
    """Shown while the library indexes (see follow())."""

    pause_requested = Signal()
    resume_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.phase = QLabel()
        font = self.phase.font()
        font.setBold(True)
        self.phase.setFont(font)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.bar.setAccessibleName("Indexing progress")
        self.numbers = QLabel()
        self.current = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.current.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.pause_button = QPushButton(icons.line_icon("pause"), "Pause")
        self.pause_button.setToolTip("Pause indexing; what is done stays searchable")
        self.cancel_button = QPushButton(icons.line_icon("stop"), "Stop")
        self.cancel_button.setToolTip("Stop indexing now; it carries on where it stopped at the next start")
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setVerticalSpacing(2)
        layout.addWidget(self.phase, 0, 0)
        layout.addWidget(self.bar, 0, 1)
        layout.addWidget(self.numbers, 0, 2)
        layout.addWidget(self.pause_button, 0, 3, 2, 1)
        layout.addWidget(self.cancel_button, 0, 4, 2, 1)
        layout.addWidget(self.current, 1, 0, 1, 3)
        layout.setColumnStretch(1, 1)
        self.pause_button.clicked.connect(self._on_pause_button_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._paused = False
        self.starting()

    def follow(self, library: Library) -> None:
        """Show the library's runs, and pause, resume or stop them."""
        library.indexing_started.connect(self._on_library_indexing_started)
        library.progressed.connect(self.show_progress)
        library.indexing_finished.connect(self.hide)
        library.paused_changed.connect(self.set_paused)
        self.pause_requested.connect(library.pause)
        self.resume_requested.connect(library.resume)
        self.cancel_requested.connect(library.cancel)
        self._library = library

    def _on_library_indexing_started(self) -> None:
        self.starting()
        self.set_paused(self._library.is_paused())
        self.show()

    def starting(self) -> None:
        self.phase.setText("Starting…")
        self.bar.setRange(0, 0)
        self.numbers.setText("")
        self.current.setText("")

    def show_progress(self, progress: Progress) -> None:
        if progress.phase == "scanning":
            self.phase.setText("Looking for files")
            self.bar.setRange(0, 0)
            self.numbers.setText("")
            self.current.setText(progress.path or "")
            return
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(min(progress.done, progress.total))
        if progress.phase == "reading":
            self.phase.setText("Reading files")
            self.numbers.setText(f"{progress.done:,} of {progress.total:,} files")
            self.current.setText(reading_now(progress))
            return
        if progress.phase == "recognising":
            self.phase.setText("Recognising text")
            reading = min(progress.done + 1, progress.total)  # the page being read now
            numbers = f"page {reading:,} of {progress.total:,}"
            rate = f" · {progress.rate:,.1f} pages/s" if progress.rate else ""
        else:
            self.phase.setText("Understanding passages")
            numbers = f"{progress.done:,} of {progress.total:,} passages"
            rate = f" · {progress.rate:,.0f}/s" if progress.rate else ""
        numbers += rate
        if progress.eta is not None and progress.done < progress.total:
            numbers += f" · {_duration(progress.eta)} left"
        self.numbers.setText(numbers)
        self.current.setText(os.path.basename(progress.path or ""))
        self.current.setToolTip(progress.path or "")

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pause_button.setText("Resume" if paused else "Pause")
        self.pause_button.setIcon(icons.line_icon("play" if paused else "pause"))
        if paused:
            self.phase.setText("Paused")

    def _on_pause_button_clicked(self) -> None:
        (self.resume_requested if self._paused else self.pause_requested).emit()


def reading_now(progress: Progress) -> str:
    """The file being read and, for a big one, how far: "…/octave.pdf: page 340 of 1,158"."""
    path = progress.path or ""
    if progress.inside is None:
        return path
    step, done, total = progress.inside
    where = f"page {done:,} of {total:,}"
    return f"{path}: {where}" if step == "reading" else f"{path}: passages of {where}"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{max(seconds, 1)} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds // 60 % 60:02d} min"
