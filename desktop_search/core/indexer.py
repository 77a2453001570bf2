"""Folders to a searchable index, as a generator of progress events.

Three passes: first every new or changed file is read, cut into passages and put in the keyword
index (seconds), then the passages are embedded (minutes), then the pages without a text layer are
read by OCR (seconds a page) and their passages embedded. Each file (and each OCR page) is saved as
one unit, so the consumer may stop iterating at any event and a later run carries on from there.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop_search.core import extract as extraction
from desktop_search.core.catalog import FileRecord, text_hash
from desktop_search.core.chunking import Passage
from desktop_search.core.embedding import Embedder
from desktop_search.core.ocr_pass import PageReader, recognise_pending, waiting_reason
from desktop_search.core.reader import FileRead
from desktop_search.core.scanner import Exclusions, FoundFile, scan
from desktop_search.core.store import Store
from desktop_search.core.vector_writes import keep_embedded, sync_files

EMBED_WINDOW = 256  # passages gathered across files, so small files share batches


@dataclass(frozen=True)
class Progress:
    phase: str  # "scanning", "reading", "embedding" or "recognising" (OCR)
    done: int  # files (scanning, reading), passages (embedding) or pages (recognising)
    total: int
    path: str | None = None
    rate: float | None = None  # passages (or OCR pages) per second
    eta: float | None = None  # seconds
    inside: tuple[str, int, int] | None = None  # a big file: ("reading" or "cutting", pages, of)


@dataclass(frozen=True)
class FileIndexed:
    path: str
    status: str
    reason: str | None
    passages: int


@dataclass
class Summary:
    indexed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: Counter[str] = field(default_factory=Counter)  # "status: reason" -> files
    passages: int = 0
    embedded: int = 0
    reused: int = 0  # passages whose vector was already stored (same text elsewhere)
    recognised: int = 0  # pages read by OCR
    waiting_for_ocr: int = 0  # pages left for the OCR pass (when it is off, or the run was stopped)
    seconds: float = 0.0
    keyword_seconds: float = 0.0  # until every file was searchable by keyword
    embed_seconds: float = 0.0  # in the embedder (benchmarks: where the embedding pass goes)
    store_seconds: float = 0.0  # writing vectors to the vector store and marking files done
    missing_folders: list[str] = field(default_factory=list)  # added folders not found
    warnings: list[str] = field(default_factory=list)  # what the user should be told (vectors lost…)


Event = Progress | FileIndexed | Summary
Reader = Callable[[Path, str | None], FileRead]


def content_hash(path: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class Indexer:
    def __init__(
        self, store: Store, embedder: Embedder, reader: Reader, ocr: PageReader | None = None
    ) -> None:
        """ocr: reads scanned pages and images; None leaves them unread ("OCR is off")."""
        self.store = store
        self.catalog = store.catalog
        self.embedder = embedder
        self.reader = reader
        self.ocr = ocr

    def run(self, roots: Sequence[str] | None = None, *, rescan: bool = True) -> Generator[Event, None, None]:
        """Index the given roots (adding them as folders) or, with none, every added folder.

        rescan=False skips the scan and only brings the vectors in line with the catalog (after a
        folder was removed, say).
        """
        started = time.monotonic()
        summary = Summary()
        warning = self.store.check_vectors()
        if warning:
            summary.warnings.append(warning)
        for root in roots or []:
            self.catalog.add_folder(root)
        work: list[tuple[FoundFile, str, FileRecord | None]] = []
        exclusions = Exclusions(self.catalog.exclusions())
        for root in (roots or self.catalog.folders()) if rescan else []:
            if not os.path.exists(root):
                # An unplugged drive or unmounted share: keep its files until it comes back.
                summary.missing_folders.append(root)
                continue
            yield Progress("scanning", 0, 0, root)
            work.extend(self._scan(root, exclusions, summary))

        for done, (found, root, record) in enumerate(work):
            yield Progress("reading", done, len(work), found.path)
            event = yield from self._read(found, root, record, summary, (done, len(work)))
            if event:
                yield event
        summary.keyword_seconds = time.monotonic() - started

        yield from self._embed_pending(summary)
        if self.ocr is not None and self.catalog.ocr.pending_pages():
            yield from self._recognise(self.ocr, summary)
            yield from self._embed_pending(summary)
        summary.waiting_for_ocr = self.catalog.ocr.pending_pages()
        summary.seconds = time.monotonic() - started
        yield summary

    def _recognise(self, ocr: PageReader, summary: Summary) -> Iterator[Progress]:
        for done, total, path, seconds in recognise_pending(self.catalog, ocr):
            summary.recognised = done
            rate = done / seconds if done and seconds > 0 else None
            yield Progress("recognising", done, total, path, rate, (total - done) / rate if rate else None)

    def _scan(
        self, root: str, exclusions: Exclusions, summary: Summary
    ) -> list[tuple[FoundFile, str, FileRecord | None]]:
        """New and changed files under root; files gone from it (or now excluded) are removed."""
        known = {record.path: record for record in self.catalog.files(folder=root)}
        seen, work = set(), []
        for found in scan(root, exclusions):
            seen.add(found.path)
            record = known.get(found.path) or self.catalog.file(found.path)
            unchanged = (
                record
                and record.status != "deleted"
                and (record.size, record.mtime) == (found.size, found.mtime)
            )
            if unchanged:
                summary.unchanged += 1
            else:
                work.append((found, root, record))
        gone = [path for path in known if path not in seen]
        self.catalog.mark_deleted(gone)
        summary.removed += len(gone)
        return work

    def _read(
        self, found: FoundFile, root: str, record: FileRecord | None, summary: Summary, at: tuple[int, int]
    ) -> Generator[Progress, None, FileIndexed | None]:
        path = Path(found.path)
        digest: str | None
        kind: str | None
        passages: list[Passage]
        reason: str | None
        scanned: tuple[int, ...] = ()
        date: float | None = None
        try:
            digest = content_hash(found.path)
        except OSError as error:
            digest, status, reason, kind, passages = (
                None,
                extraction.ERROR,
                f"cannot read: {error.strerror}",
                None,
                [],
            )
        else:
            if record and record.status != "deleted" and record.hash == digest:
                self.catalog.touch_file(found.path, found.size, found.mtime)
                summary.unchanged += 1
                return None
            kind, passages, status, reason = None, [], extraction.INDEXED, None
            try:
                read = yield from self._read_file(path, at)
                kind, passages, scanned, date = read.kind, read.passages, read.scanned, read.date
                status, reason = self._scanned_status(kind, passages, scanned)
                if self.ocr is None:
                    scanned = ()
            except extraction.Skipped as skipped:
                status, reason = skipped.status, skipped.reason
            except MemoryError:
                status, reason = extraction.ERROR, "needs more memory than a file may use (skipped)"
            except Exception as error:  # a bug or an odd file must not stop the run
                status, reason = extraction.ERROR, f"{type(error).__name__}: {str(error)[:200]}"
        self.catalog.save_file(
            path=found.path,
            folder=root,
            kind=kind or extraction.kind_for_suffix(path),
            size=found.size,
            mtime=found.mtime,
            hash=digest,
            status=status,
            reason=reason,
            passages=passages,
            scanned=scanned,
            date=date,
        )
        if status == extraction.INDEXED:
            summary.indexed += 1
            summary.passages += len(passages)
        else:
            summary.failed[f"{status}: {reason}" if status == extraction.ERROR else status] += 1
        return FileIndexed(found.path, status, reason, len(passages))

    def _read_file(self, path: Path, at: tuple[int, int]) -> Generator[Progress, None, FileRead]:
        """The reader's answer; one that tells its steps (the sandboxed one) says how far a big file
        got, and the consumer may pause or stop there (closing the steps ends the child's read)."""
        steps = getattr(self.reader, "steps", None)
        if steps is None:
            return self.reader(path, extraction.kind_for_suffix(path))
        reading = steps(path, extraction.kind_for_suffix(path))
        try:
            while True:
                yield Progress("reading", *at, str(path), inside=next(reading))
        except StopIteration as end:
            read: FileRead = end.value
            return read
        finally:
            reading.close()

    def _scanned_status(
        self, kind: str, passages: list[Passage], scanned: tuple[int, ...]
    ) -> tuple[str, str | None]:
        """A file with pages for OCR: searchable (by name, and by its text layer if any) while they
        wait; with OCR off, only a file with no text at all says so."""
        if not scanned:
            return extraction.INDEXED, None
        if self.ocr is not None:
            return extraction.INDEXED, waiting_reason(len(scanned))
        if passages:
            return extraction.INDEXED, None
        what = "an image" if kind == "image" else "scanned: no text layer"
        return extraction.NO_TEXT, f"{what} (OCR is off)"

    def _embed_pending(self, summary: Summary) -> Iterator[Progress]:
        pending = self.catalog.unsynced()
        total = sum(record.passages for record in pending)
        done = 0
        started = time.monotonic()
        window: list[FileRecord] = []
        size = 0
        yield Progress("embedding", 0, total, None)
        for index, record in enumerate(pending):
            window.append(record)
            size += record.passages
            if size < EMBED_WINDOW and index + 1 < len(pending):
                continue
            for progress_done in self._embed_window(window, summary):
                rate = (done + progress_done) / max(time.monotonic() - started, 1e-6)
                remaining = total - done - progress_done
                yield Progress(
                    "embedding",
                    done + progress_done,
                    total,
                    window[-1].path,
                    rate,
                    remaining / rate if rate > 0 else None,
                )
            done += size
            window, size = [], 0

    def _embed_window(self, records: list[FileRecord], summary: Summary) -> Iterator[int]:
        """Embed and store the passages of a few files; yields how many of them are done so far."""
        passages = {record.key: self.catalog.passages_of(record.key) for record in records}
        texts = {text_hash(p.text): p.text for ps in passages.values() for p in ps}
        known = self.catalog.vectors_with_hashes(texts)
        stored = self.store.vector_store.by_id(list(known.values()))
        vectors: dict[str, np.ndarray] = {
            digest: stored[vid] for digest, vid in known.items() if vid in stored
        }
        reused = sum(1 for ps in passages.values() for p in ps if text_hash(p.text) in vectors)
        summary.reused += reused
        missing = [digest for digest in texts if digest not in vectors]
        done = 0
        clock = time.monotonic()
        try:
            for batch, batch_vectors in self.embedder.embed_in_batches([texts[d] for d in missing]):
                for index, vector in zip(batch, batch_vectors):
                    vectors[missing[index]] = vector
                done += len(batch)
                summary.embedded += len(batch)
                summary.embed_seconds += time.monotonic() - clock
                yield reused + done
                clock = time.monotonic()
        except (GeneratorExit, KeyboardInterrupt):  # stopped halfway (a big file): keep what was done
            keep_embedded(self.store, records, passages, {d: vectors[d] for d in missing if d in vectors})
            raise
        clock = time.monotonic()
        sync_files(self.store, records, passages, vectors)
        summary.store_seconds += time.monotonic() - clock
        yield sum(len(ps) for ps in passages.values())
