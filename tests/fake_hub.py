"""A local HTTP server that answers on a Hugging Face hub's URLs, for `rag models pull` tests
and bench/models.py: `HEAD|GET /{repo}/resolve/{rev}/{file}` with the hub's headers
(X-Repo-Commit, X-Linked-Etag = the sha256, X-Linked-Size) and Range support, and
`GET /api/models/{repo}/tree/{rev}`."""

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPO = "acme/tiny-GGUF"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FakeHub:
    """`HEAD|GET /{repo}/resolve/{rev}/{file}` with the hub's headers and Range support, and
    `GET /api/models/{repo}/tree/{rev}`. Modes: `slow` (the body trickles), `wrong_sha` (the
    advertised sha256 is not the file's), `fail` (every file request is a 500)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.mode = "normal"
        self.ranges: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                hub.serve(self, body=False)

            def do_GET(self) -> None:
                hub.serve(self, body=True)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, request: BaseHTTPRequestHandler, body: bool) -> None:
        path = request.path.split("?")[0]
        tree = f"/api/models/{REPO}/tree/main"
        if path.startswith(tree):
            listing = [
                {
                    "type": "file",
                    "path": name,
                    "size": len(data),
                    "oid": "0" * 40,
                    "lfs": {"oid": sha256(data), "size": len(data), "pointerSize": 134},
                }
                for name, data in self.files.items()
            ]
            return self.reply(request, 200, json.dumps(listing).encode(), {}, body)
        prefix = f"/{REPO}/resolve/main/"
        data = self.files.get(path[len(prefix) :]) if path.startswith(prefix) else None
        if data is None:
            return self.reply(
                request, 404, b"Entry not found", {"X-Error-Code": "EntryNotFound"}, body
            )
        if self.mode == "fail":
            return self.reply(request, 500, b"Internal Error", {}, body)
        sha = sha256(b"something else" if self.mode == "wrong_sha" else data)
        headers = {
            "X-Repo-Commit": COMMIT,
            "X-Linked-Etag": f'"{sha}"',
            "X-Linked-Size": str(len(data)),
            "ETag": f'"{sha}"',
            "Accept-Ranges": "bytes",
        }
        start = 0
        if body and request.headers.get("Range"):
            self.ranges.append(request.headers["Range"])
            start = int(request.headers["Range"].removeprefix("bytes=").split("-")[0])
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        self.reply(request, 206 if start else 200, data[start:], headers, body)

    def reply(self, request, status: int, data: bytes, headers: dict, body: bool) -> None:
        request.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(data))}.items():
            request.send_header(key, value)
        request.end_headers()
        if not body:
            return
        # slow: 11 MiB at once, then a trickle (the test kills the pull in between).
        fast = 11 << 20 if self.mode == "slow" else len(data)
        pieces = [data[:fast]] + [data[i : i + 16384] for i in range(fast, len(data), 16384)]
        for piece in pieces:
            try:
                request.wfile.write(piece)
            except OSError:
                return
            if self.mode == "slow":
                time.sleep(0.05)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
