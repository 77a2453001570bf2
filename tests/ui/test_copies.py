"""A file found in several places is one result with a "3 copies" badge; its places are in the
row's tooltip and in the context menu's "Copies", each opened by choosing it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QFont, QFontMetrics, QImage

from desktop_search.ui.copies_menu import CopiesMenu
from desktop_search.ui.result_delegate import ICON, PADDING
from desktop_search.ui.results_model import CopiesRole, PathRole
from tests.ui.conftest import copy_corpus

DROP = "text/rust-book/ch15-03-drop.md"


def ink_in(image: QImage, area: QRect) -> int:
    """Pixels in the area that differ clearly from the row's background (taken right of it)."""
    background = image.pixelColor(area.right() + 40, area.center().y()).lightness()
    count = 0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            if abs(image.pixelColor(x, y).lightness() - background) > 40:
                count += 1
    return count


def test_copies_badge_tooltip_and_menu(
    qtbot, window, tmp_path: Path, index_by_drop, search, opened_urls
) -> None:
    files = tmp_path / "files"
    for place in ("a", "b", "c"):
        copy_corpus({DROP: "drop.md"}, files / place)
    copy_corpus({"text/rust-book/ch15-01-box.md": "box.md"}, files)
    index_by_drop(files)

    model = search("drop trait cleanup when a value goes out of scope")
    copies = tuple(str(files / place / "drop.md") for place in ("a", "b", "c"))
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    assert len(rows) == 2  # the two files, the first in three places
    first, other = rows
    assert first.data(PathRole) in copies and other.data(PathRole) == str(files / "box.md")
    assert first.data(CopiesRole) == copies and other.data(CopiesRole) == ()
    tip = Qt.ItemDataRole.ToolTipRole
    assert first.data(tip) == "The same file in 3 places:\n" + "\n".join(copies)
    assert other.data(tip) == other.data(PathRole)

    view = window.results_view
    image = view.viewport().grab().toImage()
    bold = QFont(view.font())
    bold.setBold(True)
    badge = QFontMetrics(view.font()).horizontalAdvance("3 copies")
    line = QFontMetrics(bold).lineSpacing()

    def after_name(index, name: str) -> QRect:  # type: ignore[no-untyped-def]
        rect = view.visualRect(index)
        left = rect.left() + PADDING + ICON + PADDING + QFontMetrics(bold).horizontalAdvance(name) + PADDING
        return QRect(left, rect.top() + PADDING, badge, line)

    assert ink_in(image, after_name(first, "drop.md")) > 20  # the badge is painted
    assert ink_in(image, after_name(other, "box.md")) == 0  # none without copies

    view.setCurrentIndex(first)
    menu = window.findChild(CopiesMenu)
    assert menu.menuAction() in view.actions()
    assert menu.menuAction().isVisible() and menu.title() == "Copies (3)"
    menu.aboutToShow.emit()
    assert [action.text() for action in menu.actions()] == list(copies)
    menu.actions()[2].trigger()
    assert opened_urls[-1] == QUrl.fromLocalFile(copies[2]).toString()

    view.setCurrentIndex(other)
    assert not menu.menuAction().isVisible()
