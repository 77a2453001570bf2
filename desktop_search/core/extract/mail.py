"""E-mail (.eml, .emlx, .mbox): each message is a part, its header lines then its body; each
attachment of a type we read adds the parts its own extractor finds, numbered after the messages.

Attached messages are read as messages. OCR does not reach inside mail: pages of attachments that
are only images of text are left out. Budgets stop nesting, part and size bombs early.
"""

from __future__ import annotations

import itertools
import mimetypes
import re
import time
from email.message import Message
from pathlib import Path
from tempfile import TemporaryDirectory

from desktop_search.core.extract import ERROR, Page, Skipped, extract, kind_for_suffix, register
from desktop_search.core.extract.mail_parts import (
    attached_message,
    date_of,
    header,
    leaf_text,
    mbox_messages,
    parse,
    payload_size,
    read_eml,
    repaired_multipart,
)

MAX_DEPTH = 3  # messages attached to messages attached to messages
MAX_LEVELS = 30  # multiparts inside multiparts
MAX_PARTS = 500  # MIME parts read in one message, its attached messages included
MAX_MESSAGES = 10_000  # read from one mbox
MAX_ATTACHMENT_BYTES = 50 << 20  # decoded from the attachments of one file
HEADER_BYTES = 1 << 20  # read to find a .eml's Date
LABEL_CHARS = 40  # of each piece of a label: a subject, a file name
HEADER_LINES = ("Subject", "From", "To", "Date")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")


@register("email", (".eml", ".emlx"))
def extract_email(path: Path) -> list[Page]:
    message = parse(read_eml(path))
    if message is None:
        raise Skipped(ERROR, "not an e-mail message")
    reader = _MailReader()
    label = _short(header(message, "subject"), 60) or "message"
    reader.add_message(message, 1, label, where="")
    return reader.pages()


@register("mbox", (".mbox",))
def extract_mbox(path: Path) -> list[Page]:
    reader = _MailReader()
    for data in mbox_messages(path):
        if reader.count == MAX_MESSAGES:
            break
        try:
            message = parse(data, in_mbox=True)
        except Exception:
            message = None
        if message is None:  # one unreadable message: it keeps its number, the others their pages
            reader.count += 1
            continue
        where = f"message {reader.count + 1}"
        subject = _short(header(message, "subject"))
        reader.add_message(message, reader.count + 1, f"{where}: {subject}" if subject else where, where)
    if not reader.count:
        raise Skipped(ERROR, "not an mbox mail folder: no messages in it")
    return reader.pages()


def mail_date(path: Path) -> float | None:
    """When the mail was sent, in POSIX seconds: a .eml's Date header, the newest message's of an
    mbox. None when there is none or it is impossible (unreadable, or later than tomorrow)."""
    try:
        if kind_for_suffix(path) == "mbox":
            messages = itertools.islice(mbox_messages(path), MAX_MESSAGES)
            dates = [_sane(parse(data, headers_only=True, in_mbox=True)) for data in messages]
        else:
            dates = [_sane(parse(read_eml(path, HEADER_BYTES), headers_only=True))]
    except Exception:  # an unreadable file has no date; its failure is told when it is read
        return None
    return max((date for date in dates if date is not None), default=None)


def _sane(message: Message | None) -> float | None:
    when = date_of(message) if message is not None else None
    return when if when is not None and 0 < when < time.time() + 86400 else None


