"""A window listing the files that could not be indexed and why, with a retry."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_search.ui.failures_model import FailuresModel, PathRole


class FailuresDialog(QDialog):
    retry_requested = Signal(list)  # paths
    open_requested = Signal(str)

    def __init__(self, model: FailuresModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Files not indexed")
        self.resize(760, 420)
        self.model = model
        self.summary = QLabel(wordWrap=True)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)
        header.resizeSection(2, 200)
        self.retry_selected = QPushButton("Retry selected")
        self.retry_all = QPushButton("Retry all")
        self.open_button = QPushButton("Open file")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.retry_selected, self.retry_all, self.open_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

        buttons.rejected.connect(self.reject)
        self.retry_selected.clicked.connect(self._on_retry_selected_clicked)
        self.retry_all.clicked.connect(self._on_retry_all_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.table.doubleClicked.connect(self._on_open_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        model.modelReset.connect(self._on_model_reset)
        self._on_model_reset()

    def selected_paths(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(PathRole) for index in rows]

    def _on_model_reset(self) -> None:
        count = self.model.rowCount()
        self.summary.setText(
            "Every file was indexed."
            if count == 0
            else f"{count:,} file{'s' if count != 1 else ''} could not be indexed. Fix a file (or give it a text "
            "layer, or remove its password) and retry; files that are fine now are picked up again."
        )
        self.retry_all.setEnabled(count > 0)
        self._on_table_selection_changed()

    def _on_table_selection_changed(self, *_: object) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.retry_selected.setEnabled(selected)
        self.open_button.setEnabled(selected)

    def _on_retry_selected_clicked(self) -> None:
        if paths := self.selected_paths():
            self.retry_requested.emit(paths)

    def _on_retry_all_clicked(self) -> None:
        if paths := self.model.paths():
            self.retry_requested.emit(paths)

    def _on_open_button_clicked(self, *_: object) -> None:
        if paths := self.selected_paths():
            self.open_requested.emit(paths[0])
