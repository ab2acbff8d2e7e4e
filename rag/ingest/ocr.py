"""OCR: page images → text, with Tesseract (Debian `tesseract-ocr`) through pytesseract.

Used for image files (PNG, JPEG, TIFF with its pages) and for PDF pages without a text layer
(rendered with pypdfium2 in rag.ingest.pdf). Every limit is checked before work is done: an image
over the pixel limit is refused from its header (an image bomb never gets decoded), a file with
more pages to OCR than the page limit is refused before the first, and each page has a time
limit, so one scan cannot stall the rest of an ingest.
"""

import io
import subprocess
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from rag.errors import SourceError
from rag.ingest.ocr_cache import OcrCache
from rag.ingest.pages import Page

if TYPE_CHECKING:
    from types import ModuleType

    from PIL.Image import Image

    from rag.settings import Settings

MISSING_TESSERACT = (
    "OCR needs Tesseract, which is not installed: install the Debian package tesseract-ocr "
    "(apt-get install tesseract-ocr tesseract-ocr-eng, or `make install`)"
)
IMAGE_FORMATS = ("PNG", "JPEG", "TIFF")
# Upright text reads at 0.9 and more even when noisy (docs/BENCHMARKS.md, OCR).
_CHECK_ORIENTATION_BELOW = 0.6
T = TypeVar("T")


@dataclass(frozen=True)
class OcrConfig:
    enabled: bool = True
    langs: str = "eng"  # Tesseract languages joined with '+', e.g. "eng+deu"
    dpi: int = 300
    page_timeout_s: float = 60.0
    max_pages: int = 500
    max_image_pixels: int = 100_000_000
    # Told (page, pages to OCR) before each page is read, for progress displays.
    progress: Callable[[int, int], None] | None = field(default=None, compare=False, repr=False)
    cache: OcrCache | None = field(default=None, compare=False, repr=False)  # pages read before

    @classmethod
    def from_settings(cls, settings: "Settings", cache: OcrCache | None = None) -> "OcrConfig":
        return cls(
            enabled=settings.ocr_enabled,
            langs=settings.ocr_langs,
            dpi=settings.ocr_dpi,
            page_timeout_s=settings.ocr_page_timeout_s,
            max_pages=settings.ocr_max_pages,
            max_image_pixels=settings.ocr_max_image_pixels,
            cache=cache,
        )

    def report(self, page: int, pages: int) -> None:
        if self.progress is not None:
            self.progress(page, pages)

    def check_enabled(self, what: str) -> None:
        if not self.enabled:
            raise SourceError(f"{what} needs OCR, which is off (RAG_OCR_ENABLED=false)")

    def check_page_count(self, pages: int) -> None:
        if pages > self.max_pages:
            raise SourceError(
                f"{pages} pages to OCR, over the {self.max_pages}-page limit (RAG_OCR_MAX_PAGES)"
            )

    def check_pixels(self, width: int, height: int) -> None:
        if width * height > self.max_image_pixels:
            raise SourceError(
                f"image is {width} x {height} pixels, over the {self.max_image_pixels:,}-pixel "
                "limit (RAG_OCR_MAX_IMAGE_PIXELS): refused as an image bomb"
            )

    def check_decoded(self, width: int, height: int, mode: str) -> None:
        """The image's bytes once decoded (pixels x channels x bytes a channel, as its header
        declares) stay within RAG_OCR_MAX_IMAGE_PIXELS bytes: a 9,999 x 9,999 RGBA image is
        under the pixel limit, but 400 MB decoded and several times that to flatten."""
        from PIL import ImageMode

        described = ImageMode.getmode(mode)
        decoded = width * height * len(described.bands) * int(described.typestr[-1])
        if decoded > self.max_image_pixels:
            raise SourceError(
                f"image is {width} x {height} {mode} pixels, {decoded:,} bytes decoded, over the "
                f"{self.max_image_pixels:,}-byte limit (RAG_OCR_MAX_IMAGE_PIXELS): refused as "
                "an image bomb"
            )


def _pytesseract() -> "ModuleType":
    """pytesseract, with Tesseract limited to one thread per page unless OMP_THREAD_LIMIT says
    otherwise: its OpenMP threads made a page 4x slower on a busy 2-core machine
    (docs/BENCHMARKS.md, OCR). pytesseract hands its module's `environ` to the process, so the
    limit goes there; our own process environment (torch, llama.cpp) is left alone."""
    import pytesseract

    env = pytesseract.pytesseract.environ
    if "OMP_THREAD_LIMIT" not in env:
        pytesseract.pytesseract.environ = {**env, "OMP_THREAD_LIMIT": "1"}
    return pytesseract


def recognize(image: "Image", config: OcrConfig, number: int) -> Page:
    """One page image → its text and Tesseract's mean word confidence (0-1); from the cache
    when these pixels were read before with these languages by this Tesseract."""
    if config.cache is None:
        return _recognize(image, config, number)
    key = config.cache.key(image, f"{config.langs} {_tesseract_version(_tesseract_command())}")
    if (page := config.cache.get(key, number)) is None:
        page = _recognize(image, config, number)
        config.cache.put(key, page)
    return page


def _recognize(image: "Image", config: OcrConfig, number: int) -> Page:
    """A page read with low confidence may lie sideways or upside down (Tesseract reads a page
    turned 90 or 180 degrees as noise at about 0.36): its orientation is detected and the
    turned page read again, keeping the better reading."""
    page = _read_words(image, config, number)
    if (page.ocr_confidence or 0.0) < _CHECK_ORIENTATION_BELOW:
        turn = _orientation(image, config, number)
        if turn:
            upright = _read_words(image.rotate(-turn, expand=True), config, number)
            if (upright.ocr_confidence or 0.0) > (page.ocr_confidence or 0.0):
                return upright
    return page


