"""The window: search bar on top, folders | results | preview, the indexing strip, a status bar.

It is built before the index is open (so it is on screen at once) and gets the services with
attach(); what is typed or dropped meanwhile is kept and acted on then. Where the parts sit is
window_layout.py, the commands and shortcuts window_actions.py, opening results
result_launcher.py, the saved size and pane widths window_state.py; this module wires them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from desktop_search.core.library_status import CatalogStats
from desktop_search.ui import icons
from desktop_search.ui.box_drop import BoxDropTarget
from desktop_search.ui.drop_overlay import DropOverlay
from desktop_search.ui.failures_dialog import FailuresDialog
from desktop_search.ui.folders_pane import FoldersPane
from desktop_search.ui.indexing_bar import IndexingBar
from desktop_search.ui.library import Library
from desktop_search.ui.preview_pane import PreviewPane
from desktop_search.ui.result_launcher import ResultLauncher
from desktop_search.ui.results_pane import ResultsPane
from desktop_search.ui.search_bar import SearchBar
from desktop_search.ui.search_controller import SearchController
from desktop_search.ui.search_history import SearchHistory
from desktop_search.ui.window_actions import build_actions
from desktop_search.ui.window_layout import PaneSplitter, stack, status_labels
from desktop_search.ui.window_state import WindowState
from desktop_search.ui.workers import IndexWorker, LatestWorker
from desktop_search.ui.workers.latest_worker import lower_this_thread

if TYPE_CHECKING:
    from desktop_search.core.indexer import Summary
    from desktop_search.services import Services


class MainWindow(QMainWindow):
    def __init__(
        self, directory: Path, services: Services | None = None, parent: QWidget | None = None
    ) -> None:
        """directory: where the index lives; services: the opened index (or later, via attach)."""
        super().__init__(parent)
        self.directory = Path(directory)
        self.services: Services | None = None
        self.setWindowTitle("Desktop Search")
        self.setWindowIcon(icons.app_icon())
        self._closed = False
        self.search_worker = LatestWorker("search", self)
        self.preview_worker = LatestWorker("preview", self)
        self.model_worker = LatestWorker("model", self)
        self.similar_worker = LatestWorker("similar", self)  # the preview's strip: never behind a search
        self.search = SearchController(self.search_worker, self)
        self.library = Library(self)
        self.search_bar = SearchBar()
        self.folders_pane = FoldersPane(self.library.folders)
        self.results = ResultsPane(self.search)
        self.results_view = self.results.view
        self.preview = PreviewPane(self.preview_worker)
        self.indexing_bar = IndexingBar()
        self.indexing_bar.hide()
        self.failures_dialog: FailuresDialog | None = None
        self.splitter = PaneSplitter(self.folders_pane, self.results, self.preview)
        central = stack(self.search_bar, self.splitter, self.indexing_bar)
        self.setCentralWidget(central)
        self.drop_overlay = DropOverlay(central, self)
        self.box_drop = BoxDropTarget(self.search_bar.box)
        self.counts_label, self.location_label = status_labels(self.statusBar(), self.directory)
        self.launcher = ResultLauncher(self.results, self.search, self.statusBar(), self)
        self.commands = build_actions(self)
        self._connect()
        self.history = SearchHistory(self)
        self._on_results_current_changed(self.results.currentIndex())
        self.state = WindowState(self.directory)
        self._sized = self.state.restore(self, self.splitter, self.commands.sidebar, self.folders_pane)
        if services is not None:
            self.attach(services)

    @property
    def index_worker(self) -> IndexWorker | None:
        return self.library.index_worker

    def attach(self, services: Services) -> None:
        """The index is open: searches and indexing can start."""
        self.services = services
        self.library.attach(services)
        self.preview.attach(services.preview_reader)
        self.search.set_searcher(services.searcher(own_connection=True))
        self.history.attach(services.history(own_connection=True))
        self.search.set_similar(services.similar(own_connection=True))
        self.preview.strip.attach(self.similar_worker, services.similar(own_connection=True))
        if services.store.warnings:  # e.g. the vector index was rebuilt, or the model changed
            self.statusBar().showMessage("Note: " + "; ".join(services.store.warnings), 30_000)
        else:
            self.statusBar().clearMessage()

    def start(self) -> None:
        """After attach: load the query model in the background; focus the search box."""
        assert self.services is not None, "start() comes after attach()"
        self.model_worker.submit(self.services.warm_up)
        self.similar_worker.submit(lower_this_thread)  # the strip yields the CPU to the window
        icons.warm_up()
        self.search_bar.focus_box()

    def _connect(self) -> None:
        bar, view, library, launcher = self.search_bar, self.results_view, self.library, self.launcher
        bar.query_changed.connect(self._on_search_bar_query_changed)
        bar.filters_changed.connect(self._on_search_bar_query_changed)
        bar.sort_changed.connect(self._on_search_bar_sort_changed)
        bar.box.textEdited.connect(launcher.cancel)  # Enter meant what was typed then
        bar.box.navigation_requested.connect(self._on_box_navigation_requested)
        bar.box.submitted.connect(self._on_box_submitted)
        self.results.result_selected.connect(self.preview.show_result)
        self.results.selection_cleared.connect(self.preview.clear)
        view.open_requested.connect(launcher.open_current)
        view.reveal_requested.connect(launcher.reveal_current)
        view.left_at_top.connect(bar.focus_box)
        view.escape_pressed.connect(self._on_results_view_escape_pressed)
        self.preview.open_requested.connect(launcher.open_path)
        self.preview.reveal_requested.connect(launcher.reveal_path)
        self.preview.copy_requested.connect(launcher.copy_path)
        self.preview.similar_requested.connect(self.show_similar)
        self.preview.strip.more_requested.connect(self.show_similar)
        self.preview.strip.chosen.connect(self._on_strip_chosen)
        self.box_drop.file_dropped.connect(self.show_similar)
        bar.box.escape_pressed.connect(bar.end_like)
        self.drop_overlay.paths_dropped.connect(self.add_paths)
        self.folders_pane.add_requested.connect(self.choose_folder)
        self.results.add_requested.connect(self.choose_folder)
        self.results.currentChanged.connect(self._on_results_current_changed)
        self.folders_pane.remove_requested.connect(self.remove_folder)
        self.folders_pane.rescan_requested.connect(library.rescan)
        self.folders_pane.problems_requested.connect(self.show_failures)
        library.stats_changed.connect(self._on_library_stats_changed)
        library.indexing_started.connect(self._on_library_indexing_started)
        library.indexing_finished.connect(self._on_library_indexing_finished)
        library.indexing_failed.connect(self._on_library_indexing_failed)
        library.catalog_changed.connect(self.search.refresh)
        library.catalog_changed.connect(self.preview.strip.forget)
        self.indexing_bar.follow(library)
        self.model_worker.job_finished.connect(self._on_model_worker_job_finished)

    # folders

    def add_paths(self, paths: Sequence[str]) -> list[str]:
        """Index these folders and files; returns the ones taken (why not the others: status bar)."""
        taken, refused = self.library.add(paths)
        if refused:
            self.statusBar().showMessage("Not added: " + "; ".join(refused), 8000)
        elif taken:
            self.statusBar().showMessage(
                f"Adding {', '.join(os.path.basename(p) or p for p in taken)}…", 5000
            )
        return taken

    def choose_folder(self) -> None:
        if folder := QFileDialog.getExistingDirectory(
            self, "Add a folder to the index", os.path.expanduser("~")
        ):
            self.add_paths([folder])

    def remove_folder(self, folder: str) -> None:
        if self.confirm_remove(folder):
            self.library.remove(folder)

    def confirm_remove(self, folder: str) -> bool:
        return (
            QMessageBox.question(
                self,
                "Remove folder",
                f"Remove “{os.path.basename(folder) or folder}” from the index?\n\n"
                "Its files stay where they are; they are no longer searched.",
            )
            == QMessageBox.StandardButton.Yes
        )

    def find_similar(self) -> None:
        """The files like the chosen result, in the results list."""
        path = self.results.current_path()
        if path:
            self.show_similar(path)

    def show_similar(self, path: str) -> None:
        """The files like the one at path (indexed or not) in the results list, titled "Files like
        NAME"; the box empties and says so, and the filters apply."""
        if self.services is None:
            return
        self.search_bar.show_like(os.path.basename(path))
        self.search.find_similar(path, self.search_bar.filters())

    def _on_strip_chosen(self, source: str, chosen: str) -> None:
        """A file in the strip: the files like the previewed one, with the clicked one selected,
        so it is previewed (and its own likes fill the strip) without leaving the window."""
        self.results.select_next = chosen
        self.show_similar(source)

    def show_failures(self) -> None:
        if self.failures_dialog is None:
            self.failures_dialog = FailuresDialog(self.library.failures, self)
            self.failures_dialog.retry_requested.connect(self._on_failures_dialog_retry_requested)
            self.failures_dialog.open_requested.connect(self.launcher.open_path)
        self.failures_dialog.show()
        self.failures_dialog.raise_()
        self.failures_dialog.activateWindow()

    def handle_message(self, message: dict[str, object]) -> None:
        """From a second launch: come forward, and index the folders it was given."""
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()
        folders = message.get("folders")
        self.add_paths([p for p in folders if isinstance(p, str)] if isinstance(folders, list) else [])

    # results

    def _on_search_bar_query_changed(self, *_: object) -> None:
        if self.search_bar.like and self.search.like and not self.search_bar.text():
            self.search.find_similar(self.search.like, self.search_bar.filters())  # a filter changed
            return
        self.search.search(self.search_bar.text(), self.search_bar.filters())

    def _on_search_bar_sort_changed(self) -> None:
        self.search.sort = self.search_bar.sort()
        self.search.refresh()

    def _on_results_current_changed(self, index: int) -> None:
        self.preview.setVisible(self.results.currentWidget() is self.results_view)  # no results: no preview

    def _on_box_navigation_requested(self, key: int) -> None:
        if self.results.currentWidget() is self.results_view:
            self.results_view.step(key)

    def _on_box_submitted(self, modifiers: int) -> None:
        self.search_bar.flush()  # Enter means "search now" too: no waiting for a pause in typing
        self.launcher.launch(reveal=bool(modifiers & Qt.KeyboardModifier.ControlModifier.value))

    def _on_results_view_escape_pressed(self) -> None:
        self.search_bar.end_like()
        self.search_bar.box.clear()
        self.search_bar.focus_box()

    # indexing

    def _on_library_stats_changed(self, stats: CatalogStats) -> None:
        self.folders_pane.set_problem_count(len(stats.failures))
        self.search_bar.set_folders([folder.path for folder in stats.folders])
        self.results.set_context(stats.files, self.library.is_busy())
        self.counts_label.setText(stats.describe())
        if self.library.is_busy() and self.search.text and self.results.model.rowCount() == 0:
            self.search.refresh()  # nothing found yet, but the index grows: ask again

    def _on_library_indexing_started(self) -> None:
        self.results.set_context(self.library.stats.files, True)

    def _on_library_indexing_finished(self, summary: Summary | None) -> None:
        self.results.set_context(self.library.stats.files, False)
        self.search.refresh()
        if summary is not None and summary.warnings:
            self.statusBar().showMessage("Note: " + "; ".join(summary.warnings), 30_000)
        elif summary is not None and (summary.indexed or summary.removed or summary.failed):
            failed = sum(summary.failed.values())
            self.statusBar().showMessage(
                f"Indexed {summary.indexed:,} files in {summary.seconds:.0f} s"
                + (f"; {failed:,} could not be read" if failed else ""),
                10000,
            )

    def _on_library_indexing_failed(self, message: str) -> None:
        QMessageBox.warning(
            self,
            "Indexing stopped",
            f"Indexing stopped on an error:\n\n{message}\n\n"
            "What was indexed stays searchable; indexing carries on at the next start.",
        )

    def _on_failures_dialog_retry_requested(self, paths: list[str]) -> None:
        self.library.retry(paths)
        self.statusBar().showMessage(
            f"Reading {len(paths):,} file{'s' if len(paths) != 1 else ''} again…", 5000
        )

    def _on_model_worker_job_finished(self, ticket: int, result: object) -> None:
        self.search.set_semantic_ready()
        # Everything start-up loads (Qt, ONNX Runtime, the index's modules) lives until exit: keep
        # it out of every later full collection, which would scan it all while holding the GIL
        # (the README has the pauses measured).
        gc.collect()
        gc.freeze()

    # window state

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the first run: nothing saved to restore
            self._sized = True
            self.splitter.share_width()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.save(self, self.splitter, self.commands.sidebar)
        self.hide()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop every worker (the indexer at its next event) and close this window's connections."""
        if self._closed:
            return
        self._closed = True
        if self.failures_dialog is not None:
            self.failures_dialog.close()
        self.library.close()
        for worker in (self.search_worker, self.preview_worker, self.model_worker, self.similar_worker):
            worker.stop()
        self.search.close()
        self.preview.strip.close_similar()
        self.history.close()
