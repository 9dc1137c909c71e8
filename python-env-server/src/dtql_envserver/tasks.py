"""The task registry: which simulations this server hosts and what their specs are.

Default task ids name Gymnasium's v4 MuJoCo locomotion envs, the closest to D4RL's v2 tasks (v4
pays the healthy reward every step like v2; observations, rewards, termination and resets equal
v2/v3), their ``*-legacy-inertia`` variants, the D4RL-compatible ``antmaze-*`` tasks
(``antmaze.py``) and ``ant-goal``, which trains their datasets' walking controller
(``antgoal.py``). Any other Gymnasium env with Box action space and a Box observation space (or
a Dict of Box observations, served flattened) can be served under its own env id by putting it
on the allow-list. This module knows nothing of gRPC.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import gymnasium as gym
import numpy as np

from dtql_envserver.errors import NotFoundError, StartupError
from dtql_envserver.infos import InfoSpec, available_infos, select_infos

log = logging.getLogger(__name__)

DEFAULT_TASKS: dict[str, tuple[str, str]] = {
    "hopper": ("Hopper-v4", "Gymnasium Hopper-v4, the closest to D4RL's hopper (gym Hopper-v2)"),
    "walker2d": (
        "Walker2d-v4",
        "Gymnasium Walker2d-v4, the closest to D4RL's walker2d (gym Walker2d-v2)",
    ),
    "halfcheetah": (
        "HalfCheetah-v4",
        "Gymnasium HalfCheetah-v4, the closest to D4RL's halfcheetah (gym HalfCheetah-v2)",
    ),
}
DEFAULT_MAX_EPISODE_STEPS = 1000

SUPPORTED_DTYPES = frozenset(
    np.dtype(t) for t in (np.float32, np.float64, np.int32, np.int64, np.bool_, np.uint8)
)


@dataclass(frozen=True)
class BoxInfo:
    """A Box space as plain values: dtype, shape and per-element float64 bounds (+-inf allowed)."""

    dtype: np.dtype
    shape: tuple[int, ...]
    low: np.ndarray
    high: np.ndarray

    @staticmethod
    def from_space(space: gym.Space, what: str, env_id: str) -> BoxInfo:
        """Converts a gymnasium Box; refuses any other space type or an unsupported dtype."""
        if not isinstance(space, gym.spaces.Box):
            raise StartupError(
                f"env {env_id!r}: {what} space is {type(space).__name__}, only Box spaces can be "
                "served"
            )
        dtype = np.dtype(space.dtype)
        if dtype not in SUPPORTED_DTYPES:
            raise StartupError(f"env {env_id!r}: {what} dtype {dtype} is not supported")
        shape = tuple(int(d) for d in space.shape)
        low = np.broadcast_to(np.asarray(space.low, dtype=np.float64), shape).copy()
        high = np.broadcast_to(np.asarray(space.high, dtype=np.float64), shape).copy()
        return BoxInfo(dtype=dtype, shape=shape, low=low, high=high)


@dataclass(frozen=True)
class Task:
    """One servable task: its spec and how to build a fresh, unwrapped env of it."""

    task_id: str
    env_id: str
    description: str
    observation: BoxInfo
    action: BoxInfo
    max_episode_steps: int  # 0 = no time limit
    control_timestep: float
    simulator: str
    simulator_version: str
    model_sha256: str
    metadata: dict[str, str] = field(default_factory=dict)
    infos: tuple[InfoSpec, ...] = ()  # what a session may ask for besides observations
    # For an env with a Dict observation space: its keys, concatenated in this order.
    flatten_keys: tuple[str, ...] | None = None

    def make_env(self) -> gym.Env:
        """A new env without gymnasium's wrappers: the server tracks the time limit itself."""
        env = make_unwrapped(self.env_id)
        if self.flatten_keys is not None:
            return FlatDictObservation(env, self.flatten_keys)
        return env

    def select_infos(self, keys: Sequence[str]) -> tuple[InfoSpec, ...]:
        """The specs of these info keys, in order; INVALID_ARGUMENT if unknown or repeated."""
        return select_infos(self.task_id, self.infos, keys)


