"""Variants of the default tasks with the mujoco-py-era (legacy) body inertials pinned.

MuJoCo before 2.1.1 derived a capsule's mass and inertia as if it were a cylinder of length
2*halflength + radius; the D4RL datasets were recorded with that behaviour, MuJoCo 3 uses the
exact capsule. These variants take Gymnasium's v4 model files, add an explicit ``<inertial>`` per
body with the legacy values (computed from the public geometry, see
``/work/shared/reference/legacy-inertia.md``), switch ``inertiafromgeom`` to ``auto`` so they are
used, and drop ``settotalmass`` (the pinned masses already sum to the intended total). Everything
else (rewards, observations, resets) is the v4 env unchanged.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import mujoco
from gymnasium.envs.mujoco.half_cheetah_v4 import HalfCheetahEnv
from gymnasium.envs.mujoco.hopper_v4 import HopperEnv
from gymnasium.envs.mujoco.mujoco_env import MujocoEnv
from gymnasium.envs.mujoco.walker2d_v4 import Walker2dEnv


@dataclass(frozen=True)
class Inertial:
    """One body's mass, centre of mass (body frame) and full inertia about the COM."""

    mass: float
    pos: tuple[float, float, float]
    # Ixx, Iyy, Izz, Ixy, Ixz, Iyz: MJCF's fullinertia order.
    full_inertia: tuple[float, float, float, float, float, float]


def _i(mass: float, pos: tuple[float, float, float], *inertia: float) -> Inertial:
    return Inertial(mass, pos, tuple(inertia))  # type: ignore[arg-type]


_HOPPER_CHAIN = {
    "torso": _i(3.5343, (0, 0, 0), 0.06185, 0.06185, 0.004418, 0, 0, 0),
    "thigh": _i(3.9270, (0, 0, -0.225), 0.084267, 0.084267, 0.004909, 0, 0, 0),
    "leg": _i(2.7143, (0, 0, 0), 0.067044, 0.067044, 0.002171, 0, 0, 0),
}
_WALKER_FOOT = _i(2.9405, (-0.1, 0, 0.1), 0.005293, 0.019211, 0.019211, 0, 0, 0)

LEGACY_INERTIALS: dict[str, dict[str, Inertial]] = {
    "hopper": {
        **_HOPPER_CHAIN,
        "foot": _i(5.0894, (-0.065, 0, 0.1), 0.009161, 0.090464, 0.090464, 0, 0, 0),
    },
    "walker2d": {
        **_HOPPER_CHAIN,
        "foot": _WALKER_FOOT,
        "thigh_left": _HOPPER_CHAIN["thigh"],
        "leg_left": _HOPPER_CHAIN["leg"],
        "foot_left": _WALKER_FOOT,
    },
    "halfcheetah": {
        "torso": _i(6.3603, (0.1491, 0, 0.0249), 0.024819, 0.894454, 0.876364, 0, -0.07864, 0),
        "bthigh": _i(1.5352, (0.1, 0, -0.13), 0.010153, 0.015256, 0.006728, 0, 0.006597, 0),
        "bshin": _i(1.5809, (-0.14, 0, -0.07), 0.004607, 0.016608, 0.013674, 0, -0.005934, 0),
        "bfoot": _i(1.0692, (0.03, 0, -0.097), 0.005137, 0.005444, 0.001438, 0, 0.001109, 0),
        "fthigh": _i(1.4256, (-0.07, 0, -0.12), 0.00965, 0.012319, 0.004177, 0, -0.004661, 0),
        "fshin": _i(1.1789, (0.065, 0, -0.09), 0.005277, 0.007163, 0.003133, 0, 0.002757, 0),
        "ffoot": _i(0.8499, (0.045, 0, -0.07), 0.002262, 0.0029, 0.001537, 0, 0.000932, 0),
    },
}


def legacy_model_xml(model_path: str | Path, inertials: dict[str, Inertial]) -> str:
    """The model file with every listed body's inertial pinned; KeyError if a body is missing."""
    root = ET.parse(model_path).getroot()
    compiler = root.find("compiler")
    if compiler is None:
        compiler = ET.SubElement(root, "compiler")
    compiler.set("inertiafromgeom", "auto")  # "true" would ignore explicit inertials
    compiler.attrib.pop("settotalmass", None)
    bodies = {b.get("name"): b for b in root.iter("body")}
    for name, inertial in inertials.items():
        body = bodies[name]
        element = ET.Element(
            "inertial",
            mass=repr(inertial.mass),
            pos=" ".join(repr(float(v)) for v in inertial.pos),
            fullinertia=" ".join(repr(float(v)) for v in inertial.full_inertia),
        )
        body.insert(0, element)
    unpinned = set(bodies) - set(inertials)
    if unpinned:
        raise KeyError(f"bodies without a legacy inertial: {sorted(unpinned)}")
    return ET.tostring(root, encoding="unicode")


class _LegacyInertiaModel:
    """Mixin for a v4 MujocoEnv: loads the model with the family's legacy inertials pinned."""

    family: str
    model_xml: str  # what was compiled; the task spec hashes it

    def _initialize_simulation(self) -> tuple[mujoco.MjModel, mujoco.MjData]:
        self.model_xml = legacy_model_xml(self.fullpath, LEGACY_INERTIALS[self.family])
        model = mujoco.MjModel.from_xml_string(self.model_xml)
        model.vis.global_.offwidth = self.width
        model.vis.global_.offheight = self.height
        return model, mujoco.MjData(model)


class LegacyInertiaHopperEnv(_LegacyInertiaModel, HopperEnv):
    """Hopper-v4 with legacy inertials."""

    family = "hopper"


class LegacyInertiaWalker2dEnv(_LegacyInertiaModel, Walker2dEnv):
    """Walker2d-v4 with legacy inertials."""

    family = "walker2d"


class LegacyInertiaHalfCheetahEnv(_LegacyInertiaModel, HalfCheetahEnv):
    """HalfCheetah-v4 with legacy inertials."""

    family = "halfcheetah"


# task id -> (registered env id, env class)
LEGACY_TASKS: dict[str, tuple[str, type[MujocoEnv]]] = {
    "hopper-legacy-inertia": ("dtql/HopperLegacyInertia-v4", LegacyInertiaHopperEnv),
    "walker2d-legacy-inertia": ("dtql/Walker2dLegacyInertia-v4", LegacyInertiaWalker2dEnv),
    "halfcheetah-legacy-inertia": (
        "dtql/HalfCheetahLegacyInertia-v4",
        LegacyInertiaHalfCheetahEnv,
    ),
}


def register_legacy_envs() -> None:
    """Registers the variants with gymnasium (idempotent)."""
    for env_id, env_class in LEGACY_TASKS.values():
        if env_id not in gym.registry:
            gym.register(env_id, entry_point=env_class, max_episode_steps=1000)
