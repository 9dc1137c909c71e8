package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.behaviour.BehaviourPolicyFile;
import io.dtql.agent.dtql.TensorData;
import io.dtql.evaluator.collect.BehaviourCatalog;
import io.dtql.evaluator.collect.DatasetKind;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An antmaze dataset recorded against the real server, with an untrained walking controller (the
 * plumbing, not the controller's quality): 1000-step episodes in the collection task, the
 * evaluation goal of every row under infos/goal, rewards and terminals labelled by it, and the
 * recipe in the metadata.
 */
@Tag("e2e")
class AntMazeCollectionE2ETest {
  @Test
  void umazeIsRecordedInThousandStepEpisodesLabelledByTheEvaluationGoal(@TempDir Path dir)
      throws Exception {
    Path catalog = dir.resolve("policies");
    catalogController(catalog);
    Path file = dir.resolve("umaze.hdf5");
    CliRun collect =
        CliRun.of(
            "collect",
            "--kind=antmaze-umaze",
            "--rows=2500",
            "--num-envs=2",
            "--local-servers=1",
            "--policies=" + catalog,
            "--output=" + file);
    assertEquals(0, collect.exitCode(), collect.toString());
    assertTrue(collect.out().contains("antmaze/episodes_reaching_goal: "), collect.out());

    try (HdfFile hdf = new HdfFile(file)) {
      float[][] obs = (float[][]) hdf.getDatasetByPath("observations").getData();
      float[] rewards = (float[]) hdf.getDatasetByPath("rewards").getData();
      boolean[] terminals = flags(hdf.getDatasetByPath("terminals").getData());
      boolean[] timeouts = flags(hdf.getDatasetByPath("timeouts").getData());
      double[][] goals = (double[][]) hdf.getDatasetByPath("infos/goal").getData();
      assertEquals(2500, obs.length);
      assertEquals(29, obs[0].length);
      int start = 0;
      List<Integer> lengths = new java.util.ArrayList<>();
      for (int t = 0; t < obs.length; t++) {
        // umaze's evaluation goal: in [0, 1.5) x [8, 9.5), fixed within an episode.
        assertTrue(goals[t][0] >= 0 && goals[t][0] < 1.5 && goals[t][1] >= 8 && goals[t][1] < 9.5);
        assertEquals(goals[start][0], goals[t][0], "row " + t);
        double d = Math.hypot(obs[t][0] - goals[t][0], obs[t][1] - goals[t][1]);
        assertEquals(terminals[t], rewards[t] == 1f, "row " + t);
        assertTrue(rewards[t] == 0f || rewards[t] == 1f);
        if (timeouts[t]) {
          lengths.add(t - start + 1);
          start = t + 1;
        }
        assertTrue(d < 40, "the ant stays in the maze");
      }
      // Each env ran 1250 steps: a whole 1000-step episode, then 250 steps cut at the end of the
      // collection (marked as a time limit, as D4RL cut its files).
      assertEquals(List.of(1000, 1000, 250, 250), lengths);
      assertEquals(
          "antmaze-umaze", hdf.getDatasetByPath("metadata/antmaze/evaluation_task").getData());
      assertEquals("antmaze-umaze-collect", hdf.getDatasetByPath("metadata/task").getData());
      assertEquals("antmaze-umaze", hdf.getDatasetByPath("metadata/kind").getData());
    }

    // The same command gives the same bytes, on one local server or spread over two.
    Path one = dir.resolve("one.hdf5");
    Path two = dir.resolve("two.hdf5");
    for (Path out : List.of(one, two)) {
      CliRun again =
          CliRun.of(
              "collect",
              "--kind=antmaze-umaze-diverse",
              "--rows=600",
              "--num-envs=4",
              "--local-servers=" + (out == one ? 1 : 2),
              "--policies=" + catalog,
              "--output=" + out);
      assertEquals(0, again.exitCode(), again.toString());
    }
    assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));

    // The antmaze preset trains on the file and its checkpoint is evaluated on the evaluation
    // task (from the preset), where the score is the success rate.
    Path runs = dir.resolve("runs");
    CliRun train =
        CliRun.of(
            "train",
            "--dataset=" + file,
            "--preset=antmaze-umaze",
            "--steps=6",
            "--set=hidden-dim=32",
            "--set=batch-size=64",
            "--set=num-candidates=8",
            "--no-progress",
            "--output-dir=" + runs);
    assertEquals(0, train.exitCode(), train.toString());
    Path run;
    try (Stream<Path> dirs = Files.list(runs)) {
      run = dirs.findFirst().orElseThrow();
    }
    Path json = dir.resolve("eval.json");
    CliRun evaluate =
        CliRun.of("evaluate", "--checkpoint=" + run, "--episodes=2", "--json=" + json);
    assertEquals(0, evaluate.exitCode(), evaluate.toString());
    JsonObject result =
        JsonParser.parseString(Files.readString(json)).getAsJsonArray().get(0).getAsJsonObject();
    assertEquals("antmaze-umaze", result.get("task").getAsString());
    double score = result.get("d4rl_score_mean").getAsDouble();
    assertTrue(score == 0 || score == 50 || score == 100, "a success rate of 2 episodes: " + score);
  }

  @Test
  void anAntmazeKindInAnotherMazesTaskIsAUsageError(@TempDir Path dir) throws Exception {
    CliRun run =
        CliRun.of(
            "collect",
            "--kind=antmaze-medium-play",
            "--task=antmaze-umaze",
            "--rows=10",
            "--output=" + dir.resolve("x.hdf5"));
    run.assertUsageError("collect", "is recorded in task antmaze-medium-collect-multistart");

    Path empty = Files.createDirectories(dir.resolve("empty-catalog"));
    CliRun missing =
        CliRun.of(
            "collect",
            "--kind=antmaze-umaze",
            "--rows=10",
            "--policies=" + empty,
            "--output=" + dir.resolve("y.hdf5"));
    missing.assertFailure("has no walking controller", "behaviour export --kind controller");
    assertTrue(Files.notExists(dir.resolve("y.hdf5")), "nothing written");
  }

  /** An untrained controller (29 inputs, 8 actions) in a fresh catalog. */
  private static void catalogController(Path catalog) throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    float[] w = new float[16 * 29];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextDouble(-0.1, 0.1);
    }
    Map<String, TensorData> actor = new LinkedHashMap<>();
    actor.put("actor/0/weight", new TensorData(new long[] {16, 29}, w));
    actor.put("actor/0/bias", new TensorData(new long[] {16}, new float[16]));
    JsonObject meta = BehaviourPolicyFile.describe(DatasetKind.CONTROLLER_TASK, 29, 8, 1f);
    Files.createDirectories(catalog);
    Path policy = catalog.resolve("ant-goal-controller.policy");
    new BehaviourPolicyFile(meta, actor).write(policy);
    JsonObject entry = new JsonObject();
    entry.addProperty("task", DatasetKind.CONTROLLER_TASK);
    entry.addProperty("kind", DatasetKind.CONTROLLER_KIND);
    entry.addProperty("file", policy.getFileName().toString());
    entry.addProperty("sha256", BehaviourCatalog.sha256(policy));
    BehaviourCatalog.open(catalog).put(entry);
  }

  private static boolean[] flags(Object data) {
    if (data instanceof boolean[] b) {
      return b;
    }
    byte[] bytes = (byte[]) data;
    boolean[] out = new boolean[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] != 0;
    }
    return out;
  }
}
