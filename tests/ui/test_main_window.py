"""The window end to end: drop real folders, wait for the indexer, type, look at the results and
the preview, open files (the desktop's file handler is Qt's URL hook: nothing is launched)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QImage

from desktop_search.core.indexer import Summary
from desktop_search.ui.folders_model import FileCountRole, StateRole
from desktop_search.ui.results_model import IsPassageRole, PageRole, PassageRole, PathRole


def url(path: Path | str) -> str:
    return QUrl.fromLocalFile(str(path)).toString()


def paths(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(row, 0).data(PathRole) for row in range(model.rowCount())]


def test_starts_empty_with_the_search_box_focused(qtbot, window) -> None:
    assert window.isVisible()
    qtbot.waitUntil(lambda: window.search_bar.box.hasFocus())
    assert window.results.currentWidget() is window.results.message
    assert window.results.message.title.text() == "Add folders to search"
    assert window.folders_pane.hint.isVisible()
    assert str(window.services.store.directory) in window.location_label.full_text()


def test_drop_index_search_preview_and_open(
    qtbot, window, docs: Path, index_by_drop, search, opened_urls
) -> None:
    copied = len(list(docs.iterdir()))
    summary = index_by_drop(docs)
    assert isinstance(summary, Summary)
    assert summary.indexed == copied and not summary.failed
    folder = window.library.folders.index(0, 0)
    assert folder.data(FileCountRole) == copied
    assert folder.data(StateRole) == "Up to date"
    assert f"{copied} files" in window.counts_label.text()

    model = search("reftest verifies two web pages render identically")
    first = model.index(0, 0)
    pdf = docs / "mozilla-testing.pdf"
    assert first.data(PathRole) == str(pdf)
    assert first.data(PageRole) == 2

    preview = window.preview
    qtbot.waitUntil(lambda: preview.shown == (str(pdf), 2), timeout=10_000)
    assert "Page 2 of 5" in preview._info.full_text()
    assert highlighted_share(preview._page.image()) > 0.002  # the passage is painted over

    assert window.search_bar.box.hasFocus()
    qtbot.keyClick(window.search_bar.box, Qt.Key.Key_Return)  # Enter in the box opens the top result
    assert opened_urls == [url(pdf)]
    preview._reveal.click()  # the preview's own buttons
    assert opened_urls[-1] == url(docs)
    preview._open.click()
    assert opened_urls[-1] == url(pdf)


def test_results_keyboard_and_mouse(qtbot, window, docs: Path, index_by_drop, search, opened_urls) -> None:
    index_by_drop(docs)
    model = search("drop trait cleanup when a value goes out of scope")
    assert Path(model.index(0, 0).data(PathRole)).name == "drop.md"
    assert model.rowCount() >= 2
    view = window.results_view
    box = window.search_bar.box

    qtbot.keyClick(box, Qt.Key.Key_Down)  # arrows move through the results from the box
    assert view.currentIndex().row() == 1 and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert view.currentIndex().row() == 0

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened_urls[-1] == url(docs / "drop.md")
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert opened_urls[-1] == url(docs)
    window.commands.copy.trigger()
    assert QGuiApplication.clipboard().text() == str(docs / "drop.md")
    assert {a.text() for a in view.actions()} >= {"Open", "Show in folder", "Copy path"}

    second = model.index(1, 0)
    rect = view.visualRect(second)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened_urls[-1] == url(second.data(PathRole))

    qtbot.keyClick(view, Qt.Key.Key_Escape)  # Esc: back to an empty box
    assert box.text() == "" and box.hasFocus()
    assert model.rowCount() == 0
    assert window.results.currentWidget() is window.results.message

    qtbot.keyClicks(box, "drop")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert box.hasFocus() and box.selectedText() == "drop"
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""


def test_more_passages_are_child_rows_and_preview_them(
    qtbot, window, docs: Path, index_by_drop, search
) -> None:
    index_by_drop(docs)
    model = search("testing")
    parent = next(model.index(r, 0) for r in range(model.rowCount()) if model.rowCount(model.index(r, 0)))
    child = model.index(0, 0, parent)
    assert child.data(IsPassageRole)
    window.results_view.expand(parent)
    window.results_view.setCurrentIndex(child)
    qtbot.waitUntil(
        lambda: window.preview.shown == (parent.data(PathRole), child.data(PageRole)), timeout=10_000
    )


def test_text_preview_shows_the_passage_in_context(qtbot, window, docs: Path, index_by_drop, search) -> None:
    index_by_drop(docs)
    model = search("Drop trait")
    assert Path(model.index(0, 0).data(PathRole)).name == "drop.md"
    text = window.preview._text
    qtbot.waitUntil(lambda: window.preview._stack.currentWidget() is text, timeout=10_000)
    document = " ".join(text.document().toPlainText().split())
    passage = " ".join(model.index(0, 0).data(PassageRole).text.split())
    assert passage in document and len(document) > len(passage)  # the passage, and around it
    marked = [fragment for fragment in fragments(text.document()) if fragment[1].fontWeight() > 500]
    assert any("drop" in chunk.lower() for chunk, _ in marked)  # the matched words are bold


def test_docx_preview_and_filters(qtbot, window, docs: Path, more_docs: Path, index_by_drop, search) -> None:
    index_by_drop(docs, more_docs)
    model = search("paragraph lorem ipsum")
    assert Path(model.index(0, 0).data(PathRole)).name == "headings.docx"
    qtbot.waitUntil(lambda: window.preview.shown == (str(docs / "headings.docx"), None), timeout=10_000)
    assert "Lorem ipsum" in window.preview._text.document().toPlainText()

    kinds = window.search_bar.kinds
    with qtbot.waitSignal(window.results.answer_shown, timeout=10_000):
        kinds.setCurrentIndex(kinds.findText("PDF"))
    assert (
        window.results.message.title.text() == "No close matches for “paragraph lorem ipsum”"
    )  # no PDF has them
    qtbot.mouseClick(window.results.message.action, Qt.MouseButton.LeftButton)
    assert paths(model) and all(path.endswith(".pdf") for path in paths(model))
    with qtbot.waitSignal(window.results.answer_shown, timeout=10_000):
        kinds.setCurrentIndex(0)

    def within(folder: Path) -> list[str]:
        return [path for path in paths(model) if Path(path).parent == folder]

    search("threads run code at the same time")
    assert within(docs) and within(more_docs)  # both folders answer…
    folders = window.search_bar.folders
    for chosen, other in ((docs, more_docs), (more_docs, docs)):
        with qtbot.waitSignal(window.results.answer_shown, timeout=10_000):
            folders.setCurrentIndex(folders.findData(str(chosen)))
        assert paths(model) and within(chosen) == paths(model)  # …until one is chosen
        assert not within(other)


def test_enter_before_the_pause_in_typing_opens_the_first_result_when_it_comes(
    qtbot, window, docs: Path, index_by_drop, opened_urls
) -> None:
    index_by_drop(docs)
    bar, box = window.search_bar, window.search_bar.box
    box.setFocus()

    def type_then_press_enter(text: str, modifier=Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
        with qtbot.waitSignal(
            window.results.answer_shown, timeout=15_000, check_params_cb=lambda a: a.text == text
        ) as shown:
            qtbot.keyClicks(box, text)
            assert bar.waiting  # the query still waits for a pause in typing…
            qtbot.keyClick(box, Qt.Key.Key_Return, modifier)
            assert not bar.waiting and opened_urls == []  # …Enter sends it; nothing to open yet
        qtbot.waitUntil(lambda: len(opened_urls) == 1)
        assert window.results_view.currentIndex().row() == 0
        return shown.args[0].hits[0].path

    first = type_then_press_enter("drop trait cleanup")
    assert opened_urls.pop() == url(first) and first == str(docs / "drop.md")

    box.clear()
    first = type_then_press_enter("fearless concurrency", Qt.KeyboardModifier.ControlModifier)
    assert opened_urls.pop() == url(docs)  # Ctrl+Enter: the folder of the first result
    assert Path(first).parent == docs

    box.clear()
    qtbot.keyClicks(box, "drop")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    with qtbot.waitSignal(
        window.results.answer_shown, timeout=15_000, check_params_cb=lambda a: a.text == "drop trait"
    ):
        qtbot.keyClicks(box, " trait")  # typing on after Enter: Enter meant the shorter query
    assert opened_urls == []


def test_no_results_says_so(qtbot, window, docs: Path, index_by_drop, search) -> None:
    index_by_drop(docs)
    kinds = window.search_bar.kinds
    kinds.setCurrentIndex(kinds.findText("Web pages"))  # there are none in docs
    model = search("drop trait")
    assert model.rowCount() == 0
    assert window.results.currentWidget() is window.results.message
    assert window.results.message.title.text() == "No results for “drop trait”"
    assert window.preview.current_path is None


def test_gibberish_says_no_close_matches_and_shows_the_nearest_on_request(
    qtbot, window, docs: Path, index_by_drop, search
) -> None:
    index_by_drop(docs)
    model = search("qwpoe asdkjh zxmvn")
    assert model.rowCount() == 0 and window.results.currentWidget() is window.results.message
    assert window.results.message.title.text() == "No close matches for “qwpoe asdkjh zxmvn”"
    assert window.preview.current_path is None
    qtbot.mouseClick(window.results.message.action, Qt.MouseButton.LeftButton)
    assert model.rowCount() > 0 and window.results.currentWidget() is window.results.view
    assert search("drop trait").rowCount() > 0  # a real query lists its files at once


def test_remove_folder_takes_its_files_out(
    qtbot, window, docs: Path, index_by_drop, search, monkeypatch
) -> None:
    index_by_drop(docs)
    assert search("drop trait").rowCount() > 0
    monkeypatch.setattr(window, "confirm_remove", lambda folder: True)
    window.folders_pane.select_folder(str(docs))
    with qtbot.waitSignal(window.library.indexing_finished, timeout=60_000):
        window.folders_pane.remove_action.trigger()
    qtbot.waitUntil(lambda: window.library.folders.rowCount() == 0)
    assert window.services.store.catalog.passage_count() == 0
    assert search("drop trait").rowCount() == 0


def test_failures_view_lists_reasons_and_retries(qtbot, window, problems: Path, index_by_drop) -> None:
    copied = len(list(problems.iterdir()))
    summary = index_by_drop(problems)
    assert summary.indexed == 0 and sum(summary.failed.values()) == copied
    assert window.folders_pane.problems_button.isVisible()
    assert window.folders_pane.problems_button.text().startswith(f"{copied} files not indexed")
    window.folders_pane.problems_button.click()
    dialog = window.failures_dialog
    assert dialog is not None and dialog.isVisible()
    rows = {
        dialog.model.index(r, 0).data(): dialog.model.index(r, 1).data()
        for r in range(dialog.model.rowCount())
    }
    assert rows["locked.pdf"] == "Password-protected"
    assert rows["locked.docx"] == "Password-protected"
    assert rows["drawing.pdf"].startswith("No text")
    assert "empty" in rows["empty.pdf"].lower()
    with qtbot.waitSignal(window.library.indexing_finished, timeout=60_000) as finished:
        dialog.retry_all.click()
    assert sum(finished.args[0].failed.values()) == copied  # read again, and still failing


def test_dragging_over_the_window_shows_where_to_drop(qtbot, window, docs: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(docs))])
    enter = QDragEnterEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.results, enter)
    assert enter.isAccepted() and window.drop_overlay.isVisible()
    assert window.drop_overlay.geometry() == window.centralWidget().rect()
    QApplication.sendEvent(window, QDragLeaveEvent())
    assert not window.drop_overlay.isVisible()
    text_only = QMimeData()
    text_only.setText("not a file")
    refused = QDragEnterEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        text_only,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.results, refused)
    assert not refused.isAccepted() and not window.drop_overlay.isVisible()


def test_dropping_nothing_usable_is_refused(window, drop, tmp_path: Path) -> None:
    stray = tmp_path / "song.mp3"
    stray.write_bytes(b"ID3\x04\x00\x00\x00\x00\x00\x00")
    assert drop(window.results, [stray])  # a file is accepted as a drag…
    assert "Not added" in window.statusBar().currentMessage()  # …but said to be unsupported
    assert window.library.folders.rowCount() == 0


def highlighted_share(image: QImage) -> float:
    """The share of sampled pixels that look like a yellow highlighter."""
    hits = total = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            colour = image.pixelColor(x, y)
            total += 1
            hits += colour.red() > 200 and colour.green() > 170 and colour.blue() < colour.red() - 50
    return hits / max(total, 1)


def fragments(document):  # type: ignore[no-untyped-def]
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            yield fragment.text(), fragment.charFormat()
            iterator += 1
        block = block.next()


def test_what_the_index_wants_said_is_shown(qtbot, services) -> None:
    from desktop_search.ui.main_window import MainWindow

    window = MainWindow(services.store.directory)  # on screen before the index is open
    qtbot.addWidget(window)
    try:
        assert window.results.message.title.text() == "Opening your index…"
        services.store.warnings.append("the vector index was rebuilt from the catalog")
        window.attach(services)
        assert "the vector index was rebuilt" in window.statusBar().currentMessage()
    finally:
        window.shutdown()
