"""The task registry (allow-list, user modules) and the Tensor codec."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
import toy_envs

from dtql_envserver.errors import InvalidArgumentError, NotFoundError, StartupError
from dtql_envserver.proto import env_pb2
from dtql_envserver.tasks import TaskRegistry, _flat_observation_space, build_task
from dtql_envserver.tensors import from_tensor, to_tensor


def test_allow_listed_env_is_served_under_its_own_id(registry):
    task = registry.get(toy_envs.TOY_COUNTER)
    assert task.env_id == toy_envs.TOY_COUNTER
    assert task.max_episode_steps == toy_envs.TOY_MAX_STEPS
    assert task.observation.shape == (3,) and task.action.dtype == np.float32
    assert task.control_timestep == 0.1 and task.model_sha256 == ""


def test_classic_control_env_can_be_allowed():
    task = build_task("Pendulum-v1", "Pendulum-v1", "pendulum")
    assert task.max_episode_steps == 200
    assert list(task.action.high) == [2.0]
    assert task.observation.dtype == np.float32


def test_non_box_space_is_refused():
    with pytest.raises(StartupError, match="action space is Discrete"):
        build_task(toy_envs.TOY_DISCRETE, toy_envs.TOY_DISCRETE, "")


def test_unknown_task_lists_the_known_ones(registry):
    with pytest.raises(NotFoundError, match="unknown task_id 'x'; known: hopper, walker2d"):
        registry.get("x")


def test_import_failure_is_a_startup_error():
    with pytest.raises(StartupError, match="'no_such_mod' failed: ModuleNotFoundError"):
        TaskRegistry.create(import_modules=["no_such_mod"], include_defaults=False)


@pytest.mark.parametrize(
    "array",
    [
        np.arange(6, dtype=np.float64).reshape(2, 3),
        np.array([1.5, -2.0], dtype=np.float32),
        np.array([[True, False]]),
        np.array([3, -4], dtype=np.int64),
        np.array([7], dtype=np.uint8),
        np.zeros((0, 3), dtype=np.float32),
    ],
)
def test_tensor_round_trip(array):
    back = from_tensor(to_tensor(array), "t")
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == array.tobytes()


def test_tensor_bytes_are_little_endian_row_major():
    t = to_tensor(np.array([[1, 2], [3, 4]], dtype=np.int32))
    assert t.dtype == env_pb2.DTYPE_INT32 and list(t.shape) == [2, 2]
    assert t.data == bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0])


def test_tensor_decoding_errors_name_the_field():
    with pytest.raises(InvalidArgumentError, match="obs.data has 3 bytes but shape \\[1\\]"):
        from_tensor(env_pb2.Tensor(dtype=env_pb2.DTYPE_FLOAT32, shape=[1], data=b"abc"), "obs")
    with pytest.raises(InvalidArgumentError, match="obs.shape = \\[-1\\] has a negative"):
        from_tensor(env_pb2.Tensor(dtype=env_pb2.DTYPE_FLOAT32, shape=[-1], data=b""), "obs")
    with pytest.raises(InvalidArgumentError, match="obs.dtype = 99"):
        from_tensor(env_pb2.Tensor(dtype=99, shape=[1], data=b"a"), "obs")


def test_a_dict_observation_of_boxes_is_flattened_and_other_dicts_are_refused():
    box = gym.spaces.Box(-1.0, 1.0, (2,), np.float64)
    space = gym.spaces.Dict({"b": box, "a": gym.spaces.Box(0.0, 5.0, (3,), np.float64)})
    flat, keys = _flat_observation_space(space, "x")
    assert keys == ("a", "b")  # gymnasium's Dict order, as gymnasium.spaces.flatten uses
    assert flat.shape == (5,) and flat.low.tolist() == [0, 0, 0, -1, -1]
    with pytest.raises(StartupError, match="not all Box spaces"):
        _flat_observation_space(gym.spaces.Dict({"a": gym.spaces.Discrete(3)}), "x")
    with pytest.raises(StartupError, match="mixes dtypes"):
        mixed = {"a": box, "b": gym.spaces.Box(0, 1, (1,), np.float32)}
        _flat_observation_space(gym.spaces.Dict(mixed), "x")
