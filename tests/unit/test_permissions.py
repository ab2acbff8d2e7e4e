"""Every route of the app, taken from its route table, called by every kind of key on every
collection: a key never sees or changes what is outside its scope (the answer is the one a
missing thing gets), its role bounds what it may do, and within its scope it is served.

A route added without a case below fails `test_every_route_has_a_permission_case`; one added
without a check fails the matrix, since an out-of-scope call then differs from a missing one.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.ingest.chunking import document_id
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel

COLLECTIONS = ("alpha", "beta")
GHOST = "ghost"  # a collection that does not exist: what out of scope must look like
FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
# Tested in tests/integration/test_mcp*.py: its tools call the routes below with the caller's key.
MOUNTS = {"/mcp"}
KEYS = {
    "reader-alpha": (Role.reader, ("alpha",)),
    "reader-beta": (Role.reader, ("beta",)),
    "reader-all": (Role.reader, None),
    "writer-alpha": (Role.writer, ("alpha",)),
    "writer-beta": (Role.writer, ("beta",)),
    "writer-all": (Role.writer, None),
    "admin": (Role.admin, None),
}


@dataclass
class World:
    """The app, its keys, and what exists in each collection (ids, marker strings)."""

    client: TestClient
    rag: RagApp
    docs: Path
    tokens: dict[str, str]
    doc_ids: dict[str, str] = field(default_factory=dict)
    jobs: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # collection → its folder source
    conversations: dict[tuple[str, str], str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)  # voter → the id of its rating
    # Strings only a reader of the collection may ever see.
    markers: dict[str, set[str]] = field(default_factory=dict)

    def can_read(self, key: str, collection: str) -> bool:
        scope = KEYS[key][1]
        return collection != GHOST and (scope is None or collection in scope)

    def populate(self, collection: str) -> None:
        """(Re)create the collection's document, job and conversations."""
        folder = self.docs / collection
        folder.mkdir(exist_ok=True)
        codeword = f"ZEBRA-{collection.upper()}-{len(collection) * 1111}"
        note = folder / f"{collection}-notes.md"
        note.write_text(
            f"# {collection} notes\n\nThe {collection} codeword is {codeword}.\n\n"
            "| item | amount |\n|---|---|\n| pens | 3 |\n"
        )
        self.rag.indexer.sync([scan_path(folder, 10**6)], collection)
        self.doc_ids[collection] = document_id(str(note.resolve()))
        self.jobs[collection] = self.rag.jobs.submit(collection, ["http://127.0.0.1:9/"]).id
        sources = self.client.app.state.sources
        self.sources[collection] = sources.add(str(folder), collection, "manual").id
        for key in [*KEYS, "someone-else"]:
            made = self.rag.conversations.create(collection, f"{key} chat", owner=key)
            self.conversations[key, collection] = made["id"]
        known = self.markers.setdefault(collection, set())
        known |= {codeword, note.name, self.doc_ids[collection], self.jobs[collection]}
        known.add(self.sources[collection])
        known.add(f"{collection}_notes")  # its table
        known |= {c for (_, name), c in self.conversations.items() if name == collection}

    def new_feedback(self) -> None:
        """A rating by each key (and someone else), its question naming its voter."""
        for voter in [*KEYS, "someone-else"]:
            if voter not in self.feedback:
                question = f"RATED-BY-{voter}"
                self.feedback[voter] = self.rag.feedback.record(1, question, "a", [], voter=voter)

    def ids(self, key: str, collection: str) -> dict[str, str]:
        """The ids a request by `key` about `collection` names: its own conversation where it
        has one, else someone else's; ids nothing has for the ghost collection."""
        if collection == GHOST:
            return {
                k: str(uuid.uuid5(uuid.NAMESPACE_URL, k))
                for k in ("doc", "job", "conversation", "source")
            }
        owner = key if self.can_read(key, collection) else "someone-else"
        return {
            "doc": self.doc_ids[collection],
            "job": self.jobs[collection],
            "conversation": self.conversations[owner, collection],
            "source": self.sources[collection],
        }

    def forbidden_strings(self, key: str) -> set[str]:
        hidden = {s for c in COLLECTIONS if not self.can_read(key, c) for s in self.markers[c]}
        if KEYS[key][0] is not Role.admin:
            hidden |= {cid for (owner, _), cid in self.conversations.items() if owner != key}
            others = [voter for voter in self.feedback if voter != key]
            hidden |= {self.feedback[v] for v in others} | {f"RATED-BY-{v}" for v in others}
        return hidden


