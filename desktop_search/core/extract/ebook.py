"""E-books (.epub): the chapters in reading order, each named as the book's table of contents names it."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

import lxml.html
from lxml import etree

from desktop_search.core.extract import ERROR, PASSWORD, Page, Skipped, register
from desktop_search.core.extract.zipxml import damaged, open_zip

WHAT = "e-book"
# Fonts scrambled so they cannot be reused elsewhere: the text itself is readable.
_FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
_HIDDEN = {"head", "script", "style", "template", "noscript", "rt", "rp"}  # rt/rp: ruby readings
_BLOCKS = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "pre",
    "blockquote", "dt", "dd", "article", "aside", "header", "footer", "figcaption", "hr", "table",
    "text",  # an SVG line, in fixed-layout books
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Item(NamedTuple):
    """A file the package document lists."""

    target: str  # its path in the zip
    media_type: str
    properties: str
    fallback: str | None  # the id of the item to show instead, for a reader that cannot show this one


_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_XML_RECOVER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding=[\"']([A-Za-z0-9._-]+)[\"']")


@register("epub", (".epub",), container="zip")
def extract_epub(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive, damaged(WHAT):
        return _read_book(archive)


def _read_book(archive: zipfile.ZipFile) -> list[Page]:
    package_path = _package_path(archive)
    package = etree.fromstring(archive.read(package_path), _XML_RECOVER)
    if package is None:
        raise Skipped(ERROR, "damaged e-book: unreadable package document")
    folder = posixpath.dirname(package_path)
    items: dict[str, _Item] = {}
    for item in package.iter("{*}item"):
        href = item.get("href")
        if item.get("id") and href:
            items[item.get("id", "")] = _Item(
                _resolve(folder, href),
                item.get("media-type", ""),
                item.get("properties", ""),
                item.get("fallback"),
            )
    chapters: list[str] = []  # in spine order, each once; pictures replaced by their text fallback
    for reference in package.iter("{*}itemref"):
        item = items.get(reference.get("idref", ""))
        for _ in range(8):  # a fallback chain, cut short if it loops
            if item is None or not _is_picture(item.media_type):
                break
            item = items.get(item.fallback or "")
        if item is not None and item.target not in chapters:
            chapters.append(item.target)
    if _drm_protected(archive, set(chapters)):
        raise Skipped(PASSWORD, "protected e-book (DRM)")
    titles = _titles(archive, items, package)
    pages: list[Page] = []
    failures: list[str] = []
    for number, target in enumerate(chapters, 1):
        try:
            text, heading = _document_text(archive.read(target))
        except (KeyError, ValueError, OSError, EOFError, zlib.error, etree.LxmlError) as error:
            failures.append(f"{target}: {str(error)[:80]}")  # one bad chapter must not lose the rest
            continue
        label = titles.get(target) or heading or f"chapter {number}"
        pages.append(Page(number, text, label=label[:120]))
    if failures and not any(page.text.strip() for page in pages):
        raise Skipped(ERROR, f"damaged e-book: no chapter could be read ({failures[0]})")
    return pages


def _package_path(archive: zipfile.ZipFile) -> str:
    """Where the package document (.opf) is: as META-INF/container.xml says, else the only .opf."""
    names = archive.namelist()
    if "META-INF/container.xml" in names:
        container = etree.fromstring(archive.read("META-INF/container.xml"), _XML_RECOVER)
        if container is not None:
            for rootfile in container.iter("{*}rootfile"):
                full_path = rootfile.get("full-path")
                if full_path and full_path in names:
                    return str(full_path)
    packages = [name for name in names if name.lower().endswith(".opf")]
    if not packages:
        raise Skipped(ERROR, "damaged e-book: no package document (.opf) in the archive")
    return packages[0]


def _resolve(folder: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(folder, unquote(href.split("#")[0])))


def _resolve_link(document: str, href: str) -> str:
    """A link in a document, as a path in the zip with its #fragment kept."""
    target, _, fragment = href.partition("#")
    resolved = _resolve(posixpath.dirname(document), target) if target else document
    return f"{resolved}#{fragment}" if fragment else resolved


def _is_picture(media_type: str) -> bool:
    return media_type.startswith("image/") and "svg" not in media_type


