package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluate command against the real Python server, started by the command itself. */
@Tag("e2e")
class EvaluateCommandE2ETest {
  @Test
  void randomPolicyRolloutReportsEveryEpisodeWithNormalisedScores(@TempDir Path dir)
      throws Exception {
    Path json = dir.resolve("summary.json");
    Path plot = dir.resolve("returns.png");
    int code =
        DtqlCli.execute(
            "evaluate",
            "--task=hopper,walker2d",
            "--episodes=3",
            "--num-envs=2",
            "--seed=5",
            "--json=" + json,
            "--plot=" + plot);

    assertEquals(0, code);
    assertTrue(Files.size(plot) > 1000, "plot written");
    JsonArray tasks = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
    assertEquals(2, tasks.size());
    for (JsonElement element : tasks) {
      JsonObject task = element.getAsJsonObject();
      JsonArray episodes = task.getAsJsonArray("episode_results");
      assertEquals(3, episodes.size());
      for (JsonElement e : episodes) {
        JsonObject ep = e.getAsJsonObject();
        int length = ep.get("length").getAsInt();
        assertTrue(length > 0 && length <= 1000, "episode length " + length);
        assertTrue(Double.isFinite(ep.get("return").getAsDouble()));
        assertFalse(ep.has("goal"), "locomotion episodes have no goal");
      }
      assertTrue(task.has("d4rl_score_mean"), "hopper and walker2d have D4RL references");
    }
  }

  @Test
  void sameSeedGivesTheSameReturns(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    assertEquals(0, DtqlCli.execute("evaluate", "--episodes=2", "--seed=11", "--json=" + a));
    assertEquals(0, DtqlCli.execute("evaluate", "--episodes=2", "--seed=11", "--json=" + b));
    assertEquals(returnsOf(a), returnsOf(b));
  }

  /**
   * Antmaze episodes record the goal the simulator drew at reset, inside umaze's goal cell (D4RL's
   * U_MAZE_TEST: the cell at x 0, y 8, goals in [x, x + 1.5) x [y, y + 1.5)), and replaying one
   * episode alone by its seed gives the same goal. Hopper episodes carry none.
   */
  @Test
  void antmazeEpisodesReportTheirGoalAndAReplayHasTheSameGoal(@TempDir Path dir) throws Exception {
    Path all = dir.resolve("all.json");
    Path one = dir.resolve("one.json");
    assertEquals(
        0,
        DtqlCli.execute(
            "evaluate", "--task=antmaze-umaze", "--episodes=2", "--seed=3", "--json=" + all));
    assertEquals(
        0,
        DtqlCli.execute(
            "evaluate", "--task=antmaze-umaze", "--episodes=1", "--seed=4", "--json=" + one));

    JsonArray episodes = episodesOf(all);
    JsonArray first = episodes.get(0).getAsJsonObject().getAsJsonArray("goal");
    JsonArray second = episodes.get(1).getAsJsonObject().getAsJsonArray("goal");
    for (JsonArray goal : new JsonArray[] {first, second}) {
      assertEquals(2, goal.size(), "goal x and y");
      double x = goal.get(0).getAsDouble();
      double y = goal.get(1).getAsDouble();
      assertTrue(x >= 0 && x < 1.5 && y >= 8 && y < 9.5, "goal in umaze's goal cell: " + goal);
    }
    assertFalse(first.equals(second), "each episode's seed draws its own goal");
    assertEquals(second, episodesOf(one).get(0).getAsJsonObject().getAsJsonArray("goal"));
  }

  private static JsonArray episodesOf(Path json) throws Exception {
    return JsonParser.parseString(Files.readString(json))
        .getAsJsonArray()
        .get(0)
        .getAsJsonObject()
        .getAsJsonArray("episode_results");
  }

  /**
   * A hopper checkpoint on hopper and walker2d used to run every hopper rollout, then fail on
   * walker2d with the usage text and throw the hopper results away. Now the real server's specs are
   * checked first: usage error, exit 2, no results, nothing written.
   */
  @Test
  void aHopperCheckpointOnWalker2dIsRefusedBeforeAnyRollout(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("summary.json");
    CliRun run =
        CliRun.of(
            "evaluate",
            "--checkpoint=" + CliRun.hopperCheckpoint(dir),
            "--task=hopper,walker2d",
            "--episodes=50",
            "--json=" + json);

    run.assertUsageError(
        "evaluate", "--task walker2d", "obs 11 / act 3 but task walker2d has obs 17 / act 6");
    assertTrue(run.out().isEmpty(), "no results table: " + run.out());
    assertFalse(Files.exists(json));
  }

  private static String returnsOf(Path json) throws Exception {
    StringBuilder out = new StringBuilder();
    for (JsonElement task : JsonParser.parseString(Files.readString(json)).getAsJsonArray()) {
      for (JsonElement ep : task.getAsJsonObject().getAsJsonArray("episode_results")) {
        out.append(ep.getAsJsonObject().get("return").getAsDouble()).append(',');
      }
    }
    return out.toString();
  }
}
