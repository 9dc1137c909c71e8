package io.dtql.evaluator.collect.antmaze;

import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.SplittableRandom;

/**
 * One ant's way to its goal, point by point: the ant heads for a point of its own cell until it
 * passes within {@value #PASS_RADIUS} m of it, then for a point of the next cell on the planner's
 * path, and for the goal itself once the next cell is the goal's.
 *
 * <p>Each point is its cell's centre plus U(0, scale / 4) on x and on y, drawn once when the ant is
 * sent there. That is D4RL's waypoint noise, which puts the ant in the +x, +y quarter of the cells
 * it crosses, where D4RL's goals lie (a goal is its cell's centre plus [0, 1.5) m on each
 * coordinate), so episodes pass the evaluation goal on their way elsewhere. D4RL drew that noise
 * afresh every step and switched waypoints as soon as the ant's truncated x / scale, y / scale
 * named the next cell; with this project's controller that cut corners into walls and ended
 * episodes upside down (README, AntMaze datasets). Passing through each point keeps the ant in the
 * middle of the corridors.
 */
final class WaypointFollower {
  /** How close the ant must come to a point before it is sent on (the tasks' success radius). */
  static final double PASS_RADIUS = 0.5;

  private final WaypointPlanner planner;
  private final SplittableRandom noise;
  private Cell aim;
  private double[] aimPoint;
  private long passed;

  WaypointFollower(WaypointPlanner planner, SplittableRandom noise) {
    this.planner = planner;
    this.noise = noise;
  }

  /** The point the ant at (x, y) heads for on its way to {@code goal} ({x, y}). */
  double[] waypoint(double x, double y, double[] goal) {
    Cell here = planner.cellOf(x, y);
    Cell goalCell = planner.cellOf(goal[0], goal[1]);
    if (here.equals(goalCell)) {
      aim = null;
      return goal.clone();
    }
    Cell next = planner.nextCell(here, goalCell);
    if (aim == null || !(aim.equals(here) || aim.equals(next))) {
      aimAt(here); // new goal or strayed off the path: first the point of this cell
    }
    if (aim.equals(here) && StrictMath.hypot(aimPoint[0] - x, aimPoint[1] - y) <= PASS_RADIUS) {
      passed++;
      aimAt(next);
    }
    return aim.equals(goalCell) ? goal.clone() : aimPoint.clone();
  }

  /** Points passed so far. */
  long passed() {
    return passed;
  }

  private void aimAt(Cell cell) {
    MazeMap maze = planner.maze();
    double[] point = maze.centre(cell);
    double spread = maze.scale() / 4;
    point[0] += noise.nextDouble() * spread;
    point[1] += noise.nextDouble() * spread;
    aim = cell;
    aimPoint = point;
  }
}
