"""The D4RL-compatible antmaze tasks: model, walls, goals, reward, observation, seeding, limits.

The expected facts are written here independently of ``antmaze.py``, from D4RL's published
antmaze-v2 definition (d4rl/locomotion: ant.xml, maze_env.py, goal_reaching_env.py, ant.py,
wrappers.py, __init__.py): the maps in D4RL's notation, the ant's constants, the goal region,
the 0.5 success radius and the time limits.
"""

from __future__ import annotations

import hashlib
import math
import warnings

import gymnasium as gym
import mujoco
import numpy as np
import pytest
from wire import create, reset, step

from dtql_envserver.antmaze import ANTMAZE_TASKS, MAZES, D4rlAntMazeEnv, ant_maze_xml
from dtql_envserver.proto import env_pb2
from dtql_envserver.tasks import build_task
from dtql_envserver.tensors import from_tensor, to_tensor
from dtql_envserver.vector_env import AutoReset, VectorEnv

R, G = "r", "g"
# D4RL's U_MAZE_TEST, BIG_MAZE_TEST and HARDEST_MAZE_TEST (1 wall, 0 free), scale 4, row i at
# y = 4 i - y_R and column j at x = 4 j - x_R; goal = the G cell's xy + [0, 1.5)^2.
D4RL_MAPS = {
    "antmaze-umaze": [
        [1, 1, 1, 1, 1],
        [1, R, 0, 0, 1],
        [1, 1, 1, 0, 1],
        [1, G, 0, 0, 1],
        [1, 1, 1, 1, 1],
    ],
    "antmaze-medium": [
        [1, 1, 1, 1, 1, 1, 1, 1],
        [1, R, 0, 1, 1, 0, 0, 1],
        [1, 0, 0, 1, 0, 0, 0, 1],
        [1, 1, 0, 0, 0, 1, 1, 1],
        [1, 0, 0, 1, 0, 0, 0, 1],
        [1, 0, 1, 0, 0, 1, 0, 1],
        [1, 0, 0, 0, 1, 0, G, 1],
        [1, 1, 1, 1, 1, 1, 1, 1],
    ],
    "antmaze-large": [
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [1, R, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1],
        [1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1],
        [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1],
        [1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1],
        [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1],
        [1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1],
        [1, 0, 0, 1, 0, 0, 0, 1, 0, G, 0, 1],
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    ],
}
BASE_GOAL = {
    "antmaze-umaze": (0.0, 8.0),
    "antmaze-medium": (20.0, 20.0),
    "antmaze-large": (32.0, 24.0),
}
MAX_STEPS = {"antmaze-umaze": 700, "antmaze-medium": 1000, "antmaze-large": 1000}
TASKS = sorted(D4RL_MAPS)
SCALE = 4.0
RADIUS = 0.5


def find(grid, value) -> tuple[int, int]:
    return next((i, j) for i, row in enumerate(grid) for j, c in enumerate(row) if c == value)


def cell_xy(task_id: str, i: int, j: int) -> tuple[float, float]:
    ri, rj = find(D4RL_MAPS[task_id], R)
    return (j * SCALE - rj * SCALE, i * SCALE - ri * SCALE)


def maze_of(task_id: str) -> str:
    return ANTMAZE_TASKS[task_id][1]


@pytest.fixture
def make(registry):
    made: list[VectorEnv] = []

    def build(task_id, seeds, info_keys=(), autoreset=AutoReset.NEXT_STEP) -> VectorEnv:
        env = VectorEnv(registry.get(task_id), seeds, autoreset, info_keys=info_keys)
        made.append(env)
        return env

    yield build
    for env in made:
        env.close()


