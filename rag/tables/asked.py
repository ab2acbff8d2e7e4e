"""What a question asks a computation to be over, and whether a table's column or its rows are
that: the words a superlative or an aggregate qualifies ("the most people", "the minimum age",
"the average wait"), said by a column's name, its unit, its kind of value ("sales" of a money
column) or the table's own name, or, for a count, by the table's rows ("the most applications"
of a register of them).

A ranking or an average by a column the question does not ask for is a confident wrong answer
("the minimum age to rent" is no rent), so the reader declines it; so is a "which day"
question of a table with no days.
"""

import re
from collections.abc import Iterable

from rag.answer.text import STOPWORDS, stem, words
from rag.tables.matching import (
    ASKING,
    Matcher,
    TableView,
    column_label,
    column_unit,
    content_stems,
    is_money,
    speaks_of_money,
)
from rag.tables.scope import table_stems
from rag.tables.spec import ColumnLike, is_date, is_numeric

# "The most expensive project" asks for its cost, whatever else the table's name shares words with.
_COSTLY = re.compile(r"\b(?:expensive|cheap(?:er|est)?|dear(?:er|est)|costl(?:y|ier|iest))\b", re.I)
WHICH = re.compile(r"\b(?:which|what)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)", re.I)
_PART_OF = re.compile(r"\b(?:which|what)\s+[a-z]+\s+of\s+(?:the\s+)?([a-z][\w-]*)", re.I)
_AUXILIARIES = frozenset("is are was were does do did would will can could should has have had "
                         "the a an of".split())  # fmt: skip
_OF = re.compile(r"^\s+of\s+(?:the\s+|all\s+)?", re.I)  # "the sum of all prices"
_QUALIFIED_WORDS = 3
_ROW_WORDS = frozenset(stem(w) for w in "row rows entry entries record records".split())


def qualified(text: str, patterns: Iterable[re.Pattern[str]]) -> tuple[str, ...]:
    """The words right after the first superlative or aggregate word that is followed by any:
    "people" of "the most people", "net cost" of "the largest net cost in 2026"; none for "costs
    the most" or "the most expensive"."""
    for pattern in patterns:
        for found in pattern.finditer(text):
            said: list[str] = []
            for word in words(_OF.sub(" ", text[found.end() :]))[:_QUALIFIED_WORDS]:
                if word in STOPWORDS or stem(word) in ASKING or word[0].isdigit():
                    break
                said.append(word)
            if said:
                return tuple(said)
    return ()


def asks_for(asked: tuple[str, ...], column: ColumnLike, matcher: Matcher) -> bool:
    """Whether the qualified words are the column's: the last of them ("the highest waiting
    list") said by its name or unit or a synonym of one, or each of them but money words said
    so, those of a money column ("the largest spending budget" of Expenditure (£)). A word the
    table's name says, or money alone, is not enough: "the highest membership fee" is no
    grant."""
    if not asked:
        return True
    said = content_stems(column.name) | content_stems(column_unit(column))

    def named(word: str) -> bool:
        return stem(word) in said or bool({stem(s) for s in matcher.synonyms(word)} & said)

    unsaid = [w for w in asked if not named(w)]
    if asked[-1] not in unsaid:
        return True
    return is_money(column) and all(speaks_of_money(w) for w in unsaid)


def row_stems(view: TableView) -> frozenset[str]:
    """The words naming a table's rows: its name's and its label column's."""
    label = view.label_column()
    return table_stems(view) | (content_stems(label.name) if label else frozenset())


def names_rows(asked: tuple[str, ...], view: TableView) -> bool:
    """Whether the qualified words, if any, are the table's rows ("the most applications")."""
    said = {stem(w) for w in asked}
    return not said or bool(said & (row_stems(view) | _ROW_WORDS))


def measure_words(text: str) -> str:
    """The question with what its words of price ask for said outright: "the most expensive"
    asks for a cost or a price."""
    return f"{text} cost price" if _COSTLY.search(text) else text


def named_as_table(text: str, view: TableView, column: ColumnLike) -> bool:
    """ "Which capital project..." names the table (Capital programme), not its column
    "Capital reserve": the question says only words of the column that the table's name says."""
    said = content_stems(column_label(column)) & content_stems(text)
    return bool(said) and said <= table_stems(view)


def which_column(text: str, view: TableView, matcher: Matcher) -> ColumnLike | None:
    """The text column "which room..." names, which names each row read in the answer."""
    found = WHICH.search(text)
    if found is None:
        return None
    texts = [c for c in view.columns if not is_numeric(c) and not is_date(c)]
    named = matcher.named_columns(view, found.group(1), texts)
    return named[0][1] if named else None


def asks_what_it_lacks(text: str, view: TableView) -> bool:
    """ "Which day ..." of a table whose name and column names say no day ("which pieces of
    play equipment" asks for play equipment)."""
    found = WHICH.search(text)
    if found is None:
        return False
    nouns = {found.group(1).split()[0].lower()}
    part = _PART_OF.search(text)
    nouns |= {part.group(1).lower()} if part else set()
    if nouns & _AUXILIARIES:
        return False
    have = table_stems(view) | {s for c in view.columns for s in content_stems(c.name)}
    return not {s for n in nouns for s in content_stems(n)} & have  # "high-risk": risk
