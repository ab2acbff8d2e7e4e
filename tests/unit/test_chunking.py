from llama_index.core.schema import Document

from rag.ingest.chunking import Chunker, chunk_id
from tests.conftest import SAMPLE_DOCS
from tests.fakes import HashEmbedder


def _chunks(text: str, size: int = 40, overlap: int = 5):
    chunker = Chunker(size, overlap, HashEmbedder().tokenize)
    page = Document(text=text, metadata={"page": 3})
    return chunker.chunk("/docs/a.md", "hash1", [page])


def test_every_chunk_is_an_exact_span_of_its_page() -> None:
    text = (SAMPLE_DOCS / "aurora-k2-manual.md").read_text()
    chunks = _chunks(text)
    assert len(chunks) > 3
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.page == 3


def test_chunks_cover_the_whole_text_in_order() -> None:
    text = (SAMPLE_DOCS / "employee-handbook.md").read_text()
    chunks = _chunks(text)
    assert chunks[0].start == 0
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert text[before.end : after.start].strip() == ""  # nothing but whitespace skipped
        assert after.start > before.start
    assert chunks[-1].end == len(text.rstrip())


def test_chunk_ids_are_deterministic_and_depend_on_content() -> None:
    text = "One sentence here. Another sentence there."
    assert [c.id for c in _chunks(text)] == [c.id for c in _chunks(text)]
    assert chunk_id("/a", "h1", 0) != chunk_id("/a", "h2", 0)
    assert chunk_id("/a", "h1", 0) != chunk_id("/b", "h1", 0)


def test_markdown_chunks_carry_their_heading_path() -> None:
    text = (SAMPLE_DOCS / "aurora-k2-manual.md").read_text()
    chunker = Chunker(40, 5, HashEmbedder().tokenize)
    page = Document(text=text, metadata={"page": None, "file_type": "md"})
    chunks = chunker.chunk("/m.md", "h", [page])

    warranty = next(c for c in chunks if "4,000 full charge cycles" in c.text)
    assert warranty.headings == "Aurora K2 Home Battery — Owner's Manual > Warranty"
    assert chunks[0].headings == "Aurora K2 Home Battery — Owner's Manual"


def test_plain_text_chunks_have_no_headings() -> None:
    assert all(c.headings is None for c in _chunks("# not markdown\nSome text here."))


def test_a_figure_is_never_cut_in_half_at_a_chunk_boundary() -> None:
    rows = [f"| Item {n} | BW-{n} | {n},{n:03d}.50 |" for n in range(1, 60)]
    text = "Price list without a full stop\n" + "\n".join(rows)
    for chunk in _chunks(text, size=32, overlap=4):
        edges = chunk.text[:8] + " … " + chunk.text[-8:]
        assert not chunk.text.rstrip().endswith(","), edges
        assert not chunk.text[0].isdigit() or text[chunk.start - 1] in " |\n", edges
