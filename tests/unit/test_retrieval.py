import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import InvalidInputError
from rag.eval.retrieval import retrieval_metrics
from rag.retrieve import fuse_scores
from rag.store import StoredHit


def _hit(hit_id: str, score: float) -> StoredHit:
    return StoredHit(hit_id, score, {}, None)


def test_fusion_keeps_a_strong_lexical_hit_above_a_flat_dense_list() -> None:
    dense = [_hit("a", 0.52), _hit("b", 0.51), _hit("gold", 0.50)]
    lexical = [_hit("gold", 14.0), _hit("a", 3.0), _hit("c", 2.0)]

    ranked = [hit.id for hit, _ in fuse_scores(dense, lexical, dense_weight=0.3)]

    assert ranked[0] == "gold"


def test_fusion_with_full_dense_weight_is_the_dense_order() -> None:
    dense = [_hit("a", 0.9), _hit("b", 0.5)]
    lexical = [_hit("b", 10.0)]
    assert [h.id for h, _ in fuse_scores(dense, lexical, dense_weight=1.0)] == ["a", "b"]


def test_fusion_of_empty_lexical_list_keeps_dense_hits() -> None:
    fused = fuse_scores([_hit("a", 0.4)], [], dense_weight=0.3)
    assert [(h.id, round(s, 2)) for h, s in fused] == [("a", 0.3)]


def test_metrics_by_hand() -> None:
    metrics = retrieval_metrics(
        [
            (["x", "gold"], ("gold",)),  # rank 2
            (["g1", "y", "g2"], ("g1", "g2")),  # both found, ranks 1 and 3
            (["z"], ("missing",)),
        ]
    )
    assert metrics["n"] == 3
    assert metrics["hit@1"] == round(1 / 3, 4)
    assert metrics["hit@5"] == round(2 / 3, 4)
    assert metrics["recall@5"] == round(2 / 3, 4)
    assert metrics["mrr"] == round((0.5 + 1.0) / 3, 4)


def test_metrics_need_labelled_questions() -> None:
    with pytest.raises(InvalidInputError):
        retrieval_metrics([])


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25", "rrf"])
def test_every_mode_honours_filters(rag_app: RagApp, docs: Path, mode: str) -> None:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    price_list = str(docs / "price-list.md")

    hits = rag_app.retriever.search("warranty", "default", 5, mode, {"source": price_list})

    assert hits and {h.source for h in hits} == {price_list}


def test_eval_command_reports_the_contract_metrics(
    cli_on_fakes: Path, tmp_path: Path, docs: Path
) -> None:
    dataset = tmp_path / "qa.jsonl"
    rows = [
        {"question": "What does error E04 mean?", "gold_sources": ["aurora-k2-manual.md"]},
        {"question": "Who is the CFO?", "gold_sources": [], "answerable": False},
    ]
    dataset.write_text("\n".join(json.dumps(r) for r in rows))

    result = CliRunner().invoke(
        cli.cli, ["eval", str(dataset), "--corpus", str(docs), "--retrieval-only", "--json"]
    )

    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert metrics["n"] == 1
    assert {"hit@1", "hit@5", "recall@5", "mrr", "ndcg@10"} <= set(metrics)
    assert metrics["hit@5"] == 1.0


def test_mmr_prefers_a_different_chunk_over_a_near_duplicate() -> None:
    from rag.retrieve import mmr

    top = StoredHit("top", 0.9, {}, [1.0, 0.0])
    duplicate = StoredHit("dup", 0.89, {}, [1.0, 0.0])
    different = StoredHit("other", 0.8, {}, [0.0, 1.0])
    scored = [(top, 0.9), (duplicate, 0.89), (different, 0.8)]

    assert [h.id for h, _ in mmr(scored, lambda_=0.5, k=2)] == ["top", "other"]
    assert [h.id for h, _ in mmr(scored, lambda_=1.0, k=2)] == ["top", "dup"]


class _ReverseReranker:
    """Scores texts by their reverse position, so the reranked order is visibly different."""

    def scores(self, query: str, texts) -> list[float]:
        return [float(i) for i in range(len(texts))]


