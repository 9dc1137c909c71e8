"""Through the wire: seeding, subsets, auto-reset modes, every error code, leases, limits."""

from __future__ import annotations

import time

import grpc
import numpy as np
import pytest
import toy_envs
from conftest import client_version
from wire import create, reset, step

from dtql_envserver.proto import env_pb2
from dtql_envserver.server import ServerConfig
from dtql_envserver.sessions import SessionLimits, SessionManager
from dtql_envserver.tensors import to_tensor


def expect_error(code: grpc.StatusCode, *fragments: str):
    """Context manager asserting an RpcError with this code whose details contain fragments."""

    class _Expect:
        def __enter__(self):
            return self

        def __exit__(self, exc_type, exc, tb):
            assert exc_type is not None and issubclass(exc_type, grpc.RpcError), "no RpcError"
            assert exc.code() == code, f"{exc.code()}: {exc.details()}"
            for fragment in fragments:
                assert fragment in exc.details(), exc.details()
            return True

    return _Expect()


def hopper_actions(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, (n, 3)).astype(np.float32)


def run_hopper(stub, **seeding) -> bytes:
    session = create(stub, "hopper", 3, **seeding).session_id
    chunks = [reset(stub, session).tobytes()]
    for i in range(20):
        r = step(stub, session, hopper_actions(3, i))
        chunks += [r["observations"].tobytes(), r["rewards"].tobytes()]
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))
    return b"".join(chunks)


def test_same_seeds_give_identical_bytes_and_different_seeds_differ(stub):
    assert run_hopper(stub, base_seed=5) == run_hopper(stub, base_seed=5)
    assert run_hopper(stub, base_seed=5) != run_hopper(stub, base_seed=6)


def test_base_seed_equals_explicit_per_env_seeds(stub):
    explicit = run_hopper(stub, env_seeds=env_pb2.SeedList(seeds=[5, 6, 7]))
    assert explicit == run_hopper(stub, base_seed=5)


def test_effective_seeds_and_session_settings_are_echoed(stub):
    r = create(stub, toy_envs.TOY_COUNTER, 3, base_seed=40, idle_timeout_seconds=12.5)
    assert list(r.env_seeds) == [40, 41, 42]
    assert r.idle_timeout_seconds == 12.5 and r.autoreset == env_pb2.AUTORESET_NEXT_STEP
    assert r.spec.task_id == toy_envs.TOY_COUNTER


def test_reset_with_seeds_reseeds_only_the_listed_envs(stub):
    session = create(stub, toy_envs.TOY_COUNTER, 2, base_seed=0).session_id
    first = reset(stub, session).copy()
    continued = reset(stub, session)
    assert (continued[:, 2] != first[:, 2]).all()
    reseeded = reset(stub, session, env_ids=[1], seeds=[1])
    assert reseeded.shape == (1, 3) and reseeded[0, 2] == first[1, 2]


def test_subset_step_through_the_wire(stub):
    session = create(stub, toy_envs.TOY_COUNTER, 3).session_id
    reset(stub, session)
    r = step(stub, session, np.array([[0.5], [-0.25]], np.float32), env_ids=[2, 0])
    assert list(r["env_ids"]) == [2, 0] and list(r["rewards"]) == [0.5, -0.25]
    assert list(r["episode_steps"]) == [1, 1]


def test_next_step_autoreset_and_truncation_through_the_wire(stub):
    session = create(stub, toy_envs.TOY_COUNTER, 1).session_id
    reset(stub, session)
    zero = np.zeros((1, 1), np.float32)
    for _ in range(toy_envs.TOY_MAX_STEPS - 1):
        assert not step(stub, session, zero)["truncated"][0]
    last = step(stub, session, zero)
    assert last["truncated"][0] and not last["terminated"][0]
    assert last["episode_steps"][0] == toy_envs.TOY_MAX_STEPS
    after = step(stub, session, np.ones((1, 1), np.float32))
    assert after["reset_happened"][0] and after["rewards"][0] == 0.0
    assert after["episode_steps"][0] == 0 and not after["terminated"][0]


def test_autoreset_disabled_through_the_wire(stub):
    r = create(stub, toy_envs.TOY_COUNTER, 1, autoreset=env_pb2.AUTORESET_DISABLED)
    assert r.autoreset == env_pb2.AUTORESET_DISABLED
    reset(stub, r.session_id)
    assert step(stub, r.session_id, np.ones((1, 1), np.float32))["terminated"][0]
    with expect_error(grpc.StatusCode.FAILED_PRECONDITION, "env id 0", "DISABLED"):
        step(stub, r.session_id, np.zeros((1, 1), np.float32))


