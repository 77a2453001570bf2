"""Text and word boxes of a scanned PDF page or a picture, read by Tesseract (the `tesseract` program).

The page is first levelled: a skew of up to ±15° is measured from the profile of its ink and turned
away. Tesseract then finds the page's orientation itself (`--psm 1`: quarter turns, upside down) and
reports its words in the levelled page's pixels; they are mapped back onto the page as given.
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

from desktop_search.core.extract import ERROR, UNSUPPORTED, Skipped
from desktop_search.core.extract.image import MAX_PIXELS, frame_count, read_frame

TESSERACT = "tesseract"
DPI = 300
MAX_SKEW = 15.0  # degrees; beyond this a page is more likely a picture than a tilted scan
MIN_SKEW = 0.5  # degrees; Tesseract copes with less, and every turn blurs the page a little
TIMEOUT = 600.0  # seconds for one run of tesseract, so that no run outlives its caller for long
# One thread: Tesseract's OpenMP threads cost more than they gain, above all on a busy machine.
ENVIRONMENT = {**os.environ, "OMP_THREAD_LIMIT": "1"}

Affine = tuple[float, float, float, float, float, float]  # output pixel -> input pixel, as PIL's


@dataclass(frozen=True)
class Word:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1: fractions of the page as given (unturned)


@dataclass(frozen=True)
class Recognised:
    text: str  # words of a line joined by " ", lines by "\n", paragraphs and blocks by "\n\n"
    words: tuple[Word, ...]  # in reading order; each one's text occurs in `text`, in this order
    rotation: int  # degrees (0, 90, 180, 270) the page was turned clockwise to be read upright
    seconds: float


def recognise_page(path: Path, kind: str, number: int, languages: str = "eng") -> Recognised:
    """Page `number` (1-based) of a PDF (rendered at 300 dpi) or frame `number` of a picture."""
    started = time.perf_counter()
    _check_languages(languages)
    image, dpi = _page_image(path, kind, number)
    skew = skew_angle(image)
    level, to_page = _turned(image, skew)
    arguments = ["-l", languages, "--psm", "1", *(["--dpi", str(dpi)] if dpi else []), "tsv"]
    rows = _tesseract(level, arguments)
    text, words, rotation = _assemble(rows, to_page, image.size)
    return Recognised(text, words, rotation, time.perf_counter() - started)


def installed_languages() -> list[str]:
    """Tesseract's languages here (eng, deu, …), without its orientation data (osd); [] without it."""
    try:
        listed = subprocess.run(
            [TESSERACT, "--list-langs"], capture_output=True, text=True, timeout=60, env=ENVIRONMENT
        )
    except (OSError, subprocess.SubprocessError):
        return []
    names = listed.stdout.splitlines()[1:]  # the first line says where they are
    return sorted(name.strip() for name in names if name.strip() and name.strip() != "osd")


def page_count(path: Path, kind: str) -> int:
    """Pages of a PDF or frames of a picture (multi-page TIFF)."""
    if kind == "image":
        return frame_count(path)
    with _pdf(path) as document:
        return int(document.page_count)


def skew_angle(image: Image.Image) -> float:
    """Degrees to turn the page counter-clockwise so that its lines of text run level (or plumb):
    the angle at which the ink's row (or column) profile is sharpest, 0 when none stands out."""
    factor = max(1, max(image.size) // 800)
    ink = np.asarray(image.reduce(factor) if factor > 1 else image) < 128
    if ink.mean() > 0.5:
        ink = ~ink  # light text on a dark ground
    ys, xs = np.nonzero(ink)
    if len(xs) < 200:
        return 0.0
    step = max(1, len(xs) // 40_000)
    ys, xs = ys[::step].astype(np.float64), xs[::step].astype(np.float64)
    angles = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25)

    def sharpness(angle: float) -> float:
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        rows = np.bincount((ys * cos - xs * sin - (ys * cos - xs * sin).min()).astype(np.int64))
        columns = np.bincount((xs * cos + ys * sin - (xs * cos + ys * sin).min()).astype(np.int64))
        return float(max(np.square(rows, dtype=np.float64).sum(), np.square(columns, dtype=np.float64).sum()))

    scores = [sharpness(float(angle)) for angle in angles]
    best = float(angles[int(np.argmax(scores))])
    if abs(best) < MIN_SKEW or abs(best) > MAX_SKEW - 1 or max(scores) < 1.1 * sharpness(0.0):
        return 0.0
    return best


def _page_image(path: Path, kind: str, number: int) -> tuple[Image.Image, int | None]:
    if kind == "image":  # a picture's own dpi is often a placeholder: Tesseract guesses better
        return read_frame(path, number), None
    with _pdf(path) as document:
        if not 1 <= number <= document.page_count:
            raise Skipped(ERROR, f"damaged PDF: no page {number}")
        try:
            page = document[number - 1]
            area = max(page.rect.width * page.rect.height, 1.0)  # points², as shown (rotation applied)
            dpi = max(1, int(min(DPI, 72 * (MAX_PIXELS / area) ** 0.5)))
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        except Exception as error:  # MuPDF raises several types for damaged pages
            raise Skipped(ERROR, f"damaged PDF: page {number} cannot be rendered") from error
        return Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples), dpi


