"""Answers for a client that may go away: every phase stops when its connection closes.

A request handler that only reads its answer to the end keeps the model generating for a client
that timed out or closed the tab; with one model shared by every user, the next question then
waits out a generation nobody reads. So the answer stage runs on a worker thread while the
connection is watched: a disconnect while searching stops the search at its next step
(rag/answer/cancel.py), one while generating cancels the generation within one token.
"""

import threading

import anyio
from anyio import to_thread
from fastapi import Request

from rag.answer.cancel import AnswerCancelledError, cancellable
from rag.answer.orchestrator import AnswerOrchestrator
from rag.answer.stream import AnswerStream
from rag.answer.types import AskRequest, AskResult

DISCONNECT_POLL_SECONDS = 0.1


async def admit_while_connected(
    connection: Request, answers: AnswerOrchestrator, request: AskRequest
) -> AnswerStream:
    """The answer up to its generation (admitted, so a busy model is still a proper 429);
    `AnswerCancelledError` as soon as the client goes away meanwhile."""
    stopped = threading.Event()
    failure: list[Exception] = []  # raised here, not wrapped in the task group's ExceptionGroup

    def admit() -> AnswerStream | None:
        with cancellable(stopped):
            try:
                return answers.stream(request)
            except AnswerCancelledError:
                return None
            except Exception as exc:
                failure.append(exc)
                return None

    async def watch() -> None:
        await _disconnected(connection)
        stopped.set()
        group.cancel_scope.cancel()  # the thread ends at its next check; the handler now

    stream = None
    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        stream = await to_thread.run_sync(admit, abandon_on_cancel=True)
        group.cancel_scope.cancel()
    if failure:
        raise failure[0]
    if stream is None or stopped.is_set():
        raise AnswerCancelledError("the client went away")
    return stream


async def answer_while_connected(
    connection: Request, answers: AnswerOrchestrator, request: AskRequest
) -> AskResult:
    """The whole answer; `AnswerCancelledError` (with what was answered by then) when the
    client went away."""
    stream = await admit_while_connected(connection, answers, request)
    async with anyio.create_task_group() as group:
        group.start_soon(_cancel_on_disconnect, connection, stream)
        result = await to_thread.run_sync(stream.read_out)
        group.cancel_scope.cancel()
    if stream.cancelled:
        raise AnswerCancelledError("the client went away", result)
    return result


async def _disconnected(connection: Request) -> None:
    while not await connection.is_disconnected():
        await anyio.sleep(DISCONNECT_POLL_SECONDS)


async def _cancel_on_disconnect(connection: Request, stream: AnswerStream) -> None:
    await _disconnected(connection)
    stream.cancel()
