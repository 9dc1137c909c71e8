package io.dtql.evaluator.collect.antmaze;

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
  void theNextCellLeadsAlongTheShortestPathAndStopsInTheGoalsCell() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    WaypointPlanner planner = new WaypointPlanner(umaze);
    Cell goal = new Cell(3, 1);
    assertEquals(new Cell(1, 2), planner.nextCell(new Cell(1, 1), goal)); // R -> east
    assertEquals(new Cell(2, 3), planner.nextCell(new Cell(1, 3), goal)); // corner -> south
    assertEquals(new Cell(3, 1), planner.nextCell(new Cell(3, 2), goal)); // next to G
    assertEquals(goal, planner.nextCell(goal, goal));
  }

  @Test
  void anAntPressedAgainstAWallIsPlacedInTheNearestFreeCell() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    // (0.3, 2.2) rounds to wall cell (2, 1), just south of the start cell.
    assertEquals(new Cell(2, 1), umaze.cellAt(0.3, 2.2));
    assertEquals(new Cell(1, 1), new WaypointPlanner(umaze).cellOf(0.3, 2.2));
    assertEquals(new Cell(1, 2), new WaypointPlanner(umaze).cellOf(4.3, 1.9));
  }

  private static String map(String name) {
    return switch (name) {
      case "umaze" -> MazeFixtures.UMAZE;
      case "medium" -> MazeFixtures.MEDIUM;
      default -> MazeFixtures.LARGE;
    };
  }
}
