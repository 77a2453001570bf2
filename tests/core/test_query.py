"""What the user typed, understood: words, "phrases", -excluded words, and their FTS5 forms."""

from __future__ import annotations

from desktop_search.core.highlight import terms_for
from desktop_search.core.query import parse


def test_words_phrases_and_exclusions_are_told_apart():
    query = parse('borrow "shared state" -unsafe checker')
    assert query.words == ("borrow", "checker")
    assert query.phrases == ("shared state",)
    assert query.excluded == ("unsafe",)
    assert query.semantic_text == "borrow shared state checker"  # in order, no exclusions


def test_excluded_phrase_and_unclosed_quote():
    query = parse('-"dead code" "open quote')
    assert query.excluded == ("dead code",)
    assert query.phrases == ("open quote",)


def test_edge_punctuation_is_trimmed_inside_kept():
    query = parse("(borrow), checker! R_LIBS_USER. e-mail")
    assert query.words == ("borrow", "checker", "R_LIBS_USER", "e-mail")


def test_punctuation_alone_and_empty_input_are_empty():
    for text in ("", "   ", "!!! -- ...", '""', "-"):
        query = parse(text)
        assert query.is_empty(), text
        assert query.fts_match() is None and query.fts_any() is None and query.fts_whole() is None


def test_stop_words_leave_the_ranking_unless_alone():
    query = parse("the borrow of checker")
    assert query.content_words() == ["borrow", "checker"]
    assert query.fts_match() == '("borrow" OR "checker")'
    assert query.fts_whole() == '"the borrow of checker"'  # the whole phrase keeps them
    assert parse("the of").content_words() == ["the", "of"]


def test_fts_match_requires_phrases_and_excludes_words():
    query = parse('borrow "shared state" -unsafe -raw')
    assert query.fts_match() == '(("borrow") AND "shared state") NOT ("unsafe" OR "raw")'
    assert query.fts_any() == '"borrow" OR "shared state"'
    assert query.fts_whole() is None  # a quoted phrase already says what must match verbatim
    assert query.constraints() == ('"shared state"', '"unsafe" OR "raw"')


def test_constraints_are_none_without_phrases_or_exclusions():
    assert parse("borrow checker").constraints() == (None, None)


def test_quotes_inside_a_word_are_escaped_for_fts5():
    query = parse('say"hi')
    assert query.words == ('say"hi',)
    assert query.fts_match() == '("say""hi")'


def test_command_line_options_are_looked_up_not_excluded():
    assert parse("--nomip").words == ("nomip",)
    assert parse("glpsol --nomip").excluded == ()
    assert parse("--enable-strict-posix-default").fts_match() == '("enable-strict-posix-default")'
    only_exclusion = parse("-verbose")
    assert only_exclusion.words == ("verbose",) and not only_exclusion.excluded
    assert parse("bash -posix").excluded == ("posix",)


def test_only_content_words_and_phrases_are_marked_as_hits():
    query = parse('what happens when I turn the list into a "hash map" before it is sorted')
    assert query.fts_any() == '"happens" OR "turn" OR "list" OR "sorted" OR "hash map"'
    assert terms_for(query.text, ()) == ("hash map", "happens", "turn", "list", "sorted")
