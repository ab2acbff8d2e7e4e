"""Chunk and document ids: uuid5 of the source id (and, for a chunk, its content hash and
index), so re-ingesting the same content gives the same ids, and the chunk after a chunk is
found by its id. Apart from the chunker, so reading ids loads no parser."""

import uuid

_CHUNK_NAMESPACE = uuid.UUID("6f1c2a4e-8b7d-4a53-9e0f-3c2d1b0a9e87")


def chunk_id(source_id: str, content_hash: str, index: int) -> str:
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{source_id}\x00{content_hash}\x00{index}"))


def document_id(source_id: str) -> str:
    return str(uuid.uuid5(_CHUNK_NAMESPACE, source_id))
