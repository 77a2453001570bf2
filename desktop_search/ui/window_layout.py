"""Where the window's parts sit: the search bar on top, folders | results | preview side by side,
the indexing strip below them; the index's counts and place in the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QStatusBar, QVBoxLayout, QWidget

from desktop_search.ui.widgets import ElidedLabel


class PaneSplitter(QSplitter):
    """Folders | results | preview; widening the window widens the results and the preview."""

    def __init__(self, folders: QWidget, results: QWidget, preview: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        for widget, minimum, stretch in ((folders, 150, 0), (results, 260, 3), (preview, 220, 4)):
            self.addWidget(widget)
            self.setStretchFactor(self.count() - 1, stretch)
            widget.setMinimumWidth(minimum)
        self.setSizes([220, 460, 600])
        self.setChildrenCollapsible(False)

    def share_width(self) -> None:
        """The first run's widths: the folders narrow (more so on a small screen), the rest shared."""
        width = self.width()
        side = min(max(int(width * 0.17), 160), 240)
        results = int((width - side) * 0.43)
        self.setSizes([side, results, width - side - results])


def stack(top: QWidget, middle: QWidget, bottom: QWidget) -> QWidget:
    """One above the other, edge to edge; the middle takes the height."""
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(top)
    layout.addWidget(middle, 1)
    layout.addWidget(bottom)
    return central


def status_labels(status: QStatusBar, directory: Path) -> tuple[QLabel, ElidedLabel]:
    """The index's counts on the left, where it lives on the right (elided in the middle)."""
    counts = QLabel("Opening the index…")
    location = ElidedLabel(f"Index: {directory}", Qt.TextElideMode.ElideMiddle)
    location.setToolTip(str(directory))
    location.setMinimumWidth(120)
    status.addWidget(counts)
    status.addPermanentWidget(location, 1)
    return counts, location
