"""OCR quality and speed: Tesseract's words against the known text of rendered pages, and pages
per second through the PDF path (pypdfium2 rendering + Tesseract) on this machine's cores.

Pages (6.5 x 11 inches, 36 lines) of business prose with names, numbers, dates and codes
(tests/scans.py renders them with Pillow's bundled font): clean, and "noisy" (tilted 1-2
degrees, grain, speckles, a blur of about a pixel), at 300 and 200 DPI. Word accuracy = the
share of the known words that OCR gave back in order (punctuation at word ends ignored, case
kept).

Run: .venv/bin/python -m bench.ocr   (writes the "OCR" section of docs/BENCHMARKS.md)
"""

import os
import random
import statistics
import tempfile
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytesseract

from bench.harness import table, write_section
from rag.connectors import RawSource
from rag.ingest.ocr import OcrConfig, recognize
from rag.ingest.ocr_cache import OcrCache
from rag.ingest.readers import read_documents
from tests.scans import image_bytes, render_page, word_accuracy

PAGES = 4  # per condition
LINES_PER_PAGE = 36
NAMES = ["Ingrid Vass", "Tomas Okafor", "Lena Brandt", "Ravi Menon", "Sofia Marchetti"]
ITEMS = ["boiler", "forklift", "server rack", "cold store", "loading dock", "generator"]
PLACES = ["Ghent", "Rotterdam", "Uppsala", "Lyon", "Porto", "Malmo"]
TEMPLATES = [
    "{name} approved invoice {code} for {amount} EUR on {date}.",
    "The {item} at the {place} site was inspected on {date} and passed every check.",
    "Delivery {code} of {count} pallets reached the {place} depot two days late.",
    "Please call {name} on extension {ext} before the {item} is moved.",
    "Maintenance of the {item} costs {amount} EUR per year under contract {code}.",
    "From {date} the {place} office opens at 7:30 and closes at 18:00.",
    "The audit found {count} open actions; {name} owns the review of each one.",
]


def known_text(seed: int) -> list[str]:
    """One page of lines, about 60 characters each, made from the templates."""
    rng = random.Random(seed)
    sentences = []
    while sum(len(s) + 1 for s in sentences) < LINES_PER_PAGE * 58:
        sentences.append(
            rng.choice(TEMPLATES).format(
                name=rng.choice(NAMES),
                item=rng.choice(ITEMS),
                place=rng.choice(PLACES),
                code=f"{rng.choice('ABCDKR')}-{rng.randrange(1000, 99999)}",
                amount=f"{rng.randrange(100, 99999):,}.{rng.randrange(100):02d}",
                date=f"{rng.randrange(1, 29)} {rng.choice(['March', 'June', 'October'])} 2026",
                count=rng.randrange(2, 90),
                ext=rng.randrange(200, 899),
            )
        )
    return textwrap.wrap(" ".join(sentences), 60)[:LINES_PER_PAGE]


CONDITIONS = {
    "clean": {},
    "noisy": {"noise": 1.5},
}


def accuracy_rows(config: OcrConfig) -> list[list[object]]:
    rows = []
    for dpi in (300, 200):
        for condition, options in CONDITIONS.items():
            scores, confidences, seconds = [], [], []
            for n in range(PAGES):
                lines = known_text(n)
                tilt = random.Random(n).uniform(1.0, 2.0) * (-1) ** n if options else 0.0
                page = render_page(lines, dpi, tilt_deg=tilt, seed=n, **options)
                start = time.perf_counter()
                result = recognize(page, config, n + 1)
                seconds.append(time.perf_counter() - start)
                scores.append(word_accuracy("\n".join(lines), result.text))
                confidences.append(result.ocr_confidence or 0.0)
            rows.append(
                [
                    condition,
                    dpi,
                    PAGES,
                    f"{statistics.mean(scores):.1%}",
                    f"{min(scores):.1%}",
                    f"{statistics.mean(confidences):.2f}",
                    f"{statistics.mean(seconds):.2f}",
                ]
            )
            print(rows[-1], flush=True)
    return rows


def pages_per_second(config: OcrConfig, threads: str) -> float:
    """A scanned PDF of clean 300 DPI pages through read_documents (render + OCR)."""
    pytesseract.pytesseract.environ = {
        **pytesseract.pytesseract.environ,
        "OMP_THREAD_LIMIT": threads,
    }
    pages = [render_page(known_text(100 + n), 300) for n in range(PAGES)]
    data = image_bytes(pages, "PDF", dpi=300)
    source = RawSource("/bench/scan.pdf", "pdf", read=lambda: data)
    start = time.perf_counter()
    documents = read_documents(source, data, config)
    elapsed = time.perf_counter() - start
    assert len(documents) == PAGES
    return PAGES / elapsed


def cached_pages_per_second(config: OcrConfig) -> float:
    """The same PDF read again with the page cache (rag/ingest/ocr_cache.py) filled by a first
    read: what a changed scan's unchanged pages, a second collection or a rebuild cost."""
    with tempfile.TemporaryDirectory() as folder:
        cached = replace(config, cache=OcrCache(Path(folder)))
        pages_per_second(cached, "1")
        return pages_per_second(cached, "1")


def main() -> None:
    config = OcrConfig()
    load_before = os.getloadavg()[0]
    rows = accuracy_rows(config)
    single = pages_per_second(config, "1")
    openmp = pages_per_second(config, "2")
    cached = cached_pages_per_second(config)
    print(f"pages/s: one thread per page {single:.2f}, OpenMP 2 threads {openmp:.2f},"
          f" read before {cached:.1f}")  # fmt: skip
    body = "\n\n".join(
        [
            "Tesseract 5.3 (Debian, `eng`), through pytesseract. "
            f"{PAGES} pages (6.5 x 11 inches, {LINES_PER_PAGE} lines of business prose with "
            "names, amounts, dates and codes) per row, rendered with Pillow; noisy = tilted 1-2 "
            "degrees, grain, speckles and a blur of about a pixel. Targets: word accuracy at "
            "least 95% on clean pages and 85% on noisy ones.",
            table(
                [
                    "pages",
                    "DPI",
                    "n",
                    "word accuracy",
                    "worst page",
                    "mean OCR confidence",
                    "s/page",
                ],
                rows,
            ),
            table(
                ["scanned PDF, 300 DPI, render + OCR", "pages/s"],
                [
                    ["one Tesseract thread per page (the default)", f"{single:.2f}"],
                    ["Tesseract's OpenMP threads (OMP_THREAD_LIMIT=2)", f"{openmp:.2f}"],
                    [
                        "pages read before, from the OCR cache (render + hash + lookup)",
                        f"{cached:.1f} ({cached / single:.0f}x)",
                    ],
                ],
            ),
            f"Load average while it ran: {load_before:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end (the machine is shared; seconds follow its "
            "load). OpenMP threads spin against each other and any other work on 2 cores, hence "
            "the default of one thread per page (rag/ingest/ocr.py; an OMP_THREAD_LIMIT in the "
            "environment overrides it).",
        ]
    )
    write_section("OCR", "python -m bench.ocr", body)


if __name__ == "__main__":
    main()
