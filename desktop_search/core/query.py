"""What the user typed, understood: words, "exact phrases" and -excluded words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_search.core.cjk import with_pairs

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Function words: out of the ranked keyword OR and never marked as hits (NLTK's English list).
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves
    """.split()  # noqa: SIM905  (a list of 127 quoted words reads worse)
)
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$", re.UNICODE)


@dataclass(frozen=True)
class Query:
    text: str
    words: tuple[str, ...]
    phrases: tuple[str, ...]
    excluded: tuple[str, ...]
    semantic_text: str  # what the model embeds: words and phrases in order, no exclusions

    def is_empty(self) -> bool:
        return not (self.words or self.phrases)

    def content_words(self) -> list[str]:
        """The words without "the", "of"… (all of them when there is nothing else)."""
        return [w for w in self.words if w.lower() not in STOPWORDS] or list(self.words)

    def fts_match(self, alone: Sequence[str] | None = None) -> str | None:
        """FTS5 expression: any content word ranks, every phrase must match, exclusions must not.

        Stop words stay out of the OR: they add almost nothing to BM25 but make FTS5 rank every
        passage holding "the", which slows every query on a large index. The whole-query phrase
        list still sees them. alone: only these terms match on their own, the others only in
        passages holding every term (fewer passages for FTS5 to rank, see core/first_stage.py).
        """
        if self.is_empty():
            return None
        parts = []
        if self.words:
            terms = self.ranked_terms()
            ranked = [quote(t) for t in terms if alone is None or t in alone]
            if alone is not None and len(terms) > 1:
                ranked.append("(" + " AND ".join(quote(t) for t in terms) + ")")
            parts.append("(" + " OR ".join(ranked) + ")")
        parts.extend(quote(p) for p in self.phrases)
        expression = " AND ".join(parts)
        if self.excluded:
            expression = f"({expression}) NOT (" + " OR ".join(quote(w) for w in self.excluded) + ")"
        return expression

    def fts_any(self) -> str | None:
        """Any word or phrase: the terms to mark in a snippet (not "the", "of"… unless alone)."""
        terms = [*self.ranked_terms(), *self.phrases]
        return " OR ".join(quote(t) for t in terms) if terms else None

    def ranked_terms(self) -> list[str]:
        """The content words, and the character pairs of each CJK run in them (core/cjk.py)."""
        return [term for word in self.content_words() for term in with_pairs(word)]

    def fts_whole(self) -> str | None:
        """The whole query as one phrase: passages holding it verbatim deserve the top."""
        if not self.words or self.phrases:
            return None
        return quote(" ".join(self.words))

    def constraints(self) -> tuple[str | None, str | None]:
        """(FTS5 expression every hit must match, expression no hit may match)."""
        required = " AND ".join(quote(p) for p in self.phrases) or None
        forbidden = " OR ".join(quote(w) for w in self.excluded) or None
        return required, forbidden


def quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _has_word_character(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def parse(text: str, keep_exclusions: bool = False) -> Query:
    """keep_exclusions: -words alone stay exclusions (of a listing, core/search.py), not words."""
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    kept: list[str] = []
    for match in _TOKEN.finditer(text):
        negated, phrase, bare = match.groups()
        if phrase is not None:
            phrase = " ".join(phrase.split())
            if _has_word_character(phrase):
                (excluded if negated else phrases).append(phrase)
                if not negated:
                    kept.append(phrase)
            continue
        if bare.startswith("-") and len(bare) > 1 and bare[1] != "-":
            word = _EDGE_PUNCTUATION.sub("", bare[1:])
            if word:
                excluded.append(word)
            continue
        word = _EDGE_PUNCTUATION.sub("", bare)
        if word and _has_word_character(word):
            words.append(word)
            kept.append(bare)
    if excluded and not (words or phrases or keep_exclusions):
        # Nothing left to look for: "-nomip" alone is an option someone looks up, not an exclusion.
        words = [w for w in (_EDGE_PUNCTUATION.sub("", t) for t in text.split()) if _has_word_character(w)]
        return Query(text, tuple(words), (), (), " ".join(text.split()))
    return Query(text, tuple(words), tuple(phrases), tuple(excluded), " ".join(kept))
