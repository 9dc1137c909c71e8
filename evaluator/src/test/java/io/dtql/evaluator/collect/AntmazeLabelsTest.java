package io.dtql.evaluator.collect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dtql.agent.data.D4rlData;
import org.junit.jupiter.api.Test;

class AntmazeLabelsTest {
  @Test
  void rowsPayingTheGoalBecomeTerminalAndEpisodesReachingItAreCounted() {
    float[] rewards = {0, 1, 0, 0, 0, 0, 1, 1};
    boolean[] timeouts = {false, false, true, false, false, true, false, false};
    D4rlData data =
        new D4rlData(1, 1, new float[8], new float[8], rewards, new boolean[8], timeouts);

    int reaching = DatasetCollection.labelAntmaze(data);

    assertArrayEquals(
        new boolean[] {false, true, false, false, false, false, true, true}, data.terminals());
    assertEquals(2, reaching, "episodes [0, 2] and [6, 7] reach the goal; [3, 5] does not");
  }
}
