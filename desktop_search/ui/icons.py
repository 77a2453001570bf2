"""The app's own icons (resources/icons), and the standard ones it borrows from the style."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop_search import paths

KINDS = ("pdf", "docx", "text", "html")
KIND_NAMES = {"pdf": "PDF", "docx": "Word document", "text": "Text", "html": "Web page"}


def icons_dir() -> str:
    return str(paths.resources_dir() / "icons")


@cache
def app_icon() -> QIcon:
    icon = QIcon(f"{icons_dir()}/desktop-search.svg")
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(f"{icons_dir()}/desktop-search-{size}.png")
    return icon


@cache
def kind_icon(kind: str | None) -> QIcon:
    return QIcon(f"{icons_dir()}/kind-{kind if kind in KINDS else 'other'}.svg")


def standard(name: str, theme: str) -> QIcon:
    """A themed icon where the desktop has one, else the style's own (QStyle.StandardPixmap name)."""
    fallback = QApplication.style().standardIcon(getattr(QStyle.StandardPixmap, name))
    return QIcon.fromTheme(theme, fallback)
