"""Light or dark, as the desktop says: Qt follows most desktops by itself; where the style keeps a
light palette under a dark scheme (or the user forces one), a dark palette is set here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

_DARK = {
    QPalette.ColorRole.Window: "#26282c",
    QPalette.ColorRole.WindowText: "#e8e8ea",
    QPalette.ColorRole.Base: "#1d1f22",
    QPalette.ColorRole.AlternateBase: "#2a2d31",
    QPalette.ColorRole.Text: "#e8e8ea",
    QPalette.ColorRole.Button: "#303338",
    QPalette.ColorRole.ButtonText: "#e8e8ea",
    QPalette.ColorRole.BrightText: "#ff6b6b",
    QPalette.ColorRole.Highlight: "#3d6fd6",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7aa7ff",
    QPalette.ColorRole.LinkVisited: "#b494ff",
    QPalette.ColorRole.ToolTipBase: "#303338",
    QPalette.ColorRole.ToolTipText: "#e8e8ea",
    QPalette.ColorRole.PlaceholderText: "#8d9096",
    QPalette.ColorRole.Light: "#44474d",
    QPalette.ColorRole.Midlight: "#393c41",
    QPalette.ColorRole.Mid: "#2c2e32",
    QPalette.ColorRole.Dark: "#151618",
    QPalette.ColorRole.Shadow: "#000000",
}
_DISABLED = {
    QPalette.ColorRole.WindowText: "#7d8086",
    QPalette.ColorRole.Text: "#7d8086",
    QPalette.ColorRole.ButtonText: "#7d8086",
    QPalette.ColorRole.HighlightedText: "#b8bcc4",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DISABLED.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def follow_colour_scheme(app: QApplication, forced: str | None = None) -> None:
    """Apply the scheme now and whenever the desktop changes it; forced: "dark" or "light"."""
    hints = app.styleHints()

    def apply(scheme: Qt.ColorScheme) -> None:
        if forced in ("dark", "light"):
            scheme = Qt.ColorScheme.Dark if forced == "dark" else Qt.ColorScheme.Light
        standard = app.style().standardPalette()
        if scheme == Qt.ColorScheme.Dark and not is_dark(standard):
            app.setPalette(dark_palette())
        elif scheme == Qt.ColorScheme.Light and is_dark(app.palette()) and not is_dark(standard):
            app.setPalette(standard)

    apply(hints.colorScheme())
    hints.colorSchemeChanged.connect(apply)
