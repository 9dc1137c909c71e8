"""Domain errors of the environment server.

Every client mistake raises one of these, each carrying the gRPC status code it maps to and a
message naming the offending field and value. The servicer turns them into ``context.abort``;
anything else that escapes is a server bug and becomes INTERNAL (logged once, message kept).
"""

from __future__ import annotations

import grpc


class EnvServerError(Exception):
    """Base of the expected, client-caused errors."""

    status_code: grpc.StatusCode = grpc.StatusCode.UNKNOWN

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(EnvServerError):
    """Wrong shape/dtype, NaN/Inf action, bad env id, duplicate ids, bad seeds, bad num_envs."""

    status_code = grpc.StatusCode.INVALID_ARGUMENT


class NotFoundError(EnvServerError):
    """Unknown task or session."""

    status_code = grpc.StatusCode.NOT_FOUND


class FailedPreconditionError(EnvServerError):
    """Step before reset, step of an ended env with auto-reset disabled, version mismatch."""

    status_code = grpc.StatusCode.FAILED_PRECONDITION


class ResourceExhaustedError(EnvServerError):
    """Too many sessions, or a batch whose messages would exceed the message size limit."""

    status_code = grpc.StatusCode.RESOURCE_EXHAUSTED


class StartupError(Exception):
    """A configuration problem found while starting the server (bad env id, failed import)."""
