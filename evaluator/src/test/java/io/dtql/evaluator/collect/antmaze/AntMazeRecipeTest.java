package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.evaluator.collect.DatasetKind;
import io.dtql.evaluator.collect.antmaze.AntMazeRecipe.Goals;
import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;

class AntMazeRecipeTest {
  @Test
  void d4rlsSixDatasetsNameTheirMazeStartsAndGoals() {
    AntMazeRecipe umaze = DatasetKind.parse("antmaze-umaze").antmaze().orElseThrow();
    assertEquals("antmaze-umaze-collect", umaze.collectionTask());
    assertEquals("antmaze-umaze", umaze.evaluationTask());
    MazeMap u = MazeFixtures.maze(MazeFixtures.UMAZE);
    assertEquals(List.of(new Cell(3, 1)), umaze.goalCells(u));

    AntMazeRecipe umazeDiverse = DatasetKind.parse("antmaze-umaze-diverse").antmaze().orElseThrow();
    assertEquals("antmaze-umaze-collect-multistart", umazeDiverse.collectionTask());
    assertEquals(u.freeCells(), umazeDiverse.goalCells(u));

    AntMazeRecipe play = DatasetKind.parse("antmaze-large-play").antmaze().orElseThrow();
    assertEquals("antmaze-large-collect-multistart", play.collectionTask());
    MazeMap large = MazeFixtures.maze(MazeFixtures.LARGE);
    assertEquals(7, play.goalCells(large).size());
    assertTrue(play.goalCells(large).stream().allMatch(large::isFree), "play goals are free");
    MazeMap medium = MazeFixtures.maze(MazeFixtures.MEDIUM);
    AntMazeRecipe mediumPlay = DatasetKind.parse("antmaze-medium-play").antmaze().orElseThrow();
    assertTrue(mediumPlay.goalCells(medium).stream().allMatch(medium::isFree));
    assertTrue(DatasetKind.parse("medium").antmaze().isEmpty());
  }

  @Test
  void umazeHasNoPlayGoals() {
    assertThrows(
        IllegalArgumentException.class, () -> new AntMazeRecipe("umaze", true, Goals.PLAY_CELLS));
  }
}
