"""The selected result up close: a PDF's page with the passage highlighted, or a text's context."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_search.core.highlight import terms_for
from desktop_search.core.preview_reader import PreviewProblem, PreviewRequest, TextContext
from desktop_search.ui import icons
from desktop_search.ui.preview import PdfPage, Preview, build_preview
from desktop_search.ui.similar_strip import SimilarStrip
from desktop_search.ui.widgets import ElidedLabel, MessageView, PageView, qt_positions
from desktop_search.ui.workers import LatestWorker

if TYPE_CHECKING:
    from desktop_search.core.preview_reader import PreviewReader
    from desktop_search.core.search import FileHit, PassageHit

LOADING_DELAY_MS = 200  # say "Loading…" only if a preview takes longer than this
RESIZE_DELAY_MS = 150
WIDE = 540  # narrower than this, the action buttons show only their icons


class PreviewPane(QWidget):
    open_requested = Signal(str)
    reveal_requested = Signal(str)
    copy_requested = Signal(str)
    similar_requested = Signal(str)

    def __init__(
        self, worker: LatestWorker, reader: PreviewReader | None = None, parent: QWidget | None = None
    ) -> None:
        """reader: reads the files in a sandbox (or later, via attach)."""
        super().__init__(parent)
        self._worker = worker
        self._worker.job_finished.connect(self._on_worker_job_finished)
        self._worker.job_failed.connect(self._on_worker_job_failed)
        self._reader = reader
        self._request: PreviewRequest | None = None
        self._ticket = -1
        self.current_path: str | None = None
        self.current_page: int | None = None
        self.shown: tuple[str, int | None] | None = None  # (path, page) once its preview is on screen
        self._passage_info = ""
        self._text_focus = 0  # where the passage starts in the text preview

        self._icon = QLabel()
        self._name = ElidedLabel()
        font = self._name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._name.setFont(font)
        self._folder = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self._folder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._info = ElidedLabel()
        self._open = self._button("Open", "Open the file (Enter)", "open")
        self._reveal = self._button("Show in folder", "Open the folder that holds it (Ctrl+Enter)", "folder")
        self._copy = self._button("Copy path", "Copy the file's path (Ctrl+Shift+C)", "copy")
        self._open.clicked.connect(self._on_open_clicked)
        self._reveal.clicked.connect(self._on_reveal_clicked)
        self._copy.clicked.connect(self._on_copy_clicked)
        self._similar = self._button("Find similar", "List the files like this one (Ctrl+Shift+S)", "similar")
        self._similar.clicked.connect(self._on_similar_clicked)
        self.strip = SimilarStrip()  # filled once the window attaches its worker (SimilarStrip.attach)

        self._message = MessageView()
        self._page = PageView()
        self._page.width_changed.connect(self._on_page_width_changed)
        self._text = QTextBrowser()
        self._text.setOpenLinks(False)
        self._stack = QStackedWidget()
        for widget in (self._message, self._page, self._text):
            self._stack.addWidget(widget)
        self._loading = QTimer(self, singleShot=True, interval=LOADING_DELAY_MS)
        self._loading.timeout.connect(self._on_loading_timeout)
        self._resized = QTimer(self, singleShot=True, interval=RESIZE_DELAY_MS)
        self._resized.timeout.connect(self._on_resized_timeout)

        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self._name)
        titles.addWidget(self._folder)
        top = QHBoxLayout()
        top.addWidget(self._icon)
        top.addLayout(titles, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self._info, 1)
        for button in (self._open, self._reveal, self._copy, self._similar):
            buttons.addWidget(button)
        self._header = QWidget()
        header = QVBoxLayout(self._header)
        header.setContentsMargins(8, 6, 8, 2)
        header.addLayout(top)
        header.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self.strip)
        self.clear()

    def attach(self, reader: PreviewReader) -> None:
        self._reader = reader

    def _button(self, text: str, tip: str, icon: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setIcon(icons.line_icon(icon))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def clear(self, title: str = "", body: str = "") -> None:
        self._worker.discard()
        self._loading.stop()
        self._request = None
        self.current_path = self.current_page = self.shown = None
        self._header.setVisible(False)
        self.strip.clear()
        self._message.show_message(title, body)
        self._stack.setCurrentWidget(self._message)

    def show_result(self, hit: FileHit, passage: PassageHit, query: str) -> None:
        highlighted = [p.snippet[s:e] for p in hit.passages for s, e in p.highlights]
        self._request = PreviewRequest(
            hit.path,
            hit.kind,
            passage.page,
            passage.start,
            passage.end,
            passage.text,
            terms_for(query, highlighted),
            self._page.available_width(),
            self.devicePixelRatioF(),
            passage.ocr,
        )
        self.current_path, self.current_page, self.shown = hit.path, None, None
        self._header.setVisible(True)
        self._icon.setPixmap(icons.kind_icon(hit.kind).pixmap(32, 32))
        self._name.setText(os.path.basename(hit.path))
        self._folder.setText(os.path.dirname(hit.path))
        index = hit.passages.index(passage) + 1 if passage in hit.passages else 1
        self._passage_info = f"passage {index} of {len(hit.passages)}" if len(hit.passages) > 1 else ""
        self._info.setText(self._passage_info)
        self._submit()
        self.strip.show_for(hit.path)

    def _submit(self) -> None:
        assert self._request is not None and self._reader is not None
        self._ticket = self._worker.submit(build_preview, self._reader, self._request)
        self._loading.start()

    def _on_loading_timeout(self) -> None:
        self._message.show_message("Loading…")
        self._stack.setCurrentWidget(self._message)

    def _on_page_width_changed(self, width: int) -> None:
        self._resized.start()

    def _on_resized_timeout(self) -> None:
        """Draw the page again for the new width, once the resizing has paused."""
        width = self._page.available_width()
        if (
            self._request
            and self._request.kind == "pdf"
            and self._stack.currentWidget() is self._page
            and width != self._request.width
        ):
            self._request = replace(self._request, width=width)
            self._ticket = self._worker.submit(build_preview, self._reader, self._request)

    def _on_worker_job_failed(self, ticket: int, message: str) -> None:
        if ticket == self._ticket and self._worker.is_latest(ticket):
            self._loading.stop()
            self._message.show_message("No preview", message)
            self._stack.setCurrentWidget(self._message)

    def _on_worker_job_finished(self, ticket: int, preview: Preview) -> None:
        if ticket != self._ticket or not self._worker.is_latest(ticket) or self._request is None:
            return
        self._loading.stop()
        if isinstance(preview, PdfPage):
            self._page.set_page(preview.image, preview.focus)
            self._stack.setCurrentWidget(self._page)
            self.current_page = preview.page
            where = f"Page {preview.page} of {preview.pages}"
            ocr = "text read by OCR" if self._request.ocr else ""
            self._info.setText(" · ".join(filter(None, [where, ocr, self._passage_info])))
        elif isinstance(preview, TextContext):
            self._show_text(preview)
            self.current_page = self._request.page
        else:
            assert isinstance(preview, PreviewProblem)
            self._message.show_message("No preview", preview.message)
            self._stack.setCurrentWidget(self._message)
        self.shown = (self._request.path, self.current_page)

    def _show_text(self, context: TextContext) -> None:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        before = "[…]\n" if context.clipped_before else ""
        shown = before + context.text + ("\n[…]" if context.clipped_after else "")
        self._text.setPlainText(shown)
        shift, position = len(before), qt_positions(shown)
        cursor = QTextCursor(self._text.document())
        passage_format = QTextCharFormat()
        passage_format.setBackground(QColor("#4d4210") if dark else QColor("#fff4bf"))
        term_format = QTextCharFormat()
        term_format.setBackground(QColor("#8a6a00") if dark else QColor("#ffd34d"))
        term_format.setFontWeight(QFont.Weight.Bold)
        for spans, char_format in (
            ([context.passage] if context.passage else [], passage_format),
            (context.terms, term_format),
        ):
            for start, end in spans:
                cursor.setPosition(position(start + shift))
                cursor.setPosition(position(end + shift), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(char_format)
        focus = position((context.passage[0] if context.passage else 0) + shift)
        if context.note:
            note = context.note + "\n\n"
            QTextCursor(self._text.document()).insertText(note)
            focus += qt_positions(note)(len(note))
        self._stack.setCurrentWidget(self._text)
        self._text_focus = focus
        self._scroll_text_to(self._text_focus)
        self._info.setText(self._passage_info)

    def _scroll_text_to(self, position: int) -> None:
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(position)
        self._text.setTextCursor(cursor)
        bar = self._text.verticalScrollBar()
        bar.setValue(0)
        top = self._text.cursorRect(cursor).top()
        bar.setValue(max(top - self._text.viewport().height() // 5, 0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        style = (
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            if self.width() >= WIDE
            else Qt.ToolButtonStyle.ToolButtonIconOnly
        )
        for button in (self._open, self._reveal, self._copy, self._similar):
            button.setToolButtonStyle(style)
        if self._stack.currentWidget() is self._text:
            QTimer.singleShot(0, self._on_text_resized)  # the lines wrap anew: keep the passage in view

    def _on_text_resized(self) -> None:
        if self._stack.currentWidget() is self._text:
            self._scroll_text_to(self._text_focus)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.PaletteChange
            and self._request
            and self._stack.currentWidget() is self._text
        ):
            self._submit()  # the highlight colours follow light and dark

    def _on_open_clicked(self) -> None:
        if self.current_path:
            self.open_requested.emit(self.current_path)

    def _on_reveal_clicked(self) -> None:
        if self.current_path:
            self.reveal_requested.emit(self.current_path)

    def _on_copy_clicked(self) -> None:
        if self.current_path:
            self.copy_requested.emit(self.current_path)

    def _on_similar_clicked(self) -> None:
        if self.current_path:
            self.similar_requested.emit(self.current_path)
