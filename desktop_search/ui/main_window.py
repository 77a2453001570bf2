"""The window: search bar on top, folders | results | preview, the indexing strip, a status bar.

It is built before the index is open (so it is on screen at once) and gets the services with
attach(); what is typed or dropped meanwhile is kept and acted on then.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from desktop_search.ui import desktop, icons
from desktop_search.ui.catalog_stats import CatalogStats
from desktop_search.ui.drop_overlay import DropOverlay
from desktop_search.ui.failures_dialog import FailuresDialog
from desktop_search.ui.folders_pane import FoldersPane
from desktop_search.ui.indexing_bar import IndexingBar
from desktop_search.ui.library import Library
from desktop_search.ui.preview_pane import PreviewPane
from desktop_search.ui.results_pane import ResultsPane
from desktop_search.ui.search_bar import SearchBar
from desktop_search.ui.search_controller import SearchController
from desktop_search.ui.widgets import ElidedLabel
from desktop_search.ui.workers import LatestWorker

if TYPE_CHECKING:
    from desktop_search.core.indexer import Summary


class MainWindow(QMainWindow):
    def __init__(self, directory: Path, services: Any = None, parent: QWidget | None = None) -> None:
        """directory: where the index lives; services: the opened index (or later, via attach)."""
        super().__init__(parent)
        self.directory = Path(directory)
        self.services: Any = None
        self.setWindowTitle("Desktop Search")
        self.setWindowIcon(icons.app_icon())
        self.settings = QSettings(str(self.directory / "window.ini"), QSettings.Format.IniFormat)
        self._closed = False
        self.search_worker = LatestWorker("search", self)
        self.preview_worker = LatestWorker("preview", self)
        self.model_worker = LatestWorker("model", self)
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
        self._build_layout()
        self._build_actions()
        self._connect()
        self._on_results_current_changed(self.results.currentIndex())
        self._restore_state()
        if services is not None:
            self.attach(services)

    @property
    def index_worker(self) -> Any:
        return self.library.index_worker

    def attach(self, services: Any) -> None:
        """The index is open: searches and indexing can start."""
        self.services = services
        self.library.attach(services)
        self.search.set_searcher(services.searcher(new_connection=True))
        warnings = list(getattr(services.store, "warnings", []))
        if warnings:  # e.g. the vector index was rebuilt, or the model changed
            self.statusBar().showMessage("Note: " + "; ".join(warnings), 30_000)
        else:
            self.statusBar().clearMessage()

    def start(self) -> None:
        """After attach: load the query model in the background; focus the search box."""
        self.model_worker.submit(self.services.query_embedder.load)
        icons.warm_up()
        self.search_bar.focus_box()

    # composition

    def _build_layout(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget, minimum, stretch in (
            (self.folders_pane, 150, 0),
            (self.results, 260, 3),
            (self.preview, 220, 4),
        ):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
            widget.setMinimumWidth(minimum)
        self.splitter.setSizes([220, 460, 600])
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.indexing_bar)
        self.setCentralWidget(central)
        self.drop_overlay = DropOverlay(central, self)
        self.counts_label = QLabel("Opening the index…")
        self.location_label = ElidedLabel(f"Index: {self.directory}", Qt.TextElideMode.ElideMiddle)
        self.location_label.setToolTip(str(self.directory))
        self.location_label.setMinimumWidth(120)
        self.statusBar().addWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.location_label, 1)

    def _build_actions(self) -> None:
        def action(text: str, keys: Sequence[Any], slot: Callable[[], Any]) -> QAction:
            item = QAction(text, self)
            item.setShortcuts([QKeySequence(k) for k in keys])
            item.triggered.connect(slot)
            self.addAction(item)
            return item

        self.open_action = action("Open", [], self.open_current)
        self.open_action.setShortcuts([QKeySequence("Return")])
        self.open_action.setShortcutContext(
            Qt.ShortcutContext.WidgetShortcut
        )  # shown in the menu; the view acts
        self.reveal_action = action("Show in folder", ["Ctrl+Return"], self.reveal_current)
        self.reveal_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action = action("Copy path", ["Ctrl+Shift+C"], self.copy_current)
        for item in (self.open_action, self.reveal_action, self.copy_action):
            self.results_view.addAction(item)
        action("Search", ["Ctrl+L", QKeySequence.StandardKey.Find], self.search_bar.focus_box)
        action("Add folder…", [QKeySequence.StandardKey.Open], self.choose_folder)
        action("Files not indexed", ["Ctrl+Shift+P"], self.show_failures)
        action("Quit", [QKeySequence.StandardKey.Quit], self.close)
        self.sidebar_action = action("Show folders", ["Ctrl+B"], self._on_sidebar_action_triggered)
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setIcon(icons.line_icon("sidebar"))
        self.sidebar_action.setToolTip("Show or hide the folders (Ctrl+B)")
        self.search_bar.sidebar_button.setDefaultAction(self.sidebar_action)

    def _connect(self) -> None:
        bar, view, library = self.search_bar, self.results_view, self.library
        bar.query_changed.connect(self._on_search_bar_query_changed)
        bar.filters_changed.connect(self._on_search_bar_query_changed)
        bar.box.navigation_requested.connect(self._on_box_navigation_requested)
        bar.box.submitted.connect(self._on_box_submitted)
        self.results.result_selected.connect(self.preview.show_result)
        self.results.selection_cleared.connect(self.preview.clear)
        view.open_requested.connect(self.open_current)
        view.reveal_requested.connect(self.reveal_current)
        view.left_at_top.connect(bar.focus_box)
        view.escape_pressed.connect(self._on_results_view_escape_pressed)
        self.preview.open_requested.connect(self._open_path)
        self.preview.reveal_requested.connect(self._reveal_path)
        self.preview.copy_requested.connect(self._copy_path)
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

    def show_failures(self) -> None:
        if self.failures_dialog is None:
            self.failures_dialog = FailuresDialog(self.library.failures, self)
            self.failures_dialog.retry_requested.connect(self._on_failures_dialog_retry_requested)
            self.failures_dialog.open_requested.connect(self._open_path)
        self.failures_dialog.show()
        self.failures_dialog.raise_()
        self.failures_dialog.activateWindow()

    def handle_message(self, message: dict) -> None:
        """From a second launch: come forward, and index the folders it was given."""
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()
        self.add_paths([p for p in message.get("folders", []) if isinstance(p, str)])

    # results

    def current_path(self) -> str | None:
        return self.results.current_path()

    def open_current(self) -> None:
        self._open_path(self.current_path())

    def reveal_current(self) -> None:
        self._reveal_path(self.current_path())

    def copy_current(self) -> None:
        self._copy_path(self.current_path())

    def _open_path(self, path: str | None) -> None:
        if path and not desktop.open_path(path):
            self.statusBar().showMessage(f"No application could open {os.path.basename(path)}", 8000)

    def _reveal_path(self, path: str | None) -> None:
        if path and not desktop.reveal_path(path):
            self.statusBar().showMessage(f"Could not show the folder of {os.path.basename(path)}", 8000)

    def _copy_path(self, path: str | None) -> None:
        if path:
            desktop.copy_path(path)
            self.statusBar().showMessage(f"Copied {path}", 4000)

    def _on_search_bar_query_changed(self, *_: object) -> None:
        self.search.search(self.search_bar.text(), self.search_bar.filters())

    def _on_sidebar_action_triggered(self) -> None:
        self.folders_pane.setVisible(self.sidebar_action.isChecked())

    def _on_results_current_changed(self, index: int) -> None:
        self.preview.setVisible(self.results.currentWidget() is self.results_view)  # no results: no preview

    def _on_box_navigation_requested(self, key: int) -> None:
        if self.results.currentWidget() is self.results_view:
            self.results_view.step(key)

    def _on_box_submitted(self, modifiers: int) -> None:
        if self.search_bar.flush():
            return  # the query was still waiting for a pause in typing: Enter means "search now"
        if modifiers & Qt.KeyboardModifier.ControlModifier.value:
            self.reveal_current()
        else:
            self.open_current()

    def _on_results_view_escape_pressed(self) -> None:
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
        if summary is not None and (summary.indexed or summary.removed or summary.failed):
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

    def _on_failures_dialog_retry_requested(self, paths: list) -> None:
        self.library.retry(paths)
        self.statusBar().showMessage(
            f"Reading {len(paths):,} file{'s' if len(paths) != 1 else ''} again…", 5000
        )

    def _on_model_worker_job_finished(self, ticket: int, result: object) -> None:
        self.search.set_semantic_ready()
        # Everything start-up loads (Qt, ONNX Runtime, the index's modules) lives until exit: keep
        # it out of every later full collection, which would scan it all while holding the GIL
        # (measured in the test suite's process, ~600k objects: 45-340 ms pauses of every thread).
        gc.collect()
        gc.freeze()

    # window state

    def _restore_state(self) -> None:
        geometry, splitter, folders_shown = (
            self.settings.value("geometry"),
            self.settings.value("splitter"),
            self.settings.value("folders_shown", "true"),
        )
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        self.sidebar_action.setChecked(folders_shown not in ("false", False))
        self.folders_pane.setVisible(self.sidebar_action.isChecked())
        self._sized = splitter is not None and self.splitter.restoreState(splitter)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # first run: share the width out, the sidebar narrow on a small screen
            self._sized = True
            width = self.splitter.width()
            side = min(max(int(width * 0.17), 160), 240)
            results = int((width - side) * 0.43)
            self.splitter.setSizes([side, results, width - side - results])

    def closeEvent(self, event: QCloseEvent) -> None:
        for key, value in (
            ("geometry", self.saveGeometry()),
            ("splitter", self.splitter.saveState()),
            ("folders_shown", self.sidebar_action.isChecked()),
        ):
            self.settings.setValue(key, value)
        self.settings.sync()
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
        for worker in (self.search_worker, self.preview_worker, self.model_worker):
            worker.stop()
        self.search.close()
