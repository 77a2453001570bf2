"""The XML parts of an Office or OpenDocument zip, read safely: bounded sizes, no entities."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

from lxml import etree

from desktop_search.core.extract import ERROR, Skipped

# A zip bomb is a part that unpacks to far more than it takes in the file. Counting what unpacking
# adds (not what it yields) lets a big presentation of videos through: they barely compress.
MAX_UNPACKED = 512 << 20  # bytes added by unpacking all parts of one file; real documents add less
MAX_PART = 64 << 20  # one part parsed into a tree (a slide, a text's body)

_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_PARSER = etree.XMLParser(**_SAFE)


@contextmanager
def damaged(what: str) -> Iterator[None]:
    """Any library error inside becomes Skipped(ERROR, "damaged <what>: …")."""
    try:
        yield
    except Skipped:
        raise
    except Exception as error:  # lxml, zlib and the readers raise many types on corrupt input
        raise as_skipped(what, error) from error


def as_skipped(what: str, error: Exception) -> Skipped:
    """The failure a user sees for a library error on a damaged file."""
    if isinstance(error, Skipped):
        return error
    if isinstance(error, zipfile.BadZipFile):
        reason = _short(error)
    elif isinstance(error, KeyError):
        reason = f"a part is missing ({_short(error)})"
    elif isinstance(error, MemoryError):
        reason = "too large to read"
    else:
        reason = f"{type(error).__name__}: {_short(error)}"
    return Skipped(ERROR, f"damaged {what}: {reason}")


T = TypeVar("T")


def until_failure(items: Iterator[T], failures: list[Skipped], what: str) -> Iterator[T]:
    """The items until reading them fails on a damaged part: the failure is noted in failures,
    what was read before it is kept. Skipped (a crafted file) still ends the whole file."""
    try:
        yield from items
    except Skipped:
        raise
    except Exception as error:
        failures.append(as_skipped(what, error))


def _short(error: BaseException) -> str:
    return " ".join(str(error).split())[:160].strip("\"'")


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """The archive, refused when unpacking its parts would add more than MAX_UNPACKED."""
    with damaged(what):
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    added = sum(max(0, member.file_size - member.compress_size) for member in members)
    if added > MAX_UNPACKED:
        archive.close()
        unpacked = sum(member.file_size for member in members)
        raise Skipped(ERROR, f"unpacks to {unpacked >> 20} MB: refused as a possible zip bomb")
    return archive


def open_part(archive: zipfile.ZipFile, name: str, limit: int = MAX_UNPACKED) -> IO[bytes]:
    """A part as a stream, refused when it unpacks to more than limit (zipfile enforces the size)."""
    if archive.getinfo(name).file_size > limit:
        raise Skipped(ERROR, f"the part {name} is too large to read")
    return archive.open(name)


def parse(data: bytes | IO[bytes]) -> etree._Element:
    """A tree with no entity expanded and nothing fetched; entity declarations are refused."""
    if isinstance(data, bytes):
        root = etree.fromstring(data, _PARSER)
    else:
        root = etree.parse(data, _PARSER).getroot()
    refuse_entities(root)
    return root


def refuse_entities(root: etree._Element) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise Skipped(ERROR, "refused: the file declares XML entities (an entity bomb or XXE)")


def iterparse(stream: IO[bytes], events: tuple[str, ...] = ("end",), tag: str | None = None) -> Any:
    """lxml's iterparse, safe like parse (entity declarations are refused by its users)."""
    return etree.iterparse(stream, events=events, tag=tag, **_SAFE)


def elements(stream: IO[bytes], tag: str) -> Iterator[etree._Element]:
    """The elements of one name (any namespace) one at a time, each dropped once used, so a
    part of any length is read in little memory."""
    first = True
    for _, element in iterparse(stream, tag=f"{{*}}{tag}"):
        if first:
            refuse_entities(element)
            first = False
        yield element
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def read_xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    with open_part(archive, name, MAX_PART) as stream:
        return parse(stream)


def local(element: etree._Element) -> str:
    """The tag without its namespace ('' for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


# OOXML relationships: which part a part points to, by type.


def rels_of(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """id -> (type's last word, target part name) for a part's internal relationships."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    relationships = {}
    for rel in read_xml(archive, rels_name):
        if local(rel) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target.lstrip("/")
        else:
            target = posixpath.normpath(posixpath.join(folder, target))
        relationships[rel.get("Id", "")] = (rel.get("Type", "").rpartition("/")[2], target)
    return relationships


def relationship_id(element: etree._Element, name: str = "id") -> str:
    """The r:name attribute, whatever the relationships namespace (transitional or strict)."""
    for key, value in element.attrib.items():
        if key.startswith("{") and key.endswith("}" + name):
            return str(value)
    return ""


def related(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The parts of one relationship type ("slide", "notesSlide", …) that exist in the archive."""
    return [
        target
        for rel_kind, target in rels_of(archive, part).values()
        if rel_kind == kind and target in archive.NameToInfo
    ]
