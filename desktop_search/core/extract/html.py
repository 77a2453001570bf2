"""Visible text of an HTML page (also when it was saved under another name)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from desktop_search.core.extract import Page, register
from desktop_search.core.extract.text import decode

_HIDDEN = {"script", "style", "head", "template", "noscript"}
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "pre"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _HIDDEN:
            self._hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


@register("html", (".html", ".htm", ".xhtml"))
def extract_html(path: Path) -> list[Page]:
    return [Page(None, html_text(decode(path.read_bytes())))]


def html_text(markup: str) -> str:
    """The visible text of HTML markup (a page, a mail's body), blocks on lines of their own."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return "".join(collector.parts)
