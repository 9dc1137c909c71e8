package io.dtql.evaluator.collect.antmaze;

import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Steers through a maze as D4RL's data collection did: a shortest path over free cells
 * (4-connected, breadth-first) from the ant's cell to the goal's cell, and the next cell's centre
 * on it as the waypoint the walking controller heads for; in the goal's own cell, the goal itself.
 */
public final class WaypointPlanner {
  private static final int[][] MOVES = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};

  private final MazeMap maze;

  public WaypointPlanner(MazeMap maze) {
    this.maze = maze;
  }

  public MazeMap maze() {
    return maze;
  }

  /** The cells from {@code from} to {@code to} inclusive, fewest moves; empty if none connects. */
  public Optional<List<Cell>> path(Cell from, Cell to) {
    if (!maze.isFree(from) || !maze.isFree(to)) {
      return Optional.empty();
    }
    Map<Cell, Cell> previous = new HashMap<>();
    ArrayDeque<Cell> frontier = new ArrayDeque<>();
    previous.put(from, from);
    frontier.add(from);
    while (!frontier.isEmpty()) {
      Cell c = frontier.poll();
      if (c.equals(to)) {
        List<Cell> path = new ArrayList<>();
        for (Cell p = to; !p.equals(from); p = previous.get(p)) {
          path.add(p);
        }
        path.add(from);
        Collections.reverse(path);
        return Optional.of(path);
      }
      for (int[] m : MOVES) {
        Cell n = new Cell(c.row() + m[0], c.col() + m[1]);
        if (maze.isFree(n) && !previous.containsKey(n)) {
          previous.put(n, c);
          frontier.add(n);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Where to head from (x, y) on the way to {@code goal} ({x, y}): the next cell's centre on the
   * shortest path, or the goal itself once in its cell. An ant whose centre rounds to a wall cell
   * (pressed against it) plans from the nearest free neighbour.
   */
  public double[] waypoint(double x, double y, double[] goal) {
    Cell here = freeCellNear(maze.cellAt(x, y), x, y);
    Cell target = maze.cellAt(goal[0], goal[1]);
    if (here.equals(target)) {
      return goal.clone();
    }
    List<Cell> path =
        path(here, target)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no free path from cell " + here + " to the goal's cell " + target));
    return maze.centre(path.get(1));
  }

  private Cell freeCellNear(Cell c, double x, double y) {
    if (maze.isFree(c)) {
      return c;
    }
    Cell best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int[] m : MOVES) {
      Cell n = new Cell(c.row() + m[0], c.col() + m[1]);
      if (maze.isFree(n)) {
        double[] p = maze.centre(n);
        double d = StrictMath.hypot(p[0] - x, p[1] - y);
        if (d < bestDistance) {
          bestDistance = d;
          best = n;
        }
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("the ant at (" + x + ", " + y + ") is inside walls");
    }
    return best;
  }
}
