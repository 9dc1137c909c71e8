"""D4RL-compatible AntMaze tasks (antmaze-umaze, -medium, -large) on the mujoco bindings.

D4RL's ``antmaze-*-v2`` evaluation protocol, rebuilt from its published facts (see the server
README, "AntMaze"): D4RL's ant (gym's ant geometry with timestep 0.02, no motor gear, ctrlrange
+-30 and D4RL's contact defaults), the ``*_TEST`` maze of each size at scale 4 with every wall a
box geom, the start at the R cell (the origin) and one goal cell per maze, a goal drawn per reset
inside that cell, a sparse reward of 1 within 0.5 of the goal (qpos x-y), termination on success
and a 29-d observation (qpos[0:15], qvel[0:14]; no goal). Actions are in [-1, 1]^8 and mapped
linearly onto the motors' [-30, 30] as D4RL's ``NormalizedBoxEnv`` does.

Gymnasium-Robotics' ``AntMazeEnv`` is not used: its ant (gear 150, timestep 0.01), its map
placement (centred, rows along -y), its goal and start noise, its 0.45 success radius and its
dict observations all differ from D4RL and are not all configurable. Its own ids stay servable
through the allow-list (``--import-module gymnasium_robotics --allow-env AntMaze_UMaze-v5``).

The ``antmaze-<maze>-collect[-multistart]`` tasks are the env D4RL recorded its datasets in
(eval=False): the same maze and goal, no termination at the goal, 1000-step episodes, and with
``-multistart`` D4RL's random start cells.

Unlike D4RL, which drew the goal from the global ``np.random``, the goal comes from the env's own
seeded ``np_random``, so a seed fixes the goal and the start noise of every episode; the goal of
each episode is also reported as the ``goal`` info tensor. This module knows nothing of gRPC.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gymnasium as gym
import mujoco
import numpy as np

from dtql_envserver.infos import InfoSpec

MAZE_SIZE_SCALING = 4.0  # metres per grid cell (D4RL's maze_size_scaling)
MAZE_HEIGHT = 0.5  # wall height in cells: walls are 2 m tall, 1 m half-height
SUCCESS_RADIUS = 0.5  # reward 1 and termination within this distance of the goal (qpos x-y)
FRAME_SKIP = 5  # physics steps per env step: dt = 5 * 0.02 = 0.1 s
TIMESTEP = 0.02
CTRL_LIMIT = 30.0  # motor ctrlrange +-30, no gear: at most 30 N m per joint
RESET_QPOS_NOISE = 0.1  # U(-0.1, 0.1) on every qpos entry (quaternion included)
RESET_QVEL_NOISE = 0.1  # N(0, 0.1^2) on every qvel entry
# Goal noise inside the goal cell, per coordinate, added to the cell's xy (D4RL's goal_sampler):
# U(0, 0.25 * s) plus U(0, 0.5) * 0.25 * s, then max(., 0); the goal lies in [xy, xy + 1.5)^2.
GOAL_NOISE_HIGH = 0.25 * MAZE_SIZE_SCALING
GOAL_EXTRA_NOISE_HIGH = 0.5 * 0.25 * MAZE_SIZE_SCALING


@dataclass(frozen=True)
class MazeLayout:
    """One maze: the grid (``#`` wall, ``.`` free, ``R`` start, ``G`` goal), rows along +y.

    Cell (row i, column j) is centred at x = j * s - x_R, y = i * s - y_R, where (x_R, y_R) is
    the R cell's (j * s, i * s): the ant starts at the origin.
    """

    name: str
    d4rl_map: str  # the map's name in d4rl/locomotion/maze_env.py
    rows: tuple[str, ...]
    max_episode_steps: int

    def __post_init__(self) -> None:
        if len({len(r) for r in self.rows}) != 1:
            raise ValueError(f"maze {self.name}: rows differ in length")
        if len(self.cells("R")) != 1 or not self.cells("G"):
            raise ValueError(f"maze {self.name}: needs one R cell and at least one G cell")

    def cells(self, kind: str) -> list[tuple[int, int]]:
        """(row, col) of every cell of this kind, row by row."""
        return [(i, j) for i, row in enumerate(self.rows) for j, c in enumerate(row) if c == kind]

    @property
    def start_cell(self) -> tuple[int, int]:
        return self.cells("R")[0]

    @property
    def goal_cells(self) -> list[tuple[int, int]]:
        return self.cells("G")

    def cell_xy(self, cell: tuple[int, int]) -> tuple[float, float]:
        """The centre of a cell in the simulator's frame (the start cell's centre is the origin)."""
        i0, j0 = self.start_cell
        i, j = cell
        return ((j - j0) * MAZE_SIZE_SCALING, (i - i0) * MAZE_SIZE_SCALING)

    def is_wall(self, cell: tuple[int, int]) -> bool:
        i, j = cell
        return self.rows[i][j] == "#"


MAZES: dict[str, MazeLayout] = {
    "umaze": MazeLayout(
        "umaze",
        "U_MAZE_TEST",
        (
            "#####",
            "#R..#",
            "###.#",
            "#G..#",
            "#####",
        ),
        700,
    ),
    "medium": MazeLayout(
        "medium",
        "BIG_MAZE_TEST",
        (
            "########",
            "#R.##..#",
            "#..#...#",
            "##...###",
            "#..#...#",
            "#.#..#.#",
            "#...#.G#",
            "########",
        ),
        1000,
    ),
    "large": MazeLayout(
        "large",
        "HARDEST_MAZE_TEST",
        (
            "############",
            "#R...#.....#",
            "#.##.#.#.#.#",
            "#......#...#",
            "#.####.###.#",
            "#..#.#.....#",
            "##.#.#.#.###",
            "#..#...#.G.#",
            "############",
        ),
        1000,
    ),
}


def _f(*values: float) -> str:
    """Numbers as MJCF text, exactly (repr round-trips a float64)."""
    return " ".join(repr(float(v)) for v in values)


# Legs hang from the torso origin. Per leg: its name, its (sx, sy) direction, the ankle axis and
# range in degrees (hips all turn about z within +-30 degrees).
_LEGS = (
    ("front_left_leg", (1, 1), (-1, 1, 0), (30, 70)),
    ("front_right_leg", (-1, 1), (1, 1, 0), (-70, -30)),
    ("back_leg", (-1, -1), (-1, 1, 0), (-70, -30)),
    ("right_back_leg", (1, -1), (1, 1, 0), (30, 70)),
)
# Motor order of D4RL's (and gym's) ant: leg 4 first, then 1, 2, 3; hip before ankle.
_ACTUATED_JOINTS = ("hip_4", "ankle_4", "hip_1", "ankle_1", "hip_2", "ankle_2", "hip_3", "ankle_3")


def ant_maze_xml(layout: MazeLayout) -> str:
    """The MJCF text of D4RL's ant in ``layout``: one model, walls as worldbody boxes."""
    root = ET.Element("mujoco", model=f"d4rl_antmaze_{layout.name}")
    ET.SubElement(root, "compiler", angle="degree", inertiafromgeom="true")
    ET.SubElement(root, "option", timestep=repr(TIMESTEP), integrator="RK4")
    default = ET.SubElement(root, "default")
    ET.SubElement(default, "joint", limited="true", armature="1", damping="1")
    # D4RL's contact defaults (gym's ant has MuJoCo's default solref/solimp instead).
    ET.SubElement(
        default,
        "geom",
        condim="3",
        conaffinity="0",
        margin="0.01",
        friction="1 0.5 0.5",
        solref="0.02 1",
        solimp="0.8 0.8 0.01",
        density="5",
        rgba="0.8 0.6 0.4 1",
    )
    world = ET.SubElement(root, "worldbody")
    ET.SubElement(world, "light", directional="true", diffuse="1 1 1", pos="0 0 10", dir="0 0 -1")
    ET.SubElement(
        world,
        "geom",
        name="floor",
        type="plane",
        pos="0 0 0",
        size="40 40 40",
        conaffinity="1",
        condim="3",
        rgba="0.8 0.9 0.8 1",
    )
    torso = ET.SubElement(world, "body", name="torso", pos="0 0 0.75")
    ET.SubElement(torso, "geom", name="torso_geom", type="sphere", size="0.25", pos="0 0 0")
    ET.SubElement(
        torso, "joint", name="root", type="free", limited="false", armature="0", damping="0"
    )
    for k, (leg, (sx, sy), ankle_axis, ankle_range) in enumerate(_LEGS, start=1):
        step = (0.2 * sx, 0.2 * sy, 0.0)
        upper = ET.SubElement(torso, "body", name=leg, pos="0 0 0")
        ET.SubElement(
            upper,
            "geom",
            name=f"aux_{k}_geom",
            type="capsule",
            size="0.08",
            fromto=_f(0, 0, 0, *step),
        )
        hip_body = ET.SubElement(upper, "body", name=f"aux_{k}", pos=_f(*step))
        ET.SubElement(
            hip_body,
            "joint",
            name=f"hip_{k}",
            type="hinge",
            pos="0 0 0",
            axis="0 0 1",
            range="-30 30",
        )
        ET.SubElement(
            hip_body,
            "geom",
            name=f"leg_{k}_geom",
            type="capsule",
            size="0.08",
            fromto=_f(0, 0, 0, *step),
        )
        ankle_body = ET.SubElement(hip_body, "body", name=f"foot_{k}", pos=_f(*step))
        ET.SubElement(
            ankle_body,
            "joint",
            name=f"ankle_{k}",
            type="hinge",
            pos="0 0 0",
            axis=_f(*ankle_axis),
            range=_f(*ankle_range),
        )
        ET.SubElement(
            ankle_body,
            "geom",
            name=f"ankle_{k}_geom",
            type="capsule",
            size="0.08",
            fromto=_f(0, 0, 0, 2 * step[0], 2 * step[1], 0),
        )
    half = 0.5 * MAZE_SIZE_SCALING
    wall_half_height = MAZE_HEIGHT / 2 * MAZE_SIZE_SCALING
    for i, row in enumerate(layout.rows):
        for j, c in enumerate(row):
            if c != "#":
                continue
            x, y = layout.cell_xy((i, j))
            # Walls take the default class (condim 3, friction 1, margin 0.01, D4RL's solimp) and
            # collide with everything: contype 1, conaffinity 1.
            ET.SubElement(
                world,
                "geom",
                name=f"block_{i}_{j}",
                type="box",
                pos=_f(x, y, wall_half_height),
                size=_f(half, half, wall_half_height),
                contype="1",
                conaffinity="1",
                rgba="0.7 0.5 0.3 1",
            )
    actuator = ET.SubElement(root, "actuator")
    for joint in _ACTUATED_JOINTS:
        ET.SubElement(
            actuator,
            "motor",
            joint=joint,
            ctrllimited="true",
            ctrlrange=_f(-CTRL_LIMIT, CTRL_LIMIT),
        )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode") + "\n"


