"""The filters a query may hold (type:, in:, name:, modified:, after:, before:) and what stays text."""

from __future__ import annotations

import os
from datetime import datetime

from desktop_search.core.extract import EXTRACTORS
from desktop_search.core.filters import VECTOR_WIDENING, Filters
from desktop_search.core.kinds import KIND_GROUPS, kinds_named
from desktop_search.core.query_terms import SYNTAX, split_terms

NOW = datetime(2024, 6, 15, 14, 30).timestamp()


def stamp(*parts: int) -> float:
    return datetime(*parts).timestamp()  # type: ignore[arg-type]


def test_every_kind_is_in_one_group_and_type_words_name_them():
    grouped = [kind for group in KIND_GROUPS for kind in group.kinds]
    assert sorted(grouped) == sorted(EXTRACTORS)
    assert kinds_named("presentation") == ("pptx", "odp", "ppt")
    assert kinds_named("Spreadsheet") == ("xlsx", "ods", "xls")
    assert kinds_named("email") == ("email", "mbox")
    assert kinds_named("odt") == ("odt",)
    assert kinds_named("movie") == ()


def test_filters_leave_the_words_phrases_and_exclusions():
    terms = split_terms('type:pdf "annual report" -draft in:reports name:budget sales', NOW)
    assert terms.text == '"annual report" -draft sales'
    assert terms.filters == Filters(kinds=("pdf",), folder_names=("reports",), name_words=("budget",))


def test_dates_are_days_months_years_and_periods_back_from_now():
    def window(text: str) -> tuple[float | None, float | None]:
        found = split_terms(text, NOW).filters
        return found.modified_after, found.modified_before

    assert window("modified:2024") == (stamp(2024, 1, 1), stamp(2025, 1, 1) - 0.001)
    assert window("modified:2024-02") == (stamp(2024, 2, 1), stamp(2024, 3, 1) - 0.001)
    assert window("modified:2023-12") == (stamp(2023, 12, 1), stamp(2024, 1, 1) - 0.001)
    assert window("after:2024-03-01 before:2024-06-30") == (stamp(2024, 3, 1), stamp(2024, 7, 1) - 0.001)
    assert window("modified:today") == (stamp(2024, 6, 15), None)
    assert window("modified:yesterday") == (stamp(2024, 6, 14), stamp(2024, 6, 15) - 0.001)
    assert window("modified:lastweek") == (stamp(2024, 6, 8), None)  # from the day's start
    assert window("modified:lastmonth")[0] == stamp(2024, 5, 16)
    assert window("modified:lastyear")[0] == stamp(2023, 6, 16)


def test_what_is_not_a_filter_is_searched_as_text():
    for text in [
        "http://example.com",
        "note:x",
        "C:\\Users\\me",
        "type:movie",
        "modified:2024-13",
        "after:soon",
        "before:2024-02-30",
        "-type:pdf",
        "in:./here",
        "name:",
    ]:
        terms = split_terms(text, NOW)
        assert terms.text == text and terms.filters == Filters(), text


def test_in_takes_a_path_or_a_folder_name():
    home = os.path.expanduser("~")
    assert split_terms("in:~/Documents x", NOW).filters.folders == (os.path.join(home, "Documents"),)
    assert split_terms(f"in:{os.sep}srv{os.sep}reports", NOW).filters.folders == (
        os.path.join(os.sep, "srv", "reports"),
    )
    assert split_terms('in:"tax returns"', NOW).filters.folder_names == ("tax returns",)


def test_typed_and_chosen_filters_combine():
    base = os.path.join(os.sep, "home", "me")
    chosen = Filters(kinds=("pdf", "docx"), folders=(base,), modified_after=10.0)
    typed = Filters(kinds=("docx", "odt"), folders=(os.path.join(base, "Letters"),), modified_after=20.0)
    assert typed.within(chosen) == Filters(("docx",), (os.path.join(base, "Letters"),), 20.0)
    assert Filters(kinds=("odt",)).within(chosen) is None
    assert Filters(folders=(os.path.join(os.sep, "srv"),)).within(chosen) is None
    assert Filters(modified_before=5.0).within(chosen) is None
    assert Filters().within(chosen) == chosen


def test_the_syntax_list_examples_are_filters_or_query_words():
    for example, _ in SYNTAX:
        terms = split_terms(example, NOW)
        assert terms.filters != Filters() or terms.text == example


def test_the_vector_store_checks_only_the_filters_few_passages_pass():
    dated = Filters(kinds=("pdf",), folders=(os.sep + "docs",), modified_after=10.0)
    assert dated.for_vectors(0.01) == (dated, 1)  # few pass: the store's own check finds them
    assert dated.for_vectors(0.6) == (Filters(folders=(os.sep + "docs",)), VECTOR_WIDENING)
    named = Filters(folder_names=("reports",))
    assert named.for_vectors(0.01) == (named, VECTOR_WIDENING)  # only the catalog checks names
    assert Filters().for_vectors(1.0) == (Filters(), 1)
