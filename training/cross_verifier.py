"""Fine-tune the bundled MiniLM as a cross-encoder answerability verifier and measure it.

1. Generate (question, sentence, label) pairs from templates (training/verifier_data.py: the
   attribute pairs and the year/branch-qualified ones); the attributes in
   training/verifier.py's HELD_OUT are kept out of training, so accuracy on their pairs
   says how it does on kinds of facts it never saw.
2. Fine-tune the top LAYERS (--layers) transformer layers of the bundled all-MiniLM-L6-v2 and
   a one-logit head on "question [SEP] sentence" (the lower layers stay frozen: a few MB of
   tuned weights and less compute), one pass over the pairs, fixed seed, 2 threads.
3. Measure on eval/sample_docs_qa.jsonl and the first 100 PhantomWiki questions, per half
   (bench/evidence.py's split), without training on them: the abstention signal of
   rag/answer/abstain.py `verifier_signal` with (a) today's MLP verifier, (b) this
   cross-encoder in its place, (c) the mean of the two; its AUC, and the false abstention and
   recall at the threshold calibrated on the tuning half (the highest that keeps false
   abstention <= 0.05 there), and on PhantomWiki at the default threshold; and the time to
   score one question's sentences.
4. With --out DIR, write the tuned tensors (fp16 safetensors) there; they are measured as
   stored, rounded to fp16.

Run: .venv/bin/python -m training.cross_verifier [--out DIR] [--entities N] [--layers L]
     [--seed S]
"""

import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.evidence import PHANTOMWIKI, SAMPLE, auc, half
from bench.harness import table
from rag.answer.abstain import HELD_FOCUS, VERIFIED_SENTENCES, evidence_signal
from rag.answer.context import embedder_similarity, rank_evidence
from rag.answer.question import analyse
from rag.answer.verifier import AnswerabilityVerifier
from rag.app import RagApp
from rag.embed import bundled_embedder_path
from rag.eval.answers import sync_corpus
from rag.eval.retrieval import load_dataset
from rag.settings import Settings
from training.verifier import HELD_OUT
from training.verifier_data import pairs, qualified_pairs

LAYERS = 3  # transformer layers tuned, counted from the top (--layers)
MAX_TOKENS = 128
BATCH = 32
LEARNING_RATE = 2e-4
HEAD_LEARNING_RATE = 1e-3
FALSE_ABSTENTION = 0.05  # calibration target on the tuning half
DEFAULT_THRESHOLD = 0.3  # settings' abstain threshold
WEIGHTS_FILE = "cross_verifier.safetensors"
Pair = tuple[str, str, int, str]
Scorer = Callable[[str, list[str]], list[float]]


def build_model(base: Path):  # -> (tokenizer, BertForSequenceClassification)
    """The base model with a fresh one-logit head."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging

    logging.set_verbosity_error()  # the new head's "newly initialized" warning is expected
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1)
    return AutoTokenizer.from_pretrained(str(base)), model


def scorer(tokenizer, model) -> Scorer:
    """For each sentence, the chance (0..1) that it states the answer to the question."""
    import torch

    def scores(question: str, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        batch = tokenizer(
            [question] * len(sentences), sentences, padding=True, truncation="only_second",
            max_length=MAX_TOKENS, return_tensors="pt",
        )  # fmt: skip
        with torch.inference_mode():
            return torch.sigmoid(model(**batch).logits[:, 0]).tolist()

    return scores


def tuned_prefixes(model, layers: int) -> tuple[str, ...]:
    count = model.config.num_hidden_layers
    tuned = tuple(f"bert.encoder.layer.{n}." for n in range(count - layers, count))
    return (*tuned, "bert.pooler.", "classifier.")


def train(rows: list[Pair], seed: int, layers: int):  # -> (tokenizer, model)
    import torch

    torch.manual_seed(seed)
    tokenizer, model = build_model(bundled_embedder_path())
    prefixes = tuned_prefixes(model, layers)
    head, body = [], []
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith(prefixes)
        if parameter.requires_grad:
            (head if name.startswith("classifier.") else body).append(parameter)
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": LEARNING_RATE}, {"params": head, "lr": HEAD_LEARNING_RATE}],
        weight_decay=0.01,
    )
    steps = len(rows) // BATCH
    warmup = max(steps // 20, 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    model.train()
    started, running = time.monotonic(), []
    for step in range(steps):
        batch = rows[step * BATCH : (step + 1) * BATCH]
        encoded = tokenizer(
            [r[0] for r in batch], [r[1] for r in batch], padding=True,
            truncation="only_second", max_length=MAX_TOKENS, return_tensors="pt",
        )  # fmt: skip
        logits = model(**encoded).logits[:, 0]
        labels = torch.tensor([float(r[2]) for r in batch])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        running.append(loss.item())
        if (step + 1) % 50 == 0:
            print(f"  step {step + 1}/{steps}: loss {np.mean(running[-50:]):.3f},"
                  f" {time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
    return tokenizer, model.eval()


def accuracy_by_kind(score: Scorer, rows: list[Pair]) -> dict[str, float]:
    by_question: dict[str, list[Pair]] = defaultdict(list)
    for row in rows:
        by_question[row[0]].append(row)
    hits: dict[str, list[bool]] = defaultdict(list)
    for question, group in by_question.items():
        for row, p in zip(group, score(question, [r[1] for r in group]), strict=True):
            hits["all"].append((p >= 0.5) == bool(row[2]))
            hits[row[3]].append((p >= 0.5) == bool(row[2]))
    return {kind: round(float(np.mean(v)), 3) for kind, v in sorted(hits.items())}


def collect(app: RagApp, questions, corpus: Path) -> list[dict]:
    """Each question with the abstention signal's inputs from the default retrieval."""
    collection, _ = sync_corpus(app, corpus.resolve())
    similarity = embedder_similarity(app.embedder)
    rows = []
    for question in questions:
        focus = analyse(question.question)
        ranked = rank_evidence(focus, app.search(app.ask_request(question.question, collection)),
                               similarity)  # fmt: skip
        rows.append(
            {
                "question": question.question,
                "half": half(question.question),
                "answerable": question.answerable,
                "held": evidence_signal(focus, ranked),
                "best": [e.reads for e in ranked if e.answer_like][:VERIFIED_SENTENCES],
            }
        )
    return rows


