"""The window: search bar on top, folders | results | preview, the indexing strip, a status bar."""

from __future__ import annotations

import os
from collections.abc import Sequence

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDragLeaveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from desktop_search.core.extract import kind_for_suffix
from desktop_search.core.indexer import Progress, Summary
from desktop_search.services import Services
from desktop_search.ui import desktop, icons
from desktop_search.ui.catalog_stats import CatalogStats, folder_of, read_stats
from desktop_search.ui.drop_overlay import DropOverlay
from desktop_search.ui.failures_dialog import FailuresDialog
from desktop_search.ui.failures_model import FailuresModel
from desktop_search.ui.folders_model import FoldersModel
from desktop_search.ui.folders_pane import FoldersPane
from desktop_search.ui.indexing_bar import IndexingBar
from desktop_search.ui.preview_pane import PreviewPane
from desktop_search.ui.results_pane import ResultsPane
from desktop_search.ui.search_bar import SearchBar
from desktop_search.ui.search_controller import SearchController
from desktop_search.ui.widgets import ElidedLabel
from desktop_search.ui.workers import IndexWorker, LatestWorker

STATS_DELAY_MS = 300  # gather catalog changes for this long before counting again
PHASE_STATES = {"scanning": "Looking for files…", "reading": "Reading files…", "embedding": "Understanding passages…"}


