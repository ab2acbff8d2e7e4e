"""The card's memory estimate against what a real load adds to a process's RSS.

Each case runs in a fresh child process: import llama-cpp-python, read RSS, load the GGUF with
our `LlamaCppChatModel` at the case's n_ctx and n_batch, answer one prompt of the case's length
(8 tokens), read RSS again. The estimate (rag/models/memory.py) is what llama.cpp allocates;
pages are resident once used, so a prompt that fills the context is the case it is checked on.

Run: .venv/bin/python -m bench.model_memory   (writes the "Model memory" section)
"""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MIB = 1 << 20
SENTENCE = "The warranty covers parts and labour for two years from the date of purchase. "
# (n_ctx, n_batch, prompt tokens): the default settings with a short and a filling prompt, and
# the integration test's case.
CASES = [(4096, 256, 40), (4096, 256, 3600), (4096, 512, 3600), (1024, 256, 900)]


@dataclass(frozen=True)
class Measured:
    n_ctx: int
    n_batch: int
    prompt_tokens: int
    estimate_bytes: int
    rss_added_bytes: int

    @property
    def error(self) -> float:
        """Estimate relative to the measured RSS: +0.10 = 10% above."""
        return self.estimate_bytes / self.rss_added_bytes - 1


def measure(path: Path, n_ctx: int, n_batch: int, prompt_tokens: int) -> Measured:
    from rag.models.card import read_card

    command = [sys.executable, "-m", "bench.model_memory", "--child", str(path)]
    command += [str(n_ctx), str(n_batch), str(prompt_tokens)]
    child = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    rss = json.loads(child.stdout.strip().splitlines()[-1])
    estimate = read_card(path, n_ctx=n_ctx, n_batch=n_batch).ram_bytes
    return Measured(n_ctx, n_batch, rss["prompt_tokens"], estimate, rss["rss_added_bytes"])


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _child(path: str, n_ctx: int, n_batch: int, prompt_tokens: int) -> None:
    import llama_cpp  # noqa: F401 - the library's own pages are not the model's

    from rag.llm.local import LlamaCppChatModel

    before = _rss()
    model = LlamaCppChatModel(
        Path(path), n_ctx=n_ctx, n_threads=None, n_batch=n_batch, gpu_layers=0,
        temperature=0.0, repeat_penalty=1.0, seed=0,
    )  # fmt: skip

    def tokens(sentences: int) -> int:
        return model.count_tokens([{"role": "user", "content": SENTENCE * sentences}])

    base, unit = tokens(1), (tokens(11) - tokens(1)) / 10
    messages = [{"role": "user", "content": SENTENCE * (1 + int((prompt_tokens - base) / unit))}]
    for _ in model.stream(messages, 8, []):
        pass
    used = model.count_tokens(messages)
    print(json.dumps({"rss_added_bytes": _rss() - before, "prompt_tokens": used}))


def main() -> None:
    from bench.harness import table, write_section
    from rag.llm.local import bundled_model_path

    rows = []
    for n_ctx, n_batch, prompt in CASES:
        m = measure(bundled_model_path(), n_ctx, n_batch, prompt)
        rows.append(
            [m.n_ctx, m.n_batch, m.prompt_tokens, f"{m.estimate_bytes / MIB:.1f}",
             f"{m.rss_added_bytes / MIB:.1f}", f"{m.error:+.1%}"]
        )  # fmt: skip
        print(rows[-1], flush=True)
    body = (
        "Bundled SmolLM2-135M-Instruct Q4_1. `estimate` = the card's weights + KV cache + "
        "compute buffer (docs/MODELS.md); `RSS added` = RSS after one 8-token answer minus RSS "
        "before loading, in a fresh process. The compute buffer is sized for a full micro-batch "
        "over the whole context, so a short prompt leaves part of it untouched. Goal: within 15% "
        "once the prompt fills the context.\n\n"
        + table(
            [
                "n_ctx",
                "n_batch",
                "prompt tokens",
                "estimate MiB",
                "RSS added MiB",
                "estimate vs RSS",
            ],
            rows,
        )
    )
    write_section("Model memory", "python -m bench.model_memory", body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
