"""What a table speaks of, for a question to be its own: the words naming it (its own name and
its file's or sheet's), and the years, codes and rows a question may name that it lacks."""

import re

from rag.answer.text import identifiers
from rag.tables.matching import TableView, content_stems
from rag.tables.spec import is_date

_MULTIWORD_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+")


def table_stems(view: TableView) -> frozenset[str]:
    """The words naming a table: its own name and its source's file name."""
    source = re.split(r"[/\\]", view.source)[-1].rsplit(".", 1)[0]
    return content_stems(f"{view.schema.name} {source}".replace("_", " ").replace("-", " "))


def whole_source(view: TableView) -> bool:
    """A CSV or a spreadsheet's sheet: a table its source's name describes."""
    return bool(getattr(view.schema, "sheet", None)) or view.source.lower().endswith(
        (".csv", ".tsv", ".xlsx", ".xls", ".ods")
    )


def names_what_it_lacks(text: str, view: TableView) -> bool:
    """Whether the question names a year, version or code that the table has nowhere."""
    sheet = getattr(view.schema, "sheet", None) or ""
    # a sheet naming its own year speaks for it, not the file of several years' sheets
    named = sheet if identifiers(sheet) else f"{view.schema.name} {view.source.rsplit('/', 1)[-1]}"
    said = " ".join(
        [named.replace("_", " ")]  # "budget_2026-27.xlsx" names 2026-27
        + [c.name for c in view.columns]
        + [v for values in view.values.values() for v in values]
    ).lower()
    dated = any(is_date(c) for c in view.columns)  # a year may be in its dates
    return any(
        not re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", said)
        for i in identifiers(text)
        if not (dated and re.fullmatch(r"\d{4}", i))
    )


def names_a_row_it_lacks(text: str, view: TableView) -> bool:
    """Whether the question names a thing of the kind the table's rows are ("Quarry Lane" of a
    table of sites "Bramble Lane", "Ferry Road") that no cell holds: its answer is no sum over
    the rows it has."""
    cells = [" ".join(value.lower().split()) for vs in view.values.values() for value in vs]
    heads = {cell.rsplit(" ", 1)[-1] for cell in cells if " " in cell}
    said = "\n".join(cells)
    for found in _MULTIWORD_NAME.finditer(text):
        named = found.group(0).lower().split()
        tails = (" ".join(named[k:]) for k in range(len(named) - 1))  # not "Is Bramble Lane"
        if named[-1] in heads and not any(
            re.search(rf"(?<![\w]){re.escape(tail)}(?![\w])", said) for tail in tails
        ):
            return True
    return False
