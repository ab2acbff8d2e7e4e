"""The table store on a real DuckDB file: queries cannot write or read files, crafted names and
cells stay data, replacement is all or nothing, rows turn into citations."""

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from rag.errors import NotFoundError, TableQueryError
from rag.ingest.arrow_rows import ArrowRows
from rag.ingest.ocr import OcrConfig
from rag.ingest.pages import TEXT_ROWS, Page, PageWriter
from rag.ingest.readers import CSV
from rag.plugins.kinds import ReaderContext
from rag.tables.store import TableStore
from rag.tables.types import infer_type, parse_cell


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TableStore]:
    tables = TableStore(tmp_path / "tables.duckdb")
    yield tables
    tables.close()


def _page(header: list[str], rows: list[list[str]], sheet: str | None = None) -> Page:
    writer = PageWriter()
    writer.line("Prices")
    writer.table(header, rows, sheet=sheet)
    return writer.page(1 if sheet else None)


PRICES = _page(["Product", "Price"], [["K2", "7,450"], ["G3", "1,290"], ["Bracket", "180"]])


def test_a_registered_table_is_typed_queried_and_cited(store: TableStore) -> None:
    assert store.replace_source("c", "/d/price-list.csv", "doc1", "h1", [PRICES]) == ["price_list"]
    [schema] = store.schemas("c")
    assert [(c.sql_name, c.type) for c in schema.columns] == [
        ("product", "VARCHAR"),
        ("price", "BIGINT"),
    ]
    assert schema.columns[0].samples == ("Bracket", "G3", "K2") and schema.row_count == 3
    result = store.select("c", "SELECT sum(price) AS total, max(__row) FROM price_list")
    assert result.columns == ("total", "max(__row)") and result.rows == [(8920, 4)]
    [cited] = store.row_citations("c", "price_list", [3])
    assert PRICES.text[cited.start : cited.end] == cited.text == "Product: G3; Price: 1,290"
    assert cited.record == {"Product": "G3", "Price": "1,290"}
    assert cited.location == "table 1, row 3" and cited.document_id == "doc1"
    assert store.row_citations("c", "price_list", [99]) == []


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TABLE price_list",
        "CREATE TABLE x AS SELECT * FROM price_list",
        "INSERT INTO price_list VALUES (9, 'x', 1)",
        "UPDATE price_list SET price = 0",
        "DELETE FROM price_list",
        "COPY price_list TO '/tmp/out.csv'",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_parquet('x.parquet')",
        "SELECT read_text('/etc/passwd')",
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM glob('/*')",
        "SELECT * FROM query('SELECT 1')",
        "ATTACH '/tmp/other.duckdb' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "PRAGMA database_list",
        "SET threads = 1",
        "CALL pragma_version()",
        "DESCRIBE price_list",
        "SELECT * FROM rag_catalog.tables",
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM duckdb_tables()",
        "SELECT 1; DROP TABLE price_list",
        "SELECT * FROM nowhere",
        "",
    ],
)
def test_anything_but_one_select_over_registered_tables_is_refused(
    store: TableStore, sql: str, tmp_path: Path
) -> None:
    store.replace_source("c", "/d/price-list.csv", "doc1", "h1", [PRICES])
    with pytest.raises(TableQueryError):
        store.select("c", sql)
    assert store.select("c", "SELECT count(*) FROM price_list").rows == [(3,)]
    assert not Path("/tmp/out.csv").exists() or Path("/tmp/out.csv").stat().st_size == 0


def test_a_collection_sees_only_its_own_tables(store: TableStore) -> None:
    store.replace_source("hr", "/d/salaries.csv", "doc1", "h1", [PRICES])
    store.replace_source("sales", "/d/price-list.csv", "doc2", "h1", [PRICES])
    with pytest.raises(TableQueryError, match="no table 'salaries'"):
        store.select("sales", "SELECT * FROM salaries")
    with pytest.raises(TableQueryError, match="not a registered table"):
        store.select("sales", "SELECT * FROM c_hr.salaries")
    with pytest.raises(NotFoundError):
        store.schema("sales", "salaries")