class _MailReader:
    """The pages of one mail file, with the budgets they share."""

    def __init__(self) -> None:
        self.count = 0  # top-level messages
        self.messages: list[Page] = []
        self.attached: list[tuple[str, str]] = []  # (label, text): numbered after the messages
        self.bytes_left = MAX_ATTACHMENT_BYTES
        self.parts_left = MAX_PARTS

    def pages(self) -> list[Page]:
        first = self.count + 1
        return self.messages + [
            Page(first + index, text, label) for index, (label, text) in enumerate(self.attached)
        ]

    def add_message(self, message: Message, number: int, label: str, where: str) -> None:
        self.count = number
        self.parts_left = MAX_PARTS
        self.messages.append(Page(number, self._message_text(message, where, 0), label))

    def _message_text(self, message: Message, where: str, depth: int) -> str:
        lines = [f"{name}: {value}" for name in HEADER_LINES if (value := header(message, name))]
        texts = ["\n".join(lines)]
        self._collect(message, texts, where, depth, 0)
        return "\n\n".join(text.strip() for text in texts if text.strip())

    def _collect(self, part: Message, texts: list[str], where: str, depth: int, level: int) -> None:
        """The body text of this part into texts; its attachments and attached messages as parts."""
        if self.parts_left <= 0 or level > MAX_LEVELS:
            return
        self.parts_left -= 1
        content_type = part.get_content_type()
        try:
            if content_type in ("message/rfc822", "message/global"):
                inner = attached_message(part)
                if inner is not None:
                    self._nested(inner, _filename(part), where, depth)
            elif part.is_multipart():
                children = [child for child in part.get_payload() if isinstance(child, Message)]
                if content_type == "multipart/alternative" and children:
                    children = [_preferred(children)]
                for child in children:
                    self._collect(child, texts, where, depth, level + 1)
            elif part.get_content_maintype() == "multipart":
                repaired = repaired_multipart(part)
                if repaired is not None:
                    self._collect(repaired, texts, where, depth, level + 1)
            elif part.get_content_maintype() == "text" and not _is_attachment(part):
                texts.append(leaf_text(part))
            else:
                self._attachment(part, where, depth)
        except Exception:  # one damaged part is left out; the rest of the mail still reads
            return

    def _nested(self, message: Message, name: str, where: str, depth: int) -> None:
        if depth >= MAX_DEPTH:
            return
        subject = _short(header(message, "subject"))
        label = _join(where, _short(name) or (f"attached: {subject}" if subject else "attached message"))
        slot = len(self.attached)
        self.attached.append((label, ""))  # the message before its own attachments
        self.attached[slot] = (label, self._message_text(message, label, depth + 1))

    def _attachment(self, part: Message, where: str, depth: int) -> None:
        name = _filename(part)
        suffix = Path(name).suffix.lower() if name else ""
        if not _SUFFIX.fullmatch(suffix):
            suffix = mimetypes.guess_extension(part.get_content_type()) or ""
        kind = kind_for_suffix(Path(f"attachment{suffix}"))
        if kind is None or kind == "mbox" or payload_size(part) > self.bytes_left:
            return
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or len(data) > self.bytes_left:
            return
        self.bytes_left -= len(data)
        if kind == "email":
            inner = parse(data)
            if inner is not None:
                self._nested(inner, name, where, depth)
            return
        label = _join(where, _short(name) or f"attachment{suffix}")
        pages = [page for page in _extract_bytes(data, suffix) if not page.scanned]
        for page in pages:
            inside = _short(page.label or "") or (f"p. {page.number}" if page.number else "")
            full = f"{label}, {inside}" if inside and len(pages) > 1 else label
            self.attached.append((full, page.text))


def _extract_bytes(data: bytes, suffix: str) -> list[Page]:
    """An attachment's pages, read by the extractor its type routes to; none if it fails."""
    with TemporaryDirectory(prefix="desktop-search-mail-") as folder:
        target = Path(folder) / f"attachment{suffix}"
        target.write_bytes(data)
        try:
            return extract(target)[1]
        except Exception:  # Skipped, or a reader's failure: the mail still reads without it
            return []


def _preferred(alternatives: list[Message]) -> Message:
    """Of the same content in several forms: the plain text, else the richest (the last)."""
    for part in alternatives:
        if part.get_content_type() == "text/plain" and not _is_attachment(part):
            try:
                if leaf_text(part).strip():
                    return part
            except Exception:
                continue
    return alternatives[-1]


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:  # a malformed parameter
        return ""


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _join(*pieces: str) -> str:
    return " › ".join(piece for piece in pieces if piece)
