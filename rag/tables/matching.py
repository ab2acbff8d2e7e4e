"""Which columns and cells of a table a question names: by the words of their names (stems,
WordNet synonyms), by units, by the cells' own values and, where words fail, by the embedder.

"How many K2 units were sold?" names the column "K2 units sold"; "the wall bracket" the cell
"Aurora K2 wall bracket"; "in euros" a column whose unit is euros; "sales" the table "Sales
2025" (and through it the money column, when no column is named).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rag.answer.context import Similarity
from rag.answer.synonyms import Synonyms, no_synonyms
from rag.answer.text import STOPWORDS, UNITS, stem, words
from rag.tables.spec import ColumnLike, TableLike, is_date, is_numeric

# Words of column names that name no attribute of their own.
_GENERIC = frozenset("value values number no amount total name the of in per id".split())
_MONEY = re.compile(
    r"€|\$|£|\b(eur|euros?|usd|dollars?|gbp|pounds?|prices?|costs?|revenue|income|spend|spent|"
    r"sales|charges?|fees?|budget|paid|pay)\b",
    re.I,
)
_INFLECTIONS = ("ed", "es", "d", "s")
_MIN_INFLECTED = 4  # letters of a word whose other forms may say a one-word cell
_MAX_REORDERED = 4  # words of a cell a question may say in another order
MIN_ROW_WORDS = 2  # words a question shares with the name of a row it names by them
MIN_SIMILARITY = 0.45  # an embedder match of a question to a column name below this is none

# Words that ask or say what to compute, not what about.
ASKING = frozenset(
    stem(w)
    for w in """how many much get got total sum altogether combined overall average mean typical
    count number highest most largest biggest maximum max greatest top peak longest latest
    expensive dearest busiest best lowest least smallest minimum min fewest shortest earliest
    cheapest worst difference compare compared versus vs more less than per each every by list
    show tell give find name there any all across whole table sheet row rows value values
    charge cost costs pay price would had having been being me us our we i please above below
    over under exceeding greater fewer at between same stay stayed stays unchanged rise rose
    risen increase increased fall fell decrease decreased""".split()
    + """
    day days weekday weekdays other week weeks month months quarter quarters year years""".split()
)


def content_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(text) if w not in STOPWORDS)


def column_unit(column: ColumnLike) -> str:
    """The unit a column's values are in: the store's, else its header's "(thousand euros)"."""
    unit = getattr(column, "unit", None)
    if unit:
        return str(unit)
    found = re.search(r"\(([^)]{1,30})\)\s*$", column.name)
    return found.group(1) if found else ""


def column_label(column: ColumnLike) -> str:
    """A column's name as a phrase: "Revenue (thousand euros)" → "revenue"."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", column.name).strip() or column.name
    first = name.split(" ", 1)[0]
    return name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]


def table_title(schema: TableLike) -> str:
    """How an answer names a table: its sheet's name, else its own with spaces for _ and -."""
    sheet = getattr(schema, "sheet", None)
    return str(sheet) if sheet else re.sub(r"[_-]+", " ", schema.name)


def speaks_of_money(text: str) -> bool:
    return bool(_MONEY.search(text))


def is_money(column: ColumnLike) -> bool:
    return is_numeric(column) and bool(_MONEY.search(f"{column.name} {column_unit(column)}"))


@dataclass(frozen=True)
class TableView:
    """What reading a question needs of one table: its schema and the distinct values of its
    text columns (bounded; the sample the store keeps)."""

    schema: TableLike
    values: Mapping[str, Sequence[str]] = field(default_factory=dict)
    source: str = ""

    @property
    def columns(self) -> Sequence[ColumnLike]:
        return self.schema.columns

    def repeats(self, column: ColumnLike) -> bool:
        """Whether some value of the column stands in more than one row (a group or category,
        not a row's name)."""
        values = self.values.get(column.name)
        rows = getattr(self.schema, "row_count", None)
        return bool(values) and rows is not None and len(values) < rows

    def label_column(self) -> ColumnLike | None:
        """The column that names each row: the first text column."""
        return next((c for c in self.columns if not is_numeric(c) and not is_date(c)), None)


def closest_rows(text: str, view: TableView, label: ColumnLike) -> list[str]:
    """The rows whose names (their label cells) share the most words with the question, two at
    least: "Kestrelford Town Library" of "which day is the Town Library closed"."""
    own = content_stems(text)
    scored = [(len(content_stems(v) & own), v) for v in view.values.get(label.name, ())]
    best = max((n for n, _ in scored), default=0)
    return [v for n, v in scored if n == best] if best >= MIN_ROW_WORDS else []


@dataclass(frozen=True)
class CellMatch:
    column: ColumnLike
    value: str
    start: int  # where the question says it (in its lowercased, number-worded text)
    end: int
    exact: bool  # the whole cell, not a part of it


