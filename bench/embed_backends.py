"""Embedder backends on 2 cores: is any faster than sentence-transformers on torch?

The same chunk texts our pipeline embeds (the first 100 PhantomWiki articles) go through:
- torch: `SentenceTransformerEmbedder.embed_documents`, the production path;
- ONNX Runtime fp32: the same BERT exported with `torch.onnx.export`, mean pooling, normalised;
- ONNX Runtime int8: that export with dynamic int8 weight quantization.
Each is timed twice after a warm-up, best run kept, on length-sorted batches of 32. Agreement is
the cosine between each backend's vector and torch's for the same text (1.0 = identical).
Needs the `bench` extra (onnx, onnxruntime).

Run: .venv/bin/python -m bench.embed_backends   (writes the "Embedder backends" section)
"""

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.harness import table, write_section
from bench.ingest import ROOT, _embedded_texts, _ours
from rag.embed import SentenceTransformerEmbedder, bundled_embedder_path

ARTICLES = 100
BATCH = 32
THREADS = 2


def _onnx_files(model_path: Path, folder: Path) -> tuple[Path, Path]:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    bert = SentenceTransformer(str(model_path), device="cpu")[0].auto_model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    fp32, int8 = folder / "minilm.onnx", folder / "minilm-int8.onnx"
    sample = torch.ones((1, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(
        LastHiddenState(),
        (sample, sample, torch.zeros_like(sample)),
        str(fp32),
        input_names=names,
        output_names=["last_hidden_state"],
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def _onnx_embedder(model_file: Path, model_path: Path) -> Callable[[list[str]], np.ndarray]:
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = THREADS, 1
    session = onnxruntime.InferenceSession(str(model_file), options)
    tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    tokenizer.enable_padding()

    def embed(texts: list[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            encoded = tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            inputs = {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids}
            hidden = session.run(None, inputs)[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            vectors[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return vectors

    return embed


def _best_seconds(embed: Callable[[list[str]], object], texts: list[str]) -> float:
    embed(texts[:BATCH])
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        embed(texts)
        runs.append(time.perf_counter() - started)
    return min(runs)


def main() -> None:
    import torch

    torch.set_num_threads(THREADS)
    model_path = bundled_embedder_path()
    work = Path(tempfile.mkdtemp(prefix="bench-embed-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for article in sorted((ROOT.parent / "shared/eval/phantomwiki/corpus").iterdir())[:ARTICLES]:
        shutil.copy(article, corpus)
    _, _, app, data_dir = _ours(corpus)
    texts = _embedded_texts(app, "bench")
    app.close()
    shutil.rmtree(data_dir)
    tokens = sum(min(len(app.embedder.tokenize(t)) + 2, 256) for t in texts)

    torch_embedder = SentenceTransformerEmbedder(model_path, BATCH)
    fp32, int8 = _onnx_files(model_path, work)
    backends = {
        "torch (production)": lambda ts: np.array(torch_embedder.embed_documents(ts)),
        "ONNX Runtime fp32": _onnx_embedder(fp32, model_path),
        "ONNX Runtime int8 (dynamic)": _onnx_embedder(int8, model_path),
    }
    reference = backends["torch (production)"](texts)
    rows, base = [], None
    for name, embed in backends.items():
        seconds = _best_seconds(embed, texts)
        base = base or seconds
        agreement = (embed(texts) * reference).sum(axis=1)
        rows.append([
            name, f"{tokens / seconds:.0f}", f"{base / seconds:.2f}",
            f"{agreement.mean():.4f}", f"{agreement.min():.4f}",
        ])  # fmt: skip
        print(rows[-1])
    shutil.rmtree(work)
    body = table(
        ["backend", "tokens/s", "speed vs torch", "cosine to torch (mean)", "(min)"], rows
    ) + (
        f"\n\n{len(texts)} chunks ({tokens} MiniLM tokens) of the first {ARTICLES} PhantomWiki"
        f" articles, as the pipeline embeds them; batches of {BATCH}, {THREADS} threads, best of"
        " 2 runs. The goal of 4,500 tokens/s needs a backend about twice as fast as torch here."
    )
    write_section("Embedder backends", "python -m bench.embed_backends", body)


if __name__ == "__main__":
    main()
