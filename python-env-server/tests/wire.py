"""Small client-side helpers for tests that talk to a live server."""

from __future__ import annotations

import numpy as np

from dtql_envserver.proto import env_pb2
from dtql_envserver.tensors import from_tensor, to_tensor


def create(stub, task_id: str, num_envs: int, **kwargs) -> env_pb2.CreateSessionResponse:
    """CreateSession with keyword fields."""
    return stub.CreateSession(
        env_pb2.CreateSessionRequest(task_id=task_id, num_envs=num_envs, **kwargs)
    )


def reset(stub, session_id: str, env_ids=(), seeds=()) -> np.ndarray:
    """Reset; returns the observations array."""
    response = stub.Reset(
        env_pb2.ResetRequest(session_id=session_id, env_ids=list(env_ids), seeds=list(seeds))
    )
    return from_tensor(response.observations, "observations")


def step(stub, session_id: str, actions: np.ndarray, env_ids=()) -> dict[str, np.ndarray]:
    """Step; returns every result field as a numpy array."""
    response = stub.Step(
        env_pb2.StepRequest(
            session_id=session_id, env_ids=list(env_ids), actions=to_tensor(actions)
        )
    )
    return {
        "env_ids": np.array(response.env_ids),
        "observations": from_tensor(response.observations, "observations"),
        "rewards": from_tensor(response.rewards, "rewards"),
        "terminated": from_tensor(response.terminated, "terminated"),
        "truncated": from_tensor(response.truncated, "truncated"),
        "reset_happened": from_tensor(response.reset_happened, "reset_happened"),
        "status": np.array(response.status),
        "episode_steps": np.array(response.episode_steps),
    }
