"""A whole answer for a client that waits for it, stopped when that client goes away.

A request handler that only reads its answer to the end keeps the model generating for a client
that timed out or closed the tab; with one model shared by every user, the next question then
waits out a generation nobody reads. Here the answer is read on a worker thread while the
connection is watched, and a disconnect cancels the generation within one token.
"""

import anyio
from anyio import to_thread
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from rag.answer.orchestrator import AnswerOrchestrator
from rag.answer.stream import AnswerStream
from rag.answer.types import AskRequest, AskResult

DISCONNECT_POLL_SECONDS = 0.1


async def answer_while_connected(
    connection: Request, answers: AnswerOrchestrator, request: AskRequest
) -> AskResult:
    # Admission first, on a worker thread: a busy model is still a proper 429.
    stream = await run_in_threadpool(answers.stream, request)
    async with anyio.create_task_group() as group:
        group.start_soon(_cancel_on_disconnect, connection, stream)
        result = await to_thread.run_sync(stream.read_out)
        group.cancel_scope.cancel()
    return result


async def _cancel_on_disconnect(connection: Request, stream: AnswerStream) -> None:
    while not await connection.is_disconnected():
        await anyio.sleep(DISCONNECT_POLL_SECONDS)
    stream.cancel()
