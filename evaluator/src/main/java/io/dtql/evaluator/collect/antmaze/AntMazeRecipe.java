package io.dtql.evaluator.collect.antmaze;

import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.List;
import java.util.Map;

/**
 * How one of D4RL's antmaze datasets was recorded: which maze, whether episodes start in random
 * cells (D4RL's multistart), and where the command goals lie.
 *
 * @param maze umaze, medium or large
 * @param multistart true: every episode starts in a random free non-goal cell
 * @param goals the cells the walking ant is sent to
 */
public record AntMazeRecipe(String maze, boolean multistart, Goals goals) {
  /** Where command goals are drawn. */
  public enum Goals {
    /** The evaluation goal's cell only (antmaze-umaze). */
    EVALUATION_GOAL,
    /** The G cells of D4RL's data-collection map of the maze ("play"). */
    PLAY_CELLS,
    /** Any free cell ("diverse"). */
    ANY_FREE_CELL
  }

  /**
   * The goal cells of D4RL's data-collection maps (BIG_MAZE, HARDEST_MAZE), which have the test
   * mazes' walls but more G cells.
   */
  static final Map<String, List<Cell>> PLAY_CELLS =
      Map.of(
          "medium",
          List.of(new Cell(2, 6), new Cell(5, 1), new Cell(6, 5)),
          "large",
          List.of(
              new Cell(1, 6),
              new Cell(3, 5),
              new Cell(3, 10),
              new Cell(5, 2),
              new Cell(7, 4),
              new Cell(7, 6),
              new Cell(7, 9)));

  public AntMazeRecipe {
    if (!List.of("umaze", "medium", "large").contains(maze)) {
      throw new IllegalArgumentException("unknown maze " + maze);
    }
    if (goals == Goals.PLAY_CELLS && !PLAY_CELLS.containsKey(maze)) {
      throw new IllegalArgumentException("D4RL has no play goals for " + maze);
    }
  }

  /** The task the policy is evaluated on (its evaluation goal labels the rewards). */
  public String evaluationTask() {
    return "antmaze-" + maze;
  }

  /** The server task the data is recorded in: no termination at the goal, 1000-step episodes. */
  public String collectionTask() {
    return evaluationTask() + "-collect" + (multistart ? "-multistart" : "");
  }

  /** The cells command goals are drawn from, in {@code map}. */
  public List<Cell> goalCells(MazeMap map) {
    return switch (goals) {
      case EVALUATION_GOAL -> map.cells('G');
      case PLAY_CELLS -> PLAY_CELLS.get(maze);
      case ANY_FREE_CELL -> map.freeCells();
    };
  }
}
