package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.data.DatasetLoader;
import io.dtql.agent.data.Transitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product through its command line against the real Python server: collect a hopper
 * dataset with a random policy, train a small DTQL on it, and evaluate the checkpoint; and the
 * quickstart, which does the same on medium data in one directory.
 */
@Tag("e2e")
class PipelineE2ETest {
  @Test
  void collectTrainEvaluate(@TempDir Path dir) throws Exception {
    Path dataset = dir.resolve("hopper-random.hdf5");
    assertEquals(
        0,
        DtqlCli.execute(
            "collect",
            "--task=hopper",
            "--rows=600",
            "--num-envs=4",
            "--seed=3",
            "--output=" + dataset));
    Transitions transitions = DatasetLoader.load(dataset, OptionalInt.of(11), OptionalInt.of(3));
    assertTrue(transitions.size() >= 550, "transitions " + transitions.size());

    Path runs = dir.resolve("runs");
    assertEquals(
        0,
        DtqlCli.execute(
            "train",
            "--dataset=" + dataset,
            "--preset=hopper-medium",
            "--steps=30",
            "--set=hidden-dim=32",
            "--set=batch-size=32",
            "--set=num-candidates=16",
            "--no-progress",
            "--output-dir=" + runs));
    Path run;
    try (Stream<Path> dirs = Files.list(runs)) {
      run = dirs.findFirst().orElseThrow();
    }
    assertTrue(run.getFileName().toString().startsWith("hopper-medium__dtql__"), run.toString());

    Path json = dir.resolve("eval.json");
    assertEquals(
        0,
        DtqlCli.execute(
            "evaluate", "--checkpoint=" + run, "--episodes=2", "--num-envs=2", "--json=" + json));
    JsonArray tasks = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
    JsonObject hopper = tasks.get(0).getAsJsonObject();
    assertEquals("hopper", hopper.get("task").getAsString(), "task taken from the preset");
    // 30 training steps after 2 pretraining steps (the preset's 5%, rounded): the run ends at 32.
    assertEquals("dtql@32", hopper.get("policy").getAsString());
    assertEquals(2, hopper.getAsJsonArray("episode_results").size());
  }

  @Test
  void quickstartCollectsMediumDataTrainsEvaluatesAndReportsInOneDirectory(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("quickstart");
    CliRun run =
        CliRun.of("quickstart", "--rows=1000", "--steps=20", "--episodes=2", "--output-dir=" + out);
    assertEquals(0, run.exitCode(), run.toString());

    // One directory: the dataset, the training run and the report; no nested runs/.
    try (Stream<Path> entries = Files.list(out)) {
      assertEquals(
          Set.of(
              "data", "config.json", "metrics.jsonl", "checkpoints", "summary.json", "returns.png"),
          entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    Transitions data =
        DatasetLoader.load(
            out.resolve("data/hopper-medium.hdf5"), OptionalInt.of(11), OptionalInt.of(3));
    // 1000 rows; a row whose episode was cut by the row count has no next state and is dropped.
    assertTrue(data.size() >= 1000 - 64, "transitions " + data.size());
    // 20 training steps after 1 pretraining step (the preset's 5%, rounded): step 21.
    assertTrue(Files.isRegularFile(out.resolve("checkpoints/step-000000021.ckpt")));
    assertTrue(Files.size(out.resolve("returns.png")) > 1000);

    JsonArray tasks =
        JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonArray();
    assertEquals(2, tasks.size(), "the checkpoint and the behaviour policy");
    assertEquals("dtql@21", tasks.get(0).getAsJsonObject().get("policy").getAsString());
    assertEquals("behaviour-sampled", tasks.get(1).getAsJsonObject().get("policy").getAsString());
    for (int i = 0; i < 2; i++) {
      JsonObject summary = tasks.get(i).getAsJsonObject();
      assertEquals("hopper", summary.get("task").getAsString());
      assertEquals(2, summary.getAsJsonArray("episode_results").size());
      // The same episodes for both policies: seeds 100 and 101.
      assertEquals(
          100,
          summary
              .getAsJsonArray("episode_results")
              .get(0)
              .getAsJsonObject()
              .get("seed")
              .getAsInt());
    }

    String printed = run.out();
    assertTrue(printed.contains("D4RL score"), printed); // the score table
    assertTrue(printed.contains("dtql@21"), printed);
    assertTrue(printed.contains("behaviour policy that collected the data"), printed);
    assertTrue(printed.contains("when catalogued"), printed);
    assertTrue(printed.contains("99.6"), printed);
    assertTrue(printed.contains("This was a short run: 20 of the paper's 1,000,000"), printed);
    assertTrue(printed.contains("run directory: " + out), printed);

    // The run is a training run like any other: `dtql evaluate --checkpoint DIR` takes it.
    assertEquals(
        0, DtqlCli.execute("evaluate", "--checkpoint=" + out, "--episodes=1", "--num-envs=1"));

    // A second quickstart never writes into the first one's directory.
    CliRun again = CliRun.of("quickstart", "--rows=1000", "--steps=20", "--output-dir=" + out);
    again.assertUsageError("quickstart", "exists and is not empty");
  }
}
