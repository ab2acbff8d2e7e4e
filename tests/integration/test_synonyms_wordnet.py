"""WordNet, as Debian's wordnet-base installs it (make install), read into its SQLite cache: the
synonyms that bridge a question's words to the sentence that words it differently, the same as
nltk's reader gives (it reads the `lexnames` file written beside the data)."""

import shutil

import pytest

from rag.answer.synonyms import MAX_SENSES, WORDNET_DIR, Synonyms, lexnames, wordnet_synonyms

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


def _nltk_synonyms() -> Synonyms:
    """The reference: nltk 3.10's WordNet reader, as the answer stage used it before the cache."""
    import warnings

    nltk = pytest.importorskip("nltk")  # a dev dependency
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class _Reader(WordNetCorpusReader):
        def map_wn(self, version: str = "wordnet") -> None:
            return None

    if str(WORDNET_DIR) not in nltk.data.path:
        nltk.data.path.append(str(WORDNET_DIR))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _Reader(str(WORDNET_DIR), None)

    def synonyms(word: str) -> frozenset[str]:
        senses = reader.synsets(word)[:MAX_SENSES]
        related = [*senses, *(a for s in senses for a in s.attributes())]
        found = {
            lemma.lower()
            for synset in related
            for lemma in synset.lemma_names()
            if "_" not in lemma and "-" not in lemma and not lemma[:1].isupper()
        }
        return frozenset(found - {word})

    return synonyms


def test_the_cache_gives_nltks_synonyms_for_lemmas_inflections_and_exceptions(tmp_path) -> None:
    # Every 200th word of WordNet's indexes and exception lists, with the inflections its
    # suffix rules undo (all 938,262 such words matched when the cache was written).
    listed = set()
    for suffix in ("noun", "verb", "adj", "adv"):
        for line in (WORDNET_DIR / f"index.{suffix}").read_text().splitlines():
            if not line.startswith(" "):
                listed.add(line.split()[0])
        for line in (WORDNET_DIR / f"{suffix}.exc").read_text().splitlines():
            listed.update(line.split())
    sample = sorted(listed)[::200]
    endings = ("s", "es", "ed", "ing", "er", "est", "men")
    words = [*sample, *(w + e for w in sample for e in endings), "Guarantee", "zorblium", ""]
    cached, reference = wordnet_synonyms(cache=tmp_path / "wordnet.sqlite3"), _nltk_synonyms()
    assert [w for w in words if cached(w) != reference(w)] == []


def test_the_cache_is_built_once_and_again_when_wordnet_changes(tmp_path) -> None:
    wordnet, cache = tmp_path / "wordnet", tmp_path / "data" / "wordnet.sqlite3"
    shutil.copytree(WORDNET_DIR, wordnet)
    cache.parent.mkdir()
    assert "warranty" in wordnet_synonyms(wordnet, cache)("guarantee")
    built = cache.stat().st_mtime_ns
    assert "warranty" in wordnet_synonyms(wordnet, cache)("guarantee")
    assert cache.stat().st_mtime_ns == built  # reused
    index = wordnet / "index.noun"
    index.write_text(index.read_text().replace("\nguarantee n ", "\nguarantied n "))
    assert "warranty" not in wordnet_synonyms(wordnet, cache)("guarantee")  # rebuilt
    cache.write_bytes(b"not a database")
    assert "guarantee" in wordnet_synonyms(wordnet, cache)("warranty")
    assert [p.name for p in cache.parent.iterdir()] == ["wordnet.sqlite3"]
