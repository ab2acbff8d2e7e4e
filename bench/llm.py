"""Model runtime cost: our worker vs raw llama-cpp-python, and what the prefix cache saves.

1. Decode speed: the same prompt through `ModelWorker` + `LlamaCppChatModel` and through a bare
   `Llama.create_completion`, alternated, median of several runs. Decode tok/s counts the
   tokens after the first over the time after the first, so prompt evaluation is excluded.
2. Time to first token for a question whose prompt shares its prefix (system prompt and
   sources) with the previous one, vs after an unrelated prompt evicted that prefix.

Run: .venv/bin/python -m bench.llm   (writes the "Model runtime" section)
"""

import os
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from bench.harness import table, write_section
from rag.answer.prompt import SYSTEM_PROMPT
from rag.llm.local import LlamaCppChatModel, bundled_model_path
from rag.llm.worker import ModelWorker

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
MAX_TOKENS = 96
N_CTX = 4096
THREADS = os.cpu_count() or 1


def _sources() -> str:
    texts = [
        (ROOT / "sample_docs" / name).read_text()[:1500]
        for name in ("employee-handbook.md", "price-list.md")
    ]
    return "\n".join(f'<source id="{n}">\n{t}\n</source>' for n, t in enumerate(texts, 1))


def _messages(question: str, system: str = SYSTEM_PROMPT) -> list[dict[str, str]]:
    user = f"Sources:\n{_sources()}\n\nQuestion: {question}\nAnswer:"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _timed(pieces: Iterator[object]) -> tuple[float, float, int]:
    """(seconds to first piece, decode tokens/s after it, pieces)."""
    started = time.perf_counter()
    first = last = None
    count = 0
    for _ in pieces:
        last = time.perf_counter()
        first = first or last
        count += 1
    assert first is not None and last is not None
    rate = (count - 1) / (last - first) if count > 1 and last > first else 0.0
    return first - started, rate, count


def main() -> None:
    ours = LlamaCppChatModel(
        bundled_model_path(),
        n_ctx=N_CTX,
        n_threads=THREADS,
        n_batch=256,
        gpu_layers=0,
        temperature=0.0,
        repeat_penalty=1.0,  # no early stop from penalties: both sides decode MAX_TOKENS
        seed=0,
    )
    worker = ModelWorker(ours, queue_size=1, timeout_s=600)
    from llama_cpp import Llama

    raw = Llama(
        model_path=str(bundled_model_path()),
        n_ctx=N_CTX,
        n_threads=THREADS,
        n_batch=256,
        seed=0,
        verbose=False,
    )
    story = _messages("Write a long story about the company's products.")
    tokens = ours._prompt_tokens(story)  # the exact prompt our runtime sends

    def raw_pieces() -> Iterator[object]:
        raw.reset()
        return iter(
            raw.create_completion(tokens, max_tokens=MAX_TOKENS, stream=True, temperature=0)
        )

    def our_pieces() -> Iterator[object]:
        worker.complete(_messages("unrelated", system="Evict."), max_tokens=1)  # same cold start
        return iter(worker.submit(story, MAX_TOKENS))

    rates: dict[str, list[float]] = {"raw llama-cpp-python": [], "ModelWorker": []}
    for _ in range(RUNS):
        rates["raw llama-cpp-python"].append(_timed(raw_pieces())[1])
        rates["ModelWorker"].append(_timed(our_pieces())[1])
    raw_rate = statistics.median(rates["raw llama-cpp-python"])
    our_rate = statistics.median(rates["ModelWorker"])

    questions = [
        "How many days of annual leave do employees get?",
        "What discount applies to two batteries?",
        "Who approves expense claims?",
        "What does the K2 battery cost?",
    ]
    cold, warm = [], []
    for question in questions:
        worker.complete(_messages("unrelated", system="Evict the cache."), max_tokens=1)
        cold.append(_timed(iter(worker.submit(_messages(question), 8)))[0])
        warm.append(_timed(iter(worker.submit(_messages(question + " Explain."), 8)))[0])
    prompt_tokens = len(tokens)

    rows = [
        ["decode tok/s, raw llama-cpp-python", f"{raw_rate:.1f}"],
        ["decode tok/s, through ModelWorker", f"{our_rate:.1f}"],
        ["runtime overhead", f"{(1 - our_rate / raw_rate) * 100:+.1f}%"],
        [
            f"first token, cold prefix ({prompt_tokens}-token prompt), median ms",
            f"{statistics.median(cold) * 1000:.0f}",
        ],
        [
            "first token, prefix cached from the previous question, median ms",
            f"{statistics.median(warm) * 1000:.0f}",
        ],
        [
            "speed-up of the cached prefix",
            f"{statistics.median(cold) / statistics.median(warm):.1f}x",
        ],
    ]
    for row in rows:
        print(row)
    body = (
        f"Bundled SmolLM2-135M-Instruct GGUF, CPU, {THREADS} threads, n_ctx {N_CTX}, "
        f"{MAX_TOKENS} decoded tokens, "
        f"median of {RUNS} alternated runs. The cached-prefix rows ask a second question over the "
        "same system prompt and sources; the cold rows first run an unrelated prompt so nothing "
        "is shared.\n\n" + table(["measure", "value"], rows)
    )
    write_section("Model runtime", "python -m bench.llm", body)


if __name__ == "__main__":
    main()