@dataclass(frozen=True)
class Case:
    """How to call one route about a collection, and what it needs."""

    call: Callable[[World, str, str], tuple[str, str, dict]]  # (world, key, target) → request
    role: Role = Role.reader
    targeted: bool = True  # about one collection; else a list filtered by the key's scope
    destructive: bool = False  # a success is undone by repopulating the target


def _q(world: World, key: str, target: str) -> dict:
    return world.ids(key, target)


def _document(method: str, suffix: str = "", **case: object) -> Case:
    """A call about one document of the target collection."""
    return Case(
        lambda w, k, t: (
            method,
            f"/v1/documents/{_q(w, k, t)['doc']}{suffix}",
            {"params": {"collection": t}},
        ),
        **case,  # type: ignore[arg-type]
    )


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/v1/search"): Case(
        lambda w, k, t: ("POST", "/v1/search", {"json": {"query": "codeword", "collection": t}})
    ),
    ("POST", "/v1/query"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/query",
            {"json": {"question": "What is the codeword?", "collection": t}},
        )
    ),
    ("POST", "/v1/chat/completions"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/chat/completions",
            {"json": {"model": f"rag:{t}", "messages": [{"role": "user", "content": "codeword?"}]}},
        )
    ),
    ("GET", "/v1/models"): Case(lambda w, k, t: ("GET", "/v1/models", {}), targeted=False),
    ("GET", "/v1/collections"): Case(
        lambda w, k, t: ("GET", "/v1/collections", {}), targeted=False
    ),
    ("POST", "/v1/collections"): Case(
        lambda w, k, t: ("POST", "/v1/collections", {"json": {"name": t}}), role=Role.writer
    ),
    ("DELETE", "/v1/collections/{name}"): Case(
        lambda w, k, t: ("DELETE", f"/v1/collections/{t}", {}), role=Role.writer, destructive=True
    ),
    ("GET", "/v1/documents"): Case(
        lambda w, k, t: ("GET", "/v1/documents", {"params": {"collection": t}})
    ),
    ("POST", "/v1/documents"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/documents",
            {"data": {"collection": t}, "files": {"files": (f"up-{k}.md", b"# up\n\nuploaded")}},
        ),
        role=Role.writer,
    ),
    ("GET", "/v1/documents/{document_id}"): _document("GET"),
    ("GET", "/v1/documents/{document_id}/content"): _document("GET", "/content"),
    ("GET", "/v1/documents/{document_id}/text"): _document("GET", "/text"),
    ("GET", "/v1/documents/{document_id}/view"): _document("GET", "/view"),
    ("DELETE", "/v1/documents/{document_id}"): _document(
        "DELETE", role=Role.writer, destructive=True
    ),
    ("POST", "/v1/ingest"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/ingest",
            {"json": {"urls": ["http://127.0.0.1:9/"], "collection": t}},
        ),
        role=Role.writer,
    ),
    ("GET", "/v1/jobs/{job_id}"): Case(
        lambda w, k, t: ("GET", f"/v1/jobs/{_q(w, k, t)['job']}", {})
    ),
    ("POST", "/v1/conversations"): Case(
        lambda w, k, t: ("POST", "/v1/conversations", {"json": {"collection": t}})
    ),
    ("GET", "/v1/conversations"): Case(
        lambda w, k, t: ("GET", "/v1/conversations", {}), targeted=False
    ),
    ("GET", "/v1/conversations/{conversation_id}"): Case(
        lambda w, k, t: ("GET", f"/v1/conversations/{_q(w, k, t)['conversation']}", {})
    ),
    ("PATCH", "/v1/conversations/{conversation_id}"): Case(
        lambda w, k, t: (
            "PATCH",
            f"/v1/conversations/{_q(w, k, t)['conversation']}",
            {"json": {"title": "renamed"}},
        )
    ),
    ("DELETE", "/v1/conversations/{conversation_id}"): Case(
        lambda w, k, t: ("DELETE", f"/v1/conversations/{_q(w, k, t)['conversation']}", {}),
        destructive=True,
    ),
    ("POST", "/v1/feedback"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/feedback",
            {
                "json": {
                    "rating": 1,
                    "question": "q",
                    "answer": "a",
                    "conversation_id": _q(w, k, t)["conversation"],
                }
            },
        )
    ),
    ("GET", "/v1/feedback"): Case(lambda w, k, t: ("GET", "/v1/feedback", {}), targeted=False),
    ("DELETE", "/v1/feedback/{feedback_id}"): Case(
        lambda w, k, t: ("DELETE", f"/v1/feedback/{w.feedback.pop(k)}", {}),
        targeted=False,
        destructive=True,
    ),
    ("GET", "/v1/sources"): Case(
        lambda w, k, t: ("GET", "/v1/sources", {}), role=Role.writer, targeted=False
    ),
    ("POST", "/v1/sources"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/sources",
            {"json": {"uri": "http://127.0.0.1:9/page", "collection": t, "schedule": "manual"}},
        ),
        role=Role.writer,
    ),
    ("GET", "/v1/sources/{source_id}"): Case(
        lambda w, k, t: ("GET", f"/v1/sources/{_q(w, k, t)['source']}", {}), role=Role.writer
    ),
    ("POST", "/v1/sources/{source_id}/sync"): Case(
        lambda w, k, t: ("POST", f"/v1/sources/{_q(w, k, t)['source']}/sync", {}),
        role=Role.writer,
    ),
    ("DELETE", "/v1/sources/{source_id}"): Case(
        lambda w, k, t: ("DELETE", f"/v1/sources/{_q(w, k, t)['source']}", {}),
        role=Role.writer,
        destructive=True,
    ),
    ("GET", "/v1/tables"): Case(
        lambda w, k, t: ("GET", "/v1/tables", {"params": {"collection": t}})
    ),
    ("GET", "/v1/tables/{table}"): Case(
        lambda w, k, t: ("GET", f"/v1/tables/{t}_notes", {"params": {"collection": t}})
    ),
    ("POST", "/v1/tables/query"): Case(
        lambda w, k, t: (
            "POST",
            "/v1/tables/query",
            {"json": {"collection": t, "sql": f"SELECT * FROM {t}_notes"}},
        )
    ),
    ("GET", "/v1/examples"): Case(
        lambda w, k, t: ("GET", "/v1/examples", {"params": {"collection": t}})
    ),
    ("GET", "/metrics"): Case(
        lambda w, k, t: ("GET", "/metrics", {}), role=Role.admin, targeted=False
    ),
}
OPEN_ROUTES = {("GET", "/health")}


