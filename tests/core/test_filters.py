"""Folder filters mean "files under this folder", by path components, not by string prefix."""

from __future__ import annotations

import os

from desktop_search.core.filters import Filters, is_under

A, B, BC = os.path.join(os.sep, "a"), os.path.join(os.sep, "a", "b"), os.path.join(os.sep, "a", "bc")


def test_is_under_compares_whole_components():
    assert is_under(os.path.join(B, "x.md"), B) and is_under(B, B) and is_under(B, A)
    assert not is_under(BC, B) and not is_under(os.path.join(BC, "x.md"), B)
    assert is_under(os.path.join(B, "x.md"), B + os.sep)


def test_admits_path():
    assert Filters().admits_path(BC)
    assert Filters(folders=(B,)).admits_path(os.path.join(B, "deep", "x.md"))
    assert not Filters(folders=(B,)).admits_path(os.path.join(BC, "x.md"))


def test_by_added_folder_widens_to_the_added_folders_holding_or_held_by_the_asked_ones():
    added = [B, BC, os.path.join(os.sep, "elsewhere")]
    below = Filters(kinds=("pdf",), folders=(os.path.join(B, "sub"),))
    assert below.by_added_folder(added) == Filters(kinds=("pdf",), folders=(B, os.path.join(B, "sub")))
    assert Filters(folders=(A,)).by_added_folder(added).folders == (B, BC, A)
    assert Filters().by_added_folder(added) == Filters()
