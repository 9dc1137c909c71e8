package io.dtql.evaluator.collect.antmaze;

import io.dtql.agent.behaviour.BehaviourPolicy;
import io.dtql.agent.dtql.RandomStreams;
import io.dtql.evaluator.collect.CollectionPolicy;
import io.dtql.evaluator.collect.SampledBehaviour;
import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.List;
import java.util.SplittableRandom;

/**
 * D4RL's antmaze data collection: a walking controller steered by waypoints to one command goal
 * after another.
 *
 * <p>Each environment holds a command goal, a point drawn in one of {@code goalCells} (D4RL's
 * "play" datasets use a few hand-picked cells, "diverse" any free cell) where D4RL's goal sampler
 * put it: the cell's centre plus U(0, scale / 4) + U(0, scale / 8) on each coordinate. Every step
 * its {@link WaypointFollower} gives the point to head for along the shortest path to the goal, and
 * the controller (a goal-reaching actor trained on the server's {@code ant-goal} task) acts on the
 * ant's state with that point in its heading frame. A goal reached (within {@value #REACHED_RADIUS}
 * m) or not reached within {@code maxStepsPerGoal} steps is replaced by a new one. Actions are
 * sampled, with their log-probabilities recorded, from each environment's own noise stream; goals
 * come from each environment's own goal stream: the data does not depend on which environments are
 * stepped together.
 */
public final class MazeNavigator implements CollectionPolicy {
  /** Distance at which a command goal counts as reached (the tasks' success radius). */
  public static final double REACHED_RADIUS = 0.5;

  /** Antmaze observation: qpos[0:15] then qvel[0:14]. */
  static final int MAZE_OBS_DIM = 29;

  private static final long GOAL_STREAM = 0x61C8864680B583EBL;
  private static final long WAYPOINT_STREAM = 0x2545F4914F6CDD1DL;

  private final SampledBehaviour controller;
  private final MazeMap maze;
  private final List<Cell> goalCells;
  private final int maxStepsPerGoal;
  private final SplittableRandom[] goalRandom;
  private final double[][] goals;
  private final int[] stepsOnGoal;
  private final WaypointFollower[] followers;
  private long goalsReached;
  private long goalsAbandoned;

  /**
   * @param controller the walking actor: 29 inputs (qpos[2:15], qvel[0:14], goal in its heading
   *     frame), 8 actions
   * @param goalCells the cells command goals are drawn from (free cells of the maze)
   * @param numEnvs environments of the collection (one noise and one goal stream each)
   * @param seed collection seed; env i's streams are derived from (seed, i)
   */
  public MazeNavigator(
      BehaviourPolicy controller,
      MazeMap maze,
      List<Cell> goalCells,
      int maxStepsPerGoal,
      int numEnvs,
      long seed,
      String name) {
    if (controller.obsDim() != MAZE_OBS_DIM || controller.actDim() != 8) {
      throw new IllegalArgumentException(
          "the walking controller must take 29 inputs and give 8 actions, not "
              + controller.obsDim()
              + " and "
              + controller.actDim());
    }
    if (goalCells.isEmpty() || !goalCells.stream().allMatch(maze::isFree)) {
      throw new IllegalArgumentException("goal cells must be free cells of the maze: " + goalCells);
    }
    if (maxStepsPerGoal < 1) {
      throw new IllegalArgumentException("maxStepsPerGoal must be >= 1, got " + maxStepsPerGoal);
    }
    // Actions are sampled, with their log-probabilities, as the other behaviour policies' are.
    this.controller = new SampledBehaviour(controller, name, numEnvs, seed);
    this.maze = maze;
    this.goalCells = List.copyOf(goalCells);
    this.maxStepsPerGoal = maxStepsPerGoal;
    this.goalRandom = new SplittableRandom[numEnvs];
    this.goals = new double[numEnvs][];
    this.stepsOnGoal = new int[numEnvs];
    this.followers = new WaypointFollower[numEnvs];
    WaypointPlanner planner = new WaypointPlanner(maze);
    for (int i = 0; i < numEnvs; i++) {
      goalRandom[i] = new SplittableRandom(RandomStreams.mix(seed ^ GOAL_STREAM, i));
      followers[i] =
          new WaypointFollower(
              planner, new SplittableRandom(RandomStreams.mix(seed ^ WAYPOINT_STREAM, i)));
    }
  }

  @Override
  public float[] act(double[] observations, int[] envIds, double[] logProbsOut) {
    double[] inputs = new double[envIds.length * MAZE_OBS_DIM];
    for (int j = 0; j < envIds.length; j++) {
      int id = envIds[j];
      int at = j * MAZE_OBS_DIM;
      double x = observations[at];
      double y = observations[at + 1];
      updateGoal(id, x, y);
      double[] waypoint = followers[id].waypoint(x, y, goals[id]);
      controllerInput(observations, at, waypoint, inputs, at);
    }
    return controller.act(inputs, envIds, logProbsOut);
  }

  /**
   * The controller's input from an antmaze observation at {@code at}: qpos[2:15], qvel[0:14], then
   * the waypoint in the torso's heading frame; written into {@code into} at {@code to}.
   */
  static void controllerInput(double[] obs, int at, double[] waypoint, double[] into, int to) {
    System.arraycopy(obs, at + 2, into, to, MAZE_OBS_DIM - 2);
    double yaw = HeadingFrame.yaw(obs, at + 3);
    double[] rel = HeadingFrame.relativeGoal(obs[at], obs[at + 1], yaw, waypoint);
    into[to + MAZE_OBS_DIM - 2] = rel[0];
    into[to + MAZE_OBS_DIM - 1] = rel[1];
  }

  private void updateGoal(int id, double x, double y) {
    if (goals[id] != null) {
      stepsOnGoal[id]++;
      boolean reached = StrictMath.hypot(goals[id][0] - x, goals[id][1] - y) <= REACHED_RADIUS;
      if (reached) {
        goalsReached++;
      } else if (stepsOnGoal[id] >= maxStepsPerGoal) {
        goalsAbandoned++;
      } else {
        return;
      }
    }
    SplittableRandom rng = goalRandom[id];
    double[] centre = maze.centre(goalCells.get(rng.nextInt(goalCells.size())));
    double quarter = maze.scale() / 4;
    goals[id] = new double[2];
    for (int k = 0; k < 2; k++) {
      goals[id][k] = centre[k] + rng.nextDouble() * quarter + rng.nextDouble() * quarter / 2;
    }
    stepsOnGoal[id] = 0;
  }

  /** Environment {@code id}'s current command goal {x, y} (null before its first step). */
  double[] currentGoal(int id) {
    return goals[id] == null ? null : goals[id].clone();
  }

  /** Waypoints passed within {@value WaypointFollower#PASS_RADIUS} m (over all environments). */
  public long waypointsPassed() {
    long n = 0;
    for (WaypointFollower f : followers) {
      n += f.passed();
    }
    return n;
  }

  /** Command goals reached so far (over all environments). */
  public long goalsReached() {
    return goalsReached;
  }

  /** Command goals given up after {@code maxStepsPerGoal} steps. */
  public long goalsAbandoned() {
    return goalsAbandoned;
  }

  @Override
  public boolean recordsLogProbs() {
    return true;
  }

  @Override
  public String name() {
    return controller.name();
  }
}
