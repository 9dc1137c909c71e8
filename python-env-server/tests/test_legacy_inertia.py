"""The *-legacy-inertia variants: pinned masses, own model hash, same interface, new dynamics."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from wire import create, reset, step

from dtql_envserver.legacy_inertia import LEGACY_INERTIALS, legacy_model_xml
from dtql_envserver.proto import env_pb2

# Total masses of the legacy-inertia.md table (old capsule formula).
LEGACY_TOTAL_MASS = {"hopper": 15.265, "walker2d": 22.698, "halfcheetah": 14.0}


@pytest.mark.parametrize("family", sorted(LEGACY_TOTAL_MASS))
def test_legacy_variant_pins_the_table_masses(registry, family):
    env = registry.get(f"{family}-legacy-inertia").make_env()
    names = [env.model.body(i).name for i in range(1, env.model.nbody)]
    masses = {n: float(env.model.body_mass[env.model.body(n).id]) for n in names}
    assert masses == pytest.approx({n: LEGACY_INERTIALS[family][n].mass for n in names})
    assert sum(masses.values()) == pytest.approx(LEGACY_TOTAL_MASS[family], abs=1e-3)
    exact = registry.get(family).make_env()
    assert not np.allclose(exact.model.body_mass, env.model.body_mass)  # exact capsules differ


@pytest.mark.parametrize("family", sorted(LEGACY_TOTAL_MASS))
def test_legacy_spec_hashes_the_compiled_model(registry, family):
    legacy, exact = registry.get(f"{family}-legacy-inertia"), registry.get(family)
    env = legacy.make_env()
    assert legacy.model_sha256 == hashlib.sha256(env.model_xml.encode()).hexdigest()
    assert legacy.model_sha256 != exact.model_sha256
    assert legacy.observation.shape == exact.observation.shape
    assert legacy.action.shape == exact.action.shape
    assert legacy.control_timestep == exact.control_timestep


def test_legacy_variant_steps_through_the_wire_with_different_dynamics(stub):
    obs = {}
    for task_id in ("hopper", "hopper-legacy-inertia"):
        session = create(stub, task_id, 1, base_seed=3).session_id
        first = reset(stub, session).copy()
        for _ in range(20):
            r = step(stub, session, np.full((1, 3), 0.5, np.float32))
        obs[task_id] = (first, r["observations"].copy())
        stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))
    assert obs["hopper"][0].tobytes() == obs["hopper-legacy-inertia"][0].tobytes()  # same reset
    assert not np.allclose(obs["hopper"][1], obs["hopper-legacy-inertia"][1])  # lighter bodies


def test_a_body_without_a_legacy_inertial_is_refused(registry):
    path = registry.get("hopper").make_env().fullpath
    partial = {k: v for k, v in LEGACY_INERTIALS["hopper"].items() if k != "foot"}
    with pytest.raises(KeyError, match="foot"):
        legacy_model_xml(path, partial)