def test_physics_unstable_is_a_status_not_a_failed_call(stub):
    session = create(stub, toy_envs.TOY_UNSTABLE, 1).session_id
    reset(stub, session)
    zero = np.zeros((1, 1), np.float32)
    for _ in range(toy_envs.UNSTABLE_AT_STEP - 1):
        step(stub, session, zero)
    r = step(stub, session, zero)
    assert list(r["status"]) == [env_pb2.ENV_STATUS_PHYSICS_UNSTABLE]
    assert r["truncated"][0] and not r["terminated"][0]


# --- error codes ---------------------------------------------------------------------------


def test_handshake_major_mismatch_is_failed_precondition(stub):
    request = env_pb2.HandshakeRequest(client_version=env_pb2.ProtocolVersion(major=2, minor=0))
    with expect_error(grpc.StatusCode.FAILED_PRECONDITION, "client_version.major = 2"):
        stub.Handshake(request)
    assert stub.Handshake(env_pb2.HandshakeRequest(client_version=client_version())).server_name


def test_unknown_task_is_not_found(stub):
    with expect_error(grpc.StatusCode.NOT_FOUND, "unknown task_id 'nope'"):
        stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id="nope"))
    with expect_error(grpc.StatusCode.NOT_FOUND, "unknown task_id 'nope'"):
        create(stub, "nope", 1)


def test_unknown_session_is_not_found(stub):
    with expect_error(grpc.StatusCode.NOT_FOUND, "unknown session_id 'gone'"):
        stub.CloseSession(env_pb2.CloseSessionRequest(session_id="gone"))
    with expect_error(grpc.StatusCode.NOT_FOUND, "unknown session_id 'gone'"):
        reset(stub, "gone")


def test_closed_session_is_not_found(stub):
    session = create(stub, toy_envs.TOY_COUNTER, 1).session_id
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))
    with expect_error(grpc.StatusCode.NOT_FOUND, session):
        reset(stub, session)


@pytest.mark.parametrize("num_envs", [0, 1025])
def test_num_envs_out_of_range_is_invalid_argument(stub, num_envs):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, f"num_envs = {num_envs}", "1..1024"):
        create(stub, toy_envs.TOY_COUNTER, num_envs)


def test_seed_list_length_mismatch_is_invalid_argument(stub):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "env_seeds has 1 seeds but num_envs = 2"):
        create(stub, toy_envs.TOY_COUNTER, 2, env_seeds=env_pb2.SeedList(seeds=[3]))
    session = create(stub, toy_envs.TOY_COUNTER, 2).session_id
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "seeds has 3 entries but 2 envs"):
        reset(stub, session, seeds=[1, 2, 3])


def test_step_before_reset_is_failed_precondition(stub):
    session = create(stub, toy_envs.TOY_COUNTER, 2).session_id
    with expect_error(grpc.StatusCode.FAILED_PRECONDITION, "env id 0 has not been reset"):
        step(stub, session, np.zeros((2, 1), np.float32))


@pytest.fixture
def toy_session(stub):
    session = create(stub, toy_envs.TOY_COUNTER, 2).session_id
    reset(stub, session)
    yield session
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))


def test_nan_action_is_invalid_argument_naming_the_env(stub, toy_session):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "env id 1", "NaN or Inf"):
        step(stub, toy_session, np.array([[0.0], [np.inf]], np.float32))


def test_wrong_shape_is_invalid_argument(stub, toy_session):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "shape [2, 2], expected [2, 1]"):
        step(stub, toy_session, np.zeros((2, 2), np.float32))


def test_wrong_dtype_is_invalid_argument(stub, toy_session):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "dtype int64"):
        step(stub, toy_session, np.zeros((2, 1), np.int64))
    bad = env_pb2.Tensor(dtype=env_pb2.DTYPE_UNSPECIFIED, shape=[2, 1], data=b"\0" * 8)
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "actions.dtype = DTYPE_UNSPECIFIED"):
        stub.Step(env_pb2.StepRequest(session_id=toy_session, actions=bad))


def test_byte_length_mismatch_is_invalid_argument(stub, toy_session):
    bad = env_pb2.Tensor(dtype=env_pb2.DTYPE_FLOAT32, shape=[2, 1], data=b"\0" * 7)
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "actions.data has 7 bytes", "needs 8"):
        stub.Step(env_pb2.StepRequest(session_id=toy_session, actions=bad))


@pytest.mark.parametrize(
    ("env_ids", "fragment"), [([5], "env_ids contains 5, out of range"), ([0, 0], "0 twice")]
)
def test_bad_env_ids_are_invalid_argument(stub, toy_session, env_ids, fragment):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, fragment):
        step(stub, toy_session, np.zeros((len(env_ids), 1), np.float32), env_ids=env_ids)


