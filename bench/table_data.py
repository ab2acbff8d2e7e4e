"""The generated tables of the table QA benchmark (bench/tables.py): five domains with units,
dates, currencies and percentages, their rows drawn from a seed, and the questions over them
with gold answers computed here in plain Python (no SQL), in two halves written with different
templates and seeds. The held-out half's generator was written first and its per-question
results are never printed."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    entity: str  # what a row is ("product"), for the question templates
    label: str  # the column naming each row (unique)
    header: list[str]
    rows: list[Row]
    groups: list[str]  # text columns whose values repeat
    measures: list[str]  # numeric columns

    def csv_cells(self) -> list[list[str]]:
        """The rows as a spreadsheet writes them: "$1,290.50", "12.5%", "2025-03-31"."""
        return [[_written(self, c, row[c]) for c in self.header] for row in self.rows]


@dataclass(frozen=True)
class Question:
    kind: str  # lookup, filter, aggregate, argmax, compare, group-by
    table: str
    text: str
    gold: list[Any]  # every value the answer must state (numbers rounded to 2 decimals)


_WRITTEN: dict[str, Callable[[Any], str]] = {
    "Price (USD)": lambda v: f"${v:,.2f}",
    "Discount (%)": lambda v: f"{v:g}%",
    "Salary (EUR)": lambda v: f"€{v:,}",
    "Fare (GBP)": lambda v: f"£{v:,.2f}",
    "Revenue (EUR)": lambda v: f"{v:,} EUR",
}


def _written(table: Table, column: str, value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _WRITTEN.get(column, str)(value)


_NAMES = ("Alder Ash Birch Cedar Elm Hazel Juniper Larch Maple Oak Pine Rowan Spruce Willow Yew "
          "Beech Holly Linden Poplar Sorrel").split()  # fmt: skip
_PEOPLE = ("Ada Bram Cleo Dara Emil Faye Gus Hana Ivo Jena Kai Lena Milo Nora Otto Pia Rafe Sina "
           "Teo Uma Vik Wren Yara Zeno").split()  # fmt: skip
_SURNAMES = "Voss Lind Okafor Brandt Moreau Silva Novak Petrov Quist Reyes".split()
_CITIES = "Lisbon Oslo Porto Riga Tallinn Vilnius Bergen Gdansk Turku Aarhus".split()


def make_tables(seed: int) -> list[Table]:
    rng = random.Random(seed)
    products = [
        {"Product": f"{name} {kind}", "Category": category,
         "Price (USD)": round(rng.uniform(20, 900), 2), "Stock (units)": rng.randint(0, 400),
         "Discount (%)": rng.choice([0, 5, 10, 12.5, 15, 20, 25])}
        for name, (kind, category) in zip(
            rng.sample(_NAMES, 16),
            [rng.choice([("lamp", "Lighting"), ("chair", "Furniture"), ("kettle", "Kitchen"),
                         ("planter", "Garden")]) for _ in range(16)], strict=True)
    ]  # fmt: skip
    people = [f"{first} {rng.choice(_SURNAMES)}" for first in rng.sample(_PEOPLE, 18)]
    staff = [
        {"Employee": person, "Department": rng.choice(["Finance", "Support", "Engineering",
                                                       "Marketing"]),
         "Start date": datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3800)),
         "Salary (EUR)": rng.randrange(32000, 98000, 500), "Hours per week": rng.choice(
             [20, 24, 32, 36, 38, 40])}
        for person in people
    ]  # fmt: skip
    stations = [
        {"Station": f"{name} Hill", "Region": rng.choice(["North", "Coast", "Valley"]),
         "Elevation (m)": rng.randint(5, 1800), "Rainfall (mm)": round(rng.uniform(300, 2400), 1),
         "Humidity (%)": rng.randint(40, 95)}
        for name in rng.sample(_NAMES, 14)
    ]  # fmt: skip
    sales = [
        {"Region": region, "Quarter": quarter, "Units sold": rng.randint(100, 900),
         "Revenue (EUR)": rng.randrange(20000, 300000, 10)}
        for region in ["Iberia", "Nordics", "Baltics", "Benelux", "Alps"]
        for quarter in ["Q1", "Q2", "Q3", "Q4"]
    ]  # fmt: skip
    trips = [
        {"Trip": f"TR-{100 + n}", "City": rng.choice(_CITIES),
         "Departure": datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 360)),
         "Distance (km)": rng.randint(80, 3200), "Fare (GBP)": round(rng.uniform(30, 600), 2)}
        for n in range(20)
    ]  # fmt: skip
    return [
        Table("products", "product", "Product", list(products[0]), products, ["Category"],
              ["Price (USD)", "Stock (units)", "Discount (%)"]),
        Table("staff", "employee", "Employee", list(staff[0]), staff, ["Department"],
              ["Salary (EUR)", "Hours per week"]),
        Table("weather_stations", "station", "Station", list(stations[0]), stations, ["Region"],
              ["Elevation (m)", "Rainfall (mm)", "Humidity (%)"]),
        Table("regional_sales", "region", "Region", list(sales[0]), sales, ["Region", "Quarter"],
              ["Units sold", "Revenue (EUR)"]),
        Table("trips", "trip", "Trip", list(trips[0]), trips, ["City"],
              ["Distance (km)", "Fare (GBP)"]),
    ]  # fmt: skip


def gold_number(value: float) -> float:
    return round(float(value), 2)


def _phrase(column: str) -> str:
    """ "Price (USD)" → "price"."""
    return column.split(" (")[0].lower()


def _unique_rows(table: Table) -> bool:
    labels = [r[table.label] for r in table.rows]
    return len(set(labels)) == len(labels)


def held_out_questions(tables: list[Table], seed: int) -> list[Question]:
    """The held-out half: written before the tuning half, never read question by question."""
    rng = random.Random(seed)
    questions: list[Question] = []
    for table in tables:
        rows = table.rows
        e = table.entity
        for measure in table.measures:
            m = _phrase(measure)
            values = [r[measure] for r in rows]
            if _unique_rows(table):
                row = rng.choice(rows)
                questions.append(
                    Question(
                        "lookup",
                        table.name,
                        f"What is the {m} of {row[table.label]}?",
                        [gold_number(row[measure])],
                    )
                )
                top = max(rows, key=lambda r: r[measure])
                questions.append(
                    Question(
                        "argmax", table.name, f"Which {e} has the highest {m}?", [top[table.label]]
                    )
                )
                low = min(rows, key=lambda r: r[measure])
                questions.append(
                    Question(
                        "argmax", table.name, f"Which {e} has the lowest {m}?", [low[table.label]]
                    )
                )
                threshold = sorted(values)[-4]
                above = [r[table.label] for r in rows if r[measure] > threshold]
                questions.append(
                    Question(
                        "filter", table.name, f"Which {e}s have a {m} above {threshold:g}?", above
                    )
                )
                a, b = rng.sample(rows, 2)
                questions.append(
                    Question(
                        "compare",
                        table.name,
                        f"What is the difference in {m} between {a[table.label]} and "
                        f"{b[table.label]}?",
                        [gold_number(abs(a[measure] - b[measure]))],
                    )
                )
            questions.append(
                Question(
                    "aggregate",
                    table.name,
                    f"What is the total {m} in the {table.name.replace('_', ' ')} table?",
                    [gold_number(sum(values))],
                )
            )
            questions.append(
                Question(
                    "aggregate",
                    table.name,
                    f"What is the average {m} in the {table.name.replace('_', ' ')} table?",
                    [gold_number(sum(values) / len(values))],
                )
            )
            for group in table.groups:
                g = _phrase(group)
                totals: dict[str, float] = {}
                for r in rows:
                    totals[r[group]] = totals.get(r[group], 0) + r[measure]
                questions.append(
                    Question(
                        "group-by",
                        table.name,
                        f"What is the total {m} per {g}?",
                        [x for k, v in sorted(totals.items()) for x in (k, gold_number(v))],
                    )
                )
                value = rng.choice(sorted(totals))
                members = [r for r in rows if r[group] == value]
                questions.append(
                    Question(
                        "aggregate",
                        table.name,
                        f"What is the total {m} for {value}?",
                        [gold_number(sum(r[measure] for r in members))],
                    )
                )
        for group in table.groups:
            value = rng.choice(sorted({r[group] for r in rows}))
            count = sum(1 for r in rows if r[group] == value)
            questions.append(
                Question(
                    "aggregate",
                    table.name,
                    f"How many {e}s are in {value}?"
                    if group != table.label
                    else f"How many rows are there for {value}?",
                    [count],
                )
            )
    return questions


def tuning_questions(tables: list[Table], seed: int) -> list[Question]:
    """The tuning half: other phrasings, other operations, another seed."""
    rng = random.Random(seed)
    questions: list[Question] = []
    for table in tables:
        rows = table.rows
        e = table.entity
        for measure in table.measures:
            m = _phrase(measure)
            values = [r[measure] for r in rows]
            if _unique_rows(table):
                row = rng.choice(rows)
                questions.append(
                    Question(
                        "lookup",
                        table.name,
                        f"Tell me the {m} for {row[table.label]}.",
                        [gold_number(row[measure])],
                    )
                )
                top = max(rows, key=lambda r: r[measure])
                questions.append(
                    Question(
                        "argmax", table.name, f"What {e} shows the largest {m}?", [top[table.label]]
                    )
                )
                low = min(rows, key=lambda r: r[measure])
                questions.append(
                    Question(
                        "argmax", table.name, f"Which {e} has the smallest {m}?", [low[table.label]]
                    )
                )
                threshold = sorted(values)[3]
                below = [r[table.label] for r in rows if r[measure] < threshold]
                questions.append(
                    Question(
                        "filter", table.name, f"Which {e}s have a {m} below {threshold:g}?", below
                    )
                )
                a, b = rng.sample(rows, 2)
                questions.append(
                    Question(
                        "compare",
                        table.name,
                        f"How does {a[table.label]} compare with {b[table.label]} on {m}?",
                        [gold_number(abs(a[measure] - b[measure]))],
                    )
                )
            questions.append(
                Question(
                    "aggregate",
                    table.name,
                    f"What is the sum of {m} across all {e}s?",
                    [gold_number(sum(values))],
                )
            )
            questions.append(
                Question(
                    "aggregate",
                    table.name,
                    f"What is the maximum {m} of any {e}?",
                    [gold_number(max(values))],
                )
            )
            for group in table.groups:
                g = _phrase(group)
                members: dict[str, list[float]] = {}
                for r in rows:
                    members.setdefault(r[group], []).append(r[measure])
                questions.append(
                    Question(
                        "group-by",
                        table.name,
                        f"Give the average {m} by {g}.",
                        [
                            x
                            for k, v in sorted(members.items())
                            for x in (k, gold_number(sum(v) / len(v)))
                        ],
                    )
                )
                value = rng.choice(sorted(members))
                questions.append(
                    Question(
                        "aggregate",
                        table.name,
                        f"What is the mean {m} in {value}?",
                        [gold_number(sum(members[value]) / len(members[value]))],
                    )
                )
        for group in table.groups:
            value = rng.choice(sorted({r[group] for r in rows}))
            count = sum(1 for r in rows if r[group] == value)
            questions.append(
                Question("aggregate", table.name, f"Count the {e}s in {value}.", [count])
            )
    return questions
