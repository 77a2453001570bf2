"""Word .docx text in reading order: body (tables, text boxes), notes, headers and footers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.package import Package

from desktop_search.core.extract import ERROR, Page, Skipped, register

_PARAGRAPH, _TEXT, _TAB = qn("w:p"), qn("w:t"), qn("w:tab")
_BREAKS = {qn("w:br"), qn("w:cr")}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_EXTRA_PARTS = (RT.FOOTNOTES, RT.ENDNOTES, RT.HEADER, RT.FOOTER, RT.COMMENTS)
MAX_UNPACKED = 512 << 20  # a real document's parts are far smaller; more is a zip bomb


@register("docx", (".docx", ".docm", ".dotx", ".dotm"), container="zip")
def extract_docx(path: Path) -> list[Page]:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise Skipped(ERROR, f"unpacks to {unpacked >> 20} MB: refused as a possible zip bomb")
        # Package.open, not docx.Document: the latter refuses macro-enabled and template files.
        document_part = Package.open(str(path)).main_document_part
        parts = [document_part]
        for relationship in document_part.rels.values():
            if relationship.reltype in _EXTRA_PARTS and not relationship.is_external:
                parts.append(relationship.target_part)
        lines: list[str] = []
        seen_parts = set()
        for part in parts:
            element = part.element if hasattr(part, "element") else _parse(part.blob)
            paragraphs: list[str] = []
            _walk(element, paragraphs, [])
            text = "\n".join(p for p in paragraphs if p.strip())
            if text and text not in seen_parts:  # headers repeat per section
                seen_parts.add(text)
                lines.append(text)
    except Skipped:
        raise
    except PackageNotFoundError as error:
        raise Skipped(ERROR, "damaged Word file: not a valid .docx package") from error
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError) as error:
        raise Skipped(ERROR, f"damaged Word file: {str(error)[:200]}") from error
    except Exception as error:  # lxml and python-docx raise many types on corrupt parts
        raise Skipped(ERROR, f"damaged Word file: {type(error).__name__}: {str(error)[:160]}") from error
    return [Page(None, "\n\n".join(lines))]


def _parse(blob: bytes):  # type: ignore[no-untyped-def]
    from docx.oxml.parser import parse_xml

    return parse_xml(blob)


def _walk(element, paragraphs: list[str], buffer: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Collect each w:p's own text, in document order; nested paragraphs (text boxes) apart."""
    for child in element:
        tag = child.tag
        if tag == _FALLBACK:  # the same content again, for old readers
            continue
        if tag == _PARAGRAPH:
            inner: list[str] = []
            _walk(child, paragraphs, inner)
            paragraphs.append("".join(inner))
        elif tag == _TEXT:
            buffer.append(child.text or "")
        elif tag == _TAB:
            buffer.append("\t")
        elif tag in _BREAKS:
            buffer.append("\n")
        else:
            _walk(child, paragraphs, buffer)


__all__ = ["docx", "extract_docx"]