def random_actions(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.uniform(-1, 1, (n, 8)).astype(np.float32)


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize("task_id", TASKS)
def test_layout_is_d4rls_test_map(task_id):
    layout = MAZES[maze_of(task_id)]
    legend = {1: "#", 0: ".", R: "R", G: "G"}
    assert layout.rows == tuple("".join(legend[c] for c in row) for row in D4RL_MAPS[task_id])
    assert layout.max_episode_steps == MAX_STEPS[task_id]


def test_the_ant_is_d4rls():
    env = D4rlAntMazeEnv("umaze")
    m = env.model
    assert m.opt.timestep == 0.02 and m.opt.integrator == mujoco.mjtIntegrator.mjINT_RK4
    assert env.frame_skip == 5 and env.dt == pytest.approx(0.1)
    assert (m.nq, m.nv, m.nu) == (15, 14, 8)
    # No gear (1), ctrlrange +-30, D4RL's motor order.
    assert (m.actuator_gear[:, 0] == 1.0).all() and (m.actuator_gear[:, 1:] == 0).all()
    assert (m.actuator_ctrlrange == [-30.0, 30.0]).all() and m.actuator_ctrllimited.all()
    joints = [mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_JOINT, j) for j in m.actuator_trnid[:, 0]]
    assert joints == [
        "hip_4",
        "ankle_4",
        "hip_1",
        "ankle_1",
        "hip_2",
        "ankle_2",
        "hip_3",
        "ankle_3",
    ]
    # Hinges: armature 1, damping 1, limited; the free root joint: 0, 0, unlimited.
    assert m.dof_armature[:6].tolist() == [0] * 6 and m.dof_damping[:6].tolist() == [0] * 6
    assert (m.dof_armature[6:] == 1).all() and (m.dof_damping[6:] == 1).all()
    deg = math.pi / 180
    ranges = {
        "hip_1": (-30, 30), "ankle_1": (30, 70), "hip_2": (-30, 30), "ankle_2": (-70, -30),
        "hip_3": (-30, 30), "ankle_3": (-70, -30), "hip_4": (-30, 30), "ankle_4": (30, 70),
    }  # fmt: skip
    for name, (lo, hi) in ranges.items():
        j = mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_JOINT, name)
        assert m.jnt_limited[j] and m.jnt_range[j] == pytest.approx([lo * deg, hi * deg])
    # Every geom: D4RL's contact defaults (solref 0.02 1, solimp 0.8 0.8 0.01, margin 0.01,
    # friction 1 0.5 0.5, condim 3); the ant's own geoms do not collide with each other.
    assert (m.geom_solref == [0.02, 1.0]).all()
    assert (m.geom_solimp[:, :3] == [0.8, 0.8, 0.01]).all()
    assert (m.geom_margin == 0.01).all() and (m.geom_condim == 3).all()
    assert (m.geom_friction == [1.0, 0.5, 0.5]).all()
    ant = m.geom_bodyid > 0
    assert (m.geom_conaffinity[ant] == 0).all() and (m.geom_contype[ant] == 1).all()
    # Density 5 with exact capsules (MuJoCo >= 2.1.1): 0.9109 kg in all.
    assert m.body_mass.sum() == pytest.approx(0.91088, abs=1e-4)
    # Start pose: torso at (0, 0, 0.75), identity quaternion, joints at 0.
    assert env.init_qpos.tolist() == [0, 0, 0.75, 1] + [0] * 11


@pytest.mark.parametrize("task_id", TASKS)
def test_every_wall_cell_is_a_box_where_the_grid_says(task_id):
    m = D4rlAntMazeEnv(maze_of(task_id)).model
    grid = D4RL_MAPS[task_id]
    walls = {}
    for g in range(m.ngeom):
        name = mujoco.mj_id2name(m, mujoco.mjtObj.mjOBJ_GEOM, g) or ""
        if name.startswith("block_"):
            walls[name] = g
    expected = {f"block_{i}_{j}" for i, row in enumerate(grid) for j, c in enumerate(row) if c == 1}
    assert set(walls) == expected
    for name, g in walls.items():
        i, j = (int(v) for v in name.split("_")[1:])
        assert m.geom_type[g] == mujoco.mjtGeom.mjGEOM_BOX and m.geom_bodyid[g] == 0
        assert m.geom_pos[g].tolist() == [*cell_xy(task_id, i, j), 1.0]
        assert m.geom_size[g].tolist() == [2.0, 2.0, 1.0]
        assert m.geom_contype[g] == 1 and m.geom_conaffinity[g] == 1


