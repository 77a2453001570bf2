"""Opening results: open a file, show its folder, copy its path, saying in the status bar what
could not be done. Enter pressed before the query's answer came opens its first result when it
comes (as Spotlight and Everything do), instead of the stale one on screen."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar

from desktop_search.ui import desktop
from desktop_search.ui.results_pane import ResultsPane
from desktop_search.ui.search_controller import Answer, SearchController


class ResultLauncher(QObject):
    def __init__(
        self,
        results: ResultsPane,
        search: SearchController,
        status: QStatusBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._results = results
        self._search = search
        self._status = status
        self._pending: bool | None = None  # a launch waiting for the answer: reveal (True) or open
        results.answer_shown.connect(self._on_results_answer_shown)
        search.search_failed.connect(self.cancel)
        search.cleared.connect(self.cancel)

    def launch(self, *, reveal: bool = False) -> None:
        """Open (reveal: show the folder of) the selected result; while the current query's
        answer is on its way, its first result as soon as it comes."""
        if self._search.waiting:
            self._pending = reveal
        elif reveal:
            self.reveal_current()
        else:
            self.open_current()

    def cancel(self) -> None:
        """Forget a launch still waiting for its answer (the query changed, say)."""
        self._pending = None

    def open_current(self) -> None:
        self.open_path(self._results.current_path())

    def reveal_current(self) -> None:
        self.reveal_path(self._results.current_path())

    def copy_current(self) -> None:
        self.copy_path(self._results.current_path())

    def open_path(self, path: str | None) -> None:
        if path and not desktop.open_path(path):
            self._status.showMessage(f"No application could open {os.path.basename(path)}", 8000)

    def reveal_path(self, path: str | None) -> None:
        if path and not desktop.reveal_path(path):
            self._status.showMessage(f"Could not show the folder of {os.path.basename(path)}", 8000)

    def copy_path(self, path: str | None) -> None:
        if path:
            desktop.copy_path(path)
            self._status.showMessage(f"Copied {path}", 4000)

    def _on_results_answer_shown(self, answer: Answer) -> None:
        if self._pending is None or self._search.waiting:
            return  # nothing asked, or a newer query's answer is still to come
        reveal, self._pending = self._pending, None
        if answer.hits:
            self._results.view.select_row(0)  # the pane may have kept an earlier choice selected
            self.launch(reveal=reveal)