def test_reranker_reorders_candidates(rag_app: RagApp, docs: Path) -> None:
    from rag.retrieve import Retriever

    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    plain = rag_app.retriever.search("warranty", "default", 20, "bm25")
    reranked = Retriever(
        rag_app.store,
        rag_app.embedder,
        rag_app.sparse,
        50,
        0.3,
        reranker=_ReverseReranker(),
        rerank_candidates=len(plain),
    ).search("warranty", "default", 3, "bm25")

    assert [c.id for c in reranked] == [c.id for c in reversed(plain)][:3]


def test_missing_reranker_folder_is_a_clear_error(tmp_path: Path) -> None:
    from rag.errors import ModelNotFoundError
    from rag.rerank import CrossEncoderReranker

    with pytest.raises(ModelNotFoundError, match="RAG_RERANK_MODEL"):
        CrossEncoderReranker(tmp_path / "nope")


def test_tags_and_date_and_page_ranges_filter_every_backend_path(
    cli_on_fakes: Path, docs: Path
) -> None:
    runner = CliRunner()
    for name, tag in [
        ("price-list.md", "team=sales"),
        ("support-faq.txt", "team=care"),
        ("warranty-claims.pdf", "team=care"),
    ]:
        ingested = runner.invoke(cli.cli, ["ingest", str(docs / name), "--tag", tag])
        assert ingested.exit_code == 0, ingested.output
    price_list, faq = {("price-list.md", None)}, {("support-faq.txt", None)}
    pages = {("warranty-claims.pdf", page) for page in (1, 2, 3)}

    def found(mode: str, *conditions: str) -> set[tuple[str, int | None]]:
        args = ["search", "price support warranty claim", "--json", "-k", "20", "--mode", mode]
        for condition in conditions:
            args += ["--filter", condition]
        result = runner.invoke(cli.cli, args)
        assert result.exit_code == 0, result.output
        return {(Path(r["source"]).name, r["page"]) for r in json.loads(result.output)["results"]}

    for mode in ["hybrid", "dense", "bm25", "rrf"]:
        assert found(mode) == price_list | faq | pages, mode
        assert found(mode, "tags.team=sales") == price_list, mode
        assert found(mode, "tags.team=care") == faq | pages, mode
        assert found(mode, "modified>=2000-01-01T00:00:00Z") == price_list | faq | pages, mode
        assert found(mode, "modified<=2000-01-01T00:00:00Z") == set(), mode
        assert found(mode, "file_type=md") == price_list, mode
        assert found(mode, "page>=2") == pages - {("warranty-claims.pdf", 1)}, mode
        assert found(mode, "page<=1") == {("warranty-claims.pdf", 1)}, mode


def test_bad_range_is_an_input_error() -> None:
    from rag.store import filter_conditions

    with pytest.raises(InvalidInputError, match="range"):
        filter_conditions({"page": {"from": 1}})
    with pytest.raises(InvalidInputError, match="numbers or dates"):
        filter_conditions({"page": {"gte": 1, "lte": "x"}})


def test_changing_tags_rewrites_the_chunks(rag_app: RagApp, docs: Path) -> None:
    scan = [scan_path(docs / "price-list.md", 10**6)]
    rag_app.indexer.sync(scan, "default", {"team": "a"})
    report = rag_app.indexer.sync(scan, "default", {"team": "b"})
    assert report.updated == [str(docs / "price-list.md")]
    assert rag_app.store.count("default", {"tags.team": "b"}) == rag_app.store.count("default")


@pytest.mark.parametrize("key", ["", "ó\U000fb125ý", "a b", "tags..team", "page[0]", "$.x", "1abc"])
def test_a_filter_key_that_is_not_a_field_name_is_an_input_error(
    rag_app: RagApp, docs: Path, key: str
) -> None:
    rag_app.indexer.sync([scan_path(docs / "price-list.md", 10**6)], "default")
    with pytest.raises(InvalidInputError, match="filter key"):
        rag_app.retriever.search("price", "default", 4, "hybrid", {key: ["x"]})


def test_a_corpus_reached_through_a_symlink_is_ranked_by_its_file_names(
    rag_app: RagApp, docs: Path, tmp_path: Path
) -> None:
    from rag.eval.retrieval import ranked_documents

    linked = tmp_path / "linked-docs"
    linked.symlink_to(docs)
    rag_app.indexer.sync([scan_path(linked, 10**6)], "default")
    ranked = ranked_documents(rag_app.retriever, "battery price", "default", "hybrid", linked)
    assert ranked and all("/" not in name for name in ranked)
