"""The gRPC servicer: translates proto <-> domain values and domain errors -> gRPC status."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TypeVar

import grpc
import numpy as np

from dtql_envserver import PROTOCOL_MAJOR, PROTOCOL_MINOR
from dtql_envserver.errors import (
    EnvServerError,
    FailedPreconditionError,
    ResourceExhaustedError,
)
from dtql_envserver.infos import InfoSpec
from dtql_envserver.logs import clip
from dtql_envserver.proto import env_pb2, env_pb2_grpc
from dtql_envserver.sessions import SessionManager, StepStreamLease
from dtql_envserver.tasks import BoxInfo, Task
from dtql_envserver.tensors import from_tensor, proto_dtype, to_tensor
from dtql_envserver.vector_env import AutoReset

log = logging.getLogger(__name__)

SERVER_NAME = "dtql-envserver"
CAPABILITIES = (
    "autoreset.next_step",
    "autoreset.disabled",
    "physics_status",
    "subset_env_ids",
    "reseed_on_reset",
    "action_clipping",
    "step_stream",
    "infos",
)
# Room for message framing, field tags, shapes and the session id in a size estimate.
MESSAGE_OVERHEAD_BYTES = 1024

R = TypeVar("R")


def _translate_errors(method: Callable[..., R]) -> Callable[..., R]:
    """Turns domain errors into their status; anything else is a bug: INTERNAL, logged once."""

    @functools.wraps(method)
    def wrapper(
        self: EnvServicer, request: object, context: grpc.ServicerContext, *rest: object
    ) -> R:
        try:
            return method(self, request, context, *rest)
        except EnvServerError as e:
            context.abort(e.status_code, e.message)
        except Exception as e:
            log.exception("internal error in %s", method.__name__)
            context.abort(
                grpc.StatusCode.INTERNAL,
                f"internal error in {method.__name__}: {type(e).__name__}: {e}",
            )
        raise AssertionError("context.abort returned")  # pragma: no cover

    return wrapper


def box_to_proto(box: BoxInfo) -> env_pb2.BoxSpec:
    """A BoxSpec with float64 per-element bounds."""
    return env_pb2.BoxSpec(
        dtype=proto_dtype(box.dtype),
        shape=box.shape,
        low=to_tensor(box.low),
        high=to_tensor(box.high),
    )


def task_to_proto(task: Task) -> env_pb2.TaskSpec:
    """The wire form of a task's spec."""
    return env_pb2.TaskSpec(
        task_id=task.task_id,
        env_id=task.env_id,
        description=task.description,
        observation=box_to_proto(task.observation),
        action=box_to_proto(task.action),
        max_episode_steps=task.max_episode_steps,
        control_timestep=task.control_timestep,
        simulator=task.simulator,
        simulator_version=task.simulator_version,
        model_sha256=task.model_sha256,
        metadata=task.metadata,
        infos=[
            env_pb2.InfoSpec(name=i.name, shape=i.shape, description=i.description)
            for i in task.infos
        ],
    )


def largest_message_bytes(task: Task, num_envs: int, infos: tuple[InfoSpec, ...] = ()) -> int:
    """An upper bound on the largest Reset/Step request or response of a session."""
    obs_bytes = (
        int(np.prod(task.observation.shape, dtype=np.int64)) * task.observation.dtype.itemsize
    )
    info_bytes = sum(int(np.prod(i.shape, dtype=np.int64)) * 8 for i in infos)  # float64
    act_elems = int(np.prod(task.action.shape, dtype=np.int64))
    varint_max = 5  # env id, episode step count
    # obs, infos, reward, flags, status, ids
    per_env_response = obs_bytes + info_bytes + 8 + 3 + 1 + 2 * varint_max
    per_env_request = act_elems * 8 + varint_max  # float64 actions, env id
    # Each info is one map entry per response: its key plus a tensor's framing.
    overhead = MESSAGE_OVERHEAD_BYTES + sum(len(i.name.encode()) + 64 for i in infos)
    return overhead + num_envs * max(per_env_response, per_env_request)