def test_crafted_names_and_cells_stay_data_and_round_trip(store: TableStore) -> None:
    header = ['"; DROP TABLE x; --', "it's", "naïve €", "nul\x00here", "__row"]
    cells = ["'); DROP TABLE price_list; --", 'say "hi"', "日本語 ✓", "a\x00b", "Robert'); --"]
    page = _page(header, [cells])
    [name] = store.replace_source("c", '/d/x"; DROP TABLE y.csv', "doc1", "h1", [page])
    [schema] = store.schemas("c")
    assert [c.name for c in schema.columns] == header
    sql_names = [c.sql_name for c in schema.columns]
    assert len(set(sql_names)) == 5 and "__row" not in sql_names
    quoted = ", ".join('"' + n.replace('"', '""') + '"' for n in sql_names)
    row = store.select("c", f'SELECT {quoted} FROM "{name}"').rows[0]
    assert list(row) == cells
    [cited] = store.row_citations("c", name, [2])
    assert cited.record == dict(zip(header, cells, strict=True))
    assert store.select("c", "SELECT count(*) FROM " + name).rows == [(1,)]


def test_parameters_bind_as_values(store: TableStore) -> None:
    store.replace_source("c", "/d/price-list.csv", "doc1", "h1", [PRICES])
    result = store.select("c", "SELECT price FROM price_list WHERE product = ?", ["G3"])
    assert result.rows == [(1290,)]
    assert store.select("c", "SELECT * FROM price_list WHERE product = ?", ["x' OR 1=1"]).rows == []


def test_time_and_row_limits(store: TableStore) -> None:
    rows = [[str(i)] for i in range(2000)]
    store.replace_source("c", "/d/numbers.csv", "doc1", "h1", [_page(["n"], rows)])
    limited = store.select("c", "SELECT n FROM numbers ORDER BY n", max_rows=10)
    assert len(limited.rows) == 10 and limited.truncated
    slow = "SELECT sum(a.n * b.n * d.n) FROM numbers a, numbers b, numbers d"
    with pytest.raises(TableQueryError, match="time limit"):
        store.select("c", slow, timeout_s=0.2)
    assert store.select("c", "SELECT count(*) FROM numbers").rows == [(2000,)]


def test_a_failed_replacement_leaves_the_old_table_whole(store: TableStore) -> None:
    store.replace_source("c", "/d/price-list.csv", "doc1", "h1", [PRICES])
    broken = _page(["Product", "Price"], [["K3", "9"]])
    table = broken.tables[0]

    def failing_rows():
        yield from table.rows()
        raise OSError("disk gone")

    from dataclasses import replace

    broken = replace(broken, tables=(replace(table, rows=failing_rows),))
    with pytest.raises(OSError):
        store.replace_source("c", "/d/price-list.csv", "doc1", "h2", [broken])
    assert store.select("c", "SELECT count(*) FROM price_list").rows == [(3,)]
    assert store.sources("c") == {"/d/price-list.csv": "h1"}


def test_names_per_sheet_unique_in_the_collection_and_dropped_with_their_source(
    store: TableStore,
) -> None:
    sheets = [_page(["a", "b"], [["1", "2"]], sheet=s) for s in ("Q1 Sales", "Costs")]
    names = store.replace_source("c", "/d/report.xlsx", "doc1", "h1", sheets)
    assert names == ["report__q1_sales", "report__costs"]
    assert store.replace_source("c", "/e/report.csv", "doc2", "h1", [PRICES]) == ["report"]
    assert store.replace_source("c", "/f/report.md", "doc3", "h1", [PRICES]) == ["report_2"]
    assert store.replace_source("c", "/f/report.md", "doc3", "h2", [PRICES]) == ["report_2"]
    store.rename_source("c", "/e/report.csv", "/e/moved.csv", "doc4")
    assert store.schema("c", "report").source == "/e/moved.csv"
    store.drop_source("c", "/d/report.xlsx")
    assert [s.name for s in store.schemas("c")] == ["report", "report_2"]
    store.drop_collection("c")
    assert store.schemas("c") == [] and store.sources("c") == {}


