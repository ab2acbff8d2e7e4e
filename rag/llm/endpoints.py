"""Several model servers behind one remote model: spread requests, rest the ones that fail.

Each request asks the pool for its endpoints in the order to try them: the live ones, least busy
first (ties taken in turn, so sequential requests alternate), then the resting ones as a last
resort, soonest back first. A failure rests an endpoint for a back-off that doubles with each
failure in a row (up to a cap); once it has passed, the next request tries it again, and a
success makes it live for good.
"""

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(eq=False)
class Endpoint:
    url: str  # a base URL, ending in /v1
    in_flight: int = 0
    failures: int = 0  # in a row
    retry_at: float = 0.0  # resting until then (monotonic seconds)
    # Learnt from the server: it refuses OpenAI's "json_schema" response format and takes
    # {"type": "json_object", "schema": ...} instead (llama-cpp-python's own server).
    schema_as_json_object: bool = False


class EndpointPool:
    def __init__(
        self,
        urls: Sequence[str],
        *,
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not urls:
            raise ValueError("an endpoint pool needs at least one URL")
        self.endpoints = [Endpoint(url.rstrip("/")) for url in urls]
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._clock = clock
        self._turn = 0
        self._lock = threading.Lock()

    def order(self) -> list[Endpoint]:
        """Every endpoint, in the order one request should try them."""
        with self._lock:
            now = self._clock()
            n = len(self.endpoints)
            turn = [self.endpoints[(self._turn + i) % n] for i in range(n)]
            self._turn = (self._turn + 1) % n
            live = sorted((e for e in turn if e.retry_at <= now), key=lambda e: e.in_flight)
            resting = sorted((e for e in turn if e.retry_at > now), key=lambda e: e.retry_at)
            return live + resting

    @contextmanager
    def busy(self, endpoint: Endpoint) -> Iterator[None]:
        """Count a request as running on `endpoint` while the block runs."""
        with self._lock:
            endpoint.in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                endpoint.in_flight -= 1

    def succeeded(self, endpoint: Endpoint) -> None:
        with self._lock:
            endpoint.failures = 0
            endpoint.retry_at = 0.0

    def failed(self, endpoint: Endpoint) -> None:
        with self._lock:
            backoff = min(self._backoff_s * 2**endpoint.failures, self._max_backoff_s)
            endpoint.failures += 1
            endpoint.retry_at = self._clock() + backoff
