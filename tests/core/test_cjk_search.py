"""Keyword search in Chinese, Japanese and Korean tldr pages: a word from the middle of a sentence
finds its page first, in the index of a new catalog and in one an older catalog gets on opening."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from desktop_search.core.catalog import Catalog, file_key
from desktop_search.core.catalog.ocr_pages import OcrPage
from desktop_search.core.chunking import Passage
from desktop_search.core.cjk import has_cjk, spaced, unspaced
from desktop_search.core.filters import Filters
from desktop_search.core.query import parse
from tests.helpers import CORPUS, copy_files, run, run_cli

TLDR = CORPUS / "text" / "tldr"
PAGES = {  # folder in the index -> tldr pages of one language
    "zh": [
        TLDR / "pages.zh" / "common" / name
        for name in ("git-blame.md", "git-cherry.md", "axel.md", "yt-dlp.md")
    ],
    "zh_TW": [TLDR / "pages.zh_TW" / "common" / name for name in ("cargo-run.md", "docker-exec.md")],
    "ja": [TLDR / "pages.ja" / "common" / name for name in ("tmux.md", "ls.md", "curl.md")],
    "ko": [TLDR / "pages.ko" / "common" / name for name in ("axel.md", "suspend.md")],
    "en": [TLDR / "pages" / "common" / name for name in ("docker-exec.md", "aria2.md", "brew.md")],
}
# (page, a word inside a longer run of its script: a token of its own nowhere in the page)
WORDS = [
    ("zh/git-blame.md", "哈希"),  # 提交哈希值: commit hash
    ("zh/axel.md", "加速器"),  # 一款下载加速器: a download accelerator
    ("zh_TW/cargo-run.md", "二進位"),  # 執行二進位的工作目錄: the binary's working directory
    ("ja/tmux.md", "端末"),  # 端末のマルチプレクサ: terminal multiplexer
    ("ja/ls.md", "ディレクトリ"),  # ディレクトリの内容: the directory's contents
    ("ko/axel.md", "가속기"),  # 가속기를: the accelerator (with its particle)
]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    from desktop_search.services import Services

    root = tmp_path_factory.mktemp("cjk")
    for folder, pages in PAGES.items():
        copy_files(pages, root / "pages" / folder)
    services = Services.open(str(root / "data"))
    run(services, [str(root / "pages")])
    yield services, root / "pages"
    services.close()


def tokens(text: str) -> set[str]:
    """The words the main keyword index sees (unicode61: runs of letters and digits)."""
    return set(re.findall(r"\w+", text.lower()))


def test_a_query_run_is_searched_by_its_phrase_and_character_pairs():
    text = PAGES["ja"][0].read_text(encoding="utf-8")
    assert unspaced(spaced(text)) == text and len(spaced(text)) > len(text)
    assert parse("下载速度 borrow").fts_match() == '("下载速度" OR "下载" OR "载速" OR "速度" OR "borrow")'
    assert parse("哈希 -提交").fts_match() == '(("哈希")) NOT ("提交")'  # two characters: a word
    assert parse("borrow checker").fts_match() == '("borrow" OR "checker")'


@pytest.mark.parametrize("page, word", WORDS)
def test_a_word_from_mid_sentence_finds_its_page_first(indexed, page, word):
    services, pages = indexed
    text = (pages / page).read_text(encoding="utf-8")
    assert word in text and word not in tokens(text), "inside a longer run: the main index misses it"
    for mode in ("keyword", "hybrid"):
        best = services.searcher().search(word, 5, mode=mode)[0]
        assert best.path == str(pages / page), mode
        marked = [best.best.snippet[start:end] for start, end in best.best.highlights]
        assert marked and set(marked) == {word}, "the snippet marks the word"


def test_a_query_typed_as_one_run_finds_its_words_in_another_order(indexed):
    services, pages = indexed
    text = (pages / "zh/axel.md").read_text(encoding="utf-8")
    assert "限制下载速度" in text and "下载速度限制" not in text  # "limit download speed"
    hits = services.searcher().search("下载速度限制", 5, mode="keyword")
    assert hits[0].path == str(pages / "zh/axel.md")
    assert str(pages / "zh/yt-dlp.md") in [hit.path for hit in hits], "it downloads (下载) too"


def test_required_phrases_and_excluded_words_in_chinese(indexed):
    services, pages = indexed
    searcher = services.searcher()
    required = searcher.search('"哈希值" git', 10)
    assert [hit.path for hit in required] == [str(pages / "zh/git-blame.md")]
    excluded = searcher.search("git -提交", 10)  # git without commits (提交)
    paths = {hit.path for hit in excluded}
    assert (
        paths and str(pages / "zh/git-blame.md") not in paths and str(pages / "zh/git-cherry.md") not in paths
    )
    assert all("提交" not in Path(path).read_text(encoding="utf-8") for path in paths)


def test_a_latin_query_ranks_as_the_main_index_alone_does(indexed):
    services, pages = indexed
    catalog = services.store.catalog
    expression = '("docker" OR "container")'
    alone = [
        row[0]
        for row in catalog.db.execute(
            "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank", (expression,)
        )
    ]
    assert len(alone) >= 2 and catalog.retrieval.ranked_passages(expression, Filters(), 10) == alone[:10]
    best = services.searcher().search("alias of aria2c", 3)[0]
    assert best.path == str(pages / "en/aria2.md")


def test_the_cjk_index_follows_edits_and_deletions(services_factory, tmp_path):
    folder = tmp_path / "pages"
    edited, deleted = copy_files([PAGES["ja"][1], PAGES["ko"][0]], folder)
    services = services_factory()
    run(services, [str(folder)])
    searcher = services.searcher()
    assert searcher.search("가속기", 3, mode="keyword")[0].path == str(deleted)
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("ディレクトリ", "フォルダ"), encoding="utf-8"
    )
    deleted.unlink()
    run(services, [str(folder)])
    assert searcher.search("フォルダ", 3, mode="keyword")[0].path == str(edited)
    assert searcher.search("ディレクトリ", 3, mode="keyword") == []
    assert searcher.search("가속기", 3, mode="keyword") == []
    db = services.store.catalog.db
    assert cjk_rows(db) == passages_with_cjk(db) != set()


def test_an_older_catalog_gets_the_cjk_index_on_opening(services_factory, tmp_path):
    folder = tmp_path / "pages"
    copy_files([*PAGES["zh"][:2], *PAGES["en"][:1]], folder)
    services = services_factory()
    run(services, [str(folder)])
    catalog_file = services.store.catalog.path
    services.close()
    with closing(sqlite3.connect(catalog_file)) as db, db:  # as a catalog made before the CJK index
        db.execute("DROP TRIGGER passages_cjk_ad")
        db.execute("DROP TABLE passages_cjk")
        db.execute("DELETE FROM settings WHERE name = 'cjk_indexed'")
    reopened = services_factory()
    db = reopened.store.catalog.db
    assert cjk_rows(db) == passages_with_cjk(db) != set()
    assert reopened.searcher().search("哈希", 3, mode="keyword")[0].path == str(folder / "git-blame.md")
    db.execute(
        "DELETE FROM passages WHERE file_key = (SELECT key FROM files WHERE path LIKE '%git-blame.md')"
    )
    assert cjk_rows(db) == passages_with_cjk(db), "deleting a passage deletes it from the CJK index too"


def test_pages_read_by_ocr_join_the_cjk_index(tmp_path):
    """OCR adds a file's passages when its last scanned page is read (catalog/ocr_pages.py)."""
    path, text = str(tmp_path / "scan.pdf"), PAGES["zh"][2].read_text(encoding="utf-8")
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    try:
        typed = Passage(0, 1, 0, 12, "A typed page")
        catalog.save_file(
            path=path, folder=str(tmp_path), kind="pdf", size=1, mtime=1.0, hash="h",
            status="indexed", reason=None, passages=[typed], scanned=[2],
        )  # fmt: skip
        read = Passage(0, 2, 0, len(text), text, ocr=True)
        catalog.ocr.finish(file_key(path), OcrPage(2, text, ()), 1.0, [read], "indexed", None)
        (found,) = catalog.retrieval.ranked_passages('("加速器")', Filters(), 5)
        assert catalog.retrieval.passage_rows([found])[0].ocr
        assert cjk_rows(catalog.db) == passages_with_cjk(catalog.db) == {found}
    finally:
        catalog.close()


def test_the_command_line_finds_a_chinese_word(tmp_path):
    folder = tmp_path / "pages"
    copy_files(PAGES["zh"], folder)
    run_cli("index", str(folder), data_dir=tmp_path / "data")
    hits = json.loads(
        run_cli("search", "加速器", "--mode", "keyword", "--json", data_dir=tmp_path / "data").stdout
    )
    assert hits[0]["path"] == str(folder / "axel.md") and "加速器" in hits[0]["snippet"]


def cjk_rows(db: sqlite3.Connection) -> set[int]:
    return {row[0] for row in db.execute("SELECT rowid FROM passages_cjk")}


def passages_with_cjk(db: sqlite3.Connection) -> set[int]:
    return {passage_id for passage_id, text in db.execute("SELECT id, text FROM passages") if has_cjk(text)}
