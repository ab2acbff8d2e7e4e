import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rag.errors import ModelError
from rag.llm.remote import RemoteChatModel
from rag.llm.template import ChatTemplate
from rag.llm.worker import ModelWorker

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]


def test_the_chat_template_renders_roles_and_the_generation_prompt() -> None:
    prompt, has_bos = ChatTemplate(None, bos_token="<s>", eos_token="</s>").render(MESSAGES)
    assert prompt.endswith("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    assert has_bos  # a Jinja template writes its own special tokens


@pytest.mark.parametrize(
    "payload",
    [
        "{{ lipsum.__globals__['os'].system('touch {marker}') }}",
        "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ joiner.__init__.__globals__ }}",
    ],
)
def test_a_hostile_chat_template_cannot_run_anything(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    template = ChatTemplate(payload.replace("{marker}", str(marker)), "<s>", "</s>")
    with pytest.raises(ModelError, match="unsafe"):
        template.render(MESSAGES)
    assert not marker.exists()


class _OpenAIStub(BaseHTTPRequestHandler):
    """Speaks just enough of /v1/chat/completions with stream=true."""

    requests: list[dict] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"auth": self.headers.get("Authorization"), **body})
        if body["model"] == "missing":
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error": "no such model"}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece, finish in [("The ", None), ("answer ", None), ("is 42.", "stop")]:
            event = {
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": finish}]
            }
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def openai_stub() -> Iterator[str]:
    _OpenAIStub.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OpenAIStub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _remote(url: str, model: str = "served-model") -> RemoteChatModel:
    return RemoteChatModel(
        url, model, api_key="k", n_ctx=2048, parallel=2, timeout_s=5, temperature=0
    )


def test_the_remote_backend_streams_through_the_same_worker(openai_stub: str) -> None:
    worker = ModelWorker(_remote(openai_stub), queue_size=2, timeout_s=5)

    generation = worker.submit(MESSAGES, max_tokens=20, stop=["\n\n"])

    assert list(generation) == ["The ", "answer ", "is 42."]
    assert generation.completion.text == "The answer is 42."
    sent = _OpenAIStub.requests[0]
    assert sent["auth"] == "Bearer k" and sent["stream"] is True
    assert sent["messages"] == MESSAGES and sent["stop"] == ["\n\n"]


def test_a_remote_error_status_is_a_model_error_naming_the_server(openai_stub: str) -> None:
    worker = ModelWorker(_remote(openai_stub, "missing"), queue_size=1, timeout_s=5)
    with pytest.raises(ModelError, match="answered 404"):
        worker.complete(MESSAGES, max_tokens=20)


def test_an_unreachable_remote_server_is_a_model_error() -> None:
    worker = ModelWorker(_remote("http://127.0.0.1:9/v1"), queue_size=1, timeout_s=5)
    with pytest.raises(ModelError, match="failed"):
        worker.complete(MESSAGES, max_tokens=20)


def test_a_remote_adapter_is_requested_as_its_served_model_name(openai_stub: str) -> None:
    model = RemoteChatModel(
        openai_stub, "base", api_key=None, n_ctx=2048, parallel=1, timeout_s=5,
        temperature=0, adapters=["legal"],
    )  # fmt: skip
    worker = ModelWorker(model, queue_size=1, timeout_s=5)
    worker.complete(MESSAGES, max_tokens=5, adapter="legal")
    worker.complete(MESSAGES, max_tokens=5)
    assert [r["model"] for r in _OpenAIStub.requests] == ["legal", "base"]


def test_a_json_schema_becomes_the_servers_structured_output(openai_stub: str) -> None:
    worker = ModelWorker(_remote(openai_stub), queue_size=1, timeout_s=5)
    schema = {"type": "object", "properties": {"tool": {"const": "none"}}}
    worker.complete(MESSAGES, max_tokens=5, json_schema=schema)
    sent = _OpenAIStub.requests[0]["response_format"]
    assert sent == {
        "type": "json_schema",
        "json_schema": {"name": "reply", "schema": schema, "strict": True},
    }


def test_the_judge_can_be_a_remote_server(openai_stub: str, tmp_path: Path) -> None:
    from rag.app import RagApp
    from rag.settings import Settings
    from tests.fakes import HashEmbedder, ScriptedModel

    settings = Settings(data_dir=tmp_path / "data", judge_url=openai_stub, judge_model="judge-7b")
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        assert app.judge("An answer.", ["A passage."]) is None  # "The answer is 42." is no verdict
    sent = _OpenAIStub.requests[0]
    assert sent["model"] == "judge-7b" and sent["temperature"] == 0
