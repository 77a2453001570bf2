"""Hand-offs to the desktop: open a file, show its folder, copy its path, read a drop."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication


def open_path(path: str) -> bool:
    """Open with the user's default application."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def reveal_path(path: str) -> bool:
    """Open the folder that holds path in the file manager."""
    return QDesktopServices.openUrl(
        QUrl.fromLocalFile(path if os.path.isdir(path) else os.path.dirname(path))
    )


def copy_path(path: str) -> None:
    QGuiApplication.clipboard().setText(path)


def dropped_paths(mime: QMimeData | None) -> list[str]:
    """The local files and folders in a drag, in order, without repeats."""
    if mime is None or not mime.hasUrls():
        return []
    found = [
        os.path.abspath(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()
    ]
    return list(dict.fromkeys(found))
