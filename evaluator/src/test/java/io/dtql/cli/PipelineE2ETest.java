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
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product through its command line against the real Python server: collect a hopper
 * dataset with a random policy, train a small DTQL on it, and evaluate the checkpoint.
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
  void quickstartRunsTheWholePipelineAndWritesItsReport(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("quickstart");
    assertEquals(
        0,
        DtqlCli.execute(
            "quickstart", "--rows=1000", "--steps=20", "--episodes=1", "--output-dir=" + out));
    assertTrue(Files.size(out.resolve("hopper-random.hdf5")) > 0);
    assertTrue(Files.size(out.resolve("returns.png")) > 1000);
    JsonArray tasks =
        JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonArray();
    assertEquals(4, tasks.size(), "dtql on hopper + random on hopper, walker2d, halfcheetah");
    // 20 training steps after 1 pretraining step: the checkpoint is at step 21.
    assertEquals("dtql@21", tasks.get(0).getAsJsonObject().get("policy").getAsString());
  }
}
