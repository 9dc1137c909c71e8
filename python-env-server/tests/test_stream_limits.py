"""A client cannot starve the server: step streams are bounded, leased and reaped."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

import grpc
import numpy as np
import toy_envs
from grpc_health.v1 import health_pb2, health_pb2_grpc
from test_sessions_and_errors import FakeClock
from test_step_stream import OpenStream
from wire import create, reset

from dtql_envserver.proto import env_pb2
from dtql_envserver.server import ServerConfig
from dtql_envserver.sessions import SessionLimits, SessionManager
from dtql_envserver.tensors import to_tensor

PROMPT_SECONDS = 3.0  # health, ListTasks and Step take milliseconds; a starved server never answers
ZERO_ACTION = np.zeros((1, 1), np.float32)


class SilentStream:
    """A StepStream call that sends no request until closed (what froze the server before)."""

    def __init__(self, stub) -> None:
        self._requests: queue.Queue[env_pb2.StepRequest | None] = queue.Queue()
        self.call = stub.StepStream(self._pending())

    def _pending(self) -> Iterator[env_pb2.StepRequest]:
        while (request := self._requests.get()) is not None:
            yield request

    def close(self) -> None:
        self._requests.put(None)


def wait_until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_streams_beyond_the_limit_are_refused_and_health_and_step_still_answer(start_server):
    limits = SessionLimits(max_sessions=2, max_streams=3, max_streams_per_session=2)
    server, stub = start_server(ServerConfig(port=0, limits=limits))
    session = create(stub, toy_envs.TOY_COUNTER, 1).session_id
    reset(stub, session)
    # Before the limit, 20 request-less streams held 20 server threads and froze every call.
    streams = [SilentStream(stub) for _ in range(20)]
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    try:
        assert wait_until(lambda: sum(s.call.done() for s in streams) == 17), "17 refused"
        refused = [s.call for s in streams if s.call.done()]
        for call in refused:
            assert call.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, call.details()
            assert "max_streams = 3" in call.details()
        assert server.sessions.stream_count() == 3

        started = time.monotonic()
        health = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=""), timeout=PROMPT_SECONDS
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        tasks = stub.ListTasks(env_pb2.ListTasksRequest(), timeout=PROMPT_SECONDS).tasks
        assert toy_envs.TOY_COUNTER in [t.task_id for t in tasks]
        request = env_pb2.StepRequest(session_id=session, actions=to_tensor(ZERO_ACTION))
        assert list(stub.Step(request, timeout=PROMPT_SECONDS).episode_steps) == [1]
        assert time.monotonic() - started < PROMPT_SECONDS
    finally:
        channel.close()
        for stream in streams:
            stream.close()
    # Ended streams free their slots.
    assert wait_until(lambda: server.sessions.stream_count() == 0)


def test_streams_per_session_are_limited_and_a_slot_frees_when_one_ends(start_server):
    limits = SessionLimits(max_streams=8, max_streams_per_session=2)
    server, stub = start_server(ServerConfig(port=0, limits=limits))
    session = create(stub, toy_envs.TOY_COUNTER, 1).session_id
    other = create(stub, toy_envs.TOY_COUNTER, 1).session_id
    reset(stub, session)
    reset(stub, other)
    first, second, third = OpenStream(stub), OpenStream(stub), OpenStream(stub)
    try:
        first.step(session, ZERO_ACTION)
        second.step(session, ZERO_ACTION)
        try:
            third.step(session, ZERO_ACTION)
            raise AssertionError("a third stream on one session was accepted")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, e.details()
            assert "max_streams_per_session = 2" in e.details() and session in e.details()
        assert first.step(other, ZERO_ACTION).episode_steps == [1]  # other sessions unaffected
        first.close()
        assert wait_until(lambda: server.sessions.stream_count() == 1)
        fourth = OpenStream(stub)
        try:
            assert fourth.step(session, ZERO_ACTION).episode_steps == [3]
        finally:
            fourth.close()
    finally:
        second.close()
        third.close()


def test_a_request_less_stream_is_cancelled_when_its_lease_runs_out(start_server):
    limits = SessionLimits(default_idle_timeout=0.5, max_streams=2)
    server, stub = start_server(ServerConfig(port=0, limits=limits))
    silent = SilentStream(stub)
    try:
        assert wait_until(lambda: server.sessions.stream_count() == 1)
        assert wait_until(silent.call.done, seconds=10), "the idle stream was not reaped"
        assert silent.call.code() == grpc.StatusCode.CANCELLED
        assert server.sessions.stream_count() == 0
    finally:
        silent.close()


def test_stream_leases_follow_their_sessions_and_busy_streams_are_kept(registry):
    clock = FakeClock()
    limits = SessionLimits(default_idle_timeout=10, max_streams=4)
    manager = SessionManager(registry, limits, clock=clock)
    cancelled: list[str] = []
    request_less = manager.open_stream(lambda: cancelled.append("request-less"))
    long_lease = manager.open_stream(lambda: cancelled.append("long-lease"))
    session = manager.create(toy_envs.TOY_COUNTER, 1, idle_timeout=100).session_id
    with manager.use(session, long_lease):
        clock.now += 50  # past the default lease; a step in flight: busy streams are kept
        assert manager.reap_idle_streams() == [request_less.stream_id]
    assert cancelled == ["request-less"]
    assert manager.reap_idle_streams() == []
    clock.now += 99  # within the session's own 100 s lease, which the stream took on
    assert manager.reap_idle_streams() == []
    clock.now += 2
    assert manager.reap_idle_streams() == [long_lease.stream_id]
    assert cancelled == ["request-less", "long-lease"]
    assert manager.stream_count() == 0


def test_the_server_runs_more_threads_than_streams_may_take():
    for limits in (SessionLimits(), SessionLimits(max_sessions=1, max_streams=1)):
        config = ServerConfig(limits=limits)
        assert config.worker_threads >= limits.max_streams + limits.max_sessions + 2