class EnvServicer(env_pb2_grpc.EnvServiceServicer):
    """Implements dtql.env.v1.EnvService on top of a SessionManager."""

    def __init__(self, sessions: SessionManager, max_message_bytes: int) -> None:
        self._sessions = sessions
        self._registry = sessions.registry
        self._max_message_bytes = max_message_bytes

    @_translate_errors
    def Handshake(self, request, context):  # noqa: N802 (gRPC method name)
        client = request.client_version
        if client.major != PROTOCOL_MAJOR:
            raise FailedPreconditionError(
                f"client_version.major = {client.major} but this server speaks protocol "
                f"{PROTOCOL_MAJOR}.{PROTOCOL_MINOR}; major versions must match"
            )
        limits = self._sessions.limits
        log.info(
            "handshake from %r (protocol %d.%d)",
            clip(request.client_name),
            client.major,
            client.minor,
        )
        return env_pb2.HandshakeResponse(
            server_version=env_pb2.ProtocolVersion(major=PROTOCOL_MAJOR, minor=PROTOCOL_MINOR),
            server_name=SERVER_NAME,
            capabilities=CAPABILITIES,
            limits=env_pb2.ServerLimits(
                max_sessions=limits.max_sessions,
                max_envs_per_session=limits.max_envs_per_session,
                max_message_bytes=self._max_message_bytes,
                default_idle_timeout_seconds=limits.default_idle_timeout,
            ),
        )

    @_translate_errors
    def ListTasks(self, request, context):  # noqa: N802
        return env_pb2.ListTasksResponse(tasks=[task_to_proto(t) for t in self._registry.tasks()])

    @_translate_errors
    def DescribeTask(self, request, context):  # noqa: N802
        return env_pb2.DescribeTaskResponse(spec=task_to_proto(self._registry.get(request.task_id)))

    @_translate_errors
    def CreateSession(self, request, context):  # noqa: N802
        task = self._registry.get(request.task_id)
        infos = task.select_infos(request.info_keys)
        needed = largest_message_bytes(task, request.num_envs, infos)
        in_range = 1 <= request.num_envs <= self._sessions.limits.max_envs_per_session
        # Out-of-range num_envs is left to the session manager: INVALID_ARGUMENT, not a size error.
        if in_range and needed > self._max_message_bytes:
            raise ResourceExhaustedError(
                f"num_envs = {request.num_envs} of task {task.task_id!r} needs messages of up to "
                f"{needed} bytes, over the limit max_message_bytes = {self._max_message_bytes}; "
                "use fewer envs per session"
            )
        seeding = request.WhichOneof("seeding")
        autoreset = (
            AutoReset.DISABLED
            if request.autoreset == env_pb2.AUTORESET_DISABLED
            else AutoReset.NEXT_STEP
        )
        session = self._sessions.create(
            task_id=request.task_id,
            num_envs=request.num_envs,
            base_seed=request.base_seed if seeding == "base_seed" else 0,
            env_seeds=list(request.env_seeds.seeds) if seeding == "env_seeds" else None,
            autoreset=autoreset,
            idle_timeout=request.idle_timeout_seconds,
            info_keys=list(request.info_keys),
        )
        return env_pb2.CreateSessionResponse(
            session_id=session.session_id,
            spec=task_to_proto(task),
            env_seeds=session.env.seeds,
            idle_timeout_seconds=session.idle_timeout,
            autoreset=autoreset.value,
            info_keys=session.env.info_keys,
        )

    @_translate_errors
    def CloseSession(self, request, context):  # noqa: N802
        self._sessions.close(request.session_id)
        return env_pb2.CloseSessionResponse()

    @_translate_errors
    def Reset(self, request, context):  # noqa: N802
        with self._sessions.use(request.session_id) as session:
            result = session.env.reset(list(request.env_ids), list(request.seeds))
            return env_pb2.ResetResponse(
                env_ids=result.env_ids.tolist(),
                observations=to_tensor(result.observations),
                infos=_info_tensors(result.infos),
            )

    @_translate_errors
    def Step(self, request, context):  # noqa: N802
        return self._step(request)

    def StepStream(self, request_iterator, context):  # noqa: N802
        """One response per request, in order; the first error ends the stream with its status.

        The stream is registered (and limited, and leased) with the session manager first.
        """
        stream = self._open_stream(None, context)
        try:
            for request in request_iterator:
                yield self._translated_step(request, context, stream)
        finally:
            self._sessions.close_stream(stream)

    @_translate_errors
    def _open_stream(self, _request, context):
        return self._sessions.open_stream(context.cancel)

    @_translate_errors
    def _translated_step(self, request, context, stream):
        return self._step(request, stream)

    def _step(
        self, request: env_pb2.StepRequest, stream: StepStreamLease | None = None
    ) -> env_pb2.StepResponse:
        actions = from_tensor(request.actions, "actions")
        with self._sessions.use(request.session_id, stream) as session:
            result = session.env.step(list(request.env_ids), actions)
            return env_pb2.StepResponse(
                env_ids=result.env_ids.tolist(),
                observations=to_tensor(result.observations),
                rewards=to_tensor(result.rewards),
                terminated=to_tensor(result.terminated),
                truncated=to_tensor(result.truncated),
                reset_happened=to_tensor(result.reset_happened),
                status=result.status.tolist(),
                episode_steps=result.episode_steps.tolist(),
                infos=_info_tensors(result.infos),
            )


def _info_tensors(infos: dict[str, np.ndarray]) -> dict[str, env_pb2.Tensor]:
    return {key: to_tensor(values) for key, values in infos.items()}
