"""Server lifecycle: builds the gRPC server, serves health, shuts down within a bounded time."""

from __future__ import annotations

import ipaddress
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from dtql_envserver.errors import StartupError
from dtql_envserver.proto import env_pb2, env_pb2_grpc
from dtql_envserver.servicer import EnvServicer, task_to_proto
from dtql_envserver.sessions import SessionLimits, SessionManager
from dtql_envserver.tasks import TaskRegistry

log = logging.getLogger(__name__)

DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024
SERVICE_NAME = env_pb2.DESCRIPTOR.services_by_name["EnvService"].full_name
# Threads beyond one per stream and one per session, for cheap calls (health, ListTasks, ...).
SPARE_THREADS = 4


@dataclass(frozen=True)
class TlsFiles:
    """PEM files of the server's certificate (chain) and private key."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class ServerConfig:
    """Everything the CLI can set."""

    host: str = "127.0.0.1"
    port: int = 0
    limits: SessionLimits = SessionLimits()
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    # Calls in flight get this long to finish at shutdown, then they are cancelled ...
    grace_seconds: float = 5.0
    # ... and if gRPC has still not shut down after this much more, stop() gives up waiting.
    force_seconds: float = 2.0
    workers_per_session: int = 1
    tls: TlsFiles | None = None  # None = plaintext
    trim_memory: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port = {self.port} must be in 0..65535")
        if self.max_message_bytes < 1024 or self.max_message_bytes > 2**31 - 1:
            raise ValueError(
                f"max_message_bytes = {self.max_message_bytes} must be in 1024..2^31-1"
            )
        if self.grace_seconds < 0:
            raise ValueError(f"grace_seconds = {self.grace_seconds} must be >= 0")
        if not self.force_seconds > 0:
            raise ValueError(f"force_seconds = {self.force_seconds} must be > 0")
        if self.workers_per_session < 1:
            raise ValueError(f"workers_per_session = {self.workers_per_session} must be >= 1")

    @property
    def worker_threads(self) -> int:
        """gRPC handler threads: streams can never take them all (they are capped below this)."""
        return self.limits.max_streams + self.limits.max_sessions + SPARE_THREADS


def list_tasks_reply_bytes(registry: TaskRegistry) -> int:
    """The serialized size of this server's ListTasks reply, its largest fixed-size message."""
    reply = env_pb2.ListTasksResponse(tasks=[task_to_proto(t) for t in registry.tasks()])
    return reply.ByteSize()


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


class EnvServer:
    """A running (or startable) environment server on one port."""

    def __init__(self, config: ServerConfig, registry: TaskRegistry) -> None:
        self.config = config
        needed = list_tasks_reply_bytes(registry)
        if config.max_message_bytes < needed:
            raise StartupError(
                f"--max-message-bytes = {config.max_message_bytes} is smaller than this server's "
                f"ListTasks reply ({needed} bytes for {len(registry.tasks())} tasks), which would "
                f"then fail; use at least {needed}"
            )
        self.sessions = SessionManager(
            registry,
            config.limits,
            config.workers_per_session,
            trim_memory=config.trim_memory,
        )
        options = [
            ("grpc.max_send_message_length", config.max_message_bytes),
            ("grpc.max_receive_message_length", config.max_message_bytes),
        ]
        self._grpc = grpc.server(
            ThreadPoolExecutor(config.worker_threads, "grpc-rpc"), options=options
        )
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
            if self.config.tls is None:
                port = self._grpc.add_insecure_port(address)
            else:
                port = self._grpc.add_secure_port(address, _server_credentials(self.config.tls))
        except RuntimeError as e:
            raise StartupError(f"cannot bind {address}: {e}") from e
        if port == 0:
            raise StartupError(f"cannot bind {address}")
        self.port = port
        self._grpc.start()
        self.sessions.start_reaper()
        for service in ("", SERVICE_NAME):
            self._health.set(service, health_pb2.HealthCheckResponse.SERVING)
        log.info(
            "serving %s on %s:%d (%s)",
            SERVICE_NAME,
            self.config.host,
            port,
            "TLS" if self.config.tls else "plaintext",
        )
        if not is_loopback(self.config.host):
            log.warning(
                "--host %s is not a loopback address: anyone who can reach port %d can open "
                "sessions and use this server's CPU; there is no authentication%s",
                self.config.host,
                port,
                "" if self.config.tls else ", and no TLS (add --tls-cert/--tls-key)",
            )
        return port

    def stop(self, grace: float | None = None) -> bool:
        """Stops accepting calls, lets calls in flight finish within the grace, closes sessions.

        Calls still running after the grace are cancelled; the wait for gRPC's shutdown is bounded
        by ``force_seconds`` more, so a call stuck in gRPC cannot hang the stop. Returns whether
        gRPC shut down in time (if not, the caller should exit the process without waiting for
        gRPC's threads).
        """
        if self._stopped:
            return True
        self._stopped = True
        self._health.enter_graceful_shutdown()
        grace = self.config.grace_seconds if grace is None else grace
        log.info("shutting down (grace %.1fs)", grace)
        clean = self._grpc.stop(grace).wait(grace + self.config.force_seconds)
        if not clean:
            log.warning(
                "gRPC did not shut down within %.1fs of the %.1fs grace; not waiting longer",
                self.config.force_seconds,
                grace,
            )
        self.sessions.stop_reaper()
        self.sessions.close_all()
        log.info("shut down")
        return clean


def _server_credentials(tls: TlsFiles) -> grpc.ServerCredentials:
    """TLS credentials from PEM files; StartupError naming the file if one is not usable."""
    pems = []
    for flag, path in (("--tls-key", tls.key), ("--tls-cert", tls.cert)):
        try:
            pem = Path(path).read_bytes()
        except OSError as e:
            raise StartupError(f"{flag} {path}: cannot read it: {e.strerror}") from e
        if b"-----BEGIN " not in pem:
            raise StartupError(f"{flag} {path}: not a PEM file (no -----BEGIN line)")
        pems.append(pem)
    key, cert = pems
    return grpc.ssl_server_credentials([(key, cert)])
