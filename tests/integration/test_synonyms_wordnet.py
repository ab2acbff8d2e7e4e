"""WordNet, as Debian's wordnet-base installs it (make install), read by nltk once the
`lexnames` file is written beside it: the synonyms that bridge a question's words to the
sentence that words it differently."""

import pytest

from rag.answer.synonyms import WORDNET_DIR, lexnames, wordnet_synonyms

pytestmark = pytest.mark.integration


def test_the_installed_wordnet_has_the_lexnames_file_nltk_needs() -> None:
    assert (WORDNET_DIR / "lexnames").read_text() == lexnames()


def test_wordnet_bridges_guarantee_and_warranty_both_ways() -> None:
    synonyms = wordnet_synonyms()
    assert "warranty" in synonyms("guarantee")
    assert "guarantee" in synonyms("warranty")
    assert "guarantee" not in synonyms("guarantee")  # a word is not its own synonym
    assert synonyms("zorblium") == frozenset()


def test_without_wordnet_there_are_no_synonyms(tmp_path) -> None:
    assert wordnet_synonyms(tmp_path)("guarantee") == frozenset()


def test_a_measuring_adjective_bridges_to_the_attribute_it_measures() -> None:
    synonyms = wordnet_synonyms()
    assert "height" in synonyms("tall")  # "how tall" finds the "Maximum height" column
    assert {"length", "duration"} <= synonyms("long")
    assert "weight" in synonyms("heavy")
    assert "age" in synonyms("old")
