"""The batched stepping core of a session: N sub-envs of one task, stepped in one call.

Each sub-env is its own unwrapped gymnasium env with its own RNG, seeded at its first reset and
continuing that RNG on later resets unless new seeds are given. The step path is kept cheap: the
unwrapped env's ``step`` is called directly (no TimeLimit/OrderEnforcing/checker wrappers; the
time limit is tracked here), results go into preallocated arrays that the caller serialises
once. Actions are clipped to the action bounds first, as D4RL's NormalizedBoxEnv does, and keep
the dtype the client sent (gymnasium's own float32 actions then give bit-identical rewards).
Info tensors (``infos.py``) a session asked for are copied out of each env right after its
observation, into preallocated buffers too; a session that asked for none reads nothing.
This module knows nothing of gRPC.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import gymnasium as gym
import numpy as np

from dtql_envserver.errors import FailedPreconditionError, InvalidArgumentError
from dtql_envserver.tasks import Task

log = logging.getLogger(__name__)

# Rows per worker below which a thread pool costs more than it saves.
MIN_ROWS_PER_WORKER = 4


class AutoReset(enum.Enum):
    """What happens to an env whose episode ended (values match the proto enum)."""

    NEXT_STEP = 1
    DISABLED = 2


class EnvStatus(enum.IntEnum):
    """Per-env outcome of a step (values match the proto enum)."""

    OK = 0
    PHYSICS_UNSTABLE = 1


@dataclass(frozen=True)
class ResetResult:
    """Views into the session's preallocated buffers, valid until the next call on the session."""

    env_ids: np.ndarray  # [k] int64
    observations: np.ndarray  # [k, obs...]
    infos: dict[str, np.ndarray]  # per requested key: [k, shape...] float64; {} if none


@dataclass(frozen=True)
class StepResult:
    """Views into the session's preallocated buffers, valid until the next call on the session."""

    env_ids: np.ndarray  # [k] int64
    observations: np.ndarray  # [k, obs...]
    rewards: np.ndarray  # [k] float64
    terminated: np.ndarray  # [k] bool
    truncated: np.ndarray  # [k] bool
    reset_happened: np.ndarray  # [k] bool
    status: np.ndarray  # [k] int32 (EnvStatus values)
    episode_steps: np.ndarray  # [k] uint32
    infos: dict[str, np.ndarray]  # per requested key: [k, shape...] float64; {} if none


class _InstabilityProbe:
    """Detects unstable physics in one env: MuJoCo's bad-state warnings or non-finite results.

    MuJoCo checks qpos, qvel and qacc inside every substep and, when one is NaN/Inf/huge, warns
    and resets the data; so a rising warning counter is the reliable signal. The finiteness check
    of observation and reward catches the rest (and is the only check for non-MuJoCo envs).
    """

    def __init__(self, env: gym.Env) -> None:
        data = getattr(env, "data", None)
        self._counters: np.ndarray | None = None
        self._warning_ids: list[int] = []
        if data is not None and hasattr(data, "warning"):
            import mujoco

            # A live view of mjData's warning counters: reading it costs no Python objects.
            self._counters = data.warning.number
            self._warning_ids = [
                int(mujoco.mjtWarning.mjWARN_BADQACC),
                int(mujoco.mjtWarning.mjWARN_BADQVEL),
                int(mujoco.mjtWarning.mjWARN_BADQPOS),
            ]

    def warning_count(self) -> int:
        """The sum of MuJoCo's bad-state warning counters (0 for non-MuJoCo envs)."""
        if self._counters is None:
            return 0
        c, ids = self._counters, self._warning_ids
        return int(c[ids[0]]) + int(c[ids[1]]) + int(c[ids[2]])

    def unstable(self, count_before: int, observation: np.ndarray, reward: float) -> bool:
        """True if a warning fired since ``count_before`` or observation/reward is not finite."""
        if self._counters is not None and self.warning_count() > count_before:
            return True
        if not math.isfinite(float(reward)):
            return True
        # One reduction instead of an element-wise mask: a NaN/Inf anywhere makes the sum so.
        return observation.dtype.kind == "f" and not math.isfinite(float(observation.sum()))