def sample_goal(
    layout: MazeLayout, rng: np.random.Generator, cells: list[tuple[int, int]] | None = None
) -> np.ndarray:
    """A goal (x, y) drawn as D4RL's goal sampler does, from ``rng``.

    One of the goal cells (the layout's G cells unless ``cells`` is given) is chosen uniformly,
    then per coordinate U(0, 1) and U(0, 0.5) are added to its centre and the sum is clipped below
    at 0 (D4RL's ``max(., 0)``; no goal of the three test mazes is near it).
    """
    choices = layout.goal_cells if cells is None else cells
    cell = choices[int(rng.integers(len(choices)))]
    x, y = layout.cell_xy(cell)
    x += rng.uniform(0.0, GOAL_NOISE_HIGH)
    y += rng.uniform(0.0, GOAL_NOISE_HIGH)
    x += rng.uniform(0.0, 0.5) * 0.25 * MAZE_SIZE_SCALING
    y += rng.uniform(0.0, 0.5) * 0.25 * MAZE_SIZE_SCALING
    return np.array([max(x, 0.0), max(y, 0.0)])


def _read_goal(env: gym.Env) -> np.ndarray:
    return env.goal


class D4rlAntEnv(gym.Env):
    """D4RL's ant in a compiled model: what the antmaze tasks and ``ant-goal`` share.

    It holds the model and its state, the reset (qpos0 plus U(-0.1, 0.1) per entry, qvel
    N(0, 0.1^2), the quaternion normalised) and the action map (D4RL's ``NormalizedBoxEnv`` onto
    the gearless motors, then ``FRAME_SKIP`` physics steps). Subclasses add goals, rewards and
    observations.
    """

    metadata = {"render_modes": []}

    def __init__(self, model_xml: str, obs_dim: int) -> None:
        self.model_xml = model_xml  # what was compiled; the task spec hashes it
        self.model = mujoco.MjModel.from_xml_string(model_xml)
        self.data = mujoco.MjData(self.model)
        self.frame_skip = FRAME_SKIP
        self.dt = self.model.opt.timestep * FRAME_SKIP
        self.init_qpos = self.data.qpos.copy()  # qpos0: (0, 0, 0.75, 1, 0, ..., 0)
        self.init_qvel = np.zeros(self.model.nv)
        ctrlrange = self.model.actuator_ctrlrange
        self._ctrl_low = ctrlrange[:, 0].copy()
        self._ctrl_high = ctrlrange[:, 1].copy()
        self.action_space = gym.spaces.Box(-1.0, 1.0, (self.model.nu,), np.float32)
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, (obs_dim,), np.float64)

    def _reset_ant(
        self,
        rng: np.random.Generator,
        start_offset: Callable[[np.random.Generator], np.ndarray] | None = None,
    ) -> None:
        """D4RL's ``reset_model``; ``start_offset`` (drawn after the qpos noise) moves the start."""
        model, data = self.model, self.data
        mujoco.mj_resetData(model, data)
        data.qpos[:] = self.init_qpos + rng.uniform(-RESET_QPOS_NOISE, RESET_QPOS_NOISE, model.nq)
        if start_offset is not None:
            data.qpos[:2] += start_offset(rng)
        data.qvel[:] = self.init_qvel + rng.standard_normal(model.nv) * RESET_QVEL_NOISE
        # MuJoCo 2.x (D4RL's) normalised the free joint's quaternion in place during mj_forward;
        # MuJoCo 3 does not, so do it here: the first observation holds a unit quaternion too.
        mujoco.mj_normalizeQuat(model, data.qpos)
        mujoco.mj_forward(model, data)

    def _actuate(self, action: np.ndarray) -> None:
        """Maps an action in [-1, 1] onto the motors and advances ``FRAME_SKIP`` physics steps."""
        a = np.asarray(action, dtype=np.float64)
        low, high = self._ctrl_low, self._ctrl_high
        # NormalizedBoxEnv's linear map of [-1, 1] onto [low, high], then its clip.
        self.data.ctrl[:] = np.clip(low + (a + 1.0) * 0.5 * (high - low), low, high)
        mujoco.mj_step(self.model, self.data, nstep=FRAME_SKIP)


