"""The sidebar: the added folders with their state, buttons to add and remove, and the problems."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_search.ui import icons
from desktop_search.ui.folders_model import (
    BusyRole,
    FileCountRole,
    FoldersModel,
    PathRole,
    ProblemCountRole,
    StateRole,
)
from desktop_search.ui.saved_searches import SavedSearchesView

Index = QModelIndex | QPersistentModelIndex


class FoldersPane(QWidget):
    add_requested = Signal()
    remove_requested = Signal(str)
    rescan_requested = Signal()
    problems_requested = Signal()

    def __init__(self, model: FoldersModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        title = QLabel("Folders")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.view = QListView()
        self.view.setModel(model)
        self.view.setItemDelegate(FolderDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setAccessibleName("Folders")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.hint = QLabel("Drop folders\nhere")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint.setStyleSheet(
            "QLabel { border: 2px dashed palette(mid); border-radius: 10px; padding: 18px; }"
        )
        self.hint.setMinimumHeight(120)
        self.add_button = QPushButton(icons.line_icon("folder-add"), "Add folder…")
        self.add_button.setToolTip("Choose a folder to index (Ctrl+O)")
        self.remove_action = QAction(icons.line_icon("remove"), "Remove from index", self)
        self.remove_action.setToolTip(
            "Forget this folder: its files leave the index (the files stay on disk)"
        )
        self.rescan_action = QAction(icons.line_icon("refresh"), "Look for changes now", self)
        self.rescan_action.setToolTip("Scan every folder again for new, changed and deleted files")
        self.view.addAction(self.remove_action)
        self.view.addAction(self.rescan_action)
        more = QMenu(self)
        more.addAction(self.remove_action)
        more.addAction(self.rescan_action)
        self.more_button = QToolButton()
        self.more_button.setToolTip("More folder actions")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setIcon(icons.line_icon("more"))
        self.more_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.more_button.setMenu(more)
        self.problems_button = QPushButton()
        self.problems_button.setFlat(True)
        self.problems_button.setIcon(icons.line_icon("warning"))
        self.problems_button.setToolTip("Which files could not be indexed, and why (Ctrl+Shift+P)")
        self.problems_button.setVisible(False)
        self.saved_searches = SavedSearchesView()

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button, 1)
        buttons.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint, 1)
        layout.addWidget(self.saved_searches)
        layout.addWidget(self.problems_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_requested)
        self.remove_action.triggered.connect(self._on_remove_action_triggered)
        self.rescan_action.triggered.connect(self.rescan_requested)
        self.problems_button.clicked.connect(self.problems_requested)
        model.modelReset.connect(self._on_model_reset)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self._on_model_reset()

    def selected_folder(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(PathRole) if index.isValid() and self.view.selectionModel().hasSelection() else None

    def select_folder(self, path: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(PathRole) == path:
                self.view.setCurrentIndex(self.model.index(row, 0))

    def set_problem_count(self, count: int) -> None:
        self.problems_button.setText(f"{count:,} file{'s' if count != 1 else ''} not indexed…")
        self.problems_button.setVisible(count > 0)

    def _on_model_reset(self) -> None:
        empty = self.model.rowCount() == 0
        self.hint.setVisible(empty)
        self.view.setVisible(not empty)
        self.rescan_action.setEnabled(not empty)
        self._on_view_selection_changed()

    def _on_view_selection_changed(self, *_: object) -> None:
        self.remove_action.setEnabled(self.selected_folder() is not None)

    def _on_remove_action_triggered(self) -> None:
        folder = self.selected_folder()
        if folder:
            self.remove_requested.emit(folder)


class FolderDelegate(QStyledItemDelegate):
    """Two lines: the folder's name, then its file count and state (with problems, if any)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(160, 2 * line + 12)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        name = option.text
        option.text = ""
        widget = option.widget
        style = widget.style() if widget else None
        if style:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        ink = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        faint = QColor(ink)
        faint.setAlphaF(0.65)
        rect = option.rect.adjusted(8, 6, -8, -6)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        folder_icon = icons.line_icon("folder")
        folder_icon.paint(
            painter,
            QRect(rect.left(), rect.top() + (line - 16) // 2, 16, 16),
            mode=QIcon.Mode.Selected if selected else QIcon.Mode.Normal,
        )
        bold = QFont(option.font)
        bold.setBold(True)
        painter.save()
        painter.setFont(bold)
        painter.setPen(ink)
        left = rect.left() + 22
        painter.drawText(
            QRect(left, rect.top(), rect.right() - left, line),
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideMiddle, rect.right() - left),
        )
        count = index.data(FileCountRole) or 0
        state = index.data(StateRole) or ""
        problems = index.data(ProblemCountRole) or 0
        details = f"{count:,} file{'s' if count != 1 else ''} · {state}"
        if problems:
            details += f" · {problems:,} not indexed"
        painter.setFont(option.font)
        painter.setPen(
            option.palette.color(QPalette.ColorRole.Link) if index.data(BusyRole) and not selected else faint
        )
        painter.drawText(
            QRect(left, rect.top() + line, rect.right() - left, line),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(details, Qt.TextElideMode.ElideRight, rect.right() - left),
        )
        painter.restore()
