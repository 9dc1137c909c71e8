package io.dtql.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.dtql.agent.checkpoint.CheckpointFile;
import io.dtql.agent.data.RandomD4rlFile;
import io.dtql.agent.dtql.TensorData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The train command end to end with the real DTQL agent on a tiny D4RL file written to disk. */
class TrainCommandDtqlTest {
  private static final int ROWS = 300;
  private static final int OBS = 11;
  private static final int ACT = 3;

  @TempDir Path dir;
  private Path dataset;

  @BeforeEach
  void writeTinyHopperFile() throws IOException {
    dataset =
        RandomD4rlFile.write(dir.resolve("hopper-medium-v2.hdf5"), ROWS, OBS, ACT, 123, 97, 50);
  }

  private int train(Path output, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--dataset",
                dataset.toString(),
                "--preset",
                "hopper-medium",
                "--steps", // 38 training steps after 2 pretraining steps: the run ends at 40
                "38",
                "--seed",
                "9",
                "--output-dir",
                output.toString(),
                "--device",
                "cpu",
                "--checkpoint-every",
                "20",
                "--log-every",
                "10",
                "--no-progress",
                "--set",
                "hidden-dim=32",
                "--set",
                "batch-size=16",
                "--set",
                "num-candidates=8"));
    if (List.of(extra).contains("--log-every")) {
      int at = args.indexOf("--log-every");
      args.subList(at, at + 2).clear(); // the test's own period replaces the default
    }
    args.addAll(List.of(extra));
    return TrainCommand.run(args.toArray(String[]::new));
  }

  @Test
  void trainsAndResumesFromTheCheckpointFileToTheSameParameters() throws IOException {
    assertEquals(0, train(dir.resolve("straight")));
    Path straightRun = onlyChild(dir.resolve("straight"));
    CheckpointFile straight =
        CheckpointFile.read(straightRun.resolve("checkpoints/step-000000040.ckpt"));
    assertEquals(40, straight.step());
    assertEquals(2, straight.config().pretrainSteps()); // the preset's 5%, scaled to 40 steps

    JsonObject lastRow = lastMetricsRow(straightRun);
    assertEquals(40, lastRow.get("step").getAsLong());
    assertTrue(lastRow.has("losses/critic") && lastRow.has("losses/actor"), lastRow.toString());
    // Every row (all past the 2 pretraining steps) carries each optimiser's learning rate.
    for (JsonObject row : metricsRows(straightRun)) {
      for (String key : List.of("charts/lr_critic", "charts/lr_bc", "charts/lr_actor")) {
        assertTrue(row.has(key) && row.get(key).getAsDouble() > 0, key + " in " + row);
      }
    }

    // A second run "crashes" after step 40 was logged but before its checkpoint was written:
    // remove the final checkpoint and the pointer, then resume from the step-20 file.
    assertEquals(0, train(dir.resolve("split")));
    Path splitRun = onlyChild(dir.resolve("split"));
    Files.delete(splitRun.resolve("checkpoints/step-000000040.ckpt"));
    Files.delete(splitRun.resolve("checkpoints/latest"));
    Path resumeFrom = splitRun.resolve("checkpoints/step-000000020.ckpt");
    assertEquals(
        0,
        TrainCommand.run(
            "--dataset",
            dataset.toString(),
            "--resume",
            resumeFrom.toString(),
            "--device",
            "cpu",
            "--no-progress",
            "--log-every",
            "10"));
    CheckpointFile resumed =
        CheckpointFile.read(splitRun.resolve("checkpoints/step-000000040.ckpt"));

    assertEquals(straight.samplerState(), resumed.samplerState());
    assertEquals(straight.agentState().counters(), resumed.agentState().counters());
    Map<String, TensorData> expected = straight.agentState().tensors();
    assertEquals(expected.keySet(), resumed.agentState().tensors().keySet());
    for (Map.Entry<String, TensorData> tensor : expected.entrySet()) {
      assertArrayEquals(
          tensor.getValue().data(),
          resumed.agentState().tensors().get(tensor.getKey()).data(),
          tensor.getKey());
    }
    assertEquals(
        Files.readAllLines(straightRun.resolve("metrics.jsonl")).size(),
        Files.readAllLines(splitRun.resolve("metrics.jsonl")).size());
  }

  @Test
  void extendingWithForceRecomputesTheCosineScheduleSoTheLearningRateJumpsBackUp()
      throws IOException {
    // A row every step: rows hold window means, and this test compares single steps' rates.
    assertEquals(0, train(dir.resolve("runs"), "--set", "lr-decay=true", "--log-every", "1"));
    Path run = onlyChild(dir.resolve("runs"));
    // The logged rates: the critic's holds at its base rate over the 2 pretraining steps, then
    // the actor's falls at every one of the 38 training steps.
    List<JsonObject> rows = metricsRows(run);
    assertEquals(40, rows.size());
    double criticBase =
        JsonParser.parseString(Files.readString(run.resolve("config.json")))
            .getAsJsonObject()
            .getAsJsonObject("config")
            .get("critic-learning-rate")
            .getAsDouble();
    for (JsonObject row : rows.subList(0, 2)) {
      assertEquals(criticBase, row.get("charts/lr_critic").getAsDouble(), 0.0, row.toString());
      assertFalse(row.has("charts/lr_actor"), row.toString());
    }
    for (int i = 3; i < rows.size(); i++) {
      assertTrue(
          rows.get(i).get("charts/lr_actor").getAsDouble()
              < rows.get(i - 1).get("charts/lr_actor").getAsDouble(),
          "step " + rows.get(i).get("step"));
    }
    double endOfFirstLeg = learningRateAt(run, 40);
    assertEquals(
        0,
        TrainCommand.run("--resume", run.toString(), "--steps", "78", "--force", "--no-progress"));
    double afterExtension = learningRateAt(run, 50);
    // At step 40 (2 pretraining + 38 training steps) the cosine had all but reached 0; over 78
    // training steps, step 50 is mid-curve.
    assertTrue(
        afterExtension > 10 * endOfFirstLeg,
        "lr " + endOfFirstLeg + " at step 40, " + afterExtension + " at step 50");
    assertEquals(80, CheckpointFile.read(run.resolve("checkpoints/step-000000080.ckpt")).step());
  }

  private static double learningRateAt(Path run, long step) throws IOException {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .filter(row -> row.get("step").getAsLong() == step)
        .findFirst()
        .orElseThrow()
        .get("charts/lr_actor")
        .getAsDouble();
  }

  @Test
  void datasetOfAnotherTaskIsRefusedWithExitOneNamingFileAndWidth() {
    CommandLine cli = TrainCommand.commandLine(new TrainCommand());
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int code =
        cli.execute(
            "--dataset",
            dataset.toString(),
            "--preset",
            "walker2d-medium",
            "--steps",
            "10",
            "--device",
            "cpu",
            "--output-dir",
            dir.resolve("runs").toString(),
            "--no-progress");
    assertEquals(1, code);
    assertTrue(err.toString().contains(dataset.toString()), err.toString());
    assertTrue(err.toString().contains("17"), err.toString());
    assertFalse(Files.exists(dir.resolve("runs")), "no run directory for a refused dataset");
  }

  private static List<JsonObject> metricsRows(Path run) throws IOException {
    return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
        .map(line -> JsonParser.parseString(line).getAsJsonObject())
        .toList();
  }

  private static JsonObject lastMetricsRow(Path run) throws IOException {
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    return JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
  }

  private static Path onlyChild(Path parent) throws IOException {
    try (Stream<Path> children = Files.list(parent)) {
      List<Path> all = children.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
