"""What the chat renders from documents and model text can neither run nor load anything."""

import re

from rag.ui.render import (
    answer_markdown,
    citation_label,
    excerpt,
    inert_stream,
    literal,
    location,
    model_markdown,
    model_summary,
    plain_markdown,
    quote_in_context,
    table_record,
)

HOSTILE = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> [click](javascript:alert(3)) "
    "![pixel](https://tracker.example/p.png) :red[directive] $x^2$ &lt;b&gt;"
)


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _unescaped_active(markdown: str, chars: str) -> list[str]:
    """Characters from `chars` not preceded by a backslash, outside code spans."""
    outside_code = re.sub(r"`[^`]*`", "", markdown)
    return re.findall(rf"(?<!\\)[{re.escape(chars)}]", outside_code)


def test_document_text_is_shown_exactly_as_written() -> None:
    shown = literal(HOSTILE + " **bold** # heading 1. item")
    assert _unescaped_active(shown, "<>[]()!$:&*#.") == []
    assert "`https://tracker.example/p.png)`" in shown  # a bare address would become a link
    as_written = re.sub(r"\\(.)", r"\1", shown.replace("`", ""))
    assert as_written == HOSTILE + " **bold** # heading 1. item"


def test_model_text_keeps_emphasis_but_no_html_link_image_or_directive() -> None:
    shown = model_markdown("**Yes**: " + HOSTILE)
    assert shown.startswith("**Yes**")
    assert _unescaped_active(shown, "<>[]$&:") == []
    assert "`https://tracker.example/p.png)`" in shown  # the address is code, not an image


def test_an_address_split_across_stream_pieces_is_still_made_inert() -> None:
    pieces = ["See ![a](htt", "ps://evil.exa", "mple/x.png) now", "."]
    streamed = "".join(inert_stream(pieces))
    assert streamed == model_markdown("".join(pieces))
    assert "`https://evil.example/x.png)`" in streamed


def test_unsupported_sentences_are_marked_and_chips_follow_supported_ones() -> None:
    result = {
        "answer": "A. B.",
        "sentences": [
            {"text": "A.", "citations": ["c1", "c2"], "supported": True},
            {"text": "B.", "citations": [], "supported": False},
        ],
    }
    assert answer_markdown(result) == (
        "A. :blue-badge[c1] :blue-badge[c2] B. :orange-badge[not found in the sources]"
    )


def test_the_answer_span_of_a_quoted_sentence_is_bold() -> None:
    sentence = {"text": "Value: 13.5 kWh", "citations": ["c1"], "supported": True}
    marked = {**sentence, "answer_span": [7, 15]}
    assert answer_markdown({"sentences": [marked]}) == "Value\\: **13.5 kWh** :blue-badge[c1]"
    broken = {**sentence, "answer_span": [7, 99]}
    assert answer_markdown({"sentences": [broken]}) == "Value\\: 13.5 kWh :blue-badge[c1]"


def test_the_quote_is_highlighted_inside_its_surrounding_text() -> None:
    context = "Intro. The K2 weighs 114 kg. Outro."
    citation = {"text": "The K2 weighs 114 kg.", "start": 107, "context_start": 100}
    citation["context"] = context
    assert quote_in_context(citation) == "Intro\\. **The K2 weighs 114 kg\\.** Outro\\."
    citation["context"] = "x" * 1000 + context + "y" * 1000
    citation["context_start"] -= 1000
    shown = quote_in_context(citation)
    # It opens at the sentence before the quote; a run of 1000 letters is cut where it must.
    assert shown.startswith("…**The K2") and shown.endswith("yyy…") and len(shown) < 900


def test_sources_name_their_page_slide_or_sheet_and_prefer_their_own_label() -> None:
    assert location({"source": "/d/roadmap-2026.pptx", "page": 3}) == "slide 3"
    assert location({"source": "/d/sales-2025.xlsx", "page": 2}) == "sheet 2"
    assert location({"source": "/d/warranty.pdf", "page": 1}) == "page 1"
    assert location({"source": "/d/notes.md", "page": None}) == ""
    labelled = {"source": "/d/sales.xlsx", "page": 1, "location": "sheet Prices, row 4"}
    assert location(labelled) == "sheet Prices, row 4"
    citation = {"id": "c2", "source": "/d/roadmap-2026.pptx", "page": 4}
    assert _plain(citation_label(citation)) == "[c2] roadmap-2026.pptx · slide 4"


def test_document_markdown_is_shown_without_its_markup() -> None:
    text = "## Specifications\n\n| Property | Value |\n|---|---|\n| Capacity | 13.5 kWh |\nEnd"
    shown = _plain(plain_markdown(text))
    assert "#" not in shown and "---" not in shown and "|" not in shown
    assert "Specifications" in shown and "Capacity · 13.5 kWh" in shown


