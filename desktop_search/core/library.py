"""Everything a person does to their folders and the index, as one service: add, remove, retry,
exclude, bring up to date, count. The command line and the window both call it and nothing else
changes folders; the window only adds threads and signals around it (ui/workers/)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_search.core.extract import kind_for_suffix
from desktop_search.core.library_status import CatalogStats, folder_of, read_stats
from desktop_search.core.scanner import reads_as_text

if TYPE_CHECKING:
    from desktop_search.core.catalog import Catalog, FileRecord
    from desktop_search.core.indexer import Event, Indexer


class IndexWriteError(OSError):
    """The index could not be written (disk full, read-only); what was saved before stays good."""


@dataclass(frozen=True)
class Index:
    """Add these folders or files and index them; with none, bring every added folder up to date."""

    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Update:
    """Scan these added folders again (they changed on disk, or were named again)."""

    folders: tuple[str, ...]


@dataclass(frozen=True)
class Remove:
    """Forget an added folder: its passages leave the keyword index at once, its vectors next."""

    folder: str


@dataclass(frozen=True)
class Retry:
    """Read these files again; with none, every file that could not be read."""

    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclude:
    """Leave out what these gitignore patterns name (the whole new list), applied at once."""

    patterns: tuple[str, ...]


Command = Index | Update | Remove | Retry | Exclude


@dataclass
class Plan:
    """What the next run must cover, gathered from one or more commands."""

    roots: list[str] = field(default_factory=list)  # to scan, in this order
    everything: bool = False  # and then every other added folder
    vectors_only: bool = False  # nothing to scan, but vectors to bring in line (after a removal)

    def is_empty(self) -> bool:
        return not (self.roots or self.everything or self.vectors_only)


@dataclass(frozen=True)
class Checked:
    """Paths a user gave, sorted: new ones to add, ones already covered, and refusals."""

    new: tuple[str, ...] = ()
    known: tuple[str, ...] = ()  # the added folders that already cover some of the paths
    refused: tuple[str, ...] = ()  # one message per path: "name: why"


def check_paths(paths: Iterable[str], added: Sequence[str]) -> Checked:
    """The same checks for a drop on the window and for `desktop-search index PATH`."""
    new: list[str] = []
    known: list[str] = []
    refused: list[str] = []
    for path in (os.path.abspath(p) for p in paths):
        name = os.path.basename(path) or path
        covering = folder_of(path, [*added, *new])
        if not os.path.exists(path):
            refused.append(f"{name}: no such file or folder")
        elif not os.path.isdir(path) and not os.path.isfile(path):
            refused.append(f"{name}: not a regular file or folder")
        elif os.path.isfile(path) and not is_readable_file(path):
            refused.append(f"{name}: not a supported file type")
        elif covering in new:
            refused.append(f"{name}: already given (in {covering})")
        elif covering is not None:
            if covering not in known:
                known.append(covering)
            if covering != path:
                refused.append(f"{name}: already in the index (in {covering})")
        else:
            new.append(path)
    return Checked(tuple(new), tuple(known), tuple(refused))


def is_readable_file(path: str) -> bool:
    """A type we read by its name, or text by its content: what a scan of its folder would list."""
    return kind_for_suffix(Path(path)) is not None or reads_as_text(path, os.path.getsize(path))


class Library:
    def __init__(self, catalog: Catalog, make_indexer: Callable[[], Indexer] | None = None) -> None:
        """catalog: a connection used only by the calling thread; make_indexer: builds the indexer
        when a run first needs it (it loads the model), so a library that only counts never does."""
        self.catalog = catalog
        self._make_indexer = make_indexer
        self._indexer: Indexer | None = None

    def folders(self) -> list[str]:
        return self.catalog.folders()

    def exclusions(self) -> list[str]:
        return self.catalog.exclusions()

    def files(self) -> list[FileRecord]:
        return list(self.catalog.files())

    def status(self) -> CatalogStats:
        return read_stats(self.catalog)

    def check(self, paths: Iterable[str]) -> Checked:
        return check_paths(paths, self.folders())

    def apply(self, command: Command, plan: Plan) -> bool:
        """Carry out a command on the catalog and widen the plan; True if what is searchable (or
        the list of folders) changed already, before any run."""
        if isinstance(command, Index):
            for path in command.paths:
                self.catalog.add_folder(path)
                _append(plan.roots, path)
            plan.everything |= not command.paths
            return bool(command.paths)
        if isinstance(command, Update):
            added = self.folders()
            for folder in command.folders:
                if folder in added:
                    _append(plan.roots, folder)
            return False
        if isinstance(command, Remove):
            self.catalog.remove_folder(command.folder)
            if command.folder in plan.roots:
                plan.roots.remove(command.folder)
            plan.vectors_only = True
            return True
        if isinstance(command, Retry):
            paths = command.paths or tuple(failure.path for failure in self.status().failures)
            self.catalog.invalidate(paths)
            plan.everything = True
            return True
        self.catalog.set_exclusions(sorted(set(command.patterns)))
        plan.everything = True
        return True

    def run(self, plan: Plan) -> Generator[Event, None, None]:
        """Index what the plan covers: its roots first, then (if asked) every other added folder;
        with nothing to scan, only bring the vectors in line with the catalog."""
        folders = self.folders()
        roots = [root for root in plan.roots if root in folders]
        if plan.everything:
            roots += [folder for folder in folders if folder not in roots]
        if self._indexer is None:
            if self._make_indexer is None:
                raise RuntimeError("this library only counts: it was given no indexer")
            self._indexer = self._make_indexer()
        try:
            yield from self._indexer.run(roots) if roots else self._indexer.run(rescan=False)
        except sqlite3.OperationalError as error:
            # Disk full or the data directory gone read-only: each file is saved in one
            # transaction, so what was indexed stays good and the next run carries on from there.
            raise IndexWriteError(f"cannot write the index in {self.catalog.path.parent}: {error}") from error

    def close(self) -> None:
        self.catalog.close()


def _append(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
