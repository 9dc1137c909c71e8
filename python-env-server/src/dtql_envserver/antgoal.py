"""``ant-goal``: D4RL's ant walking to goals on an open floor, the task its maze controller learns.

D4RL collected its AntMaze datasets with a goal-reaching ant policy steered through each maze by
waypoints. This task trains such a policy: the antmaze ant (the same model, timestep, frame skip,
action mapping and reset as ``antmaze.py``) on a floor without walls, walking to one goal after
another.

- **Goals.** At reset and whenever the ant comes within 0.5 of its goal, a new goal is drawn from
  the env's seeded RNG at a uniform direction and a distance U(1, 6) from the ant (about one or
  two maze cells, as a waypoint planner hands them out), kept inside a 60 x 60 area around the
  origin so the ant never walks off the floor.
- **Observation** (29-d): qpos[2:15] (height and orientation, no absolute x-y: a controller must
  not depend on where the maze is), qvel[0:14], then the goal relative to the torso in the
  torso's heading frame (``goal_in_heading_frame``). A waypoint follower in a maze builds the same
  vector from the maze's observation and its waypoint.
- **Reward**: the speed towards the goal, (d_before - d_after) / dt in m/s, plus 1 for each goal
  reached, minus 5 m^-1 times the torso's height above 0.7 m. Without that hop penalty (v0) the
  controller learned a hopping gait: in the mazes, where nothing ends an episode, its torso rose
  to about 0.8 m in the steps before it turned over, and a third of the long episodes ended
  upside down. **Termination** when the torso turns upside down or leaves D4RL-ant's healthy height
  range [0.2, 1.0]; episodes are cut at 500 steps (50 s).
"""

from __future__ import annotations

import math
from typing import Any

import gymnasium as gym
import numpy as np

from dtql_envserver.antmaze import (
    SUCCESS_RADIUS,
    D4rlAntEnv,
    MazeLayout,
    ant_maze_xml,
)
from dtql_envserver.infos import InfoSpec

TASK_ID = "ant-goal"
ENV_ID = "dtql/D4rlAntGoal-v1"
MAX_EPISODE_STEPS = 500
GOAL_DISTANCE = (1.0, 6.0)  # a new goal's distance from the ant, uniform
AREA_HALF_WIDTH = 30.0  # goals stay within +-30 of the origin (the floor reaches +-40)
HEALTHY_Z = (0.2, 1.0)  # torso height range of gym's ant-v3 (D4RL's ant base)
GOAL_BONUS = 1.0
HOP_HEIGHT = 0.7  # torso height (m) above which the hop penalty applies; the gait's median is 0.57
HOP_PENALTY = 5.0  # reward per step and per metre above HOP_HEIGHT
OBS_DIM = 13 + 14 + 2

# An open floor: one free cell and no walls.
_OPEN_FLOOR = MazeLayout("open", "", ("RG",), MAX_EPISODE_STEPS)


def heading(quat: np.ndarray) -> float:
    """The torso's yaw (rotation about world z) from its unit quaternion (w, x, y, z)."""
    w, x, y, z = quat
    return math.atan2(2.0 * (w * z + x * y), 1.0 - 2.0 * (y * y + z * z))


def goal_in_heading_frame(qpos: np.ndarray, goal: np.ndarray) -> np.ndarray:
    """goal - xy rotated into the torso's heading frame: x ahead, y to the left."""
    dx, dy = goal[0] - qpos[0], goal[1] - qpos[1]
    yaw = heading(qpos[3:7])
    c, s = math.cos(yaw), math.sin(yaw)
    return np.array([c * dx + s * dy, -s * dx + c * dy])


def hop_penalty(torso_height: float) -> float:
    """What a step costs for a torso above ``HOP_HEIGHT``: hops precede the ant's flips."""
    return HOP_PENALTY * max(0.0, torso_height - HOP_HEIGHT)


def _read_goal(env: gym.Env) -> np.ndarray:
    return env.goal