class D4rlAntMazeEnv(D4rlAntEnv):
    """D4RL's ``antmaze-<maze>-v2`` evaluation env (eval=True, sparse reward), unwrapped.

    ``reset`` draws the goal, then the ant's start noise, both from ``self.np_random``;
    ``reset(options={"goal": (x, y)})`` sets the goal instead of drawing it. The time limit is
    the registration's (700 steps for umaze, 1000 otherwise); this class never truncates.

    With ``collect=True`` it is the env D4RL recorded its datasets in (eval=False): reaching the
    goal pays the sparse reward but does not end the episode, so a collecting controller walks on,
    and the registrations give 1000 steps for every maze. ``multistart=True`` adds D4RL's
    ``non_zero_reset``: each episode starts in a free, non-goal cell drawn from the env's RNG,
    offset by U(0, 0.5) * 0.5 * s per coordinate.
    """

    def __init__(
        self, maze: str = "umaze", collect: bool = False, multistart: bool = False
    ) -> None:
        if maze not in MAZES:
            raise ValueError(f"unknown maze {maze!r}; known: {', '.join(MAZES)}")
        self.layout = MAZES[maze]
        self.collect = collect
        self.multistart = multistart
        super().__init__(ant_maze_xml(self.layout), 29)
        self.goal = np.zeros(2)

    # --- gymnasium API ---------------------------------------------------------------------------

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        super().reset(seed=seed)
        rng = self.np_random
        if options is not None and options.get("goal") is not None:
            self.goal = np.array(options["goal"], dtype=np.float64).reshape(2)
        else:
            self.goal = sample_goal(self.layout, rng)
        self._reset_ant(rng, self._start_offset if self.multistart else None)
        return self._obs(), {"goal": self.goal.copy()}

    def _start_offset(self, rng: np.random.Generator) -> np.ndarray:
        """D4RL's non_zero_reset: a free non-goal cell's centre plus U(0, 0.5) * 0.5 * s."""
        layout = self.layout
        cells = sorted(layout.cells(".") + layout.cells("R"))
        i, j = cells[int(rng.integers(len(cells)))]
        x, y = layout.cell_xy((i, j))
        noise = rng.uniform(0.0, 0.5, 2) * 0.5 * MAZE_SIZE_SCALING
        return np.array([x, y]) + noise

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        self._actuate(action)
        qpos = self.data.qpos
        distance = math.hypot(qpos[0] - self.goal[0], qpos[1] - self.goal[1])
        success = distance <= SUCCESS_RADIUS
        return (
            self._obs(),
            1.0 if success else 0.0,
            success and not self.collect,
            False,
            {"goal": self.goal.copy(), "success": success, "distance": distance},
        )

    def _obs(self) -> np.ndarray:
        return np.concatenate((self.data.qpos[:15], self.data.qvel[:14]))

    # --- what the server reports -----------------------------------------------------------------

    def extra_infos(self) -> tuple[InfoSpec, ...]:
        """The ``goal`` info tensor besides qpos and qvel (read by ``infos.available_infos``)."""
        return (
            InfoSpec(
                "goal",
                (2,),
                "the episode's goal (x, y), drawn at reset from the env's seeded RNG; reward 1 "
                f"and termination when |qpos[0:2] - goal| <= {SUCCESS_RADIUS}",
                _read_goal,
            ),
        )

    def task_metadata(self) -> dict[str, str]:
        """Facts of this maze for the task spec's metadata (all strings)."""
        layout = self.layout
        (gi, gj), *_ = layout.goal_cells
        gx, gy = layout.cell_xy((gi, gj))
        span = GOAL_NOISE_HIGH + GOAL_EXTRA_NOISE_HIGH
        return {
            "d4rl_protocol": f"antmaze-{layout.name}-v2 evaluation (eval=True, sparse reward, "
            "goal re-drawn every reset)",
            "maze_map": "/".join(layout.rows),
            "maze_map_legend": "# wall, . free, R start, G goal; row i at y = i*s - y_R, "
            "column j at x = j*s - x_R (R cell at the origin)",
            "maze_d4rl_map": layout.d4rl_map,
            "maze_size_scaling": repr(MAZE_SIZE_SCALING),
            "start_cell": "{},{}".format(*layout.start_cell),
            "goal_cell": f"{gi},{gj}",
            "goal_region": f"x in [{gx:g}, {gx + span:g}), y in [{gy:g}, {gy + span:g})",
            "goal_rng": "the env's seeded np_random (D4RL used the global np.random)",
            "success_radius": repr(SUCCESS_RADIUS),
            "action_mapping": f"ctrl = clip(-{CTRL_LIMIT:g} + (a + 1) * {CTRL_LIMIT:g}, "
            f"-{CTRL_LIMIT:g}, {CTRL_LIMIT:g}) (D4RL NormalizedBoxEnv onto motors without gear)",
            "observation": "qpos[0:15] then qvel[0:14] (x, y included; no goal)",
            "episode_end": "time limit only; reaching the goal pays 1 and the ant walks on "
            "(data collection, D4RL's eval=False)"
            if self.collect
            else "success (within the radius of the goal) or the time limit",
            "start": "a free non-goal cell drawn per reset plus U(0, 0.5) * 0.5 * s (D4RL's "
            "non_zero_reset)"
            if self.multistart
            else "the R cell (the origin) plus U(-0.1, 0.1) per qpos entry",
        }


