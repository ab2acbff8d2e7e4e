"""LoRA adapters: what switching costs. Two test-made adapters (tests/lora_adapter.py) over the
bundled SmolLM2; the ~800-token RAG prompt of bench/llm.py, asked in turn:
- the same adapter twice (the second question reuses the cached prompt prefix),
- then another adapter (the switch drops the cache: the whole prompt is evaluated again),
- and decode speed with an adapter next to the base model.
The base model is loaded once for the whole run; switching never reloads it.

Run: .venv/bin/python -m bench.lora   (writes the "LoRA adapters" section)
"""

import statistics
import tempfile
from pathlib import Path

from bench.harness import table, write_section
from bench.llm import MAX_TOKENS, N_CTX, THREADS, _messages, _timed
from rag.llm.local import LlamaCppChatModel, bundled_model_path
from tests.lora_adapter import write_lora

RUNS = 3


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        adapters = {
            name: write_lora(Path(folder) / f"{name}.gguf", scale=0.05, seed=seed)
            for seed, name in enumerate(("a", "b"))
        }
        model = LlamaCppChatModel(
            bundled_model_path(), n_ctx=N_CTX, n_threads=THREADS, n_batch=256, gpu_layers=0,
            temperature=0.0, repeat_penalty=1.15, seed=0, adapters=adapters,
        )  # fmt: skip
        first_token: dict[str, list[float]] = {"same": [], "switched": []}
        decode: dict[str, list[float]] = {"base": [], "adapter": []}

        def ask(adapter: str | None, question: str) -> tuple[float, float, int]:
            return _timed(model.stream(_messages(question), MAX_TOKENS, [], adapter))

        ask(None, "warm-up")
        for run in range(RUNS):
            ask("a", f"What is the annual leave? ({run})")
            seconds, rate, _ = ask("a", f"What does the warranty cover? ({run})")
            first_token["same"].append(seconds)
            decode["adapter"].append(rate)
            seconds, _, _ = ask("b", f"What does the warranty cover? ({run})")
            first_token["switched"].append(seconds)
            _, rate, _ = ask(None, f"How much is shipping? ({run})")
            decode["base"].append(rate)
    same = statistics.median(first_token["same"]) * 1000
    switched = statistics.median(first_token["switched"]) * 1000
    rows = [
        ["first token, same adapter as the previous question, median ms", f"{same:.0f}"],
        ["first token, right after switching adapters, median ms", f"{switched:.0f}"],
        ["switch cost (ratio)", f"{switched / same:.1f}x"],
        ["decode tok/s, base model", f"{statistics.median(decode['base']):.1f}"],
        ["decode tok/s, with a rank-4 adapter on every query projection",
         f"{statistics.median(decode['adapter']):.1f}"],
    ]  # fmt: skip
    for row in rows:
        print(row)
    body = table(["measure", "value"], rows) + (
        f"\n\nBundled SmolLM2-135M, {THREADS} threads, median of {RUNS}; the prompt is"
        " bench/llm.py's (system prompt, two sample_docs sources, question). A switch costs"
        " a full prompt evaluation: the KV cache of the shared prefix was computed with the"
        " other adapter's weights. Keeping each collection on one adapter avoids it."
    )
    write_section("LoRA adapters", "python -m bench.lora", body)


if __name__ == "__main__":
    main()
