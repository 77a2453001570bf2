"""Recent and saved searches: kept in the data directory across restarts, newest first, each once."""

from __future__ import annotations

import pytest

from desktop_search.core.history import KEEP, HistoryError, SavedSearch


def test_recent_searches_survive_a_restart_newest_first_each_once(services_factory) -> None:
    services = services_factory("data")
    history = services.history()
    for query in ("ownership", "threads  and locks", "drop trait", "Ownership", "ownership"):
        history.record(query)
    history.record("   ")  # blank: not a search
    services.close()

    reopened = services_factory("data").history(own_connection=True)
    assert [r.query for r in reopened.recent()] == [
        "ownership",
        "Ownership",
        "drop trait",
        "threads and locks",
    ]
    assert [r.query for r in reopened.recent(2)] == ["ownership", "Ownership"]
    assert reopened.recent()[0].at >= reopened.recent()[-1].at
    reopened.close()


def test_only_the_newest_are_kept_and_clear_forgets_them_not_the_saved(services_factory) -> None:
    history = services_factory("data").history()
    for number in range(KEEP + 5):
        history.record(f"query {number}")
    recent = [r.query for r in history.recent()]
    assert len(recent) == KEEP and recent[0] == f"query {KEEP + 4}" and recent[-1] == "query 5"
    history.save("Papers", "type:pdf attention")
    history.clear()
    assert history.recent() == []
    assert history.saved() == [SavedSearch("Papers", "type:pdf attention")]


def test_saved_searches_by_name_replaced_and_removed(services_factory) -> None:
    services = services_factory("data")
    history = services.history()
    history.save("zebra", "stripes")
    history.save(" Concurrency ", "threads   mutex")
    history.save("apple", "pie")
    history.save("zebra", "horses -donkey")  # the same name: replaced
    services.close()

    history = services_factory("data").history()
    assert history.saved() == [
        SavedSearch("apple", "pie"),
        SavedSearch("Concurrency", "threads mutex"),
        SavedSearch("zebra", "horses -donkey"),
    ]
    history.unsave("apple")
    assert [s.name for s in history.saved()] == ["Concurrency", "zebra"]
    with pytest.raises(HistoryError, match="no saved search named"):
        history.unsave("apple")
    with pytest.raises(HistoryError, match="empty"):
        history.save("blank", "  ")
    with pytest.raises(HistoryError, match="needs a name"):
        history.save("  ", "pie")