class VectorEnv:
    """N sub-environments of one task with batched reset and step."""

    def __init__(
        self,
        task: Task,
        seeds: Sequence[int],
        autoreset: AutoReset = AutoReset.NEXT_STEP,
        workers: int = 1,
        info_keys: Sequence[str] = (),
    ) -> None:
        if len(seeds) == 0:
            raise InvalidArgumentError("num_envs = 0: a session needs at least one env")
        for i, seed in enumerate(seeds):
            _check_seed(f"env_seeds[{i}]", seed)
        if workers < 1:
            raise ValueError(f"workers = {workers} must be >= 1")
        info_specs = task.select_infos(info_keys)
        self.task = task
        self.autoreset = autoreset
        self.seeds = [int(s) for s in seeds]
        n = len(self.seeds)
        self._envs = [task.make_env() for _ in range(n)]
        self._probes = [_InstabilityProbe(env) for env in self._envs]
        self._pending_seed: list[int | None] = list(self.seeds)
        self._started = np.zeros(n, dtype=bool)
        self._ended = np.zeros(n, dtype=bool)
        self._steps = np.zeros(n, dtype=np.int64)
        self._obs = np.zeros((n, *task.observation.shape), dtype=task.observation.dtype)
        self._rewards = np.zeros(n, dtype=np.float64)
        self._terminated = np.zeros(n, dtype=bool)
        self._truncated = np.zeros(n, dtype=bool)
        self._reset_happened = np.zeros(n, dtype=bool)
        self._status = np.zeros(n, dtype=np.int32)
        self._episode_steps = np.zeros(n, dtype=np.uint32)
        self.info_keys = [spec.name for spec in info_specs]
        self._infos = {spec.name: np.zeros((n, *spec.shape)) for spec in info_specs}
        # (reader, buffer) per requested info; empty, and never looped over, if none was asked for.
        self._info_readers = [(spec.read, self._infos[spec.name]) for spec in info_specs]
        self._action_bounds = {
            np.dtype(dt): (task.action.low.astype(dt), task.action.high.astype(dt))
            for dt in (np.float32, np.float64)
        }
        self._unstable_count = 0
        self._all_ids = np.arange(n, dtype=np.int64)
        self._all_ids.flags.writeable = False
        self._workers = workers
        self._pool = ThreadPoolExecutor(workers, "vector-env") if workers > 1 else None

    @property
    def num_envs(self) -> int:
        """N, the number of sub-environments."""
        return len(self._envs)

    def unwrapped_env(self, env_id: int) -> gym.Env:
        """Sub-env ``env_id`` itself (for tests and diagnostics)."""
        return self._envs[env_id]

    def close(self) -> None:
        """Closes every sub-env and the worker pool."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for env in self._envs:
            env.close()

    # --- reset ----------------------------------------------------------------------------------

    def reset(
        self, env_ids: Sequence[int] | None = None, seeds: Sequence[int] | None = None
    ) -> ResetResult:
        """Resets the given envs (all if empty), reseeding them if seeds are given.

        The result holds views into the session's buffers, valid until the next call.
        """
        ids = self._select(env_ids)
        if seeds is not None and len(seeds) > 0:
            if len(seeds) != len(ids):
                raise InvalidArgumentError(
                    f"seeds has {len(seeds)} entries but {len(ids)} envs are reset; give one seed "
                    "per reset env or none"
                )
            for j, seed in enumerate(seeds):
                _check_seed(f"seeds[{j}]", seed)
            for j, env_id in enumerate(ids):
                self._pending_seed[env_id] = int(seeds[j])
        for j, env_id in enumerate(ids.tolist()):
            self._obs[j] = self._reset_one(env_id)
            if self._info_readers:
                self._read_infos(j, env_id)
        k = len(ids)
        return ResetResult(env_ids=ids, observations=self._obs[:k], infos=self._info_views(k))

    def _reset_one(self, env_id: int) -> np.ndarray:
        seed = self._pending_seed[env_id]
        self._pending_seed[env_id] = None
        observation, _ = self._envs[env_id].reset(seed=seed)
        self._started[env_id] = True
        self._ended[env_id] = False
        self._steps[env_id] = 0
        return observation

    # --- step -----------------------------------------------------------------------------------

    def step(self, env_ids: Sequence[int] | None, actions: np.ndarray) -> StepResult:
        """Steps the given envs (all if empty) with one action row each.

        Validates everything before stepping anything, so a refused call changes no env.
        """
        ids = self._select(env_ids)
        k = len(ids)
        expected = (k, *self.task.action.shape)
        if tuple(actions.shape) != expected:
            raise InvalidArgumentError(
                f"actions has shape {list(actions.shape)}, expected {list(expected)} "
                f"({k} envs x action shape {list(self.task.action.shape)})"
            )
        bounds = self._action_bounds.get(actions.dtype)
        if bounds is None:
            raise InvalidArgumentError(
                f"actions dtype {actions.dtype} is not allowed; send float32 or float64"
            )
        if not np.isfinite(actions).all():
            finite_rows = np.isfinite(actions.reshape(k, -1)).all(axis=1)
            row = int(np.flatnonzero(~finite_rows)[0])
            raise InvalidArgumentError(
                f"actions row {row} (env id {int(ids[row])}) contains NaN or Inf: "
                f"{actions[row].tolist()}"
            )
        if not self._started[ids].all():
            not_started = ids[~self._started[ids]]
            raise FailedPreconditionError(
                f"env id {int(not_started[0])} has not been reset; call Reset before Step"
            )
        if self.autoreset is AutoReset.DISABLED and self._ended[ids].any():
            ended = ids[self._ended[ids]]
            raise FailedPreconditionError(
                f"env id {int(ended[0])} has ended its episode and autoreset is DISABLED; "
                "Reset it before stepping it again"
            )
        clipped = np.clip(actions, bounds[0], bounds[1])
        id_list = ids.tolist()  # Python ints index lists and arrays faster than numpy scalars
        if self._pool is not None and k >= self._workers * MIN_ROWS_PER_WORKER:
            chunks = np.array_split(np.arange(k), self._workers)
            list(self._pool.map(lambda rows: self._step_rows(rows, id_list, clipped), chunks))
        else:
            self._step_rows(range(k), id_list, clipped)
        return StepResult(
            env_ids=ids,
            observations=self._obs[:k],
            rewards=self._rewards[:k],
            terminated=self._terminated[:k],
            truncated=self._truncated[:k],
            reset_happened=self._reset_happened[:k],
            status=self._status[:k],
            episode_steps=self._episode_steps[:k],
            infos=self._info_views(k),
        )

    def _info_views(self, k: int) -> dict[str, np.ndarray]:
        return {key: buffer[:k] for key, buffer in self._infos.items()}

    def _read_infos(self, j: int, env_id: int) -> None:
        """Copies env ``env_id``'s requested infos into row ``j``: the state just observed."""
        env = self._envs[env_id]
        for read, buffer in self._info_readers:
            buffer[j] = read(env)

    def _step_rows(self, rows: Sequence[int], ids: list[int], actions: np.ndarray) -> None:
        for j in rows:
            env_id = ids[j]
            if self._ended[env_id]:
                self._auto_reset_row(j, env_id)
            else:
                self._step_row(j, env_id, actions[j])

    def _auto_reset_row(self, j: int, env_id: int) -> None:
        self._obs[j] = self._reset_one(env_id)
        if self._info_readers:
            self._read_infos(j, env_id)  # the new episode's first state, as the observation
        self._rewards[j] = 0.0
        self._terminated[j] = False
        self._truncated[j] = False
        self._reset_happened[j] = True
        self._status[j] = EnvStatus.OK
        self._episode_steps[j] = 0

    def _step_row(self, j: int, env_id: int, action: np.ndarray) -> None:
        probe = self._probes[env_id]
        warnings_before = probe.warning_count()
        observation, reward, terminated, truncated, _ = self._envs[env_id].step(action)
        observation = np.asarray(observation)
        steps = int(self._steps[env_id]) + 1
        self._steps[env_id] = steps
        terminated = bool(terminated)
        truncated = bool(truncated)
        status = EnvStatus.OK
        if probe.unstable(warnings_before, observation, reward):
            # Not an MDP terminal: the episode is cut short, like a time limit.
            status = EnvStatus.PHYSICS_UNSTABLE
            terminated, truncated = False, True
            if not math.isfinite(float(reward)):
                reward = 0.0  # a NaN reward would poison every return it is summed into
            self._unstable_count += 1
            # The first one per session is worth a warning; a flaky model must not flood the log.
            log.log(
                logging.WARNING if self._unstable_count == 1 else logging.DEBUG,
                "env %d of task %s went physically unstable at episode step %d; episode "
                "truncated (%d in this session so far; later ones are logged at DEBUG)",
                env_id,
                self.task.task_id,
                steps,
                self._unstable_count,
            )
        limit = self.task.max_episode_steps
        if limit > 0 and steps >= limit and not terminated:
            truncated = True
        self._obs[j] = observation
        if self._info_readers:
            self._read_infos(j, env_id)
        self._rewards[j] = reward
        self._terminated[j] = terminated
        self._truncated[j] = truncated
        self._reset_happened[j] = False
        self._status[j] = status
        self._episode_steps[j] = steps
        self._ended[env_id] = terminated or truncated

    def _select(self, env_ids: Sequence[int] | None) -> np.ndarray:
        n = self.num_envs
        if env_ids is None or len(env_ids) == 0:
            return self._all_ids
        ids = np.asarray(env_ids, dtype=np.int64)
        bad = ids[(ids < 0) | (ids >= n)]
        if len(bad) > 0:
            raise InvalidArgumentError(
                f"env_ids contains {int(bad[0])}, out of range for a session of {n} envs "
                f"(valid 0..{n - 1})"
            )
        unique, counts = np.unique(ids, return_counts=True)
        if (counts > 1).any():
            raise InvalidArgumentError(f"env_ids contains {int(unique[counts > 1][0])} twice")
        return ids


INT64_MAX = 2**63 - 1


def _check_seed(field_name: str, seed: int) -> None:
    if int(seed) < 0:
        raise InvalidArgumentError(f"{field_name} = {seed} is negative; seeds must be >= 0")
    if int(seed) > INT64_MAX:  # base_seed + i can overflow the int64 the response echoes
        raise InvalidArgumentError(f"{field_name} = {seed} does not fit in an int64")
