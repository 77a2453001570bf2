"""What the window looked like when it was closed (size, pane widths, folders shown or not), kept
in window.ini beside the index and put back at the next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from desktop_search.paths import window_state_file

DEFAULT_SIZE = (1200, 760)


class WindowState:
    def __init__(self, directory: Path) -> None:
        """directory: the data directory whose window this is."""
        self.settings = QSettings(str(window_state_file(directory)), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow, splitter: QSplitter, sidebar: QAction, folders: QWidget) -> bool:
        """Put the saved state back; False if the pane widths were not saved (the first run)."""
        geometry = self.settings.value("geometry")
        if geometry is None or not window.restoreGeometry(geometry):
            window.resize(*DEFAULT_SIZE)
        sidebar.setChecked(self.settings.value("folders_shown", "true") not in ("false", False))
        folders.setVisible(sidebar.isChecked())
        widths = self.settings.value("splitter")
        return widths is not None and splitter.restoreState(widths)

    def save(self, window: QMainWindow, splitter: QSplitter, sidebar: QAction) -> None:
        self.settings.setValue("geometry", window.saveGeometry())
        self.settings.setValue("splitter", splitter.saveState())
        self.settings.setValue("folders_shown", sidebar.isChecked())
        self.settings.sync()
