"""In-process stepping throughput of the vector env core (no gRPC).

``python -m dtql_envserver.bench [--json] [--direct-gym] [--workers 1 2]`` steps N = 1, 16, 64
envs of a task with random in-bounds actions and auto-reset on, and reports env steps per second.
``--direct-gym`` adds a baseline: a plain Python loop over ``gym.make`` envs with their wrappers,
which shows what skipping the wrappers gains.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import warnings

import gymnasium as gym
import numpy as np

from dtql_envserver.tasks import DEFAULT_TASKS, TaskRegistry
from dtql_envserver.vector_env import VectorEnv


def bench_vector_env(task_id: str, num_envs: int, workers: int, seconds: float) -> float:
    """Env steps/s of VectorEnv.step with auto-reset over roughly ``seconds`` of wall time."""
    task = TaskRegistry.create(include_defaults=True).get(task_id)
    env = VectorEnv(task, list(range(num_envs)), workers=workers)
    try:
        env.reset()
        actions = _action_batches(task.action.low, task.action.high, num_envs)
        return _timed(lambda i: env.step(None, actions[i % len(actions)]), num_envs, seconds)
    finally:
        env.close()


def bench_direct_gym(env_id: str, num_envs: int, seconds: float) -> float:
    """Env steps/s of a plain loop over wrapped ``gym.make`` envs, resetting ended episodes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        envs = [gym.make(env_id) for _ in range(num_envs)]
    try:
        for i, e in enumerate(envs):
            e.reset(seed=i)
        space = envs[0].action_space
        actions = _action_batches(space.low, space.high, num_envs)

        def step_all(i: int) -> None:
            batch = actions[i % len(actions)]
            for e, a in zip(envs, batch, strict=True):
                _, _, terminated, truncated, _ = e.step(a)
                if terminated or truncated:
                    e.reset()

        return _timed(step_all, num_envs, seconds)
    finally:
        for e in envs:
            e.close()


def _action_batches(low: np.ndarray, high: np.ndarray, num_envs: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    shape = (64, num_envs, *np.shape(low))
    return rng.uniform(low, high, size=shape).astype(np.float32)


def _timed(step, num_envs: int, seconds: float) -> float:
    for i in range(3):  # warm-up
        step(i)
    calls = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        step(calls)
        calls += 1
    return calls * num_envs / elapsed


def main(argv: list[str] | None = None) -> int:
    """Runs the benchmark and prints a table (or JSON lines)."""
    p = argparse.ArgumentParser(prog="python -m dtql_envserver.bench", description=__doc__)
    p.add_argument("--task", default="hopper", choices=sorted(DEFAULT_TASKS))
    p.add_argument("--num-envs", type=int, nargs="+", default=[1, 16, 64])
    p.add_argument("--workers", type=int, nargs="+", default=[1], help="thread-pool sizes to try")
    p.add_argument("--seconds", type=float, default=3.0, help="wall time per configuration")
    p.add_argument("--direct-gym", action="store_true", help="add the gym.make loop baseline")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    rows = []
    for n in args.num_envs:
        for w in args.workers:
            rate = bench_vector_env(args.task, n, w, args.seconds)
            rows.append(
                {
                    "mode": "in_process",
                    "task": args.task,
                    "num_envs": n,
                    "workers": w,
                    "env_steps_per_s": round(rate, 1),
                }
            )
        if args.direct_gym:
            rate = bench_direct_gym(DEFAULT_TASKS[args.task][0], n, args.seconds)
            rows.append(
                {
                    "mode": "direct_gym",
                    "task": args.task,
                    "num_envs": n,
                    "workers": 1,
                    "env_steps_per_s": round(rate, 1),
                }
            )
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(f"{'mode':<12}{'task':<12}{'num_envs':>9}{'workers':>8}{'env steps/s':>14}")
        for r in rows:
            print(
                f"{r['mode']:<12}{r['task']:<12}{r['num_envs']:>9}{r['workers']:>8}"
                f"{r['env_steps_per_s']:>14.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