def _pdf(path: Path) -> pymupdf.Document:
    try:
        document = pymupdf.open(path, filetype="pdf")
    except Exception as error:  # MuPDF raises several types for damaged files
        raise Skipped(ERROR, "damaged PDF: cannot be opened") from error
    if document.needs_pass and not document.authenticate(""):
        document.close()
        raise Skipped(ERROR, "password-protected PDF")
    return document


def _check_languages(languages: str) -> None:
    installed = installed_languages()
    if not installed:
        raise Skipped(UNSUPPORTED, "text recognition needs Tesseract (Debian package tesseract-ocr)")
    missing = [name for name in languages.split("+") if name not in installed]
    if missing:
        raise Skipped(UNSUPPORTED, f"OCR language not installed: {', '.join(missing)}")


def _turned(image: Image.Image, degrees: float) -> tuple[Image.Image, Affine]:
    """The image turned counter-clockwise (grown to hold it all, white around), and the map from
    its pixels back to the image's: the same matrix that PIL's rotate(expand=True) uses."""
    if not degrees:
        return image, (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
    width, height = image.size
    angle = -math.radians(degrees)
    a, b = round(math.cos(angle), 15), round(math.sin(angle), 15)
    d, e = -b, a
    c = -a * width / 2 - b * height / 2 + width / 2
    f = -d * width / 2 - e * height / 2 + height / 2
    xs = [a * x + b * y + c for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
    ys = [d * x + e * y + f for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
    new_width = math.ceil(max(xs)) - math.floor(min(xs))
    new_height = math.ceil(max(ys)) - math.floor(min(ys))
    shift_x, shift_y = -(new_width - width) / 2, -(new_height - height) / 2
    matrix = (a, b, a * shift_x + b * shift_y + c, d, e, d * shift_x + e * shift_y + f)
    turned = image.transform(
        (new_width, new_height), Image.Transform.AFFINE, matrix, Image.Resampling.BICUBIC, fillcolor=255
    )
    return turned, matrix


def _tesseract(image: Image.Image, arguments: list[str]) -> list[list[str]]:
    """Tesseract's TSV rows for the image (sent as PGM: no temporary file, nothing to compress)."""
    data = io.BytesIO()
    image.save(data, "PPM")
    try:
        done = subprocess.run(
            [TESSERACT, "stdin", "stdout", *arguments],
            input=data.getvalue(),
            capture_output=True,
            timeout=TIMEOUT,
            env=ENVIRONMENT,
        )
    except subprocess.TimeoutExpired as error:
        raise Skipped(ERROR, f"text recognition took longer than {TIMEOUT:.0f} s") from error
    except OSError as error:
        raise Skipped(
            UNSUPPORTED, "text recognition needs Tesseract (Debian package tesseract-ocr)"
        ) from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Skipped(ERROR, f"text recognition failed: {message[-1][:160] if message else done.returncode}")
    lines = done.stdout.decode("utf-8", "replace").splitlines()[1:]  # the first names the columns
    return [line.split("\t") for line in lines if line.count("\t") >= 11]


def _assemble(
    rows: list[list[str]], to_page: Affine, size: tuple[int, int]
) -> tuple[str, tuple[Word, ...], int]:
    """Text in reading order, words with boxes on the page as given, and the turn the page needed."""
    parts: list[str] = []
    words: list[Word] = []
    runs: list[tuple[float, float]] = []  # per line: where its last word lies from its first
    last: tuple[str, str, str] | None = None
    first_centre = (0.0, 0.0)
    for level, _, block, paragraph, line, _, left, top, width, height, _, text in rows:
        text = text.strip()
        if level != "5" or not text:
            continue
        if last is not None:
            parts.append(
                " "
                if last == (block, paragraph, line)
                else "\n"
                if last[:2] == (block, paragraph)
                else "\n\n"
            )
        box = (float(left), float(top), float(left) + float(width), float(top) + float(height))
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if last != (block, paragraph, line):
            first_centre = centre
            runs.append((0.0, 0.0))
        runs[-1] = (centre[0] - first_centre[0], centre[1] - first_centre[1])
        last = (block, paragraph, line)
        parts.append(text)
        words.append(Word(text, _on_page(box, to_page, size)))
    return "".join(parts), tuple(words), _rotation(runs)


def _on_page(
    box: tuple[float, float, float, float], matrix: Affine, size: tuple[int, int]
) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = matrix
    corners = [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])]
    xs = [min(max((a * x + b * y + c) / size[0], 0.0), 1.0) for x, y in corners]
    ys = [min(max((d * x + e * y + f) / size[1], 0.0), 1.0) for x, y in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _rotation(runs: list[tuple[float, float]]) -> int:
    """The clockwise turn that makes most lines of text run left to right, from where each line's
    last word lies from its first (Tesseract turns the page itself; it does not say so)."""
    votes = {0: 0.0, 90: 0.0, 180: 0.0, 270: 0.0}
    for dx, dy in runs:
        if abs(dx) >= abs(dy):
            votes[0 if dx >= 0 else 180] += abs(dx)
        else:
            votes[90 if dy < 0 else 270] += abs(dy)
    return max(votes, key=lambda turn: votes[turn]) if any(votes.values()) else 0