class AntGoalEnv(D4rlAntEnv):
    """D4RL's ant reaching successive goals on an open floor (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(ant_maze_xml(_OPEN_FLOOR), OBS_DIM)
        self.goal = np.zeros(2)
        self.goals_reached = 0

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        self._reset_ant(self.np_random)
        self.goals_reached = 0
        self.goal = self._draw_goal()
        return self._obs(), {"goal": self.goal.copy()}

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        before = self._distance()
        self._actuate(action)
        after = self._distance()
        reward = (before - after) / self.dt
        reached = after <= SUCCESS_RADIUS
        if reached:
            reward += GOAL_BONUS
            self.goals_reached += 1
            self.goal = self._draw_goal()
        terminated = not self._healthy()
        reward -= hop_penalty(self.data.qpos[2])
        info = {"goal": self.goal.copy(), "goals_reached": self.goals_reached, "reached": reached}
        return self._obs(), float(reward), terminated, False, info

    def _distance(self) -> float:
        qpos = self.data.qpos
        return math.hypot(qpos[0] - self.goal[0], qpos[1] - self.goal[1])

    def _draw_goal(self) -> np.ndarray:
        """A goal at a uniform direction and U(1, 6) from the ant, inside the goal area.

        Directions that leave the area are redrawn; from anywhere inside it at least a quarter of
        all directions stay inside, so a few draws suffice (capped; the last one is clipped).
        """
        rng = self.np_random
        x, y = self.data.qpos[0], self.data.qpos[1]
        goal = np.zeros(2)
        for _ in range(64):
            angle = rng.uniform(0.0, 2.0 * math.pi)
            distance = rng.uniform(*GOAL_DISTANCE)
            goal = np.array([x + distance * math.cos(angle), y + distance * math.sin(angle)])
            if np.all(np.abs(goal) <= AREA_HALF_WIDTH):
                return goal
        return np.clip(goal, -AREA_HALF_WIDTH, AREA_HALF_WIDTH)

    def _healthy(self) -> bool:
        qpos = self.data.qpos
        # The torso's z axis in the world frame has z component 1 - 2(x^2 + y^2).
        upright = 1.0 - 2.0 * (qpos[4] ** 2 + qpos[5] ** 2) > 0.0
        return bool(
            np.all(np.isfinite(self.data.qpos))
            and HEALTHY_Z[0] <= qpos[2] <= HEALTHY_Z[1]
            and upright
        )

    def _obs(self) -> np.ndarray:
        qpos = self.data.qpos
        return np.concatenate(
            (qpos[2:15], self.data.qvel[:14], goal_in_heading_frame(qpos, self.goal))
        )

    # --- what the server reports -----------------------------------------------------------------

    def extra_infos(self) -> tuple[InfoSpec, ...]:
        """The current goal (x, y) as an info tensor besides qpos and qvel."""
        return (
            InfoSpec(
                "goal",
                (2,),
                "the current goal (x, y); a new one is drawn at reset and when the ant comes "
                f"within {SUCCESS_RADIUS} of it",
                _read_goal,
            ),
        )

    def task_metadata(self) -> dict[str, str]:
        return {
            "purpose": "trains the goal-reaching ant that collects the antmaze datasets",
            "observation": "qpos[2:15], qvel[0:14], goal - xy in the torso's heading frame "
            "(x ahead, y left)",
            "reward": "speed towards the goal (m/s) + 1 per goal reached "
            f"- {HOP_PENALTY:g} * max(0, torso height - {HOP_HEIGHT:g})",
            "goals": f"uniform direction, distance U{GOAL_DISTANCE} from the ant, within "
            f"+-{AREA_HALF_WIDTH:g} of the origin; redrawn within {SUCCESS_RADIUS} of the goal",
            "termination": f"torso upside down or its height outside {HEALTHY_Z}",
        }


def register_ant_goal_env() -> None:
    """Registers the env with gymnasium and its 500-step limit (idempotent)."""
    if ENV_ID not in gym.registry:
        gym.register(
            ENV_ID, entry_point=f"{__name__}:AntGoalEnv", max_episode_steps=MAX_EPISODE_STEPS
        )
