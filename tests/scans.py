"""Scans made on the spot: known text rendered with Pillow as a page image, optionally tilted and
noised like a sheet through a cheap scanner, and saved as PNG, JPEG, TIFF or an image-only PDF;
and text PDFs, plain or holding a ruled table.

Shared by the OCR and PDF table tests and bench/ocr.py (which scores Tesseract's words against
the text).
"""

import difflib
import io
import random
import re
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter, ImageFont

POINT = 1 / 72  # inch


def render_page(
    lines: list[str],
    dpi: int = 300,
    *,
    font_pt: float = 12,
    tilt_deg: float = 0.0,
    noise: float = 0.0,
    seed: int = 0,
) -> Image.Image:
    """The lines in black on a white page 6.5 inches wide, one-inch margins, greyscale.

    `noise` (0-1) adds grain, speckles and a slight blur; `tilt_deg` rotates the sheet."""
    font = ImageFont.load_default(size=round(font_pt * POINT * dpi))
    line_height = round(font_pt * 1.5 * POINT * dpi)
    width = round(6.5 * dpi)
    height = 2 * dpi + line_height * len(lines)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for n, line in enumerate(lines):
        draw.text((dpi, dpi + n * line_height), line, fill=0, font=font)
    if tilt_deg:
        page = page.rotate(tilt_deg, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if noise:
        page = _noised(page, noise, seed)
    return page


def _noised(page: Image.Image, amount: float, seed: int) -> Image.Image:
    rng = random.Random(seed)
    grain = Image.effect_noise(page.size, 60 * amount)
    page = Image.blend(page, grain, 0.25 * amount).filter(ImageFilter.GaussianBlur(0.8 * amount))
    pixels = page.load()
    for _ in range(int(page.width * page.height * 0.002 * amount)):
        x, y = rng.randrange(page.width), rng.randrange(page.height)
        pixels[x, y] = rng.choice((0, 255))
    return page


def image_bytes(pages: list[Image.Image], fmt: str, dpi: int = 300) -> bytes:
    """Pages saved as one file: PNG or JPEG (the first page), TIFF or PDF (all of them)."""
    buffer = io.BytesIO()
    first, *rest = pages
    if fmt in ("TIFF", "PDF"):
        first.save(buffer, fmt, resolution=dpi, save_all=True, append_images=rest)
    else:
        first.save(buffer, fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


def mixed_pdf(text_lines: list[str], scan: Image.Image, dpi: int = 300) -> bytes:
    """A two-page PDF: page 1 has a text layer, page 2 is only the scan's image."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    for line in text_lines:
        pdf.cell(0, 18, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.image(scan, x=0, y=0, w=scan.width * 72 / dpi, h=scan.height * 72 / dpi)
    return bytes(pdf.output())


PRICE_TABLE = [
    ("Model", "Capacity", "Price", "Warranty"),
    ("Aurora K1", "10 kWh", "5,900 EUR", "8 years"),
    ("Aurora K2", "13.5 kWh", "7,450 EUR", "10 years"),
    ("Aurora K3 Max", "20 kWh", "10,200 EUR", "12 years"),
]


def text_pdf(text: str) -> bytes:
    """A one-page PDF with `text` as its text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def table_pdf(rows: list[tuple[str, ...]] = PRICE_TABLE) -> bytes:
    """A one-page text PDF: a sentence, a ruled table (first row = column names), a sentence."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Battery price list 2026. Prices include VAT.")
    pdf.ln(4)
    with pdf.table() as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Installation is quoted separately by the service centre.")
    return bytes(pdf.output())


def png_bomb(width: int, height: int) -> bytes:
    """A PNG that declares width x height 8-bit grey pixels: what an image bomb looks like
    until someone decodes it (the first rows are all we bother compressing)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def words(text: str) -> list[str]:
    """Words for scoring: split on whitespace, punctuation at either end dropped, case kept."""
    return [w for w in (re.sub(r"^\W+|\W+$", "", t) for t in text.split()) if w]


def word_accuracy(expected: str, recognized: str) -> float:
    """Share of the expected words that OCR gave back in order (a word-level alignment)."""
    truth, seen = words(expected), words(recognized)
    matcher = difflib.SequenceMatcher(a=truth, b=seen, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(truth) if truth else 1.0
