"""A passage to the few sentences shown in a result, with the matched words' spans."""

from __future__ import annotations

import re

SNIPPET_CHARS = 280
# Around each match in a passage's text as the catalog marks it (control characters no text holds).
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
_SENTENCE = re.compile(r".+?(?:[.!?。！？]+(?=\s)|\n|$)\s*", re.DOTALL)


def snippet_of(marked: str, width: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentences around the most matches, collapsed to one line, and the match spans."""
    sentences = [m.group(0) for m in _SENTENCE.finditer(marked)] or [marked]
    best = max(range(len(sentences)), key=lambda i: (sentences[i].count(MARK_OPEN), -i))
    chosen = sentences[best]
    for following in sentences[best + 1 :]:
        if len(_plain(chosen)) >= width:
            break
        chosen += following
    text, spans, open_at = "", [], -1
    for char in " ".join(chosen.split()):
        if char == MARK_OPEN:
            open_at = len(text)
        elif char == MARK_CLOSE:
            spans.append((open_at, len(text)))
        else:
            text += char
    if len(text) > width:
        cut = text.rfind(" ", 0, width)
        cut = cut if cut > width // 2 else width
        text = text[:cut] + "…"
        spans = [(s, min(e, cut)) for s, e in spans if s < cut]
    return text, tuple(spans)


def _plain(marked: str) -> str:
    return marked.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
