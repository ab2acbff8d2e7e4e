"""POST /v1/documents and the documents' original content: hostile names change nothing."""

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.access.audit import AUDIT_FILE
from rag.api import create_app
from rag.app import RagApp
from rag.errors import InvalidInputError
from rag.ingest.uploads import safe_filename

NOTE = b"# Parking\n\nVisitors park in bay C, next to the loading dock.\n"


@pytest.fixture
def client(rag_app: RagApp):
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        yield client


def _tree(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def test_an_upload_is_indexed_served_back_and_deleted_with_its_file(
    client: TestClient, rag_app: RagApp
) -> None:
    response = client.post("/v1/documents", files={"files": ("parking.md", NOTE, "text/markdown")})
    assert response.status_code == 201, response.text
    assert len(response.json()["added"]) == 1 and response.json()["chunks_written"] >= 1

    again = client.post("/v1/documents", files={"files": ("parking.md", NOTE, "text/markdown")})
    assert again.json()["unchanged"] == 1 and again.json()["chunks_written"] == 0

    [document] = client.get("/v1/documents").json()["documents"]
    assert response.json()["document_ids"] == {document["source"]: document["id"]}
    assert again.json()["document_ids"] == response.json()["document_ids"]
    content = client.get(f"/v1/documents/{document['id']}/content")
    assert content.content == NOTE
    assert "sandbox" in content.headers["content-security-policy"]
    assert content.headers["x-content-type-options"] == "nosniff"

    stored = Path(document["source"])
    assert stored.is_relative_to(rag_app.data_dir.root / "uploads")
    assert client.delete(f"/v1/documents/{document['id']}").status_code == 200
    assert not stored.exists()


def test_several_files_in_one_upload_and_a_bad_one_is_reported_not_kept(
    client: TestClient, rag_app: RagApp
) -> None:
    files = [
        ("files", ("parking.md", NOTE, "text/markdown")),
        ("files", ("broken.pdf", b"%PDF-1.7 this is not a pdf", "application/pdf")),
    ]
    response = client.post("/v1/documents", files=files, data={"collection": "facilities"})
    assert response.status_code == 201
    body = response.json()
    assert body["collection"] == "facilities" and len(body["added"]) == 1
    assert [Path(f["source"]).name for f in body["failed"]] == ["broken.pdf"]
    assert [Path(source).name for source in body["document_ids"]] == ["parking.md"]
    assert not (rag_app.data_dir.root / "uploads" / "facilities" / "broken.pdf").exists()


@pytest.mark.parametrize(
    ("filename", "data", "content_type", "status"),
    [
        ("../../etc/passwd", NOTE, "text/plain", 400),
        ("../../outside.md", NOTE, "text/markdown", 400),
        ("..\\..\\outside.md", NOTE, "text/markdown", 400),
        ("/etc/cron.d/evil.md", NOTE, "text/markdown", 400),
        (".hidden.md", NOTE, "text/markdown", 400),
        ("empty.md", b"", "text/markdown", 400),
        ("tool.exe", b"MZ\x90\x00", "application/octet-stream", 415),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic", "image/heic", 415),
        ("broken.png", b"\x89PNG\r\n\x1a\n", "image/png", 422),
        ("fake.pdf", b"not a pdf at all", "application/pdf", 422),
        ("big.md", b"x" * 2048, "text/markdown", 413),
    ],
)
def test_hostile_or_bad_uploads_are_4xx_and_write_nothing_outside_the_data_dir(
    client: TestClient,
    rag_app: RagApp,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    filename: str,
    data: bytes,
    content_type: str,
    status: int,
) -> None:
    monkeypatch.setattr(rag_app.uploads, "_max_bytes", 1024)
    uploads = rag_app.data_dir.root / "uploads"
    _ = rag_app.catalog  # opens the index's stores (the table engine's file among them)
    before = _tree(tmp_path)

    response = client.post("/v1/documents", files={"files": (filename, data, content_type)})

    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]
    written = [Path(p) for p in _tree(tmp_path) - before]
    # The request is audited and an empty upload folder may be made; nothing else is written,
    # in the data directory or outside it.
    assert [p for p in written if p.is_file()] == [rag_app.data_dir.root / AUDIT_FILE]
    assert all(p.is_dir() and p.is_relative_to(uploads) for p in written if not p.is_file())
    assert client.get("/v1/documents").json()["total"] == 0


@pytest.mark.parametrize(
    "name",
    ["a\x00b.md", "a/b.md", "a\\b.md", "..", ".", "", "\n.md", " .hidden2.txt", "\u00a0.x.md"],
)
def test_names_that_are_not_plain_file_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInputError):
        safe_filename(name)


def test_odd_but_harmless_names_are_kept_readable() -> None:
    assert safe_filename("Résumé (final) v2.pdf") == "Résumé _final_ v2.pdf"
    assert len(safe_filename("x" * 500 + ".md")) == 200 and safe_filename(
        "x" * 500 + ".md"
    ).endswith(".md")
    assert os.sep not in safe_filename("report:2026.md")


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(rag_app: RagApp) -> None:
    settings = rag_app.settings.model_copy(update={"api_max_request_bytes": 4096})
    with TestClient(create_app(settings, rag_app)) as client:
        response = client.post("/v1/documents", files={"files": ("big.md", b"x" * 10_000)})
    assert response.status_code == 413
    assert "RAG_API_MAX_REQUEST_BYTES" in response.json()["error"]["message"]
    assert not (rag_app.data_dir.root / "uploads").exists()