def test_excerpts_start_and_end_at_sentence_or_word_boundaries() -> None:
    context = " ".join(f"Sentence number {n} says something." for n in range(60))
    quoted = "Sentence number 30 says something."
    start = context.index(quoted)
    citation = {"text": quoted, "start": start, "context": context, "context_start": 0}
    before, rest = _plain(quote_in_context(citation)).split("**", 1)
    after = rest.split("**")[1]
    assert before.startswith("…Sentence number") and after.endswith("something. …")
    long_word_text = "word " * 300
    cut = _plain(excerpt(long_word_text, limit=101))
    assert cut.endswith("word…") and len(cut) <= 102


def test_a_quoted_table_row_reads_as_a_record_under_its_header() -> None:
    context = (
        "Prices in euros.\n\n| Product | Code | Price |\n|---|---|---|\n"
        "| Aurora K2 home battery | BW-K2 | 7,450 |\n| Aurora K2 wall bracket | BW-K2-WB | 180 |\n"
    )
    quoted = "Aurora K2 wall bracket | BW-K2-WB | 180"
    citation = {"text": quoted, "context": context}
    assert table_record(citation) == {
        "Product": "Aurora K2 wall bracket",
        "Code": "BW-K2-WB",
        "Price": "180",
    }
    assert table_record({"text": "Prices in euros.", "context": context}) is None
    given = {"text": "x", "record": {"Sheet": "Prices", "Row": 4}}
    assert table_record(given) == {"Sheet": "Prices", "Row": "4"}


def test_an_email_address_is_shown_as_text_not_a_mailto_link() -> None:
    assert model_markdown("Write to support@brightwater.example today.") == (
        "Write to `support@brightwater.example` today."
    )


def test_the_model_summary_names_quantization_context_and_licence() -> None:
    card = {"name": "bundled", "path": "/m/SmolLM2-135M-Instruct.Q4_1.gguf",
            "quantization": "Q4_1", "licence": "apache-2.0", "licence_class": "permissive",
            "memory": {"n_ctx": 4096}}  # fmt: skip
    summary = model_summary({"configured": card, "loaded": None, "restart_needed": False})
    assert (
        summary
        == "SmolLM2-135M-Instruct.Q4_1 · Q4_1 · 4,096-token context · apache-2.0 (permissive)"
    )
    newer = card | {"path": "/m/Qwen.Q8_0.gguf", "quantization": "Q8_0"}
    switching = {"configured": newer, "loaded": card, "restart_needed": True}
    assert model_summary(switching).startswith("SmolLM2-135M-Instruct.Q4_1 · Q4_1")
    assert model_summary(switching).endswith("Qwen.Q8_0 at the next start")
    remote = {"name": "qwen2.5-7b", "remote": "http://gpu:8080/v1"}
    assert model_summary({"configured": remote, "loaded": None}) == "qwen2.5-7b (remote)"
    broken = {"name": "mine", "path": "/m/x.gguf", "error": "not a GGUF file"}
    assert model_summary({"configured": broken, "loaded": None}) == "x (not a GGUF file)"


def test_a_cancelled_ingest_job_says_so() -> None:
    from rag.ui.sidebar import _job_outcome

    [(kind, message)] = _job_outcome({"status": "cancelled", "report": None})
    assert kind == "warning" and "cancelled" in message and "running" not in message


def test_an_ocr_citation_says_it_was_read_from_a_scan_and_how_surely() -> None:
    cited = {
        "id": "c1",
        "source": "/d/invoice.png",
        "page": 1,
        "ocr": True,
        "ocr_confidence": 0.934,
    }
    assert citation_label(cited) == literal("[c1] invoice.png · page 1 · scanned, OCR 93%")
    assert "OCR" not in citation_label(cited | {"ocr": False, "ocr_confidence": None})


def test_a_quoted_list_is_drawn_as_a_list_an_item_a_line() -> None:
    # Five steps quoted whole were drawn as one paragraph.
    result = {
        "answer": "To get a plot:\n- 1. Apply.\n- 2. Wait.",
        "sentences": [
            {"text": text, "citations": [f"c{n}"], "supported": True}
            for n, text in enumerate(["To get a plot:", "1. Apply.", "2. Wait."], 1)
        ],
    }
    assert answer_markdown(result).split("\n") == [
        "To get a plot\\: :blue-badge[c1]",
        "- 1\\. Apply. :blue-badge[c2]",
        "- 2\\. Wait. :blue-badge[c3]",
    ]
    # the sentence naming what is asked reads on into the lead-in after it
    texts = ["The HWRC is on Quarry Lane.", "Items accepted include:", "Paint"]
    result = {
        "answer": "The HWRC is on Quarry Lane. Items accepted include:\n- Paint",
        "sentences": [
            {"text": text, "citations": [f"c{n}"], "supported": True}
            for n, text in enumerate(texts, 1)
        ],
    }
    assert answer_markdown(result).split("\n") == [
        "The HWRC is on Quarry Lane. :blue-badge[c1] Items accepted include\\: :blue-badge[c2]",
        "- Paint :blue-badge[c3]",
    ]
