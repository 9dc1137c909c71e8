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
 * Routes through a maze as D4RL's data collection did: a shortest path over free cells
 * (4-connected, breadth-first) from the ant's cell to the goal's cell. Which point of the next cell
 * the ant heads for is the {@link WaypointFollower}'s business.
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
   * The cell the ant at (x, y) is in: the square around a cell's centre; an ant whose centre lies
   * in a wall cell (pressed against it) is placed in the nearest free neighbour.
   */
  public Cell cellOf(double x, double y) {
    return freeCellNear(maze.cellAt(x, y), x, y);
  }

  /** The cell after {@code here} on a shortest path to {@code goal}; {@code here} if equal. */
  public Cell nextCell(Cell here, Cell goal) {
    if (here.equals(goal)) {
      return here;
    }
    return path(here, goal)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no free path from cell " + here + " to the goal's cell " + goal))
        .get(1);
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
