"""Issue 39, item 6: inputs whose decoded size is far beyond their file size are refused from
what their headers declare, before anything is decoded: a 401 kB RGBA PNG of 9,999 x 9,999
pixels (under the pixel limit, 400 MB once decoded) added 1.9 GB to the server."""

import resource

import pytest

from rag.connectors import RawSource
from rag.errors import SourceError
from rag.ingest.ocr import OcrConfig
from rag.ingest.readers import read_documents
from tests.conftest import ReliabilityLog
from tests.hostile.corpus import docx_with_xml_of, png_declaring

ROW = "inputs large once decoded (memory)"
NOTES = (
    "9,999 x 9,999 RGBA and 16-bit RGB PNGs under the pixel limit, a DOCX with 12 MB of XML, a "
    "sitemap index of 40 nested 9 MB sitemaps and one nested 6 deep; test RSS growth < 200 MiB"
)
MIB = 1024 * 1024


@pytest.mark.parametrize(("depth", "colour"), [(8, 6), (16, 2)], ids=["rgba", "rgb16"])
def test_an_image_is_bounded_by_its_decoded_bytes_before_decoding(
    depth: int, colour: int, reliability: ReliabilityLog
) -> None:
    data = png_declaring(9_999, 9_999, depth, colour)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SourceError, match="decoded.*limit"):
        read_documents(RawSource("/pixel.png", "png", read=lambda: data), data, OcrConfig())
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 200
    reliability.add(ROW, inputs=1, crashes=0, escapes=0, notes=NOTES)


def test_a_docx_is_bounded_by_its_xml_bytes(reliability: ReliabilityLog) -> None:
    data = docx_with_xml_of(12 * MIB)
    with pytest.raises(SourceError, match="XML.*limit"):
        read_documents(RawSource("/long.docx", "docx", read=lambda: data), data, None)
    reliability.add(ROW, inputs=1, crashes=0, escapes=0)


def _padded_sitemap(base: str, index: bool, paths: list[str], size: int) -> bytes:
    """A sitemap padded with comments to `size` bytes."""
    from tests.local_site import sitemap

    body = sitemap(base, paths, index=index)
    return body.replace(b"?>", b"?><!--" + b"x" * size + b"-->", 1)


def test_sitemaps_are_bounded_in_bytes_and_depth(reliability: ReliabilityLog) -> None:
    from rag.connectors.web import MAX_SITEMAP_BYTES, WebLimits, scan_url
    from tests.local_site import local_site, sitemap

    with local_site() as (base, routes):
        routes["/good"] = (200, "text/html", b"<html><body><p>A good page.</p></body></html>", {})
        # 40 nested sitemaps of 9 MB each, and indexes nested 6 deep.
        nested = [f"/big/{n}.xml" for n in range(40)]
        routes["/index.xml"] = (200, "application/xml", sitemap(base, nested, index=True), {})
        big = _padded_sitemap(base, False, ["/good"], 9 * MIB)  # one object, served 40 times
        for path in nested:
            routes[path] = (200, "application/xml", big, {})
        for level in range(6):
            routes[f"/deep/{level}.xml"] = (
                200,
                "application/xml",
                sitemap(base, [f"/deep/{level + 1}.xml"], index=True),
                {},
            )
        routes["/deep/6.xml"] = (200, "application/xml", sitemap(base, ["/good"]), {})
        limits = WebLimits(allowed_hosts=frozenset({base.removeprefix("http://")}))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        wide = scan_url(f"{base}/index.xml", limits)
        grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        deep = scan_url(f"{base}/deep/0.xml", limits)
    assert any(f"{MAX_SITEMAP_BYTES}-byte limit" in f.error for f in wide.failures), wide
    assert grown_mib < 200
    assert deep.sources == [] and any("nested" in f.error for f in deep.failures), deep
    reliability.add(ROW, inputs=2, crashes=0, escapes=0)
