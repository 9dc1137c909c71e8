"""The batched stepping core, in process: seeding, auto-reset, time limit, clipping, errors."""

from __future__ import annotations

import numpy as np
import pytest
import toy_envs

from dtql_envserver.errors import FailedPreconditionError, InvalidArgumentError
from dtql_envserver.vector_env import AutoReset, EnvStatus, VectorEnv


@pytest.fixture
def make(registry):
    made: list[VectorEnv] = []

    def build(task_id: str, seeds, autoreset=AutoReset.NEXT_STEP, workers=1) -> VectorEnv:
        env = VectorEnv(registry.get(task_id), seeds, autoreset, workers)
        made.append(env)
        return env

    yield build
    for env in made:
        env.close()


def toy_actions(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float32).reshape(-1, 1)


def test_first_reset_applies_seed_and_later_resets_continue_the_rng(make):
    a = make(toy_envs.TOY_COUNTER, [7, 8])
    b = make(toy_envs.TOY_COUNTER, [7, 9])
    first_a = a.reset().observations.copy()
    obs_b = b.reset().observations
    assert first_a[0, 2] == obs_b[0, 2]  # same seed 7, same noise
    assert first_a[1, 2] != obs_b[1, 2]  # seeds 8 vs 9 differ
    again = a.reset().observations
    assert again[0, 2] != first_a[0, 2]  # RNG continued, not reseeded
    reseeded = a.reset([0], [7]).observations
    assert reseeded[0, 2] == first_a[0, 2]


def test_step_before_reset_is_failed_precondition(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1])
    with pytest.raises(FailedPreconditionError, match="env id 0 has not been reset"):
        env.step(None, toy_actions(0.0, 0.0))


def test_truncates_exactly_at_max_episode_steps_then_auto_resets(make):
    env = make(toy_envs.TOY_COUNTER, [0])
    env.reset()
    for step in range(1, toy_envs.TOY_MAX_STEPS + 1):
        r = env.step(None, toy_actions(0.5))
        assert r.episode_steps[0] == step
        assert bool(r.truncated[0]) == (step == toy_envs.TOY_MAX_STEPS)
        assert not r.terminated[0] and not r.reset_happened[0]
    r = env.step(None, toy_actions(0.25))  # action ignored: this is the auto-reset
    assert r.reset_happened[0] and r.rewards[0] == 0.0 and r.episode_steps[0] == 0
    assert not r.terminated[0] and not r.truncated[0]
    assert r.observations[0, 0] == 0.0 and r.observations[0, 1] == 0.0
    r = env.step(None, toy_actions(0.25))
    assert r.episode_steps[0] == 1 and r.rewards[0] == 0.25 and not r.reset_happened[0]


def test_termination_is_not_truncation_and_resets_only_that_env(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1])
    env.reset()
    r = env.step(None, toy_actions(1.0, 0.0))
    assert list(r.terminated) == [True, False] and list(r.truncated) == [False, False]
    r = env.step(None, toy_actions(0.0, 0.0))
    assert list(r.reset_happened) == [True, False]
    assert list(r.episode_steps) == [0, 2]


def test_autoreset_disabled_refuses_stepping_an_ended_env_until_reset(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1], AutoReset.DISABLED)
    env.reset()
    env.step(None, toy_actions(1.0, 0.0))
    with pytest.raises(FailedPreconditionError, match="env id 0 has ended.*DISABLED"):
        env.step(None, toy_actions(0.0, 0.0))
    r = env.step([1], toy_actions(0.0))  # the other env still runs
    assert r.episode_steps[0] == 2
    env.reset([0])
    r = env.step(None, toy_actions(0.0, 0.0))
    assert list(r.episode_steps) == [1, 3] and not r.reset_happened.any()


def test_out_of_range_actions_are_clipped_to_the_bounds(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1])
    env.reset()
    r = env.step(None, toy_actions(5.0, -3.0))
    assert list(r.rewards) == [1.0, -1.0]  # reward = applied action
    assert r.terminated[0]  # the clipped action reached the bound exactly


