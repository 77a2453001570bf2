"""Every kind of file the app reads has a name and an icon of its own in the window."""

from __future__ import annotations

from pathlib import Path

from desktop_search.core.extract import EXTRACTORS
from desktop_search.ui import icons


def test_every_kind_read_has_a_name_and_an_icon():
    for kind in EXTRACTORS:
        assert icons.KIND_NAMES.get(kind), kind
        assert (Path(icons.icons_dir()) / f"kind-{kind}.svg").is_file(), kind


def test_the_icons_are_drawn(qapp):
    for kind in EXTRACTORS:
        assert not icons.kind_icon(kind).pixmap(32, 32).isNull(), kind
