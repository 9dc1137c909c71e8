"""Command line: ``dtql-env-server`` / ``python -m dtql_envserver``.

After binding it prints exactly one line to stdout, ``DTQL_ENV_SERVER_LISTENING <host>:<port>``,
which launchers parse; all logs go to stderr. Start-up problems exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from dtql_envserver.affinity import parse_cpu_list, pin_process
from dtql_envserver.errors import StartupError
from dtql_envserver.server import DEFAULT_MAX_MESSAGE_BYTES, EnvServer, ServerConfig
from dtql_envserver.sessions import SessionLimits
from dtql_envserver.tasks import TaskRegistry

LISTENING_PREFIX = "DTQL_ENV_SERVER_LISTENING"
EXIT_USAGE = 2

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
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free port")
    p.add_argument("--max-sessions", type=_positive_int, default=16)
    p.add_argument("--max-envs-per-session", type=_positive_int, default=1024)
    p.add_argument(
        "--idle-timeout", type=_positive_float, default=300.0, help="session lease, seconds"
    )
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
    p.add_argument("--workers-per-session", type=_positive_int, default=1, help=argparse.SUPPRESS)
    p.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Runs the server until SIGTERM/SIGINT; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
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
            limits=SessionLimits(args.max_sessions, args.max_envs_per_session, args.idle_timeout),
            max_message_bytes=args.max_message_bytes,
            workers_per_session=args.workers_per_session,
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
    while not stop.wait(0.5):  # short waits keep the main thread responsive to signals
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