@pytest.mark.parametrize("task_id", TASKS)
def test_a_pushed_ant_stops_at_walls_and_passes_between_free_cells(task_id):
    """From every free cell, push the torso towards each neighbour: walls stop it, free cells
    let it through. The gap kept to a wall face is about the torso's radius (0.25)."""
    env = D4rlAntMazeEnv(maze_of(task_id))
    m, d = env.model, env.data
    torso = mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_BODY, "torso")
    grid = D4RL_MAPS[task_id]
    half = SCALE / 2
    for i, row in enumerate(grid):
        for j, c in enumerate(row):
            if c == 1:
                continue
            x, y = cell_xy(task_id, i, j)
            for di, dj in ((0, 1), (0, -1), (1, 0), (-1, 0)):
                mujoco.mj_resetData(m, d)
                d.qpos[:2] = x, y
                d.xfrc_applied[torso, :2] = 40.0 * dj, 40.0 * di  # newtons, along +x / +y
                mujoco.mj_step(m, d, nstep=5 * 15)
                travelled = (d.qpos[0] - x) * dj + (d.qpos[1] - y) * di
                where = f"{task_id}: push from cell ({i},{j}) by ({di},{dj})"
                if grid[i + di][j + dj] == 1:
                    assert travelled < half - 0.2, f"{where} went through the wall"
                else:
                    assert travelled > half + 0.5, f"{where} was stopped in free space"


# --- goals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("task_id", TASKS)
def test_goals_lie_in_the_goal_cell_with_d4rls_distribution(task_id):
    env = D4rlAntMazeEnv(maze_of(task_id))
    env.reset(seed=123)
    goals = np.array([env.reset()[1]["goal"] for _ in range(2000)])
    base = np.array(BASE_GOAL[task_id])
    offset = goals - base
    assert (offset >= 0).all() and (offset < 1.5).all()
    # U(0, 1) + U(0, 0.5) per coordinate: mean 0.75, variance 1/12 + 1/48, independent x and y.
    assert offset.mean(axis=0) == pytest.approx([0.75, 0.75], abs=0.03)
    assert offset.var(axis=0) == pytest.approx([5 / 48, 5 / 48], rel=0.1)
    assert abs(np.corrcoef(offset.T)[0, 1]) < 0.1
    assert (offset.min(axis=0) < 0.1).all() and (offset.max(axis=0) > 1.4).all()
    gi, gj = find(D4RL_MAPS[task_id], G)
    assert tuple(base) == cell_xy(task_id, gi, gj)


def test_goals_are_seeded_per_env_and_redrawn_every_reset():
    a, b, c = (D4rlAntMazeEnv("medium") for _ in range(3))
    ga = [a.reset(seed=5)[1]["goal"]] + [a.reset()[1]["goal"] for _ in range(3)]
    gb = [b.reset(seed=5)[1]["goal"]] + [b.reset()[1]["goal"] for _ in range(3)]
    gc = c.reset(seed=6)[1]["goal"]
    assert all((x == y).all() for x, y in zip(ga, gb, strict=True))  # same seed, same goals
    assert len({tuple(g) for g in ga}) == 4  # a new goal every reset
    assert (gc != ga[0]).all()  # another seed, another goal
    assert (a.reset(seed=5)[1]["goal"] == ga[0]).all()  # reseeding repeats it


def test_a_given_goal_option_replaces_the_draw():
    env = D4rlAntMazeEnv("umaze")
    _, info = env.reset(seed=0, options={"goal": (1.25, 8.5)})
    assert info["goal"].tolist() == [1.25, 8.5] and env.goal.tolist() == [1.25, 8.5]


def test_the_goal_is_reported_as_an_info_tensor_through_the_wire(stub):
    spec = stub.DescribeTask(env_pb2.DescribeTaskRequest(task_id="antmaze-umaze")).spec
    assert [(i.name, list(i.shape)) for i in spec.infos] == [
        ("qpos", [15]),
        ("qvel", [14]),
        ("goal", [2]),
    ]
    seeds = [3, 4]
    session = create(
        stub, "antmaze-umaze", 2, env_seeds=env_pb2.SeedList(seeds=seeds), info_keys=["goal"]
    ).session_id
    r = stub.Reset(env_pb2.ResetRequest(session_id=session))
    goals = from_tensor(r.infos["goal"], "goal")
    direct = [D4rlAntMazeEnv("umaze") for _ in seeds]
    want = np.stack([e.reset(seed=s)[1]["goal"] for e, s in zip(direct, seeds, strict=True)])
    assert goals.tobytes() == want.tobytes()
    actions = np.zeros((2, 8), np.float32)
    s = stub.Step(env_pb2.StepRequest(session_id=session, actions=to_tensor(actions)))
    assert from_tensor(s.infos["goal"], "goal").tobytes() == want.tobytes()  # same episode
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))


