"""Legacy binary Office files (.doc, .xls, .ppt): Word through antiword (catdoc for Word 6/95),
Excel through xlrd (xls2csv when it fails), PowerPoint slide by slide from its records (catppt
when they are damaged); password-protected files are told apart first."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import olefile
import xlrd

from desktop_search.core.extract import ERROR, PASSWORD, UNSUPPORTED, Page, Skipped, register
from desktop_search.core.extract.ppt_records import Unreadable, slide_texts
from desktop_search.core.extract.sheet_rows import Budget, cell_text, sheet_text
from desktop_search.core.extract.text import decode

_MAX_TEXT_STREAM = 64 << 20  # bytes; PowerPoint 95's text is far smaller
TOOL_TIMEOUT = 60.0  # seconds; the tools read a large document in well under one
_WORD = "Word 97-2003 document"
_WORD_97 = 0x00C1  # its nFib; Word 6 wrote 101, Word 95 104
_EXCEL = "Excel 97-2003 workbook"
_POWERPOINT = "PowerPoint 97-2003 presentation"


@register("doc", (".doc", ".dot"), container="ole")
def extract_doc(path: Path) -> list[Page]:
    _refuse_encrypted(path, _WORD)
    antiword, catdoc = shutil.which("antiword"), shutil.which("catdoc")
    if not antiword and not catdoc:
        raise Skipped(UNSUPPORTED, "legacy Word 97-2003 (.doc): install antiword, or save as .docx")
    commands: list[tuple[list[str], str | None]] = []  # (command, the encoding of its output)
    if antiword:
        commands.append(([antiword, "-m", "UTF-8.txt", "-w", "0", str(path)], "utf-8"))
    if catdoc and _word_95_or_older(path):  # antiword refuses these
        # Their 8-bit text is in a code page the file does not name: take the bytes as they are
        # (cp1252 to cp1252 changes nothing) and let the text decoder tell the code page.
        commands.append(([catdoc, "-s", "cp1252", "-d", "cp1252", "-w", str(path)], None))
    elif catdoc:
        commands.append(([catdoc, "-d", "utf-8", "-w", str(path)], "utf-8"))
    verdict: tuple[bool, str] | None = None  # the first tool's: it knows the format best
    for command, encoding in commands:
        done, output, failure = _run(command, path)
        text = _decoded(output, encoding)
        if done and text.strip():
            return [Page(None, text)]
        verdict = verdict or (done, failure)
    if verdict and verdict[0]:
        return []  # read, and empty
    raise Skipped(ERROR, f"damaged {_WORD}: {verdict[1] if verdict else ''}")


def _word_95_or_older(path: Path) -> bool:
    """Word 6 and Word 95 files: a format version (nFib) below Word 97's."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            header = ole.openstream("WordDocument").read(4)
    except Exception:  # olefile raises several types on damaged containers
        return False
    return len(header) == 4 and int.from_bytes(header[2:4], "little") < _WORD_97


def _decoded(output: bytes, encoding: str | None) -> str:
    if encoding:
        return output.decode(encoding, "replace")
    try:
        return decode(output)
    except Skipped:
        return ""  # binary: not text after all


@register("xls", (".xls", ".xlt"), container="ole")
def extract_xls(path: Path) -> list[Page]:
    _refuse_encrypted(path, _EXCEL)
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise Skipped(PASSWORD, f"password-protected {_EXCEL}") from error
        return _xls_by_tool(path, f"{error}")
    except Exception as error:  # xlrd raises many types on damaged workbooks
        return _xls_by_tool(path, f"{type(error).__name__}: {error}")
    budget = Budget()
    pages: list[Page] = []
    try:
        for number, name in enumerate(book.sheet_names(), 1):
            text = ""
            if not budget.spent():
                try:
                    sheet = book.sheet_by_index(number - 1)
                    rows = (
                        [_cell_text(cell, book.datemode) for cell in sheet.row(r)] for r in range(sheet.nrows)
                    )
                    text = sheet_text(rows, budget)
                except Exception:  # one damaged sheet must not lose the others
                    continue
                book.unload_sheet(number - 1)
            pages.append(Page(number, text, label=f"sheet {name}"))
    finally:
        book.release_resources()
    return pages


