"""The middle of the window: ranked results, or a message saying why there are none."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from desktop_search.ui import icons
from desktop_search.ui.results_model import HitRole, PassageRole, PathRole, ResultsModel
from desktop_search.ui.results_view import ResultsView
from desktop_search.ui.search_controller import Answer, SearchController
from desktop_search.ui.widgets import MessageView


class ResultsPane(QStackedWidget):
    result_selected = Signal(object, object, str)  # core FileHit, PassageHit, the query
    selection_cleared = Signal()
    answer_shown = Signal(object)  # the Answer now on screen
    add_requested = Signal()  # the empty state's "Add folder…"

    def __init__(self, search: SearchController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = search
        self.model = ResultsModel(self)
        self.view = ResultsView()
        self.view.setModel(self.model)
        self.message = MessageView()
        self.addWidget(self.message)
        self.addWidget(self.view)
        self.files: int | None = None  # in the index, for the messages (None: not known yet)
        self.far: Answer | None = None  # an answer with no close match, held back until asked for
        self.indexing = False
        self.select_next: str | None = None  # the file to select in the next answer, if it is there
        search.results_ready.connect(self._on_search_results_ready)
        search.search_failed.connect(self._on_search_search_failed)
        search.cleared.connect(self._on_search_cleared)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.message.action_clicked.connect(self._on_message_action_clicked)
        self.show_message()

    def current_path(self) -> str | None:
        chosen = self.view.selectionModel().selectedIndexes()
        return chosen[0].data(PathRole) if chosen and self.currentWidget() is self.view else None

    def set_context(self, files: int | None, indexing: bool) -> None:
        """How big the index is and whether it grows: the empty-state messages depend on it."""
        if (files, indexing) != (self.files, self.indexing):
            self.files, self.indexing = files, indexing
            if self.currentWidget() is self.message:
                self.show_message()

    def show_message(self, failure: str = "") -> None:
        query = self.search.text
        like = os.path.basename(self.search.like or "")
        if failure and like:  # "NotComparable: name: why"
            self.message.show_message(f"Cannot find files like {like}", failure.partition(": ")[2] or failure)
        elif failure:
            self.message.show_message("Search failed", failure)
        elif like and self.model.rowCount() == 0:
            self.message.show_message(
                f"No files like {like}",
                "Nothing else in your index is near it in meaning"
                + (" and passes the filters." if self.search.filtered else "."),
                icon=icons.line_icon("similar"),
            )
        elif query and self.far is not None:
            self.message.show_message(
                f"No close matches for “{query}”",
                "Nothing in your files is near these words. Check the spelling, or try other words.",
                icon=icons.line_icon("search"),
                action="Show the nearest files",
                action_icon="search",
            )
        elif query and self.model.rowCount() == 0:
            more = (
                "More files become searchable as indexing goes on."
                if self.indexing
                else ("Try other words, fewer words, or a wider filter.")
            )
            self.message.show_message(f"No results for “{query}”", more)
        elif self.files is None:
            self.message.show_message("Opening your index…")
        elif self.files == 0 and not self.indexing:
            self.message.show_message(
                "Add folders to search",
                "Drop folders or files anywhere on this window.\n"
                "PDF, Word, text and web pages are read, then found by their words and by their meaning.",
                icon=icons.app_icon(),
                action="Add folder…",
            )
        else:
            where = f"{self.files:,} file{'s' if self.files != 1 else ''}" if self.files else "your files"
            self.message.show_message(
                f"Search {where}",
                "Type words or a question above; results come as you type.\n"
                "↑ ↓ move through them, Enter opens, Ctrl+Enter shows the folder, Esc clears.",
                icon=icons.line_icon("search"),
            )
        self.setCurrentWidget(self.message)

    def _on_search_results_ready(self, answer: Answer) -> None:
        far = bool(answer.hits) and not any(hit.close for hit in answer.hits)
        self.far = answer if far else None
        self._show(replace(answer, hits=[]) if far else answer)

    def _on_message_action_clicked(self) -> None:
        if self.far is None:
            self.add_requested.emit()
            return
        answer, self.far = self.far, None
        self._show(answer)

    def _show(self, answer: Answer) -> None:
        previous, self.select_next = self.select_next or self.current_path(), None
        similar = answer.mode == "similar"  # titled "Files like NAME": no words to mark
        self.model.title = answer.text if similar else ""
        self.model.set_hits("" if similar else answer.text, answer.hits)
        self.view.setHeaderHidden(not similar)
        if not answer.hits:
            self.show_message()
            self.selection_cleared.emit()
        else:
            self.setCurrentWidget(self.view)
            paths = [hit.path for hit in answer.hits]
            self.view.select_row(paths.index(previous) if previous in paths else 0)
            self.view.scrollTo(self.view.currentIndex())
        self.answer_shown.emit(answer)

    def _on_search_search_failed(self, message: str) -> None:
        self.far = None
        self.model.clear()
        self.show_message(message)
        self.selection_cleared.emit()

    def _on_search_cleared(self) -> None:
        self.view.setHeaderHidden(True)
        self.far = None
        self.model.clear()
        self.show_message()
        self.selection_cleared.emit()

    def _on_view_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        chosen = self.view.selectionModel().selectedIndexes()
        if not chosen:
            return
        index = chosen[0]
        self.result_selected.emit(index.data(HitRole), index.data(PassageRole), self.model.query)
