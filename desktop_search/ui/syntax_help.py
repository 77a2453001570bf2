"""The "?" by the search box: a popover listing the query language, one example a line; clicking
an example puts it in the box."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop_search.core.query_terms import SYNTAX


class SyntaxPopover(QFrame):
    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Search syntax")
        layout = QGridLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setHorizontalSpacing(12)
        title = QLabel("<b>Search syntax</b> — click an example to add it to your search")
        layout.addWidget(title, 0, 0, 1, 2)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.examples: list[QPushButton] = []
        for row, (example, meaning) in enumerate(SYNTAX, start=1):
            button = QPushButton(example, flat=True)
            button.setFont(mono)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("text-align: left; padding: 2px 6px;")
            button.setToolTip(f"Add {example} to the search")
            button.clicked.connect(lambda _=False, text=example: self._choose(text))
            self.examples.append(button)
            layout.addWidget(button, row, 0)
            layout.addWidget(QLabel(meaning), row, 1)
        note = QLabel("Filters combine with each other and with the type, date and folder menus.")
        note.setEnabled(False)
        layout.addWidget(note, len(SYNTAX) + 1, 0, 1, 2)

    def _choose(self, example: str) -> None:
        self.hide()
        self.example_chosen.emit(example)


class SyntaxButton(QToolButton):
    """Shows the popover under itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, autoRaise=True)
        self.setText("?")
        self.setAccessibleName("Search syntax")
        self.setToolTip('Search syntax: type:, in:, modified:, name:, "phrases", -words')
        self.popover = SyntaxPopover(self)
        self.clicked.connect(self.show_popover)

    def show_popover(self) -> None:
        self.popover.adjustSize()
        below = self.mapToGlobal(self.rect().bottomRight())
        self.popover.move(below.x() - self.popover.width(), below.y() + 2)
        self.popover.show()
