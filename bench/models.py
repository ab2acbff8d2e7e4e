"""Models: the card's memory estimate against real RSS; pull throughput; quantize time.

1. Memory. Each case runs in a fresh child process: import llama-cpp-python, read RSS, load the
GGUF with our `LlamaCppChatModel` at the case's n_ctx and n_batch, answer one prompt of the
case's length (8 tokens), read RSS again. The estimate (rag/models/memory.py) is what llama.cpp
allocates; pages are resident once used, so a prompt that fills the context is the case it is
checked on.
2. Pull: `pull()` of a 200 MiB GGUF from tests/fake_hub.py on loopback, in a child process
   without HF_HUB_OFFLINE; download, sha256 and the card's read, whole and after a kill at
   about half.
3. Quantize: the tiny random llama of tests/tiny_gguf.py (F16, 1.4M parameters) to each type.

Run: .venv/bin/python -m bench.models   (writes "Model memory" and "Model pull and quantize")
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
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

    command = [sys.executable, "-m", "bench.models", "--child", str(path)]
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


def memory_section() -> None:
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
        "over the whole context, so a short prompt leaves part of it untouched; the formula "
        "leaves out llama.cpp's own tables (tokenizer, about 20 MiB here), which is why a "
        "filling prompt measures above it. Goal: within 15%.\n\n"
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
    write_section("Model memory", "python -m bench.models", body)


PULL_BYTES = 200 * MIB
QUANT_RUNS = 3


def _pull_child(data_dir: str, url: str) -> None:
    from rag.models.hub import pull
    from rag.settings import Settings
    from tests.fake_hub import REPO

    settings = Settings(data_dir=Path(data_dir), hub_endpoint=url, hub_offline=False)
    started = time.perf_counter()
    pulled = pull(settings, REPO, "big.gguf")
    print(json.dumps({"seconds": time.perf_counter() - started, "resumed": pulled.resumed_from}))


def _timed_pull(data_dir: Path, url: str, kill_at_bytes: int | None = None) -> dict:
    """The child's timing of `pull()`; with `kill_at_bytes`, the child is killed once its
    partial file holds that much, and nothing is returned."""
    env = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    env["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    command = [sys.executable, "-m", "bench.models", "--pull-child", str(data_dir), url]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
    if kill_at_bytes is not None:
        partial = data_dir / "models" / ".partial"
        while child.poll() is None:
            if sum(p.stat().st_size for p in partial.glob("*.part")) >= kill_at_bytes:
                break
            time.sleep(0.01)
        child.kill()
        child.wait()
        return {}
    out, _ = child.communicate(timeout=600)
    return json.loads(out.strip().splitlines()[-1])


def pull_and_quantize_section() -> None:
    from bench.harness import table, write_section
    from rag.models.quantize import QUANT_TYPES, quantize
    from tests.fake_hub import FakeHub
    from tests.tiny_gguf import write_tiny_llama

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        big = write_tiny_llama(root / "big.gguf", extra={"general.description": "x" * PULL_BYTES})
        size = big.stat().st_size
        hub = FakeHub({"big.gguf": big.read_bytes()})
        try:
            whole = _timed_pull(root / "a", hub.url)
            rows.append(["whole file", f"{size / MIB:.0f}", f"{whole['seconds']:.2f}",
                         f"{size / MIB / whole['seconds']:.0f}"])  # fmt: skip
            _timed_pull(root / "b", hub.url, kill_at_bytes=size // 2)
            resumed = _timed_pull(root / "b", hub.url)
            rest = size - resumed["resumed"]
            rows.append([f"after a kill ({resumed['resumed'] / MIB:.0f} MiB kept)",
                         f"{rest / MIB:.0f}", f"{resumed['seconds']:.2f}",
                         f"{rest / MIB / resumed['seconds']:.0f}"])  # fmt: skip
        finally:
            hub.close()
        tiny = write_tiny_llama(root / "tiny.gguf")
        tiny_mib = tiny.stat().st_size / MIB
        quant_rows = []
        for quant in QUANT_TYPES:
            seconds = []
            for run in range(QUANT_RUNS):
                started = time.perf_counter()
                card = quantize(tiny, root / f"{quant}-{run}.gguf", quant, n_ctx=4096,
                                n_batch=256, threads=None)  # fmt: skip
                seconds.append(time.perf_counter() - started)
            quant_rows.append([quant, f"{statistics.median(seconds) * 1000:.0f}",
                               f"{card.file_bytes / MIB:.2f}", card.bits_per_weight])  # fmt: skip
    body = (
        "Pull: a GGUF padded to 200 MiB (a long description) served by tests/fake_hub.py on "
        "loopback; the time covers the metadata request, the download through huggingface_hub's "
        "`http_get`, the sha256 and the card's read. Quantize: tests/tiny_gguf.py's random "
        f"llama (F16, {tiny_mib:.1f} MiB, 1.4M parameters), median of "
        f"{QUANT_RUNS}, including the card of the result.\n\n"
        + table(["pull", "MiB fetched", "seconds", "MiB/s"], rows)
        + "\n\n"
        + table(["quantize to", "ms", "result MiB", "bits per weight"], quant_rows)
    )
    write_section("Model pull and quantize", "python -m bench.models", body)


def main() -> None:
    memory_section()
    pull_and_quantize_section()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif sys.argv[1:2] == ["--pull-child"]:
        _pull_child(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--pull-only"]:
        pull_and_quantize_section()
    else:
        main()
