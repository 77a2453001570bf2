"""The core library: the checks every surface applies to paths a user gives, and its commands on
a real index."""

from __future__ import annotations

import os
from pathlib import Path

from desktop_search.core.indexer import Summary
from desktop_search.core.library import Exclude, Index, Plan, Remove, Retry, Update, check_paths
from tests.helpers import RUST_BOOK, copy_files


def test_check_paths_sorts_new_known_and_refused(tmp_path: Path) -> None:
    added = tmp_path / "added"
    (added / "sub").mkdir(parents=True)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (tmp_path / "photo.xyz").write_bytes(b"\x00")
    os.mkfifo(tmp_path / "pipe")
    checked = check_paths(
        [
            str(fresh),
            str(added),
            str(added / "sub"),
            str(fresh / "."),
            str(tmp_path / "photo.xyz"),
            str(tmp_path / "pipe"),
            str(tmp_path / "gone"),
        ],
        [str(added)],
    )
    assert checked.new == (str(fresh),)
    assert checked.known == (str(added),)
    assert checked.refused == (
        f"sub: already in the index (in {added})",
        f"fresh: already given (in {fresh})",
        "photo.xyz: not a supported file type",
        "pipe: not a regular file or folder",
        "gone: no such file or folder",
    )


def run(library, *commands) -> Summary:  # type: ignore[no-untyped-def]
    plan = Plan()
    for command in commands:
        library.apply(command, plan)
    *_, summary = library.run(plan)
    assert isinstance(summary, Summary)
    return summary


def test_commands_change_the_index_as_a_user_expects(services_factory, tmp_path: Path) -> None:
    chapters = sorted(RUST_BOOK.glob("ch15-0*.md"))[:4]
    first = tmp_path / "first"
    second = tmp_path / "second"
    copy_files(chapters[:2], first)
    copy_files(chapters[2:], second)
    services = services_factory()
    library = services.library()

    summary = run(library, Index((str(first), str(second))))
    assert summary.indexed == len(chapters) and library.folders() == sorted([str(first), str(second)])
    assert library.status().waiting == 0

    (first / chapters[0].name).write_text("# Changed\n\nA new text about borrowing.\n")
    assert run(library, Update((str(first),))).indexed == 1

    excluded = chapters[1].name
    summary = run(library, Exclude((excluded,)))
    assert summary.removed == 1 and library.exclusions() == [excluded]
    assert excluded not in {Path(f.path).name for f in library.files()}

    summary = run(library, Retry((str(first / chapters[0].name),)))
    assert summary.indexed == 1  # read again although nothing changed on disk

    run(library, Remove(str(second)))
    assert library.folders() == [str(first)]
    assert all(f.folder == str(first) for f in library.files())
    status = library.status()
    assert (status.files, status.passages) == (1, services.store.vector_store.count())
