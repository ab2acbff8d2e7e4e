"""The tool trace (issue 36): one line per call, its arguments as JSON values, its result in
one line, passages named by their documents and never quoted whole."""

import re

from rag.tools import SUMMARY_CHARS, ToolCall, call_summary
from rag.ui.render import tool_trace

PASSAGES = (
    '<passage source="price-list.md">| Solar Gateway G3 | BW-G3 | 1,290 |</passage>\n'
    '<passage source="solar-gateway-g3.html">The G3 connects up to four panels.</passage>\n'
    '<passage source="price-list.md">Prices include 21% VAT.</passage>'
)


def test_a_search_names_its_passages_by_document_and_quotes_none() -> None:
    line = call_summary("search_documents", {"query": "G3 price"}, PASSAGES)
    assert line == (
        'search_documents(query="G3 price") → 3 passages: price-list.md, solar-gateway-g3.html'
    )


def test_a_garbled_argument_reads_as_a_json_string_not_as_syntax() -> None:
    line = call_summary("search_documents", {"query": "]["}, "No passage matches.")
    assert line == 'search_documents(query="][") → No passage matches.'


def test_a_long_result_is_one_cut_line() -> None:
    result = "row\n" * 200
    line = call_summary("table_query", {"table": "sales"}, result)
    assert "\n" not in line and line.endswith("…")
    assert len(line.split(" → ", 1)[1]) <= SUMMARY_CHARS


def test_the_api_json_keeps_the_design_shape_and_adds_the_summary() -> None:
    shown = ToolCall("calculator", {"expression": "40366 / 439"}, "91.9498861").to_json()
    assert shown["name"] == "calculator" and shown["result"] == "91.9498861"
    assert shown["arguments"] == {"expression": "40366 / 439"}
    assert shown["summary"] == 'calculator(expression="40366 / 439") → 91.9498861'


def test_the_ui_draws_a_stored_call_without_a_summary_the_same_way() -> None:
    call = {"name": "search_documents", "arguments": {"query": "G3"}, "result": PASSAGES}
    shown = re.sub(r"\\(.)", r"\1", tool_trace(call))  # less Markdown's escapes
    assert shown == call_summary("search_documents", {"query": "G3"}, PASSAGES)