def make_unwrapped(env_id: str) -> gym.Env:
    """``gym.make(env_id).unwrapped``, with the v4 deprecation warning silenced (v4 is chosen)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return gym.make(env_id, disable_env_checker=True).unwrapped


class FlatDictObservation:
    """An unwrapped env whose Dict observations (of Box spaces) are served as one flat vector.

    The keys are concatenated in the Dict space's order, as ``gymnasium.spaces.flatten`` does;
    everything the server reads besides observations (``data`` for the info tensors and the
    instability probe) is the env's own.
    """

    def __init__(self, env: gym.Env, keys: Sequence[str]) -> None:
        self.env = env
        self.keys = tuple(keys)
        self.unwrapped = env

    @property
    def data(self) -> object:
        return getattr(self.env, "data", None)

    def _flat(self, observation: dict) -> np.ndarray:
        return np.concatenate([np.asarray(observation[k]).reshape(-1) for k in self.keys])

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple:
        observation, info = self.env.reset(seed=seed, options=options)
        return self._flat(observation), info

    def step(self, action: np.ndarray) -> tuple:
        observation, reward, terminated, truncated, info = self.env.step(action)
        return self._flat(observation), reward, terminated, truncated, info

    def close(self) -> None:
        self.env.close()


def _flat_observation_space(
    space: gym.Space, env_id: str
) -> tuple[gym.spaces.Box, tuple[str, ...]]:
    """A Dict of Box spaces as one Box (keys in the Dict's order); StartupError otherwise."""
    keys = tuple(space.spaces)
    parts = list(space.spaces.values())
    if not keys or not all(isinstance(p, gym.spaces.Box) for p in parts):
        raise StartupError(
            f"env {env_id!r}: observation space is a Dict whose values are not all Box spaces; "
            "only Box spaces (or a Dict of them) can be served"
        )
    dtypes = {np.dtype(p.dtype) for p in parts}
    if len(dtypes) != 1:
        raise StartupError(
            f"env {env_id!r}: observation Dict mixes dtypes {sorted(map(str, dtypes))}"
        )
    low = np.concatenate([np.broadcast_to(p.low, p.shape).reshape(-1) for p in parts])
    high = np.concatenate([np.broadcast_to(p.high, p.shape).reshape(-1) for p in parts])
    return gym.spaces.Box(low, high, dtype=dtypes.pop()), keys


def _simulator_facts(env: gym.Env) -> tuple[str, str, str]:
    """(simulator, simulator_version, model_sha256) of an unwrapped env.

    The hash is of the model file, or of the XML text an env compiled (``model_xml``: the
    legacy-inertia and antmaze envs), or else, for an env that only exposes its ``MjData`` and
    ``MjModel`` (Gymnasium-Robotics' mazes), of the compiled model saved as MJB.
    """
    try:
        import mujoco
        from gymnasium.envs.mujoco.mujoco_env import MujocoEnv
    except ImportError:  # gymnasium without the mujoco extra
        return type(env).__module__, "", ""
    compiled = getattr(env, "model_xml", None)
    if isinstance(env, MujocoEnv):
        model_bytes = compiled.encode() if compiled else Path(env.fullpath).read_bytes()
    elif isinstance(getattr(env, "data", None), mujoco.MjData):
        if compiled:
            model_bytes = compiled.encode()
        else:
            model = env.model
            buffer = np.zeros(mujoco.mj_sizeModel(model), dtype=np.uint8)
            mujoco.mj_saveModel(model, None, buffer)
            model_bytes = buffer.tobytes()
    else:
        return type(env).__module__, "", ""
    return "mujoco", mujoco.__version__, hashlib.sha256(model_bytes).hexdigest()


def build_task(
    task_id: str, env_id: str, description: str, max_episode_steps: int | None = None
) -> Task:
    """Builds one env to read its spaces and facts; raises StartupError if it cannot be served."""
    try:
        env_spec = gym.spec(env_id)
    except gym.error.Error as e:
        raise StartupError(f"unknown Gymnasium env id {env_id!r}: {e}") from e
    env = make_unwrapped(env_id)
    try:
        observation_space = env.observation_space
        flatten_keys = None
        if isinstance(observation_space, gym.spaces.Dict):
            observation_space, flatten_keys = _flat_observation_space(observation_space, env_id)
        observation = BoxInfo.from_space(observation_space, "observation", env_id)
        action = BoxInfo.from_space(env.action_space, "action", env_id)
        if not np.issubdtype(action.dtype, np.floating):
            raise StartupError(f"env {env_id!r}: action dtype {action.dtype} is not floating")
        simulator, simulator_version, model_sha256 = _simulator_facts(env)
        control_timestep = float(getattr(env, "dt", 0.0))
        infos = available_infos(env)
        task_metadata = getattr(env, "task_metadata", None)
        extra_metadata = dict(task_metadata()) if callable(task_metadata) else {}
    finally:
        env.close()
    if max_episode_steps is None:
        max_episode_steps = env_spec.max_episode_steps or 0
    metadata = {
        "gymnasium_version": gym.__version__,
        "autoreset_modes": "next_step,disabled",
        "action_clipping": "clip to action bounds before stepping (as D4RL NormalizedBoxEnv)",
        "time_limit": "server-side; truncated at max_episode_steps (0 = none)",
        "env_entry_point": str(env_spec.entry_point),
    }
    if flatten_keys is not None:
        metadata["observation_flattened"] = (
            f"Dict observation served as one vector: {', '.join(flatten_keys)}, in this order"
        )
    metadata.update(extra_metadata)
    return Task(
        task_id=task_id,
        env_id=env_id,
        description=description,
        observation=observation,
        action=action,
        max_episode_steps=int(max_episode_steps),
        control_timestep=control_timestep,
        simulator=simulator,
        simulator_version=simulator_version,
        model_sha256=model_sha256,
        metadata=metadata,
        infos=infos,
        flatten_keys=flatten_keys,
    )


class TaskRegistry:
    """The tasks one server hosts, looked up by task id."""

    def __init__(self, tasks: Iterable[Task]) -> None:
        self._tasks: dict[str, Task] = {}
        for task in tasks:
            if task.task_id in self._tasks:
                raise StartupError(f"task id {task.task_id!r} is registered twice")
            self._tasks[task.task_id] = task

    @classmethod
    def create(
        cls,
        allow_envs: Iterable[str] = (),
        import_modules: Iterable[str] = (),
        include_defaults: bool = True,
    ) -> TaskRegistry:
        """Imports user modules (they register envs), then builds defaults and allowed envs."""
        for module in import_modules:
            import_user_module(module)
        tasks = []
        if include_defaults:
            for task_id, (env_id, description) in DEFAULT_TASKS.items():
                tasks.append(build_task(task_id, env_id, description, DEFAULT_MAX_EPISODE_STEPS))
            tasks += legacy_inertia_tasks()
            tasks += antmaze_tasks()
            tasks.append(ant_goal_task())
        for env_id in dict.fromkeys(allow_envs):  # keeps order, drops repeats
            tasks.append(build_task(env_id, env_id, f"Gymnasium env {env_id} (allow-listed)"))
        registry = cls(tasks)
        log.info("loaded tasks: %s", ", ".join(registry.task_ids()))
        return registry

    def task_ids(self) -> list[str]:
        """Task ids in registration order."""
        return list(self._tasks)

    def tasks(self) -> list[Task]:
        """All tasks in registration order."""
        return list(self._tasks.values())

    def get(self, task_id: str) -> Task:
        """The task, or NotFoundError naming the id and the known ids."""
        task = self._tasks.get(task_id)
        if task is None:
            raise NotFoundError(f"unknown task_id {task_id!r}; known: {', '.join(self._tasks)}")
        return task


def legacy_inertia_tasks() -> list[Task]:
    """The ``<task>-legacy-inertia`` variants (v4 envs with mujoco-py-era inertials pinned)."""
    from dtql_envserver.legacy_inertia import LEGACY_TASKS, register_legacy_envs

    register_legacy_envs()
    return [
        build_task(
            task_id,
            env_id,
            f"{DEFAULT_TASKS[task_id.removesuffix('-legacy-inertia')][0]} with the mujoco-py-era "
            "(pre-2.1.1 capsule) body inertials pinned, closer to the D4RL datasets' simulator",
            DEFAULT_MAX_EPISODE_STEPS,
        )
        for task_id, (env_id, _) in LEGACY_TASKS.items()
    ]


def antmaze_tasks() -> list[Task]:
    """The D4RL-compatible antmaze evaluation tasks and the tasks datasets are collected in."""
    from dtql_envserver.antmaze import (
        ANTMAZE_COLLECT_TASKS,
        ANTMAZE_TASKS,
        MAZES,
        register_antmaze_envs,
    )

    register_antmaze_envs()
    evaluation = [
        build_task(
            task_id,
            env_id,
            f"D4RL antmaze-{maze}-v2 evaluation ({MAZES[maze].d4rl_map}) on the mujoco bindings: "
            "D4RL's ant, walls as boxes, goal drawn in the goal cell at every reset, reward 1 and "
            "termination within 0.5 of it",
        )
        for task_id, (env_id, maze) in ANTMAZE_TASKS.items()
    ]
    collection = [
        build_task(
            task_id,
            env_id,
            f"antmaze-{maze} as D4RL recorded its datasets: the same maze, goal and sparse reward, "
            "no termination at the goal, 1000-step episodes, "
            + ("starts in random free cells" if multistart else "starts in the R cell"),
        )
        for task_id, (env_id, maze, multistart) in ANTMAZE_COLLECT_TASKS.items()
    ]
    return evaluation + collection


def ant_goal_task() -> Task:
    """``ant-goal``: D4RL's ant walking to successive goals on an open floor (``antgoal.py``)."""
    from dtql_envserver.antgoal import ENV_ID, TASK_ID, register_ant_goal_env

    register_ant_goal_env()
    return build_task(
        TASK_ID,
        ENV_ID,
        "D4RL's antmaze ant on an open floor walking to one goal after another (goal given in "
        "its heading frame): the task that trains the antmaze datasets' goal-reaching controller",
    )


def import_user_module(module: str, importer: Callable[[str], object] | None = None) -> None:
    """Imports a module that registers envs with gymnasium; StartupError if it fails."""
    try:
        (importer or importlib.import_module)(module)
    except Exception as e:  # any failure in user code is a start-up error with its cause
        raise StartupError(f"--import-module {module!r} failed: {type(e).__name__}: {e}") from e
    log.info("imported user module %s", module)
