"""Info tensors (qpos, qvel): advertised per task, sent only when asked for, the observed state.

Gymnasium's v4 locomotion envs build their observation from the same MuJoCo state
(``_get_obs`` in hopper_v4.py, walker2d_v4.py, half_cheetah_v4.py): ``concat(qpos[1:], qvel)``,
with qvel clipped to [-10, 10] for hopper and walker2d and not clipped for halfcheetah. So each
observation row can be rebuilt from its info rows, which pins the infos to the right env, row
and moment (after the step, or after the auto-reset).
"""

from __future__ import annotations

import dataclasses

import grpc
import numpy as np
import pytest
import toy_envs
from conftest import client_version
from test_sessions_and_errors import expect_error
from wire import create

from dtql_envserver.errors import InvalidArgumentError
from dtql_envserver.infos import InfoSpec
from dtql_envserver.proto import env_pb2
from dtql_envserver.servicer import largest_message_bytes
from dtql_envserver.tensors import from_tensor, to_tensor
from dtql_envserver.vector_env import VectorEnv

# task id -> (nq, nv, qvel clip in the observation or None); from the v4 envs' _get_obs.
MUJOCO = {"hopper": (6, 6, 10.0), "walker2d": (9, 9, 10.0), "halfcheetah": (9, 9, None)}
BOTH = ("qpos", "qvel")


def observation_from_state(task_id: str, qpos: np.ndarray, qvel: np.ndarray) -> np.ndarray:
    """What the v4 env's _get_obs returns for this state (rows: envs)."""
    clip = MUJOCO[task_id][2]
    velocity = qvel if clip is None else np.clip(qvel, -clip, clip)
    return np.concatenate([qpos[:, 1:], velocity], axis=1)


@pytest.fixture
def make(registry):
    made: list[VectorEnv] = []

    def build(task, seeds, info_keys=()) -> VectorEnv:
        task = registry.get(task) if isinstance(task, str) else task
        env = VectorEnv(task, seeds, info_keys=info_keys)
        made.append(env)
        return env

    yield build
    for env in made:
        env.close()


def extreme_actions(rng: np.random.Generator, n: int, act_dim: int) -> np.ndarray:
    return rng.choice([-1.0, 1.0], (n, act_dim)).astype(np.float32)


# --- the spec -------------------------------------------------------------------------------


@pytest.mark.parametrize("task_id", sorted(MUJOCO))
def test_mujoco_tasks_advertise_qpos_and_qvel_with_their_shapes(stub, task_id):
    nq, nv, _ = MUJOCO[task_id]
    spec = stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id=task_id)).spec
    assert [(i.name, list(i.shape)) for i in spec.infos] == [("qpos", [nq]), ("qvel", [nv])]
    assert all(i.description for i in spec.infos)


def test_a_task_without_a_simulator_state_advertises_no_infos(stub):
    spec = stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id=toy_envs.TOY_COUNTER)).spec
    assert list(spec.infos) == []


def test_handshake_lists_the_infos_capability(stub):
    request = env_pb2.HandshakeRequest(client_version=client_version(), client_name="t")
    r = stub.Handshake(request)
    assert "infos" in r.capabilities and r.server_version.minor >= 2


# --- in process: values ---------------------------------------------------------------------


@pytest.mark.parametrize("task_id", sorted(MUJOCO))
def test_infos_are_the_simulator_state_the_observation_was_made_from(make, task_id):
    nq, nv, _ = MUJOCO[task_id]
    n = 3
    env = make(task_id, [10, 11, 12], BOTH)
    act_dim = env.task.action.shape[0]
    reset = env.reset()
    assert reset.infos["qpos"].shape == (n, nq) and reset.infos["qvel"].shape == (n, nv)
    assert reset.infos["qpos"].dtype == np.float64
    np.testing.assert_array_equal(
        reset.observations,
        observation_from_state(task_id, reset.infos["qpos"], reset.infos["qvel"]),
    )
    rng = np.random.default_rng(0)
    for _ in range(30):
        r = env.step(None, rng.uniform(-1, 1, (n, act_dim)).astype(np.float32))
        qpos, qvel = r.infos["qpos"], r.infos["qvel"]
        np.testing.assert_array_equal(r.observations, observation_from_state(task_id, qpos, qvel))
        for i in range(n):  # the full state, root x included, unclipped
            np.testing.assert_array_equal(qpos[i], env.unwrapped_env(i).data.qpos)
            np.testing.assert_array_equal(qvel[i], env.unwrapped_env(i).data.qvel)