def signal(row: dict, verdicts: list[float]) -> float:
    """rag/answer/abstain.py verifier_signal, given the verifier's scores of row["best"]."""
    return row["held"] if row["held"] >= HELD_FOCUS else max(verdicts, default=0.0)


def calibrate(rows: list[dict], key: str) -> float:
    """The highest threshold keeping false abstention <= FALSE_ABSTENTION on `rows`."""
    answerable = [r[key] for r in rows if r["answerable"]]
    candidates = sorted({r[key] for r in rows} | {0.0, 1.01})
    fits = [t for t in candidates if abstention(answerable, t) <= FALSE_ABSTENTION]
    return max(fits)


def abstention(values: list[float], threshold: float) -> float:
    return sum(v < threshold for v in values) / max(len(values), 1)


def report(name: str, rows: list[dict], keys: list[str], default_only: bool) -> list[list]:
    body = []
    for key in keys:
        tuning, held = ([r for r in rows if r["half"] == n] for n in (0, 1))
        threshold = DEFAULT_THRESHOLD if default_only else calibrate(tuning, key)
        line: list[object] = [name, key, round(threshold, 3)]
        for part in (tuning, held):
            good = [r[key] for r in part if r["answerable"]]
            bad = [r[key] for r in part if not r["answerable"]]
            line += [auc(good, bad) or "—", round(abstention(good, threshold), 3),
                     round(abstention(bad, threshold), 3) if bad else "—"]  # fmt: skip
        body.append(line)
    return body


def main(argv: list[str]) -> None:
    import torch

    torch.set_num_threads(2)
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    entities = int(argv[argv.index("--entities") + 1]) if "--entities" in argv else 100
    layers = int(argv[argv.index("--layers") + 1]) if "--layers" in argv else LAYERS
    started = time.monotonic()
    rows = pairs(seed, entities, HELD_OUT) + qualified_pairs(seed, entities * 12)
    random.Random(seed).shuffle(rows)
    same = pairs(seed + 1, entities // 8, HELD_OUT) + qualified_pairs(seed + 1, entities)
    unseen = pairs(seed + 2, entities // 4, HELD_OUT, only=True)
    print(f"pairs: {len(rows)} training, {len(same)} test, {len(unseen)} of held-out attributes")
    tokenizer, model = train(rows, seed, layers)
    print(f"trained in {time.monotonic() - started:.0f} s")
    tuned = {
        n: t for n, t in model.state_dict().items() if n.startswith(tuned_prefixes(model, layers))
    }
    for tensor in tuned.values():  # measured as it would be stored: fp16
        tensor.copy_(tensor.half().float())
    if "--out" in argv:
        from safetensors.torch import save_file

        out = Path(argv[argv.index("--out") + 1])
        out.mkdir(parents=True, exist_ok=True)
        save_file({n: t.half().contiguous() for n, t in tuned.items()}, str(out / WEIGHTS_FILE))
        print(f"tuned tensors written to {out / WEIGHTS_FILE}")
    cross = scorer(tokenizer, model)
    for label, test in (("trained attributes", same), ("held-out attributes", unseen)):
        print(f"accuracy on generated test pairs, {label}: {accuracy_by_kind(cross, test)}")
    measure(cross)
    print(f"total {time.monotonic() - started:.0f} s")


def measure(cross: Scorer) -> None:
    body, latency = [], []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        RagApp(Settings(data_dir=Path(data_dir))) as app,
    ):
        mlp = AnswerabilityVerifier(app.embedder)
        sets = [("sample_docs", load_dataset(SAMPLE[0]), SAMPLE[1], False),
                ("PhantomWiki 100", load_dataset(PHANTOMWIKI / "questions.jsonl")[:100],
                 PHANTOMWIKI / "corpus", True)]  # fmt: skip
        for name, questions, corpus, default_only in sets:
            rows = collect(app, questions, corpus)
            for row in rows:
                ticked = time.perf_counter()
                crossed = cross(row["question"], row["best"])
                latency.append(time.perf_counter() - ticked)
                today = mlp.scores(row["question"], row["best"])
                mean = [(a + b) / 2 for a, b in zip(today, crossed, strict=True)]
                row |= {"(a) MLP": signal(row, today), "(b) cross-encoder": signal(row, crossed),
                        "(c) mean of both": signal(row, mean)}  # fmt: skip
            keys = ["(a) MLP", "(b) cross-encoder", "(c) mean of both"]
            body += report(name, rows, keys, default_only)
    print(
        table(
            [
                "set",
                "signal",
                "threshold",
                "AUC tuning",
                "false abst. tuning",
                "recall tuning",
                "AUC held-out",
                "false abst. held-out",
                "recall held-out",
            ],
            body,
        )  # fmt: skip
    )
    median, p90 = (np.percentile(latency, p) * 1000 for p in (50, 90))
    print(f"cross-encoder latency per question ({VERIFIED_SENTENCES} sentences): median "
          f"{median:.0f} ms, p90 {p90:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
