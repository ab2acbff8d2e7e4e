"""A table row quoted as an answer reads as a sentence naming the asked column.

Rows are read as records ("Property: Weight; Value: 114 kg", rag/ingest/pages.py). Shown raw,
a person has to parse them; "Weight is 114 kg." or "The price (€) of Aurora K2 is 7,450." says
the same thing, and the row stays the citation, so the exact source span is one click away.
"""

from rag.answer.question import LISTING, QuestionFocus, stems
from rag.answer.text import record_cells

SIBLING_WORDS = 2  # of the question's words another row's name holds, to be what is asked
# Columns that hold "the value" of the row's first cell rather than a named attribute.
_GENERIC = frozenset("value values detail details description amount figure info answer".split())


def states_the_asked(text: str, focus: QuestionFocus) -> bool:
    """Whether a row says something of what the question asks beyond naming the thing: a
    column or a value holding a focus term (or its synonym), or a value of the asked kind
    ("114 kg" for "how heavy"). Text that is no row always may. The Guildhall's room row
    states no postcode; the Brook Street chargers' budget row no number of charging points."""
    cells = record_cells(text)
    if cells is None:
        return True
    asked = focus.terms - stems(cells[0][1])  # what it asks beyond the row's own name
    if not asked:
        return True  # "What is E04?": the row says what it is
    if focus.says_any(asked, " ".join([c for c, _ in cells] + [v for _, v in cells[1:]])):
        return True
    return focus.answer_type != "any" and any(focus.has_answer_type(v) for _, v in cells[1:])


def names_another_row(text: str, rows: list[str], focus: QuestionFocus) -> bool:
    """Whether the question names a thing that another row of `text`'s table is about and
    `text` does not say, and does not name `text`'s own thing whole (as a comparison of two
    rows would): "a football pitch at Millrace Park" met by the Millrace Park tennis court's
    row, when another row is the football pitch's."""
    cells = record_cells(text)
    if cells is None:
        return False
    (column, label), held = cells[0], stems(text)
    if stems(label) <= focus.terms:
        return False
    for row in rows:
        other = record_cells(row)
        if other and other[0][0] == column and other[0][1] != label:
            named = focus.terms & stems(other[0][1])
            # two of its words at least: "unit" alone does not make "Each additional unit"
            # the thing asked about
            if len(named) >= SIBLING_WORDS and named - held:
                return True
    return False


def row_sentence(text: str, focus: QuestionFocus) -> str:
    """`text` as a sentence when it is a table row: its first cell as what the row is about,
    the columns the question asks for (all others when it names none) as what is said of it."""
    cells = record_cells(text)
    if cells is None:
        return text
    (_, label), rest = cells[0], cells[1:]
    # a column whose value the question states says which row it is, not what it asks ("the
    # Assembly Room at the Corn Exchange" names the Room column's value)
    asked = [(c, v) for c, v in rest if _names_asked(c, focus) and not _stated(v, focus)]
    valued = _valued_columns(rest, focus, stems(label))
    # The columns holding a value the question names are the answer, unless it asks others
    # by name (the phone of the "Allotments Officer" row, not its job title column).
    if valued and {c for c, _ in asked} <= set(valued[1]):
        value, columns = valued
        listed = ", ".join(columns[:-1]) + " and " + columns[-1] if len(columns) > 1 else columns[0]
        return _ended(f"{label} — {value}: {listed}")
    if not asked and focus.answer_type not in LISTING:  # a list's row is its whole item
        asked = [(c, v) for c, v in rest if focus.has_answer_type(v)]
    asked = asked or rest
    if len(asked) == 1:
        column, value = asked[0]
        if column.lower() in _GENERIC:
            return _ended(f"{label} is {value}")
        return _ended(f"The {_lower_first(column)} of {label} is {value}")
    said = ", ".join(f"{_lower_first(c)} {v}" for c, v in asked)
    return _ended(f"{label}: {said}")


def _valued_columns(
    cells: list[tuple[str, str]], focus: QuestionFocus, label: frozenset[str]
) -> tuple[str, list[str]] | None:
    """A value the question names ("closed" of "which day is it closed?") with every column
    holding it, when that value is one word, not a figure or a name ("Millrace Park" names the
    row's subject), nor a word of the row's `label` (the "Guildhall" site of "Guildhall roof
    repairs" says where the row is, not what is asked of it)."""
    for _, value in cells:
        said = stems(value)
        if said and said <= focus.terms - label and value.isalpha():
            return value, [c for c, v in cells if v == value]
    return None


def _stated(value: str, focus: QuestionFocus) -> bool:
    """Whether the question states `value` (a "Yes" or a figure states no word of it)."""
    said = stems(value)
    return bool(said) and said <= focus.terms


def _names_asked(column: str, focus: QuestionFocus) -> bool:
    """A column the question asks for, in its words or a synonym ("cost" for "Price")."""
    named = stems(column)
    return bool(named & focus.terms or focus.bridged(frozenset(), named))


def _ended(sentence: str) -> str:
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def _lower_first(column: str) -> str:
    """ "Price (€)" → "price (€)", leaving acronyms ("VAT") and names alone."""
    word = column.split(" ", 1)[0]
    return column if word.isupper() or len(word) < 2 else column[0].lower() + column[1:]