def test_infos_are_copies_not_views_of_the_simulator(make):
    env = make("hopper", [0], BOTH)
    qpos = env.reset().infos["qpos"]
    before = qpos.copy()
    env.unwrapped_env(0).data.qpos[:] = 123.0
    np.testing.assert_array_equal(qpos, before)


def test_only_the_requested_keys_in_request_order(make):
    env = make("hopper", [0, 1], ["qvel"])
    assert env.info_keys == ["qvel"]
    assert list(env.reset().infos) == ["qvel"]
    assert list(env.step(None, np.zeros((2, 3), np.float32)).infos) == ["qvel"]
    assert make("hopper", [0], ["qvel", "qpos"]).info_keys == ["qvel", "qpos"]


def test_auto_reset_step_reports_the_new_episodes_first_state(make):
    n = 2
    env = make("hopper", [3, 4], BOTH)
    env.reset()
    rng = np.random.default_rng(1)
    last_state: dict[int, np.ndarray] = {}  # env id -> qpos reported on its episode's end
    for _ in range(1100):
        r = env.step(None, extreme_actions(rng, n, 3))
        if r.reset_happened.any():
            break
        for i in np.flatnonzero(r.terminated | r.truncated):
            last_state[int(i)] = r.infos["qpos"][i].copy()
    else:
        pytest.fail("no episode ended and auto-reset within 1100 steps")
    row = int(np.flatnonzero(r.reset_happened)[0])
    qpos, qvel = r.infos["qpos"][row], r.infos["qvel"][row]
    np.testing.assert_array_equal(qpos, env.unwrapped_env(row).data.qpos)
    np.testing.assert_array_equal(qvel, env.unwrapped_env(row).data.qvel)
    np.testing.assert_array_equal(
        r.observations[row], observation_from_state("hopper", qpos[None], qvel[None])[0]
    )
    assert not np.array_equal(qpos, last_state[row])  # not the ended episode's last state
    # A reset state is init_qpos plus noise within Hopper's reset_noise_scale (5e-3).
    init_qpos = env.unwrapped_env(row).init_qpos
    assert np.abs(qpos - init_qpos).max() <= 5e-3


def test_subset_reset_and_step_rows_follow_the_env_ids_order(make):
    env = make("hopper", [0, 1, 2], BOTH)
    env.reset()
    r = env.step([2, 0], np.zeros((2, 3), np.float32))
    assert r.infos["qpos"].shape == (2, 6)
    np.testing.assert_array_equal(r.infos["qpos"][0], env.unwrapped_env(2).data.qpos)
    np.testing.assert_array_equal(r.infos["qpos"][1], env.unwrapped_env(0).data.qpos)
    reset = env.reset([1], [99])
    assert reset.infos["qvel"].shape == (1, 6)
    np.testing.assert_array_equal(reset.infos["qvel"][0], env.unwrapped_env(1).data.qvel)


# --- in process: nothing asked, nothing read ------------------------------------------------


def _counting_info(calls: list[int]) -> InfoSpec:
    def read(env) -> np.ndarray:
        calls.append(1)
        return np.array([float(len(calls))])

    return InfoSpec("probe", (1,), "counts its reads", read)


