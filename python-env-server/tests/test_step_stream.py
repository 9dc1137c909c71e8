"""StepStream: the streamed form of Step gives Step's results and Step's errors."""

from __future__ import annotations

import queue
from collections.abc import Iterator

import grpc
import numpy as np
import pytest
from conftest import client_version
from wire import create, reset, step

from dtql_envserver.proto import env_pb2
from dtql_envserver.tensors import from_tensor, to_tensor


class OpenStream:
    """A live StepStream call: send a request, read its response."""

    def __init__(self, stub) -> None:
        self._requests: queue.Queue[env_pb2.StepRequest | None] = queue.Queue()
        self._responses = stub.StepStream(self._pending())

    def _pending(self) -> Iterator[env_pb2.StepRequest]:
        while (request := self._requests.get()) is not None:
            yield request

    def step(self, session_id: str, actions: np.ndarray) -> env_pb2.StepResponse:
        self._requests.put(env_pb2.StepRequest(session_id=session_id, actions=to_tensor(actions)))
        return next(self._responses)

    def close(self) -> None:
        self._requests.put(None)


def test_handshake_lists_the_step_stream_capability(stub):
    response = stub.Handshake(env_pb2.HandshakeRequest(client_version=client_version()))
    assert "step_stream" in response.capabilities


def test_streamed_steps_equal_unary_steps_bit_for_bit(stub):
    actions = np.random.default_rng(3).uniform(-1, 1, size=(30, 4, 3)).astype(np.float32)
    unary = create(stub, "hopper", 4, base_seed=11).session_id
    streamed = create(stub, "hopper", 4, base_seed=11).session_id
    reset(stub, unary)
    reset(stub, streamed)
    stream = OpenStream(stub)
    try:
        for batch in actions:
            expected = step(stub, unary, batch)
            got = stream.step(streamed, batch)
            assert from_tensor(got.observations, "o").tobytes() == (
                expected["observations"].tobytes()
            )
            assert from_tensor(got.rewards, "r").tobytes() == expected["rewards"].tobytes()
            assert list(got.episode_steps) == expected["episode_steps"].tolist()
            assert from_tensor(got.terminated, "t").tolist() == expected["terminated"].tolist()
    finally:
        stream.close()


def test_an_error_ends_the_stream_with_steps_status_and_the_session_stays_usable(stub):
    session = create(stub, "hopper", 2, base_seed=0).session_id
    reset(stub, session)
    good = np.zeros((2, 3), dtype=np.float32)
    stream = OpenStream(stub)
    assert list(stream.step(session, good).episode_steps) == [1, 1]
    with pytest.raises(grpc.RpcError) as failure:
        stream.step(session, np.full((2, 3), np.nan, dtype=np.float32))
    assert failure.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "NaN" in failure.value.details()
    stream.close()
    # The refused step changed nothing: a new stream continues the same episodes.
    fresh = OpenStream(stub)
    try:
        assert list(fresh.step(session, good).episode_steps) == [2, 2]
    finally:
        fresh.close()


def test_unknown_session_on_the_stream_is_not_found(stub):
    stream = OpenStream(stub)
    with pytest.raises(grpc.RpcError) as failure:
        stream.step("no-such-session", np.zeros((1, 3), dtype=np.float32))
    assert failure.value.code() == grpc.StatusCode.NOT_FOUND
    stream.close()
