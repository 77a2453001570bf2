"""What the command line prints: progress on one line, summaries, hits as text or JSON."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # not imported: a search served by a running instance prints with this alone
    from desktop_search.core.indexer import Progress, Summary
    from desktop_search.core.search import FileHit, PassageHit


class ProgressLine:
    """One self-rewriting line on a terminal; plain lines every few seconds otherwise."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self.last = 0.0

    def show(self, event: Progress) -> None:
        now = time.monotonic()
        if now - self.last < (0.1 if self.tty else 5.0) and event.done < event.total:
            return
        self.last = now
        unit = {"embedding": "passages", "recognising": "pages"}.get(event.phase, "files")
        share = event.done / event.total if event.total else 0.0
        width = 24
        bar = "#" * int(share * width) + "-" * (width - int(share * width))
        rate = f" {event.rate:.{1 if event.rate < 10 else 0}f} {unit}/s" if event.rate else ""
        eta = f" ETA {format_seconds(event.eta)}" if event.eta is not None else ""
        line = f"{event.phase:11s} [{bar}] {event.done}/{event.total} {unit}{rate}{eta}"
        if event.inside:  # a big file being read
            step, done, total = event.inside
            name = os.path.basename(event.path or "")
            line += f" {name}: {'page' if step == 'reading' else 'passages of page'} {done:,} of {total:,}"
        if self.tty:
            self.out.write("\r\x1b[K" + line[: os.get_terminal_size(self.out.fileno()).columns - 1])
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def note(self, message: str) -> None:
        self.clear()
        self.out.write(message + "\n")

    def clear(self) -> None:
        if self.tty:
            self.out.write("\r\x1b[K")
            self.out.flush()


def format_seconds(seconds: float) -> str:
    whole = int(seconds)
    if whole >= 3600:
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def print_summary(summary: Summary, out: TextIO) -> None:
    for folder in summary.missing_folders:
        out.write(f"folder not found (unplugged drive?), its files are kept: {folder}\n")
    out.write(
        f"indexed {summary.indexed} files ({summary.passages} passages), unchanged {summary.unchanged}, "
        f"removed {summary.removed}, not indexed {sum(summary.failed.values())}\n"
        f"embedded {summary.embedded} passages, reused {summary.reused}; "
        f"keyword-searchable after {summary.keyword_seconds:.1f} s, done in {summary.seconds:.1f} s\n"
    )
    if summary.recognised or summary.waiting_for_ocr:
        out.write(f"OCR read {summary.recognised} pages; {summary.waiting_for_ocr} waiting\n")
    for reason, count in summary.failed.most_common():
        out.write(f"  {count:5d}  {reason}\n")


def hit_json(hit: FileHit, passages: int = 0) -> dict[str, Any]:
    record: dict[str, Any] = {
        "path": hit.path,
        "page": hit.best.page,
        "where": hit.best.where,
        "ocr": hit.best.ocr,
        "score": round(hit.score, 6),
        "snippet": hit.best.snippet,
        "highlights": [list(span) for span in hit.best.highlights],
        "type": hit.kind,
        "close": hit.close,
    }
    if hit.copies:
        record["copies"] = list(hit.copies)
    if passages:
        record["passages"] = [passage_json(p) for p in hit.passages[:passages]]
    return record


def passage_json(passage: PassageHit) -> dict[str, Any]:
    return {
        "page": passage.page,
        "where": passage.where,
        "start": passage.start,
        "end": passage.end,
        "score": round(passage.score, 6),
        "ocr": passage.ocr,
        "snippet": passage.snippet,
        "highlights": [list(span) for span in passage.highlights],
    }


def hit_record(hit: FileHit, passages: int = 0) -> dict[str, Any]:
    """hit_json, and what the text lines also need ("_" keys, left out of the JSON printed): the
    hits as they travel from a running instance (cli/client.py) and as they are printed."""
    return {**hit_json(hit, passages), "_score": hit.score, "_mtime": hit.mtime}


def public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def print_found(answer: dict[str, Any], out: TextIO, as_json: bool, passages: int) -> None:
    """One search's answer (commands.search_answer) as text, or as a JSON array."""
    records = answer["hits"]
    if as_json:
        out.write(json.dumps([public(r) for r in records], ensure_ascii=False, indent=2) + "\n")
    elif answer["found"] and not records:
        out.write("no close matches (--nearest lists the nearest files anyway)\n")
    else:
        print_records(records, out, passages)


def print_batch_line(query: str, answer: dict[str, Any], out: TextIO) -> None:
    """One line of JSON Lines for a query of --queries."""
    hits = [public(r) for r in answer["hits"]]
    record = {"query": query, "hits": hits, "close": any(hit["close"] for hit in hits)}
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def print_hits(hits: list[FileHit], out: TextIO, passages: int = 0) -> None:
    print_records([hit_record(hit, passages) for hit in hits], out, passages)


def print_records(records: list[dict[str, Any]], out: TextIO, passages: int = 0) -> None:
    if not records:
        out.write("no results\n")
    bold = out.isatty()
    for rank, hit in enumerate(records, 1):
        where = f"  {hit['where']}" if hit["where"] else ""
        ocr = "  [OCR]" if hit["ocr"] else ""
        far = "" if hit["close"] else "  (not close)"
        copies = f"  ({len(hit['copies'])} copies)" if hit.get("copies") else ""
        # A listing (filters alone, core/search.py's listed()) ranks by date: its scores are 0.
        score = (
            f"  ({hit['_score']:.4f})"
            if hit["_score"]
            else f"  {time.strftime('%Y-%m-%d %H:%M', time.localtime(hit['_mtime']))}"
        )
        out.write(f"{rank:2d}. {hit['path']}{where}{ocr}{copies}{score}{far}\n")
        out.write(f"    {mark(hit['snippet'], hit['highlights'], bold)}\n")
        for passage in hit.get("passages", [])[1:passages]:
            where = f"{passage['where']}: " if passage["where"] else ""
            out.write(f"      · {where}{mark(passage['snippet'], passage['highlights'], bold)}\n")


def mark(snippet: str, spans: Iterable[Iterable[int]], bold: bool) -> str:
    opening, closing = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    for start, end in sorted((tuple(span) for span in spans), reverse=True):
        snippet = snippet[:start] + opening + snippet[start:end] + closing + snippet[end:]
    return snippet