def _read_words(image: "Image", config: OcrConfig, number: int) -> Page:
    pytesseract = _pytesseract()
    data = _tesseract(
        lambda: pytesseract.image_to_data(
            image,
            lang=config.langs,
            timeout=config.page_timeout_s,
            output_type=pytesseract.Output.DICT,
        ),
        config,
        number,
    )
    text, confidences = _layout(data)
    confidence = sum(confidences) / len(confidences) / 100 if confidences else 0.0
    return Page(text, number, ocr_confidence=round(confidence, 4))


def _orientation(image: "Image", config: OcrConfig, number: int) -> int:
    """Degrees clockwise that would set the page upright (0 when Tesseract cannot tell, as on
    a page with too few letters)."""
    pytesseract = _pytesseract()
    try:
        osd = _tesseract(
            lambda: pytesseract.image_to_osd(
                image, timeout=config.page_timeout_s, output_type=pytesseract.Output.DICT
            ),
            config,
            number,
        )
    except SourceError:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _tesseract(call: Callable[[], T], config: OcrConfig, number: int) -> T:
    """Run one pytesseract call; its failures become one-line SourceErrors."""
    import pytesseract

    try:
        return call()
    except pytesseract.TesseractNotFoundError:
        raise SourceError(MISSING_TESSERACT) from None
    except pytesseract.TesseractError as exc:
        last = str(exc.message).strip().splitlines()[-1:] or ["?"]
        raise SourceError(f"Tesseract failed: {last[0]}") from None
    except RuntimeError as exc:  # pytesseract's only signal for its timeout
        if "timeout" not in str(exc):
            raise
        limit = f"{config.page_timeout_s:g} s (RAG_OCR_PAGE_TIMEOUT_S)"
        raise SourceError(f"OCR of page {number} took longer than {limit}") from None


def _layout(data: dict[str, list]) -> tuple[str, list[float]]:
    """Tesseract's words → lines (a word's block, paragraph and line), paragraphs apart by a
    blank line; and the confidence of each word."""
    lines: list[list[str]] = []
    confidences: list[float] = []
    previous: tuple[int, int, int] | None = None
    for word, conf, block, par, line in zip(
        data["text"], data["conf"], data["block_num"], data["par_num"], data["line_num"],
        strict=True,
    ):  # fmt: skip
        word = word.strip()
        if not word:
            continue
        key = (block, par, line)
        if key != previous:
            if previous is not None and key[:2] != previous[:2]:
                lines.append([])
            lines.append([])
            previous = key
        lines[-1].append(word)
        if float(conf) >= 0:
            confidences.append(float(conf))
    return "\n".join(" ".join(words) for words in lines), confidences


def check_tesseract(config: OcrConfig) -> None:
    """Before a file's first page: Tesseract runs and has every language asked for (given a
    language it lacks beside one it has, it would silently read with the one it has)."""
    try:
        listed = _run_tesseract(_tesseract_command(), "--list-langs")
    except OSError:
        raise SourceError(MISSING_TESSERACT) from None
    installed = set(listed.stdout.split())
    missing = [lang for lang in config.langs.split("+") if lang not in installed]
    if missing:
        packages = ", ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise SourceError(
            f"OCR language {'+'.join(missing)!r} is not installed (RAG_OCR_LANGS): "
            f"install the Debian package {packages}"
        )


def _tesseract_command() -> str:
    import pytesseract

    return pytesseract.pytesseract.tesseract_cmd


def _run_tesseract(command: str, *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(  # noqa: S603 - the Tesseract binary, fixed arguments, no shell
        [command, *args], capture_output=True, text=True, timeout=30, check=False
    )


@lru_cache(maxsize=4)
def _tesseract_version(command: str) -> str:
    """The first line `tesseract --version` prints: a new Tesseract may read a page otherwise."""
    try:
        done = _run_tesseract(command, "--version")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = (done.stdout or done.stderr).splitlines()
    return lines[0].strip() if lines else "unknown"


def read_image(file_type: str, data: bytes, config: OcrConfig) -> list[Page]:
    """An image file's pages (a TIFF may hold several), each OCR'd."""
    config.check_enabled(f"a {file_type.upper()} image")
    check_tesseract(config)
    return [recognize(frame, config, number) for number, frame in _frames(data, file_type, config)]


def _frames(data: bytes, file_type: str, config: OcrConfig) -> Iterator[tuple[int, "Image"]]:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns past 89 Mpx; our own limit (checked below) decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Any of the three formats, whatever the name says (photos are often misnamed).
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    except Image.DecompressionBombError as exc:
        raise SourceError(f"refused as an image bomb: {exc}") from None
    except UnidentifiedImageError:
        raise SourceError(f"file is not a readable {file_type.upper()} image") from None
    frames = getattr(image, "n_frames", 1)
    config.check_page_count(frames)
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        config.check_pixels(*frame.size)
        config.check_decoded(*frame.size, frame.mode)
        config.report(index + 1, frames)
        yield index + 1, _for_ocr(frame)


def _for_ocr(image: "Image") -> "Image":
    """Upright greyscale pixels on white: a camera's EXIF rotation applied, transparency
    flattened (a transparent background would read as black), palettes and CMYK converted."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")
