#!/usr/bin/env python3
"""Verify the Kestrelford question sets against the corpus.

For every question line it checks:
  * exactly the keys question, gold_sources, answers, answerable, kind, match;
  * kind and match values are allowed; answerable questions have gold sources and
    answers, unanswerable ones have neither (kind "unanswerable");
  * every gold source exists in corpus/;
  * every answer string occurs in the extracted text of at least one of its gold
    files (case-insensitive, whitespace runs collapsed, thousands separators
    ignored, HTML entities decoded, typographic quotes/dashes folded to ASCII);
  * no question text is repeated within or across the files given.
If absence_probes.json exists (question text -> list of regular expressions), each
probe must NOT match the normalised text of any corpus file; this documents the
grep check behind each unanswerable question.

Text extraction: .docx python-docx paragraphs and table cells; .pptx python-pptx
text of every shape (tables included); .xlsx openpyxl cell values as displayed
(integers with a #,##0 format get thousands separators); .pdf pypdf
extract_text; .html tags stripped; other files read as UTF-8 text.

Usage: python check_questions.py [questions.jsonl ...]
       (default: questions_tuning.jsonl questions_dev.jsonl)
Exit status 0 if everything passes, 1 otherwise. Prints counts per kind.
"""

import collections
import html as htmlmod
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
KINDS = [
    "fact",
    "number",
    "named",
    "definition",
    "reason",
    "procedure",
    "list",
    "table_row",
    "table_compute",
    "paraphrase",
    "unanswerable",
]
KEYS = {"question", "gold_sources", "answers", "answerable", "kind", "match"}


def _xlsx_display(cell):
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, int):
        return f"{v:,}" if "," in (cell.number_format or "") else str(v)
    if isinstance(v, float):
        return f"{v:,.2f}" if "," in (cell.number_format or "") else repr(v)
    return str(v)


def extract_text(path):
    ext = os.path.splitext(path)[1].lower()
    if ext == ".docx":
        import docx

        d = docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.append(" | ".join(c.text for c in row.cells))
        return "\n".join(parts)
    if ext == ".pptx":
        from pptx import Presentation

        parts = []
        for slide in Presentation(path).slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if getattr(shape, "has_table", False) and shape.has_table:
                    for row in shape.table.rows:
                        parts.append(" | ".join(c.text for c in row.cells))
        return "\n".join(parts)
    if ext == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        parts = []
        for ws in wb.worksheets:
            parts.append(ws.title)
            for row in ws.iter_rows():
                parts.append(" | ".join(_xlsx_display(c) for c in row))
        return "\n".join(parts)
    if ext == ".pdf":
        from pypdf import PdfReader

        return "\n".join((p.extract_text() or "") for p in PdfReader(path).pages)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if ext in (".html", ".htm"):
        text = re.sub(r"(?is)<(script|style).*?</\1>", " ", text)
        text = re.sub(r"<[^>]+>", " ", text)
        text = htmlmod.unescape(text)
    return text


def normalise(s):
    s = htmlmod.unescape(s)
    s = (
        s.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", "-")
        .replace("\u00a0", " ")
    )
    s = s.lower()
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)  # thousands separators
    s = re.sub(r"\s+", " ", s)
    return s.strip()


_cache = {}


def corpus_text(name):
    if name not in _cache:
        _cache[name] = normalise(extract_text(os.path.join(CORPUS, name)))
    return _cache[name]


def check_file(path, seen, errors):
    counts = collections.Counter()
    gold_use = collections.Counter()
    n = 0
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{os.path.basename(path)}:{ln}"
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: invalid JSON ({e})")
                continue
            n += 1
            if set(q) != KEYS:
                errors.append(f"{where}: keys {sorted(q)} != {sorted(KEYS)}")
                continue
            kind, match = q["kind"], q["match"]
            counts[kind] += 1
            if kind not in KINDS:
                errors.append(f"{where}: unknown kind {kind!r}")
            if match not in ("any", "all"):
                errors.append(f"{where}: match must be 'any' or 'all'")
            if not isinstance(q["question"], str) or not q["question"].strip():
                errors.append(f"{where}: empty question")
            key = normalise(q["question"])
            if key in seen:
                errors.append(f"{where}: duplicate question (also at {seen[key]})")
            seen[key] = where
            if not isinstance(q["answerable"], bool):
                errors.append(f"{where}: answerable must be a boolean")
            if not q["answerable"]:
                if q["gold_sources"] or q["answers"] or kind != "unanswerable":
                    errors.append(
                        f"{where}: unanswerable question must have no gold_sources/answers and kind 'unanswerable'"
                    )
                continue
            if kind == "unanswerable":
                errors.append(f"{where}: kind 'unanswerable' but answerable is true")
            if not q["gold_sources"] or not q["answers"]:
                errors.append(f"{where}: answerable question needs gold_sources and answers")
                continue
            if kind == "list" and match != "all":
                errors.append(f"{where}: list questions should use match 'all'")
            texts = []
            for g in q["gold_sources"]:
                gold_use[g] += 1
                if not os.path.exists(os.path.join(CORPUS, g)):
                    errors.append(f"{where}: gold source {g!r} not in corpus/")
                    continue
                texts.append(corpus_text(g))
            for a in q["answers"]:
                if not isinstance(a, str) or not a.strip():
                    errors.append(f"{where}: empty answer string")
                    continue
                if not any(normalise(a) in t for t in texts):
                    errors.append(f"{where}: answer {a!r} not found in {q['gold_sources']}")
    return n, counts, gold_use


def check_probes(errors):
    path = os.path.join(HERE, "absence_probes.json")
    if not os.path.exists(path):
        return 0
    with open(path, encoding="utf-8") as f:
        probes = json.load(f)
    names = sorted(os.listdir(CORPUS))
    for question, patterns in probes.items():
        for pat in patterns:
            rx = re.compile(pat)
            for nme in names:
                m = rx.search(corpus_text(nme))
                if m:
                    errors.append(
                        f"absence probe {pat!r} for {question!r} matched in {nme}: {m.group(0)[:80]!r}"
                    )
    return len(probes)


def main(argv):
    files = argv[1:] or [
        os.path.join(HERE, "questions_tuning.jsonl"),
        os.path.join(HERE, "questions_dev.jsonl"),
    ]
    errors, seen = [], {}
    corpus_files = sorted(os.listdir(CORPUS))
    for path in files:
        n, counts, gold_use = check_file(path, seen, errors)
        print(f"{os.path.basename(path)}: {n} questions")
        for k in KINDS:
            print(f"  {k:14s} {counts.get(k, 0)}")
        ans = sum(v for k, v in counts.items() if k != "unanswerable")
        print(f"  answerable {ans}, unanswerable {counts.get('unanswerable', 0)}")
        unused = [c for c in corpus_files if c not in gold_use]
        print(
            f"  corpus files used as gold: {len(corpus_files) - len(unused)}/{len(corpus_files)}"
            + (f" (not used: {', '.join(unused)})" if unused else "")
        )
    n_probes = check_probes(errors)
    if n_probes:
        print(f"absence probes checked for {n_probes} unanswerable questions")
    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK: all answer strings found in their gold files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
