"""A page image with boxes marked like a highlighter pen, encoded as a bounded PNG."""

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.view.spans import Match

if TYPE_CHECKING:
    from PIL.Image import Image

Box = tuple[float, float, float, float]  # left, top, right, bottom in image pixels

_MARKER = (255, 224, 51)  # multiplied into the page: text under it stays black
_PAD = 2  # pixels around each box


@dataclass(frozen=True)
class MarkedPage:
    png: bytes
    match: Match  # how surely the marked boxes are the span's


def fit_scale(width: float, height: float, max_pixels: int, wanted: float = 1.0) -> float:
    """`wanted`, or less so that `width * height` scaled stays within `max_pixels`, counting
    whole pixels as a renderer rounds them (up)."""
    scale = wanted
    if width * height * scale * scale > max_pixels:
        scale *= math.sqrt(max_pixels / (width * height * scale * scale))
    while scale > 0 and math.ceil(width * scale) * math.ceil(height * scale) > max_pixels:
        scale *= 0.99
    return scale


def bounded(image: "Image", max_pixels: int) -> tuple["Image", float]:
    """The image scaled down to at most `max_pixels`, and the factor it was scaled by."""
    scale = fit_scale(image.width, image.height, max_pixels)
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
    return image.resize(size), scale


def lines_of(boxes: Iterable[Box]) -> list[Box]:
    """Boxes of characters or words merged into one box a line: one band to read, not a box
    around every letter. Boxes belong to a line when their vertical middles are close."""
    merged: list[list[float]] = []
    for left, top, right, bottom in boxes:
        middle, height = (top + bottom) / 2, bottom - top
        if merged:
            line = merged[-1]
            if abs((line[1] + line[3]) / 2 - middle) < max(height, line[3] - line[1]) / 2:
                line[0], line[1] = min(line[0], left), min(line[1], top)
                line[2], line[3] = max(line[2], right), max(line[3], bottom)
                continue
        merged.append([left, top, right, bottom])
    return [(a, b, c, d) for a, b, c, d in merged]


def marked_png(image: "Image", boxes: Sequence[Box]) -> bytes:
    """The image in colour with each box highlighted, as PNG bytes."""
    from PIL import Image, ImageChops

    page = image.convert("RGB")
    for left, top, right, bottom in boxes:
        area = (
            max(0, int(left) - _PAD),
            max(0, int(top) - _PAD),
            min(page.width, math.ceil(right) + _PAD),
            min(page.height, math.ceil(bottom) + _PAD),
        )
        if area[2] <= area[0] or area[3] <= area[1]:
            continue
        marker = Image.new("RGB", (area[2] - area[0], area[3] - area[1]), _MARKER)
        page.paste(ImageChops.multiply(page.crop(area), marker), area[:2])
    out = io.BytesIO()
    page.save(out, "PNG", compress_level=1)
    return out.getvalue()