# --- reward, termination and the observation -------------------------------------------------


@pytest.mark.parametrize("inside", [True, False])
def test_reward_and_termination_switch_at_radius_half_in_qpos_xy(inside):
    far = (100.0, 100.0)
    action = np.full(8, 0.3, np.float32)
    env = D4rlAntMazeEnv("umaze")
    env.reset(seed=9, options={"goal": far})
    env.step(action)
    xy = env.data.qpos[:2].copy()  # where this seed and action put the ant
    eps = 1e-6
    d = RADIUS - eps if inside else RADIUS + eps
    goal = (xy[0] + d * 0.6, xy[1] - d * 0.8)  # at distance d, not along an axis
    env.reset(seed=9, options={"goal": goal})  # same start (no goal drawn either time)
    obs, reward, terminated, truncated, info = env.step(action)
    assert env.data.qpos[:2].tolist() == xy.tolist()
    assert info["distance"] == pytest.approx(d, abs=1e-12)
    assert reward == (1.0 if inside else 0.0)
    assert terminated is inside and truncated is False
    assert obs[:2].tolist() == xy.tolist()  # the observation's x, y are qpos[0:2]


def test_success_terminates_the_episode_and_the_server_auto_resets_with_a_new_goal(make):
    env = make("antmaze-umaze", [1], info_keys=["goal", "qpos"])
    env.reset()
    ant = env.unwrapped_env(0)
    ant.goal = ant.data.qpos[:2].copy()  # put the goal under the ant
    r = env.step(None, np.zeros((1, 8), np.float32))
    assert r.rewards[0] == 1.0 and r.terminated[0] and not r.truncated[0]
    assert r.episode_steps[0] == 1
    r = env.step(None, np.zeros((1, 8), np.float32))
    assert r.reset_happened[0] and r.rewards[0] == 0.0
    offset = r.infos["goal"][0] - np.array(BASE_GOAL["antmaze-umaze"])
    assert (offset >= 0).all() and (offset < 1.5).all()  # a freshly drawn goal


@pytest.mark.parametrize("task_id", TASKS)
def test_observation_is_qpos_then_qvel_of_the_simulator(make, task_id):
    env = make(task_id, [0, 1], info_keys=["qpos", "qvel"])
    r = env.reset()
    rng = np.random.default_rng(0)
    for k in range(60):
        obs, qpos, qvel = r.observations, r.infos["qpos"], r.infos["qvel"]
        assert obs.shape == (2, 29) and obs.dtype == np.float64
        assert obs.tobytes() == np.concatenate([qpos[:, :15], qvel[:, :14]], axis=1).tobytes()
        if k == 0:  # the reset pose: origin +-0.1, unit quaternion (as MuJoCo 2.x left it)
            assert np.abs(qpos[:, :2]).max() <= 0.1
            assert np.linalg.norm(qpos[:, 3:7], axis=1) == pytest.approx([1.0, 1.0], abs=1e-12)
        for i in range(2):  # and the env's own state
            sim = env.unwrapped_env(i).data
            assert qpos[i].tobytes() == sim.qpos.tobytes()
        r = env.step(None, random_actions(rng, 2))


def test_actions_map_linearly_onto_the_motors_and_are_clipped(make):
    env = make("antmaze-umaze", [0])
    env.reset()
    action = np.array([[-1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 3.0, -7.0]], np.float32)
    env.step(None, action)
    ctrl = env.unwrapped_env(0).data.ctrl
    assert ctrl.tolist() == pytest.approx([-30, -15, 0, 7.5, 15, 30, 30, -30], abs=1e-12)


# --- seeding, fidelity and limits ----------------------------------------------------------


def test_same_seed_same_trajectory_other_seed_other_trajectory(make):
    rng = np.random.default_rng(1)
    actions = [random_actions(rng, 3) for _ in range(50)]
    for a in actions:
        a[2] = a[0]  # envs 0 and 2 share a seed and get the same actions
    runs = []
    for seeds in ([10, 11, 10], [10, 11, 10]):
        env = make("antmaze-medium", seeds, info_keys=["goal"])
        r = env.reset()
        obs, goals = [r.observations.copy()], [r.infos["goal"].copy()]
        for a in actions:
            r = env.step(None, a)
            obs.append(r.observations.copy())
            goals.append(r.infos["goal"].copy())
        runs.append((np.stack(obs), np.stack(goals)))
    (obs, goals), (obs2, goals2) = runs
    assert obs.tobytes() == obs2.tobytes() and goals.tobytes() == goals2.tobytes()  # bit for bit
    assert obs[:, 0].tobytes() == obs[:, 2].tobytes()  # two envs with one seed
    assert goals[:, 0].tobytes() == goals[:, 2].tobytes()
    assert not np.array_equal(obs[:, 0], obs[:, 1]) and (goals[0, 0] != goals[0, 1]).all()


