"""The ``ant-goal`` task: the antmaze ant walking to successive goals on an open floor."""

from __future__ import annotations

import math

import mujoco
import numpy as np
import pytest

from dtql_envserver.antgoal import (
    AREA_HALF_WIDTH,
    GOAL_DISTANCE,
    HOP_HEIGHT,
    HOP_PENALTY,
    MAX_EPISODE_STEPS,
    AntGoalEnv,
    goal_in_heading_frame,
    heading,
    hop_penalty,
)
from dtql_envserver.antmaze import D4rlAntMazeEnv
from dtql_envserver.proto import env_pb2


def yaw_quat(yaw: float) -> np.ndarray:
    return np.array([math.cos(yaw / 2), 0.0, 0.0, math.sin(yaw / 2)])


def test_the_ant_and_its_physics_are_the_antmaze_ants_without_walls():
    ant, maze = AntGoalEnv(), D4rlAntMazeEnv("umaze")
    assert ant.model.opt.timestep == maze.model.opt.timestep
    assert ant.dt == pytest.approx(0.1)
    assert ant.model.nu == maze.model.nu == 8
    assert ant.model.actuator_ctrlrange.tolist() == maze.model.actuator_ctrlrange.tolist()
    # The same bodies; the maze adds wall geoms, the open floor has none.
    assert ant.model.nbody == maze.model.nbody
    names = [
        mujoco.mj_id2name(ant.model, mujoco.mjtObj.mjOBJ_GEOM, g) for g in range(ant.model.ngeom)
    ]
    assert not any(n.startswith("block_") for n in names)


@pytest.mark.parametrize("yaw", [0.0, 0.7, -2.5, math.pi / 2])
def test_the_goal_is_observed_in_the_torsos_heading_frame(yaw):
    qpos = np.zeros(15)
    qpos[0:2] = (3.0, -1.0)
    qpos[3:7] = yaw_quat(yaw)
    assert heading(qpos[3:7]) == pytest.approx(math.atan2(math.sin(yaw), math.cos(yaw)))
    ahead = np.array([3.0 + 2.0 * math.cos(yaw), -1.0 + 2.0 * math.sin(yaw)])
    left = np.array([3.0 - 1.5 * math.sin(yaw), -1.0 + 1.5 * math.cos(yaw)])
    assert goal_in_heading_frame(qpos, ahead) == pytest.approx([2.0, 0.0], abs=1e-12)
    assert goal_in_heading_frame(qpos, left) == pytest.approx([0.0, 1.5], abs=1e-12)


def test_observation_is_height_orientation_joints_velocities_and_the_relative_goal():
    env = AntGoalEnv()
    obs, info = env.reset(seed=4)
    assert obs.shape == (29,)
    q, v = env.data.qpos, env.data.qvel
    assert obs[:13].tolist() == q[2:15].tolist()
    assert obs[13:27].tolist() == v[:14].tolist()
    assert obs[27:].tolist() == goal_in_heading_frame(q, env.goal).tolist()
    assert info["goal"].tolist() == env.goal.tolist()


def test_goals_are_drawn_around_the_ant_within_the_area():
    env = AntGoalEnv()
    for seed in range(200):
        env.reset(seed=seed)
        d = math.hypot(*(env.goal - env.data.qpos[:2]))
        assert GOAL_DISTANCE[0] <= d <= GOAL_DISTANCE[1]
    env.data.qpos[0:2] = (AREA_HALF_WIDTH - 0.5, -AREA_HALF_WIDTH + 0.5)  # in a corner
    for _ in range(100):
        goal = env._draw_goal()
        assert np.all(np.abs(goal) <= AREA_HALF_WIDTH)


def test_reward_is_the_speed_towards_the_goal_less_the_hop_penalty():
    env = AntGoalEnv()
    env.reset(seed=1)
    env.goal = np.array([20.0, 0.0])  # far: no goal is reached in one step
    before = math.hypot(*(env.goal - env.data.qpos[:2]))
    _, reward, terminated, truncated, info = env.step(np.full(8, 0.2, np.float32))
    after = math.hypot(*(env.goal - env.data.qpos[:2]))
    speed = (before - after) / 0.1
    assert reward == pytest.approx(speed - hop_penalty(env.data.qpos[2]), abs=1e-12)
    assert not terminated and not truncated and not info["reached"]


def test_a_torso_above_the_hop_height_is_penalised():
    env = AntGoalEnv()
    env.reset(seed=1)
    env.goal = np.array([20.0, 0.0])
    env.data.qpos[2] = 0.95  # lifted: still above the hop height after one step's fall
    mujoco.mj_forward(env.model, env.data)
    before = math.hypot(*(env.goal - env.data.qpos[:2]))
    _, reward, terminated, _, _ = env.step(np.zeros(8, np.float32))
    after = math.hypot(*(env.goal - env.data.qpos[:2]))
    height = env.data.qpos[2]
    assert height > HOP_HEIGHT and not terminated
    assert reward == pytest.approx(
        (before - after) / 0.1 - HOP_PENALTY * (height - HOP_HEIGHT), abs=1e-12
    )


def test_the_hop_penalty_grows_with_the_height_above_its_threshold():
    assert hop_penalty(0.55) == 0.0
    assert hop_penalty(HOP_HEIGHT) == 0.0
    assert hop_penalty(HOP_HEIGHT + 0.1) == pytest.approx(0.1 * HOP_PENALTY)
    assert hop_penalty(HOP_HEIGHT + 0.2) == pytest.approx(0.2 * HOP_PENALTY)


def test_reaching_a_goal_pays_a_bonus_and_draws_the_next_goal():
    env = AntGoalEnv()
    env.reset(seed=2)
    env.goal = env.data.qpos[:2].copy()  # under the ant
    _, reward, terminated, _, info = env.step(np.zeros(8, np.float32))
    assert info["reached"] and info["goals_reached"] == 1 and not terminated
    # the bonus of 1, a tiny speed term, and the hop penalty of a torso still falling from reset
    assert reward + hop_penalty(env.data.qpos[2]) > 0.5
    d = math.hypot(*(env.goal - env.data.qpos[:2]))
    assert GOAL_DISTANCE[0] <= d <= GOAL_DISTANCE[1]


def test_an_upside_down_ant_terminates():
    env = AntGoalEnv()
    env.reset(seed=3)
    env.data.qpos[3:7] = (0.0, 1.0, 0.0, 0.0)  # rolled half a turn about x
    env.data.qpos[2] = 0.5
    mujoco.mj_forward(env.model, env.data)
    assert not env._healthy()
    env.data.qpos[3:7] = (1.0, 0.0, 0.0, 0.0)
    assert env._healthy()


def test_same_seed_same_episode():
    a, b = AntGoalEnv(), AntGoalEnv()
    oa, _ = a.reset(seed=7)
    ob, _ = b.reset(seed=7)
    rng = np.random.default_rng(0)
    for _ in range(30):
        act = rng.uniform(-1, 1, 8).astype(np.float32)
        ra, rb = a.step(act), b.step(act)
        assert ra[0].tobytes() == rb[0].tobytes() and ra[1] == rb[1]
    assert oa.tobytes() == ob.tobytes()


def test_served_as_a_default_task_with_its_goal_info_and_500_step_limit(stub):
    spec = stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id="ant-goal")).spec
    assert list(spec.observation.shape) == [29]
    assert list(spec.action.shape) == [8]
    assert spec.max_episode_steps == MAX_EPISODE_STEPS
    assert [i.name for i in spec.infos] == ["qpos", "qvel", "goal"]