class Matcher:
    def __init__(
        self, synonyms: Synonyms = no_synonyms, similarity: Similarity | None = None
    ) -> None:
        self._synonyms = synonyms
        self._similarity = similarity

    def synonyms(self, word: str) -> frozenset[str]:
        return self._synonyms(word)

    def question_stems(self, question: str) -> tuple[frozenset[str], frozenset[str]]:
        """The question's content stems, and the stems of their synonyms."""
        own = content_stems(question)
        bridged = {
            stem(s) for w in words(question) if w not in STOPWORDS for s in self._synonyms(w)
        }
        return own, frozenset(bridged - own)

    def column_score(self, column: ColumnLike, question: str) -> float:
        """How much of a column's name (and unit) the question says: 0..1."""
        own, bridged = self.question_stems(question)
        named = content_stems(column_label(column)) - _GENERIC
        if not named:
            return 0.0
        said = sum(1.0 if s in own else 0.6 if s in bridged else 0.0 for s in named)
        score = said / len(named)
        unit = column_unit(column).lower().split()
        # a unit of measure ("kg") or a word ("people" of "Capacity (people)")
        if unit and (unit[-1] in UNITS or unit[-1].isalpha()) and unit[-1] in words(question):
            score = max(score, 0.5)
        return score

    def named_columns(
        self, view: TableView, question: str, candidates: Sequence[ColumnLike] | None = None
    ) -> list[tuple[float, ColumnLike]]:
        """Columns the question names, best first (score ≥ 0.5)."""
        pool = list(view.columns if candidates is None else candidates)
        scored = [(self.column_score(c, question), c) for c in pool]
        return sorted([p for p in scored if p[0] >= 0.5], key=lambda p: -p[0])

    def closest_column(self, question: str, columns: Sequence[ColumnLike]) -> ColumnLike | None:
        """The column whose name the embedder finds closest to the question, if close enough."""
        if self._similarity is None or not columns:
            return None
        scores = self._similarity(question, [column_label(c) for c in columns])
        best = max(range(len(columns)), key=lambda n: scores[n])
        return columns[best] if scores[best] >= MIN_SIMILARITY else None

    def cells(self, view: TableView, question: str) -> list[CellMatch]:
        """Cells the question names, longest first, none overlapping another."""
        text = question.lower()
        found: list[CellMatch] = []
        for column in view.columns:
            for value in view.values.get(column.name, ()):
                match = _find_cell(value, text)
                if match is not None:
                    found.append(CellMatch(column, value, *match))
        found.sort(key=lambda m: (not m.exact, -(m.end - m.start)))
        kept: list[CellMatch] = []
        for match in found:
            if not any(match.start < k.end and k.start < match.end for k in kept):
                kept.append(match)
        return kept


def _inflected(cell: str, text: str) -> re.Match[str] | None:
    """A one-word cell said by another form of its word: "approve" of "Approved", "objected"
    of "Object". One of the two is the bare word, of four letters at least: "not" is no form of
    "Noted", nor "rated" of "Rates"; a small or asking word ("list" of "Listed") names no cell."""
    bare = {cell, *(cell[: -len(end)] for end in _INFLECTIONS if cell.endswith(end))}
    forms = {b for b in bare if len(b) >= _MIN_INFLECTED} | {cell + end for end in _INFLECTIONS}
    for found in re.finditer(r"\w+", text):
        word = found.group()
        if word in forms and word not in STOPWORDS and stem(word) not in ASKING:
            return found
    return None


def _reordered(cell: str, text: str) -> tuple[int, int] | None:
    """Where `text` says every word of a cell of a few words, in any order and with only small
    words between: "an adult interment" of "Interment - adult", "football pitch at Hollins
    Green" of "Football pitch, Hollins Green"."""
    own = [w for w in re.findall(r"\w+", cell) if w not in STOPWORDS]
    if not 2 <= len(own) <= _MAX_REORDERED:
        return None
    tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    for first in range(len(tokens)):
        said: list[str] = []
        for word, _, end in tokens[first:]:
            if word in STOPWORDS and said:
                continue
            if word not in own or word in said:
                break
            said.append(word)
            if len(said) == len(own):
                return tokens[first][1], end
    return None


def _find_cell(value: str, text: str) -> tuple[int, int, bool] | None:
    """Where `text` says the cell `value`: whole (word-bounded), in another form of its one
    word, all its few words in another order, or, for a cell of several words, its distinctive
    tail or head of two or more words ("wall bracket")."""
    cell = " ".join(value.lower().split())
    if len(cell) < 2 or cell in STOPWORDS:
        return None
    whole = re.search(rf"(?<![\w]){re.escape(cell)}(?![\w])", text)
    if whole:
        return whole.start(), whole.end(), True
    parts = cell.split()
    if len(parts) == 1 and len(cell) >= _MIN_INFLECTED:
        inflected = _inflected(cell, text)
        if inflected:
            return inflected.start(), inflected.end(), True
    reordered = _reordered(cell, text)
    if reordered:
        return *reordered, True
    for size in range(len(parts) - 1, 1, -1):
        for piece in (parts[:size], parts[-size:]):
            phrase = " ".join(piece)
            if all(p in STOPWORDS for p in piece):
                continue
            part = re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text)
            if part:
                return part.start(), part.end(), False
    return None
