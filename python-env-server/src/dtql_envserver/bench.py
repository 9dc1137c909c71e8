"""In-process stepping throughput of the vector env core (no gRPC).

``python -m dtql_envserver.bench [--task T] [--json] [--direct-gym] [--workers 1 2]`` steps N = 1,
16, 64 envs of a task (hopper unless ``--task`` names another default task, e.g. antmaze-umaze)
with random in-bounds actions and auto-reset on, and reports env steps per second of wall time
and per second of the bench process's CPU time (the cost on one core, whatever the load).
``--direct-gym`` adds a baseline: a plain Python loop over ``gym.make`` envs with their wrappers,
which shows what skipping the wrappers gains; ``--raw`` adds the floor, a bare loop over
unwrapped ``env.step`` with no checks or result arrays; ``--grpc`` adds Step round trips from a
Python client to the real CLI server in a subprocess. Configurations are measured in
interleaved rounds and the best round is reported, so that load from other processes skews them
all alike.

``--memory`` is a different measurement: the real CLI server in a subprocess, rounds of
``--sessions`` sessions x ``--num-envs`` envs created, reset, stepped and closed, and the
server's RSS printed after each round (``--no-malloc-trim`` runs the server without giving freed
memory back, for comparison).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc
import gymnasium as gym
import numpy as np

from dtql_envserver.affinity import parse_cpu_list, pin_process
from dtql_envserver.errors import NotFoundError
from dtql_envserver.memory import rss_bytes
from dtql_envserver.proto import env_pb2, env_pb2_grpc
from dtql_envserver.tasks import Task, TaskRegistry
from dtql_envserver.tensors import to_tensor
from dtql_envserver.vector_env import VectorEnv


@dataclass
class Bench:
    """One configuration: a callable stepping all its envs once, and how to clean up."""

    row: dict[str, object]
    step: Callable[[int], None]
    close: Callable[[], None]
    num_envs: int


def vector_env_bench(task: Task, num_envs: int, workers: int) -> Bench:
    """VectorEnv.step over all envs with auto-reset, float32 actions as a client sends them."""
    env = VectorEnv(task, list(range(num_envs)), workers=workers)
    env.reset()
    actions = _action_batches(task.action.low, task.action.high, num_envs)
    row = {"mode": "in_process", "task": task.task_id, "num_envs": num_envs, "workers": workers}
    return Bench(row, lambda i: env.step(None, actions[i % len(actions)]), env.close, num_envs)


def direct_gym_bench(task: Task, num_envs: int) -> Bench:
    """A plain loop over wrapped ``gym.make`` envs, resetting ended episodes by hand."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        envs = [gym.make(task.env_id) for _ in range(num_envs)]
    for i, e in enumerate(envs):
        e.reset(seed=i)
    actions = _action_batches(task.action.low, task.action.high, num_envs)

    def step_all(i: int) -> None:
        for e, a in zip(envs, actions[i % len(actions)], strict=True):
            _, _, terminated, truncated, _ = e.step(a)
            if terminated or truncated:
                e.reset()

    def close() -> None:
        for e in envs:
            e.close()

    row = {"mode": "direct_gym", "task": task.task_id, "num_envs": num_envs, "workers": 1}
    return Bench(row, step_all, close, num_envs)


def raw_unwrapped_bench(task: Task, num_envs: int) -> Bench:
    """The floor: unwrapped ``env.step`` in a loop, no checks, no clipping, no result arrays."""
    envs = [task.make_env() for _ in range(num_envs)]
    for i, e in enumerate(envs):
        e.reset(seed=i)
    actions = _action_batches(task.action.low, task.action.high, num_envs)

    def step_all(i: int) -> None:
        for e, a in zip(envs, actions[i % len(actions)], strict=True):
            _, _, terminated, _, _ = e.step(a)
            if terminated:
                e.reset()

    def close() -> None:
        for e in envs:
            e.close()

    row = {"mode": "raw_unwrapped", "task": task.task_id, "num_envs": num_envs, "workers": 1}
    return Bench(row, step_all, close, num_envs)


