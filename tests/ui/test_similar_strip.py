"""The preview's "Similar files" strip, the preview's Find similar button, a file dropped on the
search box, and the box while the list shows the files like one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import copy_corpus


def names(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [Path(hit.path).name for hit in hits]


def test_the_strip_fills_late_with_the_chapters_siblings_and_leads_to_them(
    qtbot, window, index_by_drop, search, docs, more_docs
):
    index_by_drop(docs, more_docs, timeout=600_000)  # a shared machine can be slow
    strip = window.preview.strip
    at_answer: list[tuple[str | None, int, str]] = []
    window.results.answer_shown.connect(
        lambda answer: at_answer.append((strip.path, len(strip.hits), strip.status.text()))
    )
    model = search("fearless concurrency")
    first = model.hits()[0].path
    # The list came first: its selected file's likes were not there yet, only being waited for.
    assert at_answer[-1] == (first, 0, "Finding similar files…")
    # Arrowing through the list asks nothing: only the row the selection rests on.
    asked: list[str] = []
    window.similar_worker.job_finished.connect(
        lambda ticket, answer: answer and asked.append(Path(answer[0]).name)
    )
    window.results_view.setFocus()
    for _ in range(3):
        qtbot.keyClick(window.results_view, Qt.Key.Key_Down)
    rested = Path(window.results.current_path()).name
    assert rested == names(model.hits())[3]
    qtbot.waitUntil(lambda: bool(asked) and bool(strip.hits) and not strip.working, timeout=30_000)
    assert asked == [rested] and strip.path == window.results.current_path()
    window.results_view.select_row(names(model.hits()).index("concurrency.md"))
    qtbot.waitUntil(
        lambda: (strip.path or "").endswith("concurrency.md") and not strip.working, timeout=30_000
    )
    shown = names(strip.hits)
    assert 0 < len(shown) <= 5 and "concurrency.md" not in shown and "threads.md" in shown[:2], shown
    assert [entry.name.full_text() for entry in strip.entries] == shown

    # A name in the strip: the files like the previewed one, that file selected and previewed.
    entry = strip.entries[shown.index("threads.md")]
    with qtbot.waitSignal(window.results.answer_shown, timeout=30_000):
        qtbot.mouseClick(entry, Qt.MouseButton.LeftButton)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Files like concurrency.md"
    assert Path(window.results.current_path()).name == "threads.md"
    assert Path(window.preview.current_path).name == "threads.md"
    box = window.search_bar.box
    assert box.text() == "" and "Files like concurrency.md" in box.placeholderText()
    qtbot.waitUntil(lambda: (strip.path or "").endswith("threads.md") and not strip.working, timeout=30_000)
    assert "concurrency.md" in names(strip.hits)

    # The keyboard reaches the names too: Enter on one does what a click does.
    keyed = strip.entries[names(strip.hits).index("concurrency.md")]
    assert keyed.focusPolicy() == Qt.FocusPolicy.StrongFocus  # Tab reaches it
    keyed.setFocus()
    with qtbot.waitSignal(window.results.answer_shown, timeout=30_000):
        qtbot.keyClick(keyed, Qt.Key.Key_Return)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Files like threads.md"
    assert Path(window.results.current_path()).name == "concurrency.md"
    qtbot.waitUntil(
        lambda: (strip.path or "").endswith("concurrency.md") and not strip.working, timeout=30_000
    )
    entry = strip.entries[names(strip.hits).index("threads.md")]
    with qtbot.waitSignal(window.results.answer_shown, timeout=30_000):
        qtbot.mouseClick(entry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (strip.path or "").endswith("threads.md") and not strip.working, timeout=30_000)

    # "More like this": all the files like the previewed one.
    strip_likes = names(strip.hits)
    with qtbot.waitSignal(window.results.answer_shown, timeout=30_000):
        qtbot.mouseClick(strip.more, Qt.MouseButton.LeftButton)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Files like threads.md"
    assert set(strip_likes) <= set(names(model.hits())), (strip_likes, names(model.hits()))

    # Esc in the empty box goes back to an empty search; the likes were never recorded as queries.
    box.setFocus()
    with qtbot.waitSignal(window.search.cleared, timeout=5_000):
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert window.results.currentWidget() is window.results.message
    assert "Files like" not in box.placeholderText()
    recent = window.history._history.recent(20)
    assert not any("like" in search.query.lower() for search in recent), recent


def test_the_preview_button_and_typing_leave_the_likes(qtbot, window, index_by_drop, search, docs):
    index_by_drop(docs, timeout=600_000)
    model = search("drop trait")
    window.results_view.select_row(names(model.hits()).index("drop.md"))
    button = window.preview._similar
    assert button.isVisible()
    with qtbot.waitSignal(
        window.results.answer_shown, timeout=30_000, check_params_cb=lambda answer: answer.mode == "similar"
    ):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Files like drop.md"
    assert "drop.md" not in names(model.hits())
    # A filter narrows the likes (the box stays empty: it is no query).
    kinds = window.search_bar.kinds
    with qtbot.waitSignal(
        window.results.answer_shown, timeout=30_000, check_params_cb=lambda answer: answer.mode == "similar"
    ) as narrowed:
        kinds.setCurrentIndex(next(i for i in range(kinds.count()) if "pdf" in (kinds.itemData(i) or ())))
    assert {hit.kind for hit in narrowed.args[0].hits} <= {"pdf"}
    assert window.search.like.endswith("drop.md") and window.search_bar.box.text() == ""
    kinds.setCurrentIndex(0)
    model = search("concurrency")  # typing is a search again
    assert window.search.like is None and model.query == "concurrency"
    assert "Files like" not in window.search_bar.box.placeholderText()


def test_a_file_dropped_on_the_search_box_shows_its_likes(
    qtbot, window, index_by_drop, drop, docs, more_docs, tmp_path
):
    index_by_drop(docs, timeout=600_000)
    box = window.search_bar.box
    # A folder dropped on the box is still added to the index, as anywhere on the window.
    with qtbot.waitSignal(window.library.indexing_finished, timeout=600_000):
        assert drop(box, [more_docs])
    qtbot.waitUntil(window.library.is_settled)
    # A file that is not indexed: read, compared, not added.
    loose = copy_corpus(
        {"text/rust-book/ch16-02-message-passing.md": "message-passing.md"}, tmp_path / "loose"
    )
    files = window.library.stats.files
    with qtbot.waitSignal(
        window.results.answer_shown, timeout=60_000, check_params_cb=lambda answer: answer.mode == "similar"
    ) as shown:
        assert drop(box, [loose / "message-passing.md"])
    likes = names(shown.args[0].hits)
    assert set(likes[:2]) == {"threads.md", "concurrency.md"}, likes
    model = window.results.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Files like message-passing.md"
    assert box.text() == "" and window.library.stats.files == files

    # A file that cannot be compared says why, in place of the list.
    odd = tmp_path / "loose" / "numbers.bin"
    odd.write_bytes(bytes(range(256)))
    with qtbot.waitSignal(window.search.search_failed, timeout=30_000):
        assert drop(box, [odd])
    message = window.results.message
    assert window.results.currentWidget() is message
    assert message.title.text() == "Cannot find files like numbers.bin"
    assert "not a supported file type" in message.body.text()
