package io.dtql.evaluator.collect.antmaze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dtql.evaluator.collect.antmaze.MazeMap.Cell;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MazeMapTest {
  @Test
  void cellCentresFollowD4rlsFrameWithTheStartAtTheOrigin() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    assertEquals(new Cell(1, 1), umaze.start());
    assertArrayEquals(new double[] {0, 0}, umaze.centre(umaze.start()));
    // D4RL's base goals: umaze (0, 8), medium (20, 20), large (32, 24).
    assertArrayEquals(new double[] {0, 8}, umaze.centre(umaze.cells('G').get(0)));
    MazeMap medium = MazeFixtures.maze(MazeFixtures.MEDIUM);
    assertArrayEquals(new double[] {20, 20}, medium.centre(medium.cells('G').get(0)));
    MazeMap large = MazeFixtures.maze(MazeFixtures.LARGE);
    assertArrayEquals(new double[] {32, 24}, large.centre(large.cells('G').get(0)));
  }

  @Test
  void aPointBelongsToTheCellWhoseSquareHoldsIt() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    assertEquals(new Cell(3, 1), umaze.cellAt(0.6, 8.3));
    assertEquals(new Cell(1, 2), umaze.cellAt(2.1, -1.9));
    assertEquals(new Cell(1, 1), umaze.cellAt(1.9, 1.9));
  }

  @Test
  void freeCellsExcludeWallsAndIncludeStartAndGoal() {
    MazeMap umaze = MazeFixtures.maze(MazeFixtures.UMAZE);
    assertEquals(7, umaze.freeCells().size());
    assertTrue(umaze.isFree(new Cell(3, 1)));
    assertFalse(umaze.isFree(new Cell(2, 1)));
    assertFalse(umaze.isFree(new Cell(-1, 0)));
    assertEquals(26, MazeFixtures.maze(MazeFixtures.MEDIUM).freeCells().size());
    assertEquals(46, MazeFixtures.maze(MazeFixtures.LARGE).freeCells().size());
  }

  @Test
  void aTaskWithoutAMazeOrWithABadGridIsRefusedClearly() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MazeMap.fromMetadata("hopper", Map.of()));
    assertTrue(e.getMessage().contains("hopper") && e.getMessage().contains("maze_map"));
    assertThrows(IllegalArgumentException.class, () -> MazeFixtures.maze("#R#/##"));
    assertThrows(IllegalArgumentException.class, () -> MazeFixtures.maze("#..#/#..#"));
  }
}
