"""What the chat renders from documents and model text can neither run nor load anything."""

import re

from rag.ui.render import answer_markdown, inert_stream, literal, model_markdown, quote_in_context

HOSTILE = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> [click](javascript:alert(3)) "
    "![pixel](https://tracker.example/p.png) :red[directive] $x^2$ &lt;b&gt;"
)


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
    assert shown.startswith("…xxx") and shown.endswith("yyy…") and len(shown) < 900
