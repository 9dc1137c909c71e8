"""Limits on what one request may ask for: lease length, seed lists, and the message size."""

from __future__ import annotations

import grpc
import pytest
import toy_envs
from test_sessions_and_errors import expect_error
from wire import create

from dtql_envserver.errors import StartupError
from dtql_envserver.proto import env_pb2
from dtql_envserver.server import EnvServer, ServerConfig, list_tasks_reply_bytes
from dtql_envserver.sessions import SessionLimits


@pytest.mark.parametrize(
    ("asked", "granted"), [(1e300, 3600.0), (3600.5, 3600.0), (120.0, 120.0), (0.0, 300.0)]
)
def test_idle_timeout_is_capped_at_max_idle_timeout_and_the_grant_reported(stub, asked, granted):
    response = create(stub, toy_envs.TOY_COUNTER, 1, idle_timeout_seconds=asked)
    assert response.idle_timeout_seconds == granted
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=response.session_id))


def test_the_cap_is_a_server_setting_and_the_granted_lease_is_enforced(start_server):
    limits = SessionLimits(default_idle_timeout=0.2, max_idle_timeout=0.4)
    server, stub = start_server(ServerConfig(port=0, limits=limits))
    response = create(stub, toy_envs.TOY_COUNTER, 1, idle_timeout_seconds=1e300)
    assert response.idle_timeout_seconds == 0.4
    with server.sessions.use(response.session_id) as session:
        assert session.idle_timeout == 0.4  # what the reaper goes by


def test_default_lease_longer_than_the_cap_is_refused():
    with pytest.raises(ValueError, match="default_idle_timeout = 600.0 must be <= max_idle"):
        SessionLimits(default_idle_timeout=600.0, max_idle_timeout=60.0)


def test_present_but_empty_env_seeds_is_invalid_argument(stub):
    request = env_pb2.CreateSessionRequest(task_id=toy_envs.TOY_COUNTER, num_envs=2)
    request.env_seeds.SetInParent()  # the oneof case is set, the list empty
    wire = env_pb2.CreateSessionRequest.FromString(request.SerializeToString())
    assert wire.WhichOneof("seeding") == "env_seeds", "the proto keeps presence on the wire"
    with expect_error(grpc.StatusCode.INVALID_ARGUMENT, "env_seeds has 0 seeds", "num_envs = 2"):
        stub.CreateSession(request)


def test_absent_seeding_still_means_base_seed_zero(stub):
    response = create(stub, toy_envs.TOY_COUNTER, 2)
    assert list(response.env_seeds) == [0, 1]
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=response.session_id))


def test_max_message_bytes_below_the_list_tasks_reply_is_refused_at_start(registry):
    needed = list_tasks_reply_bytes(registry)
    assert needed > 1024  # the old lower bound let such values through
    with pytest.raises(StartupError, match=f"ListTasks reply \\({needed} bytes") as refused:
        EnvServer(ServerConfig(port=0, max_message_bytes=needed - 1), registry)
    assert f"--max-message-bytes = {needed - 1}" in str(refused.value)


def test_max_message_bytes_equal_to_the_list_tasks_reply_serves_list_tasks(start_server, registry):
    needed = list_tasks_reply_bytes(registry)
    _, stub = start_server(ServerConfig(port=0, max_message_bytes=needed))
    tasks = stub.ListTasks(env_pb2.ListTasksRequest(), timeout=10).tasks
    assert len(tasks) == len(registry.tasks())
