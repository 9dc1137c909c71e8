package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaypointPlannerTest {
  /** Shortest start-to-goal paths in cells (start and goal included), counted by hand. */
  @ParameterizedTest
  @CsvSource({"umaze, 7", "medium, 11", "large, 15"})
  void startToGoalIsAShortestChainOfAdjacentFreeCells(String name, int cells) {
    MazeMap maze = MazeFixtures.maze(map(name));
    List<Cell> path =
        new WaypointPlanner(maze).path(maze.start(), maze.cells('G').get(0)).orElseThrow();
    assertEquals(cells, path.size());
    assertEquals(maze.start(), path.get(0));
    assertEquals(maze.cells('G').get(0), path.get(path.size() - 1));
    for (int k = 1; k < path.size(); k++) {
      Cell a = path.get(k - 1);
      Cell b = path.get(k);
      assertTrue(maze.isFree(b), "free: " + b);
      assertEquals(1, Math.abs(a.row() - b.row()) + Math.abs(a.col() - b.col()), a + " -> " + b);
    }
  }

  @Test
  void theWaypointIsTheNextCellsCentreAndInTheGoalsCellTheGoal() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    WaypointPlanner planner = new WaypointPlanner(umaze);
    double[] goal = {0.7, 8.4};
    assertArrayEquals(new double[] {4, 0}, planner.waypoint(0.2, -0.3, goal)); // R -> east
    assertArrayEquals(new double[] {8, 4}, planner.waypoint(8.1, 0.5, goal)); // corner -> north
    assertArrayEquals(new double[] {0, 8}, planner.waypoint(4.2, 8.0, goal)); // next to G
    assertArrayEquals(goal, planner.waypoint(1.5, 9.0, goal)); // in the goal's cell
  }

  @Test
  void anAntPressedAgainstAWallPlansFromTheNearestFreeCell() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    // (0.3, 2.2) rounds to wall cell (2, 1), just north of the start cell.
    assertEquals(new Cell(2, 1), umaze.cellAt(0.3, 2.2));
    double[] waypoint = new WaypointPlanner(umaze).waypoint(0.3, 2.2, new double[] {0.5, 8.5});
    assertArrayEquals(new double[] {4, 0}, waypoint);
  }

  private static String map(String name) {
    return switch (name) {
      case "umaze" -> MazeFixtures.UMAZE;
      case "medium" -> MazeFixtures.MEDIUM;
      default -> MazeFixtures.LARGE;
    };
  }
}
