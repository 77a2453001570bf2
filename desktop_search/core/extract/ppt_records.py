"""The slides of a PowerPoint 97-2003 file, read from its records ([MS-PPT]): each slide's text in
the order the presentation shows them, from the newest save only (fast saves append edits and
leave the old copies in the file)."""

from __future__ import annotations

import struct

import olefile

_DOCUMENT = 0x03E8
_SLIDE = 0x03EE
_SLIDE_ATOM = 0x03EF
_NOTES = 0x03F0
_SLIDE_LIST = 0x0FF0  # SlideListWithText; instance 0 lists the slides, 2 their notes
_SLIDE_PERSIST = 0x03F3
_TEXT_CHARS = 0x0FA0  # UTF-16
_TEXT_BYTES = 0x0FA8  # the low bytes of UTF-16, i.e. Latin-1
_USER_EDIT = 0x0FF5
_PERSIST_DIRECTORY = 0x1772
_MAX_DEPTH = 32
_MAX_EDITS = 4096


class Unreadable(Exception):
    """The records do not hold together; another reader may still get the text."""


def slide_texts(path: str) -> list[str]:
    """Each slide's text, in show order; Unreadable when the records are damaged."""
    try:
        with olefile.OleFileIO(path) as ole:
            current_user = ole.openstream("Current User").read(4096)
            stream = ole.openstream("PowerPoint Document").read()
        offset = struct.unpack_from("<I", current_user, 16)[0]  # CurrentUserAtom.offsetToCurrentEdit
        persist, document_id = _persist_directory(stream, offset)
        document = persist[document_id]
        if _header(stream, document)[1] != _DOCUMENT:
            raise Unreadable("no document record where the last edit points")
        lists: dict[int, int] = {}  # instance -> the slide list
        for child in _children(stream, document):
            version, kind, _ = _header(stream, child)
            if kind == _SLIDE_LIST:
                lists.setdefault(version >> 4, child)
        notes = _notes(stream, lists[2], persist) if 2 in lists else {}
        return _slides(stream, lists[0], persist, notes) if 0 in lists else []
    except (OSError, struct.error, KeyError, IndexError, ValueError) as error:
        raise Unreadable(str(error)) from error
    except Exception as error:  # olefile raises several types on damaged containers
        raise Unreadable(f"{type(error).__name__}: {error}") from error


def _header(stream: bytes, offset: int) -> tuple[int, int, int]:
    """(version and instance, type, length) of the record at offset."""
    return struct.unpack_from("<HHI", stream, offset)


def _children(stream: bytes, offset: int) -> list[int]:
    version, _, length = _header(stream, offset)
    if version & 0xF != 0xF:
        return []  # an atom: no records inside
    children, position, end = [], offset + 8, min(offset + 8 + length, len(stream))
    while position + 8 <= end:
        children.append(position)
        position += 8 + _header(stream, position)[2]
    return children


def _persist_directory(stream: bytes, offset: int) -> tuple[dict[int, int], int]:
    """Persist id -> record offset, the newest edit winning; and the document's persist id."""
    persist: dict[int, int] = {}
    document_id: int | None = None
    seen: set[int] = set()
    while offset and offset not in seen and len(seen) < _MAX_EDITS:
        seen.add(offset)
        if _header(stream, offset)[1] != _USER_EDIT:
            raise Unreadable("the edit chain points at no edit record")
        last_edit, directory, document = struct.unpack_from("<III", stream, offset + 16)
        if document_id is None:
            document_id = document
        _, kind, length = _header(stream, directory)
        if kind != _PERSIST_DIRECTORY:
            raise Unreadable("the edit points at no persist directory")
        position, end = directory + 8, directory + 8 + length
        while position + 4 <= end:
            entry = struct.unpack_from("<I", stream, position)[0]
            first, count = entry & 0xFFFFF, entry >> 20
            offsets = struct.unpack_from(f"<{count}I", stream, position + 4)
            for index, record in enumerate(offsets):
                persist.setdefault(first + index, record)
            position += 4 + 4 * count
        offset = last_edit
    if document_id is None:
        raise Unreadable("no edit record")
    return persist, document_id


def _slides(
    stream: bytes, slide_list: int, persist: dict[int, int], notes: dict[int, list[str]]
) -> list[str]:
    """The text of each slide: its placeholders (kept in the slide list), its own text boxes, then
    its speaker notes."""
    slides: list[list[str]] = []
    references: list[int] = []
    for child in _children(stream, slide_list):
        _, kind, _ = _header(stream, child)
        if kind == _SLIDE_PERSIST:
            slides.append([])
            references.append(struct.unpack_from("<I", stream, child + 8)[0])
        elif slides and kind in (_TEXT_CHARS, _TEXT_BYTES):
            slides[-1].append(_atom_text(stream, child))
    for texts, reference in zip(slides, references):
        record = persist.get(reference)
        if record is not None and _header(stream, record)[1] == _SLIDE:
            boxes: list[str] = []
            _collect_text(stream, record, boxes, 0)
            for child in _children(stream, record):
                if _header(stream, child)[1] == _SLIDE_ATOM:
                    boxes.extend(notes.get(struct.unpack_from("<I", stream, child + 24)[0], []))
            texts.extend(box for box in boxes if box not in texts)
    return ["\n".join(text for text in texts if text.strip(" *")) for texts in slides]


def _notes(stream: bytes, notes_list: int, persist: dict[int, int]) -> dict[int, list[str]]:
    """Notes id -> the text of those notes."""
    notes: dict[int, list[str]] = {}
    for child in _children(stream, notes_list):
        if _header(stream, child)[1] == _SLIDE_PERSIST:
            reference, notes_id = struct.unpack_from("<I8xI", stream, child + 8)
            record = persist.get(reference)
            if record is not None and _header(stream, record)[1] == _NOTES:
                texts: list[str] = []
                _collect_text(stream, record, texts, 0)
                notes[notes_id] = texts
    return notes


def _collect_text(stream: bytes, offset: int, texts: list[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    for child in _children(stream, offset):
        if _header(stream, child)[1] in (_TEXT_CHARS, _TEXT_BYTES):
            texts.append(_atom_text(stream, child))
        else:
            _collect_text(stream, child, texts, depth + 1)


def _atom_text(stream: bytes, offset: int) -> str:
    _, kind, length = _header(stream, offset)
    data = stream[offset + 8 : offset + 8 + length]
    text = data.decode("utf-16-le", "replace") if kind == _TEXT_CHARS else data.decode("latin-1")
    return text.replace("\r", "\n").replace("\x0b", "\n")
