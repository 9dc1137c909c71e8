package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking controller committed to {@code behaviour-policies/} truly walks: steered by the
 * waypoint planner through the real umaze, most episodes get from the start cell round the bend to
 * the evaluation goal (the full 1M-row umaze file: 922 of 1,024 episodes). The goal is about 24 m
 * of walking away round two corners, so a controller that only twitches, or a planner that sends
 * the ant into a wall, does not get there.
 */
@Tag("e2e")
class CommittedControllerE2ETest {
  @Test
  void theCommittedControllerWalksMostUmazeEpisodesToTheGoal(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("umaze.hdf5");
    CliRun collect =
        CliRun.of(
            "collect", "--kind=antmaze-umaze", "--rows=8000", "--num-envs=8", "--output=" + file);
    assertEquals(0, collect.exitCode(), collect.toString());

    int reaching = 0;
    try (HdfFile hdf = new HdfFile(file)) {
      float[] rewards = (float[]) hdf.getDatasetByPath("rewards").getData();
      assertEquals(8000, rewards.length);
      // 8 envs x 1000 steps: env i's episode is rows [1000 i, 1000 (i + 1)).
      for (int episode = 0; episode < 8; episode++) {
        for (int t = episode * 1000; t < (episode + 1) * 1000; t++) {
          if (rewards[t] == 1f) {
            reaching++;
            break;
          }
        }
      }
    }
    assertTrue(reaching >= 5, "episodes reaching the evaluation goal: " + reaching + " of 8");
    assertTrue(
        collect.out().contains("antmaze/episodes_reaching_goal: " + reaching), collect.out());
  }
}
