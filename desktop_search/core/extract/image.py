"""Pictures (scans, screenshots, photos): a page per frame of a multi-page TIFF, each awaiting OCR.

Only TIFF frames are pages; the frames of an animated GIF, WebP or PNG are one picture, read once.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from desktop_search.core.extract import ERROR, Page, Skipped, register

SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp", ".gif")
MAX_PIXELS = 40_000_000  # what OCR gets: bigger pictures are scaled down to this
MAX_SOURCE_PIXELS = 150_000_000  # bigger pictures are refused: decoding one alone takes gigabytes
MAX_FRAMES = 2000


@register("image", SUFFIXES)
def extract_image(path: Path) -> list[Page]:
    count = frame_count(path)
    if count == 1:
        return [Page(1, "", scanned=True)]
    return [Page(number, "", label=f"page {number}", scanned=True) for number in range(1, count + 1)]


def frame_count(path: Path) -> int:
    """The pages of a picture, checked by decoding the first one."""
    with _opened(path) as image:
        _decoded(image)
        return _frames(image)


def read_frame(path: Path, number: int) -> Image.Image:
    """Frame `number` (1-based) in grey, as a viewer shows it (EXIF orientation applied, transparency
    on white), scaled down to at most MAX_PIXELS."""
    with _opened(path) as image:
        if not 1 <= number <= _frames(image):
            raise Skipped(ERROR, f"damaged image: no page {number}")
        image.seek(number - 1)
        scale = min(1.0, (MAX_PIXELS / (image.width * image.height)) ** 0.5)
        if image.format == "JPEG" and scale < 1:  # decode at a fraction of the size: less memory
            image.draft("L", (int(image.width * scale), int(image.height * scale)))
        frame = _grey(ImageOps.exif_transpose(_decoded(image)))
        if frame.width * frame.height > MAX_PIXELS:
            shrink = (MAX_PIXELS / (frame.width * frame.height)) ** 0.5
            size = (max(1, int(frame.width * shrink)), max(1, int(frame.height * shrink)))
            frame = frame.resize(size, Image.Resampling.BOX)
        return frame


def _frames(image: Image.Image) -> int:
    return min(getattr(image, "n_frames", 1), MAX_FRAMES) if image.format == "TIFF" else 1


@contextmanager
def _opened(path: Path) -> Iterator[Image.Image]:
    with warnings.catch_warnings():  # Pillow warns about what it repairs; failures become statuses
        warnings.simplefilter("ignore")
        try:
            image = Image.open(path)
        except Image.DecompressionBombError as error:
            raise Skipped(ERROR, "image too large to read") from error
        except Exception as error:  # Pillow raises several types for damaged or unknown files
            raise Skipped(ERROR, f"damaged image: {_describe(error)}") from error
        with image:
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise Skipped(ERROR, f"image too large to read ({image.width}×{image.height} pixels)")
            try:
                yield image
            except Skipped:
                raise
            except Exception as error:
                raise Skipped(ERROR, f"damaged image: {_describe(error)}") from error


def _decoded(image: Image.Image) -> Image.Image:
    image.load()  # a truncated or corrupt file fails here, not at open
    return image


def _grey(image: Image.Image) -> Image.Image:
    """8-bit grey with transparent parts white (a transparent PNG's hidden pixels are often black)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image.convert("F"), dtype=np.float32)  # 16-bit or float: stretched to 8
        low, high = float(values.min()), float(values.max())
        return Image.fromarray(((values - low) * (255 / ((high - low) or 1.0))).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        flat = Image.new("RGBA", image.size, "white")
        flat.alpha_composite(image)
        image = flat
    return image.convert("L")


def _describe(error: Exception) -> str:
    message = str(error).strip() or type(error).__name__
    return message.splitlines()[0][:160]
