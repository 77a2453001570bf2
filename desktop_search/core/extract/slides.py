"""PowerPoint 2007+ slides: one page per slide, its title first, then its shapes, tables,
groups and SmartArt in order, and the speaker notes last.

The parts are read straight from the zip (not through python-pptx, which refuses slide shows
and templates by their content type and loads every picture and video of the package).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from desktop_search.core.extract import ERROR, Page, Skipped, register
from desktop_search.core.extract.zipxml import (
    as_skipped,
    damaged,
    local,
    open_zip,
    read_xml,
    related,
    relationship_id,
    rels_of,
)

WHAT = "presentation"
_TITLES = {"title", "ctrTitle"}
_SKIPPED = {"sldNum"}  # the slide number placeholder: a bare number on every slide
_TITLE_IN_LABEL = 60  # characters of a slide title shown in "slide 7: Results"


@register("pptx", (".pptx", ".pptm", ".ppsx", ".ppsm", ".potx", ".potm"), container="zip")
def extract_pptx(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive:
        with damaged(WHAT):
            slides = _slide_parts(archive)
        pages: list[Page] = []
        failures: list[Skipped] = []
        for number, part in enumerate(slides, 1):
            try:
                title, text = _slide(archive, part)
            except Skipped:
                raise  # a crafted part (XML entities): the whole file is refused
            except Exception as error:  # one bad slide must not lose the others
                failures.append(as_skipped(WHAT, error))
                title, text = None, ""
            pages.append(Page(number, text, label=slide_label(number, title)))
    if failures and len(failures) == len(slides):
        raise failures[0]
    return pages


def slide_label(number: int, title: str | None) -> str:
    """ "slide 7", or "slide 7: Results" when the slide has a title (shortened to one line)."""
    title = " ".join((title or "").split())
    if not title:
        return f"slide {number}"
    if len(title) > _TITLE_IN_LABEL:
        title = title[: _TITLE_IN_LABEL - 1].rstrip() + "…"
    return f"slide {number}: {title}"


def _slide_parts(archive: zipfile.ZipFile) -> list[str]:
    """The slide parts in show order, from the presentation's list of slide ids."""
    main = next(iter(related(archive, "", "officeDocument")), "ppt/presentation.xml")
    if main not in archive.NameToInfo:
        raise Skipped(ERROR, f"damaged {WHAT}: no presentation part")
    relationships = rels_of(archive, main)
    slides = []
    for slide_id in read_xml(archive, main).iterfind(".//{*}sldIdLst/{*}sldId"):
        kind, target = relationships.get(relationship_id(slide_id, "id"), ("", ""))
        if kind == "slide" and target in archive.NameToInfo:
            slides.append(target)
    return slides


def _slide(archive: zipfile.ZipFile, part: str) -> tuple[str | None, str]:
    """(title, text) of one slide; hidden slides are read like the others."""
    titles: list[str] = []
    lines: list[str] = []
    diagrams = {
        rel_id: target
        for rel_id, (kind, target) in rels_of(archive, part).items()
        if kind == "diagramData" and target in archive.NameToInfo
    }
    _shapes(read_xml(archive, part), lines, titles, lambda rel_id: _diagram(archive, diagrams, rel_id))
    notes: list[str] = []
    for notes_part in related(archive, part, "notesSlide")[:1]:
        for shape in read_xml(archive, notes_part).iter("{*}sp"):
            if _placeholder(shape) == "body":
                notes.extend(_paragraphs(shape))
    title = " / ".join(t for t in titles if t) or None
    return title, slide_text(titles, lines, notes)


def slide_text(titles: list[str], lines: list[str], notes: list[str]) -> str:
    """The title first, then the rest of the slide, then its speaker notes after a "Notes:" line."""
    text = "\n".join(line for line in [*titles, *lines] if line.strip())
    notes_text = "\n".join(line for line in notes if line.strip())
    if notes_text:
        text = f"{text}\n\nNotes:\n{notes_text}" if text else f"Notes:\n{notes_text}"
    return text


def _shapes(
    element: etree._Element, lines: list[str], titles: list[str], diagram: Callable[[str], list[str]]
) -> None:
    """Text of the shapes below element, in document order; groups are walked recursively."""
    for child in element:
        name = local(child)
        if name == "Fallback":  # the same content again, for old readers
            continue
        if name == "sp":
            placeholder = _placeholder(child)
            if placeholder not in _SKIPPED:
                text = "\n".join(_paragraphs(child))
                (titles if placeholder in _TITLES else lines).append(text)
        elif name == "tbl":
            lines.extend(_table(child))
        elif name == "relIds":  # SmartArt: its text lives in a data part
            lines.extend(diagram(relationship_id(child, "dm")))
        else:
            _shapes(child, lines, titles, diagram)


def _placeholder(shape: etree._Element) -> str | None:
    placeholder = shape.find("{*}nvSpPr/{*}nvPr/{*}ph")
    if placeholder is None:
        return None
    return str(placeholder.get("type", "body"))  # a placeholder without a type is a body


def _paragraphs(element: etree._Element) -> list[str]:
    """Each DrawingML paragraph (a:p) below element as one line; line breaks kept."""
    paragraphs = []
    for paragraph in element.iter("{*}p"):
        parts = []
        for node in paragraph.iter():
            name = local(node)
            if name == "t" and node.text:
                parts.append(node.text)
            elif name == "br":
                parts.append("\n")
        paragraphs.append("".join(parts))
    return paragraphs


def _table(table: etree._Element) -> list[str]:
    """One line per row, its cells joined by " | " (merged-away cells are empty and skipped)."""
    rows = []
    for row in table.iterfind("{*}tr"):
        cells = [" ".join(" ".join(_paragraphs(cell)).split()) for cell in row.iterfind("{*}tc")]
        rows.append(" | ".join(cell for cell in cells if cell))
    return rows


def _diagram(archive: zipfile.ZipFile, diagrams: dict[str, str], rel_id: str) -> list[str]:
    if rel_id not in diagrams:
        return []
    data = read_xml(archive, diagrams[rel_id])
    return [line for point in data.iterfind(".//{*}pt/{*}t") for line in _paragraphs(point)]