class ServerProcess:
    """The real CLI in a subprocess (its own GIL), for the gRPC round-trip figures."""

    def __init__(self, *extra_args: str) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "dtql_envserver", "--port", "0", "--log-level", "WARNING"]
            + list(extra_args),
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pid = self._proc.pid
        line = self._proc.stdout.readline().split()
        if len(line) != 2 or line[0] != "DTQL_ENV_SERVER_LISTENING":
            self._proc.kill()
            raise RuntimeError(f"server did not start: {line}")
        self.channel = grpc.insecure_channel(
            line[1], options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)]
        )
        self.stub = env_pb2_grpc.EnvServiceStub(self.channel)

    def close(self) -> None:
        """Closes the channel and SIGTERMs the server."""
        self.channel.close()
        self._proc.send_signal(signal.SIGTERM)
        self._proc.wait(timeout=30)


def grpc_bench(server: ServerProcess, task: Task, num_envs: int) -> Bench:
    """Step round trips through a Python gRPC client: serialisation + transport + the core."""
    stub = server.stub
    session = stub.CreateSession(
        env_pb2.CreateSessionRequest(task_id=task.task_id, num_envs=num_envs)
    ).session_id
    stub.Reset(env_pb2.ResetRequest(session_id=session))
    batches = _action_batches(task.action.low, task.action.high, num_envs)
    requests = [
        env_pb2.StepRequest(session_id=session, actions=to_tensor(batch)) for batch in batches
    ]

    def step(i: int) -> None:
        stub.Step(requests[i % len(requests)], timeout=60)

    def close() -> None:
        stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))

    row = {"mode": "grpc_python", "task": task.task_id, "num_envs": num_envs, "workers": 1}
    return Bench(row, step, close, num_envs)


def memory_rounds(
    server: ServerProcess,
    task_id: str,
    rounds: int,
    sessions: int,
    num_envs: int,
    steps: int = 10,
) -> list[int]:
    """The server's RSS in bytes after each round of opening, using and closing sessions.

    The sessions of a round are driven by concurrent clients, as parallel evaluations do: the
    server then builds and frees envs on several threads, hence in several malloc arenas.
    """
    stub = server.stub
    spec = stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id=task_id), timeout=60).spec
    zero = to_tensor(np.zeros((num_envs, *spec.action.shape), np.float32))

    def one_session(_: int) -> None:
        request = env_pb2.CreateSessionRequest(task_id=task_id, num_envs=num_envs)
        session = stub.CreateSession(request, timeout=120).session_id
        stub.Reset(env_pb2.ResetRequest(session_id=session), timeout=60)
        for _ in range(steps):
            stub.Step(env_pb2.StepRequest(session_id=session, actions=zero), timeout=60)
        stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session), timeout=60)

    rss = []
    with ThreadPoolExecutor(sessions) as clients:
        for _ in range(rounds):
            list(clients.map(one_session, range(sessions)))
            rss.append(rss_bytes(server.pid))
    return rss


def _memory_main(args: argparse.Namespace) -> int:
    server = ServerProcess(*(["--no-malloc-trim"] if args.no_malloc_trim else []))
    try:
        start = rss_bytes(server.pid)
        rss = memory_rounds(server, args.task, args.rounds, args.sessions, args.num_envs[0])
    finally:
        server.close()
    rows = [
        {
            "mode": "memory",
            "task": args.task,
            "sessions": args.sessions,
            "num_envs": args.num_envs[0],
            "malloc_trim": not args.no_malloc_trim,
            "round": i,
            "rss_mib": round(value / 2**20, 1),
        }
        for i, value in enumerate([start, *rss])
    ]
    if args.json:
        for row in rows:
            print(json.dumps(row, separators=(",", ":")))
    else:
        trim = "on" if not args.no_malloc_trim else "off"
        print(
            f"server RSS, {args.sessions} sessions x {args.num_envs[0]} {args.task} envs per "
            f"round, malloc_trim {trim} (round 0 = before any session)"
        )
        print(f"{'round':>5}{'RSS MiB':>10}")
        for row in rows:
            print(f"{row['round']:>5}{row['rss_mib']:>10.1f}")
    return 0


