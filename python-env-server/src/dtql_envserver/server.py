"""Server lifecycle: builds the gRPC server, serves health, shuts down cleanly."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from dtql_envserver.errors import StartupError
from dtql_envserver.proto import env_pb2, env_pb2_grpc
from dtql_envserver.servicer import EnvServicer
from dtql_envserver.sessions import SessionLimits, SessionManager
from dtql_envserver.tasks import TaskRegistry

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
SERVICE_NAME = env_pb2.DESCRIPTOR.services_by_name["EnvService"].full_name


@dataclass(frozen=True)
class ServerConfig:
    """Everything the CLI can set."""

    host: str = "127.0.0.1"
    port: int = 0
    limits: SessionLimits = SessionLimits()
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    grace_seconds: float = 5.0
    workers_per_session: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port = {self.port} must be in 0..65535")
        if self.max_message_bytes < 1024 or self.max_message_bytes > 2**31 - 1:
            raise ValueError(
                f"max_message_bytes = {self.max_message_bytes} must be in 1024..2^31-1"
            )
        if self.grace_seconds < 0:
            raise ValueError(f"grace_seconds = {self.grace_seconds} must be >= 0")
        if self.workers_per_session < 1:
            raise ValueError(f"workers_per_session = {self.workers_per_session} must be >= 1")


class EnvServer:
    """A running (or startable) environment server on one port."""

    def __init__(self, config: ServerConfig, registry: TaskRegistry) -> None:
        self.config = config
        self.sessions = SessionManager(registry, config.limits, config.workers_per_session)
        options = [
            ("grpc.max_send_message_length", config.max_message_bytes),
            ("grpc.max_receive_message_length", config.max_message_bytes),
        ]
        # One thread per session that can be busy at once, plus a few for cheap calls.
        threads = config.limits.max_sessions + 4
        self._grpc = grpc.server(ThreadPoolExecutor(threads, "grpc-rpc"), options=options)
        env_pb2_grpc.add_EnvServiceServicer_to_server(
            EnvServicer(self.sessions, config.max_message_bytes), self._grpc
        )
        self._health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._grpc)
        self.port = 0
        self._stopped = False

    def start(self) -> int:
        """Binds, starts serving, marks health SERVING; returns the bound port."""
        address = f"{self.config.host}:{self.config.port}"
        try:
            port = self._grpc.add_insecure_port(address)
        except RuntimeError as e:
            raise StartupError(f"cannot bind {address}: {e}") from e
        if port == 0:
            raise StartupError(f"cannot bind {address}")
        self.port = port
        self._grpc.start()
        self.sessions.start_reaper()
        for service in ("", SERVICE_NAME):
            self._health.set(service, health_pb2.HealthCheckResponse.SERVING)
        log.info("serving %s on %s:%d", SERVICE_NAME, self.config.host, port)
        return port

    def stop(self, grace: float | None = None) -> None:
        """Stops accepting calls, lets calls in flight finish within the grace, closes sessions."""
        if self._stopped:
            return
        self._stopped = True
        self._health.enter_graceful_shutdown()
        grace = self.config.grace_seconds if grace is None else grace
        log.info("shutting down (grace %.1fs)", grace)
        self._grpc.stop(grace).wait()
        self.sessions.stop_reaper()
        self.sessions.close_all()
        log.info("shut down")