def test_no_infos_asked_means_no_infos_and_no_reads(make, registry):
    calls: list[int] = []
    task = dataclasses.replace(registry.get(toy_envs.TOY_COUNTER), infos=(_counting_info(calls),))
    quiet = make(task, [0, 1])
    assert quiet.info_keys == [] and quiet.reset().infos == {}
    for _ in range(8):  # through an auto-reset (the toy's time limit is 5)
        assert quiet.step(None, np.zeros((2, 1), np.float32)).infos == {}
    assert calls == []
    asked = make(task, [0, 1], ["probe"])
    asked.reset()
    asked.step(None, np.zeros((2, 1), np.float32))
    assert len(calls) == 4  # one read per env per call


@pytest.mark.parametrize(
    ("task_id", "keys", "fragments"),
    [
        ("hopper", ["qpos", "goal"], ["'goal'", "'hopper'", "available: qpos, qvel"]),
        ("hopper", ["qvel", "qvel"], ["'qvel' twice"]),
        (toy_envs.TOY_COUNTER, ["qpos"], ["'qpos'", "available: none"]),
    ],
)
def test_unknown_or_repeated_key_is_invalid_argument(registry, task_id, keys, fragments):
    with pytest.raises(InvalidArgumentError) as refused:
        VectorEnv(registry.get(task_id), [0], info_keys=keys)
    for fragment in fragments:
        assert fragment in refused.value.message


def test_the_message_size_estimate_counts_the_infos(registry):
    task = registry.get("hopper")
    plain = largest_message_bytes(task, 100)
    with_infos = largest_message_bytes(task, 100, task.select_infos(BOTH))
    assert with_infos - plain >= 100 * 12 * 8


# --- through the wire -----------------------------------------------------------------------


def test_wire_echoes_the_keys_and_sends_float64_tensors_in_env_order(stub):
    created = create(stub, "hopper", 3, base_seed=7, info_keys=["qpos", "qvel"])
    assert list(created.info_keys) == ["qpos", "qvel"]
    assert [i.name for i in created.spec.infos] == ["qpos", "qvel"]
    session = created.session_id
    reset = stub.Reset(env_pb2.ResetRequest(session_id=session))
    assert set(reset.infos) == {"qpos", "qvel"}
    assert reset.infos["qpos"].dtype == env_pb2.DTYPE_FLOAT64
    assert list(reset.infos["qpos"].shape) == [3, 6] and list(reset.infos["qvel"].shape) == [3, 6]
    qpos = from_tensor(reset.infos["qpos"], "qpos")
    qvel = from_tensor(reset.infos["qvel"], "qvel")
    obs = from_tensor(reset.observations, "observations")
    np.testing.assert_array_equal(obs, observation_from_state("hopper", qpos, qvel))
    actions = np.random.default_rng(2).uniform(-1, 1, (2, 3)).astype(np.float32)
    r = stub.Step(
        env_pb2.StepRequest(session_id=session, env_ids=[2, 0], actions=to_tensor(actions))
    )
    assert list(r.infos["qpos"].shape) == [2, 6]
    qpos = from_tensor(r.infos["qpos"], "qpos")
    qvel = from_tensor(r.infos["qvel"], "qvel")
    obs = from_tensor(r.observations, "observations")
    np.testing.assert_array_equal(obs, observation_from_state("hopper", qpos, qvel))
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))


def test_wire_session_without_info_keys_gets_empty_infos(stub):
    created = create(stub, "hopper", 2)
    assert list(created.info_keys) == []
    reset = stub.Reset(env_pb2.ResetRequest(session_id=created.session_id))
    assert len(reset.infos) == 0
    r = stub.Step(
        env_pb2.StepRequest(
            session_id=created.session_id, actions=to_tensor(np.zeros((2, 3), np.float32))
        )
    )
    assert len(r.infos) == 0
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=created.session_id))


def test_wire_unknown_key_is_invalid_argument_naming_it_and_the_available_ones(stub, live):
    server, _ = live
    before = server.sessions.session_count()
    with expect_error(
        grpc.StatusCode.INVALID_ARGUMENT, "info_keys contains 'goal'", "available: qpos, qvel"
    ):
        create(stub, "hopper", 2, info_keys=["qpos", "goal"])
    assert server.sessions.session_count() == before  # nothing was built