def _route_table(app) -> set[tuple[str, str]]:
    """Every method and path the app serves: its OpenAPI paths (every router's routes) and
    any route added outside a router; mounts must be known."""
    table = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path in MOUNTS, f"mount {route.path} has no permission test"
        elif isinstance(route, Route) and route.path in MOUNTS:
            assert route.methods is None  # the MCP endpoint: its tools call the routes here
        elif isinstance(route, Route) and route.path not in FRAMEWORK_ROUTES:
            table |= {(m, route.path) for m in route.methods or () if m != "HEAD"}
    return table


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("permissions")
    settings = Settings(
        data_dir=root / "data",
        chunk_size=64,
        chunk_overlap=8,
        web_allowed_hosts=["127.0.0.1:9"],  # a network source's address check lets it in
    )
    rag = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    store = KeyStore(rag.data_dir.root)
    tokens = {name: store.create(name, role, scope) for name, (role, scope) in KEYS.items()}
    with TestClient(create_app(settings, rag)) as client:
        built = World(client, rag, root / "docs", tokens)
        built.docs.mkdir()
        for collection in COLLECTIONS:
            built.populate(collection)
        built.new_feedback()
        yield built
        for collection in COLLECTIONS:  # no ingest job may touch the ledger once it is closed
            rag.jobs.cancel(collection)
    rag.close()