def test_too_many_sessions_is_resource_exhausted(start_server):
    _, stub = start_server(ServerConfig(port=0, limits=SessionLimits(max_sessions=2)))
    create(stub, toy_envs.TOY_COUNTER, 1)
    second = create(stub, toy_envs.TOY_COUNTER, 1).session_id
    with expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED, "max_sessions = 2"):
        create(stub, toy_envs.TOY_COUNTER, 1)
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=second))
    assert create(stub, toy_envs.TOY_COUNTER, 1).session_id  # the slot is free again


def test_batch_over_the_message_limit_is_refused_at_create_session(start_server):
    _, stub = start_server(ServerConfig(port=0, max_message_bytes=64 * 1024))
    with expect_error(grpc.StatusCode.RESOURCE_EXHAUSTED, "max_message_bytes = 65536"):
        create(stub, "hopper", 1000)
    assert create(stub, "hopper", 100).session_id  # 100 x ~120 bytes fits


def test_idle_sessions_are_reaped_by_the_live_server(start_server):
    server, stub = start_server()
    idle = create(stub, toy_envs.TOY_COUNTER, 1, idle_timeout_seconds=0.3).session_id
    kept = create(stub, toy_envs.TOY_COUNTER, 1, idle_timeout_seconds=60).session_id
    deadline = time.monotonic() + 10
    while server.sessions.session_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    with expect_error(grpc.StatusCode.NOT_FOUND, idle):
        reset(stub, idle)
    assert reset(stub, kept).shape == (1, 3)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_every_call_renews_the_lease_and_busy_sessions_are_not_reaped(registry):
    clock = FakeClock()
    manager = SessionManager(registry, SessionLimits(default_idle_timeout=10), clock=clock)
    session = manager.create(toy_envs.TOY_COUNTER, 1).session_id
    clock.now += 8
    with manager.use(session):
        pass  # a call renews the lease
    clock.now += 8
    assert manager.reap_idle() == []  # 8 s since the last call < 10 s
    clock.now += 3
    with manager.use(session):
        assert manager.reap_idle() == []  # expired, but a call is in flight: never reaped
        clock.now += 11
    clock.now += 11
    assert manager.reap_idle() == [session]
    assert manager.session_count() == 0


def test_action_tensor_helper_is_little_endian(stub, toy_session):
    big = np.array([[0.5], [0.25]], dtype=">f4")
    tensor = to_tensor(big)
    assert tensor.data == np.array([[0.5], [0.25]], dtype="<f4").tobytes()
    r = stub.Step(env_pb2.StepRequest(session_id=toy_session, actions=tensor))
    assert len(r.env_ids) == 2


def test_seeds_must_be_non_negative_int64(stub):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "env_seeds[1] = -1 is negative"):
        create(stub, toy_envs.TOY_COUNTER, 2, env_seeds=env_pb2.SeedList(seeds=[0, -1]))
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "env_seeds[1] = 9223372036854775808"):
        create(stub, toy_envs.TOY_COUNTER, 2, base_seed=2**63 - 1)


def test_too_many_envs_is_invalid_argument_even_when_also_too_big(start_server):
    _, stub = start_server(ServerConfig(port=0, max_message_bytes=64 * 1024))
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "num_envs = 5000 must be in 1..1024"):
        create(stub, "hopper", 5000)


def test_negative_idle_timeout_is_invalid_argument(stub):
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "idle_timeout_seconds = -1.0"):
        create(stub, toy_envs.TOY_COUNTER, 1, idle_timeout_seconds=-1.0)


def test_unexpected_server_bug_is_internal_with_its_message(start_server, monkeypatch):
    server, stub = start_server()
    session = create(stub, toy_envs.TOY_COUNTER, 1).session_id

    def broken_reset(*_args, **_kwargs):
        raise RuntimeError("simulated bug")

    with server.sessions.use(session) as s:
        monkeypatch.setattr(s.env, "reset", broken_reset)
    with expect_error(grpc.StatusCode.INTERNAL, "RuntimeError: simulated bug"):
        reset(stub, session)


def test_sessions_step_in_parallel_threads_without_interfering(stub):
    """Each thread owns a session; results must equal the same run done alone."""
    from concurrent.futures import ThreadPoolExecutor

    alone = run_hopper(stub, base_seed=21)
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: run_hopper(stub, base_seed=21), range(4)))
    assert all(r == alone for r in runs)


def test_calls_on_one_session_serialise(stub):
    """Concurrent Steps on one session each advance every env by exactly one step."""
    from concurrent.futures import ThreadPoolExecutor

    session = create(stub, "hopper", 4, base_seed=0).session_id
    reset(stub, session)
    zero = np.zeros((4, 3), np.float32)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: step(stub, session, zero), range(8)))
    steps = sorted(int(r["episode_steps"][0]) for r in results)
    assert steps == list(range(1, 9))
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))
