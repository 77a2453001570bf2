"""Pictures: every image of the corpus becomes pages awaiting OCR; damaged or oversized ones are refused."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from desktop_search.core.extract import ERROR, INDEXED
from desktop_search.core.extract.image import MAX_PIXELS, frame_count, read_frame
from tests.helpers import CORPUS, manifest, outcome

IMAGES = CORPUS / "images"


@pytest.mark.parametrize("row", manifest(IMAGES), ids=lambda row: row["file"])
def test_every_picture_is_pages_awaiting_ocr(row):
    status, kind, pages = outcome(IMAGES / row["file"])
    assert (status, kind) == (INDEXED, "image")
    frames = int(row["frames"])
    assert [page.number for page in pages] == list(range(1, frames + 1))
    assert all(page.scanned and page.text == "" for page in pages)
    assert [page.label for page in pages] == (
        [None] if frames == 1 else [f"page {n}" for n in range(1, frames + 1)]
    )


def test_truncated_and_fake_pictures_are_damaged(tmp_path):
    truncated = tmp_path / "scan.tif"
    truncated.write_bytes((IMAGES / "scanned" / "tesseract__8087_054.3B.tif").read_bytes()[:30_000])
    fake = tmp_path / "photo.jpg"
    fake.write_text("not a picture at all\n" * 20)
    for path in (truncated, fake):
        status, reason, _ = outcome(path)
        assert status == ERROR and reason.startswith("damaged image"), reason
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    assert outcome(empty)[:2] == (ERROR, "empty file (0 bytes)")


def test_a_picture_too_large_to_decode_is_refused(tmp_path):
    # A real PNG whose header claims 20000 × 20000 pixels: refused before anything is decoded.
    small = tmp_path / "small.png"
    Image.new("L", (1, 1), 255).save(small)
    data = bytearray(small.read_bytes())
    header = b"IHDR" + struct.pack(">II", 20_000, 20_000) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    huge = tmp_path / "huge.png"
    huge.write_bytes(bytes(data))
    status, reason, _ = outcome(huge)
    assert status == ERROR and "too large" in reason


def test_big_picture_is_scaled_down_for_ocr(tmp_path):
    big = tmp_path / "big.jpg"
    Image.new("L", (8000, 6000), 255).save(big)
    frame = read_frame(big, 1)
    assert frame.mode == "L" and frame.width * frame.height <= MAX_PIXELS
    assert frame.width / frame.height == pytest.approx(8000 / 6000, rel=0.01)


def test_only_tiff_frames_are_pages(tmp_path):
    tiff = IMAGES / "scanned" / "tika__testTIFF_multipage.tif"
    with Image.open(tiff) as image:
        frames = []
        for index in range(2):
            image.seek(index)
            frames.append(image.convert("RGB"))
    animation = tmp_path / "animation.gif"
    frames[0].save(animation, save_all=True, append_images=frames[1:])
    assert (frame_count(tiff), frame_count(animation)) == (2, 1)


def test_transparent_parts_are_read_as_white():
    path = IMAGES / "photos" / "easyocr__korean.png"  # RGBA; its transparent pixels hide black
    with Image.open(path) as image:
        alpha = np.asarray(image.getchannel("A"))
        hidden = np.asarray(image.convert("L"))[alpha == 0]
    assert alpha.min() == 0 and hidden.max() == 0
    frame = np.asarray(read_frame(path, 1))
    assert frame[alpha == 0].min() == 255


def test_sixteen_bit_scan_is_read_like_its_eight_bit_original(tmp_path):
    original = IMAGES / "scanned" / "tesseract__phototest.tif"
    eight = np.asarray(read_frame(original, 1)).astype(np.int32)
    deep = tmp_path / "deep.tif"
    Image.fromarray((eight * 257).astype(np.uint16)).save(deep)
    with Image.open(deep) as image:
        assert image.mode.startswith("I;16")
    assert np.abs(np.asarray(read_frame(deep, 1)).astype(np.int32) - eight).max() <= 1
