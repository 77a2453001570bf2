"""The window's search history: the recent searches under the search box, "Save search" (the star
in the box, Ctrl+S) and the saved searches in the folders pane, over the core's History.

What counts as a search worth remembering: the box searches at every pause in typing, so most of
what it asks is a word on its way to the query ("bud", "budget me", "budget meeting"). A query is
remembered when the user shows it was the one they meant: they press Enter on it, open or reveal
one of its results, pick it from the history, or leave it resting on screen with results for
REST_MS (long enough that a pause mid-sentence is overtaken by the next words, short enough that
someone reading the results counts). A query with no results is not remembered unless Enter says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit

from desktop_search.ui import icons
from desktop_search.ui.history_popup import HistoryPopup

if TYPE_CHECKING:
    from desktop_search.core.history import History
    from desktop_search.ui.main_window import MainWindow
    from desktop_search.ui.search_controller import Answer

REST_MS = 3000
SHOWN = 20  # recent searches in the drop-down (the core keeps more)


class SearchHistory(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._history: History | None = None
        bar = window.search_bar
        self.popup = HistoryPopup(bar.box)
        self.save_action = QAction(icons.line_icon("star"), "Save search…", window)
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setToolTip("Save this search; it is listed under the folders (Ctrl+S)")
        self.save_action.setEnabled(False)
        bar.box.addAction(self.save_action, QLineEdit.ActionPosition.TrailingPosition)
        self.save_dialog: QInputDialog | None = None  # while a name is asked
        self._rest = QTimer(self, singleShot=True, interval=REST_MS)
        self.saved_view = window.folders_pane.saved_searches

        bar.box.history_requested.connect(self.show_recent)
        bar.box.textChanged.connect(self._on_box_text_changed)
        bar.box.submitted.connect(self._on_box_submitted)
        window.results.answer_shown.connect(self._on_results_answer_shown)
        for opened in (
            window.results_view.open_requested,
            window.results_view.reveal_requested,
            window.preview.open_requested,
            window.preview.reveal_requested,
        ):
            opened.connect(self._on_result_opened)
        self._rest.timeout.connect(self._on_rest_timeout)
        self.popup.picked.connect(self._on_popup_picked)
        self.popup.clear_requested.connect(self.clear)
        self.save_action.triggered.connect(self.ask_to_save)
        self.saved_view.run_requested.connect(self.run)
        self.saved_view.remove_requested.connect(self.unsave)

    def attach(self, history: History) -> None:
        """The index is open: its history (the caller's own connection, closed by close())."""
        self._history = history
        self.saved_view.set_searches(history.saved())

    def close(self) -> None:
        self._rest.stop()
        if self._history is not None:
            self._history.close()
            self._history = None

    def record(self, query: str) -> None:
        if self._history is not None and query.strip():
            self._history.record(query)

    def show_recent(self) -> None:
        if self._history is not None:
            self.popup.open_with([search.query for search in self._history.recent(SHOWN)])

    def clear(self) -> None:
        if self._history is not None:
            self._history.clear()
            self._window.statusBar().showMessage("Search history cleared", 4000)

    def run(self, query: str) -> None:
        """Search query now, even if it is the one on screen: the index may have changed since."""
        bar = self._window.search_bar
        bar.show_query(query)
        self._window.search.search(bar.text(), bar.filters(), again=True)

    def ask_to_save(self) -> None:
        """Ask a name for the search in the box (its text by default), then save it."""
        query = self._window.search_bar.text()
        if not query or self._history is None:
            return
        dialog = QInputDialog(self._window)
        dialog.setWindowTitle("Save search")
        dialog.setLabelText("Name of the saved search:")
        dialog.setTextValue(query)
        dialog.textValueSelected.connect(lambda name: self.save(name, query))
        dialog.finished.connect(self._on_save_dialog_finished)
        self.save_dialog = dialog
        dialog.open()

    def save(self, name: str, query: str) -> None:
        if self._history is None:
            return
        saved = self._history.save(name.strip() or query, query)
        self.saved_view.set_searches(self._history.saved())
        self._window.statusBar().showMessage(f"Saved “{saved.name}”: it is listed under the folders", 5000)

    def unsave(self, name: str) -> None:
        if self._history is not None:
            self._history.unsave(name)
            self.saved_view.set_searches(self._history.saved())

    def _on_box_text_changed(self, text: str) -> None:
        self._rest.stop()
        self.save_action.setEnabled(bool(text.strip()))

    def _on_box_submitted(self, modifiers: int) -> None:
        self.record(self._window.search_bar.text())

    def _on_result_opened(self, *_: object) -> None:
        self.record(self._window.search.text)

    def _on_results_answer_shown(self, answer: Answer) -> None:
        if answer.hits and answer.text == self._window.search_bar.text():
            self._rest.start()

    def _on_rest_timeout(self) -> None:
        text = self._window.search_bar.text()
        if text and text == self._window.search.text:
            self.record(text)

    def _on_popup_picked(self, query: str) -> None:
        self.record(query)  # asked again: the newest
        self.run(query)
        self._window.search_bar.focus_box()

    def _on_save_dialog_finished(self, *_: object) -> None:
        if self.save_dialog is not None:
            self.save_dialog.deleteLater()
            self.save_dialog = None