class MainWindow(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("Desktop Search")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self._stats_catalog = services.store.catalog.reader()
        self.settings = QSettings(str(services.store.directory / "window.ini"), QSettings.Format.IniFormat)
        self.stats = CatalogStats()
        self._closed = False

        self.index_worker = IndexWorker(services.indexer, services.store.catalog, self)
        self.search_worker = LatestWorker("search", self)
        self.preview_worker = LatestWorker("preview", self)
        self.stats_worker = LatestWorker("catalog", self)
        self.model_worker = LatestWorker("model", self)
        self.search = SearchController(services.searcher(reader=True), self.search_worker, self)

        self.folders_model = FoldersModel(self)
        self.failures_model = FailuresModel(self)
        self.search_bar = SearchBar()
        self.folders_pane = FoldersPane(self.folders_model)
        self.results = ResultsPane(self.search)
        self.results_view = self.results.view
        self.preview = PreviewPane(self.preview_worker)
        self.indexing_bar = IndexingBar()
        self.indexing_bar.hide()
        self.failures_dialog: FailuresDialog | None = None
        self._build_layout()
        self._build_actions()
        self._connect()
        self._stats_timer = QTimer(self, singleShot=True, interval=STATS_DELAY_MS)
        self._stats_timer.timeout.connect(self._on_stats_timer_timeout)
        self._restore_state()

    # composition

    def _build_layout(self) -> None:
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.folders_pane)
        self.splitter.addWidget(self.results)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([220, 460, 600])
        self.splitter.setChildrenCollapsible(False)
        for widget, width in ((self.folders_pane, 150), (self.results, 260), (self.preview, 220)):
            widget.setMinimumWidth(width)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.indexing_bar)
        self.setCentralWidget(central)
        self.drop_overlay = DropOverlay(central)
        self.counts_label = QLabel()
        self.location_label = ElidedLabel(f"Index: {self.services.store.directory}", Qt.TextElideMode.ElideMiddle)
        self.location_label.setToolTip(str(self.services.store.directory))
        self.location_label.setMinimumWidth(120)
        self.statusBar().addWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.location_label, 1)

    def _build_actions(self) -> None:
        def action(text: str, keys: Sequence[QKeySequence | QKeySequence.StandardKey | str], slot, tip: str = "") -> QAction:
            item = QAction(text, self)
            item.setShortcuts([QKeySequence(k) for k in keys])
            item.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            item.setToolTip(tip or text)
            item.triggered.connect(slot)
            self.addAction(item)
            return item

        self.open_action = action("Open", [], self.open_current)
        self.reveal_action = action("Show in folder", ["Ctrl+Return", "Ctrl+Enter"], self.reveal_current)
        self.copy_action = action("Copy path", ["Ctrl+Shift+C"], self.copy_current)
        for item in (self.open_action, self.reveal_action, self.copy_action):
            self.results_view.addAction(item)
        self.open_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
        self.open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the view handles Enter
        action("Search", ["Ctrl+L", QKeySequence.StandardKey.Find], self.search_bar.focus_box)
        action("Add folder…", [QKeySequence.StandardKey.Open], self.choose_folder)
        action("Files not indexed", ["Ctrl+Shift+P"], self.show_failures)
        action("Quit", [QKeySequence.StandardKey.Quit], self.close)

    def _connect(self) -> None:
        bar, view = self.search_bar, self.results_view
        bar.query_changed.connect(self._on_search_bar_query_changed)
        bar.filters_changed.connect(self._on_search_bar_filters_changed)
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
        pane = self.folders_pane
        pane.add_requested.connect(self.choose_folder)
        pane.remove_requested.connect(self.remove_folder)
        pane.rescan_requested.connect(self._on_folders_pane_rescan_requested)
        pane.problems_requested.connect(self.show_failures)
        worker = self.index_worker
        worker.indexing_started.connect(self._on_index_worker_indexing_started)
        worker.progressed.connect(self._on_index_worker_progressed)
        worker.files_indexed.connect(self._on_index_worker_files_indexed)
        worker.catalog_changed.connect(self._on_index_worker_catalog_changed)
        worker.indexing_finished.connect(self._on_index_worker_indexing_finished)
        worker.indexing_failed.connect(self._on_index_worker_indexing_failed)
        worker.paused_changed.connect(self._on_index_worker_paused_changed)
        self.indexing_bar.pause_requested.connect(worker.pause)
        self.indexing_bar.resume_requested.connect(worker.resume)
        self.indexing_bar.cancel_requested.connect(worker.cancel)
        self.stats_worker.job_finished.connect(self._on_stats_worker_job_finished)
        self.model_worker.job_finished.connect(self._on_model_worker_job_finished)

    def start(self) -> None:
        """After the window is shown: load the query model, count the index, resume indexing."""
        self.model_worker.submit(self.services.query_embedder.load)
        self._on_stats_timer_timeout()
        if self.services.store.catalog.folders():
            self.index_worker.index()
        self.search_bar.focus_box()

    # adding and removing folders

    def add_paths(self, paths: Sequence[str]) -> list[str]:
        """Index these folders and files; returns the ones taken (others are said in the status bar)."""
        known = self.folders_model.paths() or self.services.store.catalog.folders()
        taken, refused = [], []
        for path in (os.path.abspath(p) for p in paths):
            if not os.path.exists(path) or (os.path.isfile(path) and kind_for_suffix(Path(path)) is None):
                refused.append(f"{os.path.basename(path)}: not a folder or a supported file")
            elif folder_of(path, known + taken):
                refused.append(f"{os.path.basename(path)}: already in the index")
            else:
                taken.append(path)
        if taken:
            self.index_worker.index(taken)
            self.statusBar().showMessage(f"Adding {', '.join(os.path.basename(p) or p for p in taken)}…", 5000)
        if refused:
            self.statusBar().showMessage("Not added: " + "; ".join(refused), 8000)
        return taken

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to the index", os.path.expanduser("~"))
        if folder:
            self.add_paths([folder])

    def remove_folder(self, folder: str) -> None:
        if self.confirm_remove(folder):
            self.index_worker.remove(folder)

    def confirm_remove(self, folder: str) -> bool:
        answer = QMessageBox.question(
            self, "Remove folder",
            f"Remove “{os.path.basename(folder) or folder}” from the index?\n\n"
            "Its files stay where they are; they are no longer searched.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_failures(self) -> None:
        if self.failures_dialog is None:
            self.failures_dialog = FailuresDialog(self.failures_model, self)
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
        folders = [str(p) for p in message.get("folders", []) if isinstance(p, str)]
        if folders:
            self.add_paths(folders)

    # drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if desktop.dropped_paths(event.mimeData()):
            event.acceptProposedAction()
            self.drop_overlay.show()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self.drop_overlay.hide()

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_overlay.hide()
        paths = desktop.dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # searching and acting on results

    def current_path(self) -> str | None:
        return self.results.current_path()

    def open_current(self) -> None:
        if path := self.current_path():
            self._open_path(path)

    def reveal_current(self) -> None:
        if path := self.current_path():
            self._reveal_path(path)

    def copy_current(self) -> None:
        if path := self.current_path():
            self._copy_path(path)

    def _open_path(self, path: str) -> None:
        if not desktop.open_path(path):
            self.statusBar().showMessage(f"No application could open {os.path.basename(path)}", 8000)

    def _reveal_path(self, path: str) -> None:
        if not desktop.reveal_path(path):
            self.statusBar().showMessage(f"Could not show the folder of {os.path.basename(path)}", 8000)

    def _copy_path(self, path: str) -> None:
        desktop.copy_path(path)
        self.statusBar().showMessage(f"Copied {path}", 4000)

    def _on_search_bar_query_changed(self, text: str) -> None:
        self.search.search(text, self.search_bar.filters())

    def _on_search_bar_filters_changed(self) -> None:
        self.search.search(self.search_bar.text(), self.search_bar.filters())

    def _on_box_navigation_requested(self, key: int) -> None:
        if self.results.currentWidget() is self.results_view:
            self.results_view.step(key)

    def _on_box_submitted(self, modifiers: int) -> None:
        if self.search_bar.flush():
            return  # the query was still waiting: Enter means "search now"
        if modifiers & Qt.KeyboardModifier.ControlModifier.value:
            self.reveal_current()
        else:
            self.open_current()

    def _on_results_view_escape_pressed(self) -> None:
        self.search_bar.box.clear()
        self.search_bar.focus_box()

    # indexing

    def _on_index_worker_indexing_started(self) -> None:
        self.indexing_bar.starting()
        self.indexing_bar.set_paused(self.index_worker.is_paused())
        self.indexing_bar.show()
        self.results.set_context(self.stats.files, True)

    def _on_index_worker_progressed(self, progress: Progress) -> None:
        self.indexing_bar.show_progress(progress)
        folder = folder_of(progress.path or "", self.folders_model.paths())
        self.folders_model.set_activity(folder, PHASE_STATES.get(progress.phase, ""))

    def _on_index_worker_files_indexed(self, events: list) -> None:
        self._stats_timer.start() if not self._stats_timer.isActive() else None

    def _on_index_worker_catalog_changed(self) -> None:
        self._on_stats_timer_timeout()
        self.search.refresh()

    def _on_index_worker_indexing_finished(self, summary: Summary | None) -> None:
        self.indexing_bar.hide()
        self.folders_model.set_activity(None)
        self.results.set_context(self.stats.files, False)
        self._on_stats_timer_timeout()
        self.search.refresh()
        if summary is not None and (summary.indexed or summary.removed):
            self.statusBar().showMessage(
                f"Indexed {summary.indexed:,} files in {summary.seconds:.0f} s"
                + (f"; {sum(summary.failed.values()):,} could not be read" if summary.failed else ""), 10000)

    def _on_index_worker_indexing_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Indexing stopped", f"Indexing stopped on an error:\n\n{message}\n\n"
                            "What was indexed stays searchable; indexing carries on at the next start.")

    def _on_index_worker_paused_changed(self, paused: bool) -> None:
        self.indexing_bar.set_paused(paused)
        self.folders_model.set_paused(paused)

    def _on_folders_pane_rescan_requested(self) -> None:
        self.index_worker.index()

    def _on_failures_dialog_retry_requested(self, paths: list) -> None:
        self.index_worker.retry(paths)
        self.statusBar().showMessage(f"Reading {len(paths):,} file{'s' if len(paths) != 1 else ''} again…", 5000)

    def _on_stats_timer_timeout(self) -> None:
        self.stats_worker.submit(read_stats, self._stats_catalog)

    def _on_stats_worker_job_finished(self, ticket: int, stats: CatalogStats) -> None:
        self.stats = stats
        selected = self.folders_pane.selected_folder()
        self.folders_model.set_folders(stats.folders)
        if selected:
            self.folders_pane.select_folder(selected)
        self.failures_model.set_failures(stats.failures)
        self.folders_pane.set_problem_count(len(stats.failures))
        self.search_bar.set_folders([folder.path for folder in stats.folders])
        self.results.set_context(stats.files, self.index_worker.is_busy())
        counts = f"{stats.indexed:,} files · {stats.passages:,} passages"
        if stats.waiting:
            counts += f" · {stats.waiting:,} files still being understood"
        self.counts_label.setText(counts)

    def _on_model_worker_job_finished(self, ticket: int, result: object) -> None:
        self.search.set_semantic_ready()

    # window state

    def _restore_state(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        splitter = self.settings.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
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
        for worker in (self.index_worker, self.search_worker, self.preview_worker, self.stats_worker,
                       self.model_worker):
            worker.stop()
        self._stats_catalog.close()
        self.search.close()