def test_float64_actions_are_accepted_and_clipped(make):
    env = make(toy_envs.TOY_COUNTER, [0])
    env.reset()
    r = env.step(None, np.array([[-7.0]], dtype=np.float64))
    assert r.rewards[0] == -1.0


def test_subset_step_touches_only_the_listed_envs_in_the_given_order(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1, 2])
    env.reset()
    r = env.step([2, 0], toy_actions(0.5, -0.5))
    assert list(r.env_ids) == [2, 0]
    assert list(r.rewards) == [0.5, -0.5]
    r = env.step(None, toy_actions(0.0, 0.0, 0.0))
    assert list(r.episode_steps) == [2, 1, 2]


@pytest.mark.parametrize(
    ("env_ids", "message"),
    [([3], "env_ids contains 3, out of range"), ([1, 1], "env_ids contains 1 twice")],
)
def test_bad_env_ids_are_invalid_argument(make, env_ids, message):
    env = make(toy_envs.TOY_COUNTER, [0, 1, 2])
    env.reset()
    with pytest.raises(InvalidArgumentError, match=message):
        env.step(env_ids, toy_actions(*[0.0] * len(env_ids)))


def test_nan_action_names_the_env_and_changes_nothing(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1])
    env.reset()
    with pytest.raises(InvalidArgumentError, match=r"row 1 \(env id 1\) contains NaN or Inf"):
        env.step(None, toy_actions(0.0, np.nan))
    r = env.step(None, toy_actions(0.0, 0.0))
    assert list(r.episode_steps) == [1, 1]  # the refused call stepped nobody


def test_wrong_action_shape_and_dtype_are_invalid_argument(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1])
    env.reset()
    with pytest.raises(InvalidArgumentError, match=r"shape \[1, 1\], expected \[2, 1\]"):
        env.step(None, toy_actions(0.0))
    with pytest.raises(InvalidArgumentError, match="dtype int32"):
        env.step(None, np.zeros((2, 1), dtype=np.int32))


def test_reset_seed_count_must_match(make):
    env = make(toy_envs.TOY_COUNTER, [0, 1])
    with pytest.raises(InvalidArgumentError, match="seeds has 1 entries but 2 envs"):
        env.reset(None, [5])
    with pytest.raises(InvalidArgumentError, match="seeds\\[0\\] = -4 is negative"):
        env.reset([0], [-4])


def test_non_finite_state_is_physics_unstable_and_truncates(make):
    env = make(toy_envs.TOY_UNSTABLE, [0])
    env.reset()
    for _ in range(toy_envs.UNSTABLE_AT_STEP - 1):
        assert env.step(None, toy_actions(0.0)).status[0] == EnvStatus.OK
    r = env.step(None, toy_actions(0.0))
    assert r.status[0] == EnvStatus.PHYSICS_UNSTABLE
    assert r.truncated[0] and not r.terminated[0]
    assert env.step(None, toy_actions(0.0)).reset_happened[0]


def test_mujoco_instability_is_detected_from_its_warning_counter(make):
    env = make("hopper", [0, 1])
    env.reset()
    env.unwrapped_env(1).data.qvel[:] = 1e30  # MuJoCo flags this as a bad QVEL and resets
    r = env.step(None, np.zeros((2, 3), dtype=np.float32))
    assert list(r.status) == [EnvStatus.OK, EnvStatus.PHYSICS_UNSTABLE]
    assert list(r.truncated) == [False, True] and not r.terminated.any()
    assert np.isfinite(r.rewards).all()


def test_two_workers_give_the_same_results_as_one(make):
    one = make("hopper", list(range(16)), workers=1)
    two = make("hopper", list(range(16)), workers=2)
    rng = np.random.default_rng(3)
    o1 = one.reset().observations.copy()
    o2 = two.reset().observations
    assert o1.tobytes() == o2.tobytes()
    for _ in range(50):
        a = rng.uniform(-1, 1, (16, 3)).astype(np.float32)
        r1, r2 = one.step(None, a), two.step(None, a)
        assert r1.observations.tobytes() == r2.observations.tobytes()
        assert r1.rewards.tobytes() == r2.rewards.tobytes()
        assert list(r1.terminated) == list(r2.terminated)
