"""Words that mean the same, from WordNet, so that "guarantee" finds the sentence saying
"warranty" and "rubbish" the one saying "trash".

WordNet 3.0 comes from Debian's `wordnet-base` (/usr/share/wordnet). Its files are read once into
a compact SQLite cache in the data directory (wordnet.sqlite3, rebuilt when the files change):
nltk's reader took 3.4 s a process (its import, then every index file into dicts), the cache
opens in milliseconds. Without WordNet there are no synonyms and the answer stage works as
before (paraphrase is then left to the embedder).
A word's synonyms are the one-word lemmas of its MAX_SENSES most frequent senses: rarer senses
bring more noise than bridges ("fee" → "tip", "open" → "outdoors"). An adjective's senses also
bring the attribute they measure ("tall" → "height", "long" → "length", "old" → "age"), so "how
tall" finds the column headed "Maximum height".
A word's senses are found as nltk 3.10's `synsets(word)` finds them (tests/integration compares
the two): for each part of speech (noun, verb, adjective, adverb), the word and its base forms
(the exception list's, else one pass of the suffix rules) that WordNet lists, each with its
senses in WordNet's order.
"""

import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from functools import lru_cache
from pathlib import Path

WORDNET_DIR = Path("/usr/share/wordnet")
MAX_SENSES = 3

Synonyms = Callable[[str], frozenset[str]]

