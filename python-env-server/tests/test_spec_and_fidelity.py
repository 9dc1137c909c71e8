"""Through the wire: spec conformance per default task and bit-identical fidelity to gym.make."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import gymnasium as gym
import mujoco
import numpy as np
import pytest
from conftest import client_version
from wire import create, reset, step

from dtql_envserver import PROTOCOL_MAJOR, PROTOCOL_MINOR
from dtql_envserver.proto import env_pb2
from dtql_envserver.tensors import from_tensor

DEFAULTS = {
    "hopper": ("Hopper-v4", 11, 3, 0.008),
    "walker2d": ("Walker2d-v4", 17, 6, 0.008),
    "halfcheetah": ("HalfCheetah-v4", 17, 6, 0.05),
}


def test_handshake_reports_version_capabilities_and_limits(stub):
    r = stub.Handshake(env_pb2.HandshakeRequest(client_version=client_version(), client_name="t"))
    assert (r.server_version.major, r.server_version.minor) == (PROTOCOL_MAJOR, PROTOCOL_MINOR)
    assert {"autoreset.next_step", "autoreset.disabled", "physics_status"} <= set(r.capabilities)
    assert r.limits.max_sessions == 16 and r.limits.max_envs_per_session == 1024
    assert r.limits.max_message_bytes == 64 * 1024 * 1024
    assert r.limits.default_idle_timeout_seconds == 300.0


def test_list_tasks_has_the_defaults_first(stub):
    ids = [t.task_id for t in stub.ListTasks(env_pb2.ListTasksRequest()).tasks]
    assert ids[:3] == ["hopper", "walker2d", "halfcheetah"]


@pytest.mark.parametrize("task_id", sorted(DEFAULTS))
def test_spec_conforms(stub, task_id):
    env_id, obs_dim, act_dim, dt = DEFAULTS[task_id]
    spec = stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id=task_id)).spec
    assert spec.env_id == env_id
    assert spec.observation.dtype == env_pb2.DTYPE_FLOAT64 and list(spec.observation.shape) == [
        obs_dim
    ]
    assert spec.action.dtype == env_pb2.DTYPE_FLOAT32 and list(spec.action.shape) == [act_dim]
    obs_low = from_tensor(spec.observation.low, "low")
    assert (
        obs_low.dtype == np.float64 and obs_low.shape == (obs_dim,) and np.isneginf(obs_low).all()
    )
    assert np.isposinf(from_tensor(spec.observation.high, "high")).all()
    assert (from_tensor(spec.action.low, "low") == -1.0).all()
    assert (from_tensor(spec.action.high, "high") == 1.0).all()
    assert spec.max_episode_steps == 1000
    assert spec.control_timestep == pytest.approx(dt, abs=1e-12)
    assert spec.simulator == "mujoco" and spec.simulator_version == mujoco.__version__ == "3.3.7"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xml = Path(gym.make(env_id).unwrapped.fullpath).read_bytes()
    assert spec.model_sha256 == hashlib.sha256(xml).hexdigest()
    assert spec.metadata["gymnasium_version"] == gym.__version__


# Enough steps to include episode ends: hopper and walker2d terminate early under random
# actions; halfcheetah never terminates, so it runs past its 1000-step truncation.
FIDELITY_STEPS = {"hopper": 300, "walker2d": 300, "halfcheetah": 1010}


@pytest.mark.parametrize("task_id", sorted(DEFAULTS))
def test_fidelity_through_the_wire_is_bit_identical_to_gym_make(stub, task_id):
    env_id = DEFAULTS[task_id][0]
    seeds = [11, 12]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = [gym.make(env_id) for _ in seeds]
    session = create(stub, task_id, 2, env_seeds=env_pb2.SeedList(seeds=seeds)).session_id
    obs = reset(stub, session)
    expected = np.stack([e.reset(seed=s)[0] for e, s in zip(direct, seeds, strict=True)])
    assert obs.tobytes() == expected.tobytes()

    for e, s in zip(direct, seeds, strict=True):
        e.action_space.seed(s)  # reproducible random actions
    ended = [False, False]
    episode_ends = 0
    for _ in range(FIDELITY_STEPS[task_id]):
        actions = np.stack([e.action_space.sample() for e in direct])  # float32, in bounds
        got = step(stub, session, actions)
        for i, env in enumerate(direct):
            if ended[i]:  # the server auto-resets; the direct env is reset by hand
                want_obs, _ = env.reset()
                want = (want_obs, 0.0, False, False)
                assert got["reset_happened"][i]
            else:
                o, r, term, trunc, _ = env.step(actions[i])
                want = (o, r, term, trunc)
                assert not got["reset_happened"][i]
            assert got["observations"][i].tobytes() == np.asarray(want[0]).tobytes()
            assert got["rewards"][i] == want[1]
            assert bool(got["terminated"][i]) == want[2]
            assert bool(got["truncated"][i]) == want[3]
            ended[i] = want[2] or want[3]
            episode_ends += int(ended[i])
    assert episode_ends > 0, "the run must include an episode end"
    for e in direct:
        e.close()
