"""The search box and its filters; keystrokes become one query per pause in typing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QSizePolicy, QToolButton, QWidget

from desktop_search.core.kinds import KIND_GROUPS
from desktop_search.ui import icons
from desktop_search.ui.date_filter import DateFilter
from desktop_search.ui.syntax_help import SyntaxButton

if TYPE_CHECKING:
    from desktop_search.core.filters import Filters

DEBOUNCE_MS = 150
PLACEHOLDER = "Search your files by words or meaning…"
# Every kind the extractors register, grouped as a person thinks of files (core/kinds.py).
KIND_CHOICES = (("All types", ()), *((group.label, group.kinds) for group in KIND_GROUPS))
SORTS = (("Relevance", "relevance"), ("Date", "date"), ("Name", "name"))
_FORWARDED = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class SearchBox(QLineEdit):
    """A line edit that hands arrows to the results and says when Enter or Esc is pressed."""

    navigation_requested = Signal(int)  # a Qt.Key for the results list
    submitted = Signal(int)  # Enter or Return, with the keyboard modifiers
    escape_pressed = Signal()  # Esc in an empty box
    history_requested = Signal()  # Down in an empty box: the recent searches

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Down and not self.text().strip():
            self.history_requested.emit()
        elif key in _FORWARDED:
            self.navigation_requested.emit(key)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit(event.modifiers().value)
        elif key == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
            else:
                self.escape_pressed.emit()
        else:
            super().keyPressEvent(event)


class SearchBar(QWidget):
    query_changed = Signal(str)  # after a pause in typing; at once when the box is emptied
    filters_changed = Signal()
    sort_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = SearchBox()
        self.box.setPlaceholderText(PLACEHOLDER)
        self.like = ""  # the file whose likes the list shows (the box is empty meanwhile)
        self.box.setClearButtonEnabled(True)
        self.box.setAccessibleName("Search")
        self.box.setToolTip(
            'Type words or a question. "Quotes" for an exact phrase, -word to leave a word out; '
            "type:pdf, in:folder, modified:2024, name:word narrow it (the ? lists them). (Ctrl+L)"
        )
        self.history_button = self.box.addAction(
            icons.line_icon("search"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.history_button.setToolTip("Recent searches (Down in the empty box)")
        self.history_button.triggered.connect(self.box.history_requested)
        font = self.box.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.box.setFont(font)
        self.box.setMinimumHeight(36)
        self.kinds = QComboBox()
        self.kinds.setAccessibleName("File type")
        self.kinds.setToolTip("Only files of this type")
        for label, kinds in KIND_CHOICES:
            self.kinds.addItem(label, kinds)
        self.folders = QComboBox()
        self.folders.setAccessibleName("Folder")
        self.folders.setToolTip("Only files in this folder")
        self.folders.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.folders.setMinimumContentsLength(10)
        self.folders.addItem("All folders", "")
        self.dates = DateFilter()
        self.sort_order = QComboBox()
        self.sort_order.setAccessibleName("Sort by")
        self.sort_order.setToolTip("Order of the files found: most relevant, newest, or by name")
        for label, sort in SORTS:
            self.sort_order.addItem(label, sort)
        self.syntax = SyntaxButton()
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.sidebar_button = QToolButton(autoRaise=True)  # its action comes from the window
        self.sidebar_button.setIconSize(QSize(20, 20))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 10, 10, 6)
        layout.addWidget(self.sidebar_button)
        layout.addWidget(self.box, 1)
        layout.addWidget(self.syntax)
        layout.addWidget(self.kinds)
        layout.addWidget(self.dates)
        layout.addWidget(self.folders)
        layout.addWidget(self.sort_order)
        self.box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.box.textChanged.connect(self._on_box_text_changed)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.kinds.currentIndexChanged.connect(self.filters_changed)
        self.folders.currentIndexChanged.connect(self.filters_changed)
        self.dates.range_changed.connect(self.filters_changed)
        self.sort_order.currentIndexChanged.connect(self.sort_changed)
        self.syntax.popover.example_chosen.connect(self.add_to_query)

    def text(self) -> str:
        return self.box.text().strip()

    @property
    def waiting(self) -> bool:
        """True while what is typed waits for a pause in typing to become a query."""
        return self._debounce.isActive()

    def flush(self) -> None:
        """Send a query still waiting for the pause in typing now."""
        if self.waiting:
            self._debounce.stop()
            self.query_changed.emit(self.text())

    def filters(self) -> Filters:
        from desktop_search.core.filters import Filters

        folder = self.folders.currentData()
        after, before = self.dates.bounds()
        return Filters(
            kinds=tuple(self.kinds.currentData() or ()),
            folders=(folder,) if folder else (),
            modified_after=after,
            modified_before=before,
        )

    def sort(self) -> str:
        """The chosen order: relevance, date or name (core/sorting.py)."""
        return str(self.sort_order.currentData())

    def add_to_query(self, term: str) -> None:
        """Add a term (a filter, from the syntax help) to what is typed."""
        typed = self.box.text().rstrip()
        self.box.setText(f"{typed} {term}" if typed else term)
        self.box.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_folders(self, folders: Sequence[str]) -> None:
        """Offer these folders in the folder filter, keeping the choice if it is still there."""
        chosen = self.folders.currentData()
        if [self.folders.itemData(i) for i in range(1, self.folders.count())] == list(folders):
            return
        self.folders.blockSignals(True)
        self.folders.clear()
        self.folders.addItem("All folders", "")
        for folder in folders:
            self.folders.addItem(os.path.basename(folder.rstrip(os.sep)) or folder, folder)
            self.folders.setItemData(self.folders.count() - 1, folder, Qt.ItemDataRole.ToolTipRole)
        position = self.folders.findData(chosen)
        self.folders.setCurrentIndex(max(position, 0))
        self.folders.blockSignals(False)
        if position < 0 and chosen:
            self.filters_changed.emit()

    def show_query(self, text: str) -> None:
        """Put text in the box without waiting for a pause in typing (the caller searches it)."""
        self.box.setText(text)
        self._debounce.stop()

    def show_like(self, name: str) -> None:
        """The list shows the files like `name`: the box empties (without clearing the list) and
        says so; typing searches again, and end_like() (Esc) goes back to an empty search."""
        self.like = name
        self._debounce.stop()
        self.box.clear()
        self.box.setPlaceholderText(f"Files like {name} · type to search, Esc to go back")

    def end_like(self) -> None:
        if self.like:
            self._leave_like()
            self.query_changed.emit("")

    def _leave_like(self) -> None:
        self.like = ""
        self.box.setPlaceholderText(PLACEHOLDER)

    def focus_box(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _on_box_text_changed(self, text: str) -> None:
        if text.strip():
            self._leave_like()
            self._debounce.start()
        elif not self.like:  # emptied by show_like: the likes stay
            self._debounce.stop()
            self.query_changed.emit("")

    def _on_debounce_timeout(self) -> None:
        self.query_changed.emit(self.text())