def _drm_protected(archive: zipfile.ZipFile, chapters: set[str]) -> bool:
    """Whether META-INF/encryption.xml lists a chapter encrypted otherwise than by font obfuscation."""
    if "META-INF/encryption.xml" not in archive.namelist():
        return False
    encryption = etree.fromstring(archive.read("META-INF/encryption.xml"), _XML_RECOVER)
    if encryption is None:
        return False
    for data in encryption.iter("{*}EncryptedData"):
        methods = [method.get("Algorithm", "") for method in data.iter("{*}EncryptionMethod")]
        if all(method in _FONT_OBFUSCATION for method in methods):
            continue
        for reference in data.iter("{*}CipherReference"):
            if _resolve("", reference.get("URI", "")) in chapters:
                return True
    return False


def _titles(archive: zipfile.ZipFile, items: dict[str, _Item], package: etree._Element) -> dict[str, str]:
    """Chapter file -> its title in the navigation document (EPUB 3), else in the NCX (EPUB 2).

    A file the table of contents points into several times (sections of one long file) is not
    named after its first section: its own heading names it better.
    """
    navigation = [item.target for item in items.values() if "nav" in item.properties.split()]
    ncx_id = next((spine.get("toc") for spine in package.iter("{*}spine")), None)
    ncx = [item.target for key, item in items.items() if key == ncx_id or item.media_type.endswith("ncx+xml")]
    entries: list[tuple[str, str]] = []  # (href, title) in the order of the table of contents
    try:
        if navigation:
            entries = _navigation_entries(archive, navigation[0])
        if not entries and ncx:
            entries = _ncx_entries(archive, ncx[0])
    except (KeyError, ValueError, OSError, EOFError, zlib.error, etree.LxmlError):
        pass  # no table of contents: chapters are named by their headings
    links: dict[str, list[tuple[str, str]]] = {}
    for href, title in entries:
        target, _, fragment = href.partition("#")
        links.setdefault(target, []).append((fragment, title))
    titles = {}
    for target, found in links.items():
        whole = [title for fragment, title in found if not fragment]
        if whole or len(found) == 1:
            titles[target] = (whole or [found[0][1]])[0]
    return titles


def _navigation_entries(archive: zipfile.ZipFile, target: str) -> list[tuple[str, str]]:
    root = _parse_document(archive.read(target))
    entries = []
    navs = [nav for nav in root.iter() if _name(nav) == "nav"]
    tocs = [nav for nav in navs if "toc" in (nav.get("{http://www.idpf.org/2007/ops}type") or "")]
    for nav in tocs or navs[:1]:
        for link in nav.iter():
            if _name(link) == "a" and link.get("href"):
                title = " ".join(_text(link).split())
                if title:
                    entries.append((_resolve_link(target, link.get("href", "")), title))
    return entries


def _ncx_entries(archive: zipfile.ZipFile, target: str) -> list[tuple[str, str]]:
    root = etree.fromstring(archive.read(target), _XML_RECOVER)
    entries: list[tuple[str, str]] = []
    if root is None:
        return entries
    for point in root.iter("{*}navPoint"):
        label = next(point.iter("{*}text"), None)
        content = next(point.iter("{*}content"), None)
        if label is not None and content is not None and content.get("src"):
            title = " ".join("".join(label.itertext()).split())
            if title:
                entries.append((_resolve_link(target, content.get("src", "")), title))
    return entries


def _document_text(data: bytes) -> tuple[str, str | None]:
    """(visible text, first heading) of an XHTML chapter."""
    root = _parse_document(data)
    heading = next(
        (" ".join(_text(e).split()) for e in root.iter() if _name(e) in _HEADINGS and _text(e).strip()),
        None,
    )
    return _text(root), heading


def _parse_document(data: bytes) -> etree._Element:
    """XHTML as XML; as HTML when it is not well-formed (or uses HTML entities without their DTD)."""
    try:
        root = etree.fromstring(data, _XML)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        match = _DECLARATION.match(data)
        encoding = match.group(1).decode() if match else "utf-8"
        try:
            markup = data.decode(encoding, errors="replace")
        except LookupError:
            markup = data.decode("utf-8", errors="replace")
        markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup.lstrip("\ufeff"))
        if not markup.strip():
            return etree.Element("html")
        root = lxml.html.document_fromstring(markup)
    return root


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname.lower() if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    """The visible text inside an element (not what follows it), blocks on lines of their own."""
    parts: list[str] = []
    _collect(element, parts, tail=False)
    return "".join(parts)


def _collect(element: etree._Element, parts: list[str], tail: bool = True) -> None:
    name = _name(element)
    if name and name not in _HIDDEN:
        block = name in _BLOCKS
        if block:
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            _collect(child, parts)
        if block:
            parts.append("\n")
    if tail and element.tail:
        parts.append(element.tail)