def _xls_by_tool(path: Path, failure: str) -> list[Page]:
    """xls2csv (catdoc) reads some workbooks xlrd gives up on; its sheets have no names."""
    xls2csv = shutil.which("xls2csv")
    if xls2csv:
        done, output, tool_failure = _run([xls2csv, "-d", "utf-8", str(path)], path)
        if done:
            sheets = output.decode("utf-8", "replace").split("\f")
            return [Page(n, sheet, label=f"sheet {n}") for n, sheet in enumerate(sheets, 1)]
        failure = tool_failure or failure
    raise Skipped(ERROR, f"damaged {_EXCEL}: {failure[:160]}")


def _cell_text(cell: xlrd.sheet.Cell, datemode: int) -> str:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
        return cell_text(moment.time() if 0 <= cell.value < 1 else moment)  # a time of day alone
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    return cell_text(cell.value)  # a float for numbers, a str for text


@register("ppt", (".ppt", ".pps", ".pot"), container="ole")
def extract_ppt(path: Path) -> list[Page]:
    _refuse_encrypted(path, _POWERPOINT)
    try:
        slides = slide_texts(str(path))
    except Unreadable:
        slides = []
    if any(text.strip() for text in slides):
        return [Page(number, text, label=f"slide {number}") for number, text in enumerate(slides, 1)]
    powerpoint_95 = _powerpoint_95_text(path)
    if powerpoint_95.strip():
        return [Page(None, powerpoint_95)]
    catppt = shutil.which("catppt")
    if not catppt:
        if slides:
            return []  # read, and empty
        raise Skipped(UNSUPPORTED, "legacy PowerPoint 97-2003 (.ppt): install catdoc, or save as .pptx")
    done, output, failure = _run([catppt, "-d", "utf-8", str(path)], path)
    if not done:
        raise Skipped(ERROR, f"damaged {_POWERPOINT}: {failure}")
    # catppt writes every text block it meets, old copies from fast saves too: one of each.
    blocks = dict.fromkeys(block.strip() for block in output.decode("utf-8", "replace").split("\f"))
    return [Page(None, "\n\n".join(block for block in blocks if block))]


def _powerpoint_95_text(path: Path) -> str:
    """PowerPoint 95 keeps its text in a stream of its own, which catppt does not read."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if not ole.exists("Text_Content"):
                return ""
            data = ole.openstream("Text_Content").read(_MAX_TEXT_STREAM)
    except Exception:  # olefile raises several types on damaged containers
        return ""
    try:
        return decode(data).replace("\r", "\n")
    except Skipped:
        return ""  # binary, not the text stream it claims to be


def _refuse_encrypted(path: Path, what: str) -> None:
    """RC4, CryptoAPI or XOR protection: msoffcrypto-tool knows each format's flag."""
    import msoffcrypto

    try:
        with path.open("rb") as stream:
            encrypted = msoffcrypto.OfficeFile(stream).is_encrypted()
    except Exception:  # a damaged or older file: the reader says what is wrong with it
        return
    if encrypted:
        raise Skipped(PASSWORD, f"password-protected {what}")


def _run(command: list[str], path: Path) -> tuple[bool, bytes, str]:
    """(whether the tool succeeded, its output, its complaint without the file's path)."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=TOOL_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return False, b"", f"{Path(command[0]).name} took longer than {TOOL_TIMEOUT:.0f} s"
    except OSError as error:
        return False, b"", f"{Path(command[0]).name} could not run: {error.strerror}"
    complaint = done.stderr.decode("utf-8", "replace").replace(str(path), path.name).strip()
    complaint = complaint.splitlines()[-1][:160] if complaint else f"{Path(command[0]).name} failed"
    return done.returncode == 0, done.stdout, complaint
