"""currency_convert: an amount from one currency to another, over a rates table file.

The file is named by the plugin option `rates_file` (RAG_PLUGIN_OPTIONS=
rag-currency-tool.rates_file=/path/rates.csv). It is a CSV with the header `currency,rate`:
each currency's units per one unit of a common base (EUR,1 / USD,1.08 / GBP,0.85). Questions
such as "convert 100 EUR to USD" are routed to the tool without the model. Written only against
the public plugin API (rag.plugins).
"""

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rag.plugins import ToolContext, ToolError

_QUESTION = re.compile(
    r"^(?:convert|change|exchange|how much is|what is|what's)?\s*"
    r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<source>[A-Za-z]{3})\s+(?:to|in|into)\s+"
    r"(?P<target>[A-Za-z]{3})\s*[?.!]?$",
    re.I,
)


class CurrencyTool:
    name = "currency_convert"
    description = "Convert an amount of money from one currency to another at the table's rates."
    parameters = {
        "type": "object",
        "properties": {
            "amount": {"type": "number", "description": "The amount to convert."},
            "from_currency": {"type": "string", "description": "ISO code it is in, e.g. EUR."},
            "to_currency": {"type": "string", "description": "ISO code wanted, e.g. USD."},
        },
        "required": ["amount", "from_currency", "to_currency"],
    }

    def run(self, arguments: dict[str, Any], context: ToolContext) -> str:
        rates = _rates(context)
        source = arguments["from_currency"].upper()
        target = arguments["to_currency"].upper()
        unknown = [code for code in (source, target) if code not in rates]
        if unknown:
            raise ToolError(f"no rate for {unknown}; the table has {sorted(rates)}")
        amount = Decimal(str(arguments["amount"]))
        converted = amount * rates[target] / rates[source]
        return f"{converted.quantize(Decimal('0.01')):,} {target}"

    def route(self, question: str, context: ToolContext) -> dict[str, Any] | None:
        match = _QUESTION.match(" ".join(question.split()))
        if match is None or not {match["source"].upper(), match["target"].upper()} <= set(
            _rates(context)
        ):
            return None  # not a conversion, or not between currencies of the table
        return {
            "amount": float(match["amount"].replace(",", "")),
            "from_currency": match["source"].upper(),
            "to_currency": match["target"].upper(),
        }


def _rates(context: ToolContext) -> dict[str, Decimal]:
    name = context.options.get("rates_file")
    if not name:
        raise ToolError("set the plugin option rag-currency-tool.rates_file to a rates CSV")
    try:
        with Path(name).expanduser().open(newline="", encoding="utf-8") as file:
            return {
                row["currency"].strip().upper(): Decimal(row["rate"])
                for row in csv.DictReader(file)
            }
    except (OSError, KeyError, InvalidOperation) as exc:
        raise ToolError(f"cannot read the rates table {name}: {exc}") from None
