"""Command line: ``dtql-env-server`` / ``python -m dtql_envserver``.

After binding it prints exactly one line to stdout, ``DTQL_ENV_SERVER_LISTENING <host>:<port>``,
which launchers parse; all logs go to stderr. Start-up problems exit with status 2. SIGTERM or
SIGINT stops it within the grace period plus a few seconds, whatever the clients are doing.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from dtql_envserver.affinity import parse_cpu_list, pin_process
from dtql_envserver.errors import StartupError
from dtql_envserver.logs import configure_logging
from dtql_envserver.server import DEFAULT_MAX_MESSAGE_BYTES, EnvServer, ServerConfig, TlsFiles
from dtql_envserver.sessions import SessionLimits
from dtql_envserver.tasks import TaskRegistry

LISTENING_PREFIX = "DTQL_ENV_SERVER_LISTENING"
EXIT_USAGE = 2
# After the grace and the force period, the time stop() may still take to close sessions.
WATCHDOG_SLACK_SECONDS = 3.0

log = logging.getLogger("dtql_envserver")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be >= 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value} must be > 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser."""
    p = argparse.ArgumentParser(
        prog="dtql-env-server",
        description="Serves Gymnasium MuJoCo tasks over the dtql.env.v1 gRPC contract.",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1); there is no authentication, so a non-loopback "
        "address lets anyone who can reach the port use the server (a warning is logged)",
    )
    p.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free port")
    p.add_argument("--max-sessions", type=_positive_int, default=16)
    p.add_argument("--max-envs-per-session", type=_positive_int, default=1024)
    p.add_argument(
        "--idle-timeout", type=_positive_float, default=300.0, help="session lease, seconds"
    )
    p.add_argument(
        "--max-idle-timeout",
        type=_positive_float,
        default=3600.0,
        help="longest lease a session may ask for, seconds; longer requests are granted this "
        "(default 3600)",
    )
    p.add_argument(
        "--max-streams",
        type=_positive_int,
        default=32,
        help="open StepStreams at once, in total; more is RESOURCE_EXHAUSTED. The server runs "
        "this many threads plus one per session plus 4, so streams never take them all "
        "(default 32)",
    )
    p.add_argument(
        "--max-streams-per-session",
        type=_positive_int,
        default=4,
        help="open StepStreams naming one session (default 4)",
    )
    p.add_argument(
        "--tls-cert",
        type=Path,
        metavar="FILE",
        help="PEM certificate (chain) of the server: serve TLS instead of plaintext (needs "
        "--tls-key)",
    )
    p.add_argument("--tls-key", type=Path, metavar="FILE", help="PEM private key for --tls-cert")
    p.add_argument(
        "--allow-env",
        action="append",
        default=[],
        metavar="ENV_ID",
        help="also serve this Gymnasium env id (Box spaces only) as a task; repeatable",
    )
    p.add_argument(
        "--import-module",
        action="append",
        default=[],
        metavar="MODULE",
        help="import this module (which registers envs) before resolving --allow-env; repeatable",
    )
    p.add_argument(
        "--max-message-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_MESSAGE_BYTES,
        help="gRPC max send/receive message size (default 64 MiB)",
    )
    p.add_argument(
        "--cpu-affinity",
        metavar="CPUS",
        help="pin the server to these CPUs, e.g. 1 or 0,2-3 (keeps its caches warm between calls "
        "when the client runs on the same machine; default: no pinning)",
    )
    p.add_argument(
        "--shutdown-grace",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="at SIGTERM, calls in flight get this long to finish before they are cancelled; "
        "the process exits at most 2 s later whatever gRPC is doing (default 5)",
    )
    p.add_argument("--workers-per-session", type=_positive_int, default=1, help=argparse.SUPPRESS)
    # For measuring what malloc_trim gains (bench --memory); not for normal use.
    p.add_argument("--no-malloc-trim", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    )
    p.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started the server is gone (even killed with -9): "
        "the Java launcher passes it so a killed client leaves no server behind",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Runs the server until SIGTERM/SIGINT; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    configure_logging(args.log_level, sys.stderr)
    try:
        if args.cpu_affinity is not None:
            # Before the gRPC threads exist, so that they inherit it.
            try:
                pin_process(parse_cpu_list(args.cpu_affinity))
            except ValueError as e:
                raise ValueError(f"--cpu-affinity: {e}") from e
            log.info("pinned to CPU(s) %s", args.cpu_affinity)
        config = ServerConfig(
            host=args.host,
            port=args.port,
            limits=SessionLimits(
                max_sessions=args.max_sessions,
                max_envs_per_session=args.max_envs_per_session,
                default_idle_timeout=args.idle_timeout,
                max_idle_timeout=args.max_idle_timeout,
                max_streams=args.max_streams,
                max_streams_per_session=args.max_streams_per_session,
            ),
            max_message_bytes=args.max_message_bytes,
            workers_per_session=args.workers_per_session,
            grace_seconds=args.shutdown_grace,
            tls=TlsFiles(args.tls_cert, args.tls_key) if args.tls_cert else None,
            trim_memory=not args.no_malloc_trim,
        )
        registry = TaskRegistry.create(args.allow_env, args.import_module)
        server = EnvServer(config, registry)
        port = server.start()
    except (StartupError, ValueError) as e:
        print(f"dtql-env-server: error: {e}", file=sys.stderr)
        return EXIT_USAGE

    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.info("received %s", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    print(f"{LISTENING_PREFIX} {args.host}:{port}", flush=True)
    parent = os.getppid()
    while not stop.wait(0.5):  # short waits keep the main thread responsive to signals
        if args.exit_with_parent and os.getppid() != parent:
            # Reparented: the launcher died without stopping us (kill -9, a crash).
            log.info("the launching process (pid %d) is gone; stopping", parent)
            stop.set()
    # Whatever blocks inside gRPC's stop (a lock held by a stuck call), the process leaves.
    watchdog = threading.Timer(
        config.grace_seconds + config.force_seconds + WATCHDOG_SLACK_SECONDS,
        _exit_now,
        args=("shutdown did not finish in time",),
    )
    watchdog.daemon = True
    watchdog.start()
    if not server.stop():
        # A call stuck inside gRPC keeps a non-daemon worker thread, which the interpreter would
        # wait for at exit, forever. The sessions are closed; leave without it.
        _exit_now("gRPC did not shut down")
    watchdog.cancel()
    return 0


def _exit_now(why: str) -> None:
    """Exits with status 0 at once, without waiting for any thread (gRPC's may be stuck)."""
    log.warning("%s; exiting without waiting for gRPC's threads", why)
    logging.shutdown()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
