"""Info tensors: per-env values a task reports besides its observation, only when asked for.

A session names the infos it wants when it is created; every reset and step then copies them out
of each env right after the observation was made, so row j of an info describes the same state
as row j of the observations (after an auto-reset: the new episode's first state). Nothing is
read for a session that asked for none.

For MuJoCo envs the infos are the simulator state, as D4RL's datasets store it under
``infos/qpos`` and ``infos/qvel``: ``qpos`` is ``MjData.qpos`` in full (nq values, including the
root's x position that the locomotion observations leave out) and ``qvel`` is ``MjData.qvel`` (nv
values, not clipped as hopper's and walker2d's observations are). An env with more to report
defines ``extra_infos()`` returning its own :class:`InfoSpec` s (the antmaze tasks: ``goal``, the
episode's goal xy), which :func:`available_infos` lists after qpos and qvel. Values are float64.
This module knows nothing of gRPC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np

from dtql_envserver.errors import InvalidArgumentError


@dataclass(frozen=True)
class InfoSpec:
    """One info a task can report: its key, per-env shape, meaning, and how to read it."""

    name: str
    shape: tuple[int, ...]
    description: str
    # Returns the current value of an unwrapped env of the task (a view is fine: it is copied).
    read: Callable[[gym.Env], np.ndarray] = field(compare=False, repr=False)


def _qpos(env: gym.Env) -> np.ndarray:
    return env.data.qpos


def _qvel(env: gym.Env) -> np.ndarray:
    return env.data.qvel


def available_infos(env: gym.Env) -> tuple[InfoSpec, ...]:
    """The infos an unwrapped env can report: qpos and qvel for MuJoCo envs, then the env's own
    ``extra_infos()`` if it defines them."""
    extra = getattr(env, "extra_infos", None)
    extras = tuple(extra()) if callable(extra) else ()
    return _mujoco_infos(env) + extras


def _mujoco_infos(env: gym.Env) -> tuple[InfoSpec, ...]:
    data = getattr(env, "data", None)
    if data is None:
        return ()
    try:
        import mujoco
    except ImportError:  # gymnasium without the mujoco extra: no MuJoCo env can exist
        return ()
    if not isinstance(data, mujoco.MjData):
        return ()
    nq, nv = len(data.qpos), len(data.qvel)
    return (
        InfoSpec("qpos", (nq,), f"MjData.qpos: the generalized positions, all nq = {nq}", _qpos),
        InfoSpec("qvel", (nv,), f"MjData.qvel: the generalized velocities, all nv = {nv}", _qvel),
    )


def select_infos(
    task_id: str, available: Iterable[InfoSpec], keys: Iterable[str]
) -> tuple[InfoSpec, ...]:
    """The specs of ``keys``, in that order; INVALID_ARGUMENT for an unknown or repeated key."""
    by_name = {spec.name: spec for spec in available}
    chosen: list[InfoSpec] = []
    for key in keys:
        spec = by_name.get(key)
        if spec is None:
            known = ", ".join(by_name) if by_name else "none"
            raise InvalidArgumentError(
                f"info_keys contains {key!r}, which task {task_id!r} does not report; "
                f"available: {known}"
            )
        if spec in chosen:
            raise InvalidArgumentError(f"info_keys contains {key!r} twice")
        chosen.append(spec)
    return tuple(chosen)