def test_fidelity_through_the_wire_is_bit_identical_to_gym_make_and_truncates_at_700(stub):
    """antmaze-umaze over the wire vs gym.make of its env id (with gymnasium's TimeLimit), past
    the 700-step truncation and the auto-reset, with the goals as infos."""
    env_id = ANTMAZE_TASKS["antmaze-umaze"][0]
    seeds = [21, 22]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = [gym.make(env_id) for _ in seeds]
    assert direct[0].spec.max_episode_steps == 700
    session = create(
        stub, "antmaze-umaze", 2, env_seeds=env_pb2.SeedList(seeds=seeds), info_keys=["goal"]
    ).session_id
    obs = reset(stub, session)
    expected = np.stack([e.reset(seed=s)[0] for e, s in zip(direct, seeds, strict=True)])
    assert obs.tobytes() == expected.tobytes()
    for e, s in zip(direct, seeds, strict=True):
        e.action_space.seed(s)
    ended = [False, False]
    truncations = 0
    for n in range(1, 706):
        actions = np.stack([e.action_space.sample() for e in direct])
        got = step(stub, session, actions)
        for i, e in enumerate(direct):
            if ended[i]:
                want = (e.reset()[0], 0.0, False, False)
                assert got["reset_happened"][i]
            else:
                o, rew, term, trunc, _ = e.step(actions[i])
                want = (o, rew, term, trunc)
            assert got["observations"][i].tobytes() == np.asarray(want[0]).tobytes()
            assert (got["rewards"][i], bool(got["terminated"][i])) == (want[1], want[2])
            assert bool(got["truncated"][i]) == want[3] == (n == 700 and not want[2])
            ended[i] = want[2] or want[3]
            truncations += int(want[3])
    assert truncations == 2  # random actions never reach the goal: both truncated at 700
    stub.CloseSession(env_pb2.CloseSessionRequest(session_id=session))
    for e in direct:
        e.close()


@pytest.mark.parametrize("task_id", ["antmaze-medium", "antmaze-large"])
def test_medium_and_large_truncate_at_1000_steps(make, task_id):
    env = make(task_id, [0])
    env.reset()
    zero = np.zeros((1, 8), np.float32)
    for n in range(1, 1001):
        r = env.step(None, zero)
        assert not r.terminated[0] and bool(r.truncated[0]) == (n == 1000)
    assert env.step(None, zero).reset_happened[0]


# --- the specs ------------------------------------------------------------------------------


def test_list_tasks_has_the_antmaze_tasks_with_their_specs(stub):
    tasks = {t.task_id: t for t in stub.ListTasks(env_pb2.ListTasksRequest()).tasks}
    for task_id in TASKS:
        spec = tasks[task_id]
        layout = MAZES[maze_of(task_id)]
        assert spec.env_id == ANTMAZE_TASKS[task_id][0]
        assert spec.observation.dtype == env_pb2.DTYPE_FLOAT64
        assert list(spec.observation.shape) == [29]
        assert np.isneginf(from_tensor(spec.observation.low, "low")).all()
        assert np.isposinf(from_tensor(spec.observation.high, "high")).all()
        assert spec.action.dtype == env_pb2.DTYPE_FLOAT32 and list(spec.action.shape) == [8]
        assert (from_tensor(spec.action.low, "low") == -1.0).all()
        assert (from_tensor(spec.action.high, "high") == 1.0).all()
        assert spec.max_episode_steps == MAX_STEPS[task_id]
        assert spec.control_timestep == pytest.approx(0.1, abs=1e-12)
        assert spec.simulator == "mujoco" and spec.simulator_version == mujoco.__version__
        assert spec.model_sha256 == hashlib.sha256(ant_maze_xml(layout).encode()).hexdigest()
        md = spec.metadata
        gi, gj = find(D4RL_MAPS[task_id], G)
        assert md["goal_cell"] == f"{gi},{gj}" and md["start_cell"] == "1,1"
        assert md["success_radius"] == "0.5" and md["maze_map"] == "/".join(layout.rows)
        bx, by = BASE_GOAL[task_id]
        assert md["goal_region"] == f"x in [{bx:g}, {bx + 1.5:g}), y in [{by:g}, {by + 1.5:g})"
        assert "global" in md["goal_rng"]


