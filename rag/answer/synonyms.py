"""Words that mean the same, from WordNet, so that "guarantee" finds the sentence saying
"warranty" and "rubbish" the one saying "trash".

WordNet 3.0 comes from Debian's `wordnet-base` (/usr/share/wordnet), read with nltk's reader.
The Debian package lacks the `lexnames` file nltk needs; `make install` writes it beside the
data (`python -m rag.answer.synonyms --lexnames` prints it). Without WordNet there are no
synonyms and the answer stage works as before (paraphrase is then left to the embedder).
A word's synonyms are the one-word lemmas of its MAX_SENSES most frequent senses: rarer senses
bring more noise than bridges ("fee" → "tip", "open" → "outdoors"). An adjective's senses also
bring the attribute they measure ("tall" → "height", "long" → "length", "old" → "age"), so "how
tall" finds the column headed "Maximum height".
"""

import sys
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

WORDNET_DIR = Path("/usr/share/wordnet")
MAX_SENSES = 3

Synonyms = Callable[[str], frozenset[str]]

# WordNet 3.0's lexicographer files, in the order their numbers give (wndb(5WN), lexnames(5WN)):
# the file nltk reads as `lexnames`, "NN<tab>name<tab>syntactic category".
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_CATEGORY = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}


def lexnames() -> str:
    return "".join(
        f"{n:02d}\t{name}\t{_CATEGORY[name.split('.')[0]]}\n" for n, name in enumerate(_LEXNAMES)
    )


def no_synonyms(word: str) -> frozenset[str]:
    return frozenset()


def wordnet_synonyms(root: Path = WORDNET_DIR) -> Synonyms:
    """Synonyms from the WordNet at `root`, or none when it is not installed there."""
    if not (root / "lexnames").is_file() or not (root / "index.noun").is_file():
        return no_synonyms
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class _Reader(WordNetCorpusReader):
        def map_wn(self, version: str = "wordnet") -> None:
            return None  # maps to other WordNet versions, for multilingual data: not used

    if str(root) not in nltk.data.path:
        nltk.data.path.append(str(root))  # nltk reads corpora only under its data path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available"
        reader = _Reader(str(root), None)

    @lru_cache(maxsize=8192)
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


if __name__ == "__main__":
    if sys.argv[1:] != ["--lexnames"]:
        sys.exit("usage: python -m rag.answer.synonyms --lexnames   (prints WordNet's lexnames)")
    sys.stdout.write(lexnames())