def test_a_large_table_cites_rows_outside_the_text_by_their_cells(store: TableStore) -> None:
    writer = PageWriter()
    rows = [(n, [f"item {n}", str(n * 10)]) for n in range(2, 5003)]
    writer.streamed_table(["name", "value"], lambda: iter(rows))
    page = writer.page()
    store.replace_source("c", "/d/big.csv", "doc1", "h1", [page])
    assert store.select("c", "SELECT count(*), sum(value) FROM big").rows == [
        (5001, sum(n * 10 for n in range(2, 5003)))
    ]
    written = next(iter(page.tables[0].spans))
    unwritten = next(n for n, _ in rows if n not in page.tables[0].spans)
    inside, outside = store.row_citations("c", "big", [written, unwritten])
    assert page.text[inside.start : inside.end] == inside.text
    assert outside.start is None and outside.record == {
        "name": f"item {unwritten}",
        "value": str(unwritten * 10),
    }


def test_preview_pages_through_rows_in_source_order(store: TableStore) -> None:
    store.replace_source("c", "/d/price-list.csv", "doc1", "h1", [PRICES])
    page = store.preview("c", "PRICE_LIST", limit=2, offset=1)
    assert page.columns == ("__row", "product", "price")
    assert page.rows == [(3, "G3", 1290), (4, "Bracket", 180)]


CELLS = [
    ["1,290", "7,450", "-3", "(300)", "n/a", "+12"],
    ["€ 1.290,50", "€ 12,00", "-", "€0,5"],
    ["$12", "-$3", "(4)", "12 USD", "$1,234,567"],
    ["12.5%", "3%", "-0.5 %"],
    ["140 euros", "45 Euro", "1 000 euros"],
    ["2025-03-31", "31.03.2025", "March 31, 2025", "2025/04/01"],
    ["31/03/2025", "01/04/2025"],
    ["03/31/2025", "04/01/2025"],
    ["2025-02-30", "2025-03-01"],
    ["007", "12"],
    ["K2", "12", ""],
]


@pytest.mark.parametrize("cells", CELLS)
def test_the_engine_reads_each_cell_as_the_python_rules_do(
    store: TableStore, cells: list[str]
) -> None:
    store.replace_source("c", "/d/t.csv", "doc1", "h1", [_page(["v"], [[c] for c in cells])])
    kind = infer_type(cells, "v")
    [column] = store.schema("c", "t").columns
    assert (column.type, column.unit) == (kind.sql, kind.unit)
    stored = [r[1] for r in store.preview("c", "t", limit=50).rows]
    assert stored == [parse_cell(c, kind) for c in cells if c]


@pytest.mark.parametrize("ragged", [False, True])
def test_a_csv_held_as_arrow_registers_as_its_rows_read_again_would(
    store: TableStore, ragged: bool
) -> None:
    """The CSV reader's rows (parsed once, held as Arrow, scanned in place by the engine) give
    the table that the same rows read from Python lists give: types, units, cells, citations."""
    width = max(len(c) for c in CELLS)
    header = [f"v{i}" for i in range(len(CELLS))] + ['"; DROP TABLE x; --']
    columns = [[*c, *[""] * (width - len(c))] for c in CELLS]
    rows = [[*cells, f"it's {n}"] for n, cells in enumerate(zip(*columns, strict=True))]
    rows *= TEXT_ROWS // len(rows) + 1  # long enough to be written as a sample
    if ragged:
        rows[3] = [*rows[3], "one more"]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    [read] = CSV.read(out.getvalue().encode(), ReaderContext("/d/t.csv", "csv", {}, OcrConfig()))
    assert isinstance(read.tables[0].rows, ArrowRows) is not ragged
    [again] = read.tables
    listed = list(again.rows())
    copy = replace(read, tables=(replace(again, rows=lambda: iter(listed)),))
    store.replace_source("held", "/d/t.csv", "doc1", "h1", [read])
    store.replace_source("listed", "/d/t.csv", "doc1", "h1", [copy])
    assert store.schemas("held") == [replace(s, collection="held") for s in store.schemas("listed")]
    everything = "SELECT * FROM t ORDER BY __row"
    assert store.select("held", everything).rows == store.select("listed", everything).rows
    cited = [*again.spans][:3] + [listed[-1][0]]
    assert store.row_citations("held", "t", cited) == store.row_citations("listed", "t", cited)