_FORMAT = "1"  # bump when what the cache holds changes
_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}  # part of speech → file suffix
# morphy's suffix rules (wninput(5WN)), as nltk applies them
_SUFFIXES = {
    "n": (
        ("s", ""),
        ("ses", "s"),
        ("ves", "f"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "v": (
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}
_MARKER = re.compile(r"\([^()]*\)$")  # an adjective's syntactic marker: "galore(ip)"
_OPENED: dict[str, Path] = {}  # fingerprint → a cache this process opened

# WordNet 3.0's lexicographer files, in the order their numbers give (wndb(5WN), lexnames(5WN)):
# the file nltk reads as `lexnames`, "NN<tab>name<tab>syntactic category". The Debian package
# lacks it; `make install` writes it beside the data for nltk, the reference of the tests.
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


def wordnet_synonyms(root: Path = WORDNET_DIR, cache: Path | None = None) -> Synonyms:
    """Synonyms from the WordNet at `root`, or none when it is not installed there. `cache` is
    the SQLite file it is read into (built when missing or stale); without one, it is read into
    memory."""
    if not all((root / name).is_file() for name in _source_names()):
        return no_synonyms
    db = _open_cache(root, cache) if cache is not None else _built(root, ":memory:")
    lock = threading.Lock()  # one connection, shared by the server's threads

    @lru_cache(maxsize=8192)
    def synonyms(word: str) -> frozenset[str]:
        with lock:
            found = {w for words in _senses(db, word.lower()) for w in words.split()}
        return frozenset(found - {word})

    return synonyms


def _senses(db: sqlite3.Connection, word: str) -> list[str]:
    """The words of `word`'s first MAX_SENSES senses (each sense's one-word lemmas and those of
    the attributes it measures), in nltk's order: part of speech, base form, sense."""
    exceptions = dict(db.execute("SELECT pos, bases FROM exceptions WHERE form = ?", (word,)))
    candidates = {
        pos: [word, *exceptions[pos].split()] if pos in exceptions else [word, *_rules(word, pos)]
        for pos in _FILES
    }
    forms = sorted({form for found in candidates.values() for form in found})
    query = "SELECT lemma, pos, offsets FROM lemmas WHERE lemma IN (%s)"  # noqa: S608
    rows = db.execute(query % ",".join("?" * len(forms)), forms)  # placeholders only
    listed = {(lemma, pos): offsets for lemma, pos, offsets in rows}
    senses = [
        (pos, int(offset))
        for pos, found in candidates.items()
        for form in dict.fromkeys(found)
        for offset in listed.get((form, pos), "").split()
    ][:MAX_SENSES]
    return [
        db.execute("SELECT words FROM synsets WHERE pos = ? AND offset = ?", sense).fetchone()[0]
        for sense in senses
    ]


def _rules(word: str, pos: str) -> list[str]:
    return [word[: -len(old)] + new for old, new in _SUFFIXES[pos] if word.endswith(old)]


def _source_names() -> list[str]:
    return [f"{kind}.{suffix}" for suffix in _FILES.values() for kind in ("index", "data")] + [
        f"{suffix}.exc" for suffix in _FILES.values()
    ]


def _fingerprint(root: Path) -> str:
    stats = ((name, (root / name).stat()) for name in _source_names())
    return " ".join([_FORMAT, *(f"{name}:{s.st_size}:{s.st_mtime_ns}" for name, s in stats)])


def _open_cache(root: Path, cache: Path) -> sqlite3.Connection:
    """The cache at `cache`, built (into a temporary file, then renamed) when it is missing,
    unreadable or made from other files; copied when this process opened one of the same files
    (each test's data directory)."""
    wanted = _fingerprint(root)
    if _made_from(cache) != wanted:
        handle, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".wordnet-", suffix=".tmp")
        os.close(handle)
        try:
            if (same := _OPENED.get(wanted)) is not None and _made_from(same) == wanted:
                shutil.copyfile(same, temporary)
            else:
                _built(root, temporary).close()
            os.replace(temporary, cache)
        finally:
            Path(temporary).unlink(missing_ok=True)
    _OPENED[wanted] = cache
    return _read_only(cache)


def _made_from(cache: Path) -> str | None:
    """The fingerprint of the files `cache` was built from; None when it is missing or damaged."""
    try:
        with closing(_read_only(cache)) as db:
            return db.execute("SELECT value FROM meta").fetchone()[0]
    except (sqlite3.Error, TypeError):
        return None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)


def _built(root: Path, target: str) -> sqlite3.Connection:
    db = sqlite3.connect(target, check_same_thread=False)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE lemmas (lemma TEXT, pos TEXT, offsets TEXT, PRIMARY KEY (lemma, pos))
            WITHOUT ROWID;
        CREATE TABLE exceptions (form TEXT, pos TEXT, bases TEXT, PRIMARY KEY (form, pos))
            WITHOUT ROWID;
        CREATE TABLE synsets (pos TEXT, offset INTEGER, words TEXT, PRIMARY KEY (pos, offset))
            WITHOUT ROWID;
        """
    )
    with db:
        db.executemany("INSERT OR REPLACE INTO lemmas VALUES (?, ?, ?)", _index_rows(root))
        db.executemany("INSERT OR REPLACE INTO exceptions VALUES (?, ?, ?)", _exception_rows(root))
        db.executemany("INSERT INTO synsets VALUES (?, ?, ?)", _synset_rows(root))
        db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (_fingerprint(root),))
    return db


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        yield from (line for line in lines if not line.startswith(" "))  # the licence


def _index_rows(root: Path) -> Iterator[tuple[str, str, str]]:
    """index.*: lemma, part of speech, synset count, pointer symbols, sense counts, offsets."""
    for suffix in _FILES.values():
        for line in _lines(root / f"index.{suffix}"):
            tokens = line.split()
            count, pointers = int(tokens[2]), int(tokens[3])
            yield tokens[0], tokens[1], " ".join(tokens[6 + pointers : 6 + pointers + count])


def _exception_rows(root: Path) -> Iterator[tuple[str, str, str]]:
    for pos, suffix in _FILES.items():
        for line in _lines(root / f"{suffix}.exc"):
            form, *bases = line.split()
            yield form, pos, " ".join(bases)


def _synset_rows(root: Path) -> Iterator[tuple[str, int, str]]:
    """Each synset's words: its one-word lowercase lemmas and those of the attributes it
    measures (its "=" pointers)."""
    names: dict[tuple[str, int], set[str]] = {}
    attributes: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for pos, suffix in _FILES.items():
        for line in _lines(root / f"data.{suffix}"):
            tokens = line.partition("|")[0].split()
            key = (pos, int(tokens[0]))
            count = int(tokens[3], 16)
            lemmas = (_MARKER.sub("", name) for name in tokens[4 : 4 + 2 * count : 2])
            names[key] = {
                name.lower()
                for name in lemmas
                if "_" not in name and "-" not in name and not name[:1].isupper()
            }
            at = 4 + 2 * count
            pointers = [tokens[at + 1 + 4 * i : at + 5 + 4 * i] for i in range(int(tokens[at]))]
            attributes[key] = [
                ("a" if target_pos == "s" else target_pos, int(offset))
                for symbol, offset, target_pos, lemmas_ in pointers
                if symbol == "=" and lemmas_ == "0000"
            ]
    for key, own in names.items():
        words = own.union(*(names[target] for target in attributes[key]))
        yield key[0], key[1], " ".join(sorted(words))


if __name__ == "__main__":
    if sys.argv[1:] != ["--lexnames"]:
        sys.exit("usage: python -m rag.answer.synonyms --lexnames   (prints WordNet's lexnames)")
    sys.stdout.write(lexnames())