def test_every_route_has_a_permission_case(world: World) -> None:
    table = _route_table(world.client.app)
    missing = table - set(CASES) - OPEN_ROUTES
    assert not missing, f"routes without a permission case (add one to CASES): {sorted(missing)}"
    assert not set(CASES) - table, "cases for routes that no longer exist"


def _send(world: World, key: str, request: tuple[str, str, dict]):
    method, url, options = request
    headers = {"Authorization": f"Bearer {world.tokens[key]}"}
    return world.client.request(method, url, headers=headers, **options)


def _shape(response, names: dict[str, str]) -> tuple[int, str | None, str | None]:
    """Status, error type and message with the request's own names put back as placeholders."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    message = error.get("message")
    for value, placeholder in names.items():
        message = message.replace(value, placeholder) if message else message
    return response.status_code, error.get("type"), message


def _placeholders(world: World, key: str, target: str) -> dict[str, str]:
    ids = world.ids(key, target)
    return {
        ids["doc"]: "<doc>",
        ids["job"]: "<job>",
        ids["conversation"]: "<conv>",
        ids["source"]: "<source>",
        target: "<c>",
    }


@pytest.mark.parametrize(("method", "path"), sorted(CASES))
def test_no_key_sees_or_changes_what_is_outside_its_scope(
    world: World, method: str, path: str
) -> None:
    case = CASES[method, path]
    leaks, wrong = [], []
    for key in KEYS:
        role = KEYS[key][0]
        hidden = world.forbidden_strings(key)
        targets = COLLECTIONS if case.targeted else COLLECTIONS[:1]
        for target in targets:
            request = case.call(world, key, target)
            response = _send(world, key, request)
            # What the request itself named (an id, a collection) is only echoed back.
            seen = [s for s in hidden if s in response.text and s not in str(request)]
            if seen:
                leaks.append(f"{key} → {target}: {response.status_code} shows {seen}")
            readable = world.can_read(key, target) or not case.targeted
            if not readable:
                ghost = _send(world, key, case.call(world, key, GHOST))
                got = _shape(response, _placeholders(world, key, target))
                expected = _shape(ghost, _placeholders(world, key, GHOST))
                if got != expected or got[0] != 404:
                    wrong.append(f"{key} → {target}: {got}, a missing one: {expected}")
            elif role < case.role:
                if response.status_code != 403:
                    wrong.append(f"{key} → {target}: {response.status_code}, expected 403")
            elif not response.is_success:
                wrong.append(f"{key} → {target}: {response.status_code} {response.text[:200]}")
            if case.destructive and response.is_success:
                world.populate(target)
                world.new_feedback()
        for collection in COLLECTIONS:  # nothing out of scope was changed
            if not world.can_read(key, collection):
                assert world.doc_ids[collection] in {
                    r.document_id for r in world.rag.catalog.documents(collection)
                }, f"{key} changed {collection}"
    assert not leaks, "\n".join(leaks)
    assert not wrong, "\n".join(wrong)


def test_health_needs_no_key_and_lists_only_the_senders_collections(world: World) -> None:
    assert world.client.get("/health").json()["collections"] == []
    for key in KEYS:
        listed = world.client.get(
            "/health", headers={"Authorization": f"Bearer {world.tokens[key]}"}
        ).json()["collections"]
        assert set(listed) <= {c for c in COLLECTIONS if world.can_read(key, c)} | {"default"}
        assert all(world.can_read(key, c) for c in listed if c in COLLECTIONS)


def test_without_a_key_every_route_but_health_is_401(world: World) -> None:
    for method, path in sorted(_route_table(world.client.app) | {("GET", "/openapi.json")}):
        url = path.replace("{", "").replace("}", "")
        response = world.client.request(method, url)
        if (method, path) in OPEN_ROUTES:
            assert response.status_code == 200
        else:
            assert response.status_code == 401, (method, path)
            assert response.json()["error"]["type"] == "Unauthorized"


def test_a_revoked_key_is_refused_at_its_next_request(world: World) -> None:
    store = KeyStore(world.rag.data_dir.root)
    token = store.create("short-lived", Role.reader, None)
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/v1/collections", headers=headers).status_code == 200
    store.revoke("short-lived")
    refused = world.client.get("/v1/collections", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "the API key 'short-lived' was revoked"


def test_a_key_scoped_to_a_deleted_collection_finds_nothing_and_no_error(world: World) -> None:
    store = KeyStore(world.rag.data_dir.root)
    token = store.create("gone-reader", Role.reader, ("gone",))
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/v1/collections", headers=headers).json() == {"collections": []}
    searched = world.client.post(
        "/v1/search", json={"query": "codeword", "collection": "gone"}, headers=headers
    )
    assert searched.status_code == 404
    assert searched.json()["error"]["message"] == "collection 'gone' does not exist"


def test_server_side_paths_are_for_admin_keys_only(world: World) -> None:
    """The ingest roots may hold any collection's files: a writer could copy them into its
    own collection and read them there."""
    for key, status in (("writer-alpha", 403), ("writer-all", 403), ("admin", 400)):
        response = _send(
            world,
            key,
            ("POST", "/v1/ingest", {"json": {"paths": ["/srv/x.md"], "collection": "alpha"}}),
        )
        assert response.status_code == status, (key, response.text)


def test_a_key_sees_and_deletes_only_its_own_ratings(world: World) -> None:
    mine = _send(world, "reader-alpha", ("GET", "/v1/feedback", {})).json()
    questions = {e["question"] for e in mine["feedback"]}
    assert {q for q in questions if q.startswith("RATED-BY-")} == {"RATED-BY-reader-alpha"}
    everyone = _send(world, "admin", ("GET", "/v1/feedback", {})).json()
    assert everyone["total"] > mine["total"] == len(mine["feedback"])
    other = world.feedback["someone-else"]
    refused = _send(world, "writer-all", ("DELETE", f"/v1/feedback/{other}", {}))
    missing = _send(world, "writer-all", ("DELETE", f"/v1/feedback/{uuid.uuid4()}", {}))
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["error"]["message"] == f"no feedback {other!r}"


@pytest.mark.parametrize("spelled", ["BETA", "Beta"])
def test_an_out_of_scope_collection_in_other_case_reads_like_an_unknown_one(
    world: World, spelled: str
) -> None:
    # Issue 39: ?collection=BETA answered "'beta' does not exist", an unknown GAMMA "'GAMMA'".
    def shape(collection: str) -> tuple[int, str]:
        body = {"query": "codeword", "collection": collection}
        response = _send(world, "reader-alpha", ("post", "/v1/search", {"json": body}))
        message = response.json()["error"]["message"]
        return response.status_code, message.replace(collection.lower(), "NAME")

    unknown = spelled.replace("eta", "amma").replace("ETA", "AMMA")
    assert shape(spelled) == shape(unknown) == (404, "collection 'NAME' does not exist")
