"""A reader's rows → Arrow batches of text cells, and each column's distinct shapes.

Rows a reader already holds as Arrow (rag/ingest/arrow_rows.py: a CSV) are read as they are,
by the engine too. Others come as Python lists, turned into Arrow a thousand at a time
(CHUNK_ROWS): lists that die young cost the garbage collector almost nothing, while fifty
thousand of them held at once are promoted and rescanned with the whole heap (in the app, with
its models loaded, that tripled the cost of a batch), and handed on BATCH_ROWS rows at a time.

A cell's shape is the cell with digits 2-9 read as 1 ("1,234.50" and "7,450.00" are one shape,
"1,111.10"): a column's type follows from its shapes, a few hundred values instead of a
million. Shapes are taken from the Arrow buffer in one bytes.translate (UTF-8 never uses the
bytes of the digits inside a longer character), not cell by cell.
"""

from collections.abc import Iterator, Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from rag.ingest.arrow_rows import ArrowRows, arrow_chunks
from rag.ingest.pages import PageTable
from rag.tables.types import ColumnInference

BATCH_ROWS = 50_000
_DIGITS_AS_ONE = bytes.maketrans(b"23456789", b"11111111")


def held_rows(table: PageTable, width: int) -> ArrowRows | None:
    """The table's rows as its reader holds them in Arrow, when it does and every row has
    `width` cells."""
    rows = table.rows
    return rows if isinstance(rows, ArrowRows) and rows.widths() <= {width} else None


def gather(
    held: ArrowRows,
    shapes: Sequence["ColumnShapes"],
    spanned: list[tuple[int, list[str]]],
    spans: Mapping[int, tuple[int, int]],
) -> None:
    """Each column's shapes from rows held in Arrow, BATCH_ROWS at a time, and the cells of
    the rows written into the page text (those with a span), appended to `spanned`."""
    for start in range(0, len(held), BATCH_ROWS):
        rows = held.table.slice(start, BATCH_ROWS).combine_chunks()
        numbers, cells = rows["row"].chunk(0), rows["cells"].chunk(0)
        for i, column in enumerate(shapes):
            column.add(pc.list_element(cells, i))
        wanted = pc.is_in(numbers, value_set=pa.array(list(spans), pa.int64()))
        spanned += zip(
            numbers.filter(wanted).to_pylist(), cells.filter(wanted).to_pylist(), strict=True
        )


def arrow_batches(
    table: PageTable, names: Sequence[str], spanned: list[tuple[int, list[str]]]
) -> Iterator[pa.Table]:
    """The table's rows as Arrow tables of BATCH_ROWS rows at most: a BIGINT column "row"
    (the row number), then one text column per name. The rows written into the page text
    (those with a span) are appended to `spanned` as they pass, for their citations."""
    chunks: list[pa.RecordBatch] = []
    size = 0
    for batch, numbers, cells in arrow_chunks(table.rows()):
        spanned += [(n, cells) for n, cells in batch if n in table.spans]
        chunks.append(_record_batch(numbers, cells, names))
        size += len(batch)
        if size >= BATCH_ROWS:
            yield pa.Table.from_batches(chunks)
            chunks, size = [], 0
    if chunks:
        yield pa.Table.from_batches(chunks)


def _record_batch(numbers: pa.Array, cells: pa.Array, names: Sequence[str]) -> pa.RecordBatch:
    widths = pc.min_max(pc.list_value_length(cells)).as_py()
    if widths != {"min": len(names), "max": len(names)}:
        raise ValueError(f"rows of {widths} cells in a table of {len(names)} columns")
    columns = [pc.list_element(cells, i) for i in range(len(names))]
    return pa.RecordBatch.from_arrays([numbers, *columns], ["row", *names])


class ColumnShapes:
    """A column's distinct shapes, gathered batch by batch and fed to the Python rules
    (types.ColumnInference) until they settle on text; while the column may hold dates, its
    distinct values too (a 30th of February has a valid shape). `table()` and `values()` hold
    them for the checks in SQL, as a column "v"."""

    def __init__(self, header: str) -> None:
        self.inference = ColumnInference(header)
        self._seen: set[str] = set()
        self._values: list[pa.Array] = []

    def add(self, cells: pa.Array | pa.ChunkedArray) -> None:
        if self.inference.settled:
            return
        if isinstance(cells, pa.ChunkedArray):
            cells = cells.combine_chunks()
        for shape in pc.unique(_shapes(cells)).to_pylist():
            if shape not in self._seen:
                self._seen.add(shape)
                self.inference.add(shape)
                if self.inference.settled:
                    return
        if self.inference.may_be_date:
            self._values.append(pc.unique(cells))

    def table(self) -> pa.Table:
        return pa.table({"v": pa.array(sorted(self._seen), pa.string())})

    def values(self) -> pa.Table:
        return pa.table({"v": pa.chunked_array(self._values, pa.string())})


def _shapes(cells: pa.Array) -> pa.Array:
    validity, offsets, data = cells.buffers()
    if data is None:
        return cells
    translated = pa.py_buffer(data.to_pybytes().translate(_DIGITS_AS_ONE))
    return pa.Array.from_buffers(
        pa.string(), len(cells), [validity, offsets, translated], cells.null_count, cells.offset
    )
