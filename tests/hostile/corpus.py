"""The hostile-input corpus, generated on demand: nothing here is a committed binary blob.

`write_file_corpus` fills a folder with one hostile file per threat and returns, per file name,
the reason its failure must give (a regular expression), or None for a file that must be indexed
(odd encodings and deep nesting are hostile to parsers, not to users). `write_decoded_bombs`
adds the files of issue 39 that are small on disk and large once decoded.
"""

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from pypdf import PdfReader, PdfWriter

from tests.scans import png_bomb, text_pdf

GIB = 1 << 30
_BLOCK = bytes(1 << 24)


def write_file_corpus(folder: Path, outside: Path) -> dict[str, str | None]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "flate-bomb.pdf").write_bytes(flate_bomb_pdf())
    (folder / "zip-bomb.docx").write_bytes(zip_bomb_docx())
    (folder / "encrypted.pdf").write_bytes(encrypted_pdf())
    (folder / "blank-pages.pdf").write_bytes(blank_pdf(10_000))
    (folder / "image-bomb.png").write_bytes(png_bomb(50_000, 50_000))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.md").write_bytes(bytes(range(256)) * 64)
    (folder / "utf16.txt").write_bytes(
        "The UTF-16 note says the café opens at nine.".encode("utf-16")
    )
    (folder / "latin1.txt").write_bytes(
        "The Latin-1 note says the crème costs 4 €uros.".encode("cp1252")
    )
    with (folder / "one-line.txt").open("wb") as file:  # 55 MB, no newline: over the 50 MiB limit
        for _ in range(55):
            file.write(b"a" * 1_000_000)
    (folder / "nested.html").write_text(
        "<html><body>"
        + "<div>" * 10_000
        + "<p>The nested vault code is 4417.</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.md").write_text("# Secret\n\nThe outside secret is 9931.\n")
    (folder / "outside-link.md").symlink_to(outside / "secret.md")
    return {
        "flate-bomb.pdf": "decompression bomb",
        "zip-bomb.docx": "zip bomb",
        "encrypted.pdf": "encrypted",
        "blank-pages.pdf": "10000 pages to OCR, over the 500-page limit",
        "image-bomb.png": "refused as an image bomb",
        "empty.txt": r"empty \(0 bytes\)",
        "binary.md": "binary",
        "one-line.txt": "over the 52428800-byte limit",
        "outside-link.md": "symlink points outside the folder",
        "utf16.txt": None,
        "latin1.txt": None,
        "nested.html": None,
    }


def write_decoded_bombs(folder: Path) -> dict[str, str]:
    """Issue 39's: a 9,999 x 9,999 RGBA PNG under the pixel limit (400 MB once decoded) and a
    DOCX with 12 MiB of XML; per file name, the reason its failure must give."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rgba-9999.png").write_bytes(png_declaring(9_999, 9_999, 8, 6))
    (folder / "long-xml.docx").write_bytes(docx_with_xml_of(12 << 20))
    return {"rgba-9999.png": "decoded.*limit", "long-xml.docx": "XML.*limit"}


def png_declaring(width: int, height: int, bit_depth: int, colour_type: int) -> bytes:
    """A PNG header declaring the image, with only its first rows compressed."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width * 8 + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def docx_with_xml_of(size: int) -> bytes:
    """A DOCX whose document.xml is `size` bytes of short paragraphs (compressing ~20x, well
    under the zip bomb ratio), as Word would write a long document."""
    blank = io.BytesIO()
    Document().save(blank)
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    body, length = [], 0
    while length < size:
        body.append(paragraph.format(os.urandom(4).hex()))
        length += len(body[-1])
    out = io.BytesIO()
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                head, _, tail = data.decode().partition("<w:body>")
                data = (head + "<w:body>" + "".join(body) + tail).encode()
            docx.writestr(item, data)
    return out.getvalue()


def flate_bomb_pdf() -> bytes:
    """One page whose content stream is FlateDecode twice over: ~2 KB that inflates to 1 GiB."""
    deflate = zlib.compressobj(1)
    inner = b"".join(deflate.compress(_BLOCK) for _ in range(GIB // len(_BLOCK))) + deflate.flush()
    stream = zlib.compress(inner, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX-shaped zip whose document part is 1 GiB of zeros (about 4.6 MB compressed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(GIB // len(_BLOCK)):
                part.write(_BLOCK)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_pdf("The locked report says the vault holds gold."))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
