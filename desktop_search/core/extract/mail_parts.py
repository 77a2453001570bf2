"""The pieces of an e-mail the mail extractor reads: messages out of .eml, .emlx and mbox files,
headers and bodies decoded whatever charset they claim, and the repairs damaged mail needs."""

from __future__ import annotations

import base64
import quopri
import re
from collections.abc import Iterator
from datetime import UTC
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from desktop_search.core.extract import Skipped
from desktop_search.core.extract.html import html_text
from desktop_search.core.extract.text import decode

MAX_MESSAGE_BYTES = 100 << 20  # of one message; what lies beyond is left unread
MAX_BOUNDARY_LINES = 1000  # of one message: the parser takes about a millisecond a part

# Charsets mail programs declare, read as the superset they really write (as browsers do).
_CHARSETS = {
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
}
# At least one of these makes a block of "Name: value" lines an e-mail's header.
_MAIL_HEADERS = {
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "received",
    "return-path",
    "sender",
    "delivered-to",
    "mime-version",
    "content-type",
}
_BOUNDARY = re.compile(r'boundary\s*=\s*"?([^";\s]+)', re.IGNORECASE)
_ESCAPED_FROM = re.compile(rb">+From ")


def parse(data: bytes, headers_only: bool = False, in_mbox: bool = False) -> EmailMessage | None:
    """The message in these bytes, or None when they hold no e-mail headers (in an mbox, its
    "From " line makes it a message all the same)."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(_cut(data), headersonly=headers_only)
    except RecursionError:  # parts nested thousands deep: keep the headers at least
        message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    if not in_mbox and not any(key.lower() in _MAIL_HEADERS for key in message):
        return None
    assert isinstance(message, EmailMessage)  # what policy.default builds
    return message


def _cut(data: bytes) -> bytes:
    """The message up to its MAX_BOUNDARY_LINES-th line starting "--" (what parts bombs are made
    of); the parser reads a message cut short as one whose last parts are missing."""
    position = -1
    for _ in range(MAX_BOUNDARY_LINES):
        position = data.find(b"\n--", position + 1)
        if position < 0:
            return data
    return data[:position]


def read_eml(path: Path, limit: int = MAX_MESSAGE_BYTES) -> bytes:
    with path.open("rb") as stream:
        data = stream.read(limit)
    if path.suffix.lower() == ".emlx":
        # Apple Mail: a line with the message's length in bytes, the message, then a property list.
        length, _, rest = data.partition(b"\n")
        if length.strip().isdigit():
            data = rest[: int(length)]
    return data


def mbox_messages(path: Path) -> Iterator[bytes]:
    """The messages of an mbox file, each begun by a line "From ", read as a stream."""
    lines: list[bytes] | None = None  # None until the first "From " line
    size = 0
    with path.open("rb") as stream:
        for line in iter(lambda: stream.readline(1 << 16), b""):
            if line.startswith(b"From "):
                if lines is not None:
                    yield b"".join(lines)
                lines, size = [], 0
            elif lines is not None and size < MAX_MESSAGE_BYTES:
                lines.append(line[1:] if _ESCAPED_FROM.match(line) else line)
                size += len(line)
    if lines is not None:
        yield b"".join(lines)


def header(message: Message, name: str) -> str:
    """A header's text, its encoded words decoded; raw 8-bit text read in the message's charset."""
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # a header too broken for the parser's own repairs
        return ""
    if "\ufffd" in text:  # raw 8-bit bytes that are not UTF-8
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                data = raw.encode("ascii", "surrogateescape")
                text = decode_text(data, message.get_content_charset())
                break
    return " ".join(text.split())


def decode_text(data: bytes, charset: str | None) -> str:
    """Bytes in their declared charset, else UTF-8, else whatever charset they look like."""
    declared = _CHARSETS.get(charset or "", charset)
    for name in (declared, "utf-8"):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    if declared:
        try:
            return data.decode(declared, errors="replace")
        except LookupError:
            pass  # a charset nobody knows ("X-UNKNOWN")
    try:
        return decode(data)
    except Skipped:  # NUL bytes: not text, but keep what reads as text
        return data.replace(b"\x00", b"").decode("utf-8", errors="replace")


def leaf_text(part: Message) -> str:
    """The text of a text/* part, transfer encoding undone (base64, quoted-printable, uuencode)."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    text = decode_text(data, part.get_content_charset())
    return html_text(text) if part.get_content_type() == "text/html" else text


def payload_size(part: Message) -> int:
    """About how many bytes a part decodes to, told before decoding it."""
    raw = part.get_payload()
    size = len(raw) if isinstance(raw, str) else 0
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    return size * 3 // 4 if encoding == "base64" else size


def repaired_multipart(part: Message) -> Message | None:
    """A multipart whose boundary the parser misread (unquoted, with "=" in it), parsed again."""
    raw_type = next((raw for key, raw in part.raw_items() if key.lower() == "content-type"), "")
    found = _BOUNDARY.search(raw_type)
    body = part.get_payload()
    if not found or found.group(1) == part.get_boundary() or not isinstance(body, str):
        return None
    head = f'Content-Type: {part.get_content_type()}; boundary="{found.group(1)}"\n\n'
    data = head.encode("ascii", "replace") + body.encode("ascii", "surrogateescape")
    repaired = BytesParser(policy=policy.default).parsebytes(data)
    return repaired if repaired.is_multipart() else None


def attached_message(part: Message) -> Message | None:
    """The message inside a message/rfc822 part, also when it was sent base64 or quoted-printable
    (which the parser does not undo)."""
    inner = next(iter(part.get_payload() or []), None)
    if not isinstance(inner, Message):
        return None
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    raw = inner.get_payload()
    if encoding in ("base64", "quoted-printable") and not inner.keys() and isinstance(raw, str):
        data = raw.encode("ascii", "surrogateescape")
        decoded = base64.b64decode(data) if encoding == "base64" else quopri.decodestring(data)
        return parse(decoded)
    return inner


def date_of(message: Message) -> float | None:
    """POSIX seconds of the Date header; None when missing or unreadable (an unknown zone is UTC)."""
    raw = next((raw for key, raw in message.raw_items() if key.lower() == "date"), None)
    if not raw:
        return None
    try:
        when = parsedate_to_datetime(" ".join(raw.split()))
        return when.timestamp() if when.tzinfo else when.replace(tzinfo=UTC).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
