"""The real CLI as a subprocess: the LISTENING line, health, SIGTERM, start-up errors."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
import toy_envs
from grpc_health.v1 import health_pb2, health_pb2_grpc

from dtql_envserver.proto import env_pb2, env_pb2_grpc

TESTS_DIR = Path(__file__).resolve().parent
LISTENING = re.compile(r"^DTQL_ENV_SERVER_LISTENING (\S+):(\d+)\n$")


def cli(*args: str) -> subprocess.Popen:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(TESTS_DIR), os.environ.get("PYTHONPATH", "")])
    )
    return subprocess.Popen(
        [sys.executable, "-m", "dtql_envserver", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_cli_prints_listening_line_serves_and_exits_zero_on_sigterm():
    proc = cli("--port", "0", "--import-module", "toy_envs", "--allow-env", toy_envs.TOY_COUNTER)
    try:
        line = proc.stdout.readline()
        match = LISTENING.match(line)
        assert match, f"unexpected first stdout line {line!r}; stderr: {proc.stderr.read()}"
        host, port = match.group(1), int(match.group(2))
        assert host == "127.0.0.1" and port > 0
        with grpc.insecure_channel(f"{host}:{port}") as channel:
            health = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service="dtql.env.v1.EnvService"), timeout=10
            )
            assert health.status == health_pb2.HealthCheckResponse.SERVING
            stub = env_pb2_grpc.EnvServiceStub(channel)
            tasks = [t.task_id for t in stub.ListTasks(env_pb2.ListTasksRequest()).tasks]
            assert tasks[:3] == ["hopper", "walker2d", "halfcheetah"]
            assert tasks[-1] == toy_envs.TOY_COUNTER
            stub.CreateSession(env_pb2.CreateSessionRequest(task_id="hopper", num_envs=2))
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert out == "", "nothing but the LISTENING line may go to stdout"
        assert "received SIGTERM" in err and "session" in err and "server shutdown" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-sessions", "0"], "--max-sessions"),
        (["--allow-env", "NoSuchEnv-v9"], "unknown Gymnasium env id 'NoSuchEnv-v9'"),
        (["--import-module", "no_such_module_xyz"], "--import-module 'no_such_module_xyz' failed"),
        (
            ["--import-module", "toy_envs", "--allow-env", toy_envs.TOY_DISCRETE],
            "action space is Discrete, only Box spaces can be served",
        ),
        (["--cpu-affinity", "4096"], "--cpu-affinity: CPU(s) [4096] are not available"),
        (["--cpu-affinity", "one"], "--cpu-affinity: cpu list 'one'"),
    ],
)
def test_startup_errors_exit_2_with_a_clear_message(args, message):
    proc = cli("--port", "0", *args)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert out == ""
    assert message in err


def test_cpu_affinity_pins_the_server_process_and_its_threads():
    cpu = min(os.sched_getaffinity(0))
    proc = cli("--port", "0", "--cpu-affinity", str(cpu))
    try:
        line = proc.stdout.readline()
        assert LISTENING.match(line), f"unexpected {line!r}; stderr: {proc.stderr.read()}"
        threads = list(Path(f"/proc/{proc.pid}/task").iterdir())
        assert len(threads) > 1, "the gRPC server runs threads of its own"
        for thread in threads:
            assert os.sched_getaffinity(int(thread.name)) == {cpu}, f"thread {thread.name}"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
