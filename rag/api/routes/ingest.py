from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, model_validator

from rag.access.keys import Role
from rag.api.deps import Caller, Rag
from rag.jobs import check_ingest_paths

router = APIRouter(prefix="/v1", tags=["ingest"])


_Path = Annotated[str, Field(max_length=4096)]
_Url = Annotated[str, Field(max_length=2048)]


class IngestBody(BaseModel):
    paths: list[_Path] = Field(default_factory=list, max_length=100)
    urls: list[_Url] = Field(default_factory=list, max_length=100)
    collection: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _one_kind(self) -> "IngestBody":
        if not self.paths and not self.urls:
            raise ValueError("give `paths` (under RAG_API_INGEST_ROOTS) or `urls`")
        if any("://" not in url for url in self.urls):
            raise ValueError("every entry of `urls` must be an http(s) URL")
        return self


@router.post("/ingest", status_code=status.HTTP_202_ACCEPTED)
def start_ingest(body: IngestBody, rag: Rag, caller: Caller) -> dict[str, object]:
    """Start an ingest job; poll `GET /v1/jobs/{id}` for progress and the report. URLs follow
    the web connector's rules (public addresses only, robots.txt, size and page limits)."""
    collection = caller.allow(rag.collection(body.collection), Role.writer)
    if body.paths:  # the roots may hold any team's files: not for a key scoped to some
        caller.require(Role.admin)
    paths = check_ingest_paths(body.paths, rag.settings.api_ingest_roots) if body.paths else []
    job = rag.jobs.submit(collection, [*paths, *body.urls])
    return job.to_json()


@router.get("/jobs/{job_id}")
def get_job(job_id: str, rag: Rag, caller: Caller) -> dict[str, object]:
    job = rag.jobs.get(job_id)
    caller.allow_found(job.collection, f"no job {job_id!r}")
    return job.to_json()
