"""Shared fixtures: a task registry with the toy envs, and live in-process servers on port 0."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import grpc
import pytest
import toy_envs

from dtql_envserver import PROTOCOL_MAJOR, PROTOCOL_MINOR
from dtql_envserver.proto import env_pb2, env_pb2_grpc
from dtql_envserver.server import EnvServer, ServerConfig
from dtql_envserver.tasks import TaskRegistry

warnings.filterwarnings("ignore", category=DeprecationWarning)  # gymnasium's v4 notice


@pytest.fixture(scope="session")
def registry() -> TaskRegistry:
    """Default tasks plus the toy envs, loaded once."""
    return TaskRegistry.create(
        allow_envs=[toy_envs.TOY_COUNTER, toy_envs.TOY_UNSTABLE], import_modules=["toy_envs"]
    )


@pytest.fixture
def start_server(registry: TaskRegistry) -> Iterator[Callable[..., tuple[EnvServer, object]]]:
    """Starts servers with a given config; returns (server, stub); stops them after the test."""
    started: list[tuple[EnvServer, grpc.Channel]] = []

    def start(config: ServerConfig | None = None) -> tuple[EnvServer, object]:
        server = EnvServer(config or ServerConfig(port=0), registry)
        port = server.start()
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        started.append((server, channel))
        return server, env_pb2_grpc.EnvServiceStub(channel)

    yield start
    for server, channel in started:
        channel.close()
        server.stop(grace=0)


@pytest.fixture(scope="module")
def live(registry: TaskRegistry) -> Iterator[tuple[EnvServer, object]]:
    """One default-config server shared by a module's tests."""
    server = EnvServer(ServerConfig(port=0), registry)
    port = server.start()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        yield server, env_pb2_grpc.EnvServiceStub(channel)
    server.stop(grace=0)


@pytest.fixture
def stub(live: tuple[EnvServer, object]) -> object:
    """The shared server's EnvService stub."""
    return live[1]


def client_version() -> env_pb2.ProtocolVersion:
    """This package's own protocol version, as a client would send it."""
    return env_pb2.ProtocolVersion(major=PROTOCOL_MAJOR, minor=PROTOCOL_MINOR)
