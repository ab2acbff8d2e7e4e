"""A table's rows parsed once and held as Arrow, for every pass over them.

A large CSV used to be parsed by Python three times: to count its rows, to write a sample of
them into the page text, and to register it in the table engine. Parsed once into Arrow
(row numbers, and each row's cells as a list of strings), the count is a length, the sample a
`take` of a few hundred rows, and the table engine reads the cells without Python touching
them again. Arrow holds the cells in about the file's size, in place of the decoded text the
passes needed before; Python's row lists are turned into Arrow a thousand at a time, so few of
them live long enough to cost the garbage collector anything.

pyarrow is imported when rows are parsed, not with the readers.
"""

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

CHUNK_ROWS = 1_000


class ArrowRows:
    """Numbered rows (row number in the source, its cells) held as an Arrow table with
    columns "row" (int64) and "cells" (list of strings); calling it iterates them as Python
    (pages.NumberedRows)."""

    def __init__(self, rows: Iterable[tuple[int, list[str]]]) -> None:
        import pyarrow as pa

        schema = pa.schema([("row", pa.int64()), ("cells", pa.list_(pa.string()))])
        chunks = [
            pa.RecordBatch.from_arrays([numbers, cells], schema=schema)
            for _, numbers, cells in arrow_chunks(rows)
        ]
        self.table: Any = pa.Table.from_batches(chunks, schema)

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def __call__(self) -> Iterator[tuple[int, list[str]]]:
        for batch in self.table.to_batches():
            yield from zip(batch["row"].to_pylist(), batch["cells"].to_pylist(), strict=True)

    def widths(self) -> set[int]:
        """The numbers of cells the rows have (the narrowest and the widest)."""
        import pyarrow.compute as pc

        if not len(self):
            return set()
        extremes = pc.min_max(pc.list_value_length(self.table["cells"])).as_py()
        return {extremes["min"], extremes["max"]}

    def take(self, indices: Sequence[int]) -> list[tuple[int, list[str]]]:
        """The rows at these positions (0 = the first row), in the order given."""
        taken = self.table.take(list(indices))
        return list(zip(taken["row"].to_pylist(), taken["cells"].to_pylist(), strict=True))


def arrow_chunks(
    rows: Iterable[tuple[int, list[str]]],
) -> Iterator[tuple[list[tuple[int, list[str]]], Any, Any]]:
    """Numbered rows CHUNK_ROWS at a time: each chunk as Python, then as Arrow arrays of its
    row numbers (int64) and of its cells (lists of strings)."""
    import pyarrow as pa

    numbered = iter(rows)
    while batch := list(itertools.islice(numbered, CHUNK_ROWS)):
        numbers = pa.array([n for n, _ in batch], pa.int64())
        yield batch, numbers, pa.array([c for _, c in batch], pa.list_(pa.string()))