def _action_batches(low: np.ndarray, high: np.ndarray, num_envs: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.uniform(low, high, size=(64, num_envs, *np.shape(low))).astype(np.float32)


def _rate(bench: Bench, seconds: float) -> tuple[float, float]:
    """Env steps per second of wall time and per second of this process's CPU time.

    The CPU-time rate is what the work costs on one core whatever else shares the machine; for
    ``grpc_python`` it counts only the client's CPU, not the server's.
    """
    calls = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        bench.step(calls)
        calls += 1
    cpu = max(time.process_time() - cpu_start, 1e-9)
    return calls * bench.num_envs / elapsed, calls * bench.num_envs / cpu


def main(argv: list[str] | None = None) -> int:
    """Runs the benchmark and prints a table (or JSON lines)."""
    p = argparse.ArgumentParser(prog="python -m dtql_envserver.bench", description=__doc__)
    p.add_argument(
        "--task", default="hopper", help="any default task id, e.g. hopper or antmaze-umaze"
    )
    p.add_argument("--num-envs", type=int, nargs="+", default=[1, 16, 64])
    p.add_argument("--workers", type=int, nargs="+", default=[1], help="thread-pool sizes to try")
    p.add_argument("--seconds", type=float, default=1.0, help="wall time per config per round")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best is kept")
    p.add_argument("--direct-gym", action="store_true", help="add the gym.make loop baseline")
    p.add_argument("--raw", action="store_true", help="add the unwrapped env.step loop floor")
    p.add_argument("--grpc", action="store_true", help="add Step round trips via the real CLI")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--cpu-affinity", metavar="CPUS", help="pin this process, e.g. 1 or 0,2-3")
    p.add_argument(
        "--memory",
        action="store_true",
        help="instead: server RSS after each of --rounds rounds of --sessions sessions x the "
        "first --num-envs envs created, stepped and closed",
    )
    p.add_argument("--sessions", type=int, default=9, help="sessions per round (--memory)")
    p.add_argument(
        "--no-malloc-trim",
        action="store_true",
        help="with --memory: run the server without malloc_trim, for comparison",
    )
    args = p.parse_args(argv)
    if args.cpu_affinity is not None:
        try:
            pin_process(parse_cpu_list(args.cpu_affinity))
        except ValueError as e:
            p.error(f"--cpu-affinity: {e}")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    if args.memory:
        return _memory_main(args)

    try:
        task = TaskRegistry.create().get(args.task)
    except NotFoundError as e:
        p.error(f"--task: {e}")
    server = ServerProcess() if args.grpc else None
    benches = []
    for n in args.num_envs:
        if server is not None:
            benches.append(grpc_bench(server, task, n))
        benches += [vector_env_bench(task, n, w) for w in args.workers]
        if args.direct_gym:
            benches.append(direct_gym_bench(task, n))
        if args.raw:
            benches.append(raw_unwrapped_bench(task, n))
    best = [0.0] * len(benches)
    best_cpu = [0.0] * len(benches)
    try:
        for b in benches:
            for i in range(3):  # warm-up
                b.step(i)
        for _ in range(args.rounds):
            for i, b in enumerate(benches):
                wall, cpu = _rate(b, args.seconds)
                best[i], best_cpu[i] = max(best[i], wall), max(best_cpu[i], cpu)
    finally:
        for b in benches:
            b.close()
        if server is not None:
            server.close()

    rows = [
        {**b.row, "env_steps_per_s": round(r, 1), "env_steps_per_cpu_s": round(c, 1)}
        for b, r, c in zip(benches, best, best_cpu, strict=True)
    ]
    if args.json:
        for row in rows:
            print(json.dumps(row, separators=(",", ":")))
    else:
        print(
            f"{'mode':<14}{'task':<16}{'num_envs':>9}{'workers':>8}{'env steps/s':>14}"
            f"{'per CPU s':>12}"
        )
        for r in rows:
            cpu = "client" if r["mode"] == "grpc_python" else f"{r['env_steps_per_cpu_s']:.0f}"
            print(
                f"{r['mode']:<14}{r['task']:<16}{r['num_envs']:>9}{r['workers']:>8}"
                f"{r['env_steps_per_s']:>14.0f}{cpu:>12}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
