"""The catalog's tables, and the ids derived from paths and texts that tie them to the vector store."""

from __future__ import annotations

import hashlib
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, added REAL NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    key TEXT PRIMARY KEY,          -- stable id derived from the path; prefixes passage ids
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,          -- the added folder this file was found under
    kind TEXT,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    hash TEXT,
    status TEXT NOT NULL,          -- indexed / no text / password / unsupported / error / deleted
    reason TEXT,
    passages INTEGER NOT NULL DEFAULT 0,
    vectors INTEGER NOT NULL DEFAULT 0,   -- upper bound of passage ids the vector store may hold
    synced INTEGER NOT NULL DEFAULT 0,    -- 1 once the vector store matches the passages
    indexed_at REAL
);
CREATE INDEX IF NOT EXISTS files_unsynced ON files(synced) WHERE synced = 0;
CREATE INDEX IF NOT EXISTS files_folder ON files(folder);
CREATE INDEX IF NOT EXISTS files_hash ON files(hash);  -- copies of the same bytes (duplicates)
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    file_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    page INTEGER,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT,                    -- the page's name when not "p. N": "slide 7", a sheet, a chapter
    ocr INTEGER NOT NULL DEFAULT 0,  -- 1: text recognised in an image
    UNIQUE (file_key, seq)
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
-- Passages holding Chinese, Japanese or Korean, with each such character a word of its own
-- (core/cjk.py): those scripts put no space between words. Written with the passages.
CREATE VIRTUAL TABLE IF NOT EXISTS passages_cjk USING fts5(
    text, tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_cjk_ad AFTER DELETE ON passages BEGIN
    DELETE FROM passages_cjk WHERE rowid = old.id;
END;
-- Each file's path below its folder, so a search finds files by name, as people expect.
CREATE VIRTUAL TABLE IF NOT EXISTS names_fts USING fts5(
    name, tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS files_ad AFTER DELETE ON files BEGIN
    DELETE FROM names_fts WHERE rowid = old.rowid;
END;
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS exclusions (pattern TEXT PRIMARY KEY);  -- gitignore syntax
-- Pages read by OCR, kept as each is done so a stopped run never recognises a page twice.
CREATE TABLE IF NOT EXISTS ocr_pages (
    file_key TEXT NOT NULL,
    page INTEGER NOT NULL,
    text TEXT,                     -- NULL until recognised
    words TEXT,                    -- JSON [[word, x0, y0, x1, y1], ...], fractions of the page
    failure TEXT,                  -- why the page could not be read, if it could not
    seconds REAL,
    PRIMARY KEY (file_key, page)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS files_ocr_ad AFTER DELETE ON files BEGIN
    DELETE FROM ocr_pages WHERE file_key = old.key;
END;
-- What the vector store holds, by text hash, so the same text is never embedded twice.
CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vectors_hash ON vectors(hash);
"""


# Columns added since the first release: (table, column, definition), added to older catalogs.
MIGRATIONS = (
    ("passages", "label", "TEXT"),
    ("passages", "ocr", "INTEGER NOT NULL DEFAULT 0"),
    ("files", "date", "REAL"),  # the document's own date (a mail's Date: header), when it says one
)


def file_key(path: str) -> str:
    return hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def searchable_name(path: str, folder: str) -> str:
    """The path below the added folder ("taxes/2023/receipt.pdf"); a file added alone: its name."""
    try:
        inside = Path(path).relative_to(folder)
    except ValueError:
        inside = Path()
    return " ".join(inside.parts) or Path(path).name


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def vector_id(key: str, seq: int) -> str:
    return f"{key}:{seq}"


def parse_vector_id(value: str) -> tuple[str, int]:
    key, seq = value.rsplit(":", 1)
    return key, int(seq)