# --- Gymnasium-Robotics' own AntMaze through the allow-list ----------------------------------


def test_gymnasium_robotics_antmaze_is_servable_flattened_through_the_allow_list():
    import gymnasium_robotics  # noqa: F401  (registers the AntMaze ids)

    task = build_task("AntMaze_UMaze-v5", "AntMaze_UMaze-v5", "allow-listed")
    assert task.observation.shape == (2 + 2 + 105,) and task.max_episode_steps == 700
    assert task.flatten_keys == ("achieved_goal", "desired_goal", "observation")
    assert task.simulator == "mujoco" and len(task.model_sha256) == 64
    assert [i.name for i in task.infos] == ["qpos", "qvel"]
    vec = VectorEnv(task, [4], info_keys=["qpos"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            direct = gym.make("AntMaze_UMaze-v5")
        r = vec.reset()
        want, _ = direct.reset(seed=4)
        flat = gym.spaces.flatten(direct.observation_space, want)
        assert r.observations[0].tobytes() == flat.tobytes()
        action = np.full((1, 8), 0.5, np.float32)
        s = vec.step(None, action)
        want = direct.step(action[0])[0]
        assert (
            s.observations[0].tobytes()
            == gym.spaces.flatten(direct.observation_space, want).tobytes()
        )
        assert s.infos["qpos"][0][:2].tolist() == s.observations[0][:2].tolist()  # achieved goal
    finally:
        vec.close()


# --- the collection variants -----------------------------------------------------------------


def test_collection_envs_pay_at_the_goal_but_walk_on_for_1000_steps(make):
    env = make("antmaze-umaze-collect", [1], info_keys=["goal"])
    env.reset()
    ant = env.unwrapped_env(0)
    assert ant.data.qpos[:2] == pytest.approx([0.0, 0.0], abs=0.1)  # the R cell
    ant.goal = ant.data.qpos[:2].copy()
    r = env.step(None, np.zeros((1, 8), np.float32))
    assert r.rewards[0] == 1.0 and not r.terminated[0]  # pays, does not end
    steps = 1
    while not r.truncated[0]:
        r = env.step(None, np.zeros((1, 8), np.float32))
        steps += 1
        assert not r.terminated[0]
    assert steps == 1000


@pytest.mark.parametrize("maze", ["umaze", "medium", "large"])
def test_multistart_envs_start_in_free_non_goal_cells_all_of_which_occur(maze):
    env = D4rlAntMazeEnv(maze, collect=True, multistart=True)
    layout = MAZES[maze]
    allowed = set(layout.cells(".") + layout.cells("R"))
    seen = set()
    for seed in range(400):
        env.reset(seed=seed)
        x, y = env.data.qpos[:2]
        cell = next(c for c in allowed | set(layout.goal_cells) if _in_square(layout, c, x, y))
        assert cell in allowed, f"start {cell} is a goal cell"
        cx, cy = layout.cell_xy(cell)
        # The cell's centre + U(0, 1) per coordinate, + U(-0.1, 0.1) of qpos noise.
        assert -0.1 <= x - cx <= 1.1 and -0.1 <= y - cy <= 1.1
        seen.add(cell)
    assert seen == allowed


def _in_square(layout, cell, x: float, y: float) -> bool:
    cx, cy = layout.cell_xy(cell)
    return abs(x - cx) <= SCALE / 2 and abs(y - cy) <= SCALE / 2


def test_collection_tasks_are_served_with_1000_steps_and_the_goal_info(stub):
    for maze in ("umaze", "medium", "large"):
        for suffix in ("", "-multistart"):
            spec = stub.DescribeTask(
                env_pb2.DescribeTaskRequest(task_id=f"antmaze-{maze}-collect{suffix}")
            ).spec
            assert spec.max_episode_steps == 1000
            assert list(spec.observation.shape) == [29]
            assert "goal" in [i.name for i in spec.infos]
