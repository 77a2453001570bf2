"""How a result row is drawn: name, copies badge, place, date and a marked snippet; a passage row
as its place and snippet."""

from __future__ import annotations

from PySide6.QtCore import (
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop_search.ui.results_model import (
    CopiesRole,
    FolderRole,
    HighlightsRole,
    IsPassageRole,
    ModifiedRole,
    MorePassagesRole,
    PassageRole,
    SnippetRole,
)
from desktop_search.ui.widgets import qt_positions

PADDING = 8
ICON = 32
SNIPPET_LINES = 2
BADGE_PADDING = 6  # inside the "3 copies" pill, each side
WIDE_ROW = 330  # narrower rows put the date on the second line, so the name keeps the first

Index = QModelIndex | QPersistentModelIndex


class ResultDelegate(QStyledItemDelegate):
    """File rows: icon, name, date, folder and page, two lines of snippet with matches marked.
    Passage rows: the page and two lines of snippet."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        if index.data(IsPassageRole):
            return QSize(200, PADDING + line * SNIPPET_LINES + PADDING)
        bold = _bold(option.font)
        return QSize(
            300, PADDING + QFontMetrics(bold).lineSpacing() + line * (1 + SNIPPET_LINES) + PADDING + 2
        )

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget else None
        text = option.text
        option.text = ""
        option.icon = QIcon()  # the icon is drawn below, at its own place
        if style:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = (
            QPalette.ColorGroup.Active
            if option.state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        ink = option.palette.color(
            group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        faint = _mix(
            ink,
            option.palette.color(
                group, QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
            ),
            0.62,
        )
        painter.save()
        painter.setClipRect(option.rect)
        if index.data(IsPassageRole):
            self._paint_passage(painter, option, index, text, ink, faint, selected)
        else:
            self._paint_file(painter, option, index, text, ink, faint, selected)
        painter.restore()

    def _paint_file(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        name: str,
        ink: QColor,
        faint: QColor,
        selected: bool,
    ) -> None:
        """Name (and date, when there is room) / folder · page · more / two lines of snippet."""
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if icon is not None:
            icon.paint(painter, QRect(rect.left(), rect.top() + 2, ICON, ICON))
        left = rect.left() + ICON + PADDING
        width = rect.right() - left
        bold, metrics = _bold(option.font), QFontMetrics(option.font)
        name_metrics = QFontMetrics(bold)
        date = _date(index.data(ModifiedRole))
        wide = width >= WIDE_ROW
        date_width = metrics.horizontalAdvance(date) + PADDING if wide else 0
        name_height, line = name_metrics.lineSpacing(), metrics.lineSpacing()
        copies = len(index.data(CopiesRole) or ())
        badge = f"{copies} copies" if copies else ""
        badge_width = metrics.horizontalAdvance(badge) + 2 * BADGE_PADDING + PADDING if badge else 0
        painter.setFont(bold)
        painter.setPen(ink)
        shown = name_metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, width - date_width - badge_width)
        painter.drawText(
            QRect(left, rect.top(), width - date_width, name_height), Qt.AlignmentFlag.AlignVCenter, shown
        )
        if badge:
            at = left + name_metrics.horizontalAdvance(shown) + PADDING
            _draw_badge(
                painter, option.font, QRect(at, rect.top(), badge_width - PADDING, name_height), badge, faint
            )
        painter.setFont(option.font)
        painter.setPen(faint)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if wide:
            painter.drawText(QRect(left, rect.top(), width, name_height), right, date)
        passage, more = index.data(PassageRole), index.data(MorePassagesRole) or 0
        ocr = "OCR" if passage.ocr else ""
        extras = [passage.where, ocr, f"+{more}" if more else "", "" if wide else date]
        tail = " · ".join(e for e in extras if e)
        tail_width = metrics.horizontalAdvance(tail) + PADDING if tail else 0
        top = rect.top() + name_height
        folder = metrics.elidedText(
            index.data(FolderRole) or "", Qt.TextElideMode.ElideMiddle, width - tail_width
        )
        painter.drawText(QRect(left, top, width - tail_width, line), Qt.AlignmentFlag.AlignVCenter, folder)
        if tail:
            painter.drawText(QRect(left, top, width, line), right, tail)
        snippet_top = top + line + 2
        _draw_snippet(
            painter, option, index, QRect(left, snippet_top, width, line * SNIPPET_LINES), ink, selected
        )

    def _paint_passage(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        label: str,
        ink: QColor,
        faint: QColor,
        selected: bool,
    ) -> None:
        rect = option.rect.adjusted(PADDING, PADDING // 2, -PADDING, -PADDING // 2)
        metrics = QFontMetrics(option.font)
        label_width = max(metrics.horizontalAdvance("Passage 00"), metrics.horizontalAdvance(label)) + PADDING
        painter.setPen(faint)
        painter.drawText(
            QRect(rect.left(), rect.top(), label_width, metrics.lineSpacing()),
            Qt.AlignmentFlag.AlignVCenter,
            label,
        )
        area = QRect(
            rect.left() + label_width,
            rect.top(),
            rect.width() - label_width,
            metrics.lineSpacing() * SNIPPET_LINES,
        )
        _draw_snippet(painter, option, index, area, ink, selected)


def _draw_snippet(
    painter: QPainter, option: QStyleOptionViewItem, index: Index, area: QRect, ink: QColor, selected: bool
) -> None:
    snippet = index.data(SnippetRole) or ""
    marked = QTextCharFormat()
    marked.setFontWeight(QFont.Weight.Bold)
    if not selected:
        dark = option.palette.color(QPalette.ColorRole.Base).lightness() < 128
        marked.setBackground(QColor(255, 196, 0, 90) if dark else QColor(255, 208, 0, 120))
    ranges: list[QTextLayout.FormatRange] = []
    position = qt_positions(snippet)
    for start, end in index.data(HighlightsRole) or ():
        if 0 <= start < end <= len(snippet):
            selection = QTextLayout.FormatRange()
            selection.start, selection.length = position(start), position(end) - position(start)
            selection.format = marked
            ranges.append(selection)
    painter.setPen(ink)
    painter.setFont(option.font)
    _draw_lines(painter, snippet, option.font, ranges, area)


def _draw_lines(
    painter: QPainter, text: str, font: QFont, ranges: list[QTextLayout.FormatRange], area: QRect
) -> None:
    """Wrap text into the area's lines; end the last one with "…" if text goes on."""
    metrics = QFontMetrics(font)
    lines_fit = max(area.height() // metrics.lineSpacing(), 1)
    ellipsis = metrics.horizontalAdvance("…")
    layout = QTextLayout(text, font)
    layout.setFormats(ranges)
    wrap = QTextOption()
    wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(wrap)
    layout.beginLayout()
    y, last = 0.0, None
    for number in range(lines_fit):
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(area.width() - (ellipsis if number == lines_fit - 1 else 0))
        line.setPosition(QPointF(0, y))
        y += metrics.lineSpacing()
        last = line
    layout.endLayout()
    layout.draw(painter, QPointF(area.topLeft()))
    if last is not None and last.textStart() + last.textLength() < len(text):
        painter.drawText(
            QPointF(area.left() + last.naturalTextWidth(), area.top() + last.y() + last.ascent()), "…"
        )


def _draw_badge(painter: QPainter, font: QFont, area: QRect, text: str, colour: QColor) -> None:
    """A pill outlined in colour, holding text, vertically centred in the area."""
    height = QFontMetrics(font).height() + 2
    pill = QRect(area.left(), area.top() + (area.height() - height) // 2, area.width(), height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(colour)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(pill).adjusted(0.5, 0.5, -0.5, -0.5), height / 2, height / 2)
    painter.setFont(font)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    def blend(x: int, y: int) -> int:
        return round(x * share + y * (1 - share))

    return QColor(blend(a.red(), b.red()), blend(a.green(), b.green()), blend(a.blue(), b.blue()))


def _date(mtime: float | None) -> str:
    if not mtime:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(mtime))
    today = QDateTime.currentDateTime().date()
    locale = QLocale()
    if moment.date() == today:
        return locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    if moment.date().year() == today.year():
        return locale.toString(moment.date(), "d MMM")
    return locale.toString(moment.date(), "d MMM yyyy")
