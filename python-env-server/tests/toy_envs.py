"""Tiny Gymnasium envs registered on import, served through ``--import-module toy_envs``.

They keep tests fast and make edge cases (time limits, instability, non-Box spaces) easy to hit.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

TOY_COUNTER = "ToyCounter-v0"
TOY_UNSTABLE = "ToyUnstable-v0"
TOY_DISCRETE = "ToyDiscrete-v0"
TOY_MAX_STEPS = 5
UNSTABLE_AT_STEP = 3


class ToyCounterEnv(gym.Env):
    """obs = [steps, last applied action, reset noise]; reward = applied action.

    The reset noise comes from the env's seeded RNG, so seeding is observable. It terminates
    when the applied action is exactly the upper bound 1.0 (reachable by clipping).
    """

    def __init__(self) -> None:
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, shape=(3,), dtype=np.float64)
        self.action_space = gym.spaces.Box(-1.0, 1.0, shape=(1,), dtype=np.float32)
        self.dt = 0.1
        self._steps = 0
        self._noise = 0.0

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict]:
        super().reset(seed=seed)
        self._steps = 0
        self._noise = float(self.np_random.uniform())
        return np.array([0.0, 0.0, self._noise]), {}

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict]:
        self._steps += 1
        applied = float(action[0])
        obs = np.array([float(self._steps), applied, self._noise])
        return obs, applied, applied == 1.0, False, {}


class ToyUnstableEnv(ToyCounterEnv):
    """Like ToyCounterEnv, but its state turns NaN at step UNSTABLE_AT_STEP."""

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict]:
        obs, reward, terminated, truncated, info = super().step(action)
        if self._steps == UNSTABLE_AT_STEP:
            obs[0] = np.nan
        return obs, reward, terminated, truncated, info


class ToyDiscreteEnv(ToyCounterEnv):
    """A Discrete action space, which the server must refuse at start-up."""

    def __init__(self) -> None:
        super().__init__()
        self.action_space = gym.spaces.Discrete(2)


gym.register(TOY_COUNTER, entry_point=ToyCounterEnv, max_episode_steps=TOY_MAX_STEPS)
gym.register(TOY_UNSTABLE, entry_point=ToyUnstableEnv, max_episode_steps=100)
gym.register(TOY_DISCRETE, entry_point=ToyDiscreteEnv, max_episode_steps=10)