# How each maze is spelled in the registered env ids (dtql/D4rlAntMazeUMaze-v2, ...).
_ENV_NAMES = {"umaze": "UMaze", "medium": "Medium", "large": "Large"}

# task id -> (registered env id, maze)
ANTMAZE_TASKS: dict[str, tuple[str, str]] = {
    f"antmaze-{maze}": (f"dtql/D4rlAntMaze{_ENV_NAMES[maze]}-v2", maze) for maze in MAZES
}


# D4RL recorded every antmaze dataset in 1000-step episodes.
COLLECT_EPISODE_STEPS = 1000

# task id -> (registered env id, maze, multistart): the envs datasets are collected in.
ANTMAZE_COLLECT_TASKS: dict[str, tuple[str, str, bool]] = {
    f"antmaze-{maze}-collect{suffix}": (
        f"dtql/D4rlAntMaze{_ENV_NAMES[maze]}Collect{'Multistart' if multi else ''}-v2",
        maze,
        multi,
    )
    for maze in MAZES
    for multi, suffix in ((False, ""), (True, "-multistart"))
}


def register_antmaze_envs() -> None:
    """Registers the evaluation and collection envs with gymnasium (idempotent)."""
    for env_id, maze in ANTMAZE_TASKS.values():
        if env_id not in gym.registry:
            gym.register(
                env_id,
                entry_point=f"{__name__}:D4rlAntMazeEnv",
                max_episode_steps=MAZES[maze].max_episode_steps,
                kwargs={"maze": maze},
            )
    for env_id, maze, multistart in ANTMAZE_COLLECT_TASKS.values():
        if env_id not in gym.registry:
            gym.register(
                env_id,
                entry_point=f"{__name__}:D4rlAntMazeEnv",
                max_episode_steps=COLLECT_EPISODE_STEPS,
                kwargs={"maze": maze, "collect": True, "multistart": multistart},
            )
